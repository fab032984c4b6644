"""The load and the ledger: a run whose records do not balance is refused, files no parser accounted for are noted,
the ledger is stored with the run and read back; the shrink guard refuses a source that lost more than its share
of records unless the analyst accepts it; truncated copies of real files are refused and the graph is unchanged."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest
from rdflib import Literal
from rdflib.namespace import RDF

from euaigraph.graph.load.pipeline import IngestError, ingest
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.store.ledger import read_ledger
from euaigraph.ingest import registry
from euaigraph.ingest.base import PRIORITY_THIRD_PARTY, Feed, SourceSpec
from euaigraph.ontology.iri import model_iri
from euaigraph.ontology.vocab import EAI


def demo(lost: int = 0):
    """A source of three records (one rejected, one merged) that loses ``lost`` records without a word."""
    def parse(feed, report):
        report.file_read("a.txt")
        report.file_skipped("README.md", "documentation, not a record file")
        report.read(3 + lost)
        report.ingested()
        report.reject("a.txt:2", "no name")
        report.merge("a.txt:3", into="a.txt:1", rule="same identifier", where="a.txt:3")
        report.note("one note")
        model = model_iri("demo/one")
        yield model, RDF.type, EAI.AIModel
        yield model, EAI.note, Literal("from the feed")

    return SourceSpec(id="ledger-demo", title="Ledger demo", homepage="https://example.org/", data_licence="CC0-1.0",
                      parse=parse, min_triples=1, priority=PRIORITY_THIRD_PARTY)


@pytest.fixture
def feed(tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    for name in ("a.txt", "README.md", "stray.bin"):
        (folder / name).write_text("x\n")
    return Feed.from_path(folder)


def test_the_ledger_is_stored_with_the_run_and_read_back(tmp_path, feed):
    with EmbeddedStore(tmp_path / "store", writable=True) as store:
        ingest(store, demo(), feed)
        ledger = read_ledger(store, "ledger-demo")
    assert (ledger.status, ledger.balanced) == ("succeeded", True)
    assert (ledger.records_read, ledger.records_ingested, ledger.records_rejected, ledger.records_merged) == (3, 1, 1, 1)
    assert (ledger.files_read, ledger.files_skipped) == (1, 1)
    assert ledger.files == [("README.md", "skipped", "documentation, not a record file"), ("a.txt", "read", "")]
    assert ledger.rejected == [("a.txt:2", "no name")]
    assert ledger.merges == [("a.txt:3", "a.txt:1", "same identifier", "a.txt:3")]
    # the file the parser never mentioned is noted, never silently dropped
    assert "one note" in ledger.notes
    assert any("neither read nor skipped" in note and "stray.bin" in note for note in ledger.notes)


def test_a_run_that_does_not_balance_is_refused_and_the_graph_stays(tmp_path, feed):
    with EmbeddedStore(tmp_path / "store", writable=True) as store:
        ingest(store, demo(), feed)
        before = store.current_graphs()["ledger-demo"]
        with pytest.raises(IngestError, match="4 records read but 1 ingested \\+ 1 rejected \\+ 1 merged: 1 record "
                                              "has no outcome"):
            ingest(store, demo(lost=1), feed)
        assert store.current_graphs()["ledger-demo"] == before
        ledger = read_ledger(store, "ledger-demo")
    assert ledger.status == "failed" and ledger.balanced is False and "lost records" in ledger.error


# -- the shrink guard ----------------------------------------------------------------------------------------------
OSAI = registry.get("osai-index")


def test_a_source_that_lost_most_of_its_records_is_refused_unless_accepted(tmp_path, shared_data):
    whole = tmp_path / "whole"
    shutil.copytree(shared_data / "osai_index", whole)
    half = tmp_path / "half"
    shutil.copytree(whole, half)
    for path in sorted((half / "models").glob("*.yaml"))[::2]:
        path.unlink()
    with EmbeddedStore(tmp_path / "store", writable=True) as store:
        ingest(store, OSAI, Feed.from_path(whole))
        before = store.current_graphs()["osai-index"]
        count = store.count(before)
        with pytest.raises(IngestError, match=r"osai-index: this run keeps [\d,]+ records against 1,677 in the "
                                              r"current graph, a fall of \d+%, more than the 20% this source allows"):
            ingest(store, OSAI, Feed.from_path(half))
        assert store.current_graphs()["osai-index"] == before and store.count(before) == count
        ingest(store, OSAI, Feed.from_path(half), accept_shrink=True)  # the analyst says the source shrank
        assert store.current_graphs()["osai-index"] != before


def test_a_share_set_on_the_source_is_used(tmp_path, shared_data):
    strict = dataclasses.replace(OSAI, max_shrink=0.01)
    whole = tmp_path / "whole"
    shutil.copytree(shared_data / "osai_index", whole)
    fewer = tmp_path / "fewer"
    shutil.copytree(whole, fewer)
    for path in sorted((fewer / "models").glob("*.yaml"))[:3]:  # about 2% of the records
        path.unlink()
    with EmbeddedStore(tmp_path / "store", writable=True) as store:
        ingest(store, strict, Feed.from_path(whole))
        with pytest.raises(IngestError, match="more than the 1% this source allows"):
            ingest(store, strict, Feed.from_path(fewer))
        ingest(store, OSAI, Feed.from_path(fewer))  # within the default 20%


# -- truncated copies of real files ----------------------------------------------------------------------------
def _cut_yaml_at_a_line(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[: len(lines) // 2])  # still valid YAML


@pytest.mark.parametrize(("source", "recorded", "cut", "why"), [
    ("osai-index", "osai_index/models/EuroLLM.yaml", _cut_yaml_at_a_line, "the file looks cut short"),
    ("spdx", "licenses/spdx/licenses.json", lambda text: text[: len(text) // 2], "licenses.json:"),
    ("model-openness-tool", "model_openness_tool/models/Mixtral-8x7B-v0.1.yml",
     lambda text: text[: text.rindex("description:")], "the file looks cut short"),
])
def test_a_truncated_copy_of_a_real_file_is_refused_and_the_graph_is_unchanged(tmp_path, shared_data, source,
                                                                                recorded, cut, why):
    spec = registry.get(source)
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    original = shared_data / recorded
    shutil.copy(original, good / original.name)
    (bad / original.name).write_text(cut(original.read_text(encoding="utf-8")), encoding="utf-8")
    if source == "model-openness-tool":
        for folder in (good, bad):
            shutil.copy(shared_data / "model_openness_tool" / "mof.settings.yml", folder / "mof.settings.yml")
    with EmbeddedStore(tmp_path / "store", writable=True) as store:
        ingest(store, spec, Feed.from_path(good / original.name if source != "model-openness-tool" else good))
        graph = store.current_graphs()[source]
        count = store.count(graph)
        with pytest.raises(IngestError, match=why):
            ingest(store, spec, Feed.from_path(bad / original.name if source != "model-openness-tool" else bad),
                   accept_shrink=True)  # refused by the structural check, not by the shrink guard
        assert store.current_graphs()[source] == graph and store.count(graph) == count


def test_a_json_list_cut_inside_an_entry_names_the_file_and_line(tmp_path, shared_data):
    text = (shared_data / "licenses" / "spdx" / "licenses.json").read_text(encoding="utf-8")
    (tmp_path / "licenses.json").write_text(text[: len(text) // 3], encoding="utf-8")
    with EmbeddedStore(tmp_path / "store", writable=True) as store:
        with pytest.raises(IngestError, match=r"spdx: licenses.json:\d+: "):
            ingest(store, registry.get("spdx"), Feed.from_path(tmp_path / "licenses.json"))
    json.loads(text)  # the whole file is valid: the cut made it invalid
