"""The Changes page's logic: which data versions can be compared, the comparison (once per pair and data version),
and its tables. The comparison is :func:`euaigraph.graph.diff.compare`, the same as ``euaigraph diff``
(decisions/0015-what-changed.md)."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from euaigraph.graph import diff, versions

from . import components
from .state import Context

#: Rows of a table shown at most (the JSON download has everything).
SHOWN = 2000


def choices(ctx: Context) -> dict[str, str]:
    """Version name -> what the picker shows: the current graph, the previous version when one is kept, every kept
    version (newest first)."""
    kept = versions.kept_versions(ctx.ref)
    out = {versions.CURRENT: f"current ({ctx.version})"}
    older = [v for v in kept if v.version != ctx.version]
    if older:
        out[versions.PREVIOUS] = f"previous ({older[-1].version}, {older[-1].published[:16].replace('T', ' ')})"
    for item in reversed(older):
        out[item.version] = f"{item.version} ({item.published[:16].replace('T', ' ')}, {len(item.graphs)} sources)"
    return out


def uploaded_snapshot(data: bytes) -> str:
    """Keep an uploaded snapshot zip in a temporary file named by its hash; its path is the version's name."""
    path = Path(tempfile.gettempdir()) / f"euaigraph-snapshot-{hashlib.sha256(data).hexdigest()[:16]}.zip"
    if not path.exists():
        path.write_bytes(data)
    return str(path)


def compared(ctx: Context, before: str, after: str, *, questions: bool = True) -> diff.Diff:
    """The comparison, computed once per (before, after, data version) and shared by every session."""
    def work() -> diff.Diff:
        with versions.opened(versions.check(before), ref=ctx.ref) as a, \
                versions.opened(versions.check(after), ref=ctx.ref) as b:
            return diff.compare(a, b, questions=questions)

    return ctx.compute(("diff", before, after, questions), work)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows[:SHOWN], columns=columns)


def show(result: diff.Diff) -> None:
    """The comparison: figures, sources, entities, facts with their sources, saved questions' rows."""
    counts = result.counts()
    st.caption(" · ".join(result.summary()))
    a, b, c, d = st.columns(4)
    a.metric("Sources changed", counts["sources"])
    b.metric("Entities added / removed", f"+{counts['entities_added']} / -{counts['entities_removed']}")
    c.metric("Facts added / removed", f"+{counts['facts_added']} / -{counts['facts_removed']}")
    d.metric("Saved questions answering differently", f"{counts['questions_changed']} of {counts['questions']}")
    st.subheader("Sources")
    st.dataframe(_frame([{"source": s.source, "triples added": s.added, "triples removed": s.removed,
                          "graph before": s.before or "", "graph after": s.after or ""} for s in result.sources],
                        ["source", "triples added", "triples removed", "graph before", "graph after"]),
                 hide_index=True, width="stretch")
    st.subheader("Entities added and removed")
    st.dataframe(_frame([{"change": e.change, "kind": e.kind, "label": e.label, "entity": e.iri}
                         for e in result.entities], ["change", "kind", "label", "entity"]),
                 hide_index=True, width="stretch")
    st.subheader("Facts added and removed, with their sources")
    st.caption(f"Provenance-record triples ({result.unlisted.get('records', 0)}) and facts with blank nodes "
               f"({result.unlisted.get('blank', 0)}) are counted, not listed. At most {SHOWN:,} rows are shown.")
    st.dataframe(_frame([{"change": f.change, "subject": diff.shown(f.subject), "property": diff.shown(f.predicate),
                          "value": diff.shown(f.value), "source": f.source, "record": " ".join(f.record_urls)}
                         for f in result.facts], ["change", "subject", "property", "value", "source", "record"]),
                 hide_index=True, width="stretch")
    _questions(result)
    st.download_button("Download the whole comparison (JSON)", json.dumps(result.as_dict(), ensure_ascii=False),
                       f"changes-{result.before.version}-{result.after.version}.json", "application/json",
                       on_click="ignore")


def _questions(result: diff.Diff) -> None:
    st.subheader("Saved questions: rows added and removed")
    changed = [q for q in result.questions if q.changed]
    if not changed:
        st.caption("Every saved question gives the same rows on both versions." if result.questions else
                   "Saved questions were not compared.")
    for question in changed:
        label = (f"{question.name}: not answered ({question.error})" if question.error else
                 f"{question.name}: +{len(question.added)} / -{len(question.removed)} rows")
        with st.expander(label):
            st.caption(question.summary)
            rows = [{"change": change, **{v: diff.shown(t) for v, t in zip(question.variables, row)}}
                    for change, found in ((diff.ADDED, question.added), (diff.REMOVED, question.removed))
                    for row in found]
            st.dataframe(_frame(rows, ["change", *question.variables]), hide_index=True, width="stretch")
            st.page_link("views/questions.py", label=f"Open {question.name}", icon=":material/table:",
                         query_params={"q": question.name})


ERRORS = (versions.VersionError, *components.ERRORS)

__all__ = ["ERRORS", "SHOWN", "choices", "compared", "show", "uploaded_snapshot"]
