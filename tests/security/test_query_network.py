"""Network reach from queries: SERVICE (constant, SILENT, variable, nested), FROM / FROM NAMED to http and file
IRIs, LOAD — refused by ``graph.query.run_query`` on both backends, with a local HTTP server recording zero
requests and the store unchanged.

The control test shows that Oxigraph *does* call out for SERVICE when the guard is bypassed in a process that is not
cut off the network, so the recorder would see a reach if one happened (the server the tests start is isolated:
its control is in ``test_query_isolation.py``).
"""

from __future__ import annotations

import pytest

from euaigraph.graph.query.run import QueryRefused, run_query
from euaigraph.graph.store.base import StoreError
from euaigraph.ontology.namespaces import GRAPH

from .support import PROBE_STATE, dataset_hash, state

#: (test id, query with {url} for the recording server). Every one must be refused before it runs.
REACHING = [
    ("service-constant", "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }"),
    ("service-silent", "SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }"),
    ("service-variable", "SELECT * WHERE { VALUES ?e { <{url}> } SERVICE ?e { ?s ?p ?o } }"),
    ("service-lowercase-spacing", "select * where { service   silent\n<{url}> { ?s ?p ?o } }"),
    ("service-in-subquery", "SELECT * WHERE { { SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } } } }"),
    ("service-in-filter-exists", "ASK { FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }"),
    ("service-in-optional", "SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } }"),
    ("service-in-projection-exists", "SELECT (EXISTS { SERVICE <{url}> { ?s ?p ?o } } AS ?e) WHERE { }"),
    ("service-in-construct", "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }"),
    ("service-prefixed-name", "PREFIX r: <{url}> SELECT * WHERE { SERVICE r: { ?s ?p ?o } }"),
    ("from-http", "SELECT * FROM <{url}.ttl> WHERE { ?s ?p ?o }"),
    ("from-named-http", "SELECT * FROM NAMED <{url}.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }"),
    ("from-file", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"),
    ("from-named-file", "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }"),
    ("from-relative-to-base", "BASE <{url}/> SELECT * FROM <data.ttl> WHERE { ?s ?p ?o }"),
    ("from-prefixed-name", "PREFIX r: <{url}/> SELECT * FROM r:data.ttl WHERE { ?s ?p ?o }"),
    ("from-own-namespace-dot-segments", f"SELECT * FROM <{GRAPH}../../evil> WHERE {{ ?s ?p ?o }}"),
    ("from-own-namespace-userinfo-lookalike", f"SELECT * FROM <{GRAPH}@127.0.0.1/x> WHERE {{ ?s ?p ?o }}"),
    ("describe-from-http", "DESCRIBE ?s FROM <{url}.ttl> WHERE { ?s ?p ?o }"),
    ("load", "LOAD <{url}.ttl>"),
    ("load-silent-into-graph", "LOAD SILENT <{url}.ttl> INTO GRAPH <https://w3id.org/euaigraph/graph/x>"),
    ("select-then-load", "SELECT * WHERE { ?s ?p ?o } ; LOAD <{url}.ttl>"),
]

#: Queries that name an outside IRI without asking the store to fetch it: they may run, but must not reach out.
NAMING_ONLY = [
    ("graph-pattern-with-outside-iri", "SELECT * WHERE { GRAPH <{url}.ttl> { ?s ?p ?o } }"),
    ("describe-outside-iri", "DESCRIBE <{url}.ttl>"),
    ("unknown-function-iri", "SELECT * WHERE { ?s ?p ?o FILTER(<{url}>(?o)) }"),
    ("iri-function-on-outside-string", "SELECT (IRI(\"{url}.ttl\") AS ?i) WHERE { }"),
    ("from-own-graph-namespace", f"SELECT * FROM <{GRAPH}probe> WHERE {{ ?s ?p ?o }}"),
    ("from-named-own-graph-prefixed",
     f"PREFIX g: <{GRAPH}> SELECT * FROM NAMED g:meta WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
]


def _query(template: str, recorder) -> str:
    return template.replace("{url}", recorder.url("/sparql"))


@pytest.mark.remote
@pytest.mark.parametrize("template", [t for _, t in REACHING], ids=[i for i, _ in REACHING])
def test_query_that_reaches_out_is_refused_with_zero_requests_and_store_unchanged(loaded, recorder, template):
    """Input: a query asking the store to fetch from the recording server (or a file IRI).
    Expected: QueryRefused from run_query on both backends, no request recorded, the dataset byte-identical."""
    before = dataset_hash(loaded.store)
    with pytest.raises(QueryRefused):
        run_query(loaded.workers, _query(template, recorder), timeout_s=10)
    assert recorder.requests == []
    assert dataset_hash(loaded.store) == before


@pytest.mark.remote
@pytest.mark.parametrize("template", [t for _, t in NAMING_ONLY], ids=[i for i, _ in NAMING_ONLY])
def test_query_that_only_names_an_outside_iri_runs_without_any_request(loaded, recorder, template):
    """Input: GRAPH/DESCRIBE/function/IRI() naming the recording server, FROM / FROM NAMED one of our own graphs.
    Expected: the guard lets it through (it asks for no fetch), it runs or the store reports an unknown function
    as an error, and the recorder sees no request."""
    try:
        run_query(loaded.workers, _query(template, recorder), timeout_s=10)
    except StoreError:  # Oxigraph does not know the function: an error, never a call
        assert "FILTER(<{url}>" in template
    assert recorder.requests == []


@pytest.mark.remote
def test_workers_still_answer_after_refusals(loaded):
    """Input: a probe-state query after the refused ones. Expected: the full probe version A, unchanged."""
    result = run_query(loaded.workers, PROBE_STATE, timeout_s=10)
    assert state(result.rows) == (*loaded.expected, "A")


@pytest.mark.remote
def test_control_unguarded_service_does_reach_the_recorder(loaded, recorder):
    """Control, Input: the same SERVICE query sent to the store *without* the guard.
    Expected: the embedded store, read in this process (not isolated), calls the recording server, which proves the
    zero-request assertions above can fail; the remote store's server runs in a network namespace of its own and
    calls no one even then."""
    try:
        loaded.store.execute(f"SELECT * WHERE {{ SERVICE <{recorder.url('/sparql')}> {{ ?s ?p ?o }} }}")
    except Exception:  # noqa: BLE001 - the store may reject the recorder's answer; the request is what counts
        pass
    expected = ["/sparql"] if loaded.backend == "embedded" else []
    assert [seen.path for seen in recorder.requests] == expected
