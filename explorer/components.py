"""Pieces every page uses: the empty state, errors that say where, result tables with their limits, views and
downloads, choosing an entity with the choice kept in the URL, links to entity pages, and :func:`plain`, the one
way a string from data or from a user goes into anything Streamlit reads as Markdown (decision 0007)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import networkx as nx
import pandas as pd
import streamlit as st
from rdflib import Literal, URIRef

from euaigraph.graph import formats
from euaigraph.graph import ConfigError
from euaigraph.graph import QueryRefused
from euaigraph.graph import SavedQueryError
from euaigraph.graph import QueryCancelled, QueryResult, StoreError
from euaigraph.ontology.namespaces import COUNTRY, PREFIXES

from . import charts, frame, network, render
from .state import BUILD_HINT, Context

ENTITY_PAGE = "pages/entity.py"
ERRORS = (QueryRefused, QueryCancelled, SavedQueryError, StoreError, ConfigError)
#: What starts or ends a construct of Streamlit's Markdown anywhere in a line: code, emphasis, links and images,
#: HTML, headings, tables, strike-through, maths, entities, and ``:`` before a word (emoji shortcodes, icons,
#: coloured text); at the start, list items, quotes and ordered lists. Other characters are left as they are.
_MARKDOWN = re.compile(r"[\\`*_\[\]<>#|~$&]|:(?=[\w+\-/])|^[-+=]|^\d+(?=[.)])")
#: Where remark-gfm would turn plain text into a link after parsing (escapes do not stop it): before ``//`` after a
#: colon, before the dot of ``www.``, before ``@``. A word joiner (U+2060, invisible) goes there.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=[Ww]{3})(?=\.)|(?=@)")


def plain(value: object, *, limit: int = 2_000) -> str:
    r"""``value`` as Markdown that shows exactly its text, on one line: for labels, names, versions, messages and
    errors that come from data or from a user, wherever Streamlit reads Markdown (``st.markdown``, headers,
    captions, alerts, widget and page-link labels, help texts). Select-box options and table cells are plain text
    already and take the value itself. Long values are cut at ``limit`` characters.

    >>> print(plain("![x](javascript:y)  `v1`\n# [b] - EuroLLM-9B, v2: **ok**"))
    !\[x\](javascript\:y) \`v1\` \# \[b\] - EuroLLM-9B, v2: \*\*ok\*\*
    >>> print(plain("1. first")), print(plain("- item"))
    1\. first
    \- item
    (None, None)
    >>> plain("see http://127.0.0.1:9/p.png or www.example.org").count("\u2060")
    2
    """
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MARKDOWN.sub(_escaped, _AUTOLINK.sub("\u2060", text))


def _escaped(match: re.Match) -> str:
    found = match.group()
    return found + "\\" if found[0].isdigit() else "\\" + found  # "1." -> "1\." (the dot is what counts)


def require_graph(ctx: Context) -> None:
    """Stop the page with instructions when the store holds nothing yet."""
    if ctx.empty:
        st.info(f"**The graph is empty** ({plain(ctx.label)}). Build it from the shipped data, then reload this page:")
        st.code(BUILD_HINT, language="bash")
        st.caption("`euaigraph build --feeds ../shared/data` also loads the recorded feeds; "
                   "`make explore` builds and opens the explorer in one step.")
        st.stop()


def show_error(exc: Exception, *, text: str | None = None) -> None:
    """An error in words; for syntax errors the line and column, and the line itself with a caret under the place.
    Cancelled queries say that nothing is shown."""
    if isinstance(exc, QueryRefused):
        st.error(f"Refused: {plain(exc)}")
        lines = (text or "").splitlines()
        if exc.line and exc.line <= len(lines):
            caret = " " * (len(str(exc.line)) + 3 + max((exc.column or 1) - 1, 0)) + "^"
            st.code(f"{exc.line} | {lines[exc.line - 1]}\n{caret}", language=None)
    elif isinstance(exc, QueryCancelled):
        st.error(f"Cancelled: {plain(exc)}. No partial result is shown.")
    else:
        st.error(f"{type(exc).__name__}: {plain(exc)}")


def limits(timeout_s: float, row_cap: int) -> None:
    st.caption(f"Read-only · time limit {timeout_s:g} s · row cap {row_cap:,}")


def display(term: object) -> str:
    return formats.short(term, PREFIXES) if term is not None else ""


def frame_of(result: QueryResult) -> pd.DataFrame:
    """The result as text cells (IRIs shortened with the project prefixes)."""
    if result.kind == "graph":
        return pd.DataFrame([[display(t) for t in row] for row in result.triples],
                            columns=["subject", "predicate", "object"])
    return pd.DataFrame([[display(t) for t in row] for row in result.rows], columns=result.variables)


def downloads(result: QueryResult, *, key: str, stem: str) -> None:
    a, b, c = st.columns(3)
    a.download_button("CSV", formats.to_csv(result), f"{stem}.csv", "text/csv", key=f"{key}-csv", on_click="ignore")
    b.download_button("Spreadsheet-safe CSV", formats.to_csv(result, spreadsheet_safe=True), f"{stem}-safe.csv",
                      "text/csv", key=f"{key}-safe", on_click="ignore")
    c.download_button("JSON", formats.to_json(result), f"{stem}.json", "application/json", key=f"{key}-json",
                      on_click="ignore")


def _numeric(column: list) -> bool:
    return bool(column) and all(isinstance(t, Literal) and isinstance(t.toPython(), (int, float)) for t in column
                                if t is not None)


def _pick(result: QueryResult, wanted: str | None, test) -> str | None:
    if wanted in result.variables:
        return wanted
    return next((v for v in result.variables if test(result.column(v))), None)


def result_graph(result: QueryResult) -> nx.MultiDiGraph:
    """The first two IRI columns as edges; ``<column>Label`` columns, where present, name the nodes."""
    iris = [v for v in result.variables if any(isinstance(t, URIRef) for t in result.column(v))][:2]
    graph = nx.MultiDiGraph()
    for row in result.records():
        ends = [row.get(v) for v in iris]
        for var, term in zip(iris, ends):
            if isinstance(term, URIRef):
                label = row.get(f"{var}Label") or row.get(f"{var}_label")
                graph.add_node(str(term), label=str(label) if label else display(term), kind=var, region="unknown")
        if len(ends) == 2 and all(isinstance(t, URIRef) for t in ends):
            graph.add_edge(str(ends[0]), str(ends[1]), predicate=f"{iris[0]} → {iris[1]}")
    return graph


def _map(result: QueryResult, number: str | None) -> None:
    """Rows per country (or the sum of ``number``) on the tile map; countries off the map listed below it."""
    country = next((v for v in result.variables
                    if any(str(t).startswith(str(COUNTRY)) for t in result.column(v) if t is not None)), None)
    if country is None:
        return
    values: dict[str, float] = {}
    for row in result.records():
        if row.get(country) is None:
            continue
        code = str(row[country]).rsplit("/", 1)[-1]
        amount = row.get(number) if number else None
        values[code] = values.get(code, 0) + (float(amount.toPython()) if amount is not None else 1)
    st.altair_chart(charts.tile_map(values, title=number or "rows"), width="stretch")
    outside = sorted(set(values) - set(charts.TILES))
    if outside:
        st.caption("Outside the map: " + ", ".join(f"{plain(c)} ({values[c]:g})" for c in outside))


def _graph(result: QueryResult, key: str) -> None:
    graph = result_graph(result)
    if graph.number_of_nodes():
        clicked = frame.show(render.render(graph, positions=network.layout(graph)), key=f"{key}-graph",
                             title="query result network", height=480)
        if clicked:
            st.switch_page(ENTITY_PAGE, query_params={"iri": clicked})


def _view(result: QueryResult, table: pd.DataFrame, *, view: str, x: str | None, y: str | None, key: str) -> None:
    """The saved question's view above its table; ``x``/``y`` name the columns, else they are guessed."""
    label = _pick(result, x, lambda col: not _numeric(col))
    number = _pick(result, y, _numeric)
    if view == "bar" and label and number:
        data = table.assign(**{number: pd.to_numeric(table[number], errors="coerce")})
        st.altair_chart(charts.bar(data, x=label, y=number), width="stretch")
    elif view == "timeline" and label:
        when = x if x in result.variables else next((v for v in result.variables if "date" in v.lower()), None)
        if when:
            st.altair_chart(charts.timeline(table, x=when, y=y or label), width="stretch")
    elif view == "map":
        _map(result, number)
    elif view == "graph":
        _graph(result, key)


def show_result(result: QueryResult, *, key: str, stem: str, view: str = "table", x: str | None = None,
                y: str | None = None) -> None:
    """Counts and limits, the view (bar, map, timeline, graph), the table, and downloads."""
    if result.kind == "ask":
        st.metric("Answer", "yes" if result.boolean else "no")
        return
    if result.truncated:
        st.warning(f"Truncated: only the first {result.row_cap:,} rows are shown; the query has more. "
                   "Narrow it down or download what is shown.")
    kept = f" (kept answer for data version {plain(result.data_version)})" if result.cached else ""
    st.caption(f"{len(result):,} rows in {result.elapsed_ms:,.0f} ms{kept}")
    table = frame_of(result)
    if view != "table" and len(result):
        _view(result, table, view=view, x=x, y=y, key=key)
    st.dataframe(table, hide_index=True, width="stretch")
    downloads(result, key=key, stem=stem)


def choose_iri(label: str, options: Mapping[str, str], *, param: str, placeholder: str = "Choose…") -> str | None:
    """A select box over IRIs (shown by label) whose choice is kept in the URL as ``?<param>=<IRI>``."""
    current = st.query_params.get(param)
    keys = list(options)
    index = keys.index(current) if current in options else None
    chosen = st.selectbox(label, keys, index=index, format_func=lambda k: options.get(k, k), placeholder=placeholder)
    if chosen != current:
        if chosen is None:
            st.query_params.pop(param, None)
        else:
            st.query_params[param] = chosen
    return chosen


def entity_link(iri: str, label: str) -> None:
    """A link to an entity's page; ``label`` is data (shown as text)."""
    st.page_link(ENTITY_PAGE, label=plain(label), query_params={"iri": iri}, icon=":material/arrow_forward:")


def choose_iris(label: str, options: Mapping[str, str], *, param: str, placeholder: str = "Choose…") -> list[str]:
    """A multi-select over IRIs (shown by label), kept in the URL as repeated ``?<param>=<IRI>``."""
    current = [v for v in st.query_params.get_all(param) if v in options]
    chosen = st.multiselect(label, list(options), default=current, format_func=lambda k: options.get(k, k),
                            placeholder=placeholder)
    if chosen != current:
        st.query_params[param] = chosen
    return chosen
