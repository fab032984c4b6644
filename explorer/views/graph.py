"""Graph: the entity network, focused, filtered and capped; lineage drawn in layers, the open network by force;
coloured by a choice; large views grouped by organisation; shared and cited exactly as shown."""

import streamlit as st

from euaigraph.explorer import components, frame, graphview, network, precomputed, render, results, state
from euaigraph.graph import graphml

ctx = state.context()
st.title("Graph")
components.require_graph(ctx)
net = precomputed.entity_network(ctx)
labels = precomputed.node_labels(ctx)
present = {key: sorted({d[key] for _, d in net.nodes(data=True) if d[key]})
           for key in ("kind", "country", "licence_class")}
sources = sorted({s for _, d in net.nodes(data=True) for s in d["sources"].split(";") if s})
components.check_link(network.check_params(st.query_params.get_all, labels, present))

a, b, c, d = st.columns([3, 1, 2, 1])
with a:
    focus = components.choose_iri("Focus on", labels, param="focus", placeholder="no focus: the whole graph")
hops = b.slider("Hops from the focus", 1, 4, 1, key="hops", bind="query-params", disabled=not focus)
via = c.multiselect("Follow only", network.GROUPS, key="via", bind="query-params", disabled=not focus,
                    placeholder="every relation", help="The relations the hops follow: lineage keeps a model's "
                    "family tree, without wandering through a shared university. See the [glossary](/glossary).")
with d:
    colour = components.choose_one("Colour by", network.COLOUR_WORDS, param="colour")
with st.expander("Filters"):
    a, b, c = st.columns(3)
    kinds = a.multiselect("Kinds (empty: all)", present["kind"], default=[k for k in network.DEFAULT_KINDS
                          if k in present["kind"]], key="kind", bind="query-params")
    regions = b.multiselect("Region of the seat today", network.REGIONS, key="region", bind="query-params")
    countries = c.multiselect("Countries", present["country"], key="country", bind="query-params")
    a, b, c = st.columns(3)
    classes = a.multiselect("Licence classes (models, data sets, licences)", present["licence_class"], key="licence",
                            bind="query-params")
    source = b.selectbox("Source", ["", *sources], format_func=lambda s: s or "any source", key="source",
                         bind="query-params")
    with c:
        programmes = {n: labels[n] for n, d in net.nodes(data=True) if d["kind"] == "programme"}
        programme = components.choose_iri("Funding programme", programmes, param="programme",
                                          placeholder="any programme")
    a, b = st.columns(2)
    cap = a.number_input("Node cap", 10, 5000, network.DEFAULT_CAP, step=50, key="cap", bind="query-params")
    grouped = b.checkbox(f"Above {network.AGGREGATE_ABOVE} nodes, draw models inside their organisation",
                         value=True, key="group", bind="query-params")

filters = network.Filters(kinds=tuple(kinds), regions=tuple(regions), countries=tuple(countries),
                          licence_classes=tuple(classes), programme=programme or "", source=source or "",
                          focus=focus or "", hops=int(hops), cap=int(cap), groups=tuple(via), colour=colour,
                          aggregate=bool(grouped))
with st.spinner("Laying out the graph…"):
    shown = graphview.draw(ctx, filters)
view = shown.view
message = f"Showing {view.shown:,} of {view.matching:,} matching nodes ({net.number_of_nodes():,} in the graph)."
if shown.aggregated:
    message += f" Models are drawn inside their organisation: {shown.drawn.number_of_nodes():,} shapes."
if shown.layered:
    message += " Lineage, upstream at the top."
(st.warning if view.capped else st.caption)(message + (" Raise the node cap or narrow the filters to see the rest."
                                                        if view.capped else ""))
if not view.shown:
    st.info("No node matches these filters.")
    st.stop()

clicked = frame.show(shown.rendered, key="graph-view", title="Network of the selected nodes",
                     height=graphview.HEIGHT)
if clicked:
    st.switch_page(components.ENTITY_PAGE, query_params={"iri": clicked})
st.html(render.legend(shown.drawn, filters.colour))
graphview.keep_in_history(network.params_of(filters))

params = network.params_of(filters)
a, b, c, d = st.columns(4)
with a.popover("Share this view", icon=":material/share:"):
    st.caption("This link opens exactly this view (every setting is in it):")
    st.code(results.view_url(), language=None)
made = results.cite(ctx, "Graph view", key="graph")
b.download_button("Download HTML", render.with_citation(shown.rendered.html, made.text()), "euaigraph-graph.html",
                  "text/html", on_click="ignore")
c.download_button("Download GraphML", graphml(view.graph), "euaigraph-graph.graphml",
                  "application/graphml+xml", on_click="ignore")
with d:
    st.page_link("views/export.py", label="Snapshot of this view", icon=":material/download:",
                 query_params={"scope": "current view", "view": network.view_param(filters)})
names = {n: labels[n] for n in sorted(view.graph, key=lambda n: labels[n].lower())}
pick = st.selectbox("Open a node's page", list(names), index=None, format_func=names.get, placeholder="Choose…")
if pick:
    components.entity_link(pick, names[pick])
