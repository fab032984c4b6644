"""The derivation's inputs kept while staging (derived.Tap) are exactly those the derivation reads back from the
store once the same graphs are loaded, for every shipped source and every recorded feed: the tap saves reading a
file twice and must change nothing."""

from __future__ import annotations

from collections import Counter

from euaigraph.graph.load import derived
from euaigraph.graph.load.pipeline import ingest_many, stage
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest import registry


def _both_ways(tmp_path, jobs):
    staging = tmp_path / "staging"
    staging.mkdir()
    tapped = []
    for spec, feed in jobs:
        tap = derived.Tap()
        tapped.append((stage(spec, feed, staging, tap=tap), tap))
    with EmbeddedStore(tmp_path / "empty", writable=True) as empty:
        from_taps = derived.gather(empty, tapped)
    with EmbeddedStore(tmp_path / "loaded", writable=True) as loaded:
        assert all(outcome.ok for outcome in ingest_many(loaded, jobs, all_or_nothing=True))
        from_store = derived.gather(loaded)
    return Counter(from_store.claims), Counter(from_taps.claims)


def test_the_tap_keeps_what_the_store_holds_for_the_shipped_sources(tmp_path):
    from_store, from_taps = _both_ways(tmp_path, registry.build_jobs())
    assert sum(from_store.values()) > 1000  # the shipped graph has lineage, licences, seats and memberships
    assert from_taps == from_store


def test_the_tap_keeps_what_the_store_holds_for_every_recorded_feed(tmp_path, shared_data):
    jobs = [job for job in registry.build_jobs(feeds=shared_data) if not job[0].shipped]
    assert jobs, "no recorded feed found"
    from_store, from_taps = _both_ways(tmp_path, jobs)
    assert from_taps == from_store


def test_a_tap_keeps_no_claim_about_a_blank_node_or_a_literal_where_an_iri_is_meant():
    from rdflib import BNode, Literal, URIRef

    from euaigraph.ontology.vocab import EAI

    tap = derived.Tap()
    tap(BNode(), EAI.derivedFrom, URIRef("https://a.example/b"))
    tap(URIRef("https://a.example/m"), EAI.derivedFrom, Literal("b"))
    tap(URIRef("https://a.example/r"), EAI.startDate, Literal("2020-01-01"))
    assert tap.claims == [("https://a.example/r", str(EAI.startDate), "2020-01-01")]
