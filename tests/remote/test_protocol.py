"""The remote store's protocol on each real engine: loads in pieces an engine accepts, readers that never see a
load in progress, one writer at a time, credentials, and answers an engine cut at its row limit marked truncated.
Controls show that each limit is real: the request euaigraph no longer sends is refused."""

from __future__ import annotations

import threading

import pytest
import requests

from euaigraph.graph.load.validate import validate_store
from euaigraph.graph.load.pipeline import IngestError
from euaigraph.graph.store.base import StoreError
from euaigraph.graph.store.config import ConfigError
from euaigraph.graph.store.remote import RemoteStore
from euaigraph.graph.store.remote_state import LEASE_S, Lease
from euaigraph.graph.store.sparql_http import SparqlHttp
from euaigraph.ontology.namespaces import GRAPH, META_GRAPH

from store.util import V1, V2, labels, load

from .conftest import ENGINES, endpoint_of, server_of

pytestmark = [pytest.mark.remote, pytest.mark.xdist_group("engines"),
              pytest.mark.filterwarnings("ignore::DeprecationWarning")]  # inside rdflib's N-Quads parser (validation)
MODELS = "SELECT ?m WHERE { ?m a <https://w3id.org/euaigraph/ontology#AIModel> }"


@pytest.fixture(params=ENGINES)
def engine(request):
    server = server_of(request, request.param)
    server.clear()
    return request.param, server


def _many(n: int) -> list[tuple[str, ...]]:
    return [(f"model-{i}", f"Model {i}") for i in range(n)]


class CountingHttp(SparqlHttp):
    """The real protocol client, counting the requests that carry pieces of a graph."""

    pieces = 0

    def graph_post(self, graph, body):
        CountingHttp.pieces += 1
        return super().graph_post(graph, body)

    def update(self, text):
        if text.startswith("INSERT DATA { GRAPH <https://w3id.org/euaigraph/graph/demo/"):
            CountingHttp.pieces += 1
        return super().update(text)


@pytest.mark.parametrize("via", ["graph-store", "insert-data"])
def test_a_source_is_loaded_in_pieces_and_arrives_whole(engine, tmp_path, monkeypatch, via):
    """Input: 400 models (1,200 triples) with pieces of at most 2,000 bytes or 50 triples. Expected: many
    requests, and the graph holds every triple, as if sent at once."""
    name, server = engine
    changes = {"load_bytes": 2000} if via == "graph-store" else {"store": None, "update_triples": 50}
    monkeypatch.setattr("euaigraph.graph.store.remote.SparqlHttp", CountingHttp)
    CountingHttp.pieces = 0
    with RemoteStore(endpoint_of(server, name, **changes)) as store:
        outcome = load(store, tmp_path, _many(400))
        assert store.count(str(outcome.run.graph)) == outcome.run.triples_written == 1200
        assert len(labels(store)) == 400
    assert CountingHttp.pieces >= 24


def test_virtuoso_refuses_an_insert_of_5000_triples_in_one_request(virtuoso_server):
    """Control: the limit the pieces stay under (Virtuoso's SPARQL parser runs out of memory near line 5,000: SP030;
    some requests of 1,500 triples already fail with SP031). Expected: refused, the graph stays empty."""
    graph = f"{GRAPH}control/sp030"
    body = "".join(f'<https://example.org/s{i}> <https://example.org/p> "v{i}" .\n' for i in range(5000))
    with RemoteStore(virtuoso_server.endpoint()) as store:
        with pytest.raises(StoreError, match="SP03[01]"):
            store._meta_update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")
        assert store.count(graph) == 0


def test_virtuoso_never_answers_a_query_posted_as_sparql_query(virtuoso_server):
    """Control: why queries are form-encoded. Expected: no answer within 5 s to the direct POST; the form-encoded
    one answers at once."""
    url = virtuoso_server.endpoint().query
    with pytest.raises(requests.Timeout):
        requests.post(url, data="ASK {}", headers={"Content-Type": "application/sparql-query"}, timeout=5)
    assert requests.post(url, data={"query": "ASK {}"}, timeout=5).status_code == 200


def test_readers_see_the_old_or_the_new_source_never_a_load_in_progress(engine, tmp_path):
    """Input: a reader counting models in a loop while V1 (3 models) is replaced by 600 models sent in pieces of 20
    triples. Expected: every count is 3 or 600, and both were seen."""
    name, server = engine
    with RemoteStore(endpoint_of(server, name, store=None, update_triples=20)) as writer:
        load(writer, tmp_path, V1)
        seen: list[int] = []
        done = threading.Event()

        def read() -> None:
            with RemoteStore(endpoint_of(server, name)) as reader:
                while not done.is_set():
                    seen.append(len(reader.execute(MODELS).rows))
                seen.append(len(reader.execute(MODELS).rows))

        thread = threading.Thread(target=read)
        thread.start()
        try:
            load(writer, tmp_path, _many(600), name="many.tsv")
        finally:
            done.set()
            thread.join(120)
    assert set(seen) == {3, 600}, sorted(set(seen))


