"""Embedded store only: the graph files kept for readers, and loads that run while the next source is parsed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rdflib import BNode, Literal
from rdflib.namespace import RDFS

from euaigraph.graph.store import graph_files
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import ingest, ingest_many
from euaigraph.ingest.base import Feed

from .demo_source import model, parse_lines, spec, write_feed
from .test_embedded import unreferenced_graphs
from .util import V1, V2, canonical_dataset, data_quads, labels, load


def kept(home: Path) -> set[str]:
    return {p.name for p in (home / "graphs").iterdir()} if (home / "graphs").is_dir() else set()


def expected_files(store: EmbeddedStore) -> set[str]:
    return {graph_files.file_name(g) for g in store.current_graphs().values()}


def memory_and_disk_views_agree(home: Path) -> bytes:
    with EmbeddedStore(home, memory=True) as in_memory, EmbeddedStore(home, memory=False) as on_disk:
        dataset = canonical_dataset(in_memory)
        assert dataset == canonical_dataset(on_disk)
        return dataset


def test_each_current_graph_keeps_its_file_and_superseded_files_go(tmp_path, caplog):
    home = tmp_path / "store"
    with EmbeddedStore(home, writable=True) as store:
        load(store, tmp_path, V1, name="v1.tsv")
        first = expected_files(store)
        assert kept(home) == first and len(first) == 2  # the demo source and the derived graph
        load(store, tmp_path, V2, name="v2.tsv")
        second = expected_files(store)
        assert kept(home) == second and not first & second
    assert memory_and_disk_views_agree(home)
    assert "copying" not in caplog.text, "a reader fell back to copying a graph whose file was sound"
    assert not list((home / "staging").iterdir()), "a finished load left staged files behind"


@pytest.mark.parametrize("damage", ["missing", "truncated", "extra triple", "not N-Triples"])
def test_a_reader_copies_from_the_snapshot_when_a_file_is_damaged(tmp_path, damage, caplog):
    home = tmp_path / "store"
    with EmbeddedStore(home, writable=True) as store:
        load(store, tmp_path, V1, name="v1.tsv")
        demo_file = home / "graphs" / graph_files.file_name(store.current_graphs()["demo"])
    with EmbeddedStore(home, memory=False) as on_disk:
        truth = canonical_dataset(on_disk)
    text = demo_file.read_text(encoding="utf-8")
    if damage == "missing":
        demo_file.unlink()
    elif damage == "truncated":
        demo_file.write_text("".join(text.splitlines(keepends=True)[:-2]), encoding="utf-8")
    elif damage == "extra triple":
        demo_file.write_text(text + '<https://example.org/x> <https://example.org/p> "planted" .\n', encoding="utf-8")
    else:
        demo_file.write_text("this is not < N-Triples\n", encoding="utf-8")
    with EmbeddedStore(home, memory=True) as in_memory:
        assert canonical_dataset(in_memory) == truth
        assert labels(in_memory) == {r[1] for r in V1}
    if damage != "missing":
        assert "copying" in caplog.text and demo_file.name in caplog.text


def test_graphs_with_blank_nodes_are_not_kept(tmp_path):
    def with_blank_node(feed, report):
        yield from parse_lines("blank", feed, report)
        yield model("blank", "eurollm-9b"), RDFS.comment, BNode("note")
        yield BNode("note"), RDFS.label, Literal("a note without an IRI")

    home = tmp_path / "store"
    blank = dataclasses.replace(spec("blank"), parse=with_blank_node)
    with EmbeddedStore(home, writable=True) as store:
        ingest(store, blank, Feed.from_path(write_feed(tmp_path / "b.tsv", V1)))
        graph = store.current_graphs()["blank"]
        assert graph_files.file_name(graph) not in kept(home)
        assert graph_files.file_name(store.current_graphs()["derived"]) in kept(home)
    with EmbeddedStore(home, memory=True) as first, EmbeddedStore(home, memory=True) as second:
        # two processes' readers must name the blank node alike: it comes from the snapshot, not a fresh load
        query = "SELECT ?b WHERE { ?b <http://www.w3.org/2000/01/rdf-schema#label> 'a note without an IRI' }"
        assert first.execute(query).rows == second.execute(query).rows
        assert len(first.execute(query).rows) == 1


def test_a_build_that_fails_after_preloading_leaves_no_graph_and_no_file(tmp_path):
    home = tmp_path / "store"
    with EmbeddedStore(home, writable=True) as store:
        load(store, tmp_path, V1, name="v1.tsv")
        before, files_before = data_quads(store), kept(home)
        good = (spec("demo"), Feed.from_path(write_feed(tmp_path / "v2.tsv", V2)))
        broken = (spec("other"), Feed.from_path(write_feed(tmp_path / "broken.tsv", [("no tab here",)])))
        outcomes = ingest_many(store, [good, broken], all_or_nothing=True)
        assert [o.ok for o in outcomes] == [False, False]
        assert data_quads(store) == before
        assert kept(home) == files_before
    assert unreferenced_graphs(home) == set(), "the preloaded graph of the good source was left in the database"
    with EmbeddedStore(home, memory=True) as reader:
        assert data_quads(reader) == before


def test_the_file_name_of_a_run_graph_names_the_source_and_run():
    assert graph_files.file_name("https://w3id.org/euaigraph/graph/demo/20260101T000000Z-abcdef") == (
        "demo-20260101T000000Z-abcdef.nt")
    other = graph_files.file_name("https://w3id.org/euaigraph/graph/a/b/c")  # not a run graph: hashed
    assert len(other) == len("0123456789abcdef01234567.nt") and other != graph_files.file_name("https://example.org/c")
