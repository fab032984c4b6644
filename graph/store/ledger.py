"""Reading a run's ledger back from the meta graph (what :mod:`.provenance` wrote): for ``euaigraph sources
--details SOURCE``, the Sources page and anyone who asks the store.

Every value here came from a feed or a parser's message: callers show it as plain text, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from euaigraph.ontology.iri import source_iri
from euaigraph.ontology.namespaces import META_GRAPH, PREFIXES

if TYPE_CHECKING:
    from .base import Store

_PREFIXES = (f"PREFIX eai: <{PREFIXES['eai']}>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"
             "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")


@dataclass(frozen=True)
class Ledger:
    """The ledger of one run: counts, files read and skipped, rejected and merged records, names, notes."""

    source: str
    run: str
    status: str
    started: str
    error: str | None
    records_read: int
    records_ingested: int | None
    records_rejected: int
    records_merged: int | None
    files_read: int | None
    files_skipped: int | None
    files: list[tuple[str, str, str]] = field(default_factory=list)  # (path, read|skipped, reason)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    merges: list[tuple[str, str, str, str]] = field(default_factory=list)  # (record, into, rule, where)
    unresolved: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, where)
    notes: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool | None:
        """Whether every record read has an outcome (None for runs stored before outcomes were counted)."""
        if self.records_ingested is None or self.records_merged is None:
            return None
        return self.records_read == self.records_ingested + self.records_rejected + self.records_merged

    def summary(self) -> list[tuple[str, str]]:
        """(what, value) lines for a two-column table."""
        def text(value: int | None) -> str:
            return "not recorded" if value is None else f"{value:,}"

        return [("run", self.run), ("status", self.status), ("started", self.started),
                ("records read", text(self.records_read)), ("ingested", text(self.records_ingested)),
                ("rejected", text(self.records_rejected)), ("merged", text(self.records_merged)),
                ("balanced", {True: "yes", False: "NO", None: "not recorded"}[self.balanced]),
                ("files read", text(self.files_read)), ("files skipped", text(self.files_skipped)),
                *([("error", self.error)] if self.error else [])]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _number(value: object) -> int | None:
    return None if value is None else int(str(value))


def read_ledger(store: Store, source_id: str) -> Ledger | None:
    """The ledger of the last run of a source (failed or not), or None if the store has never run it."""
    source = source_iri(source_id)
    rows = store.execute(
        f"{_PREFIXES}SELECT ?run ?status ?started ?error ?read ?ingested ?rejected ?merged ?filesRead ?filesSkipped "
        f"WHERE {{ GRAPH <{META_GRAPH}> {{ ?run a eai:IngestRun ; eai:source <{source}> ; prov:startedAtTime ?started ;"
        " eai:runStatus ?status ; eai:recordsRead ?read ; eai:recordsRejected ?rejected ."
        " OPTIONAL { ?run eai:runError ?error } OPTIONAL { ?run eai:recordsIngested ?ingested }"
        " OPTIONAL { ?run eai:recordsMerged ?merged } OPTIONAL { ?run eai:filesRead ?filesRead }"
        " OPTIONAL { ?run eai:filesSkipped ?filesSkipped } } } ORDER BY DESC(?started) LIMIT 1").records()
    if not rows:
        return None
    row = rows[0]
    run = str(row["run"])

    def items(pattern: str, names: tuple[str, ...]) -> list[tuple[str, ...]]:
        found = store.execute(f"{_PREFIXES}SELECT {' '.join('?' + n for n in names)} WHERE {{ GRAPH <{META_GRAPH}> "
                              f"{{ <{run}> {pattern} }} }}").records()
        return sorted(tuple(_text(r[n]) for n in names) for r in found)

    files = items("eai:feedFile ?f . ?f eai:locator ?path ; eai:fileStatus ?status . OPTIONAL { ?f eai:reason ?why }",
                  ("path", "status", "why"))
    return Ledger(
        source=source_id, run=run.rsplit("/", 1)[-1], status=_text(row["status"]), started=_text(row["started"]),
        error=_text(row["error"]) or None, records_read=int(str(row["read"])),
        records_ingested=_number(row["ingested"]), records_rejected=int(str(row["rejected"])),
        records_merged=_number(row["merged"]), files_read=_number(row["filesRead"]),
        files_skipped=_number(row["filesSkipped"]),
        files=sorted(files, key=lambda f: (f[1] != "skipped", f[0])),  # skipped files first: they need reading
        rejected=items("eai:rejected ?x . ?x eai:locator ?where ; eai:reason ?why", ("where", "why")),
        merges=items("eai:merged ?x . ?x rdfs:label ?record ; eai:mergedInto ?into ; eai:mergeRule ?rule ; "
                     "eai:locator ?where", ("record", "into", "rule", "where")),
        unresolved=items("eai:unresolved ?x . ?x rdfs:label ?name ; eai:nameKind ?kind ; eai:locator ?where",
                         ("name", "kind", "where")),
        notes=[n[0] for n in items("eai:note ?note", ("note",))],
    )
