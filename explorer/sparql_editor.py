"""The SPARQL editor: CodeMirror 6 with SPARQL highlighting and completion of the words of :func:`completions` (the
project's prefixes, classes and properties), run on Ctrl+Enter, with the queries of this session in a history to go
back to. The words are also listed beside it.

The editor is a components v2 module built from ``editor/src`` into ``editor/dist`` by ``make setup`` (npm and
esbuild); the bundle holds everything it runs, so the page asks nothing of any other host. (The
``streamlit-code-editor`` component was tried first: its script asks fonts.googleapis.com for a font, which the
explorer's rule of no outside request forbids.) Without the bundle (no npm where the project was set up) the page
keeps a plain text area that also runs on Ctrl+Enter, and says so in a caption.

The text typed comes back as a plain string of at most ``MAX_QUERY_CHARS`` characters (the editor refuses longer
text as it is typed; anything else sent is ignored) and is never shown as HTML or Markdown.

>>> words = completions()
>>> {"caption": "eai:AIModel", "value": "eai:AIModel", "meta": "class: AI model", "score": 900} in words
True
>>> any(w["value"] == "PREFIX id: <https://w3id.org/euaigraph/id/>" for w in words)
True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st
from rdflib import RDF, RDFS, URIRef

from euaigraph.graph import MAX_QUERY_CHARS
from euaigraph.ontology import reference
from euaigraph.ontology.namespaces import EAI_NS, PREFIXES

HISTORY = "sparql-history"
HISTORY_SIZE = 20
OWN = "sparql-editor-own"  # (key, text) of what the editor itself last sent, so that its key stays while typing
OPENED = "sparql-editor-opened"  # how many times the editor was opened on a text from outside
BUNDLE = Path(__file__).resolve().parent / "editor" / "dist"
MISSING = ("The highlighting editor is not built here (it needs npm: run `make setup` with npm installed), so this "
           "is the plain text area.")
_KINDS = {URIRef("http://www.w3.org/2002/07/owl#Class"): ("class", 900),
          URIRef("http://www.w3.org/2002/07/owl#ObjectProperty"): ("property", 800),
          URIRef("http://www.w3.org/2002/07/owl#DatatypeProperty"): ("property", 800)}


@cache
def completions() -> list[dict]:
    """Prefix lines, then every class and property of the ontology as ``eai:Name`` with its English label."""
    out = [{"caption": f"{p}:", "value": f"PREFIX {p}: <{iri}>", "meta": "prefix", "score": 1000}
           for p, iri in PREFIXES.items()]
    graph = reference.ontology()
    for kind, (word, score) in _KINDS.items():
        for term in sorted(set(graph.subjects(RDF.type, kind))):
            if isinstance(term, URIRef) and str(term).startswith(str(EAI_NS)):
                name = f"eai:{str(term)[len(str(EAI_NS)):]}"
                label = next((str(x) for x in graph.objects(term, RDFS.label)), "")
                out.append({"caption": name, "value": name, "meta": f"{word}: {label}" if label else word,
                            "score": score})
    return out


def _remember(text: str) -> None:
    history = [q for q in st.session_state.get(HISTORY, []) if q != text]
    st.session_state[HISTORY] = [text, *history][:HISTORY_SIZE]


@cache
def _component():
    """The editor's component, or None when its bundle was not built."""
    script, style = BUNDLE / "editor.js", BUNDLE / "editor.css"
    if not (script.is_file() and style.is_file()):
        return None
    # Streamlit takes a one-line string for a file path (and a minified bundle is one line): a first comment line
    # keeps each one read as the code itself.
    return st.components.v2.component("euaigraph_sparql_editor",
                                      js="// euaigraph SPARQL editor\n" + script.read_text(encoding="utf-8"),
                                      css="/* euaigraph SPARQL editor */\n" + style.read_text(encoding="utf-8"))


def _key(current: str) -> str:
    """The same key while the text is the editor's own, a key never used before in this session when the text comes
    from outside (a link, the history), so that the editor opens on that text with nothing kept from before."""
    own = st.session_state.get(OWN)
    if own is not None and own[1] == current:
        return own[0]
    opened = st.session_state.get(OPENED, 0) + 1
    st.session_state[OPENED] = opened
    return f"sparql-{opened}"


def _typed(current: str, *, key: str) -> str:
    """The text last sent with Ctrl+Enter from the CodeMirror editor, else ``current``; the plain text area when the
    editor is not built."""
    component = _component()
    if component is None:
        st.caption(MISSING)
        sent = st.text_area("SPARQL", value=current, key=key, height=260,
                            help="Ctrl+Enter runs the query. The project's prefixes are declared for you.")
    else:
        result = component(data={"text": current, "words": completions(), "height": 260, "limit": MAX_QUERY_CHARS,
                                 "label": "SPARQL"},
                           key=key, default={"query": current}, height=264, on_query_change=lambda: None)
        sent = getattr(result, "query", None) if result is not None else None
        if not isinstance(sent, str) or len(sent) > MAX_QUERY_CHARS:
            sent = current
    st.session_state[OWN] = (key, sent)
    return sent


def edit(current: str) -> str:
    """The editor holding ``current``; returns the query to run (what was last submitted, else ``current``)."""
    history = st.session_state.get(HISTORY, [])

    def reopen() -> None:  # the chosen query becomes the link's query; the picker is left empty again
        picked = st.session_state.get("sparql-history-pick")
        if picked is not None:
            st.query_params["query"] = history[picked]
            st.session_state.pop(OWN, None)  # the editor opens afresh on the chosen text
            st.session_state["sparql-history-pick"] = None

    if len(history) > 1:
        st.selectbox("Earlier queries of this session", range(len(history)), index=None, on_change=reopen,
                     format_func=lambda i: " ".join(history[i].split())[:140], key="sparql-history-pick",
                     placeholder=f"{len(history)} queries this session: choose one to open it again…")
        current = st.query_params.get("query") or current
    text = _typed(current, key=_key(current))
    with st.expander("Prefixes, classes and properties you can use"):
        st.code("\n".join(f"{w['value'] if w['meta'] == 'prefix' else w['caption']:<48} # {w['meta']}"
                           for w in completions()), language="sparql")
    _remember(text)
    return text


__all__ = ["completions", "edit"]
