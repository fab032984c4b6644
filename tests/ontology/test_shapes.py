"""The SHACL shapes accept a complete hand-written example and reject each kind of bad data with the expected
severity, focus node and path (through :func:`euaigraph.graph.load.validate.validate_graph`, which mixes the ontology in
so that subclasses count)."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from euaigraph.graph.load.validate import Finding, validate_graph
from euaigraph.ontology.namespaces import COUNTRY, EAI_NS, GRAPH, ID, SPDX_LICENCE

VALID = """
@prefix eai: <https://w3id.org/euaigraph/ontology#> .
@prefix id: <https://w3id.org/euaigraph/id/> .
@prefix graph: <https://w3id.org/euaigraph/graph/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix lang: <http://publications.europa.eu/resource/authority/language/> .
@prefix spdx: <http://spdx.org/licenses/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:model\\/ex\\/base a eai:AIModel ; rdfs:label "Example base" ;
    eai:providedBy id:org\\/acme ; eai:licence spdx:Apache-2.0 ; eai:weightsLicence spdx:Apache-2.0 ;
    eai:parameterCount "7.0E9"^^xsd:double ; eai:releaseDate "2024-05"^^xsd:gYearMonth ;
    eai:gated false ; eai:supportsLanguage lang:FIN ;
    eai:openness id:assessment\\/ex-base-weights .
id:model\\/ex\\/tuned a eai:AIModel ;
    eai:providedBy id:org\\/lab ; eai:licence id:licence\\/LicenseRef-Example ;
    eai:derivedFrom id:model\\/ex\\/base ; eai:fineTunedFrom id:model\\/ex\\/base ;
    eai:releaseDate "2025-01-31"^^xsd:date .

id:org\\/acme a eai:Organisation ; eai:jurisdiction country:FIN ; eai:control id:control\\/acme-parent .
id:org\\/lab a eai:Consortium ; eai:jurisdiction country:DEU .
id:org\\/parent a eai:Organisation ; eai:jurisdiction country:USA .
id:control\\/acme-parent a eai:Control ; eai:controller id:org\\/parent ; eai:startDate "2024-08-12"^^xsd:date .
country:FIN a eai:Country . country:DEU a eai:Country . country:USA a eai:Country .
lang:FIN a eai:Language .

id:facility\\/hpc a eai:AIFactory ; eai:jurisdiction country:FIN ; eai:euroHPC true .

spdx:Apache-2.0 a eai:Licence ; eai:spdxId "Apache-2.0" ; eai:opennessClass eai:OpenLicence .
id:licence\\/LicenseRef-Example a eai:Licence ; eai:spdxId "LicenseRef-Example" ;
    eai:licenceText <https://example.org/licence.txt> ; eai:opennessClass eai:OpenRestrictedLicence .

id:assessment\\/ex-base-weights a eai:OpennessAssessment ; eai:grade eai:GradeOpen ;
    eai:dimension id:concept\\/eosai\\/weights .
id:concept\\/eosai\\/weights a eai:OpennessDimension .

id:bloc\\/eu a eai:Bloc .
country:FIN eai:membership id:membership\\/fin\\/eu .
id:membership\\/fin\\/eu a eai:Membership ; eai:memberCountry country:FIN ; eai:bloc id:bloc\\/eu ;
    eai:startDate "1995-01-01"^^xsd:date .

id:source\\/demo a eai:Source ; eai:currentGraph graph:demo\\/20260101T000000Z-abcdef .
graph:demo\\/20260101T000000Z-abcdef a eai:SourceGraph ; eai:source id:source\\/demo ;
    eai:sourceUrl <https://example.org/feed.json> ; eai:retrievedAt "2026-01-01T00:00:00Z"^^xsd:dateTime ;
    prov:wasGeneratedBy id:run\\/demo\\/20260101T000000Z-abcdef .
