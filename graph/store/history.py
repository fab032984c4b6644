"""The last N data versions of an embedded store, kept so that ``euaigraph diff`` can rebuild any of them
(decisions/0015-what-changed.md).

A data version is a set of current source graphs (one per source, named by run) and the meta graph describing them.
A run graph never changes once loaded, so versions that share a source's run share its triples: the history keeps
each version's meta graph and the list of its graphs, and one N-Triples file per run graph any kept version names,
hard-linked from the file the store already keeps for readers (graph_files.py), or written from the database when
there is none. Keeping N versions costs the meta graphs plus the graphs of the runs that were replaced, never a
full copy of each version. Layout::

    <home>/versions/index.json            [{"version", "published", "graphs": {source: graph IRI}}], oldest first
    <home>/versions/meta/<version>.nt      the meta graph of that version
    <home>/versions/graphs/<file>.nt       the triples of a run graph (file names as graph_files.file_name)

Recording never raises: it runs after a change was committed, and a version that could not be kept is only one
that ``diff`` will say it cannot rebuild.

>>> import tempfile
>>> home = Path(tempfile.mkdtemp())
>>> db = ox.Store()
>>> g = "https://w3id.org/euaigraph/graph/demo/1"
>>> [record(home, db, version=v, current={"demo": g}, keep=2) for v in ("v1", "v2")]
[True, True]
>>> record(home, db, version="v3", current={"demo": g}, keep=2), [v.version for v in kept(home)]
(True, ['v2', 'v3'])
>>> record(home, db, version="empty", current={}, keep=2)
False
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from euaigraph.graph.store import graph_files
from euaigraph.ingest import safe_json
from euaigraph.ontology.namespaces import META_GRAPH

log = logging.getLogger(__name__)


class HistoryError(LookupError):
    """A data version the history cannot rebuild; the message names it and says what is kept."""


@dataclass(frozen=True)
class KeptVersion:
    """One kept data version: its id, when it was published, and its current graph per source."""

    version: str
    published: str
    graphs: dict[str, str]


def folder(home: Path) -> Path:
    return Path(home) / "versions"


def kept(home: Path) -> list[KeptVersion]:
    """The kept versions, oldest first (empty when none was recorded or the index is unreadable)."""
    try:
        items = safe_json.loads((folder(home) / "index.json").read_bytes())
        return [KeptVersion(str(i["version"]), str(i["published"]), {str(k): str(v) for k, v in i["graphs"].items()})
                for i in items]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []


def find(home: Path, version: str) -> KeptVersion:
    """A kept version by id, or HistoryError naming the ones that are kept."""
    for item in kept(home):
        if item.version == version:
            return item
    names = ", ".join(v.version for v in kept(home)) or "none"
    raise HistoryError(f"data version {version!r} is not kept by the store at {home} (kept: {names})")


def record(home: Path, db: ox.Store, *, version: str, current: dict[str, str], keep: int) -> bool:
    """Keep ``version`` (the state ``db`` holds now) and drop what the newest ``keep`` versions no longer need;
    False when it could not be kept (logged)."""
    try:
        return _record(Path(home), db, version=version, current=current, keep=max(keep, 1))
    except (OSError, ValueError) as exc:
        log.warning("data version %s was not kept for diffs: %s", version, exc)
        return False


def _record(home: Path, db: ox.Store, *, version: str, current: dict[str, str], keep: int) -> bool:
    base = folder(home)
    items = kept(home)
    if not current or (items and items[-1].version == version):
        return bool(current)  # an empty store is no version worth comparing with
    (base / "meta").mkdir(parents=True, exist_ok=True)
    (base / "graphs").mkdir(parents=True, exist_ok=True)
    for graph in current.values():
        _keep_graph(home, db, graph)
    _write(base / "meta" / f"{version}.nt",
           lambda out: db.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(META_GRAPH))))
    published = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    items = [*items, KeptVersion(version, published, dict(current))][-keep:]
    _write(base / "index.json", lambda out: out.write(json.dumps(
        [{"version": i.version, "published": i.published, "graphs": i.graphs} for i in items], indent=1).encode()))
    _prune(base, items)
    return True


def _keep_graph(home: Path, db: ox.Store, graph: str) -> None:
    target = folder(home) / "graphs" / graph_files.file_name(graph)
    if target.exists():
        return
    source = home / "graphs" / graph_files.file_name(graph)
    try:
        os.link(source, target)  # the reader's copy: same bytes, no space
    except OSError:
        _write(target, lambda out: db.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)))


def _write(path: Path, fill) -> None:
    """Write through a temporary file and a rename, so a kept file is whole or absent."""
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            fill(out)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _prune(base: Path, items: list[KeptVersion]) -> None:
    wanted = {i.version for i in items}
    for path in (base / "meta").glob("*.nt"):
        if path.stem not in wanted:
            path.unlink(missing_ok=True)
    files = {graph_files.file_name(g) for i in items for g in i.graphs.values()}
    for path in (base / "graphs").iterdir():
        if path.name not in files:
            path.unlink(missing_ok=True)


def rebuild(home: Path, version: str, target: Path) -> Path:
    """Write the database of a kept version into ``target/db`` (an embedded store folder that a writable
    EmbeddedStore then publishes); HistoryError when a file it needs is gone."""
    item = find(home, version)
    base = folder(home)
    files = {graph: base / "graphs" / graph_files.file_name(graph) for graph in item.graphs.values()}
    missing = [g for g, f in files.items() if not f.exists()] + (
        [] if (base / "meta" / f"{version}.nt").exists() else ["the meta graph"])
    if missing:
        raise HistoryError(f"data version {version!r} cannot be rebuilt: {', '.join(missing)} no longer kept")
    shutil.rmtree(target / "db", ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    db = ox.Store(str(target / "db"))
    for graph, path in files.items():
        db.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    db.bulk_load(path=str(base / "meta" / f"{version}.nt"), format=ox.RdfFormat.N_TRIPLES,
                 to_graph=ox.NamedNode(str(META_GRAPH)))
    db.flush()
    return target


__all__ = ["HistoryError", "KeptVersion", "find", "folder", "kept", "rebuild", "record"]
