"""One rule, one home: the codes of blocs, licence classes, grades, standings, relations and kinds are defined once
(the ontology and data/curated/blocs.yaml) and read everywhere else. This walks the project's code and saved
questions and fails when a second hand-written copy of one of those lists appears (decisions/0011).

A copy is a literal list (tuple, set) of two or more codes of one scheme, a dict mapping two or more codes to
ontology terms (the code -> concept rule written again), or a distinctive code written out. A dict keyed by codes
whose values are the project's own (labels, colours, weights) is a use of the codes, not a copy. bench/ generates
synthetic graphs and is not scanned."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from euaigraph.ingest.sources.blocs import blocs
from euaigraph.ontology import reference

REPO = Path(__file__).resolve().parents[1]
CODE = ("ontology", "ingest", "graph", "explorer")
#: The homes (and the generated vocabulary) may spell the codes out.
HOMES = {"ontology/reference.py", "ontology/vocab.py", "ontology/gen_vocab.py"}
#: Codes that are also the names of a feed's fields: the readers in ingest/ may list them.
FEED_FORMAT = {"openness aspect dimensions"}
#: Codes no other word in the code base uses: one occurrence is already a copy.
DISTINCTIVE = {"open-restricted", "non-commercial", "horizon-associated", "efta", "eea"}


def schemes() -> dict[str, set[str]]:
    """Each defined list of codes (and of the local names of the concepts and properties behind them)."""
    relations = reference.relations()
    return {
        "blocs": set(blocs()),
        "licence classes": {c.code for c in reference.licence_classes()},
        "licence class concepts": {c.name for c in reference.licence_classes()},
        "grades": {c.code for c in reference.grades()},
        "grade concepts": {c.name for c in reference.grades()},
        "standings": set(reference.standings().values()),
        "relation codes": {r.code for r in relations if "-" in r.code or r.group == "lineage"},
        "relation properties": {r.name for r in relations},
        "kind classes": {str(c).rsplit("#", 1)[-1] for c in reference.kinds()},
        "openness aspect dimensions": set(reference.openness_aspects()),
    }


def _is_term(node: ast.AST | None) -> bool:
    """``EAI.fineTunedFrom`` and the like: an ontology term."""
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ("EAI", "SKOS")


def _strings(node: ast.AST) -> list[str]:
    """The string items of a literal list, or the string keys of a dict that maps them to ontology terms."""
    if isinstance(node, ast.Dict):
        items = [k for k, v in zip(node.keys, node.values, strict=True) if _is_term(v)]
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        items = node.elts
    else:
        return []
    return [item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def copies_in_python(source: str, where: str) -> list[str]:
    """Literal collections holding two or more codes of one scheme, and any distinctive code as a literal."""
    tree = ast.parse(source)
    found, skip, known = [], _docstrings(tree), schemes()
    for node in ast.walk(tree):
        strings = _strings(node)
        for name, codes in known.items():
            if name in FEED_FORMAT and where.startswith("ingest/"):
                continue  # a reader lists the dimensions its feed's files hold: the format, not the rule
            hits = sorted(set(strings) & codes)
            if len(hits) >= 2:
                found.append(f"{where}:{node.lineno}: a hand-written list of {name} {hits}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip \
                and node.value in DISTINCTIVE:
            found.append(f"{where}:{node.lineno}: the code {node.value!r} written out")
    return found


_QUOTED = re.compile(r'"([A-Za-z_-]+)"')


def copies_in_sparql(text: str, where: str) -> list[str]:
    """Codes written as string literals in a query: a query joins the reference data instead."""
    known = schemes()
    codes = known["licence classes"] | known["grades"] | known["blocs"] | known["openness aspect dimensions"]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    hits = [m.group(1) for m in _QUOTED.finditer(body) if m.group(1) in codes or m.group(1) in DISTINCTIVE]
    return [f"{where}: the code {code!r} written out (join the reference data instead)" for code in hits]


#: A thing's standing for a bloc re-derived from seats and memberships: the European rule written again. Only the
#: derivation (graph/load/) applies it; everything else reads eai:jurisdictionProfile.
_REDERIVED = re.compile(r"(providedBy|developedBy|curatedBy|operatedBy|preferredJurisdiction|jurisdiction)\s*/\s*"
                        r"(eai:)?(preferredJurisdiction\s*/\s*(eai:)?)?(inBlocToday|memberOf|membership)")


def rederived_standing(text: str, where: str) -> list[str]:
    """Property paths from a developer's seat to bloc membership: the European rule applied again."""
    return [f"{where}: {m.group(0)!r} decides a standing again (read eai:jurisdictionProfile instead)"
            for m in _REDERIVED.finditer(text)]


def python_files() -> list[Path]:
    return sorted(p for folder in CODE for p in (REPO / folder).rglob("*.py")
                  if "__pycache__" not in p.parts and str(p.relative_to(REPO)) not in HOMES)


def test_no_rule_is_written_twice_in_the_code():
    files = python_files()
    assert len(files) > 60
    found = [c for p in files for c in copies_in_python(p.read_text(encoding="utf-8"), str(p.relative_to(REPO)))]
    assert not found, "\n".join(found)


def test_no_saved_question_spells_out_a_code():
    files = sorted((REPO / "queries").glob("*/*.rq"))
    assert len(files) > 25
    found = [c for p in files for c in copies_in_sparql(p.read_text(encoding="utf-8"), p.name)]
    assert not found, "\n".join(found)


def test_no_code_or_question_applies_the_european_rule_again():
    texts = [(p, str(p.relative_to(REPO))) for p in python_files() if "load" not in p.relative_to(REPO).parts[:2]]
    texts += [(p, p.name) for p in sorted((REPO / "queries").glob("*/*.rq"))]
    found = [c for p, where in texts for c in rederived_standing(p.read_text(encoding="utf-8"), where)]
    assert not found, "\n".join(found)


def test_the_rule_check_finds_a_rederived_standing():
    assert rederived_standing("?s eai:providedBy/eai:preferredJurisdiction/eai:inBlocToday {bloc} .", "x.py")
    assert rederived_standing("?m eai:developedBy / eai:preferredJurisdiction / eai:inBlocToday ?b", "q.rq")
    assert not rederived_standing("?s eai:jurisdictionProfile/eai:insideBloc ?bloc", "q.rq")


@pytest.mark.parametrize(("source", "expected"), [
    ('CLASSES = ("open", "open-restricted", "closed")', "a hand-written list of licence classes"),
    ('BLOCS = ["eu", "eea"]', "a hand-written list of blocs"),
    ('LINEAGE = {"fineTunedFrom", "mergedFrom"}', "a hand-written list of relation properties"),
    ('KINDS = ("AIModel", "Dataset")', "a hand-written list of kind classes"),
    ('RELATIONS = {"fine-tune": EAI.fineTunedFrom, "merge": EAI.mergedFrom}', "a hand-written list of relation codes"),
    ('if bloc == "horizon-associated": pass', "the code 'horizon-associated' written out"),
])
def test_the_check_finds_each_kind_of_copy(source, expected):
    assert any(expected in c for c in copies_in_python(source, "x.py"))


def test_the_check_allows_reading_the_home():
    source = ('CLASSES = tuple(c.code for c in reference.licence_classes())\nSTATUS = ("ok", "partial")\n'
              'WEIGHTS = {"fine-tune": 45, "merge": 5}')
    assert copies_in_python(source, "x.py") == []
    assert copies_in_sparql('?cls skos:notation ?code . FILTER(?x = "open")', "q.rq")
    assert not copies_in_sparql('#+ description: open or "closed"\n?cls skos:notation ?code', "q.rq")
