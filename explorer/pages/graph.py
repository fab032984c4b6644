"""Graph: the entity network, filtered, focused and capped, coloured by jurisdiction; click a node to open it."""

import streamlit as st

from euaigraph.explorer import components, frame, network, precomputed, render, state
from euaigraph.graph import export

ctx = state.context()
st.title("Graph")
components.require_graph(ctx)
net = precomputed.entity_network(ctx)
labels = precomputed.node_labels(ctx)
present = {key: sorted({d[key] for _, d in net.nodes(data=True) if d[key]})
           for key in ("kind", "country", "licence_class")}
sources = sorted({s for _, d in net.nodes(data=True) for s in d["sources"].split(";") if s})

with st.expander("Filters", expanded=True):
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
    a, b, c = st.columns([2, 1, 1])
    with a:
        focus = components.choose_iri("Focus on", labels, param="focus", placeholder="no focus: the whole graph")
    hops = b.slider("Hops from the focus", 1, 4, 1, key="hops", bind="query-params", disabled=not focus)
    cap = c.number_input("Node cap", 10, 5000, network.DEFAULT_CAP, step=50, key="cap", bind="query-params")

filters = network.Filters(kinds=tuple(kinds), regions=tuple(regions), countries=tuple(countries),
                          licence_classes=tuple(classes), programme=programme or "", source=source or "",
                          focus=focus or "", hops=int(hops), cap=int(cap))
view = network.select(net, filters)
message = f"Showing {view.shown:,} of {view.matching:,} matching nodes ({net.number_of_nodes():,} in the graph)."
(st.warning if view.capped else st.caption)(message + (" Raise the node cap or narrow the filters to see the rest."
                                                        if view.capped else ""))
if not view.shown:
    st.info("No node matches these filters.")
    st.stop()

with st.spinner("Laying out the graph…"):
    positions = precomputed.positions(ctx, view.graph)
rendered = render.render(view.graph, positions=positions, title="euaigraph: graph view")
clicked = frame.show(rendered, key="graph-view", title="Network of the selected nodes")
if clicked:
    st.switch_page(components.ENTITY_PAGE, query_params={"iri": clicked})
st.html(render.legend())

a, b, c = st.columns(3)
a.download_button("Download HTML", rendered.html, "euaigraph-graph.html", "text/html", on_click="ignore")
b.download_button("Download GraphML", export.graphml(view.graph), "euaigraph-graph.graphml",
                  "application/graphml+xml", on_click="ignore")
with c:
    st.page_link("pages/export.py", label="Snapshot of this view", icon=":material/download:",
                 query_params={**network.params_of(filters), "scope": "current view"})
shown = {n: labels[n] for n in sorted(view.graph, key=lambda n: labels[n].lower())}
pick = st.selectbox("Open a node's page", list(shown), index=None, format_func=shown.get, placeholder="Choose…")
if pick:
    components.entity_link(pick, shown[pick])
