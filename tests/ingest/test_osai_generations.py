"""The generations of the Open Source AI Index files, each read with its own meaning.

The files here are written for these tests, in the layouts the Index used (see ingest/openness_generations.py): a
2024 file points at the Opening up ChatGPT criteria, grades ``architecture`` (not ``hardware_architecture``),
``package`` and ``api`` with a nested ``metaprompt`` grade, and uses ``endmodelname`` for the end model's training
data; a 2025 file uses ``endmodelname`` for the end model itself.
"""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from euaigraph.ingest.base import FeedError
from euaigraph.ingest.openness_generations import CURRENT, GEN_2024
from euaigraph.ingest.sources import osai_index
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .conftest import parse_source, write

SPEC = {spec.id: spec for spec in osai_index.SOURCES}["osai-index"]

HEAD_2024 = """---
# Written for the euaigraph tests. Criteria of the day:
# https://github.com/opening-up-chatgpt/opening-up-chatgpt.github.io/tree/main/projects#criteria

system:
    name: Fjord Chat
    link: https://huggingface.co/fjord-lab/fjord-chat-7b
    type: text
    basemodelname: Fjord Base 7B
    endmodelname: fjordset, dialogsamling
    endmodellicense: Apache 2.0
    releasedate: 2024 MAR
    notes: A chat model made up for a test.

org:
    name: Fjord Lab
    link: https://fjord-lab.example.no
    notes:
"""
HEAD_2025 = """---
# Written for the euaigraph tests, following https://osai-index.eu/contribute
# Organization tags:
# - National origin: Norway

system:
    name: Fjord Chat
    link: https://huggingface.co/fjord-lab/fjord-chat-7b
    type: text
    performanceclass: limited
    basemodelname: Fjord-Base-7B
    endmodelname: Fjord-Chat-7B
    endmodellicense: Apache-2.0
    releasedate: 2025-02
    notes: The same made-up model, assessed again.

org:
    name: Fjord Lab
    link: https://fjord-lab.example.no
    notes:
"""


def grades(keys, *, nested: str | None = None, grade: str = "partial") -> str:
    """One block per dimension, in the given order; ``api`` may nest a further grade."""
    out = []
    for key in keys:
        block = f"\n{key}:\n    class: {grade}\n    link: https://fjord-lab.example.no/{key}\n    notes: Said so.\n"
        if key == "api" and nested:
            block += f"    metaprompt: {nested}\n"
        out.append(block)
    return "".join(out)


FILE_2024 = HEAD_2024 + grades(GEN_2024.dimensions, nested="closed")
FILE_2025 = HEAD_2025 + grades([k for k in CURRENT.dimensions if k not in ("package", "api")])


def models(graph):
    return {str(graph.value(m, RDFS.label) or m) for m in graph.subjects(RDF.type, EAI.AIModel)}


def test_the_2024_generation_is_read_with_its_own_meaning(tmp_path):
    graph, report = parse_source(SPEC, write(tmp_path, {"models/Fjord.yaml": FILE_2024}))
    model = iri.model_iri("fjord-lab/fjord-chat-7b")  # named by the system name, found by its Hugging Face link
    # endmodelname names training data in this generation: a note, never a model carrying grades
    assert not [m for m in models(graph) if "fjordset" in m.lower() or "dialogsamling" in m.lower()]
    assert (model, EAI.note, Literal("end model training data: fjordset, dialogsamling")) in graph
    assert (model, EAI.derivedFrom, iri.model_iri("osai-index/fjord-base-7b")) in graph
    assert (model, EAI.releaseDate, Literal("2024-03", datatype=XSD.gYearMonth)) in graph
    assessed = {graph.value(a, EAI.dimension): graph.value(a, EAI.grade) for a in graph.objects(model, EAI.openness)}
    assert set(assessed) == {iri.concept_iri("osai-index-2024", k) for k in [*GEN_2024.dimensions, "api/metaprompt"]}
    # the nested grade is kept, as a dimension under api
    nested = iri.concept_iri("osai-index-2024", "api/metaprompt")
    assert assessed[nested] == EAI.GradeClosed
    assert (nested, SKOS.broader, iri.concept_iri("osai-index-2024", "api")) in graph
    # 2024's architecture is its own dimension, close to (not the same as) 2025's hardware architecture
    assert (iri.concept_iri("osai-index-2024", "architecture"), SKOS.closeMatch,
            iri.concept_iri("osai-index", "hardware_architecture")) in graph
    assert (report.records_read, report.records_ingested, report.imbalance()) == (1 + 14 + 1, 16, None)


