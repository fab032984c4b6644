"""Start the SPARQL engines euaigraph is tested and benchmarked on, each on a free 127.0.0.1 port in a folder of
its own, with credentials made up at start (never written to the repository):

- :class:`VirtuosoServer`: Debian's ``virtuoso-t`` with ``engines/virtuoso/virtuoso.ini``; a user allowed to
  write through digest authentication (``engines/virtuoso/grant.sql``);
- :class:`JenaFront`: Debian's Jena 4.5 (ARQ + TDB2) behind ``engines/jena/SparqlFront.java``, compiled by
  ``engines/jena/build``; writing needs basic authentication.

Used by ``tests/conftest.py`` and ``bench/``; the Oxigraph server needs no help (``oxigraph serve``).
"""

from __future__ import annotations

import configparser
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from euaigraph.graph.store.config import Endpoint

ENGINES = Path(__file__).resolve().parent
#: Graphs Virtuoso keeps for itself; clearing the server leaves them.
_VIRTUOSO_OWN = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://localuriqaserver/")


class EngineMissing(RuntimeError):
    """The engine is not installed on this machine (the message says which package provides it)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, what: str, *, seconds: float, log: Path | None = None) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            said = log.read_text(errors="replace")[-1500:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with status {process.returncode}: {said}")
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{what} did not answer within {seconds:.0f} s")


class _Server:
    base: str
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class VirtuosoServer(_Server):
    """``virtuoso-t -f`` in ``folder``; ``result_rows`` overrides ResultSetMaxRows (to test truncation)."""

    def __init__(self, folder: Path, *, result_rows: int | None = None, timeout_s: float = 30.0):
        binary = shutil.which("virtuoso-t")
        isql = shutil.which("isql-vt")
        if not binary or not isql:
            raise EngineMissing("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.timeout_s = timeout_s
        self.user, self.password = "euaigraph", secrets.token_urlsafe(18)
        config = configparser.ConfigParser(interpolation=None, strict=False, inline_comment_prefixes=(";",))
        config.optionxform = str  # Virtuoso's keys are case-sensitive
        config.read(ENGINES / "virtuoso" / "virtuoso.ini")
        config["Parameters"]["ServerPort"] = f"127.0.0.1:{self.sql_port}"
        config["HTTPServer"]["ServerPort"] = f"127.0.0.1:{self.http_port}"
        if result_rows is not None:
            config["SPARQL"]["ResultSetMaxRows"] = str(result_rows)
        with (self.folder / "virtuoso.ini").open("w") as handle:
            config.write(handle)
        self.process = subprocess.Popen([binary, "-f", "-c", "virtuoso.ini"], cwd=self.folder,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(f"{self.base}/sparql", self.process, "virtuoso-t", seconds=120, log=self.folder / "virtuoso.log")
        grant = (ENGINES / "virtuoso" / "grant.sql").read_text()
        sql = grant.replace("{user}", self.user).replace("{password}", self.password)
        # A fresh database's dba password is "dba": replace it with one nobody knows.
        sql += f"\nUSER_CHANGE_PASSWORD ('dba', 'dba', '{secrets.token_urlsafe(18)}');\n"
        done = subprocess.run([isql, f"127.0.0.1:{self.sql_port}", "dba", "dba"], input=sql, text=True,
                              capture_output=True, timeout=60)
        if done.returncode != 0 or "*** Error" in done.stdout:
            self.stop()
            raise RuntimeError(f"setting up Virtuoso's user failed: {done.stdout[-800:]} {done.stderr[-400:]}")

    def endpoint(self, endpoint_id: str = "virtuoso", *, read_only: bool = False) -> Endpoint:
        return Endpoint(id=endpoint_id, query=f"{self.base}/sparql",
                        update=None if read_only else f"{self.base}/sparql-auth",
                        store=f"{self.base}/sparql-graph-crud-auth", union="none", auth="digest", user=self.user,
                        password=self.password, timeout_s=self.timeout_s)

    def clear(self) -> None:
        """Drop every graph but Virtuoso's own."""
        from euaigraph.graph.store.remote import RemoteStore

        with RemoteStore(self.endpoint("clear")) as store:
            for graph, _n in store._plain("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
                if graph and not graph.startswith(_VIRTUOSO_OWN):
                    store._meta_update(f"DROP SILENT GRAPH <{graph}>")


def build_jena_front(out: Path | None = None) -> Path:
    """Compile the Jena front (once per folder) and return the folder holding its classes and ``classpath``."""
    out = Path(out or Path(tempfile.gettempdir()) / f"euaigraph-jena-front-{os.getuid()}")
    source = ENGINES / "jena" / "SparqlFront.java"
    stamp = out / "built-from"
    fingerprint = f"{source.stat().st_mtime_ns} {source.stat().st_size}"
    if stamp.exists() and stamp.read_text() == fingerprint and (out / "classpath").exists():
        return out
    if not shutil.which("javac"):
        raise EngineMissing("javac is not installed (Debian: apt-get install default-jdk-headless)")
    if not Path(os.environ.get("JENA_JARS", "/usr/share/java"), "jena-arq.jar").exists():
        raise EngineMissing("Jena is not installed (Debian: apt-get install libapache-jena-java)")
    work = Path(tempfile.mkdtemp(prefix="jena-front-", dir=out.parent))
    done = subprocess.run([str(ENGINES / "jena" / "build"), str(work)], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"compiling the Jena front failed: {done.stderr[-1500:]}")
    (work / "classpath").write_text((work / "classpath").read_text().replace(str(work), str(out)))
    (work / "built-from").write_text(fingerprint)
    if stamp.exists() and stamp.read_text() == fingerprint:  # another process built it meanwhile: keep theirs
        shutil.rmtree(work, ignore_errors=True)
        return out
    shutil.rmtree(out, ignore_errors=True)
    work.rename(out)  # a complete folder appears at once
    return out


class JenaFront(_Server):
    """``java SparqlFront`` over a TDB2 database in ``folder``."""

    def __init__(self, folder: Path, *, timeout_s: float = 30.0, heap: str = "1g"):
        if not shutil.which("java"):
            raise EngineMissing("java is not installed (Debian: apt-get install default-jre-headless)")
        classes = build_jena_front()
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.timeout_s = timeout_s
        self.user, self.password = "euaigraph", secrets.token_urlsafe(18)
        env = {**os.environ, "EUAIGRAPH_FRONT_PASSWORD": self.password}
        log = self.folder / "front.log"
        with log.open("w") as handle:
            self.process = subprocess.Popen(
                ["java", f"-Xmx{heap}", "-cp", (classes / "classpath").read_text().strip(), "SparqlFront",
                 "--location", str(self.folder / "tdb2"), "--port", str(self.port), "--timeout-s", str(timeout_s),
                 "--user", self.user], env=env, stdout=handle, stderr=subprocess.STDOUT)
        _wait(f"{self.base}/query", self.process, "the Jena front", seconds=120, log=log)

    def endpoint(self, endpoint_id: str = "jena", *, read_only: bool = False) -> Endpoint:
        return Endpoint(id=endpoint_id, query=f"{self.base}/query", update=None if read_only else f"{self.base}/update",
                        store=f"{self.base}/store", union="native", auth="basic", user=self.user,
                        password=self.password, timeout_s=self.timeout_s)

    def clear(self) -> None:
        requests.post(f"{self.base}/update", data={"update": "DROP ALL"}, auth=(self.user, self.password),
                      timeout=120).raise_for_status()
