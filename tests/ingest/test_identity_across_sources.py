"""Identity across sources: after the shipped graph and every recorded feed are loaded, one model seen by several
feeds is one node, described in each source's own graph; names no reviewed alias maps stay separate."""

from __future__ import annotations

import pytest

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import ingest_many
from euaigraph.graph.query.run import with_prefixes
from euaigraph.ingest import registry
from euaigraph.ontology.iri import model_iri
from euaigraph.ontology.vocab import EAI

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def full_home(shared_data, tmp_path_factory):
    home = tmp_path_factory.mktemp("full") / "store"
    with EmbeddedStore(home, writable=True) as store:
        outcomes = ingest_many(store, registry.build_jobs(feeds=shared_data), all_or_nothing=True)
    assert all(o.ok for o in outcomes), [o.message for o in outcomes if not o.ok]
    return home


def sources_describing(store, iri) -> set[str]:
    rows = store.execute(with_prefixes(
        f"SELECT DISTINCT ?source WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} ?g eai:source ?source }}")).rows
    return {str(s).rsplit("/", 1)[-1] for (s,) in rows}


def test_mistral_7b_is_one_node_with_at_least_four_sources(full_home):
    mistral = model_iri("mistralai/Mistral-7B-v0.1")
    with EmbeddedStore(full_home) as store:
        seen = sources_describing(store, mistral) - {"derived"}
        # No feed keeps a node of its own for the same model under its own name.
        scoped = store.execute(with_prefixes("""SELECT DISTINCT ?m WHERE { ?m a eai:AIModel ; rdfs:label ?l
              FILTER(LCASE(STR(?l)) IN ("mistral 7b", "mistral-7b-v0.1", "mistral-7b")) }""")).rows
    assert {"curated-models", "huggingface"} <= seen
    assert len(seen) >= 4, seen
    assert {str(m) for (m,) in scoped} <= {str(mistral)}


def test_a_model_each_feed_knows_keeps_its_curated_facts_and_the_feeds_claims(full_home):
    tilde = model_iri("TildeAI/TildeOpen-30b")
    with EmbeddedStore(full_home) as store:
        seen = sources_describing(store, tilde)
        licences = {str(l) for (l,) in store.execute(
            f"SELECT DISTINCT ?l WHERE {{ <{tilde}> <{EAI.licence}> ?l }}").rows}
    assert {"curated-models", "osai-index"} <= seen
    assert licences == {"http://spdx.org/licenses/CC-BY-4.0"}
