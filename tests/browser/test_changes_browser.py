"""The Changes page in a real browser: between the shipped graph and the shipped graph plus one recorded feed it
shows the figures and the rows ``euaigraph diff`` gives, links each changed saved question, downloads the whole
comparison as JSON, and nothing leaves 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from browser_support import SCREENSHOTS, open_page, watch

from euaigraph.graph import diff, versions
from euaigraph.graph.query.worker import StoreRef

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_changes_page_shows_the_diff_of_a_recorded_feed(page, two_versions_explorer, two_versions_home):
    seen = watch(page)
    page.set_viewport_size({"width": 1400, "height": 2600})
    open_page(page, f"{two_versions_explorer.url}/changes", "Changes", timeout_ms=240_000)
    page.locator("[data-testid=stMetricValue]").first.wait_for(timeout=240_000)
    ref = StoreRef(home=str(two_versions_home))
    with versions.opened("previous", ref=ref) as before, versions.opened("current", ref=ref) as after:
        expected = diff.compare(before, after)
    counts = expected.counts()
    values = page.locator("[data-testid=stMetricValue]").all_inner_texts()
    assert values == [str(counts["sources"]), f"+{counts['entities_added']} / -{counts['entities_removed']}",
                      f"+{counts['facts_added']} / -{counts['facts_removed']}",
                      f"{counts['questions_changed']} of {counts['questions']}"]
    body = page.locator("[data-testid=stMain]").inner_text()
    feed = next(s for s in expected.sources if s.source == "huggingface")
    assert f"huggingface (+{feed.added} -{feed.removed})" in body
    for question in (q for q in expected.questions if q.changed):
        assert f"{question.name}: +{len(question.added)} / -{len(question.removed)} rows" in body
    assert not page.locator("[data-testid=stException]").count()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "changes-after-a-feed.png"))
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the whole comparison (JSON)").click()
    report = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert report["counts"] == counts and report["after"]["version"] == expected.after.version
    assert not seen.errors and not seen.outside, (seen.errors, seen.outside)
