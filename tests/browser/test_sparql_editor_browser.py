"""The SPARQL editor in a real browser: CodeMirror completes the ontology's words as they are typed, highlights the
query, runs it on Ctrl+Enter, and asks nothing of any host but 127.0.0.1 (its code comes in its own bundle)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from browser_support import SCREENSHOTS, open_page, watch
from editor_support import CONTENT, require_bundle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_editor_completes_highlights_and_runs_on_ctrl_enter_offline(page, shipped_explorer):
    require_bundle()
    seen = watch(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, f"{shipped_explorer.url}/questions?mode=SPARQL+editor", "Questions")
    content = page.locator(CONTENT)
    content.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("SELECT ?m WHERE { ?m a eai:AIM")

    offered = page.locator(".cm-tooltip-autocomplete li .cm-completionLabel")
    offered.first.wait_for(timeout=30_000)
    labels = offered.all_inner_texts()
    assert "eai:AIModel" in labels, labels
    assert all(label.startswith("eai:AI") for label in labels), labels  # only words that fit what was typed
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "task-editor-completion.png"))
    page.locator(".cm-tooltip-autocomplete li").filter(has=page.get_by_text("eai:AIModel", exact=True)).click()
    page.locator(".cm-tooltip-autocomplete").wait_for(state="detached")
    page.keyboard.press("End")
    page.keyboard.type(" LIMIT 5")
    typed = "SELECT ?m WHERE { ?m a eai:AIModel} LIMIT 5"  # the brace was closed as it was opened
    assert content.inner_text() == typed

    keywords = content.locator(".tok-keyword").all_inner_texts()  # the SPARQL mode's tokens, as CodeMirror styles them
    assert {"SELECT", "WHERE", "LIMIT"} <= set(keywords), keywords
    assert "?m" in content.locator(".tok-variableName").all_inner_texts()
    assert content.locator(".tok-atom").all_inner_texts() == ["eai:AIModel"]  # a prefixed name, styled apart

    page.keyboard.press("Control+Enter")
    page.wait_for_function("typed => new URL(location.href).searchParams.get('query') === typed", arg=typed)
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=120_000)
    page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=120_000)
    assert parse_qs(urlparse(page.url).query)["query"] == [typed]  # what ran is what was typed
    page.get_by_text(re.compile(r"^5 rows in ")).wait_for()  # the answer of this query (the example had 50)
    assert page.locator("[data-testid=stAlert]").filter(has_text="Error").count() == 0
    assert content.inner_text() == typed  # the editor kept the text (and its place) through the run
    assert not seen.errors, seen.errors
    assert not seen.outside, seen.outside
