"""Export: a snapshot zip of the whole graph or of the view on screen (every setting of the link: focus, hops,
relations, filters, cap), with a manifest, a citation and a DCAT-AP description a policy note can cite."""

import streamlit as st

from euaigraph.explorer import components, graphview, network, precomputed, results, state
from euaigraph.graph import export

ctx = state.context()
st.title("Export")
components.require_graph(ctx)
scope = st.radio("What to export", ["whole graph", "current view"], key="scope", bind="query-params",
                 horizontal=True)
st.caption("The zip holds TriG, N-Quads, Turtle, JSON-LD, GraphML, GEXF, nodes/edges CSV (W3C and spreadsheet-"
           "safe), an HTML summary, the citation (text, BibTeX, CSL-JSON), a DCAT-AP 3 description and manifest.json: "
           "the sources by their public URLs with their versions and retrieval times, the counts, the software and "
           "data versions, and the sha256 of every file.")

view = None
extra = {}
title = "whole graph"
cited_url = None
if scope == "current view":
    # The graph page hands its view over as one parameter (``view``, the graph page's own query string): the graph
    # page's widget parameters would not survive the page switch, and one parameter cannot be half-dropped.
    params = network.view_from_param(st.query_params.get("view", ""))
    filters = network.filters_from_params(lambda name: params.get(name, []))
    shown = graphview.draw(ctx, filters)
    settings = {k: v for k, v in vars(filters).items() if v not in ((), "")}
    st.markdown(f"The view: **{shown.view.shown:,} nodes** (of {shown.view.matching:,} matching), "
                f"settings {components.plain(settings)}.")
    st.page_link("views/graph.py", label="Back to the view", icon=":material/hub:", query_params=params)
    view = export.View(nodes=frozenset(shown.view.graph), description="graph view", settings=settings)
    title = "graph view"
    extra["view.html"] = shown.rendered.html.encode()
    cited_url = results.view_url(page="graph", params=params)

made = results.cite(ctx, f"Snapshot of the {title}", key="export", url=cited_url)
key = (ctx.version, scope, view.nodes if view else None)
if st.button("Prepare the snapshot", type="primary"):
    with st.status("Preparing the snapshot…", expanded=True) as status:
        payload, manifest = export.snapshot_bytes(ctx.store, view=view, extra=extra, cite=made,
                                                  network=precomputed.entity_network(ctx),
                                                  progress=lambda message: st.write(components.plain(message)))
        status.update(label=f"Snapshot ready: {len(manifest['files'])} files", state="complete", expanded=False)
    st.session_state["snapshot"] = (key, payload, manifest)

ready = st.session_state.get("snapshot")
if ready and ready[0] == key:
    _, payload, manifest = ready
    st.download_button("Download the snapshot (zip)", payload, f"euaigraph-{ctx.version}-{scope.replace(' ', '-')}.zip",
                       "application/zip", type="primary", on_click="ignore")
    st.json({k: manifest[k] for k in ("scope", "data_version", "software", "counts")}, expanded=False)
    st.dataframe(manifest["files"], hide_index=True, width="stretch")

