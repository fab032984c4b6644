"""EU Vocabularies authority tables: a golden slice of the Country table, facts from the full folder (the 27 member
states, labels in every language, IRIs shared with iri.py), another table written here in two syntaxes, bad and
hostile input, idempotence and live mode against a local HTTP server."""

from __future__ import annotations

import doctest
import os
import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from euaigraph.ingest.safe_parse import UnsafeInput
from euaigraph.ingest.sources import eu_vocabularies
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .conftest import FIXED, assert_golden, parse_source
from .recording_server import Reply

SPEC = eu_vocabularies.SOURCE
COUNTRIES = "eu_vocabularies/europarl/countries-skos.rdf"
EU27 = {"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA",
        "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"}
EU_MEMBERS = """PREFIX eai: <https://w3id.org/euaigraph/ontology#>
SELECT ?country ?start ?end WHERE { ?country eai:membership ?m . ?m eai:bloc ?bloc ; eai:memberCountry ?country ;
  eai:startDate ?start ; eai:endDate ?end }"""


def members(graph: Graph) -> dict[str, tuple[str, str]]:
    rows = graph.query(EU_MEMBERS, initBindings={"bloc": iri.bloc_iri("eu")})
    return {str(r.country).rsplit("/", 1)[-1]: (str(r.start), str(r.end)) for r in rows}


def test_module_doctests():
    assert doctest.testmod(eu_vocabularies).failed == 0


def country_slice(text: str, codes: tuple[str, ...], languages: tuple[str, ...]) -> str:
    """A verbatim cut of the Country table: its header and scheme, the concepts of ``codes`` (one per line), with
    the labels in other languages removed."""
    header = text[: text.index("<skos:Concept ")]
    others = "|".join(f'{lang}"' for lang in languages)
    label = re.compile(rf'<skos:(pref|alt|hidden)Label xml:lang="(?!{others})[^"]*">[^<]*</skos:\w+>')
    concepts = [re.search(rf'<skos:Concept rdf:about="{eu_vocabularies.AUTHORITY}country/{code}".*?</skos:Concept>',
                          text, re.DOTALL).group(0) for code in codes]
    return header + "\n" + "\n".join(label.sub("", c) for c in concepts) + "\n</rdf:RDF>\n"


def test_golden_slice(shared_data, tmp_path):
    """France (a member state) and the United Kingdom (not one; legacy code UK), with labels in three languages,
    cut from the recorded Country table at test time."""
    text = (shared_data / COUNTRIES).read_text(encoding="utf-8")
    (tmp_path / "countries-slice.rdf").write_text(country_slice(text, ("FRA", "GBR"), ("en", "fr", "de")))
    os.utime(tmp_path / "countries-slice.rdf", (FIXED, FIXED))  # the retrieval date every record carries
    graph, report = parse_source(SPEC, tmp_path / "countries-slice.rdf")
    assert (report.records_read, report.records_rejected) == (2, 0)
    assert_golden(graph, "eu_vocabularies_countries_fra_gbr")


@pytest.fixture(scope="module")
def full(shared_data):
    return parse_source(SPEC, shared_data / "eu_vocabularies")


def test_the_27_member_states_from_the_country_table(full):
    graph, report = full
    found = members(graph)
    assert set(found) == EU27
    assert set(found.values()) == {("2022-12-14", "2022-12-14")}  # attested on the table's version date only
    assert report.records_rejected == 0


def test_countries_land_on_the_iri_py_iris_with_labels_in_every_language(full):
    graph, _ = full
    france = iri.country_iri("FRA")
    assert (france, RDF.type, EAI.Country) in graph
    languages = {label.language for label in graph.objects(france, SKOS.prefLabel)}
    assert len(languages) >= 40 and {"fr", "en", "ga", "mt", "el"} <= languages
    assert (iri.country_iri("GRC"), SKOS.notation, Literal("EL")) in graph  # the legacy code CORDIS uses
    assert not list(graph.triples((iri.country_iri("GBR"), EAI.membership, None)))


def test_data_themes_and_corporate_body_classes(full):
    graph, report = full
    assert "berlinonline/data-theme-skos-ap-act.ttl: owl:imports <http://publications.europa.eu/ontology/euvoc> not " \
           "followed" in report.notes
    tech = URIRef("http://publications.europa.eu/resource/authority/data-theme/TECH")
    assert (tech, SKOS.inScheme, URIRef("http://publications.europa.eu/resource/authority/data-theme")) in graph
    assert (tech, SKOS.prefLabel, Literal("Science and technology", lang="en")) in graph
    assert len(set(graph.objects(tech, SKOS.prefLabel))) >= 24
    cfsp = URIRef("http://publications.europa.eu/resource/authority/corporate-body-classification/AGENCY_CFSP")
    assert (cfsp, SKOS.broader, URIRef(str(cfsp).replace("AGENCY_CFSP", "AGENCY_DEC"))) in graph
    assert (cfsp, SKOS.notation, Literal("AGENCY_CFSP")) in graph


def test_idempotent(shared_data, full):
    again, _ = parse_source(SPEC, shared_data / "eu_vocabularies")
    assert set(again) == set(full[0])


