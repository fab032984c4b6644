"""Backups of the embedded store and restoring them, without following links and without half results.

A backup is a copy of a published snapshot (a RocksDB checkpoint). Restoring one copies it beside the database
first, refusing any symbolic link or special file in it (a backup from elsewhere could link to ``/etc/shadow`` or
loop back on itself), opens the copy as a database to check it, and only then moves the current database aside and
the copy in (a restore killed between the two moves is finished when the store is next opened for writing). A bad
backup, a full disk or a link raises :class:`StoreError` with the store unchanged.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox

from euaigraph.graph.store import safe_files
from euaigraph.graph.store.base import StoreError


def copy_out(snapshot: Path, target: Path) -> Path:
    """Copy ``snapshot`` to the new folder ``target`` through a hidden ``.<name>.partial`` beside it: the backup
    appears whole or not at all, and a failed copy leaves nothing."""
    if os.path.lexists(target):
        raise StoreError(f"backup target {target} already exists")
    partial = target.with_name(f".{target.name}.partial")
    try:
        safe_files.remove(partial)  # left by a killed backup; a link there is removed, never followed
        safe_files.copy_tree(snapshot, partial)
        os.rename(partial, target)
    except OSError as exc:
        safe_files.remove(partial)
        raise StoreError(f"the backup to {target} failed and left nothing there: {exc}") from exc
    return target


def copy_in(backup: Path, staging: Path) -> Path:
    """Copy the backup folder to ``staging`` (refusing links and special files) and check it opens as a database.
    Returns ``staging``."""
    if not os.path.isdir(backup):
        raise StoreError(f"{backup} is not an euaigraph backup: no such folder")
    try:
        safe_files.remove(staging)
        safe_files.copy_tree(backup, staging)
    except safe_files.UnsafePath as exc:
        safe_files.remove(staging)
        raise StoreError(f"{backup} is refused as a backup, nothing was changed: {exc}") from exc
    except OSError as exc:
        safe_files.remove(staging)
        raise StoreError(f"{backup} could not be restored, nothing was changed: {exc}") from exc
    try:
        probe = ox.Store.read_only(str(staging))
        probe.query("ASK { ?s ?p ?o }")
        del probe
    except OSError as exc:
        safe_files.remove(staging)
        raise StoreError(f"{backup} is not an euaigraph backup, nothing was changed: {exc}") from exc
    return staging


def swap_in(staging: Path, db: Path, replaced: Path) -> None:
    """Move the database aside and the checked copy in (two renames), then drop the old one."""
    safe_files.remove(replaced)
    db.rename(replaced)
    staging.rename(db)
    shutil.rmtree(replaced, ignore_errors=True)


__all__ = ["copy_in", "copy_out", "swap_in"]
