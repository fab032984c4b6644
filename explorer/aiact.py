"""The AI Act panel: a model's indicators, each with its answer, the facts and the rule it used and a link to the
saved question that lists them for every model; always under the note that none is a legal assessment. Shown on the
entity page and in the sovereignty profile (the panel itself is :func:`euaigraph.graph.analysis.ai_act_panel`)."""

from __future__ import annotations

import streamlit as st

from euaigraph.graph import analysis

from .components import plain
from .state import Context

QUESTIONS_PAGE = "views/questions.py"
#: A mark per answer: yes, no, unknown (the answers' codes come from the ontology through the panel).
MARKS = {"yes": "🟢", "no": "⚪", "unknown": "❔"}


def panel_section(ctx: Context, model: str) -> None:
    """The AI Act indicators of ``model``, or a line saying the graph holds none for it."""
    try:
        panel = ctx.compute(("aiact-panel", model), lambda: analysis.ai_act_panel(ctx.store, model))
    except KeyError:
        st.caption("The graph holds no AI Act indicators for this entity.")
        return
    st.caption(f"**{plain(panel.note)}**")
    for reading in panel.readings:
        with st.container(border=True):
            st.markdown(f"{MARKS.get(reading.answer, '❔')} **{plain(reading.label)}**: *{plain(reading.answer)}*")
            # Facts and pages come from the sources (values, record URLs): plain text, never Markdown.
            st.caption(plain(" · ".join(f"{fact.name}: {fact.value}" for fact in reading.facts)))
            st.caption(plain(f"Rule: {reading.rule}"))
            cited = sorted({source for fact in reading.facts for source in fact.sources})
            if cited:
                st.caption(plain("Sources: " + "; ".join(cited)))
            st.page_link(QUESTIONS_PAGE, label=f"Every model: {reading.question}", icon=":material/table:",
                         query_params={"q": reading.question})


__all__ = ["panel_section"]