LANGUAGE_RDF = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#"
         xmlns:owl="http://www.w3.org/2002/07/owl#" xmlns:at="http://publications.europa.eu/ontology/authority/">
  <skos:ConceptScheme rdf:about="http://publications.europa.eu/resource/authority/language">
    <owl:versionInfo>20240612-0</owl:versionInfo>
    <skos:prefLabel xml:lang="en">Language</skos:prefLabel>
  </skos:ConceptScheme>
  <skos:Concept rdf:about="http://publications.europa.eu/resource/authority/language/FIN" at:deprecated="false">
    <skos:inScheme rdf:resource="http://publications.europa.eu/resource/authority/language"/>
    <at:authority-code>FIN</at:authority-code>
    <skos:prefLabel xml:lang="en">Finnish</skos:prefLabel>
    <skos:prefLabel xml:lang="fi">suomi</skos:prefLabel>
    <skos:prefLabel xml:lang="sv">finska</skos:prefLabel>
  </skos:Concept>
  <skos:Concept rdf:about="http://publications.europa.eu/resource/authority/language/GLG" at:deprecated="false">
    <skos:inScheme rdf:resource="http://publications.europa.eu/resource/authority/language"/>
    <at:authority-code>GLG</at:authority-code>
    <skos:prefLabel xml:lang="en">Galician</skos:prefLabel>
    <skos:prefLabel xml:lang="gl">galego</skos:prefLabel>
  </skos:Concept>
</rdf:RDF>
"""
LANGUAGE_TTL = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix at: <http://publications.europa.eu/ontology/authority/> .
@prefix lang: <http://publications.europa.eu/resource/authority/language/> .

<http://publications.europa.eu/resource/authority/language> a skos:ConceptScheme ;
  owl:versionInfo "20240612-0" ; skos:prefLabel "Language"@en ;
  owl:imports <http://publications.europa.eu/ontology/euvoc> .

lang:FIN a skos:Concept ; skos:inScheme <http://publications.europa.eu/resource/authority/language> ;
  at:authority-code "FIN" ; at:deprecated "false" ;
  skos:prefLabel "Finnish"@en, "suomi"@fi, "finska"@sv .

lang:GLG a skos:Concept ; skos:inScheme <http://publications.europa.eu/resource/authority/language> ;
  at:authority-code "GLG" ; at:deprecated "false" ;
  skos:prefLabel "Galician"@en, "galego"@gl .
"""


def _without_records(graph: Graph) -> set:
    records = set(graph.subjects(RDF.type, EAI.SourceRecord))
    return {t for t in graph if t[0] not in records}


def test_another_table_in_two_syntaxes(tmp_path):
    (tmp_path / "languages.rdf").write_text(LANGUAGE_RDF)
    (tmp_path / "languages.ttl").write_text(LANGUAGE_TTL)
    from_xml, report = parse_source(SPEC, tmp_path / "languages.rdf")
    from_ttl, _ = parse_source(SPEC, tmp_path / "languages.ttl")
    assert _without_records(from_xml) == _without_records(from_ttl)
    finnish = iri.language_iri("FIN")
    assert (finnish, RDF.type, EAI.Language) in from_xml
    assert (finnish, SKOS.prefLabel, Literal("suomi", lang="fi")) in from_xml
    assert (finnish, SKOS.notation, Literal("FIN")) in from_xml
    assert report.records_read == 2 and not members(from_xml)
    locators = {str(o) for o in from_ttl.objects(None, EAI.locator)}
    assert locators == {"languages.ttl:6", "languages.ttl:10", "languages.ttl:14"}  # the scheme, then each concept


def test_an_invalid_file_is_reported_and_the_rest_loads(tmp_path):
    (tmp_path / "languages.rdf").write_text(LANGUAGE_RDF)
    (tmp_path / "broken.ttl").write_text(LANGUAGE_TTL.replace("lang:GLG a", "<lang:GLG/x> a lang:GLG/x"))
    graph, report = parse_source(SPEC, tmp_path)
    assert [r.where for r in report.rejected] == ["broken.ttl:14"]
    assert (iri.language_iri("GLG"), RDF.type, EAI.Language) in graph


def test_member_states_of_an_undated_table_are_reported_not_written(tmp_path):
    undated = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#"
         xmlns:at="http://publications.europa.eu/ontology/authority/">
  <skos:Concept rdf:about="http://publications.europa.eu/resource/authority/country/EST" at:protocol.order="EU-16">
    <skos:inScheme rdf:resource="http://publications.europa.eu/resource/authority/country"/>
    <at:authority-code>EST</at:authority-code><skos:prefLabel xml:lang="et">Eesti</skos:prefLabel>
  </skos:Concept>
</rdf:RDF>
"""
    (tmp_path / "country.rdf").write_text(undated)
    graph, report = parse_source(SPEC, tmp_path / "country.rdf")
    assert (iri.country_iri("EST"), RDF.type, EAI.Country) in graph and not members(graph)
    # the concept is ingested; the membership it cannot date is not written, and the run says so
    assert not report.rejected and report.imbalance() is None
    assert [n for n in report.notes if n.startswith("country.rdf:4: EU protocol order EU-16")]


def test_a_table_with_a_dtd_aborts_the_source(tmp_path):
    (tmp_path / "languages.rdf").write_text(LANGUAGE_RDF.replace(
        '<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x "y">]>'))
    with pytest.raises(UnsafeInput, match=r"languages\.rdf:2"):
        parse_source(SPEC, tmp_path)


def test_live_mode_against_a_local_server(http_server, tmp_path):
    http_server.route("/authority/language", Reply(200, LANGUAGE_RDF.encode(), {"ETag": '"lang-1"'}))
    feed = eu_vocabularies.fetch(tmp_path, table="language", authority=http_server.url("/authority/"), progress=False)
    graph, _ = parse_source(SPEC, feed.path)
    assert (iri.language_iri("GLG"), SKOS.prefLabel, Literal("galego", lang="gl")) in graph
    assert http_server.requests[0].headers.get("Accept") == "application/rdf+xml"
    with pytest.raises(ValueError):
        eu_vocabularies.fetch(tmp_path, table="../etc", authority=http_server.url("/authority/"))
