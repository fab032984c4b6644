"""Sources: each source with its licence, URL, version, last run, counts and rejected records; how to refresh."""

import pandas as pd
import streamlit as st

from euaigraph.explorer import components, precomputed, state

ctx = state.context()
st.title("Sources")
components.require_graph(ctx)
details = precomputed.sources(ctx)
st.dataframe(pd.DataFrame([{
    "source": d.status.source, "title": d.status.title, "licence": (d.status.data_licence or "").rsplit("/", 1)[-1],
    "priority": d.priority, "status": d.status.status, "last run": (d.status.last_run or "")[:19],
    "retrieved": (d.status.retrieved_at or "")[:19], "version": d.status.version, "triples": d.status.triples,
    "records read": d.status.records_read, "rejected": d.status.records_rejected, "url": d.status.source_url}
    for d in details]), hide_index=True, width="stretch")
st.caption("Priority decides which claim wins where sources disagree: 1 curated, 2 official register, "
           "3 self-declared, 4 third-party index. Every claim is kept; the entity pages show them side by side.")

for d in details:
    s = d.status
    problems = f" · {s.records_rejected} rejected" if s.records_rejected else ""
    text = components.plain
    with st.expander(f"{text(s.source)}: {text(s.title)}{problems}"):
        st.markdown(f"**Licence** {text(s.data_licence or 'unknown')}  \n**Homepage** {text(d.homepage or '–')}  \n"
                    f"**Input** {text(s.source_url or '–')} (version {text(s.version or '–')}, "
                    f"retrieved {text(s.retrieved_at or '–')})"
                    f"  \n**Live feed** {text(d.live_url or 'none')}  \n"
                    f"**Current graph** {text(s.current_graph or '–')}")
        if d.error:
            st.error(f"Last run failed: {text(d.error)}")
        if d.rejected:
            st.markdown(f"**Rejected records of the last run** ({s.records_rejected}, at most 500 itemised)")
            st.dataframe(pd.DataFrame(d.rejected, columns=["where", "why"]), hide_index=True, width="stretch")
        if d.unresolved:
            st.markdown("**Names no alias table resolves** (counted, never guessed)")
            st.dataframe(pd.DataFrame(d.unresolved, columns=["name", "kind", "where"]), hide_index=True,
                         width="stretch")
        st.markdown("**How to refresh**")
        st.code("\n".join(d.refresh), language="bash")
