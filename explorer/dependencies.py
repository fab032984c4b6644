"""The parts of the Dependencies page: a model's upstream tree and downstream derivatives, what-if removal of
licences, providers or facilities, and the sovereignty profile (all from :mod:`euaigraph.graph.analysis`)."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pandas as pd
import streamlit as st

from euaigraph.graph import analysis

from . import components, frame, network, render
from .state import Context

STATUS = {"inside": "🟢", "outside": "🔴", "unknown": "⚪", "open": "🟢", "open-restricted": "🟡",
          "restricted": "🟡", "partial": "🟡", "non-commercial": "🟠", "closed": "🔴"}


def label(g: nx.DiGraph, node: str) -> str:
    return str(g.nodes[node].get("label", node)) if node in g else node


def path_text(g: nx.DiGraph, path) -> str:
    return " › ".join(label(g, n) for n in path)


def _network(g: nx.DiGraph, nodes: set[str], members: frozenset[str]) -> nx.MultiDiGraph:
    """The part of the dependency graph over ``nodes``, coloured inside/outside the bloc, for the renderer."""
    out = nx.MultiDiGraph()
    for node in nodes:
        data = g.nodes[node]
        where = data.get("jurisdiction")
        out.add_node(node, label=data.get("label", node), kind=data.get("kind") or "",
                     country=where or "", region="unknown" if where is None else ("EU" if where in members
                                                                                  else "elsewhere"))
    for s, o, data in g.subgraph(nodes).edges(data=True):
        out.add_edge(s, o, predicate=data.get("relation", ""))
    return out


def draw(g: nx.DiGraph, nodes: set[str], members: frozenset[str], *, key: str, title: str) -> None:
    if len(nodes) < 2:
        return
    view = _network(g, nodes, members)
    clicked = frame.show(render.render(view, positions=network.layout(view), title=title), key=key, title=title,
                         height=420)
    if clicked:
        st.switch_page(components.ENTITY_PAGE, query_params={"iri": clicked})


def upstream_section(g: nx.DiGraph, model: str, members: frozenset[str], bloc: str) -> None:
    up = analysis.upstream(g, model, bloc=members)
    share = "–" if up.foreign_share is None else f"{up.foreign_share:.0%}"
    st.metric(f"Upstream outside {components.plain(bloc.upper())}", share,
              help="|F| / |K|: K = upstream nodes with a known "
              "jurisdiction, F = those outside the bloc. Licences have no jurisdiction and never count.")
    st.caption(f"{up.foreign} of {up.known} upstream nodes with a known jurisdiction are outside; "
               f"{len(up.nodes)} upstream nodes in all.")
    draw(g, {model, *(n.node for n in up.nodes)}, members, key="upstream-graph", title="upstream of the model")
    st.dataframe(pd.DataFrame([{"depth": n.depth, "node": n.label, "kind": n.kind, "relation": n.relation,
                                "jurisdiction": n.jurisdiction or "", "outside": n.outside,
                                "path": path_text(g, n.path)} for n in up.nodes]), hide_index=True, width="stretch")


def downstream_section(g: nx.DiGraph, model: str, members: frozenset[str]) -> None:
    down = analysis.what_if(g, model)
    if not down:
        st.caption("Nothing in the graph depends on this model.")
        return
    st.dataframe(pd.DataFrame([{"distance": a.distance, "node": a.label, "kind": a.kind,
                                "jurisdiction": g.nodes[a.node].get("jurisdiction") or "",
                                "path": path_text(g, a.path)} for a in down]), hide_index=True, width="stretch")


def what_if_section(g: nx.DiGraph, members: frozenset[str]) -> None:
    kinds = {"licence": "licence", "organisation": "provider", "facility": "facility"}
    providers = {o for _, o, r in g.edges(data="relation") if r in ("providedBy", "operatedBy", "curatedBy")}
    options = {n: f"{d.get('label', n)} ({kinds[d['kind']]})" for n, d in sorted(
        g.nodes(data=True), key=lambda x: str(x[1].get("label", x[0])).lower())
        if d.get("kind") in kinds and (d["kind"] != "organisation" or n in providers) and g.in_degree(n)}
    removed = components.choose_iris("Remove or restrict", options, param="remove",
                                     placeholder="a licence that changes, a provider that withdraws, a facility "
                                                 "that closes…")
    if not removed:
        return
    affected = analysis.what_if(g, removed)
    models = [a for a in affected if a.kind == "model"]
    outside = sum(1 for a in models if (g.nodes[a.node].get("jurisdiction") or "") not in members)
    st.metric("Models affected", len(models), help="A node is affected when a dependency path leads from it to a "
              "removed node; each row shows one shortest such path.")
    st.caption(f"{len(affected)} nodes affected in all; {len(models) - outside} of the models are seated in the "
               f"bloc, {outside} outside it or unknown.")
    st.dataframe(pd.DataFrame([{"node": a.label, "kind": a.kind, "jurisdiction": g.nodes[a.node].get("jurisdiction")
                                or "", "because of": label(g, a.removed), "distance": a.distance,
                                "path": path_text(g, a.path)} for a in affected]), hide_index=True, width="stretch")


def profile_section(ctx: Context, g: nx.DiGraph, model: str, bloc: str, on: date) -> None:
    profile = ctx.compute(("profile", model, bloc, on),
                          lambda: analysis.sovereignty_profile(ctx.store, model, bloc=bloc, on=on, graph=g))
    st.caption(f"Relative to {components.plain(bloc.upper())} membership on {profile.on}. Six components, "
               "deliberately no single score: each answers a different question.")
    for component in profile.components:
        with st.container(border=True):
            text = components.plain
            st.markdown(f"{STATUS.get(component.status, '⚪')} **{text(component.name)}**: {text(component.value)} "
                        f"(*{text(component.status)}*)")
            st.caption(text(component.explanation))
            if component.sources:
                st.caption("Sources: " + text("; ".join(component.sources)))
