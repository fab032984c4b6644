"""One store interface, two backends: :class:`~euaigraph.graph.store.embedded.EmbeddedStore` (Oxigraph on disk, the
default) and :class:`~euaigraph.graph.store.remote.RemoteStore` (any SPARQL 1.1 server, selected by endpoint id).

Every source lives in its own named graph, one per run (``graph/<source>/<run>``). The meta graph points from
each source to its current graph; :meth:`Store.swap` replaces any number of sources in one transaction by
loading their new graphs, then switching the pointers and writing the runs' provenance in one atomic update.
Queries see the union of the current graphs (plus the meta graph), never a staged or superseded one.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib import Literal as RdfLiteral
from rdflib import URIRef
from rdflib.namespace import PROV, XSD
from rdflib.term import Node

from euaigraph.ingest.base import Triple
from euaigraph.ontology.iri import source_iri
from euaigraph.ontology.namespaces import GRAPH, META_GRAPH, PREFIXES
from euaigraph.ontology.vocab import EAI

from euaigraph.graph.store.provenance import Run, data_version, run_triples, source_triples
from euaigraph.graph.store.terms import nt_line, nt_term, to_rdflib

QueryKind = Literal["select", "ask", "graph"]
ExportFormat = Literal["trig", "nquads"]

_GRAPH_RUN = re.compile(re.escape(str(GRAPH)) + r"([a-z0-9][a-z0-9-]*)/([A-Za-z0-9-]+)$")


class StoreError(Exception):
    """A store operation failed; the message says which store and why."""


class StoreBusyError(StoreError):
    """Another process is writing to the same embedded store."""


class QueryCancelled(StoreError):
    """The query was stopped (time limit, server timeout, cut-off response): its result is not complete."""


@dataclass
class QueryResult:
    """Typed rows (rdflib terms), a boolean or triples, with the row cap and how long it took."""

    kind: QueryKind
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False
    row_cap: int | None = None
    elapsed_ms: float = 0.0
    #: The data version the answer was computed on, where the backend knows it exactly (the embedded store).
    data_version: str | None = None
    #: True when the answer was kept from an earlier run on the same data version (see graph/answers.py).
    cached: bool = False

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def column(self, name: str) -> list[Node | None]:
        index = self.variables.index(name)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.variables, row)) for row in self.rows]


def capped_solutions(parsed, row_cap: int | None) -> QueryResult:
    """A pyoxigraph SELECT or ASK answer (from the embedded store or parsed from a server's response) as a
    :class:`QueryResult`, read as it streams in; with ``row_cap``, stopped after one row more than the cap."""
    if isinstance(parsed, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(parsed))
    variables = [v.value for v in parsed.variables]
    out = QueryResult(kind="select", variables=variables, row_cap=row_cap)
    for n, solution in enumerate(parsed):
        if row_cap is not None and n >= row_cap:
            out.truncated = True
            break
        out.rows.append(tuple(map(to_rdflib, solution)))  # a solution iterates its values in variable order
    return out


def capped_triples(triples, row_cap: int | None) -> QueryResult:
    """pyoxigraph triples (a CONSTRUCT or DESCRIBE answer) as a :class:`QueryResult`, capped like
    :func:`capped_solutions`."""
    out = QueryResult(kind="graph", row_cap=row_cap)
    for n, triple in enumerate(triples):
        if row_cap is not None and n >= row_cap:
            out.truncated = True
            break
        out.triples.append((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return out


@dataclass(frozen=True)
class SourceStatus:
    """The last run of one source, as the meta graph records it."""

    source: str
    title: str
    current_graph: str | None
    status: str | None
    last_run: str | None
    retrieved_at: str | None
    source_url: str | None
    version: str | None
    data_licence: str | None
    records_read: int | None
    records_rejected: int | None
    triples: int | None


@dataclass(frozen=True)
class Staged:
    """A run whose triples are written, as N-Triples, to ``path`` and are ready to swap in."""

    run: Run
    path: Path


def graph_source(graph_iri: str) -> str | None:
    """The source id of a per-run graph IRI, or None for any other graph.

    >>> graph_source("https://w3id.org/euaigraph/graph/osai-index/20261127T053000Z-1a2b3c")
    'osai-index'
    >>> graph_source("https://w3id.org/euaigraph/graph/meta") is None
    True
    """
    match = _GRAPH_RUN.match(graph_iri)
    return match.group(1) if match else None


def pointer_parts(staged: Sequence[Staged], old: dict[str, str]) -> tuple[list[str], list[str]]:
    """The pointer switch and provenance of a swap: updates that clear what the meta graph says of each source,
    and the N-Triples lines (in the meta graph) that describe the sources, their runs and the new pointers."""
    deletes = [f"DELETE WHERE {{ GRAPH {nt_term(META_GRAPH)} {{ {nt_term(source_iri(item.run.spec.id))} ?p ?o }} }}"
               for item in staged]
    now = RdfLiteral(datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)
    lines: list[str] = []
    for item in staged:
        lines.extend(nt_line(*t) for t in source_triples(item.run.spec))
        lines.extend(nt_line(*t) for t in run_triples(item.run))
        lines.append(nt_line(source_iri(item.run.spec.id), EAI.currentGraph, item.run.graph))
        previous = old.get(item.run.spec.id)
        if previous:
            lines.append(nt_line(URIRef(previous), PROV.invalidatedAtTime, now))
    return deletes, lines


def pointer_update(staged: Sequence[Staged], old: dict[str, str]) -> str:
    """The SPARQL update that makes the staged graphs current and records the runs (one transaction)."""
    deletes, lines = pointer_parts(staged, old)
    return " ;\n".join([*deletes, f"INSERT DATA {{ GRAPH {nt_term(META_GRAPH)} {{\n{''.join(lines)}}} }}"])


_CURRENT_GRAPHS = f"""
SELECT ?source ?graph WHERE {{
  GRAPH <{META_GRAPH}> {{ ?source a <{PREFIXES['eai']}Source> ; <{PREFIXES['eai']}currentGraph> ?graph }}
}}"""

_SOURCES = f"""
PREFIX eai: <{PREFIXES['eai']}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?source ?title ?graph ?status ?started ?retrieved ?url ?version ?licence ?read ?rejected ?triples WHERE {{
  GRAPH <{META_GRAPH}> {{
    ?source a eai:Source ; rdfs:label ?title .
    OPTIONAL {{ ?source eai:dataLicenceOfSource ?licence }}
    OPTIONAL {{ ?source eai:currentGraph ?graph .
               OPTIONAL {{ ?graph eai:retrievedAt ?retrieved }} OPTIONAL {{ ?graph eai:sourceUrl ?url }}
               OPTIONAL {{ ?graph eai:sourceVersion ?version }} OPTIONAL {{ ?graph eai:triplesWritten ?triples }} }}
    OPTIONAL {{
      ?run a eai:IngestRun ; eai:source ?source ; prov:startedAtTime ?started ; eai:runStatus ?status ;
           eai:recordsRead ?read ; eai:recordsRejected ?rejected .
      FILTER NOT EXISTS {{ ?later a eai:IngestRun ; eai:source ?source ; prov:startedAtTime ?t2 FILTER(?t2 > ?started) }}
    }}
  }}
}} ORDER BY ?source"""


class Store(ABC):
    """The operations every backend offers. See the module docstring for the model."""

    #: Human-readable name for messages ("embedded store at data/store", "endpoint 'local'").
    name: str = "store"

    # -- backend hooks -------------------------------------------------------------------------------------
    @abstractmethod
    def execute(self, sparql: str, *, row_cap: int | None = None) -> QueryResult:
        """Run a read query as given, unguarded, over the union of the current graphs and the meta graph.

        Callers that take queries from people use :func:`euaigraph.graph.query.run.run_query`, which guards,
        binds parameters and enforces a time limit first.
        """

    @abstractmethod
    def _commit(self, staged: Sequence[Staged], update: str, superseded: Sequence[str]) -> None:
        """Load the staged graphs, run ``update`` (pointer switch and provenance) atomically, drop ``superseded``."""

    @abstractmethod
    def _meta_update(self, update: str) -> None:
        """Run a small update on the meta graph only."""

    @abstractmethod
    def export(self, dest: BinaryIO, *, format: ExportFormat = "trig") -> None:
        """Write the whole dataset (current graphs and the meta graph) to ``dest``."""

    @abstractmethod
    def backup(self, target: Path) -> Path:
        """Write a backup to ``target`` (a new folder or file) and return its path."""

    @abstractmethod
    def restore(self, backup: Path) -> None:
        """Replace the whole dataset with a backup made by :meth:`backup`."""

    def values(self, sparql: str) -> list[tuple[str | None, ...]]:
        """Rows of a SELECT as plain strings (an IRI's text, a literal's lexical form; None where unbound, and for
        an empty literal, as in SPARQL's CSV results).

        For bulk readers (the analysis builds graphs of 10^5 nodes) that need no typed terms; backends may
        override it to skip making rdflib terms, which costs more than the query itself at that size.
        """
        result = self.execute(sparql)
        if result.kind != "select":
            raise StoreError(f"{self.name}: values() needs a SELECT query")
        return [tuple(None if term is None else str(term) or None for term in row) for row in result.rows]

    def staging_dir(self) -> Path | None:
        """Where loads write their staged files (None: the system's temporary folder)."""
        return None

    def preload(self, item: Staged) -> None:
        """Start loading a staged run into its own graph, which stays invisible until :meth:`swap` makes it
        current; a backend may do this in the background while later sources are parsed. The default does
        nothing and :meth:`swap` loads everything."""

    def discard_preloads(self) -> None:
        """Wait for and drop preloaded graphs that no swap made current (a load that failed before its swap)."""

    def close(self) -> None:
        """Release the store (file locks, connections). Safe to call twice."""

    # -- shared behaviour ----------------------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def current_graphs(self) -> dict[str, str]:
        """Source id -> IRI of its current graph."""
        result = self.execute(_CURRENT_GRAPHS)
        out: dict[str, str] = {}
        for source, graph in result.rows:
            out[str(source).rsplit("/", 1)[-1]] = str(graph)
        return out

    def data_version(self) -> str:
        """Changes whenever any source is replaced; use it to key caches."""
        return data_version(self.current_graphs())

    def swap(self, staged: Sequence[Staged]) -> None:
        """Make the staged runs current, all at once, and record their provenance.

        Raises :class:`StoreError` if the store refuses; the previous graphs stay current in that case.
        """
        if not staged:
            return
        old = self.current_graphs()
        update = pointer_update(staged, old)
        superseded = [old[s.run.spec.id] for s in staged if s.run.spec.id in old]
        self._commit(staged, update, superseded)

    def record_failure(self, run: Run) -> None:
        """Record a failed run in the meta graph without touching any source graph."""
        lines = [nt_line(*t) for t in run_triples(run)]
        src = source_iri(run.spec.id)
        known = self.execute(f"ASK {{ GRAPH <{META_GRAPH}> {{ <{src}> ?p ?o }} }}").boolean
        if not known:
            lines += [nt_line(*t) for t in source_triples(run.spec)]
        self._insert_meta(lines)

    def _insert_meta(self, lines: list[str]) -> None:
        """Add N-Triples lines to the meta graph in one change (a backend may send them in pieces)."""
        self._meta_update(f"INSERT DATA {{ GRAPH {nt_term(META_GRAPH)} {{\n{''.join(lines)}}} }}")

    def sources(self) -> list[SourceStatus]:
        """Every source the store has seen, with its current graph and its last run."""
        out = []
        for row in self.execute(_SOURCES).records():
            def text(key: str) -> str | None:
                value = row.get(key)
                return None if value is None else str(value)

            def number(key: str) -> int | None:
                value = row.get(key)
                return None if value is None else int(value)

            out.append(
                SourceStatus(
                    source=str(row["source"]).rsplit("/", 1)[-1],
                    title=text("title") or "",
                    current_graph=text("graph"),
                    status=text("status"),
                    last_run=text("started"),
                    retrieved_at=text("retrieved"),
                    source_url=text("url"),
                    version=text("version"),
                    data_licence=text("licence"),
                    records_read=number("read"),
                    records_rejected=number("rejected"),
                    triples=number("triples"),
                )
            )
        return out

    def count(self, graph: str | None = None) -> int:
        """Number of triples in one graph, or quads in the whole visible dataset (current graphs and meta)."""
        if graph:
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        else:
            query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        return int(self.execute(query).rows[0][0])

    def graph_names(self) -> list[str]:
        """Every named graph the store holds with any triple, current or not (validation looks for strays)."""
        rows = self.execute("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        return sorted(str(g) for (g,) in rows if isinstance(g, URIRef))

    def graph_triples(self, graph: str) -> Iterator[Triple]:
        """Every triple of one named graph."""
        result = self.execute(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        for s, p, o in result.rows:
            yield s, p, o
