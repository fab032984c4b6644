"""No symbolic link is followed by restore, export, backup or staging (``graph/store/safe_files.py``).

- A backup holding a link to a secret file outside it, a linked folder, or a link loop is refused by ``restore``:
  a clean error, the store unchanged, and the secret nowhere in the store.
- ``export -o F`` with ``F.partial`` planted as a link to a victim file writes F and leaves the victim as it was;
  F itself being a link is replaced, not written through.
- A backup whose ``.partial`` folder is planted as a link elsewhere leaves that place untouched.
- A staging folder that is a link (planted in the store) is removed on opening, or refused while open.
All through the command line (exit code, ``error:``, no traceback) or the store, with the data compared before
and after."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from euaigraph.graph.cli import app
from euaigraph.graph.load.pipeline import ingest
from euaigraph.graph.store.base import StoreError
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest.base import Feed

from .support import dataset_hash, probe_spec, write_probe_feed

SECRET = "the-secret-that-must-not-be-copied\n"


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Messages unwrapped, whatever terminal (or none) the tests run in."""
    from euaigraph.graph.cli import commands

    for console in (commands.console, commands.err):
        monkeypatch.setattr(console, "_width", 400)


def cli(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "250", "NO_COLOR": "1"})


@pytest.fixture
def store(tmp_path) -> Path:
    home = tmp_path / "store"
    write_probe_feed(tmp_path / "probe.ttl")
    with EmbeddedStore(home, writable=True) as opened:
        ingest(opened, probe_spec(), Feed.from_path(tmp_path / "probe.ttl"))
    return home


def hashed(home: Path) -> str:
    with EmbeddedStore(home) as opened:
        return dataset_hash(opened)


def contains_secret(folder: Path) -> bool:
    return any(SECRET.encode() in path.read_bytes() for path in folder.rglob("*")
               if path.is_file() and not path.is_symlink())


@pytest.fixture
def backup(store, tmp_path) -> Path:
    target = tmp_path / "backup"
    assert cli("--store", str(store), "backup", str(target)).exit_code == 0
    return target


def _plant_file_link(backup: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    os.symlink(secret, backup / "CURRENT-extra")


def _plant_dir_link(backup: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    os.symlink(outside, backup / "linked")


def _plant_loop(backup: Path, tmp_path: Path) -> None:
    os.symlink(backup / "loop", backup / "loop")
    (backup / "sub").mkdir()
    os.symlink(backup, backup / "sub" / "up")


@pytest.mark.parametrize("plant", [_plant_file_link, _plant_dir_link, _plant_loop],
                         ids=["link-to-a-secret-file", "linked-folder", "link-loop"])
def test_restore_refuses_a_backup_with_links(store, backup, tmp_path, plant):
    """Input: a real backup with a link planted in it, restored with ``euaigraph restore``. Expected: exit code 1,
    an error naming the link, no traceback; the store's dataset unchanged; the secret copied nowhere."""
    before = hashed(store)
    plant(backup, tmp_path)
    result = cli("--store", str(store), "restore", str(backup))
    assert result.exit_code == 1
    assert "error:" in result.output and "refused" in result.output and "symbolic link" in result.output
    assert "Traceback" not in result.output
    assert hashed(store) == before
    assert not contains_secret(store)


def test_export_does_not_write_through_a_planted_partial_link(store, tmp_path):
    """Input: ``F.partial`` is a link to a victim file, then ``euaigraph export -o F``. Expected: F holds the export,
    the victim is unchanged, no ``F.partial`` is left."""
    victim = tmp_path / "victim.txt"
    victim.write_text("victim\n")
    output = tmp_path / "out.trig"
    os.symlink(victim, tmp_path / "out.trig.partial")
    result = cli("--store", str(store), "export", "-o", str(output))
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "victim\n"
    assert output.is_file() and not output.is_symlink() and output.stat().st_size > 1000
    assert not os.path.lexists(tmp_path / "out.trig.partial")


def test_export_replaces_a_link_at_the_target_instead_of_following_it(store, tmp_path):
    """Input: F itself is a link to a victim file. Expected: F becomes the export (a plain file), the victim is
    unchanged."""
    victim = tmp_path / "victim.txt"
    victim.write_text("victim\n")
    output = tmp_path / "out.nq"
    os.symlink(victim, output)
    assert cli("--store", str(store), "export", "-o", str(output), "-f", "nquads").exit_code == 0
    assert victim.read_text() == "victim\n"
    assert not output.is_symlink() and output.stat().st_size > 1000


def test_backup_does_not_write_into_a_planted_partial_link(store, tmp_path):
    """Input: the backup's hidden ``.backup.partial`` is a link to another folder. Expected: the backup is made,
    the other folder stays empty."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, tmp_path / ".backup.partial")
    result = cli("--store", str(store), "backup", str(tmp_path / "backup"))
    assert result.exit_code == 0, result.output
    assert list(elsewhere.iterdir()) == []
    assert (tmp_path / "backup").is_dir() and not (tmp_path / "backup").is_symlink()


def test_staging_link_is_removed_on_opening_and_refused_while_open(store, tmp_path):
    """Input: ``<store>/staging`` made a link to an outside folder, then an ingest; then the link planted again
    while the store is open. Expected: the first ingest stages inside the store (the outside folder stays empty,
    staging is a real folder); the second fails with StoreError naming the link, the data unchanged."""
    outside = tmp_path / "outside"
    outside.mkdir()
    staging = store / "staging"
    if os.path.lexists(staging):
        os.rmdir(staging)
    os.symlink(outside, staging)
    write_probe_feed(tmp_path / "probe-b.ttl", version="B")
    with EmbeddedStore(store, writable=True) as opened:
        ingest(opened, probe_spec(), Feed.from_path(tmp_path / "probe-b.ttl"))
        assert staging.is_dir() and not staging.is_symlink()
        assert list(outside.iterdir()) == []
        before = dataset_hash(opened)
        staging.rmdir()
        os.symlink(outside, staging)
        with pytest.raises(StoreError, match="not a folder"):
            ingest(opened, probe_spec(), Feed.from_path(tmp_path / "probe.ttl"))
        assert dataset_hash(opened) == before
    assert list(outside.iterdir()) == []
