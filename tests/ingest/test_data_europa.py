"""data.europa.eu / DCAT-AP: a golden slice of SEMIC's examples (Turtle and JSON-LD with its local context), the
full folder with its two invalid Turtle files, records written here in Turtle, RDF/XML and JSON-LD, hostile input,
idempotence, and live mode against a local HTTP server."""

from __future__ import annotations

import doctest
import json
import os
import shutil

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from euaigraph.ingest.aliases import aliases
from euaigraph.ingest.curated import records
from euaigraph.ingest.safe_parse import UnsafeInput
from euaigraph.ingest.sources import data_europa
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .conftest import FIXED, assert_golden, parse_source
from .recording_server import Reply

SPEC = data_europa.SOURCE
DCAT = data_europa.DCAT
EXAMPLES = "dcat_ap/releases/3.0.1/html/examples"
THEME = URIRef("http://publications.europa.eu/resource/authority/data-theme/TECH")


def dataset(key: str) -> URIRef:
    return iri.dataset_iri(data_europa.dataset_key(URIRef(key)))


def curated_organisation() -> tuple[str, str]:
    """A curated organisation's name and id, whatever the curated data holds today."""
    for record in records("organisations"):
        if aliases("organisations").resolve(record["name"]) == record["id"]:
            return record["name"], record["id"]
    pytest.skip("no curated organisation resolves by its name")


def test_module_doctests():
    assert doctest.testmod(data_europa).failed == 0


def test_golden_slice(shared_data, tmp_path):
    """The same two datasets in Turtle and in JSON-LD whose @context is the URL of the context file beside it."""
    for name in ("example-bee-population-2022-2023.ttl", "example-bee-population-2022-2023.jsonld", "context.jsonld"):
        shutil.copy(shared_data / EXAMPLES / name, tmp_path / name)
        os.utime(tmp_path / name, (FIXED, FIXED))  # the retrieval date every record carries
    graph, report = parse_source(SPEC, tmp_path)
    assert (report.records_read, report.records_rejected) == (4, 0)  # two datasets, read from each file
    assert_golden(graph, "data_europa_bee_population_2022_2023")


@pytest.fixture(scope="module")
def full(shared_data):
    return parse_source(SPEC, shared_data / "dcat_ap")


def test_full_folder_reports_the_two_invalid_turtle_files_and_loads_the_rest(full):
    graph, report = full
    rejected = {r.where: r.reason for r in report.rejected}
    assert set(rejected) == {
        "releases/3.0.1/html/examples/example-bee-population-dataset-series-api.ttl:20",
        "releases/3.0.1/html/examples/example-bee-population-dataset-series-combined.ttl:32",
    }
    assert all(reason.startswith("turtle syntax error") for reason in rejected.values())
    series = dataset("https://data.gov.gr/id/datasetseries/BeePopulation")
    assert (series, RDF.type, DCAT.DatasetSeries) in graph
    assert (series, RDFS.label, Literal("Bee population", lang="en")) in graph
    assert (dataset("https://data.gov.gr/id/dataset/BeePopulation2023"), DCAT.inSeries, series) in graph
    locators = {str(o).split(":")[0] for o in graph.objects(None, EAI.locator)}
    assert "releases/3.0.1/html/examples/example-bee-population-dataset-series-api.jsonld" in locators  # its twin loads


def test_idempotent_and_without_blank_nodes(shared_data, full):
    again, _ = parse_source(SPEC, shared_data / "dcat_ap")
    assert set(full[0]) == set(again)
    assert not [t for t in again if any(isinstance(term, BNode) for term in t)]


TURTLE = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix ex: <https://data.example.eu/id/> .

ex:speech-corpus a dcat:Dataset ;
  dct:title "Parliamentary speech corpus"@en, "Korpus przemówień parlamentarnych"@pl ;
  dct:publisher ex:publisher ;
  dct:license <https://creativecommons.org/licenses/by-sa/4.0/> ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/TECH> ;
  dcat:distribution ex:speech-corpus-csv, [ a dcat:Distribution ; dcat:accessURL <https://data.example.eu/speech.zip> ;
      dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ] .

ex:publisher a foaf:Agent ; foaf:name "{publisher}" .

ex:speech-corpus-csv a dcat:Distribution ; dcat:downloadURL <https://data.example.eu/speech.csv> ;
  dct:license <https://licences.example.eu/our-own-terms> .
