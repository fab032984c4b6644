"""Snapshots (graph/export.py and ``euaigraph export --format snapshot``): every format parses, the manifest
describes and hashes every file, a view holds only its nodes, and a failed export leaves nothing behind."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import networkx as nx
import pyoxigraph as ox
import pytest
from explorer_support import hostile_models
from typer.testing import CliRunner

from euaigraph import __version__
from euaigraph.graph import export, network
from euaigraph.graph.cli import app
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ontology.namespaces import META_GRAPH

FILES = {"dataset.trig", "dataset.nq", "dataset.jsonld", "union.ttl", "network.graphml", "network.gexf", "nodes.csv",
         "edges.csv", "nodes-spreadsheet.csv", "edges-spreadsheet.csv", "index.html", "manifest.json", "dcat-ap.ttl",
         "CITATION.txt", "citation.bib", "citation.csl.json"}


@pytest.fixture(scope="module")
def whole(shipped_home, tmp_path_factory):
    path = tmp_path_factory.mktemp("snap") / "whole.zip"
    with EmbeddedStore(shipped_home) as store:
        manifest = export.write_snapshot(store, path)
        quads = store.count()
        sources = store.sources()
    return path, manifest, quads, sources


def test_every_format_is_there_and_parses(whole):
    path, manifest, quads, _ = whole
    archive = zipfile.ZipFile(path)
    assert set(archive.namelist()) == FILES
    for name, fmt in (("dataset.trig", ox.RdfFormat.TRIG), ("dataset.nq", ox.RdfFormat.N_QUADS),
                      ("dataset.jsonld", ox.RdfFormat.JSON_LD)):
        assert len(list(ox.parse(archive.read(name), format=fmt))) == quads == manifest["counts"]["quads"], name
    triples = list(ox.parse(archive.read("union.ttl"), format=ox.RdfFormat.TURTLE))
    assert 0 < len(triples) <= quads and len(set(triples)) == len(triples)
    graphml = nx.read_graphml(io.BytesIO(archive.read("network.graphml")))
    gexf = nx.read_gexf(io.BytesIO(archive.read("network.gexf")))
    assert graphml.number_of_nodes() == gexf.number_of_nodes() == manifest["counts"]["nodes"]
    nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode())))
    assert len(nodes) == manifest["counts"]["nodes"] and {"id", "label", "kind", "country", "region"} <= set(nodes[0])
    assert len(archive.read("edges.csv").decode().splitlines()) - 1 == manifest["counts"]["edges"]


def test_the_manifest_cites_sources_versions_and_hashes(whole):
    path, manifest, _, sources = whole
    archive = zipfile.ZipFile(path)
    assert json.loads(archive.read("manifest.json")) == manifest
    assert manifest["software"] == {"name": "euaigraph", "version": __version__}
    assert manifest["scope"] == "whole graph" and len(manifest["data_version"]) == 12
    assert {s["id"] for s in manifest["sources"]} == {s.source for s in sources}
    assert all(s["retrieved_at"] and s["licence"] and s["triples"] for s in manifest["sources"])
    # The derived graph is computed, not read; every source that is read has the version of what was read.
    assert all(s["version"] for s in manifest["sources"] if s["id"] != "derived")
    listed = {f["name"]: f for f in manifest["files"]}
    assert set(listed) == FILES - {"manifest.json"}
    for name, entry in listed.items():
        content = archive.read(name)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest() and entry["bytes"] == len(content)


def test_spreadsheet_safe_tables_escape_formulas(hostile_home, tmp_path):
    from euaigraph.explorer.render import render  # the explorer adds its interactive view as an extra file

    with EmbeddedStore(hostile_home) as store:
        net = network.entity_network(store)
        net.nodes[str(hostile_models()[0])]["label"] = "=HYPERLINK(\"http://x\")"
        data, manifest = export.snapshot_bytes(store, network=net, extra={"view.html": render(net).html.encode()})
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert "'=HYPERLINK" in archive.read("nodes-spreadsheet.csv").decode()
    assert "'=HYPERLINK" not in archive.read("nodes.csv").decode()
    assert "view.html" in {f["name"] for f in manifest["files"]}
    page = archive.read("index.html").decode()
    assert "<script" not in page.lower() and "&lt;script&gt;" in page  # the summary escapes hostile labels


def test_a_view_holds_its_nodes_facts_and_the_provenance(shipped_home, tmp_path):
    model = "https://w3id.org/euaigraph/id/model/utter-project/eurollm-9b"
    org = "https://w3id.org/euaigraph/id/org/unbabel"
    view = export.View(nodes=frozenset({model, org}), description="two nodes", settings={"focus": model})
    with EmbeddedStore(shipped_home) as store:
        manifest = export.write_snapshot(store, tmp_path / "view.zip", view=view)
    archive = zipfile.ZipFile(tmp_path / "view.zip")
    quads = list(ox.parse(archive.read("dataset.nq"), format=ox.RdfFormat.N_QUADS))
    subjects = {q.subject.value for q in quads if q.graph_name.value != str(META_GRAPH)}
    assert subjects == {model, org}
    assert any(q.graph_name.value == str(META_GRAPH) for q in quads)
    assert manifest["view"] == {"description": "two nodes", "settings": {"focus": model}, "nodes": 2}
    assert manifest["counts"]["nodes"] == 2


def test_a_failed_export_leaves_no_file(shipped_home, tmp_path, monkeypatch):
    target = tmp_path / "out" / "snapshot.zip"
    target.parent.mkdir()
    target.write_bytes(b"previous snapshot")

    def disk_full(net):
        raise OSError("disk full")

    monkeypatch.setattr(export, "gexf", disk_full)  # fails after several files are already in the zip
    with EmbeddedStore(shipped_home) as store, pytest.raises(OSError, match="disk full"):
        export.write_snapshot(store, target)
    assert target.read_bytes() == b"previous snapshot"  # untouched
    assert [p.name for p in target.parent.iterdir()] == ["snapshot.zip"]  # no partial file left


def test_cli_writes_a_snapshot(shipped_home, tmp_path):
    target = tmp_path / "cli.zip"
    result = CliRunner().invoke(app, ["--store", str(shipped_home), "export", "--format", "snapshot",
                                      "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and set(zipfile.ZipFile(target).namelist()) == FILES
    bad = CliRunner().invoke(app, ["--store", str(shipped_home), "export", "--format", "zip", "-o", str(target)])
    assert bad.exit_code == 2
