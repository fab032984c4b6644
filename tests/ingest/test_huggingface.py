"""The Hugging Face ingester on a reviewed slice (two recorded card folders and Hub API responses written here),
the full recorded folder, bad input, a card folder it has never seen, idempotence, and live mode against a local
server."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from euaigraph.ingest.base import FeedError, Report
from euaigraph.ingest.sources import huggingface
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .conftest import GOLDEN, assert_golden, parse_source, write
from .recording_server import Reply

SPEC = huggingface.SOURCE
API = GOLDEN / "huggingface" / "api"
FIXED = datetime(2026, 1, 15, tzinfo=UTC).timestamp()


def model(repo: str):
    return iri.model_iri(repo)


def lang(code: str):
    return iri.language_iri(code)


def fixed_mtime(folder: Path) -> Path:
    for path in folder.rglob("*"):
        os.utime(path, (FIXED, FIXED))
    return folder


@pytest.fixture(scope="module")
def recorded(shared_data):
    return parse_source(SPEC, shared_data / "hf_model_cards")


# -- golden slice ----------------------------------------------------------------------------------------------------
def test_golden_slice(shared_data, tmp_path):
    feed = tmp_path / "feed"
    for name in ("Poro-34B", "gemma-2b"):
        shutil.copytree(shared_data / "hf_model_cards" / "leliuga" / name, feed / "cards" / name)
    shutil.copytree(API, feed / "api", ignore=shutil.ignore_patterns("*.txt"))
    graph, report = parse_source(SPEC, fixed_mtime(feed))
    assert (report.records_read, report.records_rejected) == (6, 0)
    assert_golden(graph, "huggingface/slice")


# -- facts from the recorded folder ----------------------------------------------------------------------------------
def test_poro_card_languages_datasets_and_its_quantisation(recorded):
    graph, _report = recorded
    poro = model("LumiOpen/Poro-34B")
    assert set(graph.objects(poro, EAI.supportsLanguage)) == {lang("FIN"), lang("ENG")}
    assert iri.dataset_iri("cerebras/slimpajama-627b") in set(graph.objects(poro, EAI.trainedOn))
    assert (poro, EAI.licence, iri.licence_iri("Apache-2.0")) in graph
    gguf = model("TheBloke/Poro-34B-GGUF")
    assert (gguf, EAI.quantisedFrom, poro) in graph and (gguf, EAI.derivedFrom, poro) in graph
    assert (gguf, EAI.providedBy, iri.org_iri("huggingface/TheBloke")) in graph
    assert (poro, EAI.derivedFrom, None) not in graph  # Poro is a base model: its card names no base


def test_every_manifest_names_a_quantisation_of_its_model(shared_data, recorded):
    graph, _report = recorded
    expected = set()
    for path in (shared_data / "hf_model_cards").rglob("manifest.yaml"):
        manifest = yaml.safe_load(path.read_text())
        uri = next(a["uri"] for v in manifest["variants"].values() for a in v["artifacts"])
        repo = "/".join(uri.split("huggingface.co/")[1].split("/")[:2])
        expected.add((model(repo), model(manifest["parent_id"])))
    assert expected and set(graph.subject_objects(EAI.quantisedFrom)) == expected
    assert (model("TheBloke/em_german_7b_v01-GGUF"), model("jphme/em_german_7b_v01")) in expected


def test_card_bases_licences_and_gating(recorded):
    graph, _report = recorded
    teuken = model("openGPT-X/Teuken-7B-instruct-commercial-v0.4")
    assert len(set(graph.objects(teuken, EAI.supportsLanguage))) == 24
    assert (teuken, EAI.derivedFrom, model("openGPT-X/Teuken-7B-base-v0.4")) in graph
    assert (teuken, EAI.architecture, None) in graph  # from config.json
    zephyr = model("HuggingFaceH4/zephyr-7b-beta")
    assert (zephyr, EAI.derivedFrom, model("mistralai/Mistral-7B-v0.1")) in graph
    assert (zephyr, EAI.providedBy, iri.org_iri("hugging-face")) in graph
    gemma = model("google/gemma-2b")  # license: other + license_name
    assert (gemma, EAI.licence, iri.licence_iri("LicenseRef-Gemma-Terms")) in graph
    assert (gemma, EAI.gated, Literal(True)) in graph
    assert (model("meta-llama/Llama-2-7b-hf"), EAI.gated, Literal(True)) in graph  # extra_gated_* fields
    llama_gguf = model("TheBloke/Llama-2-7B-GGUF")  # the licence is on the quantisation repo's Hub metadata
    assert (llama_gguf, EAI.licence, iri.licence_iri("LicenseRef-Llama-2-Community")) in graph


def test_recorded_folder_reads_every_card_without_rejections(recorded):
    graph, report = recorded
    assert report.records_read == 35 and report.records_rejected == 0
    assert all(u.kind == "organisation" for u in report.unresolved)
    # no model is its own base, whatever its tags repeat
    assert not [s for s, o in graph.subject_objects(EAI.derivedFrom) if s == o]


# -- Hub API responses -----------------------------------------------------------------------------------------------
def test_api_responses_type_lineage_by_relation(tmp_path):
    shutil.copytree(API, tmp_path / "api", ignore=shutil.ignore_patterns("*.txt"))
    graph, report = parse_source(SPEC, tmp_path / "api")
    instruct, base = model("utter-project/EuroLLM-9B-Instruct"), model("utter-project/EuroLLM-9B")
    assert (instruct, EAI.fineTunedFrom, base) in graph and (instruct, EAI.derivedFrom, base) in graph
    assert (instruct, EAI.quantisedFrom, base) not in graph
    assert len(set(graph.objects(base, EAI.supportsLanguage))) == 35
    assert (base, EAI.gated, Literal(True)) in graph  # "gated": "auto"
    assert (model("LumiOpen/Poro-34B"), EAI.gated, Literal(False)) in graph
    assert (instruct, EAI.gated, None) not in graph  # not stated, not guessed
    assert (base, EAI.providedBy, iri.org_iri("utter-consortium")) in graph  # Hub org id in the curated identifiers
    assert report.records_read == 4 and report.records_rejected == 0


@pytest.mark.parametrize(("tag", "predicate"), [
    ("base_model:adapter:org-a/base-7b", EAI.adapterOf), ("base_model:merge:org-a/base-7b", EAI.mergedFrom),
    ("base_model:quantized:org-a/base-7b", EAI.quantisedFrom), ("base_model:finetune:org-a/base-7b", EAI.fineTunedFrom),
])
def test_each_relation_tag_gives_its_property_and_derived_from(tmp_path, tag, predicate):
    response = {"id": "org-b/child", "author": "org-b", "tags": [tag, "base_model:org-a/base-7b"]}
    write(tmp_path, {"child.json": json.dumps(response)})
    graph, _report = parse_source(SPEC, tmp_path)
    child, parent = model("org-b/child"), model("org-a/base-7b")
    assert (child, predicate, parent) in graph and (child, EAI.derivedFrom, parent) in graph
    assert len(set(graph.predicates(child, parent))) == 2


def test_parameters_and_architecture_from_an_api_response(tmp_path):
    response = {"id": "org-b/model-1b", "tags": [], "safetensors": {"total": 1234567890},
                "config": {"architectures": ["MistralForCausalLM"]}}
    write(tmp_path, {"m.json": json.dumps(response)})
    graph, _report = parse_source(SPEC, tmp_path)
    node = model("org-b/model-1b")
    assert graph.value(node, EAI.parameterCount).toPython() == 1234567890.0
    assert str(graph.value(node, EAI.architecture)) == "MistralForCausalLM"


# -- bad input -------------------------------------------------------------------------------------------------------
def test_unknown_licence_is_reported_with_its_file(tmp_path):
    write(tmp_path, {"org-c__Model-X/README.md": "---\nlicense: other\nlicense_name: my-house-licence-v9\n---\n# X\n"})
    graph, report = parse_source(SPEC, tmp_path)
    assert [(u.name, u.kind, u.where) for u in report.unresolved if u.kind == "licence"] == [
        ("my-house-licence-v9", "licence", "org-c__Model-X/README.md:1")]
    assert (model("org-c/Model-X"), EAI.licence, None) not in graph
    assert (model("org-c/Model-X"), RDF.type, EAI.AIModel) in graph  # the rest of the card is kept


def test_broken_front_matter_is_rejected_with_its_line_and_the_rest_loads(tmp_path):
    write(tmp_path, {
        "org-c__Broken/README.md": "---\nlicense: mit\nlanguage: [fi, en\n---\n# broken\n",
        "org-c__Unclosed/README.md": "---\nlicense: mit\n# never closed\n",
        "org-c__Fine/README.md": "---\nlicense: mit\nlanguage: fi\n---\n",
    })
    graph, report = parse_source(SPEC, tmp_path)
    where = sorted(r.where for r in report.rejected)
    assert where[0].startswith("org-c__Broken/README.md:") and where[1] == "org-c__Unclosed/README.md:1"
    assert int(where[0].rsplit(":", 1)[1]) >= 3  # the line of the YAML problem in the file
    assert report.records_rejected == 2 and report.records_read == 3
    assert (model("org-c/Fine"), EAI.supportsLanguage, lang("FIN")) in graph


def test_invalid_json_and_non_model_json_are_rejected(tmp_path):
    write(tmp_path, {"a.json": '{"id": "org/x",\n "tags": [\n', "b.json": '{"architectures": ["X"]}',
                     "c.json": json.dumps({"id": "org-d/ok", "tags": ["license:mit"]})})
    graph, report = parse_source(SPEC, tmp_path)
    reasons = {r.where.split(":")[0]: r.reason for r in report.rejected}
    assert set(reasons) == {"a.json", "b.json"} and "not valid JSON" in reasons["a.json"]
    assert (model("org-d/ok"), EAI.licence, iri.licence_iri("MIT")) in graph


def test_a_card_whose_repository_cannot_be_told_is_rejected(tmp_path):
    write(tmp_path, {"just-a-folder/README.md": "---\nlicense: mit\n---\n"})
    graph, report = parse_source(SPEC, tmp_path)
    assert report.records_rejected == 1 and "which repository" in report.rejected[0].reason
    assert report.rejected[0].where == "just-a-folder/README.md"
    assert len(graph) == 0


def test_a_folder_without_cards_or_responses_is_a_broken_feed(tmp_path):
    write(tmp_path, {"notes.txt": "no cards here"})
    with pytest.raises(FeedError, match="no model card"):
        parse_source(SPEC, tmp_path)


def test_unknown_language_and_self_lineage_are_not_written(tmp_path):
    write(tmp_path, {"org-e__Self/README.md": "---\nlanguage: [fi, code, xx]\nbase_model: org-e/Self\n---\n"})
    graph, report = parse_source(SPEC, tmp_path)
    node = model("org-e/Self")
    assert set(graph.objects(node, EAI.supportsLanguage)) == {lang("FIN")}
    assert {u.name for u in report.unresolved if u.kind == "language"} == {"code", "xx"}
    assert (node, EAI.derivedFrom, node) not in graph


# -- a card it has never seen, idempotence ---------------------------------------------------------------------------
def test_a_new_card_folder_in_the_same_format(tmp_path):
    card = ("---\nlicense: apache-2.0\nlanguage:\n- sl\n- hr\ndatasets:\n- HPLT/hplt_monolingual_v1_2\n"
            "base_model:\n- org-f/A-7B\n- org-g/B-7B\nbase_model_relation: merge\nextra_gated_prompt: ask first\n"
            "---\n# A merged model\n")
    write(tmp_path, {"org-h__Merged-7B/README.md": card})
    graph, report = parse_source(SPEC, tmp_path)
    node = model("org-h/Merged-7B")
    assert set(graph.objects(node, EAI.mergedFrom)) == {model("org-f/A-7B"), model("org-g/B-7B")}
    assert set(graph.objects(node, EAI.supportsLanguage)) == {lang("SLV"), lang("HRV")}
    assert (node, EAI.trainedOn, iri.dataset_iri("hplt/hplt_monolingual_v1_2")) in graph
    assert (node, EAI.gated, Literal(True)) in graph
    assert (iri.org_iri("huggingface/org-h"), RDFS.label, Literal("org-h")) in graph
    assert [u.name for u in report.unresolved] == ["org-h"]


def test_a_manifest_whose_files_are_in_the_model_repository_itself(tmp_path):
    manifest = ("id: Own-7B\nparent_id: org-k/Own-7B\nowned_by: Org K\nlicence: mit\n"
                "tags: [gguf, 'dataset:org-k/corpus', 'base_model:org-k/Own-7B', 'base_model:org-j/Root-7B']\n"
                "variants:\n  Q4_0:\n    artifacts:\n    - uri: https://huggingface.co/org-k/Own-7B/resolve/main/q4.gguf\n")
    write(tmp_path, {"Own-7B/manifest.yaml": manifest})
    graph, report = parse_source(SPEC, tmp_path)
    own = model("org-k/Own-7B")
    assert (own, EAI.licence, iri.licence_iri("MIT")) in graph
    assert (own, EAI.trainedOn, iri.dataset_iri("org-k/corpus")) in graph
    assert set(graph.objects(own, EAI.derivedFrom)) == {model("org-j/Root-7B")}  # never itself
    assert (own, EAI.quantisedFrom, None) not in graph  # no separate repository of quantised files
    assert (iri.org_iri("huggingface/org-k"), RDFS.label, Literal("org-k")) in graph
    assert report.records_read == 1 and report.records_rejected == 0


def test_ingesting_twice_gives_the_same_triples_and_counts(shared_data):
    first, one = parse_source(SPEC, shared_data / "hf_model_cards")
    second, two = parse_source(SPEC, shared_data / "hf_model_cards")
    assert set(first) == set(second)  # no blank nodes: the same triples, term for term
    assert (one.records_read, one.records_rejected, one.unresolved_count) == (
        two.records_read, two.records_rejected, two.unresolved_count)


# -- live mode -------------------------------------------------------------------------------------------------------
def test_live_mode_fetches_each_known_model_and_reports_the_missing(http_server, tmp_path):
    for path in sorted(API.glob("*.json")):
        repo = json.loads(path.read_text())["id"]
        http_server.route(f"/api/models/{repo}", Reply(200, path.read_bytes(), {"ETag": f'"{path.stem}"'}))
    ids = ["utter-project/EuroLLM-9B", "LumiOpen/Poro-34B", "org-x/removed-model"]
    feed = huggingface.fetch_live(tmp_path / "cache", base_url=http_server.url(""), ids=ids, retries=0)
    assert feed.url.startswith("http://127.0.0.1") and feed.version.startswith("sha256:")
    report, graph = Report(SPEC.id), Graph()
    for triple in SPEC.parse(feed, report):
        graph.add(triple)
    assert (model("LumiOpen/Poro-34B"), EAI.supportsLanguage, lang("FIN")) in graph
    assert report.records_read == 3 and report.records_rejected == 1
    assert "404" in report.rejected[0].reason and report.rejected[0].where.endswith("/api/models/org-x/removed-model")
    again = huggingface.fetch_live(tmp_path / "cache", base_url=http_server.url(""), ids=ids[:2], retries=0)
    assert again.version == feed.version and not (again.path / huggingface.FETCH_ERRORS).exists()
    assert http_server.requests[-1].headers.get("If-None-Match") == '"LumiOpen__Poro-34B"'


def test_live_mode_with_nothing_fetched_is_a_broken_feed(http_server, tmp_path):
    with pytest.raises(FeedError):
        huggingface.fetch_live(tmp_path, base_url=http_server.url(""), ids=["org/none"], retries=0)
