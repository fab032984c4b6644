"""Every number the Overview shows equals what the saved questions it links to answer, re-derived here from a fresh
run of those questions by code independent of graph/headlines.py, on the shipped graph and on the graph with
every recorded feed. A headline that drifts from its question (shown below by breaking one on purpose) fails."""

from __future__ import annotations

import dataclasses

import pytest

from euaigraph.graph import headlines
from euaigraph.graph.query.run import run_query, with_prefixes
from euaigraph.graph.query.worker import QueryWorkers, StoreRef

from queries.fixture_store import build_fixture_store


def _number(term) -> float:
    return float(term.toPython())


def rederive(finding: headlines.Finding, answer) -> dict[str, float | int | None]:
    """The figures of a headline, worked out again from its linked questions' answers."""
    first = finding.links[0]
    rows = answer(first.question, first.params).records()
    if finding.key == "foreign-ancestors":
        by_standing = {str(r["standing"]): int(_number(r["models"]))
                       for r in answer("sovereignty/jurisdiction-known", first.params).records()}
        return {"models": len({str(r["model"]) for r in rows}), "european": by_standing.get("inside", 0),
                "seat_unknown": by_standing.get("unknown", 0)}
    if finding.key == "provider-hhi":
        counts = [_number(r["models"]) for r in rows]
        total = sum(counts)
        return {"hhi": sum((100 * c / total) ** 2 for c in counts) if total else None, "developers": len(rows)}
    if finding.key == "thin-languages":
        threshold = int(first.params["threshold"])
        coverage = answer("languages/language-coverage", {"bloc": first.params["bloc"]}).records()
        return {"thin": sum(1 for r in coverage if _number(r["controlledOpenModels"]) < threshold),
                "languages": len(coverage)}
    raise AssertionError(f"no independent check for headline {finding.key!r}: write one")


def mismatches(finding: headlines.Finding, answer) -> list[str]:
    expected = rederive(finding, answer)
    out = []
    for name, value in expected.items():
        shown = finding.figures.get(name)
        if shown != pytest.approx(value):
            out.append(f"{finding.key}: {name} shown as {shown}, its linked question says {value}")
    return out


def test_every_headline_has_an_independent_check():
    assert {h.key for h in headlines.HEADLINES} == {"foreign-ancestors", "provider-hhi", "thin-languages"}


@pytest.mark.parametrize("bloc", ["eu", "eea"])
def test_every_headline_equals_its_linked_questions(graph_home, answer_on, bloc):
    answer = answer_on(graph_home)
    findings = headlines.findings(answer, bloc=bloc)
    assert findings
    problems = [m for f in findings for m in mismatches(f, answer)]
    assert not problems, problems
    # The explanation quotes the unknowns, as every jurisdiction answer must.
    assert "have no known seat" in findings[0].detail


@pytest.fixture(scope="module")
def fixture_answer(tmp_path_factory, answer_on):
    return answer_on(build_fixture_store(tmp_path_factory.mktemp("consistency-fixture")))


def test_a_headline_that_drifts_from_its_question_fails(fixture_answer):
    finding = headlines.findings(fixture_answer)[0]
    assert not mismatches(finding, fixture_answer)
    off_by_one = dataclasses.replace(finding, figures={**finding.figures, "models": finding.figures["models"] + 1})
    assert mismatches(off_by_one, fixture_answer) == [
        f"foreign-ancestors: models shown as {finding.figures['models'] + 1}, its linked question says "
        f"{finding.figures['models']}"]


def test_a_rule_written_a_second_time_is_caught(fixture_answer, tmp_path_factory):
    """A headline that counted "European" with a rule of its own (the provider's own seat, as the first version
    did) disagrees with its question on the fixture: Llama 3 NL's provider is a person affiliated with a Dutch
    university, European under the one rule and invisible to the second."""
    finding = headlines.findings(fixture_answer)[0]
    home = build_fixture_store(tmp_path_factory.mktemp("second-rule"))
    second_rule = with_prefixes("""SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {
      ?m a eai:AIModel ; eai:providedBy ?p . ?p eai:preferredJurisdiction ?c . ?c eai:inBlocToday ?bloc
      VALUES ?bloc { <https://w3id.org/euaigraph/id/bloc/eu> } }""")
    with QueryWorkers(StoreRef(home=str(home)), size=1) as workers:
        inside_by_provider = int(run_query(workers, second_rule).rows[0][0])
    drifted = dataclasses.replace(finding, figures={**finding.figures, "european": inside_by_provider})
    assert inside_by_provider != finding.figures["european"]
    assert any("european shown as" in m for m in mismatches(drifted, fixture_answer))
