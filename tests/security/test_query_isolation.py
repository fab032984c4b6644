"""Defence in depth against queries that call another host (decision 0012).

1. The guard reads a query as the engine does: ``# x\\rSERVICE <...>`` (Oxigraph ends a comment at a carriage
   return, rdflib did not), the other line terminators and control characters, and codepoint escapes are refused
   before anything runs, on both backends, with zero requests recorded.
2. Whatever the guard says, the process that runs a query cannot reach the network: a worker whose guard is
   switched off (``unguarded_worker.py``) runs SERVICE queries against the recording server on 127.0.0.1 and
   nothing arrives, with each isolation mechanism (network namespace, seccomp filter); an Oxigraph server started
   by the tests runs in a network namespace of its own and, asked directly, calls no one either. The controls show
   that the same queries do reach the recorder from a process or a server that is not isolated.
3. A worker that cannot be isolated refuses to start; it never runs unprotected.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from euaigraph.graph.query import isolation
from euaigraph.graph.query.run import QueryRefused, guard, run_query
from euaigraph.graph.query.worker import QueryWorkers
from euaigraph.graph.store.base import StoreError
from euaigraph.graph.store.remote import RemoteStore

from .support import dataset_hash, ref_of

UNGUARDED = (sys.executable, str(Path(__file__).with_name("unguarded_worker.py")))

#: (id, query with {url}): SERVICE hidden from a parser that reads the text differently from Oxigraph.
SMUGGLED = [
    ("comment-ended-by-cr", "SELECT * WHERE { ?a ?b ?c # x\rSERVICE <{url}> { ?s ?p ?o }\n}"),
    ("comment-ended-by-cr-inside-group", "SELECT * WHERE { # x\rSERVICE <{url}> { ?s ?p ?o }\n}"),
    ("comment-ended-by-cr-silent", "SELECT * WHERE {\n  # note\rSERVICE SILENT <{url}> { ?s ?p ?o }\n}"),
    ("comment-ended-by-vertical-tab", "SELECT * WHERE { # x\x0bSERVICE <{url}> { ?s ?p ?o }\n}"),
    ("comment-ended-by-form-feed", "SELECT * WHERE { # x\x0cSERVICE <{url}> { ?s ?p ?o }\n}"),
    ("comment-ended-by-next-line", "SELECT * WHERE { # x\x85SERVICE <{url}> { ?s ?p ?o }\n}"),
    ("comment-ended-by-line-separator", "SELECT * WHERE { # x\u2028SERVICE <{url}> { ?s ?p ?o }\n}"),
    ("comment-ended-by-paragraph-separator", "SELECT * WHERE { # x\u2029SERVICE <{url}> { ?s ?p ?o }\n}"),
    ("escaped-newline-in-comment", "SELECT * WHERE { ?a ?b ?c # x\\u000a}\n"),
    ("escaped-keyword", "SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }"),
    ("escaped-quote-hides-service", 'SELECT * WHERE { BIND("\\u0022 # " AS ?x) SERVICE <{url}> { ?s ?p ?o } }'),
    ("nul-before-service", "SELECT * WHERE { ?a ?b ?c }\x00 SERVICE <{url}> { ?s ?p ?o }"),
]

#: SERVICE in every form Oxigraph follows: sent below the guard, they must still reach no one.
SERVICE = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?e { <{url}> } SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { # x\rSERVICE <{url}> { ?s ?p ?o }\n}",
    "ASK { FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
]


def _query(template: str, recorder) -> str:
    return template.replace("{url}", recorder.url("/sparql"))


@pytest.mark.remote
@pytest.mark.parametrize("template", [t for _, t in SMUGGLED], ids=[i for i, _ in SMUGGLED])
def test_smuggled_service_is_refused_before_it_runs(loaded, recorder, template):
    """Input: SERVICE hidden behind a line terminator or escape that rdflib and Oxigraph read differently.
    Expected: QueryRefused from run_query on both backends, naming the place; zero requests; dataset unchanged."""
    before = dataset_hash(loaded.store)
    with pytest.raises(QueryRefused) as refused:
        run_query(loaded.workers, _query(template, recorder), timeout_s=10)
    assert refused.value.line is not None and refused.value.column is not None
    assert recorder.requests == []
    assert dataset_hash(loaded.store) == before


def test_carriage_return_line_ends_are_normalised_not_refused():
    """Input: a query with CRLF line ends (a text area, a Windows file). Expected: accepted, and the text that runs
    has LF line ends."""
    assert guard("SELECT * WHERE {\r\n  ?s ?p ?o\r\n}\r\n").text == "SELECT * WHERE {\n  ?s ?p ?o\n}\n"


@pytest.mark.remote
@pytest.mark.parametrize("isolation_method", ["netns", "seccomp"])
def test_service_past_a_disabled_guard_reaches_no_one(loaded, recorder, monkeypatch, isolation_method):
    """Input: SERVICE queries naming the recorder, sent to a worker whose guard is switched off (embedded store:
    the worker isolates itself by ``isolation_method``; remote: the worker needs the network to reach the test's
    Oxigraph server, which runs in a network namespace of its own).
    Expected: no request reaches the recorder; each query fails or
    answers nothing, and the worker keeps answering."""
    monkeypatch.setenv("EUAIGRAPH_WORKER_ISOLATION", isolation_method)
    with QueryWorkers(ref_of(loaded.store), size=1, command=UNGUARDED) as workers:
        for template in SERVICE:
            try:
                workers.execute(_query(template, recorder), timeout_s=30, row_cap=10)
            except StoreError:
                pass  # "network is unreachable", "operation not permitted": the request never left
        answered = workers.execute("ASK { ?s ?p ?o }", timeout_s=30, row_cap=1)
        if loaded.backend == "embedded":
            assert workers.isolation.startswith("network namespace" if isolation_method == "netns" else "seccomp")
    assert answered.boolean is True
    assert recorder.requests == []


@pytest.mark.remote
def test_isolated_server_asked_directly_calls_no_one(oxigraph_server, recorder):
    """Input: SERVICE queries sent straight to the test's Oxigraph server (no guard, no worker: SPARQLWrapper on
    its query URL). Expected: the server answers or fails, and the recorder sees nothing."""
    assert oxigraph_server.isolated
    with RemoteStore(oxigraph_server.endpoint()) as store:
        for template in SERVICE:
            try:
                store.execute(_query(template, recorder))
            except StoreError:
                pass
    assert recorder.requests == []


@pytest.mark.remote
def test_control_a_server_that_is_not_isolated_does_call_the_recorder(servers, recorder, tmp_path):
    """Control, Input: the same SERVICE query sent to an Oxigraph server started without a namespace of its own.
    Expected: the server calls the recorder, so the zero-request assertions above can fail."""
    server = servers(tmp_path / "db", isolated=False)
    try:
        with RemoteStore(server.endpoint()) as store:
            try:
                store.execute(_query(SERVICE[1], recorder))
            except StoreError:
                pass
    finally:
        server.stop()
    assert [seen.path for seen in recorder.requests] == ["/sparql"]


def test_control_a_process_that_is_not_isolated_does_call_the_recorder(recorder):
    """Control, Input: a smuggled SERVICE run by Oxigraph in this (not isolated) process. Expected: the recorder
    gets the request: the guard is what stops it here, and the worker's isolation below the guard."""
    import pyoxigraph as ox

    try:
        list(ox.Store().query(_query(SMUGGLED[1][1], recorder)))
    except (OSError, RuntimeError, SyntaxError):
        pass
    assert [seen.path for seen in recorder.requests] == ["/sparql"]


def test_worker_that_cannot_be_isolated_refuses_to_start(tmp_path, monkeypatch):
    """Input: a worker whose isolation cannot be set up (an isolation that does not exist is asked for).
    Expected: StoreError when the pool starts it, saying queries are refused; no query runs."""
    from euaigraph.graph.query.worker import StoreRef

    monkeypatch.setenv("EUAIGRAPH_WORKER_ISOLATION", "nothing")
    with QueryWorkers(StoreRef(home=str(tmp_path / "store")), size=1) as workers:
        with pytest.raises(StoreError, match="isolation"):
            workers.execute("ASK { }", timeout_s=30, row_cap=1)


def test_cut_off_refuses_when_no_mechanism_works(monkeypatch):
    """Input: every isolation mechanism failing (as on a kernel without namespaces or seccomp). Expected:
    IsolationError naming each reason and saying queries are refused, never a silent success."""
    def refused(reason):
        def method():
            raise isolation.IsolationError(reason)
        return method

    monkeypatch.setattr(isolation, "_METHODS", {"netns": refused("no namespaces here"),
                                                "seccomp": refused("no seccomp here")})
    with pytest.raises(isolation.IsolationError, match="no namespaces here.*no seccomp here.*refuses"):
        isolation.cut_off("auto")
