"""Whole-graph results the pages share, computed once per data version (in the background at start-up):
the entity network, its layout, the dependency graph and the headline findings (read off saved questions)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import networkx as nx
import streamlit as st

from euaigraph.graph import (Coverage, QueryResult, analysis, catalogue, coverage_of, entity_network as graph_entity_network,
                             headlines, with_prefixes)
from euaigraph.graph import coverage_gaps as graph_coverage_gaps

from . import data, network
from .state import Context, warm_up


def entity_network(ctx: Context) -> nx.MultiDiGraph:
    """The entity network (shared: never modify it; views take copies)."""
    return ctx.compute("network", lambda: graph_entity_network(ctx.store))


def node_labels(ctx: Context) -> dict[str, str]:
    """IRI -> "label (kind)" for every node of the entity network, sorted by label (for pickers)."""
    def labels() -> dict[str, str]:
        nodes = sorted(entity_network(ctx).nodes(data=True), key=lambda item: item[1]["label"].lower())
        return {n: f"{d['label']} ({d['kind']})" for n, d in nodes}

    return ctx.compute("labels", labels)


def positions(ctx: Context, view: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """The layout of a view, computed once per (data version, nodes shown)."""
    return ctx.compute(("layout", frozenset(view)), lambda: network.layout(view))


def default_view(ctx: Context) -> None:
    """Lay out what the graph page shows first, so its first visit finds it ready."""
    positions(ctx, network.select(entity_network(ctx), network.filters_from_params(lambda name: [])).graph)


def answer(ctx: Context, question: str, params: Mapping[str, str] | None = None) -> QueryResult:
    """The answer of one of the project's saved questions (not a folder chosen by $EUAIGRAPH_QUERIES: the Overview
    links to these) with these parameters (guarded, cached per data version, kept answers)."""
    saved = catalogue()[question]
    return ctx.run(with_prefixes(saved.body), saved.terms(dict(params or {})))


def dependency_graph(ctx: Context) -> nx.DiGraph:
    """The dependency graph of :mod:`euaigraph.graph.analysis` (shared: never modify it)."""
    return ctx.compute("dependency-graph", lambda: analysis.dependency_graph(ctx.store))


def standings(ctx: Context, bloc: str = "eu", on: date | None = None) -> dict[str, str]:
    """Node -> inside | outside | unknown for the bloc on the day (today: the derived graph's answer)."""
    return ctx.compute(("standing", bloc, on), lambda: analysis.standings(ctx.store, dependency_graph(ctx),
                                                                            bloc=bloc, on=on))


def findings(ctx: Context, bloc: str = "eu") -> list[headlines.Finding]:
    """The Overview's headlines, each read off the answers of the saved questions it links to."""
    return ctx.compute(("findings", bloc), lambda: headlines.findings(lambda q, p: answer(ctx, q, p), bloc=bloc))


def start(ctx: Context) -> None:
    """Begin the background work for this data version (no-op after the first call)."""
    if not ctx.empty:
        warm_up(ctx, lambda: findings(ctx), lambda: default_view(ctx), lambda: coverage(ctx))


@st.cache_data(max_entries=256, show_spinner=False)
def _entity(label: str, version: str, iri: str, _store) -> data.Entity | None:
    return data.entity(_store, iri)


def entity(ctx: Context, iri: str) -> data.Entity | None:
    """Every fact about one entity (cached per data version)."""
    return _entity(ctx.label, ctx.version, iri, ctx.store)


@st.cache_data(max_entries=8, show_spinner=False)
def _sources(label: str, version: str, _store) -> list[data.SourceDetail]:
    return data.sources(_store)


def coverage(ctx: Context, bloc: str = "eu") -> Coverage:
    """The coverage report of the graph (per kind, per key property), once per data version."""
    return ctx.compute(("coverage", bloc), lambda: coverage_of(ctx.store, bloc=bloc))


def coverage_gaps(ctx: Context, kind: str, prop: str, bloc: str = "eu") -> list[tuple[str, str]]:
    """The entities of a kind that lack a property (IRI, label), once per data version."""
    return ctx.compute(("coverage-gaps", kind, prop, bloc),
                       lambda: graph_coverage_gaps(ctx.store, kind=kind, prop=prop, bloc=bloc))


def sources(ctx: Context) -> list[data.SourceDetail]:
    return _sources(ctx.label, ctx.version, ctx.store)