def test_a_second_writer_waits_for_the_first(engine, tmp_path):
    """Input: a lease held by another process. Expected: StoreBusyError; the data unchanged; once the lease lapses,
    the next writer takes it, removes what the dead writer left and loads."""
    name, server = engine
    with RemoteStore(endpoint_of(server, name)) as store:
        load(store, tmp_path, V1)
        other = Lease()
        store._meta_update(other.take())
        leftover = f"{GRAPH}demo/20200101T000000Z-dead00"
        triple = '<https://example.org/s> <https://example.org/p> "o"'
        store._meta_update(f"INSERT DATA {{ GRAPH <{leftover}> {{ {triple} }} }}")
        with pytest.raises(IngestError, match="another euaigraph process"):
            load(store, tmp_path, V2, name="v2.tsv")
        assert labels(store) == {"EuroLLM 9B", "EuroLLM 9B Instruct", "Salamandra 7B"}
        assert [f.focus for f in validate_store(store).violations] == [leftover]
        # the other writer died: its lease lapses
        lapsed = other.value.replace(other.value.split(" ")[0], "2000-01-01T00:00:00Z")
        store._meta_update(f"DELETE DATA {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> "
                           f"<https://w3id.org/euaigraph/ontology#writeLease> \"{other.value}\" }} }} ;\n"
                           f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> "
                           f"<https://w3id.org/euaigraph/ontology#writeLease> \"{lapsed}\" }} }}")
        load(store, tmp_path, V2, name="v2.tsv")
        assert labels(store) == {"Poro 34B", "Viking 7B", "Viking 13B", "Teuken 7B"}
        assert store.count(leftover) == 0
        assert validate_store(store).violations == []
        assert store.current_graphs() and store._read_view().settled
    assert LEASE_S >= 60


@pytest.mark.parametrize("name", ["virtuoso", "jena"])  # the Oxigraph server has no authentication
def test_wrong_or_missing_credentials_change_nothing(request, name, tmp_path):
    """Input: a load with a wrong password (Virtuoso: digest, Jena front: basic), then an endpoint without one.
    Expected: the load is refused and changes nothing; the missing password is a ConfigError naming its variable."""
    server = server_of(request, name)
    server.clear()
    with RemoteStore(endpoint_of(server, name)) as store:
        load(store, tmp_path, V1)
    with RemoteStore(endpoint_of(server, name, password="not-the-password")) as store:
        with pytest.raises(Exception, match="401|refused|Unauthorized"):
            load(store, tmp_path, V2, name="v2.tsv")
        assert labels(store) == {"EuroLLM 9B", "EuroLLM 9B Instruct", "Salamandra 7B"}
    with pytest.raises(ConfigError, match="password"):
        RemoteStore(endpoint_of(server, name, password=None))


def test_rows_an_engine_cut_are_marked_truncated(request, tmp_path_factory, tmp_path):
    """Input: Virtuoso with ResultSetMaxRows 50, asked for 600 models. Expected: with a row cap of 1,000, 50 rows
    marked truncated at 50 (Virtuoso says nothing but a header); with no cap (a whole-graph reader), StoreError."""
    from engines.launch import VirtuosoServer

    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso-50"), result_rows=50)
    try:
        with RemoteStore(server.endpoint()) as store:
            load(store, tmp_path, _many(600))
            capped = store.execute(MODELS, row_cap=1000)
            assert (len(capped.rows), capped.truncated, capped.row_cap) == (50, True, 50)
            small = store.execute(MODELS + " LIMIT 10", row_cap=1000)
            assert (len(small.rows), small.truncated) == (10, False)
            with pytest.raises(StoreError, match="limit of 50 rows"):
                store.execute(MODELS)
    finally:
        server.stop()


def test_a_configured_row_limit_marks_answers_that_reach_it(oxigraph_server, tmp_path):
    """Input: the Oxigraph server (which has no limit) configured with row_limit 100, 600 models. Expected: an
    answer of 100 rows is marked truncated; one of 99 is not."""
    oxigraph_server.clear()
    with RemoteStore(endpoint_of(oxigraph_server, "oxigraph", row_limit=100)) as store:
        load(store, tmp_path, _many(600))
        assert store.execute(MODELS, row_cap=10_000).truncated is True
        assert store.execute(MODELS + " LIMIT 99", row_cap=10_000).truncated is False
