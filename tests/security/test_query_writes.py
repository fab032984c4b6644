"""Writes through the query path: INSERT DATA, DELETE WHERE, DROP ALL, CLEAR, a query followed by ``; DELETE``... —
refused by ``run_query`` on both backends, by ``Store.execute`` itself, by SPARQLWrapper sent straight to the
remote store's query URL, and by a read-only endpoint (``oxigraph serve-read-only``). The dataset stays
byte-identical; a control shows SPARQLWrapper *does* write when handed an update URL, so the checks can fail.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests
from SPARQLWrapper import POST, SPARQLWrapper

from euaigraph.graph.load.pipeline import IngestError, ingest
from euaigraph.graph.query.run import QueryRefused, run_query
from euaigraph.graph.store.remote import RemoteStore
from euaigraph.graph.store.base import StoreError
from euaigraph.ingest.base import Feed
from euaigraph.ontology.namespaces import GRAPH, META_GRAPH

from .support import PROBE, PROBE_STATE, dataset_hash, probe_spec, state, write_probe_feed

WRITES = [
    ("insert-data", f"INSERT DATA {{ <{PROBE}x> <{PROBE}value> 1 }}"),
    ("insert-data-into-graph", f"INSERT DATA {{ GRAPH <{GRAPH}probe/x> {{ <{PROBE}x> <{PROBE}value> 1 }} }}"),
    ("delete-where", "DELETE WHERE { ?s ?p ?o }"),
    ("delete-where-in-graphs", "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }"),
    ("delete-data", f"DELETE DATA {{ <{PROBE}marker> <{PROBE}version> \"A\" }}"),
    ("delete-insert-with", f"WITH <{META_GRAPH}> DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p 1 }} WHERE {{ ?s ?p ?o }}"),
    ("drop-all", "DROP ALL"),
    ("drop-silent-named", f"DROP SILENT GRAPH <{META_GRAPH}>"),
    ("clear-all", "CLEAR ALL"),
    ("clear-default", "CLEAR DEFAULT"),
    ("clear-named", "CLEAR NAMED"),
    ("move", f"MOVE <{META_GRAPH}> TO DEFAULT"),
    ("copy", f"COPY DEFAULT TO <{META_GRAPH}>"),
    ("add", f"ADD <{META_GRAPH}> TO <{GRAPH}other>"),
    ("create", f"CREATE GRAPH <{GRAPH}new>"),
    ("select-then-delete", "SELECT * WHERE { ?s ?p ?o } ; DELETE WHERE { ?s ?p ?o }"),
    ("ask-then-drop", "ASK { ?s ?p ?o } ; DROP ALL"),
    ("construct-then-clear", "CONSTRUCT WHERE { ?s ?p ?o } ; CLEAR ALL"),
    ("select-newline-comment-then-drop", "SELECT * WHERE { ?s ?p ?o }\n# looks harmless\nDROP ALL"),
    ("prefix-then-delete", f"PREFIX p: <{PROBE}> DELETE WHERE {{ ?s p:value ?o }}"),
    ("comment-says-select", "# SELECT * WHERE { ?s ?p ?o }\nDELETE WHERE { ?s ?p ?o }"),
    ("two-updates", "CLEAR ALL ; INSERT DATA { <http://a> <http://b> <http://c> }"),
]
IDS = [i for i, _ in WRITES]
TEXTS = [t for _, t in WRITES]


@pytest.mark.remote
@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_write_through_run_query_is_refused_and_store_unchanged(loaded, text):
    """Input: a SPARQL update (or a query followed by one) given to run_query, on both backends.
    Expected: QueryRefused naming it as an update; the dataset is byte-identical."""
    before = dataset_hash(loaded.store)
    with pytest.raises(QueryRefused, match="SPARQL update|syntax error"):
        run_query(loaded.workers, text, timeout_s=10)
    assert dataset_hash(loaded.store) == before


@pytest.mark.remote
@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_write_sent_straight_to_store_execute_is_refused_and_store_unchanged(loaded, text):
    """Input: the same text given to Store.execute, below the guard (the embedded reader, or SPARQLWrapper on the
    remote query URL). Expected: StoreError (the store will not run an update as a query); dataset unchanged."""
    before = dataset_hash(loaded.store)
    with pytest.raises(StoreError):
        loaded.store.execute(text)
    assert dataset_hash(loaded.store) == before


@pytest.fixture(scope="module")
def remote_loaded(tmp_path_factory, servers):
    """A writable Oxigraph server of this module's own, holding probe version A."""
    folder = tmp_path_factory.mktemp("writes")
    server = servers(folder / "db")
    feed = folder / "probe.ttl"
    expected = write_probe_feed(feed, version="A")
    with RemoteStore(server.endpoint()) as store:
        ingest(store, probe_spec(), Feed.from_path(feed))
        yield server, store, expected
    server.stop()


