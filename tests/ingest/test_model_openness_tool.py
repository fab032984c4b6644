"""The Model Openness Tool ingester: reviewed slice, the full recorded folder, the MOF class rules, API JSON pages,
bad input and a release it has never seen."""

from __future__ import annotations

import json
import os
import shutil

import pytest
import yaml
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from euaigraph.ingest.base import FeedError
from euaigraph.ingest.sources import model_openness_tool as mot
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .conftest import assert_golden, parse_source
from .test_osai_index import FIXED

SPEC = mot.SOURCE


def feed_with(tmp_path, shared_data, files: dict[str, str] | None = None, copies: tuple[str, ...] = ()):
    (tmp_path / "models").mkdir()
    shutil.copy(shared_data / "model_openness_tool" / "mof.settings.yml", tmp_path / "mof.settings.yml")
    for name in copies:
        shutil.copy(shared_data / "model_openness_tool" / "models" / name, tmp_path / "models" / name)
    for name, text in (files or {}).items():
        (tmp_path / "models" / name).write_text(text, encoding="utf-8")
    for path in tmp_path.rglob("*"):
        os.utime(path, (FIXED, FIXED))
    return tmp_path


@pytest.fixture(scope="module")
def full(shared_data):
    return parse_source(SPEC, shared_data / "model_openness_tool")


def component(graph, model: URIRef, name: str):
    concept = iri.concept_iri("mof", iri.slug(name))
    found = [a for a in graph.objects(model, EAI.openness) if (a, EAI.dimension, concept) in graph]
    assert len(found) == 1, f"{model}: {len(found)} assessments of {name}"
    return found[0]


def test_slice_matches_reviewed_golden(tmp_path, shared_data):
    feed = feed_with(tmp_path, shared_data, copies=("GPT-SW3-40B.yml", "Mixtral-8x7B-v0.1.yml"))
    graph, report = parse_source(SPEC, feed)
    components = sum(len(yaml.safe_load((feed / "models" / name).read_text())["release"]["components"])
                     for name in ("GPT-SW3-40B.yml", "Mixtral-8x7B-v0.1.yml"))
    assert (report.records_read, report.records_ingested, report.records_rejected) == (2 + components,) * 2 + (0,)
    assert_golden(graph, "model_openness_tool_slice")


def test_every_component_of_every_file_is_assessed(full, shared_data):
    graph, report = full
    files = sorted((shared_data / "model_openness_tool" / "models").glob("*.yml"))
    components = sum(len(yaml.safe_load(f.read_text())["release"].get("components") or []) for f in files)
    assert report.records_read == len(files) + components and report.records_rejected == 0
    for path in files:
        release = yaml.safe_load(path.read_text())["release"]
        for item in release.get("components") or []:
            node = iri.node_iri("assessment", "model-openness-tool", iri.slug(path.stem), iri.slug(item["name"]))
            assert graph.value(node, EAI.grade) in (EAI.GradeOpen, EAI.GradePartial, EAI.GradeClosed), path.name


def test_gpt_sw3_weights_licence_is_the_ai_sweden_licence(full):
    graph, _ = full
    model = iri.model_iri("ai-sweden-models/gpt-sw3-40b")
    weights = component(graph, model, "Model parameters (Final)")
    assert (weights, EAI.licence, iri.licence_iri("LicenseRef-AI-Sweden-LLM")) in graph
    assert (weights, EAI.grade, EAI.GradePartial) in graph  # released, but not under a licence the MOF accepts
    assert (model, EAI.weightsLicence, iri.licence_iri("LicenseRef-AI-Sweden-LLM")) in graph
    assert {str(o) for o in graph.objects(model, EAI.opennessClassification)} == {"Unclassified"}


def test_global_licence_fills_components_and_apache_weights_pass_class_three(full):
    graph, _ = full
    model = iri.model_iri("mistralai/Mixtral-8x7B-v0.1")
    weights = component(graph, model, "Model parameters (Final)")
    assert (weights, EAI.licence, iri.licence_iri("Apache-2.0")) in graph  # from release.license.distribution
    assert {str(o) for o in graph.objects(model, EAI.opennessClassification)} == {"Class III - Open Model"}


def test_not_included_components_are_closed_and_unknown_licences_reported(full):
    graph, report = full
    closed = [a for a in graph.subjects(EAI.grade, EAI.GradeClosed)]
    assert closed and all(str(graph.value(a, EAI.note)).lower().count("not include") for a in closed)
    unresolved = {(u.kind, u.name): u.where for u in report.unresolved}
    assert unresolved[("licence", "Databricks Open Model License")] == "models/dbrx-base.yml:17"


