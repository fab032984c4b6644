"""Export: a snapshot zip of the whole graph or of the current graph view, with a manifest a policy note can cite."""

import streamlit as st

from euaigraph.explorer import components, network, precomputed, render, state
from euaigraph.graph import export

ctx = state.context()
st.title("Export")
components.require_graph(ctx)
scope = st.radio("What to export", ["whole graph", "current view"], key="scope", bind="query-params",
                 horizontal=True)
st.caption("The zip holds TriG, N-Quads, Turtle, JSON-LD, GraphML, GEXF, nodes/edges CSV (W3C and spreadsheet-"
           "safe), an HTML summary and manifest.json: the sources with their versions and retrieval times, the "
           "counts, the software and data versions, and the sha256 of every file.")

view = None
extra = {}
if scope == "current view":
    filters = network.filters_from_params(st.query_params.get_all)
    chosen = network.select(precomputed.entity_network(ctx), filters)
    settings = {k: v for k, v in vars(filters).items() if v not in ((), "")}
    st.markdown(f"The view: **{chosen.shown:,} nodes** (of {chosen.matching:,} matching), "
                f"settings {components.plain(settings)}.")
    st.page_link("pages/graph.py", label="Change the view", icon=":material/hub:",
                 query_params={k: st.query_params.get_all(k) for k in st.query_params if k != "scope"})
    view = export.View(nodes=frozenset(chosen.graph), description="graph view", settings=settings)
    extra["view.html"] = render.render(chosen.graph, positions=precomputed.positions(ctx, chosen.graph),
                                       title="euaigraph: graph view").html.encode()

key = (ctx.version, scope, view.nodes if view else None)
if st.button("Prepare the snapshot", type="primary"):
    with st.status("Preparing the snapshot…", expanded=True) as status:
        payload, manifest = export.snapshot_bytes(ctx.store, view=view, extra=extra,
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
