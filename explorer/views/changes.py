"""Changes: what changed between two data versions of the graph (or a snapshot zip and the current graph): the
sources, the entities added and removed, every fact with its source, and the rows of every saved question."""

import streamlit as st

from euaigraph.explorer import changes, components, state

ctx = state.context()
st.title("Changes")
components.require_graph(ctx)
options = changes.choices(ctx)
left, right = st.columns(2)
default = changes.versions.PREVIOUS if changes.versions.PREVIOUS in options else changes.versions.CURRENT
before = left.selectbox("Before", list(options), index=list(options).index(default), format_func=options.get,
                        key="before", bind="query-params")
after = right.selectbox("After", list(options), index=0, format_func=options.get, key="after", bind="query-params")
upload = st.file_uploader("Or compare a snapshot zip (from Export or `euaigraph export --format snapshot`) with the "
                          "graph chosen as After", type=["zip"])
if upload is not None:
    before = changes.uploaded_snapshot(upload.getvalue())
st.caption("A store keeps its last data versions for comparison (EUAIGRAPH_KEEP_VERSIONS); a snapshot's citation "
           "names the version to compare against. The same comparison on the command line: "
           f"`euaigraph diff {'SNAPSHOT.zip' if upload is not None else before} {after}`.")
if before == after:
    st.info("Choose two different versions: the store keeps one version so far, or both sides are the same. "
            "Each build or ingest makes a new version.")
    st.stop()
try:
    with st.spinner("Comparing the two versions (every saved question runs on both)…"):
        result = changes.compared(ctx, before, after)
except changes.ERRORS as exc:
    components.show_error(exc)
    st.stop()
changes.show(result)
