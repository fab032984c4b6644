"""The data versions ``euaigraph diff`` can compare, each opened as a store it can query
(decisions/0015-what-changed.md).

A side of a comparison is named by:

- ``current``: the store's current graph;
- ``previous``: the kept version before the current one (an embedded store keeps the last N, see
  :mod:`euaigraph.graph.store.history`);
- a data version id (``690e9a6bad4f``): one of the kept versions;
- the path of a snapshot zip written by ``euaigraph export --format snapshot``: the version it holds.

A kept version or a snapshot is rebuilt into an embedded store in a temporary folder, so every saved question runs
on it exactly as on the current graph (the same workers, guard, time limit and row cap).
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from euaigraph.graph.query.worker import StoreRef
from euaigraph.graph.store import history
from euaigraph.graph.store.base import StoreError
from euaigraph.graph.store.embedded import EmbeddedStore, default_home

CURRENT, PREVIOUS = "current", "previous"
#: The one member of a snapshot zip a comparison reads, and the most it unpacks (a zip bomb stops here).
DATASET, MAX_DATASET_BYTES = "dataset.nq", 4 * 1024**3


class VersionError(ValueError):
    """A side that cannot be opened; the message names it and says why."""


@dataclass(frozen=True)
class Side:
    """One side of a comparison: how it was named, the data version it holds, and the store to query."""

    label: str
    version: str
    ref: StoreRef


def _home(ref: StoreRef) -> Path | None:
    """The folder of an embedded store (None for an endpoint)."""
    return None if ref.endpoint is not None else Path(ref.home) if ref.home else default_home()


def kept_versions(ref: StoreRef) -> list[history.KeptVersion]:
    """The versions the store keeps for comparisons, oldest first (none for a remote endpoint)."""
    home = _home(ref)
    return history.kept(home) if home else []


def _resolve(spec: str, ref: StoreRef) -> str:
    """A kept version id for ``previous`` (the one before the current), else the spec as given."""
    if spec != PREVIOUS:
        return spec
    with ref.open() as store:
        now = store.data_version()
    older = [v.version for v in kept_versions(ref) if v.version != now]
    if not older:
        raise VersionError(f"no version before the current one ({now}) is kept by {ref.label}")
    return older[-1]


@contextmanager
def opened(spec: str, *, ref: StoreRef) -> Iterator[Side]:
    """The side named by ``spec`` (module docstring); a rebuilt one is removed on exit. Raises VersionError."""
    if spec == CURRENT:
        with ref.open() as store:
            yield Side(CURRENT, store.data_version(), ref)
        return
    label, spec = spec, _resolve(spec, ref)
    workdir = Path(tempfile.mkdtemp(prefix="euaigraph-version-"))
    try:
        if spec.endswith(".zip"):
            _unpack_snapshot(Path(spec), workdir)
        elif _home(ref) is not None:
            try:
                history.rebuild(_home(ref), spec, workdir)
            except history.HistoryError as exc:
                raise VersionError(str(exc)) from None
        else:
            raise VersionError(f"{ref.label} keeps no past versions: compare with a snapshot zip instead")
        with EmbeddedStore(workdir, writable=True) as store:  # publishes the rebuilt database for readers
            version = store.data_version()
        yield Side(label, version, StoreRef(home=str(workdir)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _unpack_snapshot(path: Path, workdir: Path) -> None:
    """The quads of a snapshot zip into ``workdir/db``; VersionError naming the file and what is wrong."""
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo(DATASET)
            except KeyError:
                raise VersionError(f"{path}: not an euaigraph snapshot (no {DATASET} in the zip)") from None
            if info.file_size > MAX_DATASET_BYTES:
                raise VersionError(f"{path}: {DATASET} unpacks to {info.file_size} bytes, more than the "
                                   f"{MAX_DATASET_BYTES} a comparison reads")
            target = workdir / DATASET
            with archive.open(info) as member, target.open("wb") as out:
                copied = 0
                while chunk := member.read(1 << 20):
                    copied += len(chunk)
                    if copied > MAX_DATASET_BYTES:  # the header lied about the size
                        raise VersionError(f"{path}: {DATASET} is larger than it says")
                    out.write(chunk)
    except (zipfile.BadZipFile, OSError) as exc:
        raise VersionError(f"{path}: cannot read the snapshot: {exc}") from None
    db = ox.Store(str(workdir / "db"))
    try:
        db.bulk_load(path=str(target), format=ox.RdfFormat.N_QUADS)
    except (SyntaxError, ValueError, OSError) as exc:
        raise VersionError(f"{path}: {DATASET} is not valid N-Quads: {exc}") from None
    db.flush()
    del db
    target.unlink()


def check(spec: str) -> str:
    """Refuse a spec that names nothing: empty, or a zip that does not exist (before any work is done).

    >>> check("current"), check("690e9a6bad4f")
    ('current', '690e9a6bad4f')
    """
    if not spec.strip():
        raise VersionError("name a version: current, previous, a kept data version id or a snapshot zip")
    if spec.endswith(".zip") and not Path(spec).is_file():
        raise VersionError(f"no snapshot at {spec}")
    return spec


__all__ = ["CURRENT", "PREVIOUS", "Side", "StoreError", "VersionError", "check", "kept_versions", "opened"]
