"""The remote store: any SPARQL 1.1 server, selected by endpoint id (see :mod:`euaigraph.graph.store.config`).

It speaks the protocol the way every tested engine accepts it (:mod:`.sparql_http`) and keeps the embedded
store's guarantees without one giant request (decisions/0016-portable-remote-store.md):

- **Replace**: each new run graph is loaded in pieces (:mod:`.remote_load`) into a graph no pointer names, then
  one small update switches the pointers and records provenance, then the superseded graphs are dropped.
- **Read**: every answer is computed on the graphs the pointers name (by the engine's union while no write is
  pending, else by naming them), and kept only if the pointers did not move while it ran (:mod:`.remote_state`).
- **Truncation**: an answer an engine cut at its own row limit (Virtuoso's ResultSetMaxRows, announced in
  ``X-SPARQL-MaxRows`` or configured as ``row_limit``) is marked truncated, never passed off as complete.
- Export, backup and validation read one graph at a time (Graph Store Protocol GET, else CONSTRUCT).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from euaigraph.ontology.namespaces import GRAPH, META_GRAPH

from euaigraph.graph.store.base import (ExportFormat, QueryCancelled, QueryResult, Staged, Store, StoreBusyError,
                                        StoreError, graph_source, pointer_parts)
from euaigraph.graph.store.config import Endpoint, endpoint
from euaigraph.graph.store.remote_load import check_staged, file_lines, iri, load_graph, split_backup
from euaigraph.graph.store.remote_state import (GRAPHS_QUERY, LEASE_QUERY, VIEW_QUERY, Lease, View,
                                                is_state_triple, view_from)
from euaigraph.graph.store.sparql_http import (BROKEN, SOLUTIONS, TRIPLES, Shape, SparqlHttp, rdf_format,
                                               read_solutions, read_triples, shape)
from euaigraph.graph.store.terms import nt_term, to_oxigraph

log = logging.getLogger(__name__)
_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
_RAW = Shape(form="select", own_dataset=True)
#: A write changes the view three times (lease taken, pointers switched, lease given back): an answer that
#: overlaps writes in quick succession is asked again, up to this many times.
_ATTEMPTS = 10


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint. Read-only endpoints (no ``update`` URL) refuse every change with StoreError."""

    def __init__(self, endpoint_or_id: Endpoint | str):
        self.endpoint = endpoint(endpoint_or_id) if isinstance(endpoint_or_id, str) else endpoint_or_id
        self.name = f"endpoint {self.endpoint.id!r} ({self.endpoint.query})"
        self._http = SparqlHttp(self.endpoint, name=self.name)
        self._view: View | None = None

    # -- reading ------------------------------------------------------------------------------------------------
    def execute(self, sparql: str, *, row_cap: int | None = None, timeout: float | None = None) -> QueryResult:
        started = time.perf_counter()
        query = shape(sparql)
        if query.own_dataset:  # FROM / FROM NAMED: the query names its graphs itself
            out = self._run(sparql, query, row_cap=row_cap, timeout=timeout)
        else:
            out = self._consistent(sparql, query, row_cap=row_cap, timeout=timeout)
        out.elapsed_ms = (time.perf_counter() - started) * 1000
        return out

    def _consistent(self, sparql: str, query: Shape, *, row_cap: int | None, timeout: float | None) -> QueryResult:
        """The answer on the current graphs, kept only if the view was the same after it as before."""
        view = self._view or self._read_view()
        for _ in range(_ATTEMPTS):
            union = view.settled and self.endpoint.union != "none"
            graphs = () if union else view.graphs
            out = self._run(sparql, query, graphs=graphs, union=union, row_cap=row_cap, timeout=timeout)
            after = self._read_view()
            if after == view:
                return out
            view = after  # a write moved the pointers or began while the query ran: ask again
        raise QueryCancelled(f"{self.name} changed {_ATTEMPTS} times while answering; try again")

    def _read_view(self) -> View:
        self._view = view_from(self._plain(VIEW_QUERY))
        return self._view

    def _plain(self, sparql: str) -> list[tuple[str | None, ...]]:
        """Rows of a query sent as it is (no dataset), as plain text."""
        rows = self._run(sparql, _RAW, row_cap=None, timeout=None).rows
        return [tuple(None if t is None else str(t) for t in row) for row in rows]

    def _run(self, sparql: str, query: Shape, *, graphs: Sequence[str] = (), union: bool = False,
             row_cap: int | None, timeout: float | None) -> QueryResult:
        accept = SOLUTIONS if query.form in ("select", "ask") else TRIPLES
        response = self._http.query(sparql, accept=accept, default_graphs=graphs, named_graphs=graphs,
                                    union=union and self.endpoint.union == "oxigraph", timeout=timeout)
        try:
            out = (read_solutions(response, row_cap) if query.form in ("select", "ask")
                   else read_triples(response, row_cap))
        except BROKEN as exc:
            raise QueryCancelled(f"{self.name} sent an incomplete or malformed answer (cut off by a server time "
                                 f"limit?): {str(exc)[:300]}") from exc
        finally:
            response.close()
        self._check_engine_limit(out, response.headers.get("X-SPARQL-MaxRows"), row_cap)
        return out

    def _check_engine_limit(self, out: QueryResult, announced: str | None, row_cap: int | None) -> None:
        """Mark an answer the engine cut at its own row limit; refuse one when the caller wanted every row."""
        limit = int(announced) if announced and announced.isdigit() else self.endpoint.row_limit
        if limit is None or out.truncated or len(out) < limit:
            return
        if row_cap is None:
            raise StoreError(f"{self.name} cut the answer at its limit of {limit} rows, so it may be incomplete; "
                             "raise the engine's limit (Virtuoso: [SPARQL] ResultSetMaxRows)")
        out.truncated, out.row_cap = True, min(limit, row_cap)

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return super().count()
        # One graph, current or not, as it is on the server (Virtuoso counts one triple in a graph left out of
        # the named graphs of a query, instead of none).
        return int(self._plain(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}")[0][0] or 0)

    def current_graphs(self) -> dict[str, str]:
        return dict(self._read_view().current)

    def _our_graphs(self) -> list[str]:
        """Every graph of ours on the server (the meta graph, run graphs current or not), however it is read."""
        names = [g for g, _n in self._plain(GRAPHS_QUERY) if g]
        return sorted(g for g in names if g == str(META_GRAPH) or graph_source(g))

    # -- writing ------------------------------------------------------------------------------------------------
    @contextmanager
    def _writing(self) -> Iterator[Lease]:
        """Hold the write lease (with a new pending-write marker) while the body runs."""
        lease = Lease()
        self._http.update(lease.take())
        held = [lease_value for (lease_value,) in self._plain(LEASE_QUERY)]
        if not any(lease.holds(value) for value in held):
            raise StoreBusyError(f"{self.name} is being written by another euaigraph process (its lease: "
                                 f"{', '.join(v or '' for v in held)}); wait for it to finish")
        try:
            yield lease
        finally:
            try:
                self._http.update(lease.release(settled=lease.settled))
            except StoreError as exc:  # the lease lapses by itself; readers keep naming graphs until a later write
                log.warning("%s: could not give back the write lease: %s", self.name, exc)
            self._view = None

    def _keep(self, lease: Lease):
        def renew() -> None:
            if lease.due():
                self._http.update(lease.renew())
                if not any(lease.holds(v) for (v,) in self._plain(LEASE_QUERY)):
                    raise StoreError(f"{self.name}: another process took the write lease; this write stopped")
        return renew

    def _drop(self, graphs: Sequence[str], lease: Lease) -> None:
        renew = self._keep(lease)
        for graph in graphs:
            renew()
            self._http.update(f"DROP SILENT GRAPH {iri(graph)}")

    def swap(self, staged: Sequence[Staged]) -> None:
        """Load each staged run into its graph in pieces, switch the pointers in one update, drop the old graphs."""
        if not staged:
            return
        for item in staged:
            check_staged(item)
        with self._writing() as lease:
            old = self.current_graphs()
            self._drop([g for g in self._our_graphs() if g != str(META_GRAPH) and g not in old.values()], lease)
            loaded: list[str] = []
            try:
                for item in staged:
                    loaded.append(str(item.run.graph))
                    load_graph(self._http, loaded[-1], file_lines(item.path), between=self._keep(lease))
                deletes, lines = pointer_parts(staged, old)
                self._insert_meta_locked(lines, lease, first=deletes)
            except StoreError as exc:
                try:
                    self._drop(loaded, lease)
                except StoreError:
                    log.warning("%s: graphs of the failed swap stay until the next write removes them", self.name)
                raise StoreError(f"{self.name}: the swap failed and changed nothing: {exc}") from exc
            superseded = [old[s.run.spec.id] for s in staged if s.run.spec.id in old]
            try:
                self._drop(superseded, lease)
                lease.settled = True
            except StoreError as exc:  # the swap holds; the next write removes what is left
                log.warning("%s: superseded graphs stay until the next write: %s", self.name, exc)

    def _commit(self, staged: Sequence[Staged], update: str, superseded: Sequence[str]) -> None:
        raise TypeError("RemoteStore.swap sends the pointer switch itself, in parts an engine accepts")

    def _meta_update(self, update: str) -> None:
        self._http.update(update)

    def _insert_meta(self, lines: list[str]) -> None:
        if not lines:  # an empty graph block is a syntax error on Virtuoso
            return
        if len(lines) <= self.endpoint.update_triples:
            self._http.update(f"INSERT DATA {{ GRAPH {nt_term(META_GRAPH)} {{\n{''.join(lines)}}} }}")
            return
        with self._writing() as lease:  # the pieces wait in a graph of their own: hold the lease meanwhile
            self._insert_meta_locked(lines, lease)

    def _insert_meta_locked(self, lines: list[str], lease: Lease, *, first: Sequence[str] = ()) -> None:
        """``first`` (updates), then the lines into the meta graph, in one request: small inserts as INSERT DATA,
        large ones written in pieces to a graph of their own, then copied into the meta graph."""
        meta = nt_term(META_GRAPH)
        if len(lines) <= self.endpoint.update_triples:
            insert = [f"INSERT DATA {{ GRAPH {meta} {{\n{''.join(lines)}}} }}"] if lines else []
            self._http.update(" ;\n".join([*first, *insert]))
            return
        incoming = f"{GRAPH}incoming/{lease.writer}"
        self._http.update(f"DROP SILENT GRAPH {iri(incoming)}")
        load_graph(self._http, incoming, (line.encode("utf-8") for line in lines), between=self._keep(lease))
        # INSERT ... WHERE rather than ADD, which Jena 4.5 refuses for a named source graph ("Invalid source target").
        copy = f"INSERT {{ GRAPH {meta} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {iri(incoming)} {{ ?s ?p ?o }} }}"
        self._http.update(" ;\n".join([*first, copy, f"DROP SILENT GRAPH {iri(incoming)}"]))

    # -- one graph at a time: export, backup, restore -------------------------------------------------------
    def _graph(self, graph: str) -> Iterator[ox.Triple]:
        if self.endpoint.store:
            reply = self._http.graph_get(graph)
            if reply is None:  # no such graph: a current graph may be empty (the derived graph of a tiny store)
                return
            try:
                yield from ox.parse(reply.raw, format=rdf_format(reply, ox.RdfFormat.N_TRIPLES))
            except BROKEN as exc:
                raise StoreError(f"{self.name}: graph <{graph}> came back incomplete or malformed: {exc}") from exc
            finally:
                reply.close()
            return
        result = self._run(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}",
                           Shape(form="construct", own_dataset=True), row_cap=None, timeout=None)
        for s, p, o in result.triples:
            yield ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))

    def export(self, dest: BinaryIO, *, format: ExportFormat = "trig") -> None:
        """The current graphs and the meta graph (without the write lease and marker), read one graph at a time
        and kept only if no pointer moved meanwhile, as one TriG or N-Quads document."""
        with tempfile.TemporaryFile(prefix="euaigraph-export-") as spool:
            for _ in range(_ATTEMPTS):
                view = self._read_view()
                spool.seek(0)
                spool.truncate()
                ox.serialize(self._quads(view.graphs), output=spool, format=ox.RdfFormat.N_QUADS)
                if self._read_view() == view:
                    break
            else:
                raise StoreError(f"{self.name} changed {_ATTEMPTS} times during the export; try again")
            spool.seek(0)
            if format == "nquads":
                shutil.copyfileobj(spool, dest)
            else:
                ox.serialize(ox.parse(spool, format=ox.RdfFormat.N_QUADS), output=dest, format=_FORMATS[format])

    def _quads(self, graphs: Sequence[str]) -> Iterator[ox.Quad]:
        for graph in graphs:
            name = ox.NamedNode(graph)
            for triple in self._graph(graph):
                if graph != str(META_GRAPH) or not is_state_triple(triple.predicate.value):
                    yield ox.Quad(triple.subject, triple.predicate, triple.object, name)

    def graph_names(self) -> list[str]:
        """Every graph of ours on the server, current or not (the meta graph, run graphs, pieces in waiting)."""
        return self._our_graphs()

    def backup(self, target: Path) -> Path:
        target = Path(target)
        if target.exists():
            raise StoreError(f"backup target {target} already exists")
        partial = target.with_name(target.name + ".partial")
        with partial.open("wb") as handle:
            self.export(handle, format="nquads")
        partial.rename(target)
        return target

    def restore(self, backup: Path) -> None:
        """Replace the dataset with an N-Quads backup: its graphs loaded in pieces beside the current ones, then the
        meta graph replaced in one request, then every graph the backup does not hold dropped."""
        backup = Path(backup)
        with tempfile.TemporaryDirectory(prefix="euaigraph-restore-") as work:
            files = split_backup(backup, Path(work))
            if str(META_GRAPH) not in files:
                raise StoreError(f"{backup} is not an euaigraph backup: it has no meta graph")
            with self._writing() as lease:
                before = self.current_graphs()
                present = self._our_graphs()
                self._drop([g for g in present if g not in before.values() and g != str(META_GRAPH)], lease)
                for graph, path in files.items():
                    if graph != str(META_GRAPH) and graph not in before.values():  # a run graph never changes
                        load_graph(self._http, graph, file_lines(path), between=self._keep(lease))
                meta_lines = [line.decode("utf-8") for line in file_lines(files[str(META_GRAPH)])]
                self._insert_meta_locked([*meta_lines, lease.state_triples()], lease,
                                         first=[f"DROP SILENT GRAPH {nt_term(META_GRAPH)}"])
                after = self.current_graphs()
                stale = set(present) | set(before.values())
                self._drop(sorted(g for g in stale if g not in files and g != str(META_GRAPH)), lease)
                lease.settled = after != before

    def close(self) -> None:
        self._http.close()