"""
RDFXML = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#"
         xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="https://data.example.eu/id/treebank">
    <dct:title xml:lang="en">Lithuanian treebank</dct:title>
    <dct:license rdf:resource="http://publications.europa.eu/resource/authority/licence/CC0"/>
    <dcat:theme rdf:resource="http://publications.europa.eu/resource/authority/data-theme/EDUC"/>
  </dcat:Dataset>
</rdf:RDF>
"""


def test_records_never_seen_in_turtle_rdfxml_and_jsonld(tmp_path):
    name, org = curated_organisation()
    (tmp_path / "speech.ttl").write_text(TURTLE.replace("{publisher}", name))
    (tmp_path / "treebank.rdf").write_text(RDFXML)
    (tmp_path / "dcat-context.jsonld").write_text(json.dumps({"@context": {
        "dct": "http://purl.org/dc/terms/", "dcat": "http://www.w3.org/ns/dcat#", "title": {"@id": "dct:title"},
        "Dataset": "dcat:Dataset", "license": {"@id": "dct:license", "@type": "@id"}}}))
    (tmp_path / "lexicon.jsonld").write_text(json.dumps({
        "@context": "https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-context.jsonld",
        "@id": "https://data.example.eu/id/lexicon", "@type": "Dataset", "title": "Estonian lexicon",
        "license": "http://spdx.org/licenses/MIT"}))
    graph, report = parse_source(SPEC, tmp_path)
    assert report.records_rejected == 0
    speech = dataset("https://data.example.eu/id/speech-corpus")
    assert (speech, DCTERMS.publisher, iri.org_iri(org)) in graph
    assert (speech, EAI.licence, iri.licence_iri("CC-BY-SA-4.0")) in graph
    assert (speech, EAI.theme, THEME) in graph
    assert set(graph.objects(speech, RDFS.label)) == {Literal("Parliamentary speech corpus", lang="en"),
                                                       Literal("Korpus przemówień parlamentarnych", lang="pl")}
    distributions = set(graph.objects(speech, DCAT.distribution))
    assert len(distributions) == 2
    licences = {d: set(graph.objects(d, EAI.licence)) for d in distributions}
    assert {iri.licence_iri("CC-BY-4.0")} in licences.values()  # the EU licence NAL code, as SPDX
    assert [(u.name, u.kind) for u in report.unresolved] == [("https://licences.example.eu/our-own-terms", "licence")]
    treebank = dataset("https://data.example.eu/id/treebank")
    assert (treebank, EAI.licence, iri.licence_iri("CC0-1.0")) in graph
    lexicon = dataset("https://data.example.eu/id/lexicon")
    assert (lexicon, EAI.licence, iri.licence_iri("MIT")) in graph
    assert (lexicon, RDFS.label, Literal("Estonian lexicon")) in graph
    locators = {str(o) for o in graph.objects(None, EAI.locator)}
    assert {"speech.ttl:6", "treebank.rdf:4"} <= locators


def test_hostile_files_abort_the_source(http_server, tmp_path):
    (tmp_path / "fine.ttl").write_text(TURTLE.replace("{publisher}", "Someone"))
    url = http_server.route("/ctx.jsonld", Reply(200, b'{"@context": {}}'))
    (tmp_path / "remote.jsonld").write_text(json.dumps({"@context": url, "@id": "https://e.org/d"}))
    with pytest.raises(UnsafeInput, match="never fetched"):
        parse_source(SPEC, tmp_path)
    (tmp_path / "remote.jsonld").unlink()
    (tmp_path / "entity.rdf").write_text(f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "{url}">]>\n'
                                         + RDFXML.split("\n", 1)[1].replace("Lithuanian treebank", "&e;"))
    with pytest.raises(UnsafeInput, match="DTD"):
        parse_source(SPEC, tmp_path)
    assert http_server.requests == []


def test_live_mode_against_a_local_server(http_server, tmp_path):
    body = TURTLE.replace("{publisher}", "Someone").encode()
    http_server.route("/sparql", Reply(200, body, {"ETag": '"r1"', "Content-Type": "text/turtle"}), Reply(304))
    url = data_europa.live_url(endpoint=http_server.url("/sparql"))
    feed = data_europa.fetch(tmp_path, url=url, progress=False)
    assert feed.version == '"r1"' and feed.path.name == "body"  # no suffix: the format is sniffed
    graph, _ = parse_source(SPEC, feed.path)
    assert (dataset("https://data.example.eu/id/speech-corpus"), EAI.theme, THEME) in graph
    assert data_europa.fetch(tmp_path, url=url, progress=False).path == feed.path
    assert "CONSTRUCT" in http_server.requests[0].path or "CONSTRUCT" in str(http_server.requests[0].path)
    assert http_server.requests[1].headers.get("If-None-Match") == '"r1"'
