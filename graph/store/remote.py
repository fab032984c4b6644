"""The remote store: any SPARQL 1.1 server, selected by endpoint id (see :mod:`euaigraph.graph.store.config`).

Queries go over the SPARQL 1.1 Protocol through SPARQLWrapper; results are parsed as they stream in and the
connection is dropped once the row cap is reached. A replace is **one** SPARQL Update request that inserts the
new graphs, switches the pointers, records provenance and drops the superseded graphs, so a server that runs
each update request in a transaction (Oxigraph, Fuseki/TDB2, GraphDB) never shows a half-replaced source.
Export and backup use the Graph Store Protocol.
"""

from __future__ import annotations

import http.client
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
import requests
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

from euaigraph.graph.store.config import Endpoint, endpoint
from euaigraph.graph.store.base import ExportFormat, QueryCancelled, QueryResult, Staged, Store, StoreError
from euaigraph.graph.store.terms import to_rdflib

_ACCEPT = {"trig": "application/trig", "nquads": "application/n-quads"}
_CHUNK = 1 << 16
#: How servers word a query they stopped (Oxigraph: "The SPARQL operation has been cancelled").
_CANCELLED = re.compile(r"cancell?ed|timed? ?out", re.IGNORECASE)


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint. Read-only endpoints (no ``update`` URL) refuse every change with StoreError."""

    def __init__(self, endpoint_or_id: Endpoint | str):
        self.endpoint = endpoint(endpoint_or_id) if isinstance(endpoint_or_id, str) else endpoint_or_id
        self.name = f"endpoint {self.endpoint.id!r} ({self.endpoint.query})"
        self._http = requests.Session()

    # -- queries ----------------------------------------------------------------------------------------------
    def _wrapper(self, sparql: str, timeout: float | None) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint.query, agent="euaigraph")
        # Only the query endpoint is given, never an update endpoint: SPARQLWrapper would otherwise send
        # an update-shaped text as an update.
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(POSTDIRECTLY)
        wrapper.setQuery(sparql)
        wrapper.setTimeout(int(timeout or self.endpoint.timeout_s))
        if self.endpoint.union == "oxigraph":
            wrapper.addParameter("union-default-graph", "true")
        query_type = wrapper.queryType
        if query_type in ("CONSTRUCT", "DESCRIBE"):
            wrapper.setReturnFormat(TURTLE)
        elif query_type in ("SELECT", "ASK"):
            wrapper.setReturnFormat(JSON)
        else:
            raise StoreError(f"{self.name}: only read queries are sent to the query endpoint, not {query_type}")
        return wrapper

    def execute(self, sparql: str, *, row_cap: int | None = None, timeout: float | None = None) -> QueryResult:
        started = time.perf_counter()
        wrapper = self._wrapper(sparql, timeout)
        try:
            response = wrapper.query().response
        except SPARQLWrapperException as exc:
            if isinstance(exc, EndPointInternalError) and _CANCELLED.search(str(exc)):  # the server's time limit
                raise QueryCancelled(f"{self.name} stopped the query at its time limit: {_first_line(exc)}") from exc
            raise StoreError(f"{self.name} refused the query: {_first_line(exc)}") from exc
        except OSError as exc:  # connection refused, timeouts
            raise QueryCancelled(f"{self.name} did not answer: {exc}") from exc
        try:
            if wrapper.queryType in ("CONSTRUCT", "DESCRIBE"):
                out = self._graph_result(response, row_cap)
            else:
                out = self._solutions_result(response, row_cap)
            # http.client stops quietly at a connection closed before Content-Length: the bytes still owed tell.
            if not out.truncated and getattr(response, "length", None):
                raise ValueError(f"the connection closed {response.length} bytes before the announced end")
        except (SyntaxError, ValueError, OSError, http.client.HTTPException) as exc:
            raise QueryCancelled(
                f"{self.name} sent an incomplete or malformed response (cut off by a server time limit?): {exc}"
            ) from exc
        finally:
            response.close()
        out.elapsed_ms = (time.perf_counter() - started) * 1000
        return out

    def _solutions_result(self, response, row_cap: int | None) -> QueryResult:
        parsed = ox.parse_query_results(response, format=ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(parsed))
        variables = [v.value for v in parsed.variables]
        out = QueryResult(kind="select", variables=variables, row_cap=row_cap)
        for n, solution in enumerate(parsed):
            if row_cap is not None and n >= row_cap:
                out.truncated = True
                break
            out.rows.append(tuple(to_rdflib(solution[v]) for v in variables))
        return out

    def _graph_result(self, response, row_cap: int | None) -> QueryResult:
        out = QueryResult(kind="graph", row_cap=row_cap)
        for n, triple in enumerate(ox.parse(response, format=ox.RdfFormat.TURTLE)):
            if row_cap is not None and n >= row_cap:
                out.truncated = True
                break
            out.triples.append((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return out

    # -- changes ----------------------------------------------------------------------------------------------
    def _post_update(self, body: Iterator[bytes] | bytes) -> None:
        if self.endpoint.update is None:
            raise StoreError(f"{self.name} is read-only (no update URL configured)")
        try:
            reply = self._http.post(
                self.endpoint.update,
                data=body,
                headers={"Content-Type": "application/sparql-update; charset=utf-8"},
                timeout=max(self.endpoint.timeout_s, 600),
            )
        except requests.RequestException as exc:
            raise StoreError(f"{self.name}: update failed, nothing was changed: {exc}") from exc
        if reply.status_code >= 300:
            raise StoreError(f"{self.name}: update refused ({reply.status_code}): {reply.text[:500]}")

    def _commit(self, staged: Sequence[Staged], update: str, superseded: Sequence[str]) -> None:
        def body() -> Iterator[bytes]:
            for item in staged:
                yield f"INSERT DATA {{ GRAPH <{item.run.graph}> {{\n".encode()
                with item.path.open("rb") as handle:
                    while block := handle.read(_CHUNK):
                        yield block
                yield b"} } ;\n"
            for graph in superseded:
                yield f"DROP SILENT GRAPH <{graph}> ;\n".encode()
            yield update.encode()

        self._post_update(body())

    def _meta_update(self, update: str) -> None:
        self._post_update(update.encode())

    def export(self, dest: BinaryIO, *, format: ExportFormat = "trig") -> None:
        if not self.endpoint.store:
            raise StoreError(f"{self.name} has no Graph Store Protocol URL ('store') configured")
        try:
            with self._http.get(self.endpoint.store, headers={"Accept": _ACCEPT[format]}, stream=True,
                                timeout=max(self.endpoint.timeout_s, 600)) as reply:
                if reply.status_code >= 300:
                    raise StoreError(f"{self.name}: export refused ({reply.status_code}): {reply.text[:300]}")
                for block in reply.iter_content(_CHUNK):
                    dest.write(block)
        except requests.RequestException as exc:
            raise StoreError(f"{self.name}: export failed: {exc}") from exc

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
        """Replace everything on the server with the backup, in one update request."""
        backup = Path(backup)
        try:
            quads = list(ox.parse(path=str(backup), format=ox.RdfFormat.N_QUADS))
        except (SyntaxError, OSError) as exc:
            raise StoreError(f"{backup} is not an N-Quads backup: {exc}") from exc

        def body() -> Iterator[bytes]:
            yield b"DROP ALL ;\nINSERT DATA {\n"
            for quad in quads:
                if isinstance(quad.graph_name, ox.DefaultGraph):
                    yield f"{quad.subject} {quad.predicate} {quad.object} .\n".encode()
                else:
                    yield f"GRAPH {quad.graph_name} {{ {quad.subject} {quad.predicate} {quad.object} }}\n".encode()
            yield b"}\n"

        self._post_update(body())

    def close(self) -> None:
        self._http.close()


def _first_line(exc: Exception) -> str:
    """The error's first line, and what the server said (SPARQLWrapper puts its answer after "Response:")."""
    text = str(exc).strip()
    if not text:
        return type(exc).__name__
    said = text.partition("Response:")[2].strip().removeprefix("b'").removeprefix('b"').rstrip("'\"")
    return text.splitlines()[0][:300] + (f" {said[:300]}" if said else "")
