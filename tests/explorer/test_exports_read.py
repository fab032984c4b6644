"""Exports other tools read: every RDF file of a snapshot parses in rdflib, in pyoxigraph and in an independent
parser (Raptor's rapper for TriG, N-Quads and Turtle; PyLD, the JSON-LD processor, for JSON-LD) with the same
number of quads;
GraphML and GEXF open in networkx and follow Gephi's rules; the DCAT-AP description passes the DCAT-AP 3.0.1
shapes; the citation comes as text, BibTeX and CSL-JSON."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from explorer_support import build, source
from rdflib import RDF, RDFS, Literal, URIRef

from euaigraph.graph import export
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ontology.namespaces import EAI_NS as EAI

#: IRIs whose prefixed names would need escapes in Turtle (the trailing dot and the slashes broke rdflib 7.6).
AWKWARD = [URIRef("https://w3id.org/euaigraph/id/org/epoch-ai/pragmatic-theory-inc."),
           URIRef("https://w3id.org/euaigraph/id/org/a~b/(c)"), URIRef("https://w3id.org/euaigraph/id/org/x%41y"),
           URIRef("https://w3id.org/euaigraph/id/org/zürich-ai")]
RDF_FILES = {"dataset.trig": ("trig", ox.RdfFormat.TRIG), "dataset.nq": ("nquads", ox.RdfFormat.N_QUADS),
             "dataset.jsonld": ("json-ld", ox.RdfFormat.JSON_LD), "union.ttl": ("turtle", ox.RdfFormat.TURTLE),
             "dcat-ap.ttl": ("turtle", ox.RdfFormat.TURTLE)}


def _require(tool: str) -> None:
    if not shutil.which(tool) and not Path(tool).exists():
        pytest.fail(f"{tool} is missing: apt-get install raptor2-utils")


@pytest.fixture(scope="module")
def awkward_snapshot(tmp_path_factory) -> zipfile.ZipFile:
    triples = []
    for n, iri in enumerate(AWKWARD):
        triples += [(iri, RDF.type, EAI.Organisation), (iri, RDFS.label, Literal(f'Org "{n}"\tline\nnext')),
                    (iri, EAI.jurisdiction, URIRef("http://publications.europa.eu/resource/authority/country/FRA"))]
    home = build(tmp_path_factory.mktemp("awkward") / "store", [source("awkward", triples)])
    path = tmp_path_factory.mktemp("snap") / "awkward.zip"
    with EmbeddedStore(home) as store:
        export.write_snapshot(store, path)
    return zipfile.ZipFile(path)


@pytest.fixture(scope="module")
def shipped_snapshot(shipped_home, tmp_path_factory) -> zipfile.ZipFile:
    path = tmp_path_factory.mktemp("snap") / "whole.zip"
    with EmbeddedStore(shipped_home) as store:
        export.write_snapshot(store, path)
    return zipfile.ZipFile(path)


def rdflib_count(data: bytes, fmt: str) -> int:
    if fmt in ("trig", "nquads", "json-ld"):
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format=fmt)
        return sum(1 for _ in dataset.quads((None, None, None, None)))
    return len(rdflib.Graph().parse(data=data, format=fmt))


def other_count(path: Path, fmt: str) -> int:
    """Quads (or triples) counted by a parser that shares no code with rdflib or Oxigraph."""
    if fmt == "json-ld":
        from pyld import jsonld

        quads = jsonld.to_rdf(json.loads(path.read_text(encoding="utf-8")), {"format": "application/n-quads"})
        return len(set(quads.splitlines()))
    _require("rapper")
    out = subprocess.run(["rapper", "-i", fmt, "-c", str(path)], capture_output=True, text=True, timeout=300)
    found = re.search(r"returned (\d+) (triples|statements)", out.stderr)
    assert out.returncode == 0 and found, out.stderr[-2000:]
    return int(found.group(1))


@pytest.mark.parametrize("snapshot", ["awkward_snapshot", "shipped_snapshot"])
@pytest.mark.parametrize("name", sorted(RDF_FILES))
def test_every_rdf_file_reads_the_same_in_three_parsers(request, snapshot, name, tmp_path):
    archive = request.getfixturevalue(snapshot)
    data = archive.read(name)
    label, fmt = RDF_FILES[name]
    oxigraph = len(list(ox.parse(data, format=fmt)))
    path = tmp_path / name
    path.write_bytes(data)
    assert oxigraph > 0
    assert rdflib_count(data, label) == oxigraph == other_count(path, label), name


def test_awkward_iris_survive_in_full(awkward_snapshot):
    union = rdflib.Graph().parse(data=awkward_snapshot.read("union.ttl"), format="turtle")
    assert set(AWKWARD) <= set(union.subjects())
    assert b"id:org\\/" not in awkward_snapshot.read("union.ttl")


def test_graphml_and_gexf_follow_gephis_rules(shipped_snapshot):
    manifest = json.loads(shipped_snapshot.read("manifest.json"))
    graphml = shipped_snapshot.read("network.graphml")
    root = ET.fromstring(graphml)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {k.get("id"): k for k in root.findall("g:key", ns)}
    assert keys and all(k.get("attr.type") in {"boolean", "int", "long", "float", "double", "string"}
                        for k in keys.values())
    nodes = [n.get("id") for n in root.iter("{%s}node" % ns["g"])]
    edges = list(root.iter("{%s}edge" % ns["g"]))
    assert len(nodes) == len(set(nodes)) == manifest["counts"]["nodes"]
    assert len({e.get("id") for e in edges}) == len(edges) == manifest["counts"]["edges"]  # Gephi: ids unique
    assert all(e.get("source") in set(nodes) and e.get("target") in set(nodes) for e in edges)
    assert all(d.get("key") in keys for d in root.iter("{%s}data" % ns["g"]))
    assert nx.read_graphml(io.BytesIO(graphml)).number_of_edges() == manifest["counts"]["edges"]

    gexf = shipped_snapshot.read("network.gexf")
    root = ET.fromstring(gexf)
    gx = {"g": "http://www.gexf.net/1.2draft"}
    graph = root.find("g:graph", gx)
    assert root.get("version") == "1.2" and graph.get("defaultedgetype") == "directed"
    declared = {(a.get("class") if False else c.get("class"), a.get("id"))
                for c in graph.findall("g:attributes", gx) for a in c.findall("g:attribute", gx)}
    assert all(a.get("type") in {"integer", "long", "double", "float", "boolean", "string", "liststring"}
               for c in graph.findall("g:attributes", gx) for a in c.findall("g:attribute", gx))
    ids = {i for _, i in declared}
    assert all(v.get("for") in ids for v in root.iter("{%s}attvalue" % gx["g"]))
    edge_ids = [e.get("id") for e in root.iter("{%s}edge" % gx["g"])]
    assert len(edge_ids) == len(set(edge_ids)) == manifest["counts"]["edges"]
    assert nx.read_gexf(io.BytesIO(gexf)).number_of_nodes() == manifest["counts"]["nodes"]


def test_the_dcat_ap_description_passes_the_dcat_ap_3_shapes(shipped_snapshot, shared_data):
    from pyshacl import validate

    shapes = rdflib.Graph().parse(shared_data / "dcat_ap" / "releases" / "3.0.1" / "shacl" / "dcat-ap-SHACL.ttl")
    data = rdflib.Graph().parse(data=shipped_snapshot.read("dcat-ap.ttl"), format="turtle")
    conforms, _, report = validate(data, shacl_graph=shapes, inference="none")
    assert conforms, report
    manifest = json.loads(shipped_snapshot.read("manifest.json"))
    DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    titles = {str(o) for d in data.objects(None, DCAT.distribution) for o in data.objects(d, rdflib.DCTERMS.title)}
    assert titles == {f["name"] for f in manifest["files"] if f["name"] != "dcat-ap.ttl"}
    sums = {str(v) for v in data.objects(None, rdflib.URIRef("http://spdx.org/rdf/terms#checksumValue"))}
    assert sums == {f["sha256"] for f in manifest["files"] if f["name"] != "dcat-ap.ttl"}
    assert list(data.subjects(RDF.type, rdflib.DCTERMS.PeriodOfTime))


def test_the_citation_comes_in_three_forms_and_names_public_sources(shipped_snapshot):
    text = shipped_snapshot.read("CITATION.txt").decode()
    manifest = json.loads(shipped_snapshot.read("manifest.json"))
    assert manifest["data_version"] in text and manifest["software"]["version"] in text
    bib = shipped_snapshot.read("citation.bib").decode()
    assert bib.startswith("@misc{euaigraph-") and bib.count("{") == bib.count("}")
    csl = json.loads(shipped_snapshot.read("citation.csl.json"))
    assert csl[0]["type"] == "dataset" and csl[0]["version"] == manifest["data_version"]
    assert manifest["public_sources"]
    assert not [s for s in manifest["public_sources"] if (s["url"] or "").startswith("file:")]
    assert all(s["url"].startswith("https://") for s in manifest["public_sources"] if s["url"])
