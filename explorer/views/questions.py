"""Questions: the saved questions as a searchable catalogue (parameters as widgets, the query's view, the SPARQL
shown and editable), and a free SPARQL editor under the same guard, time limit and row cap."""

import streamlit as st

from euaigraph.explorer import components, questions, state
from euaigraph.graph import catalogue

ctx = state.context()
st.title("Questions")
mode = st.segmented_control("Mode", ["Saved questions", "SPARQL editor"], default="Saved questions", key="mode",
                            bind="query-params", label_visibility="collapsed")
if ctx.empty:
    st.info(f"The graph is empty: questions will have no answers until it is built (`{state.BUILD_HINT}`).")
components.limits(state.TIMEOUT_S, state.ROW_CAP)

if mode == "SPARQL editor":
    questions.editor(ctx)
    st.stop()

try:
    known = catalogue(state.queries_root())
except Exception as exc:  # a broken .rq file must not take the page down: say which one
    components.show_error(exc)
    st.stop()
if not known:
    st.info("No saved questions were found. Add `.rq` files under `queries/<theme>/` (each with a `#+` YAML header; see queries/README.md).")
    st.stop()
saved = questions.catalogue_picker(known)
if saved is not None:
    questions.saved_question(ctx, saved, known)
