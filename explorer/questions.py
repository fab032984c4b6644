"""The parts of the Questions page: finding a saved question, its parameters as widgets, running it (or an
edited version of it) and the free SPARQL editor. Every query goes through :meth:`Context.run` (guarded,
time-limited, row-capped, cached per data version)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import streamlit as st

from euaigraph.graph import QueryRefused, headlines, with_prefixes
from euaigraph.graph import Param, SavedQuery, SavedQueryError

from . import components, precomputed, results, sparql_editor
from .state import Context

EXAMPLE = "SELECT ?model ?label WHERE {\n  ?model a eai:AIModel ; rdfs:label ?label .\n}\nORDER BY ?label\nLIMIT 50"


def _matches(saved: SavedQuery, text: str, tags: list[str]) -> bool:
    haystack = " ".join([saved.name, saved.summary, saved.description, *saved.tags]).lower()
    return all(word in haystack for word in text.lower().split()) and all(t in saved.tags for t in tags)


def catalogue_picker(known: Mapping[str, SavedQuery]) -> SavedQuery | None:
    """Search and tag filters, then the list of matching questions; the choice is kept in the URL (``?q=``)."""
    a, b = st.columns([2, 1])
    text = a.text_input("Search the questions", key="search", bind="query-params",
                        placeholder="words from the summary, description or tags")
    tags = b.multiselect("Tags", sorted({t for q in known.values() for t in q.tags}), key="tag", bind="query-params")
    matching = {name: q for name, q in known.items() if _matches(q, text, tags)}
    current = st.query_params.get("q")
    if current in known and current not in matching:
        matching[current] = known[current]
    st.caption(f"{len(matching)} of {len(known)} questions")
    options = {name: f"{q.summary}  ·  {name}" for name, q in matching.items()}
    chosen = components.choose_iri("Question", options, param="q")
    previous = st.session_state.get("_question")
    if previous is not None and previous != chosen:  # an edit belongs to the question it was made in
        st.query_params.pop("edit", None)
    st.session_state["_question"] = chosen
    if chosen is None and matching:
        _catalogue_table(matching)
    return known.get(chosen or "")


def _catalogue_table(matching: Mapping[str, SavedQuery]) -> None:
    """The matching questions as a table; selecting a row opens that question."""
    names = list(matching)
    table = pd.DataFrame([{"question": q.summary, "name": n, "tags": ", ".join(q.tags), "view": q.view,
                           "parameters": ", ".join(p.name for p in q.params)} for n, q in matching.items()])
    event = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                         key="catalogue")
    rows = event.selection.rows if event is not None else []
    if rows:
        st.session_state.pop("catalogue", None)
        st.query_params["q"] = names[rows[0]]
        st.rerun()


def _widget(param: Param, key: str):
    """One parameter as a widget bound to the URL (``?p_<name>=``)."""
    label = components.plain(param.label or param.name)
    help_text = components.plain(param.description) if param.description else None
    default = param.default
    if param.choices:
        options = list(param.choices)
        index = options.index(default) if default in options else 0
        return st.selectbox(label, options, index=index, key=key, bind="query-params", help=help_text)
    if param.type == "boolean":
        return st.checkbox(label, value=str(default).lower() == "true", key=key, bind="query-params",
                           help=help_text)
    if param.type == "integer":
        return st.number_input(label, value=int(default or 0), step=1, key=key, bind="query-params",
                               help=help_text)
    if param.type == "date":
        value = date.fromisoformat(str(default)[:10]) if default and default != "today" else date.today()
        return st.date_input(label, value=value, key=key, bind="query-params", help=help_text).isoformat()
    return st.text_input(label, value="" if default is None else str(default), key=key, bind="query-params",
                         help=help_text or f"a {param.type}")


def neighbours(saved: SavedQuery, known: Mapping[str, SavedQuery], *, count: int = 2) -> list[SavedQuery]:
    """The questions closest to ``saved``: most tags in common, then the same theme, then the name."""
    def closeness(other: SavedQuery) -> tuple[int, int, str]:
        return -len(set(other.tags) & set(saved.tags)), other.theme != saved.theme, other.name

    return sorted((q for q in known.values() if q.name != saved.name), key=closeness)[:count]


def _suggest(saved: SavedQuery, known: Mapping[str, SavedQuery]) -> None:
    st.markdown("Questions close to this one:")
    for other in neighbours(saved, known):
        st.page_link("views/questions.py", label=components.plain(other.summary), icon=":material/quiz:",
                     query_params={"q": other.name})


def check_params(saved: SavedQuery) -> None:
    """A parameter value in the link that this question cannot take is replaced by the default, with a warning
    that shows the value it replaced."""
    for param in saved.params:
        given = st.query_params.get(f"p_{param.name}")
        if given is None:
            continue
        try:
            param.term(given, query=saved.name)
        except SavedQueryError as exc:
            st.query_params.pop(f"p_{param.name}", None)
            st.session_state.pop(f"p_{param.name}", None)
            components.replaced(f"p_{param.name}", given, str(param.default), str(exc))


def saved_question(ctx: Context, saved: SavedQuery, known: Mapping[str, SavedQuery]) -> None:
    st.subheader(components.plain(saved.summary))
    if saved.description:
        st.markdown(components.plain(saved.description))
    st.caption(f"Tags: {components.plain(', '.join(saved.tags) or 'none')} · question {components.plain(saved.name)}")
    st.caption("Words in the [glossary](/glossary)")  # our own link, kept apart from the question's text
    check_params(saved)
    values = {}
    if saved.params:
        columns = st.columns(min(len(saved.params), 3))
        for n, param in enumerate(saved.params):
            with columns[n % len(columns)]:
                values[param.name] = _widget(param, f"p_{param.name}")
    original = with_prefixes(saved.body)
    edited = st.query_params.get("edit")
    with st.expander("The SPARQL and the formal rule behind this question (editable; parameters are bound as typed "
                     "values, never pasted in)", expanded=edited is not None):
        text = st.text_area("SPARQL", value=edited or original, key=f"sparql::{saved.name}", height=320,
                            label_visibility="collapsed")
    if text.strip() != original.strip():  # an edited question is part of what the link must reproduce
        st.query_params["edit"] = text
        st.info("Running your edited version of this question.")
    else:
        st.query_params.pop("edit", None)
    try:
        with st.spinner("Running the question…"):
            result = ctx.run(text, saved.terms(values))
    except components.ERRORS as exc:
        components.show_error(exc, text=text)
        return
    results.show_result(ctx, result, key="saved", stem=saved.name.replace("/", "-"), title=saved.summary,
                        view=saved.view, x=saved.x, y=saved.y, columns=saved.columns,
                        when_empty=lambda: _suggest(saved, known))
    bloc = headlines.depends_on_jurisdiction(saved.params)
    if bloc:  # every answer that depends on jurisdiction says how many models were of unknown jurisdiction
        st.caption(headlines.jurisdiction_note(lambda q, p: precomputed.answer(ctx, q, p), str(values[bloc])))


def _relocated(exc: Exception, shown: str, ran: str) -> Exception:
    """Syntax error positions refer to the text that ran (with the prefixes); move them to the text the analyst
    typed, so the line and column point at what they see."""
    line = getattr(exc, "line", None)
    if not line:
        return exc
    moved = max(1, line - (ran.count("\n") - shown.count("\n")))
    message = str(exc).replace(f"at line {line},", f"at line {moved},", 1)
    return QueryRefused(message, line=moved, column=exc.column)


def editor(ctx: Context) -> None:
    st.caption("Any SELECT, ASK, CONSTRUCT or DESCRIBE query. The project's prefixes (eai:, id:, rdfs:, skos:, "
               "country:, lang:…) are filled in for you; updates, SERVICE and outside graphs are refused. "
               "Ctrl+Enter runs it.")
    text = sparql_editor.edit(st.query_params.get("query") or EXAMPLE)
    if text != st.query_params.get("query"):
        st.query_params["query"] = text
    full = with_prefixes(text)
    with st.expander("The query as it runs, with the prefixes"):
        st.code(full, language="sparql")
    try:
        with st.spinner("Running the query…"):
            result = ctx.run(full)
    except components.ERRORS as exc:
        components.show_error(_relocated(exc, text, full), text=text)
        return
    results.show_result(ctx, result, key="editor", stem="query", title="SPARQL query", view="table",
                        choose_chart=True)
