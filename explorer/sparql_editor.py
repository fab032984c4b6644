"""The SPARQL editor: a text area that runs on Ctrl+Enter, the queries of this session in a history to go back to,
and the words it can complete (the project's prefixes, classes and properties, :func:`completions`), listed beside
it. (The ``streamlit-code-editor`` component was tried for highlighting and completion: its script asks
fonts.googleapis.com for a font, which the explorer's rule of no outside request forbids.)

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
from rdflib import RDF, RDFS, URIRef

from euaigraph.ontology import reference
from euaigraph.ontology.namespaces import EAI_NS, PREFIXES

HISTORY = "sparql-history"
HISTORY_SIZE = 20
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
    # A new key when the text comes from outside (a link, the history), so the area shows that text.
    key = "sparql-" + hashlib.sha256(current.encode()).hexdigest()[:12]
    text = st.text_area("SPARQL", value=current, key=key, height=260,
                        help="Ctrl+Enter runs the query. The project's prefixes are declared for you.")
    with st.expander("Prefixes, classes and properties you can use"):
        st.code("\n".join(f"{w['value'] if w['meta'] == 'prefix' else w['caption']:<48} # {w['meta']}"
                           for w in completions()), language="sparql")
    _remember(text)
    return text


__all__ = ["completions", "edit"]
