"""The data versions an embedded store keeps for ``euaigraph diff``: the last N (a setting), each rebuilt exactly as it
was, sharing run-graph files between versions, and a diff between two of them that lists what the loads changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from euaigraph.graph import diff, versions
from euaigraph.graph.query.worker import StoreRef
from euaigraph.graph.store import history
from euaigraph.graph.store.embedded import EmbeddedStore

from .demo_source import model
from .util import V1, V2, data_quads, load

V3 = [*V2[:2], ("viking-13b", "Viking 13B v2", "viking-7b")]  # teuken removed (a shrink, accepted), viking-13b relabelled


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "store"


def build(home: Path, tmp_path: Path, *feeds) -> list[bytes]:
    """Load each feed in turn as the demo source; the facts after each load."""
    seen = []
    with EmbeddedStore(home, writable=True) as store:
        for n, records in enumerate(feeds):
            load(store, tmp_path, records, name=f"demo-{n}.tsv", accept_shrink=True)
            seen.append(data_quads(store))
    return seen


def test_every_change_is_kept_and_rebuilt_exactly(home, tmp_path):
    facts = build(home, tmp_path, V1, V2)
    kept = history.kept(home)
    assert len(kept) == 2 and kept[0].version != kept[1].version  # an empty store is not a version
    rebuilt = tmp_path / "rebuilt"
    history.rebuild(home, kept[0].version, rebuilt)
    with EmbeddedStore(rebuilt, writable=True) as old:
        assert old.data_version() == kept[0].version
        assert data_quads(old) == facts[0]


def test_only_the_last_n_versions_are_kept_and_their_files_shared(home, tmp_path, monkeypatch):
    monkeypatch.setenv("EUAIGRAPH_KEEP_VERSIONS", "2")
    build(home, tmp_path, V1, V2, V3)
    kept = history.kept(home)
    assert len(kept) == 2
    files = sorted(p.name for p in (home / "versions" / "graphs").iterdir())
    graphs = {g for v in kept for g in v.graphs.values()}
    assert len(files) == len(graphs)  # one file per run graph, whichever versions name it
    assert len(list((home / "versions" / "meta").glob("*.nt"))) == 2
    with pytest.raises(history.HistoryError, match="not kept"):
        history.find(home, "0123456789ab")


def test_a_version_whose_files_are_gone_says_so(home, tmp_path):
    build(home, tmp_path, V1, V2)
    old = history.kept(home)[0]
    for path in (home / "versions" / "graphs").iterdir():
        path.unlink()
    with pytest.raises(history.HistoryError, match="cannot be rebuilt"):
        history.rebuild(home, old.version, tmp_path / "rebuilt")


def test_the_diff_of_two_kept_versions_lists_what_the_load_changed(home, tmp_path):
    build(home, tmp_path, V2, V3)
    ref = StoreRef(home=str(home))
    with versions.opened("previous", ref=ref) as before, versions.opened("current", ref=ref) as after:
        result = diff.compare(before, after, questions=False)
    assert [s.source for s in result.sources] == ["demo", "derived"]
    assert {(e.change, e.iri) for e in result.entities} == {("removed", str(model("demo", "teuken-7b")))}
    labels = {(f.change, str(f.value)) for f in result.facts if f.subject == str(model("demo", "viking-13b"))
              and f.predicate.endswith("#label")}
    assert labels == {("removed", "Viking 13B"), ("added", "Viking 13B v2")}
    assert all(f.source == "demo" for f in result.facts if f.predicate.endswith("#label"))
    assert result.counts()["entities_added"] == 0


def test_a_name_that_is_no_version_is_refused(home, tmp_path):
    build(home, tmp_path, V1)
    ref = StoreRef(home=str(home))
    with pytest.raises(versions.VersionError, match="no version before"):
        with versions.opened("previous", ref=ref):
            pass
    with pytest.raises(versions.VersionError, match="not kept"):
        with versions.opened("0123456789ab", ref=ref):
            pass
    with pytest.raises(versions.VersionError, match="no snapshot"):
        versions.check(str(tmp_path / "missing.zip"))
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(versions.VersionError, match="cannot read the snapshot"):
        with versions.opened(str(bad), ref=ref):
            pass
