"""The W3C SPARQL 1.1 query test suite, fetched at test time from the rdflib sdist of the installed version.

``suite()`` downloads ``rdflib==<installed>`` as an sdist with pip (once; into ``$XDG_CACHE_HOME/euaigraph`` or
``~/.cache/euaigraph``, reused across runs and shared safely by parallel test workers), extracts the
``test/data/suites/w3c/sparql11`` folder and reads the manifests (Turtle) of the categories that make up
"SPARQL 1.1 Query Language" conformance, plus the CSV/TSV and JSON result-format categories.
"""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
SUITE_PATH = "test/data/suites/w3c/sparql11"
#: The result-format categories checked besides the query-language ones.
RESULT_FORMATS = ("csv-tsv-res", "json-res")


class SuiteUnavailable(RuntimeError):
    """pip could not fetch the rdflib sdist (no network, no index)."""


@dataclass(frozen=True)
class Case:
    """One test of the suite: its id (``category/name``), kind, files and expected result."""

    id: str
    kind: str  # QueryEvaluationTest | CSVResultFormatTest | PositiveSyntaxTest11 | NegativeSyntaxTest11
    query: Path
    data: tuple[Path, ...] = ()
    graph_data: tuple[Path, ...] = ()
    result: Path | None = None
    extra: tuple[str, ...] = field(default=())

    @property
    def dataset(self) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
        return self.data, self.graph_data

    @property
    def text(self) -> str:
        """The query, with its file's IRI as BASE as the suite intends (unless it sets one itself)."""
        body = self.query.read_text(encoding="utf-8")
        return body if re.search(r"(?im)^\s*BASE\s*<", body) else f"BASE <{self.query.as_uri()}>\n{body}"


def cache_dir() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "euaigraph" / f"w3c-sparql11-rdflib-{version('rdflib')}"


def suite() -> Path:
    """The extracted ``sparql11`` folder, downloading and extracting it once (under a file lock)."""
    folder = cache_dir()
    done = folder / "sparql11" / ".complete"
    if done.exists():
        return done.parent
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            _download_and_extract(folder)
            done.write_text(version("rdflib"))
    return done.parent


def _download_and_extract(folder: Path) -> None:
    wanted = version("rdflib")
    sdists = sorted(folder.glob(f"rdflib-{wanted}.tar.gz"))
    if not sdists:
        command = [sys.executable, "-m", "pip", "download", f"rdflib=={wanted}", "--no-binary", ":all:",
                   "--no-deps", "--quiet", "-d", str(folder)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        sdists = sorted(folder.glob(f"rdflib-{wanted}.tar.gz"))
        if done.returncode != 0 or not sdists:
            raise SuiteUnavailable(f"pip could not download the rdflib {wanted} sdist: {done.stderr.strip()[-500:]}")
    prefix = f"rdflib-{wanted}/{SUITE_PATH}/"
    target = folder / "sparql11"
    with tarfile.open(sdists[0]) as archive:
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith(prefix):
                path = target / member.name[len(prefix):]
                path.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source:
                    path.write_bytes(source.read())


def categories(root: Path) -> list[str]:
    """The folders listed as "SPARQL 1.1 Query Language" conformance requirements, then the result formats."""
    graph = Graph().parse(root / "manifest-all.ttl", format="turtle", publicID=(root / "manifest-all.ttl").as_uri())
    spec = URIRef("http://www.w3.org/TR/sparql11-query/")
    listed = Collection(graph, graph.value(spec, MF.conformanceRequirement))
    return [Path(str(item).removeprefix("file://")).parent.name for item in listed] + list(RESULT_FORMATS)


def _path(term) -> Path:
    return Path(str(term).removeprefix("file://"))


def cases(root: Path) -> list[Case]:
    """Every test of the chosen categories, in manifest order."""
    out = []
    for category in categories(root):
        manifest = root / category / "manifest.ttl"
        graph = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
        head = next(graph.subjects(RDF.type, MF.Manifest))
        for entry in Collection(graph, graph.value(head, MF.entries)):
            kind = str(graph.value(entry, RDF.type)).rsplit("#", 1)[-1]
            action = graph.value(entry, MF.action)
            name = str(entry).rsplit("#", 1)[-1]
            result = graph.value(entry, MF.result)
            if isinstance(action, URIRef):  # syntax tests: the action is the query file itself
                out.append(Case(f"{category}/{name}", kind, _path(action)))
                continue
            out.append(Case(
                f"{category}/{name}", kind, _path(graph.value(action, QT.query)),
                data=tuple(sorted(_path(d) for d in graph.objects(action, QT.data))),
                graph_data=tuple(sorted(_path(d) for d in graph.objects(action, QT.graphData))),
                result=_path(result) if result is not None else None,
                extra=tuple(sorted(str(p).rsplit("#", 1)[-1] for p in graph.predicates(action)
                                   if p not in (QT.query, QT.data, QT.graphData)))))
    return out


def deviations(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """The reviewed deviations: ``(backend or "*", test id) -> (reason, text the failure must contain)``.

    Lines are ``[backend:]category/name: reason | failure text``; the failure text pins down *how* the test fails,
    so a listed test failing some other way is still a failure.
    """
    out = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, rest = line.partition(": ")
        reason, _, expected = rest.partition(" | ")
        if not reason or not expected:
            raise ValueError(f"{path}:{number}: expected '[backend:]id: reason | failure text'")
        backend, _, test_id = key.rpartition(":")
        out[(backend or "*", test_id)] = (reason.strip(), expected.strip())
    return out
