"""The meta graph: what each source graph is, where its input came from, and which graph is current.

Every run of every source writes here: the source (title, licence, live URL, priority, allowed shrink), the run
and its ledger (status; files read and skipped with reasons; records read, ingested, rejected with where and why,
merged into what by which rule; unresolved names; notes) and, for a successful run, the source graph it produced
with the input's URL, retrieval time and version. ``eai:currentGraph`` points from a source to its current graph;
switching that pointer is how a source is replaced. :func:`read_ledger` reads a run's ledger back for the
``sources --details`` command and the Sources page.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from euaigraph import __version__
from euaigraph.ingest.base import ITEMISED_LIMIT, Feed, Report, SourceSpec, Triple
from euaigraph.ontology.iri import licence_iri, node_iri, source_graph_iri, source_iri
from euaigraph.ontology.namespaces import META_GRAPH
from euaigraph.ontology.vocab import EAI

from .ledger import Ledger, read_ledger

__all__ = ["META_GRAPH", "Ledger", "Run", "current_records", "new_run_id", "read_ledger", "run_triples",
           "source_triples"]


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, unique run id: UTC time plus a random suffix.

    >>> import re; bool(re.fullmatch(r"\\d{8}T\\d{6}Z-[0-9a-f]{6}", new_run_id()))
    True
    """
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass
class Run:
    """One ingest run of one source, as the loader knows it."""

    spec: SourceSpec
    feed: Feed
    report: Report
    run_id: str = field(default_factory=new_run_id)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    ended: datetime | None = None
    triples_written: int = 0
    status: str = "running"
    error: str | None = None

    @property
    def graph(self) -> URIRef:
        return source_graph_iri(self.spec.id, self.run_id)

    @property
    def iri(self) -> URIRef:
        return node_iri("run", self.spec.id, self.run_id)


def _dt(value: datetime, *, precise: bool = False) -> Literal:
    # Run times keep microseconds so that two runs of one source in the same second still have an order.
    value = value.astimezone(UTC) if precise else value.astimezone(UTC).replace(microsecond=0)
    return Literal(value.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)


def _int(value: int) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


def _licence(value: str) -> URIRef:
    return URIRef(value) if value.startswith(("http://", "https://")) else licence_iri(value)


def source_triples(spec: SourceSpec) -> Iterator[Triple]:
    """What the meta graph says about a source, independent of any run."""
    src = source_iri(spec.id)
    yield src, RDF.type, EAI.Source
    yield src, RDFS.label, Literal(spec.title)
    yield src, EAI.homepage, URIRef(spec.homepage)
    if spec.data_licence:
        yield src, EAI.dataLicenceOfSource, _licence(spec.data_licence)
    if spec.licence_note:
        yield src, EAI.note, Literal(spec.licence_note)
    yield src, EAI.sourcePriority, _int(spec.priority)
    yield src, EAI.minimumTriples, _int(spec.min_triples)
    yield src, EAI.maximumShrink, Literal(f"{spec.max_shrink:.4f}".rstrip("0").rstrip(".") or "0", datatype=XSD.decimal)
    if spec.live_url:
        yield src, EAI.liveUrl, URIRef(spec.live_url)


def run_triples(run: Run) -> Iterator[Triple]:
    """The run, its rejected records and unresolved names, and (if it succeeded) its source graph."""
    src, run_node = source_iri(run.spec.id), run.iri
    yield run_node, RDF.type, EAI.IngestRun
    yield run_node, EAI.source, src
    yield run_node, PROV.startedAtTime, _dt(run.started, precise=True)
    if run.ended:
        yield run_node, PROV.endedAtTime, _dt(run.ended, precise=True)
    yield run_node, EAI.runStatus, Literal(run.status)
    yield run_node, EAI.softwareVersion, Literal(__version__)
    yield from _ledger_triples(run)
    yield run_node, EAI.sourceUrl, URIRef(run.feed.url)
    if run.error:
        yield run_node, EAI.runError, Literal(run.error)
    if run.status != "succeeded":
        return
    graph = run.graph
    yield graph, RDF.type, EAI.SourceGraph
    yield graph, EAI.source, src
    yield graph, PROV.wasGeneratedBy, run_node
    yield graph, EAI.sourceUrl, URIRef(run.feed.url)
    yield graph, EAI.retrievedAt, _dt(run.feed.retrieved_at)
    version = run.report.version or run.feed.version
    if version:
        yield graph, EAI.sourceVersion, Literal(version)
    yield graph, EAI.triplesWritten, _int(run.triples_written)
    yield graph, PROV.generatedAtTime, _dt(run.ended or run.started)


