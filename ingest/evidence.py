"""Identity by evidence: when a record of a model feed may be taken to describe an entity that something else
describes too, and by which stated rule.

A record joins an entity only on a strong key: a Hugging Face repository id, a reviewed alias (an entry of
``data/curated/aliases/<kind>.yaml``), a curated record's id, or the same developer with the same name. Whatever
the key, two records whose developers conflict never join, a size-qualified name (405B) never joins another size
(8B), and within one feed names that differ only in case stay apart unless a strong key joins them. Everything
else gets the source's own node, scoped to its developer (:func:`~euaigraph.ingest.identity.scoped`). The reasons
are in decisions/0009-identity-by-evidence.md.

>>> developers_agree(frozenset({"mistral-ai"}), "models", "mistralai/mistral-7b-v0.1")
'same'
>>> developers_agree(frozenset({"meta"}), "models", "mistralai/mistral-7b-v0.1"), developers_agree(frozenset(), "models", "mistralai/mistral-7b-v0.1")
('conflict', 'unknown')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from rdflib import URIRef

from euaigraph.ontology import iri

from .aliases import aliases
from .base import Report
from .curated import records
from .identity import case_signature, name_key, org_id, scoped
from .model_names import name_form, sizes_conflict
from .normalise import fold

RULE_HF = "same Hugging Face repository id"
RULE_ID = "same id as a curated record"
RULE_ALIAS = "reviewed alias"
RULE_NAME = "same developer and same name"
RULE_COPY = "collated copy of the same card"
RULE_CURATED_NAME = "same name as a curated record, with no developers to compare"
_RULE_OF_ROUTE = {"hf": RULE_HF, "id": RULE_ID, "alias": RULE_ALIAS, "name": RULE_NAME}

#: kind of thing -> (curated kind, IRI maker, the curated field naming its developers). A facility has none: feeds
#: name its owner, the curated record its operator, and the two differ by design (EuroHPC JU owns LUMI, CSC runs it).
KINDS: dict[str, tuple[str, Callable[[str], URIRef], str | None]] = {
    "models": ("models", iri.model_iri, "developers"),
    "datasets": ("datasets", iri.dataset_iri, "curated_by"),
    "facilities": ("compute", iri.facility_iri, None),
}


@dataclass(frozen=True)
class Identified:
    """Which node a record describes: its source's own (``rule`` None) or a shared one, joined by ``rule`` on
    ``key`` (the repository id, alias or name as the record wrote it); ``target`` names the shared entity."""

    node: URIRef
    curated: bool
    rule: str | None = None
    key: str = ""
    target: str = ""


@dataclass(frozen=True)
class Refusal:
    """A match the evidence did not allow: kept apart, listed for review."""

    name: str
    target: str
    reason: str

    def text(self, where: str) -> str:
        return f"{where}: {self.name!r} not joined to {self.target}: {self.reason}"


def shared_target(kind: str, key: str, *, curated: bool) -> str:
    """How a merge names the entity a record joined.

    >>> shared_target("models", "mistralai/mistral-7b-v0.1", curated=True), shared_target("models", "a/B", curated=False)
    ('curated model mistralai/mistral-7b-v0.1', 'Hugging Face repository a/B')
    """
    return f"curated {_SINGULAR[kind]} {key}" if curated else f"Hugging Face repository {key}"


_SINGULAR = {"models": "model", "datasets": "dataset", "facilities": "facility"}


# -- developers --------------------------------------------------------------------------------------------------
@cache
def _curated_developers(kind: str) -> dict[str, frozenset[str]]:
    curated_kind, _make, field = KINDS[kind]
    out = {}
    for record in records(curated_kind) if field else ():
        value = record.get(field) or []
        out[record["id"]] = frozenset([value] if isinstance(value, str) else value)
    return out


def curated_developers(kind: str, target: str) -> frozenset[str]:
    return _curated_developers(kind).get(target, frozenset())


@cache
def _related() -> dict[str, frozenset[str]]:
    """Organisation id -> itself, its members, the consortia it belongs to, its controllers and what it controls."""
    related: dict[str, set[str]] = defaultdict(set)
    for org in records("organisations"):
        related[org["id"]].add(org["id"])
        for other in [*(org.get("members") or []), *(c["org"] for c in org.get("controlled_by") or [])]:
            related[org["id"]].add(other)
            related[other].update({other, org["id"]})
    return {key: frozenset(value) for key, value in related.items()}


def developers_agree(stated: frozenset[str], kind: str, target: str, *, theirs: frozenset[str] | None = None
                     ) -> str:
    """``same`` when a stated developer is one of the target's (or a member, consortium, controller or subsidiary
    of one), ``conflict`` when both sides name developers and none is shared, ``unknown`` when a side names none.
    ``theirs`` gives the target's developers when it is not a curated record (a Hub repository's owner)."""
    theirs = curated_developers(kind, target) if theirs is None else theirs
    if not stated or not theirs:
        return "unknown"
    related = _related()
    near = set().union(*(related.get(org, {org}) for org in stated))
    return "same" if near & theirs else "conflict"


# -- names within one feed ----------------------------------------------------------------------------------------
class FeedNames:
    """The names one feed uses for one kind of thing, to tell which of them differ only in case.

    >>> names = FeedNames(["GPT-J", "gpt-j", "Mistral Large", "Mistral-Large"])
    >>> names.clashes("GPT-J"), names.clashes("Mistral Large")
    (True, False)
    """

    def __init__(self, names: Iterable[str]):
        signatures: dict[str, set[str]] = defaultdict(set)
        for name in names:
            signatures[name_key(name_form(name))].add(case_signature(name_form(name)))
        self._clashing = {key for key, found in signatures.items() if len(found) > 1}

    def clashes(self, name: str) -> bool:
        """Another name of the feed has the same letters in another case."""
        return name_key(name_form(name)) in self._clashing


def identify(kind: str, name: str, *, source_id: str, stated: frozenset[str], developer: str | None,
             names: FeedNames, hub: str | None = None, refusals: list[Refusal]) -> Identified:
    """The node a record named ``name`` describes. ``stated``: the curated ids of the developers it names;
    ``developer``: the key of its first developer; ``hub``: the Hugging Face repository id the record links as
    its own. Refused matches are appended to ``refusals``."""
    if hub:
        joined = _by_hub(kind, name, hub, stated, refusals)
        if joined:
            return joined
    _curated_kind, make, _field = KINDS[kind]
    found = aliases(kind).lookup(name, exact_case=names.clashes(name))
    if found:
        agreement = developers_agree(stated, kind, found.target)
        curated_names = [found.target, *found.written]
        if found.how in ("alias", "name") and sizes_conflict(name, *curated_names):
            refusals.append(Refusal(name, found.target, "the name states another size"))
        elif agreement == "conflict":
            refusals.append(Refusal(name, found.target, "the developers conflict"))
        elif found.how == "name" and agreement == "unknown" and curated_developers(kind, found.target):
            refusals.append(Refusal(name, found.target, "a curated record of this name, but the record names none "
                                                        "of its developers"))
        else:
            rule = RULE_CURATED_NAME if found.how == "name" and agreement != "same" else _RULE_OF_ROUTE[found.how]
            return Identified(make(found.target), True, rule, name, shared_target(kind, found.target, curated=True))
    return Identified(scoped(make, source_id, name, developer=developer, cased=names.clashes(name)), False,
                      key=name)


def _by_hub(kind: str, name: str, repo: str, stated: frozenset[str], refusals: list[Refusal]) -> Identified | None:
    _curated_kind, make, _field = KINDS[kind]
    curated = aliases(kind).resolve(repo)
    owner = org_id(None, hf_org=repo.split("/")[0]) if "/" in repo else None
    agreement = developers_agree(stated, kind, curated or repo,
                                 theirs=None if curated else frozenset({owner} if owner else ()))
    if sizes_conflict(name, repo):
        refusals.append(Refusal(name, repo, "the name states another size"))
    elif agreement == "conflict":
        refusals.append(Refusal(name, repo, "the developers conflict"))
    else:
        return Identified(make(curated or repo), curated is not None, RULE_HF, repo,
                          shared_target(kind, curated or repo, curated=curated is not None))
    return None


def refer(kind: str, name: str, *, names: FeedNames) -> str | None:
    """The curated id a name *mentioned* by a record (a base model, a dependency) stands for: a reviewed alias, a
    curated name or id, in the case the feed writes it when the feed has case variants, and never another size."""
    found = aliases(kind).lookup(name, exact_case=names.clashes(name))
    if not found or (found.how in ("alias", "name") and sizes_conflict(name, found.target, *found.written)):
        return None
    return found.target


# -- references by name between records of one feed --------------------------------------------------------------
class FeedIndex:
    """The records of one feed by name, so that a name in another record (a base model, a dependency) finds the
    record it means: the exact name first, else the one name it matches in any case (several such names, which
    differ only in case, are ambiguous); of several records of that name, the one by the same developer, else
    none (ambiguous).

    >>> index = FeedIndex()
    >>> index.add("Nimbus", developer="a", node=URIRef("urn:1"), kind="model")
    >>> index.add("Nimbus", developer="b", node=URIRef("urn:2"), kind="model")
    >>> index.add("GPT-J", developer="a", node=URIRef("urn:3"), kind="model")
    >>> index.add("gpt-j", developer="a", node=URIRef("urn:4"), kind="model")
    >>> index.find("nimbus", developer="b"), index.find("Nimbus"), index.find("Gpt-J"), index.find("gpt-j")
    ((rdflib.term.URIRef('urn:2'), 'model'), 'ambiguous', 'ambiguous', (rdflib.term.URIRef('urn:4'), 'model'))
    """

    def __init__(self) -> None:
        self._by_form: dict[str, list[tuple[str | None, URIRef, str]]] = defaultdict(list)
        self._forms_by_fold: dict[str, set[str]] = defaultdict(set)

    def add(self, name: str, *, developer: str | None, node: URIRef, kind: str) -> None:
        form = name_form(name)
        if (developer, node, kind) not in self._by_form[form]:
            self._by_form[form].append((developer, node, kind))
        self._forms_by_fold[fold(form)].add(form)

    def find(self, name: str, *, developer: str | None = None) -> tuple[URIRef, str] | str | None:
        """``(node, kind)``, None when no record has the name, or the text ``"ambiguous"``."""
        form = name_form(name)
        found = self._by_form.get(form)
        if not found:
            forms = self._forms_by_fold.get(fold(form), set())
            if len(forms) > 1:
                return "ambiguous"
            found = self._by_form[next(iter(forms))] if forms else None
        if not found:
            return None
        nodes = {(node, kind) for _dev, node, kind in found}
        if len(nodes) == 1:
            return next(iter(nodes))
        mine = {(node, kind) for dev, node, kind in found if developer and dev == developer}
        return next(iter(mine)) if len(mine) == 1 else "ambiguous"


def note_refusals(report: Report, refused: list[str], *, itemised: int = 20) -> None:
    """Matches the evidence did not allow, as notes for review (the first ``itemised``, then a count)."""
    for text in refused[:itemised]:
        report.note(f"kept apart: {text}")
    if len(refused) > itemised:
        report.note(f"kept apart: {len(refused) - itemised} more matches the evidence did not allow")