def test_family_names_in_origin_make_no_lineage(full):
    graph, report = full
    mixtral = iri.model_iri("mistralai/Mixtral-8x7B-Instruct-v0.1")
    assert not list(graph.objects(mixtral, EAI.derivedFrom))  # origin 'Mistral' names a family
    assert (mixtral, EAI.note, Literal("origin: Mistral")) in graph
    gemma = iri.model_iri("google/gemma-2-2b-it")
    assert (gemma, EAI.derivedFrom, iri.model_iri("google/gemma-2-2b")) in graph


def test_two_parses_are_isomorphic(full, shared_data):
    again, _ = parse_source(SPEC, shared_data / "model_openness_tool")
    assert isomorphic(again, full[0])


# -- the MOF class rule -----------------------------------------------------------------------------------------
def test_classify_follows_the_settings(shared_data):
    settings = mot.load_settings(shared_data / "model_openness_tool", mot.Report("t"))
    everything = {c.key: (True, True, ("Apache-2.0",)) for c in settings.values()}
    assert mot.classify(settings, everything) == 1
    class_one_only = {c.key for c in settings.values() if c.mof_class == 1 and c.required}
    assert mot.classify(settings, {k: v for k, v in everything.items() if k not in class_one_only}) == 2
    weights_only = {"model-parameters-final": (True, False, ("Apache-2.0",))}
    assert mot.classify(settings, weights_only) == 3  # the conditional pass
    assert mot.classify(settings, {"model-parameters-final": (True, False, ("CC-BY-NC-4.0",))}) == 0


# -- new files, JSON pages and bad input ------------------------------------------------------------------------
RELEASE = """framework:
  name: 'Model Openness Framework'
  version: '1.0'
  date: '2024-12-15'
release:
  name: Vellamo-9B
  version: 9B
  date: '2026-03-02'
  type: language
  architecture: 'transformer decoder'
  origin: Vellamo-9B
  producer: 'Vellamo Labs Oy'
  huggingface: 'https://huggingface.co/vellamo/Vellamo-9B'
  license:
    distribution:
      name: Apache-2.0
  components:
    -
      name: 'Model parameters (Final)'
      description: 'Trained model parameters, weights and biases'
    -
      name: Datasets
      description: 'Training data'
      license: {datasets}
    -
      name: 'Research paper'
      description: 'Paper'
      license: 'Component not included'
"""


def test_a_release_it_has_never_seen(tmp_path, shared_data):
    feed = feed_with(tmp_path, shared_data, {"Vellamo-9B.yml": RELEASE.replace("{datasets}", "CC-BY-4.0")})
    graph, report = parse_source(SPEC, feed)
    model = iri.model_iri("vellamo/Vellamo-9B")
    assert (model, EAI.providedBy, iri.org_iri("model-openness-tool/vellamo-labs-oy")) in graph
    # release.date is the day of the catalogue entry: the record's assessment date, never the model's release
    assert not list(graph.objects(model, EAI.releaseDate))
    record = iri.record_iri("model-openness-tool", "vellamo-9b")
    assert (record, EAI.assessmentDate, Literal("2026-03-02", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))) in graph
    assert (record, EAI.note, Literal("framework: Model Openness Framework 1.0 (2024-12-15)")) in graph
    assert (component(graph, model, "Datasets"), EAI.grade, EAI.GradeOpen) in graph
    assert (component(graph, model, "Model parameters (Final)"), EAI.grade, EAI.GradePartial) in graph
    assert (component(graph, model, "Research paper"), EAI.grade, EAI.GradeClosed) in graph
    assert (model, EAI.dataLicence, iri.licence_iri("CC-BY-4.0")) in graph
    assert {str(o) for o in graph.objects(model, EAI.opennessClassification)} == {"Class III - Open Model"}
    assert {(u.kind, u.name) for u in report.unresolved} == {("organisation", "Vellamo Labs Oy")}


def test_an_api_page_keeps_the_given_class(tmp_path, shared_data):
    record = yaml.safe_load(RELEASE.replace("{datasets}", "MIT"))
    record["classification"] = {"id": 4242, "class": 2, "label": "Class II - Open Tooling"}
    page = {"pager": {"total_items": 1}, "models": [record]}
    feed = feed_with(tmp_path, shared_data, {"page-1.json": json.dumps(page)})
    graph, report = parse_source(SPEC, feed)
    model = iri.model_iri("vellamo/Vellamo-9B")
    assert {str(o) for o in graph.objects(model, EAI.opennessClassification)} == {"Class II - Open Tooling"}
    records = list(graph.subjects(EAI.describes, model))
    assert [str(graph.value(r, EAI.locator)) for r in records] == ["models/page-1.json#models/0/release"]
    assert URIRef("https://mot.isitopen.ai/api/v1/model/4242") in set(graph.objects(records[0], EAI.recordUrl))


