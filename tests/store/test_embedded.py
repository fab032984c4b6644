"""Embedded store only: a writer killed in the middle of a bulk load, readers during a swap, one writer at a time."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import IngestError, ingest, ingest_many
from euaigraph.graph.store.base import StoreBusyError, graph_source
from euaigraph.ingest.base import Feed
from euaigraph.ontology.namespaces import META_GRAPH

from .demo_source import big_feed, spec, write_feed
from .util import V1, V2, canonical_dataset, labels, load

HERE = Path(__file__).parent
V1_LABELS = {r[1] for r in V1}
V2_LABELS = {r[1] for r in V2}


def unreferenced_graphs(home: Path) -> set[str]:
    """Per-run graphs in the database that no pointer names (read with the writer closed)."""
    db = ox.Store.read_only(str(home / "db"))
    current = {s["g"].value for s in db.query(
        f"SELECT ?g WHERE {{ GRAPH <{META_GRAPH}> {{ ?s <https://w3id.org/euaigraph/ontology#currentGraph> ?g }} }}")}
    graphs = {g.value for g in db.named_graphs() if isinstance(g, ox.NamedNode) and graph_source(g.value)}
    del db
    return graphs - current


def wait_for_bulk_files(db: Path, child: subprocess.Popen, *, timeout: float = 60) -> None:
    """Until the bulk loader has written its first ``bulk-*.sst`` file (Oxigraph adopts them at the end of a load):
    the load is then under way. Polled every 10 ms so that the kill lands well before the load ends, even on an
    idle machine."""
    deadline = time.monotonic() + timeout
    while not any(db.glob("bulk-*.sst")):
        assert child.poll() is None, "the writer finished before it could be killed; use a bigger feed"
        assert time.monotonic() < deadline, "the bulk loader never started"
        time.sleep(0.01)


@pytest.mark.slow
def test_a_writer_killed_in_the_middle_of_a_bulk_load_leaves_the_old_graph(tmp_path):
    home = tmp_path / "store"
    with EmbeddedStore(home, writable=True) as store:
        load(store, tmp_path, V1, name="v1.tsv")
        before, version = canonical_dataset(store), store.data_version()
    small = write_feed(tmp_path / "v2.tsv", V2)
    big = big_feed(tmp_path / "big.tsv", 80_000)  # 320,000 triples: the bulk load takes seconds
    errors = tmp_path / "writer.err"
    with errors.open("w") as stderr:
        child = subprocess.Popen([sys.executable, str(HERE / "killed_writer.py"), str(home), str(small), str(big)],
                                 cwd=HERE, stdout=subprocess.PIPE, stderr=stderr, text=True)
    try:
        seen = []
        for line in child.stdout:  # the loader logs from its own thread: its line may share one with a message
            seen.append(line.strip())
            if "bulk-loading bulk " in line:
                break
        assert seen and "bulk-loading bulk " in seen[-1], (
            f"the writer never started loading the big source: {seen}\n{errors.read_text()[-2000:]}")
        wait_for_bulk_files(home / "db", child)  # the small source is in; the big one is being bulk-loaded
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    assert list((home / "db").glob("bulk-*.sst")), "the kill did not interrupt the bulk loader"

    leftovers = unreferenced_graphs(home)
    assert any(graph_source(g) == "demo" for g in leftovers), "the kill came before the first graph was loaded"

    with EmbeddedStore(home) as reader:  # opens: the published snapshot is untouched
        assert canonical_dataset(reader) == before
        assert reader.data_version() == version
        assert labels(reader) == V1_LABELS

    with EmbeddedStore(home, writable=True) as writer:  # the lock died with the process; leftovers are swept
        assert canonical_dataset(writer) == before
    assert unreferenced_graphs(home) == set()
    assert list((home / "db").glob("bulk-*.sst")) == [], "the bulk loader's unfinished files are left on disk"
    with EmbeddedStore(home, writable=True) as writer:
        load(writer, tmp_path, V2, name="v2-again.tsv")
        assert labels(writer) == V2_LABELS


def state(store) -> tuple[frozenset[str], int]:
    """Labels of the demo models and the number of bulk models, read in one query (one snapshot)."""
    rows = store.execute("SELECT ?m ?l WHERE { ?m a <https://w3id.org/euaigraph/ontology#AIModel> ; "
                         "<http://www.w3.org/2000/01/rdf-schema#label> ?l }").rows
    demo = frozenset(str(label) for m, label in rows if "/model/demo/" in str(m))
    return demo, sum(1 for m, _ in rows if "/model/bulk/" in str(m))


@pytest.mark.parametrize("memory", [True, False], ids=["in-memory-view", "on-disk-view"])
def test_a_reader_sees_the_old_state_or_the_new_one_never_a_mix(tmp_path, memory):
    """Two sources replaced in one swap: a reader opened before sees both old or both new."""
    home = tmp_path / "store"
    writer = EmbeddedStore(home, writable=True)
    load(writer, tmp_path, V1, name="v1.tsv")
    reader = EmbeddedStore(home, memory=memory)
    assert state(reader) == (V1_LABELS, 0)
    observed: list[tuple[float, frozenset[str], int]] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            observed.append((time.perf_counter(), *state(reader)))

    thread = threading.Thread(target=watch)
    thread.start()
    jobs = [(spec("demo"), Feed.from_path(write_feed(tmp_path / "v2.tsv", V2))),
            (spec("bulk"), Feed.from_path(big_feed(tmp_path / "big.tsv", 10_000)))]
    try:
        started = time.perf_counter()
        outcomes = ingest_many(writer, jobs, all_or_nothing=True)
        assert all(o.ok for o in outcomes), [o.message for o in outcomes]
        finished = time.perf_counter()
    finally:
        done.set()
        thread.join(30)
        writer.close()
    states = {(seen, n) for _, seen, n in observed}
    assert states <= {(frozenset(V1_LABELS), 0), (frozenset(V2_LABELS), 10_000)}, states
    assert any(started <= t <= finished for t, *_ in observed), "the reader never ran during the swap"
    assert state(reader) == (V2_LABELS, 10_000)  # the next query sees the new state
    reader.close()


def test_the_read_only_view_never_shows_a_staged_graph(tmp_path):
    home = tmp_path / "store"
    seen: list[tuple[bool, str, bool]] = []  # (during the swap?, graph, current?)
    swapping = threading.Event()
    done = threading.Event()
    query = f"""SELECT ?g ?current WHERE {{ GRAPH ?g {{ }} FILTER(?g != <{META_GRAPH}>)
        BIND(EXISTS {{ GRAPH <{META_GRAPH}> {{ ?src <https://w3id.org/euaigraph/ontology#currentGraph> ?g }} }}
             AS ?current) }}"""
    with EmbeddedStore(home, writable=True) as writer:
        load(writer, tmp_path, V1, name="v1.tsv")
        reader = EmbeddedStore(home)

        def watch() -> None:
            while not done.is_set():
                during = swapping.is_set()
                seen.extend((during, str(g), current.toPython()) for g, current in reader.execute(query).rows)
                time.sleep(0.002)  # leave the writer some of the interpreter

        thread = threading.Thread(target=watch)
        thread.start()
        try:
            feed = big_feed(tmp_path / "big.tsv", 5_000)
            for _ in range(2):
                ingest(writer, spec("bulk"), Feed.from_path(feed),
                       progress=lambda m: swapping.set() if m.startswith("swapping") else None)
                swapping.clear()
        finally:
            done.set()
            thread.join(30)
        reader.close()
    assert [graph for _, graph, current in seen if not current] == []
    assert any(during for during, _, _ in seen), "the reader never ran during a swap"
    assert any("/graph/bulk/" in graph for _, graph, _ in seen), "the reader never saw the new source"


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path):
    home = tmp_path / "store"
    with EmbeddedStore(home, writable=True):
        with pytest.raises(StoreBusyError, match=r"store at .* is being written by another euaigraph process"):
            EmbeddedStore(home, writable=True)
        other = subprocess.run(
            [sys.executable, "-c", "import sys; from euaigraph.graph.store.embedded import EmbeddedStore; "
             "EmbeddedStore(sys.argv[1], writable=True)", str(home)], capture_output=True, text=True, timeout=60)
        assert other.returncode != 0
        assert "StoreBusyError" in other.stderr and "another euaigraph process" in other.stderr
        with EmbeddedStore(home) as reader:  # readers are never refused
            assert reader.count() == 0
    with EmbeddedStore(home, writable=True) as writer:  # free again once the first writer closed
        assert writer.writable


def test_a_read_only_store_refuses_to_change(tmp_path):
    home = tmp_path / "store"
    with EmbeddedStore(home, writable=True) as writer:
        load(writer, tmp_path, V1, name="v1.tsv")
    with EmbeddedStore(home) as reader:
        before = canonical_dataset(reader)
        with pytest.raises(IngestError, match="opened read-only"):
            load(reader, tmp_path, V2, name="v2.tsv")
        assert canonical_dataset(reader) == before
