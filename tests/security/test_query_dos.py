"""Query denial of service: a cartesian COUNT(*), ``(p|^p)*`` over a 5,000-node chain, a million-row result, a
query that exhausts memory — stopped at the time limit, cut at the row cap (``truncated``) or killed at the memory
ceiling, after which the same worker pool answers the next query. On the remote store, a server-side timeout
(``oxigraph serve --timeout-s 1``) and a cut-off response are reported as QueryCancelled, never as a result.
"""

from __future__ import annotations

import re
import socketserver
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from euaigraph.graph.store.config import Endpoint
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import ingest
from euaigraph.graph.query.run import DEFAULT_ROW_CAP, MAX_QUERY_CHARS, QueryRefused, guard, run_query
from euaigraph.graph.store.remote import RemoteStore
from euaigraph.graph.store.base import QueryCancelled, StoreError
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.ingest.base import Feed

from .support import PROBE, dataset_hash, probe_spec, ref_of

CHAIN = 5_000
NEXT = f"<{PROBE}next>"
COUNT_CHAIN = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a {NEXT} ?b }}"
RUNAWAY = {
    "cartesian-count": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "path-both-ways-star": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x ({NEXT}|^{NEXT})* ?y }}",
}
LIMIT_S = 1.5
#: Slack over the time limit for killing the worker and for a loaded CI machine.
SLACK_S = 4.0


def write_chain(path: Path, n: int = CHAIN) -> Path:
    path.write_text("".join(f"<{PROBE}n{i}> {NEXT} <{PROBE}n{i + 1}> .\n" for i in range(n)), encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["embedded", "remote"])
def chain(request, tmp_path_factory):
    """A 5,000-edge chain on each backend (the remote one a server of its own with ``--timeout-s 4``, so work the
    client abandoned stops on the server too), with a pool of two workers."""
    folder = tmp_path_factory.mktemp(f"chain-{request.param}")
    server = None
    if request.param == "embedded":
        store = EmbeddedStore(folder / "store", writable=True)
    else:
        server = request.getfixturevalue("servers")(folder / "db", timeout_s=4)
        store = RemoteStore(server.endpoint())
    ingest(store, probe_spec("chain"), Feed.from_path(write_chain(folder / "chain.ttl")))
    with QueryWorkers(ref_of(store), size=2) as workers:
        yield store, workers
    store.close()
    if server is not None:
        server.stop()


def _next_query_answers(workers: QueryWorkers) -> None:
    result = run_query(workers, COUNT_CHAIN, timeout_s=30)
    assert int(result.rows[0][0]) == CHAIN and not result.truncated


@pytest.mark.slow
@pytest.mark.remote
@pytest.mark.parametrize("query", list(RUNAWAY.values()), ids=list(RUNAWAY))
def test_runaway_query_is_stopped_at_the_time_limit_and_pool_answers_next(chain, query):
    """Input: a query that would run for hours, with a 1.5 s limit. Expected: QueryCancelled within the limit plus
    slack, the dataset unchanged, and the same pool answers the next query correctly."""
    store, workers = chain
    before = dataset_hash(store)
    started = time.perf_counter()
    with pytest.raises(QueryCancelled):
        run_query(workers, query, timeout_s=LIMIT_S)
    assert time.perf_counter() - started < LIMIT_S + SLACK_S
    _next_query_answers(workers)
    assert dataset_hash(store) == before