def test_bad_records_are_rejected_with_file_and_line(tmp_path, shared_data):
    feed = feed_with(tmp_path, shared_data, {
        "Good.yml": RELEASE.replace("{datasets}", "MIT"),
        "NoName.yml": RELEASE.replace("name: Vellamo-9B", "name: ''").replace("{datasets}", "MIT"),
        "Broken.yml": "release:\n  name: [x\n",
        "NoRelease.yml": "framework:\n  name: x\n"})
    graph, report = parse_source(SPEC, feed)
    reasons = {r.where: r.reason for r in report.rejected}
    assert reasons["models/NoName.yml:5"] == "release.name is empty"
    assert reasons["models/NoRelease.yml:1"] == "no 'release' mapping"
    assert any(w.startswith("models/Broken.yml:") and "not valid YAML" in r for w, r in reasons.items())
    assert list(graph.objects(iri.model_iri("vellamo/Vellamo-9B"), EAI.openness))


def test_a_feed_without_a_readable_record_is_a_feed_error(tmp_path, shared_data):
    with pytest.raises(FeedError, match="no model record"):
        parse_source(SPEC, feed_with(tmp_path, shared_data, {"Broken.yml": "release: [\n"}))


def test_the_catalogue_date_of_a_recorded_entry_is_no_release_date(full):
    """Mistral 7B Instruct v0.2 (released in 2023) was entered in the tool's catalogue on 2025-05-16."""
    graph, _ = full
    assert not list(graph.objects(None, EAI.releaseDate))
    record = iri.record_iri("model-openness-tool", "mistral-7b-instruct-v0.2")
    assert str(graph.value(record, EAI.assessmentDate)) == "2025-05-16"


def test_a_folder_without_its_settings_file_says_so_in_the_ledger_and_on_each_record(tmp_path, shared_data):
    feed = feed_with(tmp_path, shared_data, copies=("GPT-SW3-40B.yml",))
    (feed / "mof.settings.yml").unlink()
    graph, report = parse_source(SPEC, feed)
    assert mot.NO_SETTINGS in report.notes
    model = iri.model_iri("ai-sweden-models/gpt-sw3-40b")
    assert not list(graph.objects(model, EAI.opennessClassification))  # no class, and not silently
    record = iri.record_iri("model-openness-tool", "gpt-sw3-40b")
    assert (record, EAI.note, Literal(f"no MOF class: {mot.NO_SETTINGS}")) in graph


def test_every_file_is_read_or_skipped_with_a_reason(full, shared_data):
    _graph, report = full
    outcomes = {f.path: (f.status, f.reason) for f in report.files}
    assert outcomes["mof.settings.yml"] == ("read", "")
    assert outcomes["schema/sample_model.yml"][0] == "skipped" and "sample" in outcomes["schema/sample_model.yml"][1]
    assert outcomes["schema/mof_schema.json"][0] == "skipped"
    on_disk = {p.relative_to(shared_data / "model_openness_tool").as_posix()
               for p in (shared_data / "model_openness_tool").rglob("*") if p.is_file()}
    assert set(outcomes) == on_disk


@pytest.mark.parametrize(("cut", "why"), [
    (lambda text: text[:text.rindex("description:")], "the last component has no description"),
    (lambda text: text[:text.index("  components:")], "no 'components' list"),
])
def test_a_file_cut_short_is_rejected(tmp_path, shared_data, cut, why):
    text = (shared_data / "model_openness_tool" / "models" / "Mixtral-8x7B-v0.1.yml").read_text()
    feed = feed_with(tmp_path, shared_data, {"Mixtral-8x7B-v0.1.yml": cut(text)}, copies=("GPT-SW3-40B.yml",))
    graph, report = parse_source(SPEC, feed)
    assert len(report.rejected) == 1 and report.rejected[0].where.startswith("models/Mixtral-8x7B-v0.1.yml:")
    assert why in report.rejected[0].reason and "cut short" in report.rejected[0].reason
    assert not list(graph.subjects(EAI.describes, iri.model_iri("mistralai/Mixtral-8x7B-v0.1")))
