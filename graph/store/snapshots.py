"""Read-only checkpoints of the embedded database, published after every committed change.

``<folder>/<n>-<version>/`` is a RocksDB checkpoint (hard links, cheap) named by a sequence number and the data
version it holds; ``<folder>/CURRENT`` names the newest, and is replaced atomically, so a reader opens either
the previous snapshot or the new one. The last few are kept for readers that still have one open.

>>> import tempfile, pyoxigraph as ox
>>> folder = Path(tempfile.mkdtemp())
>>> db = ox.Store(tempfile.mkdtemp())
>>> publish(db, folder, version="v1"), publish(db, folder, version="v2")
('000001-v1', '000002-v2')
>>> current(folder), published_version(folder)
('000002-v2', 'v2')
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pyoxigraph as ox

KEEP = 3
_NAME = re.compile(r"[0-9]{6}-[A-Za-z0-9]+")


def current(folder: Path) -> str | None:
    """Name of the newest published snapshot, or None before the first."""
    try:
        return (folder / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None


def version_of(name: str | None) -> str | None:
    """The data version a snapshot name holds (``<n>-<version>``).

    >>> version_of("000002-v2"), version_of(None)
    ('v2', None)
    """
    return name.split("-", 1)[1] if name and "-" in name else None


def is_name(name: str) -> bool:
    """Whether ``name`` has the form of a snapshot name (so it cannot point outside the folder).

    >>> is_name("000002-v2"), is_name("../db"), is_name("000002-")
    (True, False, False)
    """
    return bool(_NAME.fullmatch(name))


def published_version(folder: Path) -> str | None:
    """The data version of the newest snapshot."""
    return version_of(current(folder))


def publish(db: ox.Store, folder: Path, *, version: str) -> str:
    """Checkpoint ``db`` as the newest snapshot, drop the oldest beyond :data:`KEEP`; returns its name."""
    db.flush()
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name[:6].isdigit())
    seq = int(existing[-1][:6]) + 1 if existing else 1
    name = f"{seq:06d}-{version}"
    tmp = folder / f".tmp-{name}"
    shutil.rmtree(tmp, ignore_errors=True)
    db.backup(str(tmp))
    tmp.rename(folder / name)
    pointer = folder / ".CURRENT.tmp"
    pointer.write_text(name + "\n")
    os.replace(pointer, folder / "CURRENT")
    for old in existing[:-(KEEP - 1) or None]:
        shutil.rmtree(folder / old, ignore_errors=True)
    for stray in folder.glob(".tmp-*"):  # left by a publish that was killed
        shutil.rmtree(stray, ignore_errors=True)
    return name


__all__ = ["KEEP", "current", "publish", "published_version", "version_of"]
