"""The European Open Source AI Index ingester (current schema) on a reviewed slice, the full recorded folder,
bad input written here, a system it has never seen, and live mode from a local tarball server."""

from __future__ import annotations

import http.server
import os
import shutil
import tarfile
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from euaigraph.ingest.base import FeedError
from euaigraph.ingest.openness import fetch_github
from euaigraph.ingest.sources import osai_index
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .conftest import FIXED, assert_golden, parse_source

SPEC = {spec.id: spec for spec in osai_index.SOURCES}["osai-index"]
GRADES = {"open": EAI.GradeOpen, "partial": EAI.GradePartial, "closed": EAI.GradeClosed}


def copy_slice(source: Path, names: list[str], target: Path, *, extra: tuple[str, ...] = ()) -> Path:
    """Copy a few recorded files into a fresh feed folder with a fixed mtime (the feed's retrieval date)."""
    (target / "models").mkdir(parents=True)
    for name in names:
        shutil.copy(source / "models" / name, target / "models" / name)
    for name in extra:
        shutil.copy(source / name, target / name)
    for path in target.rglob("*"):
        os.utime(path, (FIXED, FIXED))
    return target


def write_feed(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "models").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (tmp_path / "models" / name).write_text(text, encoding="utf-8")
    return tmp_path


def assessment(graph, model: URIRef, dimension: str):
    concept = iri.concept_iri("osai-index", dimension)
    found = [a for a in graph.objects(model, EAI.openness) if (a, EAI.dimension, concept) in graph]
    assert len(found) == 1, f"{model} has {len(found)} assessments of {dimension}"
    return found[0]


@pytest.fixture(scope="module")
def full(shared_data):
    return parse_source(SPEC, shared_data / "osai_index")


# -- golden slice -----------------------------------------------------------------------------------------------
def test_slice_matches_reviewed_golden(shared_data, tmp_path):
    feed = copy_slice(shared_data / "osai_index", ["TildeOpen.yaml", "EuroLLM.yaml"], tmp_path,
                      extra=("_parameters.yml", "_parameters-descriptions.yml"))
    graph, report = parse_source(SPEC, feed)
    assert (report.records_read, report.records_rejected) == (2 + 2 * 12, 0)
    assert_golden(graph, "osai_index_slice")


# -- the full recorded folder -----------------------------------------------------------------------------------
def test_tildeopen_licence_is_cc_by_4(full):
    graph, _ = full
    model = iri.model_iri("TildeAI/TildeOpen-30b")
    assert set(graph.objects(model, EAI.licence)) == {iri.licence_iri("CC-BY-4.0")}
    assert (model, EAI.providedBy, iri.org_iri("tilde")) in graph


def test_eurollm_grades_lineage_and_compute(full):
    graph, _ = full
    model = iri.model_iri("utter-project/EuroLLM-22B-Instruct-2512")
    expected = {"paper": "closed", "licenses": "partial", "weights_basemodel": "open", "datasheet": "closed",
                "preprint": "open", "datasources_endmodel": "open"}
    for dimension, grade in expected.items():
        assert (assessment(graph, model, dimension), EAI.grade, GRADES[grade]) in graph
    base = iri.model_iri("utter-project/EuroLLM-22B-2512")
    assert (model, EAI.derivedFrom, base) in graph
    assert (base, EAI.trainingComputeFLOP, Literal(5.28e23)) in graph
    evidence = set(graph.objects(assessment(graph, model, "licenses"), EAI.evidence))
    assert URIRef("https://huggingface.co/datasets/allenai/c4") in evidence and len(evidence) == 7


def test_every_grade_in_the_files_is_in_the_graph(full, shared_data):
    graph, report = full
    files = sorted((shared_data / "osai_index" / "models").glob("*.yaml"))
    assert report.records_read == len(files) + sum(
        sum(isinstance(v, dict) and "class" in v for k, v in yaml.safe_load(f.read_text()).items()
            if k not in ("system", "org")) for f in files)
    for path in files:
        data = yaml.safe_load(path.read_text())
        stem = iri.slug(path.stem)
        for key, value in data.items():
            if key in ("system", "org"):
                continue
            node = iri.node_iri("assessment", "osai-index", stem, key)
            assert (node, EAI.grade, GRADES[value["class"]]) in graph, (path.name, key)


