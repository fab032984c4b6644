"""The run ledger of the three model feeds: over every recorded feed, the records in the input (counted here, with
their own readers, not the ingesters') equal ingested + rejected + merged; every file under the feed folder is read
or skipped with a reason; every merge is in the graph; every fact's subject is described by a record with an
http(s) URL, the retrieval date and the version. Then the files each feed reads or skips on layouts it may meet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from euaigraph.ingest.sources import ecosystem_graphs, epoch_ai, huggingface
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .conftest import parse_source, write

FEEDS = {"ecosystem_graphs": ecosystem_graphs.SOURCE, "epoch_ai": epoch_ai.SOURCE,
         "hf_model_cards": huggingface.SOURCE}


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def csv_records(path: Path) -> list[str]:
    """``file:line`` of each non-empty row, by the csv module's own line count."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader)
        out, line = [], reader.line_num + 1
        for values in reader:
            if any(v.strip() for v in values):
                out.append(line)
            line = reader.line_num + 1
    return [f"{path.name}:{n}" for n in out]


def input_records(folder: Path) -> set[str]:
    """The record identifiers in a recorded feed: asset cards and table rows, CSV rows, card folders and API
    responses, as ``file:line`` (or the folder or file name)."""
    if folder.name == "ecosystem_graphs":
        cards = {f"assets/{p.name}:{item.start_mark.line + 1}" for p in (folder / "assets").glob("*.yaml")
                 for item in yaml.compose(p.read_text(encoding="utf-8")).value}
        rows = {f"resources/{r}" for p in (folder / "resources").glob("*.csv") for r in csv_records(p)}
        return cards | rows
    if folder.name == "epoch_ai":
        return {r for p in folder.glob("*.csv") for r in csv_records(p)}
    cards = {str(p.parent.relative_to(folder)) for p in folder.rglob("*") if p.name in ("README.md", "manifest.yaml")}
    responses = {str(p.relative_to(folder)) for p in folder.rglob("*.json") if str(p.parent.relative_to(folder))
                 not in cards}
    return cards | responses


@pytest.fixture(scope="module", params=sorted(FEEDS))
def recorded(request, shared_data):
    folder = shared_data / request.param
    graph, report = parse_source(FEEDS[request.param], folder)
    return folder, graph, report


def test_every_record_of_the_input_ends_ingested_rejected_or_merged(recorded):
    folder, _graph, report = recorded
    expected = input_records(folder)
    assert report.records_read == len(expected)
    assert report.records_ingested + report.records_rejected + report.records_merged == report.records_read
    assert report.imbalance() is None


def test_each_record_of_the_input_is_a_source_record_or_a_rejection(recorded):
    folder, graph, report = recorded
    located = {str(graph.value(r, EAI.locator)) for r in graph.subjects(RDF.type, EAI.SourceRecord)}
    located |= {r.where for r in report.rejected}
    if folder.name == "epoch_ai":  # the hardware rows are the chip table, not records of entities
        hardware = set(csv_records(folder / "ml_hardware.csv"))
        assert len(hardware) == report.records_read - len(located)
        located |= hardware
    if folder.name == "hf_model_cards":  # a card folder's record is located at the card file that named it
        files = {Path(loc.split(":")[0]) for loc in located}
        located = {str(f.parent) if f.name in ("README.md", "manifest.yaml", "config.json") else str(f) for f in files}
    assert located == input_records(folder)


def test_every_file_is_read_or_skipped_with_a_reason(recorded):
    folder, _graph, report = recorded
    assert sorted(f.path for f in report.files) == files_under(folder)
    assert all(f.reason for f in report.files_skipped)


def test_every_merge_is_in_the_graph_with_its_records_and_rule(recorded):
    _folder, graph, report = recorded
    merges = set(graph.subjects(RDF.type, EAI.MergeRecord))
    assert len(merges) == report.records_merged
    for merge in merges:
        entity = next(graph.subjects(EAI.mergeRecord, merge))
        assert graph.value(merge, EAI.mergeRule) and graph.value(merge, EAI.locator)
        for record in graph.objects(merge, EAI.mergedRecord):
            assert (record, RDF.type, EAI.SourceRecord) in graph and (record, EAI.describes, entity) in graph


def test_every_fact_is_cited_by_a_public_url_a_retrieval_date_and_a_version(recorded):
    _folder, graph, _report = recorded
    records = set(graph.subjects(RDF.type, EAI.SourceRecord))
    cited = set()
    for record in records:
        urls = [u for u in graph.objects(record, EAI.recordUrl) if str(u).startswith(("https://", "http://"))]
        if urls and graph.value(record, EAI.accessed) is not None and graph.value(record, EAI.sourceVersion):
            cited |= set(graph.objects(record, EAI.describes))
    assert {s for s in graph.subjects() if s not in records} <= cited


def test_recorded_files_are_cited_at_their_commit(recorded):
    """The recordings' manifest names each file's repository and commit: that file is the record's public URL."""
    folder, graph, _report = recorded
    urls = {str(u) for u in graph.objects(None, EAI.recordUrl) if str(u).startswith("https://github.com/")}
    commits = {"ecosystem_graphs": "stanford-crfm/ecosystem-graphs/blob/576655a544c974e91b7ca02e26cf7ba4c8347516/",
               "epoch_ai": "cnyke/cnyke.github.io/blob/20889d55307b072051e060c2f4736aceebb7197d/",
               "hf_model_cards": "leliuga/cohere-configurations/blob/84408edf57f071dc9d1d75b9eacb8d3f06c01018/"}
    assert any(commits[folder.name] in u for u in urls)


