"""The older openness schema (Opening up ChatGPT, ``projects/*.yaml``): slice, full folder, bad and unseen input."""

from __future__ import annotations

import os
import shutil

import pytest
import yaml
from rdflib import Literal
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from euaigraph.ingest.base import FeedError
from euaigraph.ingest.sources import osai_index
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .conftest import assert_golden, parse_source
from .test_osai_index import FIXED, GRADES

SPECS = {spec.id: spec for spec in osai_index.SOURCES}
SPEC = SPECS["opening-up-chatgpt"]


@pytest.fixture(scope="module")
def full(shared_data):
    return parse_source(SPEC, shared_data / "opening_up_chatgpt")


def test_slice_matches_reviewed_golden(shared_data, tmp_path):
    (tmp_path / "projects").mkdir()
    for name in ("mistral-7B.yaml", "amber.yaml"):
        shutil.copy(shared_data / "opening_up_chatgpt" / "projects" / name, tmp_path / "projects" / name)
    for path in tmp_path.rglob("*"):
        os.utime(path, (FIXED, FIXED))
    graph, report = parse_source(SPEC, tmp_path)
    assert (report.records_read, report.records_rejected) == (2 + 2 * 14, 0)
    assert_golden(graph, "opening_up_chatgpt_slice")


def test_every_grade_in_the_files_is_in_the_graph(full, shared_data):
    graph, report = full
    for path in sorted((shared_data / "opening_up_chatgpt" / "projects").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        if not (data["project"] or {}).get("name"):
            continue  # the blank template and a tool without a name are rejected, below
        for key, value in data.items():
            if key not in ("project", "org"):
                node = iri.node_iri("assessment", "opening-up-chatgpt", iri.slug(path.stem), key)
                assert (node, EAI.grade, GRADES[value["class"]]) in graph, (path.name, key)


def test_nameless_projects_are_rejected_with_file_and_line(full):
    _, report = full
    assert {(r.where, r.reason) for r in report.rejected} == {
        ("projects/A_sample.yaml:13", "project.name is empty"),
        ("projects/text-generation-webui.yaml:3", "project.name is empty")}


def test_mistral_instruct_resolves_by_its_hugging_face_link(full):
    graph, _ = full
    model = iri.model_iri("mistralai/Mistral-7B-Instruct-v0.1")
    assert (model, EAI.licence, iri.licence_iri("Apache-2.0")) in graph
    assert (model, EAI.providedBy, iri.org_iri("mistral-ai")) in graph
    llmweights = iri.node_iri("assessment", "opening-up-chatgpt", "mistral-7b", "llmweights")
    assert (model, EAI.openness, llmweights) in graph and (llmweights, EAI.grade, EAI.GradeOpen) in graph


def test_a_model_seen_in_both_generations(shared_data, full):
    current, _ = parse_source(SPECS["osai-index"], shared_data / "osai_index")
    legacy, _ = full
    model = iri.model_iri("CarperAI/stable-vicuna-13b-delta")  # StableVicuna, assessed in 2023 and again later
    old, new = set(legacy.objects(model, EAI.openness)), set(current.objects(model, EAI.openness))
    assert len(old) == 14 and len(new) == 12
    assert {legacy.value(a, EAI.dimension) for a in old} == {iri.concept_iri("opening-up-chatgpt", k)
                                                            for k in osai_index.LEGACY.dimensions}
    # The older dimension points to its successor, so the two grades can be compared.
    assert (iri.concept_iri("opening-up-chatgpt", "llmweights"), SKOS.closeMatch,
            iri.concept_iri("osai-index", "weights_basemodel")) in legacy


def test_base_model_lists_are_split_and_resolved(full):
    graph, report = full
    belle = iri.model_iri("opening-up-chatgpt/belle")
    assert set(graph.objects(belle, EAI.derivedFrom)) == {iri.model_iri("opening-up-chatgpt/llama"),
                                                         iri.model_iri("opening-up-chatgpt/bloomz")}
    assert ("model", "LLaMA") in {(u.kind, u.name) for u in report.unresolved}
    # 'Mistral 7B' is a reviewed alias: GEITje's base is the curated model, not a new node.
    geitje = iri.model_iri("opening-up-chatgpt/geitje-ultra-7b")
    assert (geitje, EAI.derivedFrom, iri.model_iri("mistralai/mistral-7b-v0.1")) in graph


def test_two_parses_are_isomorphic(shared_data, full):
    again, _ = parse_source(SPEC, shared_data / "opening_up_chatgpt")
    assert isomorphic(again, full[0])


PROJECT = """---
project:
    name: Aurora Nordic Chat
    link: https://github.com/aurora-nlp/aurora-chat
    notes: A test project.
    llmbase: Aurora Base 3B
    rlbase: synthetic dialogues
    license: MIT

org:
    name: Aurora NLP Collective
    link: https://aurora.example.org
    notes:

opencode:
    class: open
    link: https://github.com/aurora-nlp/aurora-chat
    notes:

llmdata:
    class: {grade}
    link:
    notes: Undocumented.
"""


def test_a_project_it_has_never_seen(tmp_path):
    (tmp_path / "projects").mkdir()
    (tmp_path / "projects" / "aurora.yaml").write_text(PROJECT.replace("{grade}", "closed"))
    graph, report = parse_source(SPEC, tmp_path)
    model = iri.model_iri("opening-up-chatgpt/aurora-nordic-chat")
    assert (model, EAI.derivedFrom, iri.model_iri("opening-up-chatgpt/aurora-base-3b")) in graph
    assert (model, EAI.licence, iri.licence_iri("MIT")) in graph
    assert (model, EAI.note, Literal("instruction data: synthetic dialogues")) in graph
    assert {(u.kind, u.name) for u in report.unresolved} == {
        ("model", "Aurora Nordic Chat"), ("model", "Aurora Base 3B"), ("organisation", "Aurora NLP Collective")}
    assert len(set(graph.objects(model, EAI.openness))) == 2


def test_bad_grade_and_the_current_schema_are_rejected(tmp_path, shared_data):
    (tmp_path / "projects").mkdir()
    text = PROJECT.replace("{grade}", "0")
    (tmp_path / "projects" / "aurora.yaml").write_text(text)
    shutil.copy(shared_data / "osai_index" / "models" / "TildeOpen.yaml", tmp_path / "projects" / "TildeOpen.yaml")
    _, report = parse_source(SPEC, tmp_path)
    line = text.splitlines().index("    class: 0") + 1
    reasons = {r.where: r.reason for r in report.rejected}
    assert reasons[f"projects/aurora.yaml:{line}"] == "llmdata: grade 0 is not one of open|partial|closed"
    assert "other generation" in reasons["projects/TildeOpen.yaml:1"]
    with pytest.raises(FeedError):
        parse_source(SPEC, shared_data / "osai_index" / "models" / "TildeOpen.yaml")
