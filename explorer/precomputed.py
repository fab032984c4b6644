"""Whole-graph results the pages share, computed once per data version (in the background at start-up):
the entity network, its layout, the overview's figures and the headline findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import networkx as nx
import streamlit as st

from euaigraph.graph import analysis
from euaigraph.graph import export

from . import data, network
from .state import Context, warm_up


@dataclass(frozen=True)
class Finding:
    title: str
    value: str
    detail: str
    formula: str


def entity_network(ctx: Context) -> nx.MultiDiGraph:
    """The entity network (shared: never modify it; views take copies)."""
    return ctx.compute("network", lambda: export.entity_network(ctx.store))


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


def overview(ctx: Context) -> data.Overview:
    return ctx.compute("overview", lambda: data.overview(ctx.store, entity_network(ctx)))


def dependency_graph(ctx: Context) -> nx.DiGraph:
    """The dependency graph of :mod:`euaigraph.graph.analysis` (shared: never modify it)."""
    return ctx.compute("dependency-graph", lambda: analysis.dependency_graph(ctx.store))


def members(ctx: Context, bloc: str = "eu", on: date | None = None) -> frozenset[str]:
    return ctx.compute(("bloc", bloc, on), lambda: frozenset(analysis.bloc_members(ctx.store, bloc=bloc, on=on)))


def bloc_models(g: nx.DiGraph, bloc: frozenset[str]) -> list[str]:
    """Models whose provider is seated in the bloc (the dependency graph's jurisdiction of a model)."""
    return sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "model" and d.get("jurisdiction") in bloc)


def _findings(ctx: Context) -> list[Finding]:
    g, eu = dependency_graph(ctx), members(ctx)
    models = bloc_models(g, eu)
    foreign = [m for m in models
               if any(n.kind == "model" and n.outside for n in analysis.upstream(g, m, bloc=eu).nodes)]
    providers = analysis.concentration(g, dimension="provider", models=models, top_k=3)
    coverage = analysis.language_coverage(ctx.store, bloc="eu", threshold=2)
    thin = [c for c in coverage if c.below_threshold]
    leaders = ", ".join(f"{s.label} {s.share:.0f}%" for s in providers.shares[:3])
    return [
        Finding("EU models with a non-EU ancestor", f"{len(foreign) / len(models):.0%}" if models else "–",
                f"{len(foreign)} of {len(models)} models whose provider is seated in the EU today derive, at some "
                "depth, from a model whose provider is seated outside it.",
                "share = |{m ∈ EU models : ∃ ancestor a of m with seat(provider(a)) ∉ EU}| / |EU models|"),
        Finding("HHI of upstream providers", f"{providers.hhi:,.0f}",
                f"Across the upstream closures of {providers.covered} EU models; largest: {leaders or 'none'}. "
                "Above 2,500 is highly concentrated, below 1,500 unconcentrated.",
                "s_e = 100 × c_e / Σ c, c_e = EU models whose upstream closure reaches provider e; HHI = Σ s_e²"),
        Finding("EU languages with fewer than two open EU models", f"{len(thin)} of {len(coverage)}",
                ("Languages: " + ", ".join(f"{c.label} ({c.count})" for c in thin)) if thin else
                "Every official EU language has at least two open models controlled from the EU "
                f"(fewest: {min(coverage, key=lambda c: c.count).label if coverage else '–'}).",
                "per language: |{m : supports(m, l), class(licence(m)) ∈ {open, open-restricted}, "
                "seat(ultimate controller(provider(m))) ∈ EU}| < 2"),
    ]


def findings(ctx: Context) -> list[Finding]:
    return ctx.compute("findings", lambda: _findings(ctx))


def start(ctx: Context) -> None:
    """Begin the background work for this data version (no-op after the first call)."""
    if not ctx.empty:
        warm_up(ctx, lambda: overview(ctx), lambda: findings(ctx), lambda: default_view(ctx))


@st.cache_data(max_entries=256, show_spinner=False)
def _entity(label: str, version: str, iri: str, _store) -> data.Entity | None:
    return data.entity(_store, iri)


def entity(ctx: Context, iri: str) -> data.Entity | None:
    """Every fact about one entity (cached per data version)."""
    return _entity(ctx.label, ctx.version, iri, ctx.store)


@st.cache_data(max_entries=8, show_spinner=False)
def _sources(label: str, version: str, _store) -> list[data.SourceDetail]:
    return data.sources(_store)


def sources(ctx: Context) -> list[data.SourceDetail]:
    return _sources(ctx.label, ctx.version, ctx.store)
