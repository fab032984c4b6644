"""Crash safety: a process killed with SIGKILL during an ingest, an export, a backup or a restore.

Expected: the store reopens (the writer lock dies with the process) showing entirely the old version — or, once
the new version was committed, entirely the new one — never a mix, with no leftover graph; an output file is never
left half-written in place; a backup restores byte-for-byte the same dataset (canonical sorted N-Quads).
"""

from __future__ import annotations

import time
import zipfile

import pyoxigraph as ox
import pytest

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.store.base import graph_source
from security.support import dataset_hash

from .conftest import Child, observed

#: Where the ingest is killed, and which version a reopened (recovered) writer must show.
INGEST_STAGES = {"staged": "A", "swap": "A", "committed": "B", "publishing": "B"}


def assert_shows(home, version) -> None:
    with EmbeddedStore(home) as reader:
        assert observed(reader) == (version.state, version.content)


def assert_no_leftover_graphs(home) -> None:
    """Every per-run graph left in the database is one a pointer names (the writer was closed before this; a
    current graph may be absent from the database when it is empty, as the derived graph of probe data is)."""
    with EmbeddedStore(home, writable=True) as store:
        current = set(store.current_graphs().values())
    database = ox.Store.read_only(str(home / "db"))
    runs = {g.value for g in database.named_graphs() if isinstance(g, ox.NamedNode) and graph_source(g.value)}
    assert runs <= current


@pytest.mark.slow
@pytest.mark.parametrize("stage", list(INGEST_STAGES))
def test_ingest_killed_at_each_stage_leaves_old_or_new_never_a_mix(store_with_a, tmp_path, stage):
    """Input: an ingest of version B killed (SIGKILL) after staging, at the swap, after the commit or while the
    snapshot is being published. Expected: readers still see version A at once; a writer reopening the store
    recovers to A (killed before the commit) or B (after), complete, with no leftover graph."""
    marker = tmp_path / "marker"
    child = Child("ingest", "--home", str(store_with_a.home), "--pause", stage, "--marker", str(marker),
                  str(store_with_a.b.feed), marker=marker)
    child.wait_marker(stage)
    child.kill()
    assert_shows(store_with_a.home, store_with_a.a)  # readers never saw anything but the last publication
    expected = store_with_a.a if INGEST_STAGES[stage] == "A" else store_with_a.b
    with EmbeddedStore(store_with_a.home, writable=True):  # recovery runs here
        pass
    assert_shows(store_with_a.home, expected)
    assert_no_leftover_graphs(store_with_a.home)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2, 0.5, 3.0])
def test_ingest_killed_during_the_bulk_load_is_all_or_nothing(store_with_a, tmp_path, delay):
    """Input: an ingest of version B (5,000 values) killed ``delay`` s after its bulk load began, wherever that
    lands (after 3 s the ingest has usually ended on its own). Expected: after recovery the store shows A or B,
    each complete, and B if the ingest ended before the kill; no leftover graph."""
    marker = tmp_path / "marker"
    child = Child("ingest", "--home", str(store_with_a.home), "--pause", "loading", "--marker", str(marker),
                  str(store_with_a.b.feed), marker=marker)
    child.wait_marker("loading")
    time.sleep(delay)
    killed = child.kill_unless_done()
    with EmbeddedStore(store_with_a.home, writable=True):
        pass
    outcomes = (store_with_a.a, store_with_a.b) if killed else (store_with_a.b,)  # a finished ingest shows B
    with EmbeddedStore(store_with_a.home) as reader:
        assert observed(reader) in [(v.state, v.content) for v in outcomes]
    assert_no_leftover_graphs(store_with_a.home)


@pytest.mark.slow
@pytest.mark.remote
def test_remote_ingest_killed_mid_upload_leaves_the_server_unchanged(tmp_path, probe_versions, servers):
    """Input: an ingest of version B into an Oxigraph server, killed after sending the first piece of its new run
    graph. Expected: readers never see a graph no pointer names: the store shows version A, unchanged byte-for-byte."""
    from euaigraph.graph.load.pipeline import ingest
    from euaigraph.graph.store.remote import RemoteStore
    from euaigraph.ingest.base import Feed
    from security.support import probe_spec

    server = servers(tmp_path / "db")
    try:
        with RemoteStore(server.endpoint()) as store:
            ingest(store, probe_spec(), Feed.from_path(probe_versions["A"].feed))
            before = dataset_hash(store)
            marker = tmp_path / "marker"
            child = Child("ingest", "--endpoint", server.base, "--pause", "upload", "--marker", str(marker),
                          str(probe_versions["B"].feed), marker=marker)
            child.wait_marker("upload")
            child.kill()
            time.sleep(0.5)  # let the server notice the dropped connection
            assert dataset_hash(store) == before
            assert observed(store) == (probe_versions["A"].state, probe_versions["A"].content)
    finally:
        server.stop()


