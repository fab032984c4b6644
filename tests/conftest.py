"""Shared fixtures: recorded feeds, real SPARQL servers, stores on every backend, the shipped graph.

Tests that read ``../shared/data`` skip with a clear message when it is missing, except in CI (``CI=true``),
where a missing folder is a failure. Tests that need a server start a real one on 127.0.0.1 in a folder of its
own: ``oxigraph serve``, Virtuoso (``virtuoso-t`` with engines/virtuoso/virtuoso.ini) and Jena behind the
project's SPARQL front (engines/jena); in CI a missing engine is a failure too. Tests on Virtuoso or Jena run on
one xdist worker (group ``engines``), so a parallel run starts each engine once.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"

# In CI the property tests draw the same examples on every run, so that a gate fails only for a change; elsewhere
# they draw new ones each run and keep what failed in .hypothesis/ (found inputs become @example lines).
settings.register_profile("ci", derandomize=True, database=None)
if IN_CI:
    settings.load_profile("ci")


def shared_data_dir() -> Path:
    return Path(os.environ.get("EUAIGRAPH_SHARED_DATA") or REPO.parent / "shared" / "data").resolve()


def _missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} (CI=true: this is a failure, not a skip)")
    pytest.skip(what)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The recorded feeds (``../shared/data``), used by path, never copied."""
    path = shared_data_dir()
    if not (path / "MANIFEST.csv").exists():
        _missing(f"recorded feeds not found at {path}; set EUAIGRAPH_SHARED_DATA to run these tests")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str | None:
    candidate = Path(sys.executable).with_name("oxigraph")
    return str(candidate) if candidate.exists() else shutil.which("oxigraph")


class OxigraphServer:
    """A real ``oxigraph serve`` on 127.0.0.1 with its own data folder. ``isolated`` (the default) runs it in a
    network namespace of its own, reached through a relay (``euaigraph.graph.query.isolated_server``), so that
    nothing it is asked can make it call another host; ``isolated=False`` is for the tests showing that a server
    would call out."""

    def __init__(self, location: Path, *, read_only: bool = False, timeout_s: int | None = None,
                 isolated: bool = True):
        binary = oxigraph_binary()
        if binary is None:
            _missing("the Oxigraph server is not installed (pip install oxigraph)")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.isolated = isolated
        command = [binary, "serve-read-only" if read_only else "serve", "--location", str(location),
                   "--bind", f"127.0.0.1:{self.port}"]
        if timeout_s:
            command += ["--timeout-s", str(timeout_s)]
        if isolated:
            command = [sys.executable, "-m", "euaigraph.graph.query.isolated_server",
                       "--relay", f"127.0.0.1:{self.port}:{self.port}", "--", *command]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                requests.get(f"{self.base}/query", params={"query": "ASK {}"}, timeout=1)
                return
            except requests.ConnectionError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"oxigraph serve exited: {self.process.stderr.read().decode()[:500]}")
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not start within 30 s")

    def endpoint(self, endpoint_id: str = "test", *, read_only: bool = False):
        from euaigraph.graph.store.config import Endpoint

        return Endpoint(id=endpoint_id, query=f"{self.base}/query",
                        update=None if read_only else f"{self.base}/update", store=f"{self.base}/store")

    def clear(self) -> None:
        requests.post(f"{self.base}/update", data="DROP ALL",
                      headers={"Content-Type": "application/sparql-update"}, timeout=30).raise_for_status()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


def _engine(name: str, folder: Path, what: str):
    """Start ``engines.launch.<name>`` in ``folder``; a missing engine skips (fails in CI)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))  # engines/ is a folder of the repository, not part of the package
    from engines import launch

    try:
        return getattr(launch, name)(folder)
    except launch.EngineMissing as exc:
        _missing(f"{what}: {exc}")


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """Virtuoso 7 with the project's configuration, a writing user with digest authentication."""
    server = _engine("VirtuosoServer", tmp_path_factory.mktemp("virtuoso"), "Virtuoso")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def jena_front(tmp_path_factory):
    """Jena 4.5 (ARQ, TDB2) behind the project's SPARQL front, writing with basic authentication."""
    server = _engine("JenaFront", tmp_path_factory.mktemp("jena"), "the Jena front")
    yield server
    server.stop()


#: backend name -> the session fixture of its server (None: the embedded store)
SERVERS = {"embedded": None, "remote": "oxigraph_server", "virtuoso": "virtuoso_server", "jena": "jena_front"}
ENGINES_GROUP = ("virtuoso", "jena")


def pytest_collection_modifyitems(items):
    """Tests that start Virtuoso or Jena run on one xdist worker, so that each engine starts once per run."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        uses = set(getattr(item, "fixturenames", ())) & {"virtuoso_server", "jena_front"}
        if uses or any(value in ENGINES_GROUP for value in params.values() if isinstance(value, str)):
            item.add_marker(pytest.mark.xdist_group("engines"))


@pytest.fixture(params=list(SERVERS))
def store(request, tmp_path):
    """A writable, empty store on each backend: the same tests run against all of them ("remote" is the Oxigraph
    server, as it was before Virtuoso and Jena joined)."""
    if request.param == "embedded":
        from euaigraph.graph.store.embedded import EmbeddedStore

        with EmbeddedStore(tmp_path / "store", writable=True) as embedded:
            yield embedded
    else:
        from euaigraph.graph.store.remote import RemoteStore

        server = request.getfixturevalue(SERVERS[request.param])
        server.clear()
        with RemoteStore(server.endpoint()) as remote:
            yield remote


@pytest.fixture(scope="session")
def shipped_home(tmp_path_factory) -> Path:
    """An embedded store holding the shipped graph (built once per session, then read-only)."""
    from euaigraph.graph.store.embedded import EmbeddedStore
    from euaigraph.graph.load.pipeline import ingest_many
    from euaigraph.ingest import registry

    home = tmp_path_factory.mktemp("shipped")
    with EmbeddedStore(home, writable=True) as store:
        outcomes = ingest_many(store, registry.build_jobs(), all_or_nothing=True)
    failed = [o.message for o in outcomes if not o.ok]
    assert not failed, failed
    return home


#: The recorded feed added to the shipped graph to give it a second data version (small, every kind of change).
SECOND_VERSION_FEED = ("huggingface", "hf_model_cards")


@pytest.fixture(scope="session")
def two_versions_home(tmp_path_factory, shared_data) -> Path:
    """An embedded store whose previous data version is the shipped graph and whose current one is the shipped graph
    plus one recorded feed (what `euaigraph diff previous current` compares)."""
    from euaigraph.graph.load.pipeline import ingest, ingest_many
    from euaigraph.graph.store.embedded import EmbeddedStore
    from euaigraph.ingest import registry
    from euaigraph.ingest.base import Feed

    home = tmp_path_factory.mktemp("two-versions")
    source, folder = SECOND_VERSION_FEED
    with EmbeddedStore(home, writable=True) as store:
        failed = [o.message for o in ingest_many(store, registry.build_jobs(), all_or_nothing=True) if not o.ok]
        assert not failed, failed
        ingest(store, registry.get(source), Feed.from_path(shared_data / folder))
    return home
