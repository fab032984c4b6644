"""Virtuoso, as engines/virtuoso/grant.sql sets it up, never fetches a URL a query names: neither for an anonymous
reader (/sparql) nor for the writing user (/sparql-auth), whatever the query asks (SERVICE, LOAD, FROM with the
sponger's ``define get:soft``). The guard refuses these queries before they reach an engine
(tests/security/test_query_network.py); this is the engine's own line behind it, checked by sending the queries
straight to the server while a local HTTP server records every request it gets. The writer can still write."""

from __future__ import annotations

import pytest
import requests
from requests.auth import HTTPDigestAuth

from security.support import Recorder

pytestmark = [pytest.mark.remote, pytest.mark.xdist_group("engines")]

REACHING = [
    ("query", "SELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } } LIMIT 1"),
    ("query", "SELECT * WHERE { SERVICE SILENT <{url}/sparql> { ?s ?p ?o } } LIMIT 1"),
    ("query", 'define get:soft "soft" SELECT * FROM <{url}/data.ttl> WHERE { ?s ?p ?o } LIMIT 1'),
    ("query", 'define get:soft "replace" SELECT * FROM NAMED <{url}/named.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }'),
    ("update", "LOAD <{url}/load.ttl>"),
    ("update", "LOAD SILENT <{url}/load.ttl> INTO GRAPH <http://example.org/into>"),
]


@pytest.fixture
def recorder():
    server = Recorder()
    yield server
    server.close()


@pytest.mark.parametrize("who", ["anonymous", "writer"])
@pytest.mark.parametrize(("form", "template"), REACHING, ids=[t for _, t in REACHING])
def test_no_query_makes_virtuoso_fetch_a_url(virtuoso_server, recorder, who, form, template):
    text = template.replace("{url}", recorder.base)
    if who == "anonymous":
        answer = requests.post(f"{virtuoso_server.base}/sparql", data={form: text}, timeout=60)
    else:
        answer = requests.post(f"{virtuoso_server.base}/sparql-auth", data={form: text}, timeout=60,
                               auth=HTTPDigestAuth(virtuoso_server.user, virtuoso_server.password))
    assert recorder.requests == [], (answer.status_code, answer.text[:300])
    assert answer.status_code >= 400 or "SILENT" in text, answer.text[:300]


def test_the_writer_can_still_write_and_drop(virtuoso_server):
    auth = HTTPDigestAuth(virtuoso_server.user, virtuoso_server.password)
    graph = "http://example.org/engine-reach"

    def send(form: str, text: str) -> requests.Response:
        answer = requests.post(f"{virtuoso_server.base}/sparql-auth", data={form: text}, auth=auth, timeout=60,
                               headers={"Accept": "application/sparql-results+json"})
        assert answer.ok, answer.text[:300]
        return answer

    send("update", f'INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/a> <http://example.org/b> "c" }} }}')
    count = send("query", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").json()
    assert int(count["results"]["bindings"][0]["n"]["value"]) == 1
    send("update", f"DROP SILENT GRAPH <{graph}>")