@pytest.mark.remote
@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_write_through_raw_sparqlwrapper_on_query_url_is_refused(remote_loaded, text):
    """Input: a raw SPARQLWrapper (POST) on the remote store's query URL with no update URL given, which is how
    SPARQLWrapper would otherwise send an update. Expected: the server refuses it; dataset unchanged."""
    server, store, _ = remote_loaded
    before = dataset_hash(store)
    wrapper = SPARQLWrapper(server.endpoint().query)
    wrapper.setMethod(POST)
    wrapper.setQuery(text)
    with pytest.raises(Exception):  # noqa: B017 - SPARQLWrapper raises its own error classes per status code
        wrapper.query()
    assert dataset_hash(store) == before


@pytest.mark.remote
def test_control_sparqlwrapper_with_an_update_url_does_write(tmp_path, servers):
    """Control, Input: SPARQLWrapper with the update URL of a *writable* scratch server and a DELETE.
    Expected: the data is gone, so the unchanged-hash assertions in this module would catch a real write."""
    server = servers(tmp_path / "scratch")
    try:
        with RemoteStore(server.endpoint()) as store:
            feed = tmp_path / "probe.ttl"
            write_probe_feed(feed, version="A")
            ingest(store, probe_spec(), Feed.from_path(feed))
            before = dataset_hash(store)
            wrapper = SPARQLWrapper(server.endpoint().query, updateEndpoint=server.endpoint().update)
            wrapper.setMethod(POST)
            wrapper.setQuery(f"DELETE WHERE {{ GRAPH ?g {{ ?s <{PROBE}value> ?o }} }}")
            wrapper.query()
            assert dataset_hash(store) != before
            assert state(store.execute(PROBE_STATE).rows)[0] == 0
    finally:
        server.stop()


# -- a read-only endpoint ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def read_only(tmp_path_factory, servers):
    """``oxigraph serve-read-only`` over a database holding the probe triples, and a RemoteStore on it configured
    without an update URL (as euaigraph.toml does for a read-only endpoint)."""
    location = tmp_path_factory.mktemp("read-only") / "db"
    feed = location.parent / "probe.ttl"
    write_probe_feed(feed, version="A")
    database = ox.Store(str(location))
    database.bulk_load(path=str(feed), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{GRAPH}probe/run-1"))
    database.flush()
    del database
    server = servers(location, read_only=True)
    store = RemoteStore(server.endpoint("read-only", read_only=True))
    yield server, store
    store.close()
    server.stop()


@pytest.mark.remote
@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_write_to_read_only_endpoint_is_refused_everywhere(read_only, text):
    """Input: each write through RemoteStore.execute, through SPARQLWrapper with the server's /update URL, and as a
    plain SPARQL Update POST to ``oxigraph serve-read-only``. Expected: all refused; dataset unchanged."""
    server, store = read_only
    before = dataset_hash(store)
    with pytest.raises(StoreError):
        store.execute(text)
    wrapper = SPARQLWrapper(f"{server.base}/query", updateEndpoint=f"{server.base}/update")
    wrapper.setMethod(POST)
    wrapper.setQuery(text)
    with pytest.raises(Exception):  # noqa: B017 - SPARQLWrapper's error classes per status code
        wrapper.query()
    reply = requests.post(f"{server.base}/update", data=text.encode(),
                          headers={"Content-Type": "application/sparql-update"}, timeout=10)
    assert reply.status_code >= 400
    assert dataset_hash(store) == before


@pytest.mark.remote
def test_ingest_into_read_only_endpoint_fails_cleanly_and_changes_nothing(read_only, tmp_path):
    """Input: a valid probe version B ingested into the read-only endpoint.
    Expected: IngestError naming the read-only endpoint; the dataset is unchanged (version A still visible)."""
    _, store = read_only
    before = dataset_hash(store)
    feed = tmp_path / "probe-b.ttl"
    write_probe_feed(feed, version="B")
    with pytest.raises(IngestError, match="read-only"):
        ingest(store, probe_spec(), Feed.from_path(feed))
    assert dataset_hash(store) == before
    assert state(store.execute(PROBE_STATE).rows)[2] == "A"