id:run\\/demo\\/20260101T000000Z-abcdef a eai:IngestRun .
id:record\\/demo\\/ex-base a eai:SourceRecord ; eai:describes id:model\\/ex\\/base .
"""

BASE = ID["model/ex/base"]
TUNED = ID["model/ex/tuned"]
SOURCE_GRAPH = GRAPH["demo/20260101T000000Z-abcdef"]
LICENCE_REF = ID["licence/LicenseRef-Example"]
ASSESSMENT = ID["assessment/ex-base-weights"]


def example() -> Graph:
    return Graph().parse(data=VALID, format="turtle")


def findings(graph: Graph) -> list[Finding]:
    return validate_graph(graph)


def test_the_valid_example_conforms_completely():
    graph = example()
    assert len(graph) > 50
    assert findings(graph) == []


def _only(results: list[Finding], severity: str) -> list[Finding]:
    return [f for f in results if f.severity == severity]


def _at(results: list[Finding], focus: URIRef, path: URIRef | None = None) -> list[Finding]:
    return [f for f in results if f.focus == str(focus) and (path is None or f.path == str(path))]


def test_model_without_provider_is_a_warning():
    graph = example()
    graph.remove((BASE, EAI_NS.providedBy, None))
    results = findings(graph)
    assert _only(results, "Violation") == []
    warning = _at(results, BASE, EAI_NS.providedBy)
    assert [(f.severity, f.message) for f in warning] == [("Warning", "model has no provider (eai:providedBy)")]


def test_model_whose_provider_has_no_jurisdiction_is_a_warning():
    graph = example()
    graph.remove((ID["org/acme"], EAI_NS.jurisdiction, None))
    results = findings(graph)
    assert _only(results, "Violation") == []
    assert [f.message for f in _at(results, BASE)] == ["model has no jurisdiction through its provider"]


def test_licence_that_is_not_a_licence_is_a_violation():
    graph = example()
    graph.remove((BASE, EAI_NS.licence, None))
    graph.add((BASE, EAI_NS.licence, SPDX_LICENCE["Made-Up-1.0"]))
    violations = _only(findings(graph), "Violation")
    assert [(f.focus, f.path) for f in violations] == [(str(BASE), str(EAI_NS.licence))]
    assert "not a known licence" in violations[0].message


@pytest.mark.parametrize("grade", [EAI_NS.OpenLicence, ID["concept/grade/mostly"], Literal("open")])
def test_grade_outside_open_partial_closed_is_a_violation(grade):
    graph = example()
    graph.set((ASSESSMENT, EAI_NS.grade, grade))
    violations = _only(findings(graph), "Violation")
    assert [(f.focus, f.path) for f in violations] == [(str(ASSESSMENT), str(EAI_NS.grade))]
    assert "open, partial, closed" in violations[0].message


def test_two_grades_are_a_violation():
    graph = example()
    graph.add((ASSESSMENT, EAI_NS.grade, EAI_NS.GradeClosed))
    assert [(f.focus, f.path) for f in _only(findings(graph), "Violation")] == [(str(ASSESSMENT), str(EAI_NS.grade))]


def test_lineage_cycle_is_a_violation_on_every_model_in_it():
    graph = example()
    graph.add((BASE, EAI_NS.derivedFrom, TUNED))
    violations = _only(findings(graph), "Violation")
    assert sorted(f.focus for f in violations) == sorted([str(BASE), str(TUNED)])
    assert {f.message for f in violations} == {"lineage cycle: the model derives from itself"}


def test_a_model_deriving_from_itself_is_a_cycle():
    graph = example()
    graph.add((BASE, EAI_NS.derivedFrom, BASE))
    assert [f.focus for f in _only(findings(graph), "Violation")] == [str(BASE)]


def test_source_graph_without_retrieval_time_is_a_violation():
    graph = example()
    graph.remove((SOURCE_GRAPH, EAI_NS.retrievedAt, None))
    violations = _only(findings(graph), "Violation")
    assert [(f.focus, f.path, f.message) for f in violations] == [
        (str(SOURCE_GRAPH), str(EAI_NS.retrievedAt), "source graph without a retrieval time")]


def test_retrieval_time_must_be_a_datetime():
    graph = example()
    graph.set((SOURCE_GRAPH, EAI_NS.retrievedAt, Literal("2026-01-01", datatype=ns.XSD.date)))
    assert [f.path for f in _only(findings(graph), "Violation")] == [str(EAI_NS.retrievedAt)]


def test_source_graph_without_its_run_is_a_violation():
    graph = example()
    graph.remove((SOURCE_GRAPH, URIRef("http://www.w3.org/ns/prov#wasGeneratedBy"), None))
    assert [f.message for f in _only(findings(graph), "Violation")] == ["source graph without the run that wrote it"]


def test_licence_ref_without_text_url_is_a_violation():
    graph = example()
    graph.remove((LICENCE_REF, EAI_NS.licenceText, None))
    violations = _only(findings(graph), "Violation")
    assert [(f.focus, f.message) for f in violations] == [
        (str(LICENCE_REF), "a custom licence (LicenseRef-*) needs the URL of its text")]


def test_spdx_licence_needs_no_text_url():
    graph = example()
    assert (SPDX_LICENCE["Apache-2.0"], EAI_NS.licenceText, None) not in graph
    assert _at(findings(graph), SPDX_LICENCE["Apache-2.0"]) == []


def test_language_that_is_not_a_language_is_a_violation():
    graph = example()
    graph.add((BASE, EAI_NS.supportsLanguage, URIRef("http://publications.europa.eu/resource/authority/language/FUJ")))
    violations = _only(findings(graph), "Violation")
    assert [(f.focus, f.path) for f in violations] == [(str(BASE), str(EAI_NS.supportsLanguage))]


def test_jurisdiction_that_is_not_a_country_is_a_violation():
    graph = example()
    graph.add((ID["org/parent"], EAI_NS.jurisdiction, COUNTRY["XXX"]))
    assert [(f.focus, f.path) for f in _only(findings(graph), "Violation")] == [
        (str(ID["org/parent"]), str(EAI_NS.jurisdiction))]


def test_membership_without_start_date_is_a_violation():
    graph = example()
    membership = ID["membership/fin/eu"]
    graph.remove((membership, EAI_NS.startDate, None))
    violations = _only(findings(graph), "Violation")
    assert [(f.focus, f.path) for f in violations] == [(str(membership), str(EAI_NS.startDate))]


def test_subclasses_count_through_the_ontology():
    """The AI Factory is a compute facility and the consortium an organisation only through rdfs:subClassOf."""
    graph = example()
    graph.add((ID["facility/hpc"], EAI_NS.jurisdiction, ID["org/parent"]))
    assert [(f.focus, f.path) for f in _only(findings(graph), "Violation")] == [
        (str(ID["facility/hpc"]), str(EAI_NS.jurisdiction))]
