"""The free SPARQL editor on the Questions page (AppTest): what the CodeMirror editor sends with Ctrl+Enter runs and
becomes the link's query, text it should never send (too long, not a string) is ignored, and without the editor's
bundle the page keeps the plain text area and says so in a caption."""

from __future__ import annotations

import pytest
from explorer_support import texts

from euaigraph.explorer import sparql_editor
from euaigraph.graph import MAX_QUERY_CHARS

LINK = "SELECT ?m WHERE { ?m a eai:AIModel } LIMIT 7"


def editor_key(at) -> str:
    """The key of the editor on the page: the one it was opened with."""
    return at.session_state[sparql_editor.OWN][0]


@pytest.fixture
def bundle(tmp_path, monkeypatch):
    """A bundle of the editor in a folder of its own: a module that draws nothing (the browser tests run the real
    one); the page's Python is the same whichever bundle it loads."""
    folder = tmp_path / "dist"
    folder.mkdir()
    (folder / "editor.js").write_text("export default function () {}\n", encoding="utf-8")
    (folder / "editor.css").write_text(".euaigraph-sparql { height: 1px; }\n", encoding="utf-8")
    monkeypatch.setattr(sparql_editor, "BUNDLE", folder)
    sparql_editor._component.cache_clear()
    yield folder
    sparql_editor._component.cache_clear()


def test_the_text_sent_with_ctrl_enter_runs_and_becomes_the_links_query(open_page, shipped_home, bundle):
    at = open_page(shipped_home, "views/questions.py", mode="SPARQL editor", query=LINK)
    assert sparql_editor.MISSING not in texts(at, "caption")
    assert not at.text_area  # the editor is the component, not the text area
    assert len(at.dataframe[0].value) == 7
    key = editor_key(at)
    sent = "SELECT ?m WHERE { ?m a eai:AIModel } LIMIT 3"
    at.session_state[key] = {"query": sent}  # what the editor's setStateValue delivers
    at.run()
    assert not at.exception and not texts(at, "error")
    assert at.query_params["query"] == sent
    assert len(at.dataframe[0].value) == 3
    at.run()
    assert at.session_state[sparql_editor.OWN] == (key, sent)  # the same editor goes on with what it sent

    # The first query again from the history: a new editor opens on it, nothing of the one before kept.
    picker = at.selectbox(key="sparql-history-pick")
    picker.set_value(at.session_state[sparql_editor.HISTORY].index(LINK)).run()
    assert not at.exception and not texts(at, "error")
    assert at.query_params["query"] == LINK
    assert editor_key(at) != key
    assert len(at.dataframe[0].value) == 7


@pytest.mark.parametrize("sent", ["SELECT * WHERE { ?s ?p ?o }" + " " * MAX_QUERY_CHARS, 42, None],
                         ids=["too-long", "number", "none"])
def test_text_the_editor_never_sends_is_ignored(open_page, shipped_home, bundle, sent):
    at = open_page(shipped_home, "views/questions.py", mode="SPARQL editor", query=LINK)
    at.session_state[editor_key(at)] = {"query": sent}
    at.run()
    assert not at.exception and not texts(at, "error")
    assert at.query_params["query"] == LINK
    assert len(at.dataframe[0].value) == 7


def test_without_the_bundle_the_page_keeps_the_text_area_and_says_so(open_page, shipped_home, tmp_path,
                                                                        monkeypatch):
    monkeypatch.setattr(sparql_editor, "BUNDLE", tmp_path / "not-built")
    sparql_editor._component.cache_clear()
    try:
        at = open_page(shipped_home, "views/questions.py", mode="SPARQL editor", query=LINK)
    finally:
        sparql_editor._component.cache_clear()
    assert not at.exception and not texts(at, "error")
    assert texts(at, "caption").count(sparql_editor.MISSING) == 1
    assert [a.label for a in at.text_area] == ["SPARQL"]
    assert at.text_area[0].value == LINK
    assert len(at.dataframe[0].value) == 7
    at.text_area[0].input("SELECT ?m WHERE { ?m a eai:AIModel } LIMIT 2").run()
    assert len(at.dataframe[0].value) == 2