# -- files on layouts the feeds may have ---------------------------------------------------------------------------
CARD = "- type: model\n  name: {name}\n  organization: Aleph Alpha\n  access: open\n  dependencies: []\n"


def test_ecosystem_graphs_reads_the_shallowest_asset_tree_and_says_why_it_skips_the_rest(tmp_path):
    write(tmp_path, {"assets/aleph.yaml": CARD.format(name="Nimbus"),
                     "snapshots/2023/assets/aleph.yaml": CARD.format(name="Nimbus Old"),
                     "js/schemas.yaml": "model: []\n", "README.md": "# assets\n",
                     "resources/notes.csv": "a,b\n1,2\n"})
    graph, report = parse_source(ecosystem_graphs.SOURCE, tmp_path)
    outcome = {f.path: (f.status, f.reason) for f in report.files}
    assert outcome["assets/aleph.yaml"] == ("read", "")
    assert outcome["snapshots/2023/assets/aleph.yaml"][0] == "skipped"
    assert "second asset tree" in outcome["snapshots/2023/assets/aleph.yaml"][1]
    assert "not a collated asset table" in outcome["resources/notes.csv"][1]
    assert {outcome[p][0] for p in ("js/schemas.yaml", "README.md")} == {"skipped"}
    assert report.records_read == 1 and (None, RDFS.label, Literal("Nimbus Old")) not in graph


DATA_CENTERS = ("Handle,Title,Project,Address,Latitude,Longitude,Owner,Users,Current H100 equivalents\n"
                "Example Campus Ohio,Example Campus,,\"1 Road, Ohio\",,,\"Example Cloud #confident, Other Co "
                "#speculative\",Example Lab #likely,1000\n")


def test_epoch_reads_the_data_centre_table_and_says_why_it_skips_the_rest(tmp_path):
    write(tmp_path, {"data_centers/data_centers.csv": DATA_CENTERS,
                     "data_centers/data_center_timelines.csv": "Date,Data center,Construction status,Power (MW)\n"
                                                              "2025-01-01,Example Campus Ohio,Land clearing,0\n",
                     "ai_companies/ai_companies_funding_rounds.csv": "Id,Company,Close date,Valuation (post-money)\n"
                                                                     "r1,Example,2025-01-01,1e9\n",
                     "other/unknown.csv": "x,y\n1,2\n", "gpu_clusters/README.md": "## Licensing\n"})
    graph, report = parse_source(epoch_ai.SOURCE, tmp_path)
    outcome = {f.path: (f.status, f.reason) for f in report.files}
    assert outcome["data_centers/data_centers.csv"] == ("read", "")
    assert "construction timeline" in outcome["data_centers/data_center_timelines.csv"][1]
    assert "funding rounds" in outcome["ai_companies/ai_companies_funding_rounds.csv"][1]
    assert "not an Epoch table" in outcome["other/unknown.csv"][1] and "x, y" in outcome["other/unknown.csv"][1]
    assert "not a CSV table" in outcome["gpu_clusters/README.md"][1]
    (site,) = graph.subjects(RDF.type, EAI.ComputeFacility)
    assert (site, RDFS.label, Literal("Example Campus")) in graph
    operators = {str(o).rsplit("/", 1)[-1] for o in graph.objects(site, EAI.operatedBy)}
    assert operators == {"example-cloud"}  # the speculative owner is left out, and counted
    assert any("1 data-centre owners Epoch tags as speculative" in n for n in report.notes)
    assert (report.records_read, report.records_ingested) == (1, 1)


def test_hugging_face_reads_the_card_files_and_says_why_it_skips_the_rest(tmp_path):
    write(tmp_path, {"org-a__model-x/README.md": "---\nlicense: mit\n---\n",
                     "org-a__model-x/generation_config.json": "{}", "org-a__model-x/tokenizer.model": "x",
                     "api/org-b__model-y.json": json.dumps({"id": "org-b/model-y", "tags": []}),
                     "notes.txt": "kept by hand"})
    _graph, report = parse_source(huggingface.SOURCE, tmp_path)
    outcome = {f.path: f.status for f in report.files}
    assert outcome == {"org-a__model-x/README.md": "read", "org-a__model-x/generation_config.json": "skipped",
                       "org-a__model-x/tokenizer.model": "skipped", "api/org-b__model-y.json": "read",
                       "notes.txt": "skipped"}
    assert report.records_read == 2 and report.imbalance() is None


def test_a_card_folder_with_one_broken_file_keeps_what_else_it_says(tmp_path):
    write(tmp_path, {"Own-7B/manifest.yaml": "parent_id: org-k/Own-7B\nlicence: mit\n",
                     "Own-7B/README.md": "---\nlanguage: [fi\n---\n"})
    graph, report = parse_source(huggingface.SOURCE, tmp_path)
    assert (iri.model_iri("org-k/Own-7B"), EAI.licence, iri.licence_iri("MIT")) in graph
    assert (report.records_read, report.records_ingested, report.records_rejected) == (1, 1, 0)
    assert any(n.startswith("Own-7B/README.md:") and "the rest of the record was read" in n for n in report.notes)
