"""Dependencies and what-if: a model's upstream tree and downstream derivatives with their jurisdictions; remove
or restrict a licence, provider or facility and see what is affected and through which paths; the model's
sovereignty profile with explained components."""

from datetime import date

import streamlit as st

from euaigraph.explorer import components, dependencies, precomputed, state
from euaigraph.graph import blocs

ctx = state.context()
st.title("Dependencies & what-if")
components.require_graph(ctx)
with st.spinner("Building the dependency graph (once per data version)…"):
    g = precomputed.dependency_graph(ctx)

a, b, c = st.columns([3, 1, 1])
models = {n: f"{d.get('label', n)} ({' '.join(d.get('seats', ())) or 'seat unknown'})" for n, d in
          sorted(g.nodes(data=True), key=lambda x: str(x[1].get("label", x[0])).lower()) if d.get("kind") == "model"}
with a:
    model = components.choose_iri("Model", models, param="model", placeholder="Choose a model…")
choices = blocs()
bloc = b.selectbox("Bloc", list(choices), key="bloc", bind="query-params", format_func=lambda code: choices[code])
on = c.date_input("Membership on", value=date.today(), key="on", bind="query-params")
where = precomputed.standings(ctx, bloc, None if on == date.today() else on)

upstream, downstream, whatif, profile = st.tabs(["Upstream", "Downstream", "What-if", "Sovereignty profile"],
                                               key="tab", bind="query-params")
with whatif:
    dependencies.what_if_section(g, where, bloc)
if not model:
    for tab in (upstream, downstream, profile):
        tab.info("Choose a model above.")
    st.stop()
with upstream:
    dependencies.upstream_section(g, model, where, bloc)
with downstream:
    dependencies.downstream_section(g, model, where)
with profile:
    dependencies.profile_section(ctx, g, model, bloc, on)
components.entity_link(model, f"All facts about {models[model]}")
