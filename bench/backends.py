"""The baseline and the server the runner needs besides the embedded store.

- :class:`RdflibBaseline`: an rdflib ``Dataset`` in memory with a union default graph, queried with rdflib's own
  SPARQL engine: the baseline every figure is compared with.
- :class:`OxigraphServer`: a real ``oxigraph serve`` on 127.0.0.1 with its own data folder, started and stopped
  by the runner, reached through :class:`euaigraph.graph.store.remote.RemoteStore`.
- :func:`start_engine`: Virtuoso or the Jena front (engines/launch.py), likewise.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from rdflib import Dataset, URIRef

from euaigraph.graph.store.config import Endpoint

from .timing import deadline


class RdflibBaseline:
    """rdflib in memory: one named graph per source file, queries over their union."""

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)

    def load(self, graph: str, path: Path) -> int:
        """Parse an N-Triples file into the named graph ``graph``; returns its triple count."""
        target = self.dataset.graph(URIRef(graph))
        target.parse(str(path), format="nt")
        return len(target)

    def query(self, text: str, *, row_cap: int | None = None, limit_s: float | None = None) -> int:
        """Run a query to completion (or to the row cap) and return the number of rows (1 for ASK)."""
        with deadline(limit_s):
            result = self.dataset.query(text)
            if result.type == "ASK":
                return 1
            rows = 0
            for _ in result:
                rows += 1
                if row_cap is not None and rows >= row_cap:
                    break
            return rows

    def __len__(self) -> int:
        return sum(len(g) for g in self.dataset.graphs())


def oxigraph_binary() -> str:
    candidate = Path(sys.executable).with_name("oxigraph")
    found = str(candidate) if candidate.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the Oxigraph server is not installed: pip install -e '.[bench]' (package 'oxigraph')")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """``oxigraph serve`` on 127.0.0.1 with an on-disk store in ``location`` and a per-query time limit."""

    def __init__(self, location: Path, *, timeout_s: int = 60):
        self.location = Path(location)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.timeout_s = timeout_s
        command = [oxigraph_binary(), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}",
                   "--timeout-s", str(timeout_s)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline_at = time.time() + 60
        while time.time() < deadline_at:
            try:
                requests.get(f"{self.base}/query", params={"query": "ASK {}"}, timeout=1)
                return
            except requests.ConnectionError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"oxigraph serve exited: {self.process.stderr.read().decode()[:500]}") from None
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph serve did not start within 60 s")

    def endpoint(self) -> Endpoint:
        return Endpoint(id="bench", query=f"{self.base}/query", update=f"{self.base}/update",
                        store=f"{self.base}/store", timeout_s=float(self.timeout_s + 5))

    def disk_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.location.rglob("*") if p.is_file())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def __enter__(self) -> OxigraphServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


#: Engines started through engines/launch.py, as (result column, class name).
ENGINES = (("virtuoso", "VirtuosoServer"), ("jena", "JenaFront"))


def start_engine(name: str, folder: Path, *, limit_s: float):
    """Start Virtuoso or the Jena front in ``folder``; the client gives up on a query after ``limit_s``.

    Virtuoso keeps its configured time limit (300 s): with MaxQueryExecutionTime at 30 s, a query that reached it
    left Virtuoso 7.2 answering nothing more (every later query timed out)."""
    from engines import launch  # a folder of the repository: the runner runs from its root

    if name == "virtuoso":
        return launch.VirtuosoServer(folder, timeout_s=limit_s)
    return launch.JenaFront(folder, timeout_s=limit_s, heap="4g")
