"""Fixtures of the reliability suite: child processes (``child.py``) that are killed with SIGKILL at chosen points,
and stores holding a known previous version of the probe source."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import ingest
from euaigraph.ingest.base import Feed
from security.support import PROBE_STATE, content_hash, probe_spec, state, write_probe_feed

CHILD = Path(__file__).with_name("child.py")
TESTS = Path(__file__).resolve().parents[1]


class Child:
    """``python child.py ARGS`` with the tests folder on the path; :meth:`kill` sends SIGKILL."""

    def __init__(self, *args: str, marker: Path | None = None):
        self.marker = marker
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
        self.process = subprocess.Popen([sys.executable, str(CHILD), *args], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def wait_marker(self, text: str, timeout: float = 120) -> None:
        """Wait until the child wrote ``text`` to its marker file (or fail with its output if it exited)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.marker and self.marker.exists() and text in self.marker.read_text():
                return
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                raise AssertionError(f"child exited ({self.process.returncode}) before {text!r}: "
                                     f"{err.decode()[-2000:]}")
            time.sleep(0.02)
        raise AssertionError(f"child did not reach {text!r} within {timeout} s")

    def kill(self) -> None:
        """SIGKILL the child, which must still be running (it waits at a pause point)."""
        assert self.kill_unless_done(), "the child ended before it could be killed"

    def kill_unless_done(self) -> bool:
        """SIGKILL the child unless it already ended; True when the kill ended it. The child may end on its own
        between any check and the signal, so the exit code decides, not a prior poll."""
        if self.process.poll() is None:  # not reaped yet: even if it has just exited, the signal finds the zombie
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(30)
        if self.process.returncode == -signal.SIGKILL:
            return True
        _, err = self.process.communicate()
        assert self.process.returncode == 0, err.decode()[-3000:]
        return False

    def finish(self, timeout: float = 300) -> str:
        out, err = self.process.communicate(timeout=timeout)
        assert self.process.returncode == 0, err.decode()[-3000:]
        return out.decode()


@pytest.fixture(scope="session")
def servers(oxigraph_server):
    """Starts more real Oxigraph servers (own folder, read-only or with a server time limit): the class behind
    the session's ``oxigraph_server`` fixture, taken from it because ``conftest`` is not importable by name."""
    return type(oxigraph_server)


@dataclass(frozen=True)
class Version:
    """One version of the probe source: its feed file, and what a complete view of it shows."""

    feed: Path
    state: tuple[int, int, str]
    content: str


@dataclass(frozen=True)
class Versions:
    home: Path
    a: Version
    b: Version


def make_version(folder: Path, name: str, n: int) -> tuple[Path, tuple[int, int, str], str]:
    feed = folder / f"probe-{name}.ttl"
    count, total = write_probe_feed(feed, version=name, n=n)
    with EmbeddedStore(folder / f"reference-{name}", writable=True) as reference:
        ingest(reference, probe_spec(), Feed.from_path(feed))
        content = content_hash(reference)
    return feed, (count, total, name), content


@pytest.fixture(scope="session")
def probe_versions(tmp_path_factory):
    """Feeds of probe versions A (300 values) and B (5,000 values, so a bulk load takes a moment), with the
    state and content hash each shows when loaded alone."""
    folder = tmp_path_factory.mktemp("versions")
    return {name: Version(*make_version(folder, name, n)) for name, n in (("A", 300), ("B", 5_000))}


@pytest.fixture
def store_with_a(tmp_path, probe_versions) -> Versions:
    """A closed embedded store whose probe source is version A."""
    home = tmp_path / "store"
    with EmbeddedStore(home, writable=True) as store:
        ingest(store, probe_spec(), Feed.from_path(probe_versions["A"].feed))
    return Versions(home, probe_versions["A"], probe_versions["B"])


def observed(store) -> tuple[tuple[int, int, str], str]:
    """What a store shows of the probe source: (count, sum, versions) and its content hash."""
    return state(store.execute(PROBE_STATE).rows), content_hash(store)
