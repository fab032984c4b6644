"""The Sources page's coverage panel shows the report of ``euaigraph coverage`` (one computation, shown twice, equal)
and, for a chosen kind and property, exactly the entities that lack it, as links to their pages."""

from __future__ import annotations

import pytest
from explorer_support import texts

from euaigraph.graph.coverage import coverage_of, gaps
from euaigraph.graph.store.embedded import EmbeddedStore

pytestmark = pytest.mark.slow


def _coverage_frame(at):
    return next(f.value for f in at.dataframe if list(f.value.columns) == ["kind", "total", "property", "have it",
                                                                           "share %"])


def test_the_panel_shows_the_report_of_the_command(open_page, shipped_home):
    at = open_page(shipped_home, "views/sources.py")
    assert not at.exception
    with EmbeddedStore(shipped_home) as store:
        report = coverage_of(store)
    shown = {(r["kind"], r["property"]): (r["total"], r["have it"]) for _, r in _coverage_frame(at).iterrows()}
    assert shown == {(k.kind, prop): (k.total, count) for k in report.kinds for prop, count in k.counts}
    assert any(f"licence class unknown: {report.unknown_licence_class} ({report.unknown_share:.1f} %)" in t
               for t in texts(at, "text"))


def _selectbox(at, label: str):
    return next(s for s in at.selectbox if s.label == label)


def test_the_entities_lacking_a_property_are_listed_with_links(open_page, shipped_home):
    at = open_page(shipped_home, "views/sources.py")
    _selectbox(at, "Which entities lack a property: kind").set_value("european models").run()
    _selectbox(at, "Property").set_value("release date").run()
    assert not at.exception
    # the first kind is the default and leaves the URL clean; the property chosen is kept in it
    assert "gap_kind" not in at.query_params and at.query_params["gap_prop"] == "release date"
    with EmbeddedStore(shipped_home) as store:
        expected = gaps(store, kind="european models", prop="release date")
    frame = next(f.value for f in at.dataframe if list(f.value.columns) == ["entity", "label"])
    assert list(frame["label"]) == [label for _, label in expected]
    assert all(url.startswith("entity?iri=") for url in frame["entity"])
    assert any(c.startswith(f"{len(expected)} of ") for c in texts(at, "caption"))


def test_a_link_reopens_the_same_gap_and_the_count_is_the_report_s(open_page, shipped_home):
    """The kind and property are kept in the URL; the caption's count is the report's (total minus "have it"),
    whatever the page lists."""
    at = open_page(shipped_home, "views/sources.py", gap_kind="all models", gap_prop="languages")
    assert not at.exception
    with EmbeddedStore(shipped_home) as store:
        every = coverage_of(store).kind("all models")
    lacking = every.total - dict(every.counts)["languages"]
    assert _selectbox(at, "Property").value == "languages"
    assert any(c.startswith(f"{lacking} of {every.total} all models without languages") for c in texts(at, "caption"))


def test_gaps_refuse_an_unknown_kind_or_property(shipped_home):
    with EmbeddedStore(shipped_home) as store:
        with pytest.raises(KeyError, match="the kinds are"):
            gaps(store, kind="spaceships", prop="licence")
        with pytest.raises(KeyError, match="its properties are"):
            gaps(store, kind="european models", prop="colour")
        report = coverage_of(store)
        for kind in report.kinds:  # every cell of the report: total - have it = how many lack it
            for prop, count in kind.counts:
                assert len(gaps(store, kind=kind.kind, prop=prop)) == kind.total - count, (kind, prop)
        with pytest.raises(KeyError, match="is not one of"):
            gaps(store, kind="european models", prop="licence", bloc="horizon")
        with pytest.raises(KeyError, match="is not one of"):
            coverage_of(store, bloc="nonsense")
