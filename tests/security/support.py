"""Helpers shared by ``tests/security`` and ``tests/reliability``.

- :class:`Recorder`: a real HTTP server on 127.0.0.1 that answers every request with a usable body (Turtle,
  SPARQL JSON, a DTD...) and records it, so "zero requests recorded" means nothing reached out, while a reach that
  did happen would have succeeded;
- :func:`dataset_lines` / :func:`dataset_hash`: the canonical, sorted N-Quads of a store, the measure of "nothing
  lost, nothing changed";
- :func:`probe_spec` / :func:`write_probe_feed`: a small source (Turtle through ``ingest/safe_parse.py``) with two
  distinguishable, internally consistent versions, loaded through the real ``graph.load`` path;
- :func:`ref_of`: the worker reference of a store, so queries run through ``QueryWorkers`` like the explorer's.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from euaigraph.graph.store.base import Store
from euaigraph.graph.query.worker import StoreRef
from euaigraph.ingest.base import PRIORITY_THIRD_PARTY, Feed, Report, SourceSpec, Triple
from euaigraph.ingest.safe_parse import parse_rdf
from euaigraph.ontology.namespaces import META_GRAPH

PROBE = "http://probe.example/"
VALUE = URIRef(PROBE + "value")
VERSION = URIRef(PROBE + "version")

#: One query that sees a whole probe version: how many values, their sum and which version markers are visible.
PROBE_STATE = f"""SELECT ?n ?sum ?versions WHERE {{
  {{ SELECT (COUNT(?v) AS ?n) (SUM(?v) AS ?sum) WHERE {{ ?item <{VALUE}> ?v }} }}
  {{ SELECT (GROUP_CONCAT(DISTINCT ?ver; separator=" ") AS ?versions) WHERE {{ ?marker <{VERSION}> ?ver }} }}
}}"""

_BODIES = {
    "json": ("application/sparql-results+json", b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'),
    "ttl": ("text/turtle", b"<http://probe.example/fetched> <http://probe.example/p> <http://probe.example/o> .\n"),
    "dtd": ("application/xml-dtd", b'<!ENTITY fetched "reached">\n'),
    "jsonld": ("application/ld+json", b'{"@context": {"name": "http://schema.org/name"}}'),
}


@dataclass(frozen=True)
class Seen:
    method: str
    path: str


class Recorder:
    """Answers GET/POST/HEAD on any path and records ``(method, path)``. Body by path suffix: ``.ttl`` Turtle,
    ``.dtd`` a DTD, ``.jsonld`` a JSON-LD context, anything else an empty SPARQL JSON result."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args) -> None:
                pass

            def _answer(self) -> None:
                recorder.requests.append(Seen(self.command, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                suffix = self.path.split("?", 1)[0].rsplit(".", 1)[-1]
                ctype, body = _BODIES.get(suffix, _BODIES["json"])
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _answer  # noqa: N815 - the http.server API

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def url(self, path: str = "/sparql") -> str:
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# -- "nothing lost": canonical dumps ----------------------------------------------------------------------------
def dataset_lines(store: Store, *, include_meta: bool = True) -> list[str]:
    """The store's whole visible dataset as sorted N-Quads lines (optionally without the meta graph).

    Blank nodes would make the comparison depend on labels, so a dataset with any is refused here rather than
    compared wrongly (the project's graphs have none).
    """
    buffer = io.BytesIO()
    store.export(buffer, format="nquads")
    lines = []
    for quad in ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS):
        if not include_meta and isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value == str(META_GRAPH):
            continue
        if any(isinstance(t, ox.BlankNode) for t in (quad.subject, quad.object, quad.graph_name)):
            raise ValueError(f"blank node in {quad}: canonical comparison needs a bnode-free dataset")
        lines.append(str(quad))
    return sorted(lines)


def dataset_hash(store: Store, *, include_meta: bool = True) -> str:
    """sha256 of :func:`dataset_lines` (with the number of quads, for readable failures)."""
    lines = dataset_lines(store, include_meta=include_meta)
    return f"{len(lines)}:{hashlib.sha256(chr(10).join(lines).encode()).hexdigest()}"


def content_hash(store: Store) -> str:
    """sha256 of the sorted triples of every graph but the meta graph, graph names left out: the same content
    loaded by two different runs (whose graph IRIs differ) hashes the same."""
    triples = sorted(set(_triples(store)))
    return f"{len(triples)}:{hashlib.sha256(chr(10).join(triples).encode()).hexdigest()}"


def _triples(store: Store) -> Iterator[str]:
    buffer = io.BytesIO()
    store.export(buffer, format="nquads")
    for quad in ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value == str(META_GRAPH):
            continue
        yield str(ox.Triple(quad.subject, quad.predicate, quad.object))


# -- the probe source -------------------------------------------------------------------------------------------
def probe_values(version: str, n: int) -> list[int]:
    """The integers of one version: distinct per version, so count and sum tell versions apart."""
    offset = {"A": 1, "B": 100_001}.get(version, 7)
    return [offset + i for i in range(n)]


def write_probe_feed(path: Path, *, version: str = "A", n: int = 200) -> tuple[int, int]:
    """Write one version of the probe feed (Turtle); return the (count, sum) a complete view of it shows."""
    values = probe_values(version, n)
    lines = [f"<{PROBE}item/{version}/{i}> <{VALUE}> {v} ." for i, v in enumerate(values)]
    lines.append(f'<{PROBE}marker> <{VERSION}> "{version}" .')
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(values), sum(values)


def probe_spec(source_id: str = "probe", *, min_triples: int = 1) -> SourceSpec:
    """A third-party source whose feed is one RDF file, parsed by ``safe_parse.parse_rdf``."""

    def parse(feed: Feed, report: Report) -> Iterator[Triple]:
        report.file_read(feed.path.name)
        for triple in parse_rdf(source_id, feed.path):
            report.read()
            report.ingested()
            yield triple

    # The probe swaps versions of very different sizes on purpose: no shrink is a sign of a cut feed here.
    return SourceSpec(id=source_id, title=f"Probe feed {source_id}", homepage="https://probe.example/",
                      data_licence="CC0-1.0", parse=parse, min_triples=min_triples, priority=PRIORITY_THIRD_PARTY,
                      max_shrink=1.0)


def state(rows) -> tuple[int, int, str]:
    """(count, sum, versions) from the answer to :data:`PROBE_STATE`."""
    n, total, versions = rows[0]
    return int(n), int(total or 0), str(versions or "")


def ref_of(store: Store) -> StoreRef:
    """How a worker process opens the same store."""
    endpoint = getattr(store, "endpoint", None)
    return StoreRef(endpoint=endpoint) if endpoint is not None else StoreRef(home=str(store.home))
