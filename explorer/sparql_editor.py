"""The SPARQL editor: Ace (the ``streamlit-code-editor`` component, whose scripts ship in its wheel, so nothing is
fetched) with SPARQL highlighting, completion of the project's prefixes, classes and properties, a Run button and
Ctrl+Enter, and the queries of this session in a history to go back to.

>>> words = completions()
>>> {"caption": "eai:AIModel", "value": "eai:AIModel", "meta": "class: AI model", "score": 900} in words
True
>>> any(w["value"] == "PREFIX id: <https://w3id.org/euaigraph/id/>" for w in words)
True
"""

from __future__ import annotations

import hashlib
from functools import cache

import streamlit as st
from code_editor import code_editor
from rdflib import RDF, RDFS, URIRef

from euaigraph.ontology import reference
from euaigraph.ontology.namespaces import EAI_NS, PREFIXES

HISTORY = "sparql-history"
HISTORY_SIZE = 20
_KINDS = {URIRef("http://www.w3.org/2002/07/owl#Class"): ("class", 900),
          URIRef("http://www.w3.org/2002/07/owl#ObjectProperty"): ("property", 800),
          URIRef("http://www.w3.org/2002/07/owl#DatatypeProperty"): ("property", 800)}
_RUN = [{"name": "Run (Ctrl+Enter)", "feather": "Play", "primary": True, "hasText": True, "showWithIcon": True,
         "commands": ["submit"], "alwaysOn": True, "style": {"bottom": "0.44rem", "right": "0.4rem"}}]


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


def edit(current: str) -> str:
    """The editor holding ``current``; returns the query to run (what was last submitted, else ``current``)."""
    history = st.session_state.get(HISTORY, [])

    def reopen() -> None:  # the chosen query becomes the link's query; the picker is left empty again
        picked = st.session_state.get("sparql-history-pick")
        if picked is not None:
            st.query_params["query"] = history[picked]
            st.session_state["sparql-history-pick"] = None

    if len(history) > 1:
        st.selectbox("Earlier queries of this session", range(len(history)), index=None, on_change=reopen,
                     format_func=lambda i: " ".join(history[i].split())[:140], key="sparql-history-pick",
                     placeholder=f"{len(history)} queries this session: choose one to open it again…")
        current = st.query_params.get("query") or current
    # A new key when the text comes from outside (a link, the history), so the editor shows that text.
    key = "sparql-" + hashlib.sha256(current.encode()).hexdigest()[:12]
    response = code_editor(current, lang="sparql", theme="default", height=[10, 24], key=key, buttons=_RUN,
                           completions=completions(), focus=False, allow_reset=True,
                           options={"showLineNumbers": True, "enableLiveAutocompletion": True,
                                    "enableBasicAutocompletion": True, "wrap": True},
                           props={"enableLiveAutocompletion": True, "enableBasicAutocompletion": True})
    text = current
    if response and response.get("type") == "submit" and response.get("text", "").strip():
        text = response["text"]
    _remember(text)
    return text


__all__ = ["completions", "edit"]
