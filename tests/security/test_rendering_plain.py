"""Every value from data or from a user is shown as plain text in the explorer (decision 0007): labels, names, a
licence, versions, URLs, messages and errors carrying Markdown, HTML, code spans, links, ``javascript:``, Rich markup,
Streamlit's shortcodes and maths (``hostile_explorer.py``) are rendered on every page with Streamlit's AppTest and
checked element by element with a CommonMark parser: wherever a hostile value is shown, its whole text is shown
and no image, link, HTML, code, heading, list, quote, table or emphasis comes out of it; Streamlit's own syntax
(``:smile:``, ``:red[...]``, ``$...$``) is escaped. A real Chromium then opens the same pages from a running
explorer and checks that nothing was fetched (the recording server on 127.0.0.1 gets no request, no request
leaves 127.0.0.1) and that no image, link, code or emphasis element holds a hostile value.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from . import hostile_explorer as hostile
from .support import Recorder

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "explorer" / "app.py"
MARKER = re.compile(r"HX[0-9]")
#: Tokens that only markup can produce; emphasis is allowed around the project's own words only.
MARKUP = {"image", "link_open", "html_inline", "html_block", "code_inline", "fence", "code_block", "heading_open",
          "blockquote_open", "table_open", "bullet_list_open", "ordered_list_open", "s_open", "hr"}
#: Streamlit's own Markdown syntax, which CommonMark does not know: it must reach Streamlit escaped.
STREAMLIT_SYNTAX = re.compile(r"(?<!\\):[\w+/-]|(?<!\\)\$")
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
PORT_FOR_APPTEST = 9


def _tokens(tokens):
    for token in tokens:
        yield token
        yield from _tokens(token.children or [])


def check_markdown(source: str, values: list[str]) -> list[str]:
    """Problems with one Markdown element's text: each marked value in it must come out whole, as text."""
    problems, text, emphasis = [], [], 0
    for token in _tokens(MARKDOWN.parse(source)):
        if token.type in MARKUP and MARKER.search(source):
            problems.append(f"{token.type} in {source!r}")
        if token.type in ("em_open", "strong_open"):
            emphasis += 1
        elif token.type in ("em_close", "strong_close"):
            emphasis -= 1
        elif token.type == "text":
            if emphasis and MARKER.search(token.content):
                problems.append(f"emphasis around {token.content!r}")
            text.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            text.append(" ")
    shown = "".join(text).replace("\u2060", "")
    for marker in set(MARKER.findall(source)):
        value = next((v for v in values if v.startswith(marker + " ")), None)
        if value is not None and value not in shown:
            problems.append(f"{value!r} not shown whole in {shown!r}")
    if MARKER.search(source) and STREAMLIT_SYNTAX.search(source):
        problems.append(f"Streamlit syntax left unescaped in {source!r}")
    return problems


