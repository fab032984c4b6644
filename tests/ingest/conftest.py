"""Helpers for ingester tests: run a source's parser on a path, compare with a reviewed golden file."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from euaigraph.ingest.base import Feed, Report, SourceSpec

from .recording_server import RecordingServer

GOLDEN = Path(__file__).parent / "golden"
#: A fixed file time for copied feed files: the retrieval date their records carry (2026-01-15).
FIXED = datetime(2026, 1, 15, tzinfo=UTC).timestamp()


def parse_source(spec: SourceSpec, path: Path, *, url: str | None = None) -> tuple[Graph, Report]:
    """Run ``spec.parse`` on a file or folder; return the triples as a graph and the report."""
    report = Report(spec.id)
    graph = Graph()
    for triple in spec.parse(Feed.from_path(path, url=url), report):
        graph.add(triple)
    return graph, report


def assert_golden(graph: Graph, name: str) -> None:
    """Compare with ``golden/<name>.ttl`` by graph isomorphism; print the difference on failure.

    Set ``EUAIGRAPH_WRITE_GOLDEN=1`` to write a missing golden file for review (it is never overwritten).
    """
    path = GOLDEN / f"{name}.ttl"
    if not path.exists():
        if os.environ.get("EUAIGRAPH_WRITE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            graph.serialize(path, format="turtle")
            pytest.fail(f"wrote {path} for review; check it by hand, then run again")
        pytest.fail(f"no golden file {path}")
    expected = Graph().parse(path, format="turtle")
    if isomorphic(to_isomorphic(graph), to_isomorphic(expected)):
        return
    _both, only_actual, only_expected = graph_diff(to_isomorphic(graph), to_isomorphic(expected))
    lines = ["graph differs from " + str(path)]
    lines += ["+ " + " ".join(t.n3() for t in triple) for triple in sorted(only_actual)[:40]]
    lines += ["- " + " ".join(t.n3() for t in triple) for triple in sorted(only_expected)[:40]]
    pytest.fail("\n".join(lines))


def write(folder: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``folder`` (a hand-made feed); returns the folder."""
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def http_server():
    """A real HTTP server on 127.0.0.1 serving recorded responses."""
    with RecordingServer() as server:
        yield server
