"""Driving the explorer's SPARQL editor in the browser: CodeMirror when its bundle is built (``make setup`` with npm),
else the plain text area the page falls back to."""

from __future__ import annotations

import os

import pytest

from euaigraph.explorer import sparql_editor

#: The editable part of the CodeMirror editor (Playwright's CSS locators reach into the component's shadow root).
CONTENT = ".euaigraph-sparql .cm-content"


def built() -> bool:
    return (sparql_editor.BUNDLE / "editor.js").is_file() and (sparql_editor.BUNDLE / "editor.css").is_file()


def require_bundle() -> None:
    """Fail in CI, skip elsewhere, when the editor's bundle was not built."""
    if built():
        return
    what = (f"the SPARQL editor's bundle is missing from {sparql_editor.BUNDLE}: run `make setup` with npm "
            "installed (apt-get install nodejs npm) to build it")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} (CI=true: this is a failure, not a skip)")
    pytest.skip(what)


def replace_and_run(page, text: str) -> None:
    """Put ``text`` in the editor in place of what it holds, then press Ctrl+Enter."""
    if built():
        content = page.locator(CONTENT)
        content.click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(text)  # as pasted: no brackets closed or completions opened on the way
        page.keyboard.press("Control+Enter")
    else:
        area = page.get_by_label("SPARQL", exact=True)
        area.fill(text)
        area.press("Control+Enter")
