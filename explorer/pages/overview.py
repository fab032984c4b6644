"""Overview: what the graph holds and the headline findings, computed from the current data."""

import pandas as pd
import streamlit as st

from euaigraph.explorer import charts, components, precomputed, state

ctx = state.context()
st.title("Overview")
components.require_graph(ctx)

with st.spinner("Summarising the graph…"):
    figures = precomputed.overview(ctx)
    findings = precomputed.findings(ctx)

st.subheader("Headline findings")
for column, finding in zip(st.columns(len(findings)), findings):
    with column:
        st.metric(finding.title, finding.value, help=f"How it is computed: {finding.formula}", border=True)
        st.caption(components.plain(finding.detail))

st.page_link("pages/questions.py", label="Which European models depend on a non-EU base model, and under which "
             "licences?", icon=":material/quiz:", query_params={"q": "dependency/non-bloc-ancestors"})

st.subheader("What the graph holds")
left, right = st.columns(2)
with left:
    kinds = pd.DataFrame(list(figures.kinds.items()), columns=["kind", "nodes"])
    st.altair_chart(charts.bar(kinds, x="kind", y="nodes"), width="stretch")
with right:
    regions = pd.DataFrame(figures.regions, columns=["region", "kind", "count"])
    st.altair_chart(charts.bar(regions, x="region", y="count", colour="kind"), width="stretch")
    st.caption("Models and organisations by the region of their (provider's) seat today.")

left, right = st.columns(2)
with left:
    st.markdown("**Models by provider country**")
    st.altair_chart(charts.tile_map(figures.countries, title="models"), width="stretch")
    outside = {c: n for c, n in figures.countries.items() if c not in charts.TILES}
    if outside:
        st.caption("Outside the map: " + ", ".join(f"{components.plain(c)} ({n})" for c, n in outside.items()))
with right:
    licences = pd.DataFrame(list(figures.licence_classes.items()), columns=["licence class", "models"])
    st.altair_chart(charts.bar(licences, x="licence class", y="models"), width="stretch")
    st.caption("Models by the openness class of their preferred licence.")

st.subheader("Sources")
table = pd.DataFrame([{"source": s.source, "triples": s.triples or 0, "last ingest": (s.last_run or "")[:19],
                       "status": s.status or "", "retrieved": (s.retrieved_at or "")[:19]}
                      for s in figures.sources])
left, right = st.columns(2)
with left:
    st.altair_chart(charts.bar(table, x="source", y="triples"), width="stretch")
with right:
    st.dataframe(table, hide_index=True, width="stretch")
st.page_link("pages/sources.py", label="Sources in detail", icon=":material/source:")