def test_header_claims_are_low_confidence_with_file_and_line(full):
    graph, _ = full
    statements = [s for s in graph.subjects(RDF.predicate, EAI.jurisdiction)
                  if (s, RDF.subject, iri.org_iri("openllm-france")) in graph]
    assert statements, "Lucie's and Claire's 'National origin: France' became no claim"
    for statement in statements:
        assert (statement, RDF.object, iri.country_iri("FRA")) in graph
        assert (statement, EAI.confidence, Literal("low")) in graph
        assert str(graph.value(statement, EAI.locator)).endswith(".yaml:13")
    header = iri.record_iri("osai-index", "tildeopen/header")
    assert (header, EAI.confidence, Literal("low")) in graph
    assert (header, EAI.note, Literal("national origin: International")) in graph


def test_every_system_has_a_source_record_with_url_and_line(full, shared_data):
    graph, _ = full
    for path in (shared_data / "osai_index" / "models").glob("*.yaml"):
        record = iri.record_iri("osai-index", iri.slug(path.stem))
        assert str(graph.value(record, EAI.locator)).startswith(f"models/{path.name}:")
        # the file at the commit the recording names, never the moving default branch
        blob = ("https://github.com/Language-Technology-Assessment/main-database/blob/"
                "5a388e871b88735e7ab7e6fb230b76c9d460d99a/")
        assert f"{blob}{quote(path.name)}" in {str(u) for u in graph.objects(record, EAI.recordUrl)}


def test_unresolved_names_are_reported_and_scoped_never_merged(full):
    graph, report = full
    unresolved = {(u.kind, u.name): u.where for u in report.unresolved}
    assert unresolved[("model", "Cosmos-Predict2.5-14B-Post-trained")] == "models/Cosmos.yaml:26"
    scoped = iri.model_iri("osai-index/cosmos-predict2.5-14b-post-trained")
    assert (scoped, RDFS.label, Literal("Cosmos-Predict2.5-14B-Post-trained")) in graph
    # Its system link names a different size (2B): the assessment must not land on that repository.
    assert not list(graph.objects(iri.model_iri("nvidia/Cosmos-Predict2.5-2B"), EAI.openness))
    assert ("licence", "Modified MIT License") in unresolved


def test_the_dimension_concepts_come_from_parameters(full):
    graph, _ = full
    concept = iri.concept_iri("osai-index", "weights_endmodel")
    assert (concept, RDF.type, EAI.OpennessDimension) in graph
    labels = {str(o) for o in graph.objects(concept, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))}
    assert labels == {"End User Model Weights"}


def test_two_parses_are_isomorphic(shared_data, full):
    again, report = parse_source(SPEC, shared_data / "osai_index")
    assert isomorphic(again, full[0]) and report.records_read == full[1].records_read


# -- bad input --------------------------------------------------------------------------------------------------
SYSTEM = """---
# Organization tags:
# - National origin: Norway
# - Contributor type: Academic (University)

system:
    name: Nordlys
    link: https://huggingface.co/nordlys-ai/Nordlys-13B-Instruct
    type: text
    basemodelname: Nordlys-13B
    endmodelname: Nordlys-13B-Instruct
    endmodellicense: Apache-2.0
    releasedate: 2026-02
    notes: A Norwegian test system.

org:
    name: Nordlys Språkteknologi AS
    link: nordlys.example.no
    notes:

weights_basemodel:
    class: open
    link: ["https://huggingface.co/nordlys-ai/Nordlys-13B", "https://example.org/weights"]
    notes: Base weights.

paper:
    class: {grade}
    link:
    notes: No paper.

api:
    class: partial
    link: https://example.org/api
    notes:
"""


def test_a_grade_outside_the_three_is_rejected_with_file_and_line(tmp_path):
    text = SYSTEM.replace("{grade}", "mostly")
    line = text.splitlines().index("    class: mostly") + 1
    graph, report = parse_source(SPEC, write_feed(tmp_path, {"Nordlys.yaml": text}))
    assert [(r.where, r.reason) for r in report.rejected] == [
        (f"models/Nordlys.yaml:{line}", "paper: grade 'mostly' is not one of open|partial|closed")]
    model = iri.model_iri("nordlys-ai/Nordlys-13B-Instruct")
    grades = {graph.value(a, EAI.dimension): graph.value(a, EAI.grade) for a in graph.objects(model, EAI.openness)}
    assert iri.concept_iri("osai-index", "paper") not in grades  # rejected, not graded closed or zero
    assert grades[iri.concept_iri("osai-index", "api")] == EAI.GradePartial