def _ledger_triples(run: Run) -> Iterator[Triple]:
    """The run's ledger: counts, files (skipped ones first; at most ITEMISED_LIMIT read ones itemised), rejected
    and merged records, unresolved names and notes."""
    report, run_node = run.report, run.iri
    skipped = report.files_skipped
    for predicate, value in ((EAI.recordsRead, report.records_read), (EAI.recordsIngested, report.records_ingested),
                             (EAI.recordsRejected, report.records_rejected), (EAI.recordsMerged, report.records_merged),
                             (EAI.filesRead, len(report.files) - len(skipped)), (EAI.filesSkipped, len(skipped))):
        yield run_node, predicate, _int(value)
    read = [f for f in report.files if f.status != "skipped"][:ITEMISED_LIMIT]
    for n, item in enumerate([*skipped[:ITEMISED_LIMIT], *read]):
        node = node_iri("feed-file", run.spec.id, run.run_id, str(n))
        yield run_node, EAI.feedFile, node
        yield node, RDF.type, EAI.FeedFile
        yield node, EAI.locator, Literal(item.path)
        yield node, EAI.fileStatus, Literal(item.status)
        if item.reason:
            yield node, EAI.reason, Literal(item.reason)
    for n, item in enumerate(report.rejected):
        node = node_iri("rejected", run.spec.id, run.run_id, str(n))
        yield run_node, EAI.rejected, node
        yield node, RDF.type, EAI.RejectedRecord
        yield node, EAI.locator, Literal(item.where)
        yield node, EAI.reason, Literal(item.reason)
    for n, item in enumerate(report.merges):
        node = node_iri("merged", run.spec.id, run.run_id, str(n))
        yield run_node, EAI.merged, node
        yield node, RDF.type, EAI.MergedRecord
        yield node, RDFS.label, Literal(item.record)
        yield node, EAI.mergedInto, Literal(item.into)
        yield node, EAI.mergeRule, Literal(item.rule)
        yield node, EAI.locator, Literal(item.where)
    for n, item in enumerate(report.unresolved):
        node = node_iri("unresolved", run.spec.id, run.run_id, str(n))
        yield run_node, EAI.unresolved, node
        yield node, RDF.type, EAI.UnresolvedName
        yield node, RDFS.label, Literal(item.name)
        yield node, EAI.nameKind, Literal(item.kind)
        yield node, EAI.locator, Literal(item.where)
    for text in report.notes[:ITEMISED_LIMIT]:
        yield run_node, EAI.note, Literal(text)


def current_records(store) -> dict[str, int]:
    """Source id -> records kept (ingested + merged) by the run that wrote its current graph; for runs stored
    before outcomes were counted, records read minus rejected."""
    rows = store.execute(
        f"PREFIX eai: <{EAI}>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"
        f"SELECT ?source ?read ?rejected ?ingested ?merged WHERE {{ GRAPH <{META_GRAPH}> {{ "
        "?source eai:currentGraph ?g . ?g prov:wasGeneratedBy ?run . ?run eai:recordsRead ?read ; "
        "eai:recordsRejected ?rejected . OPTIONAL { ?run eai:recordsIngested ?ingested } "
        "OPTIONAL { ?run eai:recordsMerged ?merged } } }").records()
    out = {}
    for row in rows:
        if row["ingested"] is not None:
            kept = int(str(row["ingested"])) + int(str(row["merged"] or 0))
        else:
            kept = int(str(row["read"])) - int(str(row["rejected"]))
        out[str(row["source"]).rsplit("/", 1)[-1]] = kept
    return out


def data_version(current_graphs: dict[str, str]) -> str:
    """A short, stable id of a state of the whole graph: a hash of the current graph of every source.

    >>> data_version({"a": "g1", "b": "g2"}) == data_version({"b": "g2", "a": "g1"})
    True
    >>> data_version({})
    'empty'
    """
    if not current_graphs:
        return "empty"
    text = "\n".join(f"{k} {v}" for k, v in sorted(current_graphs.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:12]