def markdown_texts(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) of everything on the page that Streamlit reads as Markdown."""
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        kind = type(node).__name__
        if kind in ("Markdown", "Caption", "Title", "Header", "Subheader", "Error", "Warning", "Info", "Success",
                    "Toast", "Exception"):
            found.append((kind, str(node.value)))
        elif kind not in ("Code", "Text", "Json", "Dataframe"):
            proto = getattr(node, "proto", None)
            for field in ("label", "help", "body"):
                value = getattr(proto, field, None) if proto is not None else None
                if isinstance(value, str) and value:
                    found.append((f"{kind}.{field}", value))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-markdown")
    return hostile.build(folder / "store", PORT_FOR_APPTEST), hostile.questions(folder / "queries", PORT_FOR_APPTEST)


def visits(port: int) -> list[tuple[str, dict]]:
    """Pages and URL parameters that bring every hostile value onto a page."""
    values = hostile.values(port)
    return [
        ("views/overview.py", {}),
        ("views/graph.py", {"kind": ["model", "organisation"], "focus": str(hostile.MODELS[0])}),
        ("views/entity.py", {"iri": str(hostile.MODELS[0])}),
        ("views/entity.py", {"iri": str(hostile.ORG)}),
        ("views/entity.py", {"iri": f"https://example.org/{values[1]}"}),
        ("views/dependencies.py", {"model": str(hostile.MODELS[1]), "tab": "Sovereignty profile"}),
        ("views/sources.py", {}),
        ("views/questions.py", {"q": "hostile/markdown"}),
        ("views/questions.py", {"mode": "SPARQL editor", "query": values[0]}),
        ("views/questions.py", {"mode": "SPARQL editor", "query": f"SELECT * WHERE {{ ?s ?p '{values[2]}' . ?x }}"}),
        ("views/export.py", {"scope": "current view", "source": values[3], "country": values[6]}),
    ]


@pytest.mark.slow
def test_every_hostile_value_is_plain_text_on_every_page(home, monkeypatch):
    """Input: every page of the real app on the hostile store, with hostile URL parameters. Expected: no element
    that Streamlit reads as Markdown turns a hostile value into markup, and every marker is shown somewhere."""
    store, queries = home
    monkeypatch.setenv("EUAIGRAPH_HOME", str(store))
    monkeypatch.setenv("EUAIGRAPH_QUERIES", str(queries))
    monkeypatch.delenv("EUAIGRAPH_ENDPOINT", raising=False)
    values = hostile.values(PORT_FOR_APPTEST)
    problems, seen = [], set()
    for page, params in visits(PORT_FOR_APPTEST):
        at = AppTest.from_file(str(APP), default_timeout=180).run()
        at.switch_page(page)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        for kind, text in markdown_texts(at):
            seen.update(MARKER.findall(text))
            problems += [f"{page} {params} {kind}: {p}" for p in check_markdown(text, values)]
        for frame in at.dataframe:  # table cells are plain text: a value shown there is shown, not rendered
            seen.update(MARKER.findall(frame.value.to_csv()))
    assert problems == [], "\n".join(problems)
    assert seen >= {f"HX{n}" for n in range(1, 10)}, f"markers never shown: {sorted(seen)}"


def test_the_check_finds_markup_when_values_are_not_escaped():
    """Control: the same check on the raw values (as a page that forgot :func:`plain` would send them) reports
    markup for each of the first six, and Streamlit syntax for the fifth."""
    values = hostile.values(PORT_FOR_APPTEST)
    for value in values[:6]:
        assert check_markdown(f"Label: {value}", values), value
    assert any("Streamlit syntax" in p for p in check_markdown(values[4], values))


# -- in a real browser ----------------------------------------------------------------------------------------------
CHROMIUM = os.environ.get("EUAIGRAPH_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium not found at {CHROMIUM}")
        pytest.skip(f"chromium not found at {CHROMIUM}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": LAUNCH_ARGS}


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    from browser_support import Explorer

    recorder = Recorder()
    folder = tmp_path_factory.mktemp("hostile-browser")
    port = int(recorder.base.rsplit(":", 1)[1])
    store = hostile.build(folder / "store", port)
    queries = hostile.questions(folder / "queries", port)
    previous = os.environ.get("EUAIGRAPH_QUERIES")
    os.environ["EUAIGRAPH_QUERIES"] = str(queries)
    try:
        explorer = Explorer(store, folder / "explorer.log")
    finally:
        if previous is None:
            os.environ.pop("EUAIGRAPH_QUERIES")
        else:
            os.environ["EUAIGRAPH_QUERIES"] = previous
    yield explorer, recorder, port
    explorer.stop()
    recorder.close()


def _url(base: str, page: str, params: dict) -> str:
    path = "" if page.endswith("overview.py") else Path(page).stem
    return f"{base}/{path}?{urlencode(params, doseq=True, quote_via=quote)}"


@pytest.mark.browser
@pytest.mark.slow
def test_hostile_values_fetch_nothing_and_show_no_markup_in_chromium(page, running):
    """Input: the same visits in Chromium, values naming the recording server. Expected: the recorder gets no
    request, no request leaves 127.0.0.1, no ``img``/``a``/``code``/``em``/``strong`` element of the page's
    Markdown holds a marker, and the hostile summary is shown as text in the question's heading."""
    from browser_support import watch

    explorer, recorder, port = running
    seen = watch(page)
    shown_in_markup: list[str] = []
    for target, params in visits(port):
        page.goto(_url(explorer.url, target, params))
        page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=180_000)
        page.wait_for_timeout(1500)
        for element in page.locator("[data-testid=stMarkdownContainer]").locator(
                "img, a, code, em, strong, del, blockquote, table, li, span.katex").all():
            text = element.inner_text()
            address = element.get_attribute("src") or element.get_attribute("href") or ""
            if MARKER.search(text) or MARKER.search(address):
                shown_in_markup.append(f"{target}: <{element.evaluate('e => e.tagName')}> {text!r}")
        if params.get("q") == "hostile/markdown":
            heading = page.locator("h3").filter(has_text="HX1").first.inner_text().replace("\u2060", "")
            assert heading == hostile.values(port)[0]
    assert shown_in_markup == []
    assert recorder.requests == []
    assert not seen.outside, seen.outside
