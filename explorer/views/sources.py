"""Sources: each source with its licence, URL, version, last run and counts; the ledger of a source's last run
(files read and skipped, records ingested, rejected and merged, notes); the coverage of the graph (per kind of
entity, how many have each key property, and which lack one); how to refresh.

Every value that came from a feed or a parser message (file names, reasons, notes, URLs, versions, errors) is
shown through dataframes, ``st.text`` or ``st.code``, never through Markdown.
"""

import pandas as pd
import streamlit as st

from euaigraph.explorer import components, names, precomputed, state
from euaigraph.graph import read_ledger

#: At most this many entities of a gap are listed on the page (the caption gives the count of all of them).
GAPS_SHOWN = 2000

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

st.subheader("Ledger of the last run")
st.caption("Every file under the input is read or skipped with a reason, and every record read ends ingested, "
           "rejected (where and why) or merged into another record (by a stated rule); a run that does not balance "
           "is refused. The same ledger: `euaigraph sources --details SOURCE`, or the saved question "
           "provenance/ingest-ledger.")
ids = [d.status.source for d in details if d.status.source != "derived"]
chosen = st.selectbox("Source", ids, key="ledger_source") if ids else None
ledger = read_ledger(ctx.store, chosen) if chosen else None  # read fresh: a failed run leaves the data version as it was
if chosen and ledger is None:
    st.info("This source has no recorded run.")
elif ledger is not None:
    st.dataframe(pd.DataFrame(ledger.summary(), columns=["", "value"]), hide_index=True, width="stretch")
    if ledger.balanced is False:
        st.error("This run does not balance: some records read have no outcome.")
    parts = (("Files skipped and read", ledger.files, ["file", "status", "reason"]),
             ("Rejected records", ledger.rejected, ["where", "why"]),
             ("Merged records", ledger.merges, ["record", "merged into", "rule", "where"]),
             ("Names no alias table resolves (counted, never guessed)", ledger.unresolved, ["name", "kind", "where"]),
             ("Notes", [(n,) for n in ledger.notes], ["note"]))
    for title, rows, columns in parts:
        if rows:
            st.caption(f"{title} ({len(rows)}, at most 500 of each kind itemised)")
            st.dataframe(pd.DataFrame(rows, columns=columns), hide_index=True, width="stretch")

st.subheader("Coverage of the graph")
report = precomputed.coverage(ctx)
st.caption("Per kind of entity, how many have each key property, counted over the graph as loaded (the same "
           "report: `euaigraph coverage`). European means a developer seated in the EU today "
           "(decisions/0010-european-rule.md).")
st.dataframe(pd.DataFrame([{"kind": k.kind, "total": k.total, "property": prop, "have it": count,
                            "share %": round(k.share(prop), 1)} for k in report.kinds for prop, count in k.counts]),
             hide_index=True, width="stretch")
st.text(f"European models: {report.european_models}; licence class unknown: {report.unknown_licence_class} "
        f"({report.unknown_share:.1f} %); licence status recorded instead of a licence: "
        f"{report.licence_status_recorded}")
kinds = {k.kind: k for k in report.kinds}
kind = components.choose_one("Which entities lack a property: kind", {k: k for k in kinds}, param="gap_kind")
props = [p for p, _ in kinds[kind].counts]
prop = components.choose_one("Property", {p: p for p in props}, param="gap_prop")
lacking = kinds[kind].lacking(prop)
missing = precomputed.coverage_gaps(ctx, kind, prop)
shown = missing[:GAPS_SHOWN]
st.caption(f"{lacking} of {kinds[kind].total} {kind} without {prop}"
           + (f"; the first {len(shown)} by label below" if len(shown) < lacking else "")
           + f' (every one: `euaigraph coverage --missing "{kind}:{prop}" --format csv`)')
if shown:
    st.dataframe(pd.DataFrame({"entity": [names.entity_url(iri, label) for iri, label in shown],
                               "label": [label for _, label in shown]}),
                 column_config={"entity": st.column_config.LinkColumn("entity", display_text=names.LINK_TEXT)},
                 hide_index=True, width="stretch")

for d in details:
    s = d.status
    problems = f" · {s.records_rejected} rejected" if s.records_rejected else ""
    with st.expander(components.plain(f"{s.source}: {s.title}{problems}")):
        st.dataframe(pd.DataFrame([
            ("licence", s.data_licence or "unknown"), ("homepage", d.homepage or "–"),
            ("input", s.source_url or "–"), ("version", s.version or "–"), ("retrieved", s.retrieved_at or "–"),
            ("live feed", d.live_url or "none"), ("current graph", s.current_graph or "–")],
            columns=["", "value"]), hide_index=True, width="stretch")
        if d.error:
            st.error("The last run failed; the previous graph stays current. Why:")
            st.code(d.error, language=None)
        st.caption("How to refresh")
        st.code("\n".join(d.refresh), language="bash")
