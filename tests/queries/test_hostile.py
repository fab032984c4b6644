"""Hostile queries through run_query: refused before they reach the store, or stopped at their time limit.

Refusals are checked against a real local HTTP server that records every request it receives (none may arrive);
runaway queries run against real stores in real worker processes, and the next query must still be answered.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rdflib import URIRef

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import ingest_many
from euaigraph.graph.query.run import QueryRefused, run_query
from euaigraph.graph.store.base import QueryCancelled
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.ingest.base import Feed, Report, SourceSpec

LIMIT_S = 1.5
# Killing a worker and replying takes well under a second; this bound only catches a query that was not stopped.
STOP_BOUND_S = LIMIT_S + 10
#: About 10^9 solutions on the ~1,000-quad fixture: far beyond the time limit.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture
def recorder():
    """A local HTTP server that records the path of every request it gets."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head": {"vars": []}, "results": {"bindings": [{}]}}')

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o . SERVICE <{url}/sparql> {{ ?s ?q ?v }} }} LIMIT 1",
    "SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
    "LOAD <{url}/data.ttl>",
    "LOAD SILENT <{url}/data.ttl> INTO GRAPH <https://w3id.org/euaigraph/graph/x>",
    "DROP ALL",
    "SELECT * WHERE {{ ?s ?p ?o }} ; DROP ALL",
    "CLEAR DEFAULT",
    "INSERT DATA {{ <{url}/a> <{url}/b> <{url}/c> }}",
])
def test_refused_with_no_request_and_store_unchanged(template, recorder, fixture_workers, fixture_home):
    url, requests = recorder
    before = EmbeddedStore(fixture_home).count()
    with pytest.raises(QueryRefused):
        run_query(fixture_workers, template.format(url=url), timeout_s=LIMIT_S)
    assert requests == []
    assert EmbeddedStore(fixture_home).count() == before


def _stopped(workers, text: str) -> float:
    started = time.perf_counter()
    with pytest.raises(QueryCancelled, match="time limit"):
        run_query(workers, text, timeout_s=LIMIT_S)
    return time.perf_counter() - started


def test_cartesian_count_is_stopped_and_the_next_query_answered(fixture_workers, fixture_home):
    before = EmbeddedStore(fixture_home).count()
    assert _stopped(fixture_workers, CARTESIAN) < STOP_BOUND_S
    models = "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/euaigraph/ontology#AIModel> }"
    answer = run_query(fixture_workers, models)
    assert int(answer.rows[0][0]) == 17  # the fixture models (tests/queries/fixture/curated.ttl)
    assert EmbeddedStore(fixture_home).count() == before


def _chain(feed: Feed, report: Report):
    p = URIRef("https://example.org/p")
    report.file_read(feed.path.name)
    for i in range(5000):
        report.read()
        report.ingested()
        yield URIRef(f"https://example.org/n{i}"), p, URIRef(f"https://example.org/n{i + 1}")


def test_alternating_path_on_a_long_chain_is_stopped(tmp_path):
    home = tmp_path / "chain"
    spec = SourceSpec(id="chain", title="A 5,000-node chain", homepage="https://example.org/",
                      data_licence="CC0-1.0", parse=_chain, min_triples=5000, priority=4)
    (tmp_path / "chain.txt").write_text("generated\n")
    with EmbeddedStore(home, writable=True) as store:
        assert all(o.ok for o in ingest_many(store, [(spec, Feed.from_path(tmp_path / "chain.txt"))]))
    with QueryWorkers(StoreRef(home=str(home)), size=1) as workers:
        path = "SELECT (COUNT(*) AS ?n) WHERE { ?a (<https://example.org/p>|^<https://example.org/p>)* ?b }"
        assert _stopped(workers, path) < STOP_BOUND_S
        answer = run_query(workers, "SELECT (COUNT(*) AS ?n) WHERE { ?a <https://example.org/p> ?b }")
        assert int(answer.rows[0][0]) == 5000


@pytest.mark.timeout(120)
def test_a_query_waiting_for_a_busy_worker_is_served_after_the_runaway_is_killed(fixture_home):
    # One worker: the second query waits while the first runs away. When the first is killed at its deadline
    # its slot must be handed on; a waiter blocked on the idle queue alone would wait for ever.
    with QueryWorkers(StoreRef(home=str(fixture_home)), size=1) as workers:
        run_query(workers, "ASK { }")  # start the worker
        outcome: dict[str, object] = {}

        def runaway():
            try:
                run_query(workers, CARTESIAN, timeout_s=LIMIT_S)
            except QueryCancelled as exc:
                outcome["runaway"] = exc

        first = threading.Thread(target=runaway)
        first.start()
        time.sleep(0.3)
        def quick():
            outcome["answer"] = run_query(workers, "ASK { ?s ?p ?o }", timeout_s=30)

        second = threading.Thread(target=quick)
        second.start()
        first.join(60)
        second.join(60)
        assert isinstance(outcome.get("runaway"), QueryCancelled)
        assert outcome["answer"].boolean is True
