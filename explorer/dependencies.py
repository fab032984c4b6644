"""The parts of the Dependencies page: a model's upstream tree and downstream derivatives, what-if removal of
licences, providers or facilities, and the sovereignty profile (all from :mod:`euaigraph.graph.analysis`)."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pandas as pd
import streamlit as st

from euaigraph.graph import analysis, rules
from euaigraph.graph import ELSEWHERE, UNKNOWN_REGION
from euaigraph.ontology import reference

from . import aiact, components, frame, network, render
from .state import Context

#: A mark for every status a profile component can have: standings, then licence classes and grades from most
#: to least open (the codes come from the ontology; a code both schemes use keeps its first mark).
_MARKS = ("🟢", "🟡", "🟠", "🔴")
STATUS = {rules.INSIDE: "🟢", rules.OUTSIDE: "🔴", rules.UNKNOWN: "⚪",
          **{c.code: _MARKS[min(c.rank, 4) - 1] for c in (*reference.grades(), *reference.licence_classes())}}


def label(g: nx.DiGraph, node: str) -> str:
    return str(g.nodes[node].get("label", node)) if node in g else node


def path_text(g: nx.DiGraph, path) -> str:
    return " › ".join(label(g, n) for n in path)


def seats(g: nx.DiGraph, node: str) -> str:
    return " ".join(g.nodes[node].get("seats", ())) if node in g else ""


def _network(g: nx.DiGraph, nodes: set[str], where: dict[str, str], bloc: str) -> nx.MultiDiGraph:
    """The part of the dependency graph over ``nodes``, coloured by where each stands for the bloc."""
    out = nx.MultiDiGraph()
    for node in nodes:
        data = g.nodes[node]
        standing = where.get(node)
        out.add_node(node, label=data.get("label", node), kind=data.get("kind") or "", country=seats(g, node),
                     region=bloc if standing == rules.INSIDE else ELSEWHERE if standing == rules.OUTSIDE
                     else UNKNOWN_REGION)
    for s, o, data in g.subgraph(nodes).edges(data=True):
        out.add_edge(s, o, predicate=data.get("relation", ""))
    return out


def draw(g: nx.DiGraph, nodes: set[str], where: dict[str, str], bloc: str, *, key: str, title: str) -> None:
    if len(nodes) < 2:
        return
    view = _network(g, nodes, where, bloc)
    clicked = frame.show(render.render(view, positions=network.layout(view), title=title), key=key, title=title,
                         height=420)
    if clicked:
        st.switch_page(components.ENTITY_PAGE, query_params={"iri": clicked})


def upstream_section(g: nx.DiGraph, model: str, where: dict[str, str], bloc: str) -> None:
    up = analysis.upstream(g, model, standing=where)
    share = "–" if up.foreign_share is None else f"{up.foreign_share:.0%}"
    st.metric(f"Upstream outside {components.plain(bloc.upper())}", share, help="Of the upstream nodes inside or outside the bloc, the "
              "share outside. Licences have no seat; nodes of unknown jurisdiction are counted apart.")
    st.caption(f"{up.foreign} of {up.known} upstream nodes inside or outside the bloc are outside; {up.unknown} are of "
               f"unknown jurisdiction; {len(up.nodes)} upstream nodes in all.")
    draw(g, {model, *(n.node for n in up.nodes)}, where, bloc, key="upstream-graph", title="upstream of the model")
    st.dataframe(pd.DataFrame([{"depth": n.depth, "node": n.label, "kind": n.kind, "relation": n.relation,
                                "seat": " ".join(n.seats), "standing": n.standing or "",
                                "path": path_text(g, n.path)} for n in up.nodes]), hide_index=True, width="stretch")


def downstream_section(g: nx.DiGraph, model: str, where: dict[str, str]) -> None:
    down = analysis.what_if(g, model)
    if not down:
        st.caption("Nothing in the graph depends on this model.")
        return
    st.dataframe(pd.DataFrame([{"distance": a.distance, "node": a.label, "kind": a.kind, "seat": seats(g, a.node),
                                "standing": where.get(a.node, ""), "path": path_text(g, a.path)} for a in down]),
                 hide_index=True, width="stretch")


def what_if_section(g: nx.DiGraph, where: dict[str, str], bloc: str) -> None:
    kinds = {"licence": "licence", "licence-family": "every version of a licence", "organisation": "organisation",
             "facility": "facility"}
    # Organisations others depend on: developers, curators, operators, vendors and controllers.
    held = {r.code for r in reference.relations(dependency=True) if r.group in ("development", "control", "compute")}
    providers = {o for _, o, r in g.edges(data="relation") if r in held}
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
    counts = {s: sum(1 for a in models if where.get(a.node) == s) for s in (rules.INSIDE, rules.OUTSIDE, rules.UNKNOWN)}
    st.metric("Models affected", len(models), help="A thing is affected when a dependency path leads from it to a "
              "removed node; each row shows one shortest such path.")
    st.caption(f"Of the {len(models)} models: {counts[rules.INSIDE]} inside {bloc.upper()}, {counts[rules.OUTSIDE]} "
               f"outside, {counts[rules.UNKNOWN]} of unknown jurisdiction. {len(affected) - len(models)} other things are affected "
               "and listed below the models.")
    rows = sorted(affected, key=lambda a: (a.kind != "model", a.kind or "", a.distance, a.label))
    st.dataframe(pd.DataFrame([{"node": a.label, "kind": a.kind, "seat": seats(g, a.node),
                                "standing": where.get(a.node, ""), "because of": label(g, a.removed),
                                "distance": a.distance, "path": path_text(g, a.path)} for a in rows]),
                 hide_index=True, width="stretch")


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
    with st.expander("AI Act indicators (indicative, not a legal assessment)"):
        aiact.panel_section(ctx, model)