def test_a_file_it_has_never_seen(tmp_path):
    graph, report = parse_source(SPEC, write_feed(tmp_path, {"Nordlys.yaml": SYSTEM.replace("{grade}", "closed")}))
    model = iri.model_iri("nordlys-ai/Nordlys-13B-Instruct")  # identified by the Hugging Face id in its link
    base = iri.model_iri("nordlys-ai/Nordlys-13B")
    org = iri.org_iri("osai-index/nordlys-sprakteknologi-as")
    assert (model, EAI.huggingFaceId, Literal("nordlys-ai/Nordlys-13B-Instruct")) in graph
    assert (model, EAI.derivedFrom, base) in graph and (model, EAI.providedBy, org) in graph
    assert (org, EAI.jurisdiction, iri.country_iri("NOR")) in graph
    assert (org, EAI.organisationType, Literal("university")) in graph
    assert (org, EAI.homepage, URIRef("https://nordlys.example.no")) in graph
    assert (model, EAI.licence, iri.licence_iri("Apache-2.0")) in graph
    assert {(u.kind, u.name) for u in report.unresolved} == {("organisation", "Nordlys Språkteknologi AS")}
    weights = assessment(graph, model, "weights_basemodel")
    assert set(graph.objects(weights, EAI.evidence)) == {URIRef("https://huggingface.co/nordlys-ai/Nordlys-13B"),
                                                         URIRef("https://example.org/weights")}


def test_a_yaml_syntax_error_rejects_that_file_only(tmp_path):
    feed = write_feed(tmp_path, {"Good.yaml": SYSTEM.replace("{grade}", "open"),
                                 "Broken.yaml": "system:\n    name: Broken\n  link: [unclosed\n"})
    graph, report = parse_source(SPEC, feed)
    assert len(report.rejected) == 1 and report.rejected[0].where.startswith("models/Broken.yaml:")
    assert "not valid YAML" in report.rejected[0].reason
    assert list(graph.objects(iri.model_iri("nordlys-ai/Nordlys-13B-Instruct"), EAI.openness))


def test_a_file_without_assessments_is_skipped_and_the_older_schema_named(tmp_path, shared_data):
    feed = write_feed(tmp_path, {"Good.yaml": SYSTEM.replace("{grade}", "open"), "NoSystem.yaml": "org:\n  name: X\n"})
    shutil.copy(shared_data / "opening_up_chatgpt" / "projects" / "BELLE.yaml", feed / "models" / "BELLE.yaml")
    _, report = parse_source(SPEC, feed)
    reasons = {r.where: r.reason for r in report.rejected}
    skipped = {f.path: f.reason for f in report.files if f.status == "skipped"}
    assert skipped == {"models/NoSystem.yaml": "not an assessment file: no 'system' or 'project' block and no graded "
                                               "dimension"}
    assert reasons["models/BELLE.yaml:1"] == ("this is the 2023 generation (project: block), read by the "
                                              "opening-up-chatgpt source")
    assert report.imbalance() is None


def test_a_feed_with_nothing_readable_is_a_feed_error(tmp_path):
    with pytest.raises(FeedError, match="no file in the osai-index schema"):
        parse_source(SPEC, write_feed(tmp_path, {"Broken.yaml": "system: [\n"}))
    empty = tmp_path / "empty"
    (empty / "models").mkdir(parents=True)
    with pytest.raises(FeedError, match="no file in the osai-index schema"):
        parse_source(SPEC, empty)


# -- live mode, against a local server --------------------------------------------------------------------------
def test_live_mode_reads_a_repository_tarball(tmp_path):
    tree = tmp_path / "repo" / "Language-Technology-Assessment-main-database-0a1b2c3"
    tree.mkdir(parents=True)
    (tree / "Nordlys.yaml").write_text(SYSTEM.replace("{grade}", "open"), encoding="utf-8")
    (tree / "_parameters.yml").write_text("- name: Access\n  params:\n    - ref: api\n      name: API access\n")
    served = tmp_path / "served"
    served.mkdir()
    with tarfile.open(served / "tarball", "w:gz") as archive:
        archive.add(tree, arcname=tree.name)
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(served))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        feed = fetch_github("osai-index", "x/y", tmp_path / "cache",
                            tarball=f"http://127.0.0.1:{server.server_port}/tarball")
    finally:
        server.shutdown()
    assert feed.version == "git:0a1b2c3"
    graph, _ = parse_source(SPEC, feed.path)
    concept = iri.concept_iri("osai-index", "api")
    assert graph.value(concept, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")) == Literal("API access",
                                                                                                      lang="en")
    assert list(graph.objects(iri.model_iri("nordlys-ai/Nordlys-13B-Instruct"), EAI.openness))