def test_the_same_field_means_the_end_model_in_the_2025_generation(tmp_path):
    graph, report = parse_source(SPEC, write(tmp_path, {"models/Fjord.yaml": FILE_2025}))
    model = iri.model_iri("fjord-lab/fjord-chat-7b")
    assert (model, RDFS.label, Literal("Fjord-Chat-7B")) in graph
    assert all(str(graph.value(a, EAI.dimension)).startswith(str(iri.concept_iri("osai-index", "")))
               for a in graph.objects(model, EAI.openness))
    assert not [n for n in graph.objects(model, EAI.note) if "training data" in str(n)]
    assert (report.records_read, report.imbalance()) == (1 + 12, None)


def test_an_older_snapshot_in_a_sub_folder_is_read_as_its_own_record(tmp_path):
    feed = write(tmp_path, {"models/Fjord.yaml": FILE_2025, "snapshots/2024-06/Fjord.yaml": FILE_2024,
                            "snapshots/README.md": "Older copies of the index."})
    graph, report = parse_source(SPEC, feed)
    model = iri.model_iri("fjord-lab/fjord-chat-7b")
    current, old = iri.record_iri("osai-index", "fjord"), iri.record_iri("osai-index", "snapshots/2024-06/fjord")
    assert {current, old} <= set(graph.subjects(EAI.describes, model))
    # each assessment node carries exactly one grade: the snapshots never merge into one node
    for node in graph.objects(model, EAI.openness):
        assert len(set(graph.objects(node, EAI.grade))) == 1
    assert len(set(graph.objects(model, EAI.openness))) == 12 + 15
    outcomes = {f.path: f.status for f in report.files}
    assert outcomes == {"models/Fjord.yaml": "read", "snapshots/2024-06/Fjord.yaml": "read",
                        "snapshots/README.md": "skipped"}
    assert report.imbalance() is None


@pytest.mark.parametrize(("text", "expected"), [
    (HEAD_2025 + grades(["datasources_basemodel", "architecture", "licenses"]),
     "mixes the 2024 generation"),
    (HEAD_2024.replace("https://github.com/opening-up-chatgpt/opening-up-chatgpt.github.io/tree/main/projects#criteria",
                       "somewhere else") + grades(["datasources_basemodel", "watermark", "licenses"]),
     "not a known generation of the index: a 'system' file needs an 'architecture' grade"),
])
def test_a_file_of_no_known_generation_is_refused_naming_the_file_and_what_was_expected(tmp_path, text, expected):
    feed = write(tmp_path, {"models/Fjord.yaml": FILE_2025, "models/Odd.yaml": text})
    graph, report = parse_source(SPEC, feed)
    assert [(r.where, expected in r.reason) for r in report.rejected] == [("models/Odd.yaml:1", True)]
    with pytest.raises(FeedError, match="Odd.yaml:1"):
        parse_source(SPEC, feed / "models" / "Odd.yaml")


def test_a_real_file_cut_at_a_line_end_is_still_yaml_and_refused(shared_data, tmp_path):
    text = (shared_data / "osai_index" / "models" / "EuroLLM.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    cut = "".join(lines[: lines.index(next(line for line in lines if line.startswith("paper:")))])
    (tmp_path / "EuroLLM.yaml").write_text(cut, encoding="utf-8")
    with pytest.raises(FeedError, match=r"EuroLLM.yaml:\d+: the file looks cut short: it ends before the "
                                        r"dimensions paper, modelcard"):
        parse_source(SPEC, tmp_path / "EuroLLM.yaml")
    mid_block = "".join(lines[: lines.index(next(line for line in lines if line.startswith("paper:"))) + 2])  # paper: and its class
    (tmp_path / "EuroLLM.yaml").write_text(mid_block, encoding="utf-8")
    with pytest.raises(FeedError, match=r"the last grade \(paper\) has no link, notes"):
        parse_source(SPEC, tmp_path / "EuroLLM.yaml")


def test_every_file_of_the_recorded_folder_is_read_or_skipped_with_a_reason(shared_data):
    _graph, report = parse_source(SPEC, shared_data / "osai_index")
    skipped = {f.path: f.reason for f in report.files if f.status == "skipped"}
    assert set(skipped) == {"zenodo.json", "a_submission_template.yaml"} and all(skipped.values())
    read = {f.path for f in report.files if f.status == "read"}
    assert {"_parameters.yml", "_parameters-descriptions.yml"} <= read
    on_disk = {p.relative_to(shared_data / "osai_index").as_posix()
               for p in (shared_data / "osai_index").rglob("*") if p.is_file()}
    assert read | set(skipped) == on_disk