# -- exports, backups, restores ---------------------------------------------------------------------------------
@pytest.mark.parametrize("existing", [True, False], ids=["over-previous-export", "new-file"])
def test_export_killed_midway_leaves_no_partial_file_in_place(store_with_a, tmp_path, existing):
    """Input: ``euaigraph export -f nquads`` killed after writing half of the dataset. Expected: the target is
    the previous complete export byte-for-byte (or absent), and the store reopens unchanged."""
    out = tmp_path / "dataset.nq"
    previous = b"<http://probe.example/previous> <http://probe.example/p> <http://probe.example/o> .\n"
    if existing:
        out.write_bytes(previous)
    marker = tmp_path / "marker"
    child = Child("export", "--home", str(store_with_a.home), "--out", str(out), "--marker", str(marker),
                  "--pause", marker=marker)
    child.wait_marker("export")
    child.kill()
    assert (out.read_bytes() == previous) if existing else not out.exists()
    assert_shows(store_with_a.home, store_with_a.a)


@pytest.mark.slow
def test_snapshot_export_killed_midway_leaves_no_partial_zip_in_place(store_with_a, tmp_path):
    """Input: ``euaigraph export -f snapshot`` (graph/export.py) killed after two files went into the zip.
    Expected: the previous snapshot is intact and still a valid zip; the store reopens unchanged."""
    out = tmp_path / "snapshot.zip"
    done = Child("export", "--home", str(store_with_a.home), "--out", str(out), "--format", "snapshot",
                 "--marker", str(tmp_path / "unused"))
    done.finish()
    previous = out.read_bytes()
    marker = tmp_path / "marker"
    child = Child("export", "--home", str(store_with_a.home), "--out", str(out), "--format", "snapshot",
                  "--marker", str(marker), "--pause", marker=marker)
    child.wait_marker("zip")
    child.kill()
    assert out.read_bytes() == previous
    assert zipfile.ZipFile(out).testzip() is None
    assert_shows(store_with_a.home, store_with_a.a)


def test_backup_killed_midway_leaves_no_partial_backup_in_place(store_with_a, tmp_path):
    """Input: ``EmbeddedStore.backup`` killed after copying two files of the snapshot. Expected: the target folder
    does not exist (a later restore cannot pick up half a backup)."""
    target = tmp_path / "backup"
    marker = tmp_path / "marker"
    child = Child("backup", "--home", str(store_with_a.home), "--target", str(target), "--marker", str(marker),
                  marker=marker)
    child.wait_marker("backup")
    child.kill()
    assert not target.exists()


@pytest.mark.remote
def test_backup_restores_the_same_dataset_byte_for_byte(store, tmp_path, probe_versions):
    """Input: on each backend, version A with its provenance, backed up; then version B ingested; then the backup
    restored. Expected: the canonical sorted N-Quads (meta graph included) equal those before the backup."""
    from euaigraph.graph.load.pipeline import ingest
    from euaigraph.ingest.base import Feed
    from security.support import probe_spec

    ingest(store, probe_spec(), Feed.from_path(probe_versions["A"].feed))
    before = dataset_hash(store)
    backup = store.backup(tmp_path / "backup")
    ingest(store, probe_spec(), Feed.from_path(probe_versions["B"].feed))
    assert dataset_hash(store) != before
    store.restore(backup)
    assert dataset_hash(store) == before
    assert observed(store) == (probe_versions["A"].state, probe_versions["A"].content)


@pytest.mark.slow
def test_restore_killed_between_moving_the_databases_loses_nothing(store_with_a, tmp_path):
    """Input: a backup of version A; version B ingested; a restore of the backup killed right after the current
    database was moved aside, before the restored one took its place. Expected: a writer reopening the store
    finishes the restore: version A, complete, not an empty store."""
    from euaigraph.graph.load.pipeline import ingest
    from euaigraph.ingest.base import Feed
    from security.support import probe_spec

    with EmbeddedStore(store_with_a.home, writable=True) as store:
        backup = store.backup(tmp_path / "backup")
        ingest(store, probe_spec(), Feed.from_path(store_with_a.b.feed))
    marker = tmp_path / "marker"
    child = Child("restore", "--home", str(store_with_a.home), "--backup", str(backup), "--marker", str(marker),
                  marker=marker)
    child.wait_marker("restore")
    child.kill()
    with EmbeddedStore(store_with_a.home, writable=True):
        pass
    assert_shows(store_with_a.home, store_with_a.a)
