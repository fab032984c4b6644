"""Concurrency: explorer-like sessions — threads sharing a pool of query workers, and separate processes with
pools of their own — ask for the probe source's state while another process replaces that source again and
again (versions A and B alternately). Every answer must be entirely A or entirely B (count, sum and version
marker read in one query), never a mix; both versions must have been seen, or the test proved nothing.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import ingest
from euaigraph.graph.query.run import run_query
from euaigraph.graph.store.remote import RemoteStore
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.ingest.base import Feed
from security.support import PROBE_STATE, probe_spec, state

from .conftest import Child

SWAPS = 2  # rounds of B then A: four replacements
THREADS = 3
PROCESSES = 2


@pytest.fixture(params=["embedded", "remote"])
def backend(request, tmp_path, probe_versions):
    """A store holding version A, and the arguments that point a child process (and a worker pool) at it."""
    if request.param == "embedded":
        home = tmp_path / "store"
        with EmbeddedStore(home, writable=True) as store:
            ingest(store, probe_spec(), Feed.from_path(probe_versions["A"].feed))
        yield ["--home", str(home)], StoreRef(home=str(home))
        return
    server = request.getfixturevalue("servers")(tmp_path / "db")
    with RemoteStore(server.endpoint()) as store:
        ingest(store, probe_spec(), Feed.from_path(probe_versions["A"].feed))
    yield ["--endpoint", server.base], StoreRef(endpoint=server.endpoint())
    server.stop()


@pytest.mark.slow
@pytest.mark.remote
def test_sessions_see_old_or_new_source_never_a_mix(backend, tmp_path, probe_versions):
    """Input: 3 threads on one worker pool and 2 processes with their own pools querying in a loop while a writer
    process replaces the probe source four times (B, A, B, A). Expected: every answer equals the complete
    state of A or of B; both were seen; the writer finished cleanly."""
    where, ref = backend
    valid = {tuple(probe_versions[v].state) for v in ("A", "B")}
    stop = tmp_path / "stop"
    readers = []
    for n in range(PROCESSES):
        marker = tmp_path / f"reader-{n}"
        readers.append(Child("read", *where, "--marker", str(marker), "--stop", str(stop),
                             "--out", str(tmp_path / f"answers-{n}.json"), marker=marker))
    for reader in readers:
        reader.wait_marker("ready")

    seen: list[tuple[int, int, str]] = []
    errors: list[BaseException] = []
    with QueryWorkers(ref, size=2) as workers:
        def session() -> None:
            try:
                while not stop.exists():
                    seen.append(state(run_query(workers, PROBE_STATE, timeout_s=60).rows))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=session) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        feeds = [str(probe_versions["B"].feed), str(probe_versions["A"].feed)]
        writer = Child("ingest", *where, "--repeat", str(SWAPS), *feeds, marker=tmp_path / "writer")
        writer.finish()
        stop.write_text("stop")
        for thread in threads:
            thread.join(120)
    for reader in readers:
        reader.finish()
        seen.extend(tuple(answer) for answer in json.loads(Path(reader.process.args[-1]).read_text()))

    assert errors == []
    mixed = [answer for answer in seen if tuple(answer) not in valid]
    assert mixed == [], f"{len(mixed)} of {len(seen)} answers mixed versions, e.g. {mixed[:3]}"
    assert {answer[2] for answer in seen} == {"A", "B"}, "the sessions never saw both versions"


_FIRST_PARSES_AT_ONCE = """
import sys, threading
from euaigraph.graph.query.run import QueryRefused, guard
query = sys.argv[1]
failures = []
start = threading.Barrier(8)
def session():
    start.wait()
    for _ in range(10):
        try:
            guard(query)
        except QueryRefused as exc:
            failures.append(str(exc))
threads = [threading.Thread(target=session) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print(len(failures), failures[:1])
"""


def test_guard_parses_correctly_when_sessions_start_at_once():
    """Input: a fresh process whose first 8 x 10 guard() calls run in 8 threads at once (Streamlit sessions
    starting together). Expected: no valid query is refused (rdflib's parser must not be entered concurrently: it
    then breaks for the whole process)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _FIRST_PARSES_AT_ONCE, PROBE_STATE], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("0 []"), done.stdout
