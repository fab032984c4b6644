"""Every fact is citable: provenance/uncited-facts finds no fact without an http(s) record URL on the shipped graph
and, source by source, on the graph with every recorded feed; every record says when it was retrieved and every
source graph its version; the snapshot manifest names sources by public URL and version, never a local path.

The sources listed in OTHERS (the three model feeds) are loaded and checked by the tests of their own area."""

from __future__ import annotations

import pytest

from euaigraph.graph import export
from euaigraph.graph.load.pipeline import ingest_many
from euaigraph.graph.query.run import run_saved
from euaigraph.graph.query.saved import catalogue
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest import registry
from euaigraph.ontology.namespaces import META_GRAPH, PREFIXES

UNCITED = catalogue()["provenance/uncited-facts"]
OTHERS = {"ecosystem-graphs", "epoch-ai", "huggingface"}
CHECKED = [s.id for s in registry.sources().values() if s.id not in OTHERS and (s.shipped or s.recorded_folder)]


def test_the_shipped_graph_has_no_uncited_fact(shipped_workers):
    result = run_saved(shipped_workers, UNCITED, timeout_s=120)
    assert not result.truncated and result.rows == []


@pytest.fixture(scope="module")
def feeds_home(tmp_path_factory, shared_data):
    home = tmp_path_factory.mktemp("feeds") / "store"
    jobs = [(spec, feed) for spec, feed in registry.build_jobs(feeds=shared_data) if spec.id not in OTHERS]
    with EmbeddedStore(home, writable=True) as store:
        outcomes = ingest_many(store, jobs)
    failed = [o.message for o in outcomes if not o.ok]
    assert not failed, failed
    return home


@pytest.fixture(scope="module")
def feeds_workers(feeds_home):
    with QueryWorkers(StoreRef(home=str(feeds_home)), size=1) as workers:
        yield workers


@pytest.fixture(scope="module")
def uncited(feeds_workers) -> dict[str, list]:
    """Uncited facts of the graph with every recorded feed, by source id (the question asked once, for all)."""
    result = run_saved(feeds_workers, UNCITED, timeout_s=300)
    assert not result.truncated
    by_source: dict[str, list] = {}
    for source, *fact in result.rows:
        by_source.setdefault(str(source).rsplit("/", 1)[-1], []).append(tuple(map(str, fact)))
    return by_source


@pytest.mark.shared_data
@pytest.mark.slow
@pytest.mark.parametrize("source", CHECKED)
def test_every_fact_of_the_source_cites_its_record(uncited, source):
    assert uncited.get(source, []) == []


@pytest.mark.shared_data
@pytest.mark.slow
def test_every_record_has_a_retrieval_date_and_every_graph_a_version(feeds_home):
    with EmbeddedStore(feeds_home) as store:
        undated = store.execute(
            f"PREFIX eai: <{PREFIXES['eai']}> SELECT ?g (COUNT(?r) AS ?n) WHERE {{ GRAPH ?g {{ ?r a eai:SourceRecord "
            "FILTER NOT EXISTS { ?r eai:accessed ?day } } } GROUP BY ?g").rows
        assert undated == []
        versions = dict(store.execute(  # the derived graph is computed, not read from a versioned input
            f"PREFIX eai: <{PREFIXES['eai']}> SELECT ?g ?v WHERE {{ GRAPH <{META_GRAPH}> {{ ?s eai:currentGraph ?g . "
            "FILTER(!STRENDS(STR(?s), '/source/derived')) OPTIONAL { ?g eai:sourceVersion ?v } } }").rows)
        assert versions and all(versions.values()), [str(g) for g, v in versions.items() if not v]


@pytest.mark.shared_data
@pytest.mark.slow
def test_the_snapshot_manifest_names_sources_by_public_url_and_version(feeds_home, tmp_path):
    with EmbeddedStore(feeds_home) as store:
        manifest = export.write_snapshot(store, tmp_path / "snapshot.zip")
    sources = {s["id"]: s for s in manifest["sources"]}
    assert all(str(s["url"]).startswith(("https://", "http://")) for s in sources.values()), sources
    index = sources["osai-index"]
    assert index["url"] == ("https://github.com/Language-Technology-Assessment/main-database/tree/"
                            "5a388e871b88735e7ab7e6fb230b76c9d460d99a")
    assert index["version"] == "git:5a388e871b88735e7ab7e6fb230b76c9d460d99a"
    assert sources["countries"]["url"] == registry.get("countries").homepage  # a package file: its public page
