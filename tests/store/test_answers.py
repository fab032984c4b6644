"""Kept answers per data version: served again only for the same query, row cap and data version; never for a
cancelled query; a damaged file is a miss; a new ingest makes every kept answer stale."""

from __future__ import annotations

import json

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from euaigraph.graph.query.answers import Answers
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import ingest_many
from euaigraph.graph.query.run import run_query, run_saved
from euaigraph.graph.query.saved import catalogue
from euaigraph.graph.store.base import QueryCancelled, QueryResult, StoreError
from euaigraph.graph.query.warm import warm
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.ingest import registry

from .util import V1, V2, load

LABELS = ("SELECT ?m ?l WHERE { ?m a <https://w3id.org/euaigraph/ontology#AIModel> ; "
          "<http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?m")


def test_every_kind_of_term_and_result_comes_back_as_it_was_kept(tmp_path, caplog):
    answers = Answers(tmp_path / "answers")
    rows = [(URIRef("https://e.org/a"), Literal("Poro", lang="fi"), Literal("7.24e9", datatype=XSD.double)),
            (BNode("b1"), Literal('quote " and \n newline'), None),
            (URIRef("https://e.org/ü"), Literal("2024-05", datatype=XSD.gYearMonth), Literal(True))]
    kept = {
        "select": QueryResult(kind="select", variables=["x", "y", "z"], rows=rows, truncated=True, row_cap=3,
                              elapsed_ms=12.5, data_version="v1"),
        "ask": QueryResult(kind="ask", boolean=False, data_version="v1"),
        "graph": QueryResult(kind="graph", triples=[(URIRef("https://e.org/s"), URIRef("https://e.org/p"),
                                                     Literal("o"))], data_version="v1"),
    }
    for text, result in kept.items():
        answers.keep(text, 3, result)
    fresh = Answers(tmp_path / "answers")  # another process: read from the files, not the memory tier
    for text, result in kept.items():
        served = fresh.find("v1", text, 3)
        assert served is not None and served.cached
        assert (served.kind, served.variables, served.rows, served.boolean, served.triples, served.truncated,
                served.row_cap, served.elapsed_ms) == (result.kind, result.variables, result.rows, result.boolean,
                                                       result.triples, result.truncated, result.row_cap,
                                                       result.elapsed_ms)
        assert [[type(t) for t in row] for row in served.rows] == [[type(t) for t in row] for row in result.rows]
    assert not caplog.records, [r.getMessage() for r in caplog.records]  # e.g. rdflib's warning on a bad IRI
    assert fresh.find("v1", "select", 4) is None, "a different row cap is a different answer"
    assert fresh.find("v2", "select", 3) is None, "a different data version is a different answer"
    assert fresh.find(None, "select", 3) is None


def test_an_answer_without_a_data_version_is_not_kept(tmp_path):
    answers = Answers(tmp_path / "answers")
    answers.keep("ASK {}", 10, QueryResult(kind="ask", boolean=True))  # e.g. from an endpoint
    assert not (tmp_path / "answers").exists()


@pytest.mark.parametrize("damage", ["not JSON", "another format", "missing fields"])
def test_a_damaged_answer_file_is_a_miss_and_is_removed(tmp_path, damage, caplog):
    answers = Answers(tmp_path / "answers")
    answers.keep("ASK {}", 10, QueryResult(kind="ask", boolean=True, data_version="v1"))
    path = next((tmp_path / "answers" / "v1").glob("*.json"))
    data = json.loads(path.read_text())
    path.write_text({"not JSON": "\x80(lp0\n.", "another format": json.dumps({**data, "format": 99}),
                     "missing fields": json.dumps({"format": data["format"]})}[damage])
    assert Answers(tmp_path / "answers").find("v1", "ASK {}", 10) is None
    assert not path.exists() and "unreadable" in caplog.text


def test_run_query_serves_the_kept_answer_until_the_data_changes(tmp_path):
    home = tmp_path / "store"
    with EmbeddedStore(home, writable=True) as store:
        load(store, tmp_path, V1, name="v1.tsv")
        first_version = store.data_version()
    ref = StoreRef(home=str(home))
    answers = ref.answers()
    with QueryWorkers(ref, size=1) as workers:
        computed = run_query(workers, LABELS, answers=answers)
        assert not computed.cached and computed.data_version == first_version
        served = run_query(workers, LABELS, answers=Answers.of_home(home))  # a fresh process's view: from disk
        assert served.cached and served.rows == computed.rows
        assert {str(label) for _, label in served.rows} == {r[1] for r in V1}

        with EmbeddedStore(home, writable=True) as store:
            load(store, tmp_path, V2, name="v2.tsv")
            second_version = store.data_version()
        after = run_query(workers, LABELS, answers=answers)
        assert not after.cached and after.data_version == second_version != first_version
        assert {str(label) for _, label in after.rows} == {r[1] for r in V2}
    assert [p.name for p in (home / "answers").iterdir()] == [second_version], "stale answers were left behind"


def test_a_cancelled_query_keeps_nothing(tmp_path):
    home = tmp_path / "store"
    with EmbeddedStore(home, writable=True) as store:
        load(store, tmp_path, V1, name="v1.tsv")
    ref = StoreRef(home=str(home))
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    with QueryWorkers(ref, size=1) as workers, pytest.raises(QueryCancelled):
        run_query(workers, slow, timeout_s=0.5, answers=ref.answers())
    assert not list(home.glob("answers/*/*.json")), "a cancelled query left an answer"


def test_warm_keeps_an_answer_for_every_saved_question(tmp_path):
    home = tmp_path / "shipped"
    with EmbeddedStore(home, writable=True) as store:
        outcomes = ingest_many(store, registry.build_jobs(), all_or_nothing=True)
    assert all(o.ok for o in outcomes)
    ref = StoreRef(home=str(home))
    done = warm(ref)
    assert [w.name for w in done] == list(catalogue()) and all(w.ok for w in done), [w for w in done if not w.ok]
    answers = Answers.of_home(home)
    with QueryWorkers(ref, size=1) as workers:
        for name, saved in catalogue().items():
            served = run_saved(workers, saved, answers=answers)
            assert served.cached, f"{name} was not kept by warm"
            assert served.rows == run_saved(workers, saved).rows, f"{name}: the kept answer differs from the store's"


def test_an_endpoint_keeps_no_answers(oxigraph_server):
    ref = StoreRef(endpoint=oxigraph_server.endpoint())
    assert ref.answers() is None
    with pytest.raises(StoreError, match="keeps no answers"):
        warm(ref)


def test_answers_stop_being_kept_at_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("EUAIGRAPH_ANSWERS_MB", str(3000 / 1024 / 1024))  # about 3 kB
    answers = Answers(tmp_path / "answers")
    big = QueryResult(kind="select", variables=["x"], rows=[(Literal("x" * 500),)], data_version="v1")
    for n in range(20):
        answers.keep(f"query {n}", 10, big)
    kept = list((tmp_path / "answers" / "v1").glob("*.json"))
    assert 3 <= len(kept) < 20
    assert Answers(tmp_path / "answers").find("v1", "query 19", 10) is None  # not on disk
    assert answers.find("v1", "query 19", 10) is not None  # still served from this process's memory
