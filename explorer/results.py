"""Showing an answer: counts and limits, its view (bar, timeline, map, graph, or a chart of the analyst's choice),
the table with names and links (:mod:`.tables`), the pages of what a chosen row names, an empty answer that explains
itself, and the downloads, each with the citation of the view (:func:`cite`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlencode

import networkx as nx
import pandas as pd
import streamlit as st
from rdflib import URIRef

from euaigraph.graph import QueryResult, citation, formats
from euaigraph.ontology.namespaces import COUNTRY

from . import charts, components, frame, names, network, render, tables
from .state import Context


def view_url(*, page: str | None = None, params: Mapping[str, list[str]] | None = None) -> str:
    """The URL of what is on screen: the page's address with every parameter of the view; or, with ``page`` and
    ``params``, the address of another page of this explorer (``"graph"``) with those parameters."""
    base = str(getattr(st.context, "url", "") or "").split("?", 1)[0]
    if page is not None:
        base = f"{base.rsplit('/', 1)[0]}/{page}"
    pairs = ([(k, v) for k in st.query_params for v in st.query_params.get_all(k)] if params is None else
             [(k, v) for k, values in params.items() for v in values])
    query = urlencode(pairs)
    return f"{base}?{query}" if query else base


def cite(ctx: Context, title: str, *, key: str, url: str | None = None) -> citation.Citation:
    """The citation block of the view (text, BibTeX, CSL-JSON), shown and offered for download. ``url`` is the
    link the citation gives (by default the address of the page on screen)."""
    url = url or view_url()
    made = ctx.compute(("cite", title, url), lambda: citation.citation(ctx.store, title=title, url=url))
    with st.expander("Cite this view"):
        text, bib, csl = st.tabs(["Text", "BibTeX", "CSL-JSON"])
        text.code(made.text(), language=None)
        bib.code(made.bibtex(), language="latex")
        csl.code(made.csl_json(), language="json")
        a, b, c = st.columns(3)
        a.download_button("Citation (text)", made.text(), "CITATION.txt", "text/plain", key=f"{key}-cite-txt",
                          on_click="ignore")
        b.download_button("Citation (BibTeX)", made.bibtex(), "citation.bib", "application/x-bibtex",
                          key=f"{key}-cite-bib", on_click="ignore")
        c.download_button("Citation (CSL-JSON)", made.csl_json(), "citation.csl.json", "application/json",
                          key=f"{key}-cite-csl", on_click="ignore")
    return made


def downloads(result: QueryResult, *, key: str, stem: str, made: citation.Citation) -> None:
    """The answer as W3C CSV and TSV, spreadsheet-safe CSV and SPARQL JSON, each beside its citation file."""
    a, b, c, d = st.columns(4)
    note = components.plain(f"Cite as: {made.text().splitlines()[0]}")  # the title may be a feed's or a user's text
    a.download_button("CSV", formats.to_csv(result), f"{stem}.csv", "text/csv", key=f"{key}-csv", on_click="ignore",
                      help=note)
    b.download_button("TSV", formats.to_tsv(result), f"{stem}.tsv", "text/tab-separated-values", key=f"{key}-tsv",
                      on_click="ignore", help=note)
    c.download_button("Spreadsheet-safe CSV", formats.to_csv(result, spreadsheet_safe=True), f"{stem}-safe.csv",
                      "text/csv", key=f"{key}-safe", on_click="ignore", help=note)
    d.download_button("JSON", formats.to_json(result, citation=made.csl()), f"{stem}.json", "application/json",
                      key=f"{key}-json", on_click="ignore", help=note)


def _graph_of(result: QueryResult, table: tables.Table) -> nx.MultiDiGraph:
    """The first two entity columns as edges, nodes named by their labels."""
    graph = nx.MultiDiGraph()
    for row in table.entities:
        ends = row[:2]
        for column, iri, label in ends:
            graph.add_node(iri, label=label, kind=column.lower(), region="unknown")
        if len(ends) == 2:
            graph.add_edge(ends[0][1], ends[1][1], predicate=f"{ends[0][0]} → {ends[1][0]}")
    return graph


def _map(ctx: Context, result: QueryResult, table: tables.Table, number: str | None) -> None:
    """Rows per country (or the sum of ``number``) on the map of Europe; countries off the map listed below."""
    variables = result.variables
    country = next((v for v in variables if any(isinstance(t, URIRef) and str(t).startswith(str(COUNTRY))
                                                for t in result.column(v))), None)
    if country is None:
        return
    values: dict[str, float] = {}
    iris = {}
    for row, shown in zip(result.records(), table.frame.to_dict("records")):
        if row.get(country) is None:
            continue
        code = str(row[country]).rsplit("/", 1)[-1]
        iris[code] = str(row[country])
        amount = shown.get(number) if number else None
        values[code] = values.get(code, 0) + (float(amount) if amount is not None and pd.notna(amount) else 1)
    labels = names.names(ctx, iris.values())
    by_code = {code: labels[iri] for code, iri in iris.items()}
    show_map(values, by_code, title=number or "rows")


def show_map(values: dict[str, float], by_code: dict[str, str], *, title: str) -> None:
    """The choropleth and, under it, the countries it cannot show."""
    st.altair_chart(charts.choropleth(values, by_code, title=title), width="stretch")
    outside = sorted(set(values) - charts.codes())
    if outside:
        st.caption("Not on the map: " + ", ".join(f"{components.plain(by_code.get(c, c))} ({names.number(values[c])})"
                                                   for c in outside))


def _column(table: tables.Table, variable: str | None, columns: Mapping[str, str] | None, test) -> str | None:
    wanted = names.title(variable, columns) if variable else None
    if wanted in table.frame:
        return wanted
    return next((c for c in table.frame.columns if test(table.frame[c])), None)


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _view(ctx: Context, result: QueryResult, table: tables.Table, *, view: str, x: str | None, y: str | None,
          columns: Mapping[str, str] | None, key: str) -> None:
    frame_ = table.frame
    label = _column(table, x, columns, lambda s: not _numeric(s))
    number = _column(table, y, columns, _numeric)
    if view == "bar" and label and number:
        st.altair_chart(charts.bar(frame_, x=label, y=number, money=names.is_money(y or number)), width="stretch")
    elif view == "timeline":
        when = _column(table, x, columns, lambda s: "date" in s.name.lower() or "released" in s.name.lower())
        group = names.title(y, columns) if y else None
        # One row per answer row: the label column with the most distinct values names the rows; the header's y
        # (a licence, a class) colours them.
        rows = max((c for c in frame_.columns if c != when and not _numeric(frame_[c])),
                   key=lambda c: (frame_[c].nunique(), c != group), default=None)
        if when and rows:
            st.altair_chart(charts.timeline(frame_, x=when, y=rows, colour=group if group != rows else None),
                            width="stretch")
    elif view == "map":
        _map(ctx, result, table, number)
    elif view == "graph":
        graph = _graph_of(result, table)
        if graph.number_of_nodes():
            clicked = frame.show(render.render(graph, positions=network.layout(graph)), key=f"{key}-graph",
                                 title="query result network", height=480)
            if clicked:
                st.switch_page(components.ENTITY_PAGE, query_params={"iri": clicked})


def chart_by_choice(table: tables.Table, *, key: str) -> None:
    """Chart any answer by the analyst's choice of chart and columns."""
    columns = list(table.frame.columns)
    with st.expander("Chart this answer"):
        a, b, c, d = st.columns(4)
        kind = a.selectbox("Chart", ["bar", "line", "points"], key=f"{key}-chart-kind")
        x = b.selectbox("Across (x)", columns, key=f"{key}-chart-x")
        numbers = [col for col in columns if _numeric(table.frame[col])]
        y = c.selectbox("Value (y)", ["number of rows", *numbers], key=f"{key}-chart-y")
        colour = d.selectbox("Colour by", ["nothing", *columns], key=f"{key}-chart-colour")
        if x:
            st.altair_chart(charts.by_columns(table.frame, kind=kind, x=x, y=None if y == "number of rows" else y,
                                              colour=None if colour == "nothing" else colour), width="stretch")


