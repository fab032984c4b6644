"""Overview: what the graph holds and the headline findings, each read off a saved question it links to."""

import pandas as pd
import streamlit as st

from euaigraph.explorer import charts, components, glossary, names, precomputed, results, state, tables
from euaigraph.graph import catalogue

ctx = state.context()
st.title("Overview")
components.require_graph(ctx)


def question_link(question: str, params: dict) -> None:
    """A link to the saved question and parameters that reproduce a figure, labelled with the question itself."""
    st.page_link("views/questions.py", label=catalogue()[question].summary, icon=":material/quiz:",
                 query_params={"q": question, **{f"p_{k}": v for k, v in params.items()}})


with st.spinner("Summarising the graph…"):
    findings = precomputed.findings(ctx)

st.subheader("Headline findings")
for column, finding in zip(st.columns(len(findings)), findings):
    with column:
        st.metric(finding.title, finding.value, help=f"How it is computed: {finding.formula}. Words: {glossary.link({'provider-hhi': 'hhi', 'thin-languages': 'openness'}.get(finding.key, 'standing'))}.",
                  border=True)
        st.caption(components.plain(finding.detail))
        for link in finding.links:
            question_link(link.question, dict(link.params))


def chart(question: str, *, x: str, y: str, caption: str, params: dict | None = None) -> pd.DataFrame:
    """A saved question's answer as a bar chart, its caption and the link that reproduces it."""
    result = precomputed.answer(ctx, question, params or {})
    frame = tables.labelled(result, lambda iris: names.names(ctx, iris)).frame  # labels, readable titles
    if not frame.empty:
        st.altair_chart(charts.bar(frame, x=names.title(x), y=names.title(y)), width="stretch")
    st.caption(caption)
    question_link(question, params or {})
    return frame


st.subheader("What the graph holds")
left, right = st.columns(2)
with left:
    chart("overview/counts-by-kind", x="kind", y="entities", caption="Entities by kind.")
with right:
    chart("sovereignty/jurisdiction-known", x="standing", y="models", params={"bloc": "eu"},
          caption="Models inside the EU (a developer seated there), outside it (every seat known, none there), "
                  "or of unknown jurisdiction, today.")

left, right = st.columns(2)
with left:
    st.markdown("**Models by the country of their developers**")
    by_country = precomputed.answer(ctx, "overview/models-by-country", {"bloc": "eu"})
    countries = {str(r["country"]).rsplit("/", 1)[-1]: int(r["models"].toPython())
                 for r in by_country.records() if r["country"] is not None}
    country_names = names.names(ctx, [str(r["country"]) for r in by_country.records() if r["country"] is not None])
    results.show_map(countries, {iri.rsplit("/", 1)[-1]: n for iri, n in country_names.items()}, title="models")
    question_link("overview/models-by-country", {"bloc": "eu"})
with right:
    chart("overview/models-by-licence-class", x="licenceClass", y="models",
          caption="Models by the openness class of their preferred licence.")

st.subheader("Sources")
table = pd.DataFrame([{"source": s.source, "triples": s.triples or 0, "last ingest": (s.last_run or "")[:19],
                       "status": s.status or "", "retrieved": (s.retrieved_at or "")[:19]}
                      for s in ctx.store.sources()])
left, right = st.columns(2)
with left:
    st.altair_chart(charts.bar(table, x="source", y="triples"), width="stretch")
with right:
    st.dataframe(table, hide_index=True, width="stretch")
st.page_link("views/sources.py", label="Sources in detail", icon=":material/source:")