@pytest.mark.slow
@pytest.mark.remote
def test_two_runaway_queries_at_once_do_not_block_the_pool(chain):
    """Input: two runaway queries in parallel threads on a pool of two. Expected: both cancelled, then a third query
    is answered (killed workers are replaced)."""
    _, workers = chain
    outcomes: list[str] = []

    def runaway() -> None:
        try:
            run_query(workers, RUNAWAY["cartesian-count"], timeout_s=LIMIT_S)
            outcomes.append("answered")
        except QueryCancelled:
            outcomes.append("cancelled")

    threads = [threading.Thread(target=runaway) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(LIMIT_S + 2 * SLACK_S)
    assert outcomes == ["cancelled", "cancelled"]
    _next_query_answers(workers)


@pytest.mark.remote
@pytest.mark.parametrize("form", ["select", "construct"])
def test_million_row_result_is_capped_and_marked_truncated(chain, form):
    """Input: a result of exactly 1,000,000 rows (SELECT) or triples (CONSTRUCT), default row cap.
    Expected: DEFAULT_ROW_CAP rows and ``truncated`` set, quickly; the next query is answered."""
    _, workers = chain
    where = f"{{ SELECT ?a ?c WHERE {{ ?a {NEXT} ?b . ?c {NEXT} ?d }} LIMIT 1000000 }}"
    query = (f"SELECT ?a ?c WHERE {where}" if form == "select"
             else f"CONSTRUCT {{ ?a <{PROBE}pair> ?c }} WHERE {where}")
    result = run_query(workers, query, timeout_s=30)
    assert len(result) == DEFAULT_ROW_CAP
    assert result.truncated and result.row_cap == DEFAULT_ROW_CAP
    _next_query_answers(workers)


@pytest.mark.slow
def test_query_exhausting_memory_kills_only_its_worker(tmp_path, monkeypatch):
    """Input: ORDER BY over 25 million rows in an embedded worker with a 1.5 GB memory ceiling.
    Expected: QueryCancelled (the worker died at its ceiling), then the pool answers the next query."""
    monkeypatch.setenv("EUAIGRAPH_WORKER_MEMORY_MB", "1500")
    with EmbeddedStore(tmp_path / "store", writable=True) as store:
        ingest(store, probe_spec("chain"), Feed.from_path(write_chain(tmp_path / "chain.ttl")))
    with QueryWorkers(StoreRef(home=str(tmp_path / "store")), size=1) as workers:
        with pytest.raises(QueryCancelled):
            run_query(workers, f"SELECT ?a ?c WHERE {{ ?a {NEXT} ?b . ?c {NEXT} ?d }} ORDER BY ?a ?c",
                      timeout_s=120)
        _next_query_answers(workers)


def test_worker_that_cannot_start_reports_a_store_error(tmp_path, monkeypatch):
    """Input: a memory ceiling (64 MB) too low for a worker to open the store.
    Expected: StoreError saying the worker stopped while opening the store and naming the memory ceiling, whether
    the worker died (the ceiling killed it) or caught the MemoryError itself (not a bare EOFError or an empty
    reason)."""
    monkeypatch.setenv("EUAIGRAPH_WORKER_MEMORY_MB", "64")
    with EmbeddedStore(tmp_path / "store", writable=True) as store:
        ingest(store, probe_spec("chain"), Feed.from_path(write_chain(tmp_path / "chain.ttl", 10)))
    with QueryWorkers(StoreRef(home=str(tmp_path / "store")), size=1) as workers:
        with pytest.raises(StoreError, match=r"stopped while opening the store.*EUAIGRAPH_WORKER_MEMORY_MB too low"):
            run_query(workers, COUNT_CHAIN, timeout_s=30)


@pytest.mark.parametrize("chain_of", ["?o = {i}", "!(?o != {i})", "{i}"], ids=["or", "and-not", "plus"])
def test_oversized_query_is_refused_before_the_in_process_parser_runs(chain_of):
    """Input: a 60,000-character expression chain (``?o = 1 || ?o = 2 || ...``), which rdflib's parser — run in the
    app's process, outside the worker's time limit — would take minutes over. Expected: QueryRefused naming the
    length limit, at once; a query just under the limit is still parsed."""
    joiner = " + " if chain_of == "{i}" else " || "
    terms = joiner.join(chain_of.format(i=i) for i in range(6000))
    started = time.perf_counter()
    with pytest.raises(QueryRefused, match="at most 10000"):
        guard(f"SELECT * WHERE {{ ?s ?p ?o FILTER({terms}) }}")
    assert time.perf_counter() - started < 0.5
    assert guard("SELECT * WHERE { ?s ?p ?o }" + " " * (MAX_QUERY_CHARS - 40)).kind == "select"


# -- remote: the server's own time limit ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def impatient(tmp_path_factory, servers):
    """``oxigraph serve --timeout-s 1`` holding the chain."""
    folder = tmp_path_factory.mktemp("impatient")
    server = servers(folder / "db", timeout_s=1)
    store = RemoteStore(server.endpoint())
    ingest(store, probe_spec("chain"), Feed.from_path(write_chain(folder / "chain.ttl")))
    yield store
    store.close()
    server.stop()


SERVER_TIMEOUT = {
    "count": RUNAWAY["path-both-ways-star"],
    "ask": f"ASK {{ ?x ({NEXT}|^{NEXT})* ?y FILTER(?x = <{PROBE}none>) }}",
    "construct": f"CONSTRUCT {{ ?x <{PROBE}reach> ?n }} WHERE {{ {{ SELECT ?x (COUNT(*) AS ?n) WHERE "
                 f"{{ ?x ({NEXT}|^{NEXT})* ?y }} GROUP BY ?x }} }}",
}


@pytest.mark.remote
@pytest.mark.parametrize("query", list(SERVER_TIMEOUT.values()), ids=list(SERVER_TIMEOUT))
def test_server_side_timeout_is_query_cancelled_never_a_result(impatient, query):
    """Input: a long query on a server that cancels after 1 s (it then sends an HTTP 200 whose body stops with
    "The SPARQL operation has been cancelled"), client limit 60 s. Expected: QueryCancelled, from the store and
    through a worker pool."""
    with pytest.raises(QueryCancelled):
        impatient.execute(query, timeout=60)
    with QueryWorkers(ref_of(impatient), size=1) as workers:
        with pytest.raises(QueryCancelled):
            run_query(workers, query, timeout_s=60)
        assert int(run_query(workers, COUNT_CHAIN, timeout_s=30).rows[0][0]) == CHAIN


# -- remote: a response cut off in the middle -------------------------------------------------------------------
_ROWS = 300
_SELECT = (b'{"head":{"vars":["s"]},"results":{"bindings":['
           + b",".join(b'{"s":{"type":"uri","value":"http://probe.example/%d"}}' % i for i in range(_ROWS)) + b"]}}")
_TURTLE = b"".join(b"<http://probe.example/%d> <http://probe.example/p> <http://probe.example/o> .\n" % i
                   for i in range(_ROWS))
_ASK = b'{"head":{},"boolean":true}'
_NO_ROWS = b'{"head":{"vars":["source","graph","pending"]},"results":{"bindings":[]}}'


class CuttingServer(socketserver.ThreadingTCPServer):
    """Answers the worker's start-up ``ASK { }`` in full and every other query with half a body, framed by
    ``mode``: ``close`` (no length, connection closed), ``length`` (full Content-Length, half the bytes) or
    ``chunked`` (no final chunk)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mode: str):
        self.mode = mode
        super().__init__(("127.0.0.1", 0), _Cutter)
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def endpoint(self) -> Endpoint:
        return Endpoint(id="cutting", query=f"http://127.0.0.1:{self.server_address[1]}/query", timeout_s=10)


class _Cutter(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            block = self.request.recv(65536)
            if not block:
                return
            head += block
        head, _, body = head.partition(b"\r\n\r\n")
        length = re.search(rb"content-length:\s*(\d+)", head, re.I)
        while length and len(body) < int(length.group(1)):
            body += self.request.recv(65536)
        query = body.decode("utf-8", "replace")
        if query.startswith("query="):  # the remote store sends queries form-encoded
            query = parse_qs(query).get("query", [""])[0]
        if query.strip() == "ASK { }":
            self._send(b"application/sparql-results+json", _ASK, whole=True)
        elif "/graph/meta" in query:  # the store's look at the current graphs before and after each answer
            self._send(b"application/sparql-results+json", _NO_ROWS, whole=True)
        elif query.lstrip().upper().startswith("CONSTRUCT"):
            self._send(b"text/turtle", _TURTLE)
        elif query.lstrip().upper().startswith("ASK"):
            self._send(b"application/sparql-results+json", _ASK)
        else:
            self._send(b"application/sparql-results+json", _SELECT)

    def _send(self, ctype: bytes, body: bytes, *, whole: bool = False) -> None:
        mode = self.server.mode
        cut = body.find(b"\n", len(body) // 2) + 1 or len(body) // 2  # Turtle: cut after a whole statement
        half = body if whole else body[:cut]
        head = b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype + b"\r\n"
        if whole or mode == "length":
            self.wfile.write(head + b"Content-Length: %d\r\n\r\n" % len(body) + half)
        elif mode == "chunked":
            self.wfile.write(head + b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % len(half) + half + b"\r\n")
        else:
            self.wfile.write(head + b"Connection: close\r\n\r\n" + half)
        self.wfile.flush()


CUTS = [("close", "select"), ("close", "ask"), ("length", "select"), ("length", "ask"), ("length", "construct"),
        ("chunked", "select"), ("chunked", "ask"), ("chunked", "construct")]
QUERIES = {"select": "SELECT ?s WHERE { ?s ?p ?o }", "ask": "ASK { ?s ?p ?o }",
           "construct": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"}


@pytest.mark.parametrize(("mode", "form"), CUTS, ids=[f"{m}-{f}" for m, f in CUTS])
def test_cut_off_response_is_query_cancelled_never_a_partial_result(mode, form):
    """Input: a server that sends half of a SELECT / ASK / CONSTRUCT result and stops (connection closed, short of
    its Content-Length, or without the last chunk). Expected: QueryCancelled, directly and through a worker."""
    server = CuttingServer(mode)
    try:
        with RemoteStore(server.endpoint()) as store, pytest.raises(QueryCancelled):
            store.execute(QUERIES[form])
        with QueryWorkers(StoreRef(endpoint=server.endpoint()), size=1) as workers:
            with pytest.raises(QueryCancelled):
                run_query(workers, QUERIES[form], timeout_s=30)
    finally:
        server.shutdown()
        server.server_close()


def test_cut_off_response_within_the_row_cap_is_still_cancelled():
    """Input: a cut-off SELECT with a row cap above the rows received. Expected: QueryCancelled, not a short
    table that looks complete."""
    server = CuttingServer("length")
    try:
        with RemoteStore(server.endpoint()) as store, pytest.raises(QueryCancelled):
            store.execute(QUERIES["select"], row_cap=_ROWS * 2)
    finally:
        server.shutdown()
        server.server_close()