def show_result(ctx: Context, result: QueryResult, *, key: str, stem: str, title: str, view: str = "table",
                x: str | None = None, y: str | None = None, columns: Mapping[str, str] | None = None,
                when_empty: Callable[[], None] | None = None, choose_chart: bool = False) -> None:
    """Counts and limits, the view, the table (names and links), the chosen row's pages, downloads, citation."""
    if result.kind == "ask":
        st.metric("Answer", "yes" if result.boolean else "no")
        return
    if result.truncated:
        st.warning(f"Truncated: only the first {result.row_cap:,} rows are shown; the query has more. "
                   "Narrow it down or download what is shown.")
    kept = f" (kept answer for data version {components.plain(result.data_version)})" if result.cached else ""
    st.caption(f"{len(result):,} rows in {result.elapsed_ms:,.0f} ms{kept}")
    if not len(result):
        st.info("**No rows.** Nothing in the graph matches this question as asked. That says what the graph's "
                "sources record, not what exists: a source may not cover it, or the parameters may be narrower "
                "than meant.")
        if when_empty:
            when_empty()
        return
    table = tables.labelled(result, lambda iris: names.names(ctx, iris), columns=columns)
    if view != "table":
        _view(ctx, result, table, view=view, x=x, y=y, columns=columns, key=key)
    if choose_chart:
        chart_by_choice(table, key=key)
    shown = tables.linked(table)
    event = st.dataframe(shown.frame, column_config=shown.config, hide_index=True, width="stretch",
                         on_select="rerun", selection_mode="single-row", key=f"{key}-rows")
    chosen = event.selection.rows if event is not None else []
    if chosen and chosen[0] < len(table.entities):
        st.markdown("**Open the pages of this row:**")
        for column, iri, label in table.entities[chosen[0]]:
            components.entity_link(iri, f"{column}: {label}")
    elif table.links:
        st.caption("Click a name to open its page in a new tab, or select a row to open what it names here.")
    named = {iri: f"{label} ({column})" for row in table.entities for column, iri, label in row}
    if named:
        pick = st.selectbox("Open the page of", list(named)[:2000], index=None, format_func=named.get,
                            placeholder="anything this answer names…", key=f"{key}-open")
        if pick:
            components.entity_link(pick, named[pick])
    made = cite(ctx, title, key=key)
    downloads(result, key=key, stem=stem, made=made)
