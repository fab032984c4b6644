"""Fixtures of the security suite: a recording HTTP server and stores (both backends) loaded with the probe feed,
with query workers as the explorer uses them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from euaigraph.graph.load.pipeline import ingest
from euaigraph.graph.store.base import Store
from euaigraph.graph.query.worker import QueryWorkers
from euaigraph.ingest.base import Feed

from .support import Recorder, probe_spec, ref_of, write_probe_feed


@pytest.fixture(scope="session")
def servers(oxigraph_server):
    """Starts more real Oxigraph servers (own folder, read-only or with a server time limit): the class behind
    the session's ``oxigraph_server`` fixture, taken from it because ``conftest`` is not importable by name."""
    return type(oxigraph_server)


@pytest.fixture
def recorder():
    server = Recorder()
    yield server
    server.close()


@dataclass
class Loaded:
    """A store holding probe version A, its backend name and a pool of query workers on it."""

    backend: str
    store: Store
    workers: QueryWorkers
    expected: tuple[int, int]
    folder: Path


def open_backend(request, backend: str, folder: Path) -> Store:
    """A writable, empty store on ``backend``; the remote one is the session's Oxigraph server, cleared."""
    if backend == "embedded":
        from euaigraph.graph.store.embedded import EmbeddedStore

        return EmbeddedStore(folder / "store", writable=True)
    from euaigraph.graph.store.remote import RemoteStore

    server = request.getfixturevalue("oxigraph_server")
    server.clear()
    return RemoteStore(server.endpoint())


@pytest.fixture(scope="module", params=["embedded", "remote"])
def loaded(request, tmp_path_factory):
    """Probe version A (200 values) on each backend, shared by a module's tests, which must leave it unchanged."""
    folder = tmp_path_factory.mktemp(f"loaded-{request.param}")
    store = open_backend(request, request.param, folder)
    feed = folder / "probe-a.ttl"
    expected = write_probe_feed(feed, version="A")
    ingest(store, probe_spec(), Feed.from_path(feed))
    with QueryWorkers(ref_of(store), size=2) as workers:
        yield Loaded(request.param, store, workers, expected, folder)
    store.close()
