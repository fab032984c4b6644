"""The Changes page (Streamlit's AppTest): on the shipped graph plus one recorded feed it shows, by default, what the
feed changed since the previous version, with the figures of ``euaigraph diff``; on a store with one version it says
there is nothing to compare yet."""

from __future__ import annotations

import pytest
from explorer_support import texts

from euaigraph.graph import diff, versions
from euaigraph.graph.query.worker import StoreRef

pytestmark = pytest.mark.slow


def test_the_changes_page_shows_what_the_feed_changed(open_page, two_versions_home):
    at = open_page(two_versions_home, "views/changes.py")
    assert not at.exception, [e.value for e in at.exception]
    ref = StoreRef(home=str(two_versions_home))
    with versions.opened("previous", ref=ref) as before, versions.opened("current", ref=ref) as after:
        expected = diff.compare(before, after, questions=False).counts()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Sources changed"] == str(expected["sources"])
    assert metrics["Entities added / removed"] == f"+{expected['entities_added']} / -{expected['entities_removed']}"
    assert metrics["Facts added / removed"] == f"+{expected['facts_added']} / -{expected['facts_removed']}"
    assert {"Sources", "Entities added and removed", "Saved questions: rows added and removed"} <= \
           set(texts(at, "subheader"))
    sources = at.dataframe[0].value
    assert set(sources["source"]) == {"huggingface", "derived"}
    assert any(e.label.startswith("overview/counts-by-kind: +") for e in at.expander)


def test_with_one_version_there_is_nothing_to_compare(open_page, shipped_home):
    at = open_page(shipped_home, "views/changes.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any("Choose two different versions" in i for i in texts(at, "info"))

