"""What ``euaigraph diff`` says agrees with asking each version directly: the shipped graph against the shipped graph
plus one recorded feed. Every saved question's answer after the change is its answer before, minus the rows the diff
says were removed, plus those it says were added (rows compared as the diff compares them: a list of URLs as a
set); the entities added per kind are what ``overview/counts-by-kind`` counts on each side; the triples added and
removed per source are what ``overview/facts-by-source`` records."""

from __future__ import annotations

from collections import Counter

import pytest

from euaigraph.graph import diff, versions
from euaigraph.graph.query.run import run_saved
from euaigraph.graph.query.saved import catalogue
from euaigraph.graph.query.worker import QueryWorkers, StoreRef


@pytest.fixture(scope="module")
def compared(two_versions_home):
    """The diff, and every saved question answered afresh on each side (no kept answers)."""
    ref = StoreRef(home=str(two_versions_home))
    with versions.opened("previous", ref=ref) as before, versions.opened("current", ref=ref) as after:
        result = diff.compare(before, after)
        answers = {}
        with QueryWorkers(before.ref, size=1) as old, QueryWorkers(after.ref, size=1) as new:
            for name, saved in catalogue().items():
                answers[name] = (run_saved(old, saved, timeout_s=120), run_saved(new, saved, timeout_s=120))
    return result, answers


def test_every_answer_after_is_the_answer_before_with_the_rows_the_diff_lists(compared):
    result, answers = compared
    assert {q.name for q in result.questions} == set(answers)
    changed = 0
    for question in result.questions:
        assert not question.error, (question.name, question.error)
        before, after = (Counter(diff.row_key(r) for r in a.rows) for a in answers[question.name])
        removed, added = (Counter(diff.row_key(r) for r in rows) for rows in (question.removed, question.added))
        assert before - removed + added == after, question.name
        changed += question.changed
    assert changed >= 5  # a new feed changes many answers


def test_entities_added_per_kind_are_what_counts_by_kind_counts(compared):
    result, answers = compared
    before, after = ({str(r["kind"]): int(r["entities"].toPython()) for r in a.records()}
                     for a in answers["overview/counts-by-kind"])
    by_diff = Counter()
    for entity in result.entities:
        by_diff[entity.kind] += 1 if entity.change == diff.ADDED else -1
    assert {k: after.get(k, 0) - before.get(k, 0) for k in set(before) | set(after)
            if after.get(k, 0) != before.get(k, 0)} == {k: v for k, v in by_diff.items() if v}


def test_triples_added_and_removed_per_source_are_what_the_meta_graph_records(compared):
    result, answers = compared
    before, after = ({str(r["source"]).rsplit("/", 1)[-1]: int(r["triples"].toPython()) for r in a.records()}
                     for a in answers["overview/facts-by-source"])
    assert result.sources
    for change in result.sources:
        assert after.get(change.source, 0) - before.get(change.source, 0) == change.added - change.removed, change
    listed = Counter(f.source for f in result.facts if f.change == diff.ADDED)
    feed = next(s for s in result.sources if s.source == "huggingface")
    assert listed["huggingface"] + result.unlisted.get("records", 0) >= feed.added  # records counted, not listed
