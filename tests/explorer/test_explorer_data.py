"""The explorer's fixed reads: facts with their provenance, disagreements, sources and the charts' map."""

from __future__ import annotations

import pytest
from explorer_support import EVIL_ORG, MARKER, hostile_models

from euaigraph.explorer import charts, data
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.store.terms import UnsafeIriError


def test_facts_carry_source_confidence_and_evidence(hostile_home):
    with EmbeddedStore(hostile_home) as store:
        entity = data.entity(store, str(hostile_models()[0]))
    label = next(f for f in entity.facts if f.property.endswith("#label"))
    assert label.source == "hostile-a" and label.confidence == "high" and label.retrieved
    assert label.urls == (f"javascript:console.log('{MARKER}-6')",)  # kept as text, shown as text
    incoming = {str(f.value) for f in entity.facts if f.incoming}
    assert {str(m) for m in hostile_models()[1:]} <= incoming


def test_disagreements_are_per_source(hostile_home):
    with EmbeddedStore(hostile_home) as store:
        entity = data.entity(store, str(EVIL_ORG))
    conflicts = entity.disagreements()
    jurisdiction = next(v for k, v in conflicts.items() if k.endswith("#jurisdiction"))
    assert {s: [str(x).rsplit("/", 1)[-1] for x in v] for s, v in jurisdiction.items()} == {
        "hostile-a": ["FRA"], "hostile-b": ["USA"]}
    assert not any(k.endswith("#type") for k in conflicts)  # both say Organisation: no disagreement


def test_names_in_different_languages_do_not_disagree():
    from rdflib import Literal, URIRef

    def fact(source, value):
        return data.Fact(property="http://www.w3.org/2004/02/skos/core#altLabel", value=value, source=source, graph=source)

    names = data.Entity(iri="https://e.example/de", label="Germany", facts=[
        fact("countries", Literal("Federal Republic of Germany", lang="en")),
        fact("translations", Literal("Allemagne", lang="fr")), fact("translations", Literal("Deutschland", lang="de"))])
    assert names.disagreements() == {}
    other = data.Entity(iri="https://e.example/de", label="Germany", facts=[
        *names.facts, fact("eu-vocabularies", Literal("République fédérale d'Allemagne", lang="fr"))])
    assert set(other.disagreements()["http://www.w3.org/2004/02/skos/core#altLabel"]) == {
        "countries", "eu-vocabularies", "translations"}  # two sources, two French names
    seats = data.Entity(iri="https://e.example/o", label="O", facts=[
        data.Fact(property="p", value=URIRef("https://e.example/FRA"), source="a", graph="a"),
        data.Fact(property="p", value=URIRef("https://e.example/USA"), source="b", graph="b")])
    assert list(seats.disagreements()) == ["p"]


def test_unknown_and_unsafe_iris(hostile_home):
    with EmbeddedStore(hostile_home) as store:
        assert data.entity(store, "https://w3id.org/euaigraph/id/model/none") is None
        with pytest.raises(UnsafeIriError):
            data.entity(store, "http://x> } ; DROP ALL ; #")


def test_sources_say_how_to_refresh(hostile_home):
    with EmbeddedStore(hostile_home) as store:
        details = {d.status.source: d for d in data.sources(store)}
    assert {"hostile-a", "hostile-b", "countries", "derived"} <= set(details)
    assert details["hostile-a"].priority == 1 and details["hostile-b"].priority == 4
    assert "euaigraph ingest hostile-a --file PATH   # a recorded feed" in details["hostile-a"].refresh


def test_property_labels_come_from_the_ontology():
    assert data.property_label("https://w3id.org/euaigraph/ontology#fineTunedFrom") == "fine-tuned from"
    assert data.property_label("https://example.org/x#someNewThing") == "some new thing"


def test_the_map_of_europe_holds_every_member_country_as_a_real_boundary_and_nothing_overseas():
    features = {f["id"]: f for f in charts.europe()["features"]}
    members = {"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
               "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"}
    assert members <= set(features) and "USA" not in features
    france = features["FRA"]["geometry"]["coordinates"]
    points = [p for polygon in france for ring in polygon for p in ring]
    assert len(points) > 100  # a boundary, not a square
    assert all(-25 <= x <= 45 and 34 <= y <= 72 for x, y in points if x > -20)  # French Guiana left out
    assert all(ring[0] == ring[-1] for polygon in france for ring in polygon)  # closed rings
    values = charts.map_values({"FRA": 3, "FIN": 1, "USA": 9}, {"FRA": "France"})
    assert sorted(values) == [("FIN", "FIN", 1), ("FRA", "France", 3)]
    spec = charts.choropleth({"FRA": 3}, {"FRA": "France"}, title="models").to_dict()
    assert spec["layer"][1]["mark"]["type"] == "geoshape"
