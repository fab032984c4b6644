"""The older openness schema (Opening up ChatGPT, ``projects/*.yaml``): slice, full folder, bad and unseen input."""

from __future__ import annotations

import csv
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


def test_a_nameless_project_is_rejected_and_the_blank_template_skipped(full):
    _, report = full
    assert {(r.where, r.reason) for r in report.rejected} == {
        ("projects/text-generation-webui.yaml:3", "project.name is empty")}
    skipped = {f.path: f.reason for f in report.files if f.status == "skipped"}
    assert skipped == {"projects/A_sample.yaml": "an empty submission template (every field of the head and org "
                                                 "blocks empty)"}


def test_the_derived_table_is_read_and_each_row_merged_into_its_file(full, shared_data):
    graph, report = full
    with (shared_data / "opening_up_chatgpt" / "docs" / "df.dev_rows.csv").open(newline="") as handle:
        rows = len(list(csv.DictReader(handle)))
    assert report.records_merged == rows == 30
    assert {m.into for m in report.merges} <= {f"projects/{p.name}" for p in
                                               (shared_data / "opening_up_chatgpt" / "projects").glob("*.yaml")}
    assert ("docs/df.dev_rows.csv", "read") in {(f.path, f.status) for f in report.files}
    olmo = iri.record_iri("opening-up-chatgpt", "olmo-7b-instruct")
    assert (olmo, EAI.note, Literal("openness score in docs/df.dev_rows.csv: 12.5")) in graph


def test_a_derived_row_never_stands_on_its_own(tmp_path, shared_data):
    (tmp_path / "projects").mkdir()
    (tmp_path / "docs").mkdir()
    shutil.copy(shared_data / "opening_up_chatgpt" / "projects" / "amber.yaml", tmp_path / "projects" / "amber.yaml")
    table = (shared_data / "opening_up_chatgpt" / "docs" / "df.dev_rows.csv").read_text().splitlines()
    kept = [table[0]] + [row for row in table[1:] if "/projects/amber.yaml" in row or "/projects/bloomz.yaml" in row]
    (tmp_path / "docs" / "df.csv").write_text("\n".join(kept) + "\n")
    graph, report = parse_source(SPEC, tmp_path)
    assert report.records_merged == 1 and report.imbalance() is None
    assert [(r.where.split(":")[0], "bloomz.yaml" in r.reason) for r in report.rejected] == [("docs/df.csv", True)]
    assert not list(graph.subjects(None, iri.model_iri("opening-up-chatgpt/bloomz")))


def test_a_derived_table_cut_short_is_refused(tmp_path, shared_data):
    shutil.copytree(shared_data / "opening_up_chatgpt", tmp_path / "feed")
    table = tmp_path / "feed" / "docs" / "df.dev_rows.csv"
    text = table.read_text()
    table.write_text(text[: text.rindex("\n", 0, len(text) - 1) + 200])  # into the last row
    with pytest.raises(FeedError, match=r"df.dev_rows.csv:\d+: the last row has \d+ of 52 fields"):
        parse_source(SPEC, tmp_path / "feed")


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
""" + "".join(f"\n{key}:\n    class: partial\n    link:\n    notes:\n" for key in list(osai_index.LEGACY.dimensions)[2:])


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
    assert len(set(graph.objects(model, EAI.openness))) == 14
    assert report.imbalance() is None and report.records_read == 1 + 14


def test_bad_grade_and_the_current_schema_are_rejected(tmp_path, shared_data):
    (tmp_path / "projects").mkdir()
    text = PROJECT.replace("{grade}", "0")
    (tmp_path / "projects" / "aurora.yaml").write_text(text)
    shutil.copy(shared_data / "osai_index" / "models" / "TildeOpen.yaml", tmp_path / "projects" / "TildeOpen.yaml")
    _, report = parse_source(SPEC, tmp_path)
    line = text.splitlines().index("    class: 0") + 1
    reasons = {r.where: r.reason for r in report.rejected}
    assert reasons[f"projects/aurora.yaml:{line}"] == "llmdata: grade 0 is not one of open|partial|closed"
    assert reasons["projects/TildeOpen.yaml:1"] == "this is the 2025 generation (system: block), read by the osai-index source"
    with pytest.raises(FeedError):
        parse_source(SPEC, shared_data / "osai_index" / "models" / "TildeOpen.yaml")
