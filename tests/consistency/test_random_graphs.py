"""On random graphs built by the real pipeline, the networkx analysis and the saved questions give the same answers:
lineage closure with foreign ancestors, what-if, upstream and concentration. Hypothesis draws the graphs: developers
with known or unknown seats and persons affiliated with them, lineage (cycles included), licences with classes and a
family, datasets with curators, facilities with hosts and vendors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.namespace import RDF

from euaigraph.graph import analysis
from euaigraph.graph.analysis.read import derivation_codes
from euaigraph.graph.load.pipeline import ingest_many
from euaigraph.graph.query.run import run_saved
from euaigraph.graph.query.saved import catalogue
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest import registry
from euaigraph.ingest.base import PRIORITY_CURATED, Feed, Report, SourceSpec
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

COUNTRIES = ("FRA", "DEU", "USA", "CHN", None)  # None: no seat recorded
LINEAGE = (EAI.fineTunedFrom, EAI.mergedFrom, EAI.quantisedFrom, EAI.derivedFrom)
LICENCES = ((iri.licence_iri("Apache-2.0"), None), (iri.licence_iri("LicenseRef-Llama-3-Community"), "Llama"),
            (iri.licence_iri("LicenseRef-Llama-2-Community"), "Llama"), (iri.licence_iri("CC-BY-NC-4.0"), None))


@st.composite
def worlds(draw) -> list[tuple]:
    """The triples of a random world of 4-8 organisations, 0-2 persons, 4-14 models, datasets and facilities."""
    triples: list[tuple] = []
    orgs = [iri.org_iri(f"org{n}") for n in range(draw(st.integers(4, 8)))]
    for org in orgs:
        triples.append((org, RDF.type, EAI.Organisation))
        country = draw(st.sampled_from(COUNTRIES))
        if country:
            triples.append((org, EAI.jurisdiction, iri.country_iri(country)))
        if draw(st.booleans()) and draw(st.booleans()):
            controller = draw(st.sampled_from(orgs))
            control = iri.node_iri("control", str(org), str(controller))
            triples += [(org, EAI.control, control), (control, EAI.controller, controller),
                        (control, EAI.startDate, Literal("2001"))]
    people = [iri.person_iri(f"p{n}") for n in range(draw(st.integers(0, 2)))]
    for person in people:
        triples.append((person, RDF.type, EAI.Person))
        if draw(st.booleans()):
            triples.append((person, EAI.affiliatedWith, draw(st.sampled_from(orgs))))
    for licence, family in LICENCES:
        if family:
            triples.append((licence, EAI.licenceFamily, iri.licence_family_iri(family)))
    datasets = [iri.dataset_iri(f"d{n}") for n in range(3)]
    facilities = [iri.facility_iri(f"f{n}") for n in range(2)]
    for dataset in datasets:
        triples += [(dataset, RDF.type, EAI.Dataset), (dataset, EAI.curatedBy, draw(st.sampled_from(orgs)))]
    for facility in facilities:
        triples += [(facility, RDF.type, EAI.ComputeFacility),
                    (facility, EAI.jurisdiction, iri.country_iri(draw(st.sampled_from(COUNTRIES[:4])))),
                    (facility, EAI.acceleratorVendor, draw(st.sampled_from(orgs)))]
    models = [iri.model_iri(f"lab/m{n}") for n in range(draw(st.integers(4, 14)))]
    for n, model in enumerate(models):
        triples.append((model, RDF.type, EAI.AIModel))
        for developer in draw(st.lists(st.sampled_from(orgs + people), max_size=2, unique=True)):
            triples.append((model, EAI.providedBy, developer))
        if n and draw(st.booleans()):
            triples.append((model, draw(st.sampled_from(LINEAGE)), draw(st.sampled_from(models))))
        if draw(st.booleans()):
            triples.append((model, EAI.licence, draw(st.sampled_from(LICENCES))[0]))
        if draw(st.booleans()):
            triples.append((model, EAI.trainedOn, draw(st.sampled_from(datasets))))
        if draw(st.booleans()):
            triples.append((model, EAI.trainedAt, draw(st.sampled_from(facilities))))
    return triples


def build(home: Path, triples: list[tuple]) -> None:
    def parse(feed: Feed, report: Report):
        report.read(len(triples))
        report.ingested(len(triples))
        yield from triples

    spec = SourceSpec(id="random-world", title="A random world", homepage="https://fixture.example/",
                      data_licence="CC0-1.0", parse=parse, min_triples=1, priority=PRIORITY_CURATED)
    jobs = [(s, Feed.from_path(s.shipped_path())) for s in (registry.get(i) for i in ("ontology", "blocs", "licences"))]
    with EmbeddedStore(home, writable=True) as store:
        outcomes = ingest_many(store, [*jobs, (spec, Feed.from_path(home.parent / "world.marker"))])
    assert all(o.ok for o in outcomes), [o.message for o in outcomes if not o.ok]


def column(workers, question: str, params: dict, name: str) -> set[str]:
    result = run_saved(workers, catalogue()[question], params, timeout_s=120)
    return {str(v) for v in result.column(name) if v is not None}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds(), pick=st.integers(0, 10_000))
def test_networkx_and_the_saved_questions_agree_on_random_graphs(tmp_path_factory, world, pick):
    folder = tmp_path_factory.mktemp("world")
    (folder / "world.marker").write_text("a random world")
    build(folder / "store", world)
    with EmbeddedStore(folder / "store") as store:
        g = analysis.dependency_graph(store)
        where = analysis.standings(store, g, bloc="eu")
    models = sorted(n for n, k in g.nodes(data="kind") if k == "model")
    with QueryWorkers(StoreRef(home=str(folder / "store")), size=1) as workers:
        # Lineage: European models with an ancestor outside the bloc.
        assert column(workers, "dependency/non-bloc-ancestors", {"bloc": "eu"}, "model") == \
            analysis.foreign_ancestry(g, where, lineage=derivation_codes())
        # What-if: a licence family, an organisation, a facility.
        for removed in ("licence-family:Llama", "org:org0", "facility:f1"):
            node = str(iri.from_reference(removed))
            expected = {a.node for a in analysis.what_if(g, node)} if node in g else set()
            assert column(workers, "whatif/removal-impact", {"removed": removed}, "affected") == expected
        # Upstream of one model.
        model = models[pick % len(models)]
        assert column(workers, "dependency/model-upstream", {"model": model}, "node") == \
            {n.node for n in analysis.upstream(g, model, standing=where).nodes}
        # Concentration on upstream developers of the European models.
        european = [m for m in models if where.get(m) == "inside"]
        c = analysis.concentration(g, dimension="provider", models=european)
        rows = run_saved(workers, catalogue()["dependency/upstream-provider-concentration"], {"bloc": "eu"}).records()
        assert {str(r["provider"]): int(r["models"].toPython()) for r in rows} == {s.entity: s.models for s in c.shares}
        if rows:
            assert float(rows[0]["hhi"].toPython()) == pytest.approx(c.hhi)

