"""Snapshots a policy note can cite: the whole graph, or one view of it, as a zip with a ``manifest.json``.

A snapshot holds the quads (TriG, N-Quads, JSON-LD), their union as triples (Turtle), the entity network
(GraphML, GEXF, nodes/edges CSV in W3C and spreadsheet-safe form), a static HTML summary, any extra files the
caller adds (the explorer adds its interactive view) and ``manifest.json``: the sources with their versions and
retrieval times, counts, the software and data versions, and the sha256 of every other file. The zip is written
to a temporary file beside the target and renamed, so a process killed mid-way leaves no half-written snapshot.

The entity network and its file formats are :mod:`euaigraph.graph.network`.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from euaigraph import __version__
from euaigraph.ontology.namespaces import META_GRAPH, PREFIXES

from euaigraph.graph import dcat
from euaigraph.graph.citation import Citation, citation, snapshot_block
from euaigraph.graph.network import entity_network, gexf, graphml, network_tables, values_clause
from euaigraph.graph.store.base import Store
from euaigraph.graph.store.terms import to_oxigraph

EAI = PREFIXES["eai"]

def _summary_html(manifest: dict, net: nx.MultiDiGraph) -> bytes:
    """A static page (no scripts, nothing fetched): what the snapshot is, its sources and its nodes."""
    e = html.escape
    sources = "".join(f"<tr><td>{e(s['id'])}</td><td>{e(s['title'])}</td><td>{e(s['licence'] or '')}</td>"
                      f"<td>{e(s['version'] or '')}</td><td>{e(s['retrieved_at'] or '')}</td></tr>"
                      for s in manifest["sources"])
    nodes = "".join(f"<tr><td>{e(d['label'])}</td><td>{e(d['kind'])}</td><td>{e(d['country'])}</td>"
                    f"<td>{e(d['licence'])}</td><td><code>{e(n)}</code></td></tr>"
                    for n, d in sorted(net.nodes(data=True), key=lambda x: (x[1]["kind"], x[1]["label"])))
    page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>euaigraph snapshot "
            f"{e(manifest['data_version'])}</title></head><body><h1>euaigraph snapshot</h1>"
            f"<p>{e(manifest['scope'])}; data version {e(manifest['data_version'])}; created {e(manifest['created'])}"
            f" with euaigraph {e(manifest['software']['version'])}; {manifest['counts']['nodes']} nodes, "
            f"{manifest['counts']['edges']} edges, {manifest['counts']['quads']} quads.</p>"
            f"<h2>Sources</h2><table><tr><th>id</th><th>title</th><th>licence</th><th>version</th>"
            f"<th>retrieved</th></tr>{sources}</table><h2>Nodes</h2><table><tr><th>label</th><th>kind</th>"
            f"<th>country</th><th>licence</th><th>IRI</th></tr>{nodes}</table></body></html>")
    return page.encode("utf-8")


# -- snapshots ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class View:
    """Part of the graph: these nodes (IRIs), every fact about them, and what the analyst chose to see them."""

    nodes: frozenset[str]
    description: str = ""
    settings: Mapping[str, object] = field(default_factory=dict)


def _dump(store: Store, view: View | None, path: Path) -> None:
    """The quads of the snapshot as N-Quads at ``path``: the whole dataset, or the meta graph and every quad
    whose subject is a node of the view."""
    if view is None:
        with path.open("wb") as handle:
            store.export(handle, format="nquads")
        return
    rows = store.execute(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH <{META_GRAPH}> {{ ?s ?p ?o }} "
                         f"BIND(<{META_GRAPH}> AS ?g) }}").rows
    nodes = sorted(view.nodes)
    for start in range(0, len(nodes), 500):  # keep each query small
        rows += store.execute(f"SELECT ?g ?s ?p ?o WHERE {{ {values_clause('s', nodes[start:start + 500])} "
                              "GRAPH ?g { ?s ?p ?o } }").rows
    ox.serialize((ox.Quad(*map(to_oxigraph, (s, p, o, g))) for g, s, p, o in rows), str(path),
                 format=ox.RdfFormat.N_QUADS)


def _quads(path: Path):
    return ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)


#: A local name every Turtle and TriG reader takes as it is: no escapes, not ending in a dot.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _safe_prefixes(path: Path) -> dict[str, str]:
    """The project prefixes under which every IRI of the dump has a plain local name. A prefix under which some
    IRI would need an escape (``id:org\\/epoch-ai\\/x\\.``, valid Turtle that rdflib 7 cannot read) is left out,
    so those IRIs are written in full."""
    kept = dict(PREFIXES)
    for quad in _quads(path):
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode):
                iri = term.value
                for prefix, namespace in list(kept.items()):
                    if iri.startswith(namespace) and not _PLAIN_LOCAL.fullmatch(iri[len(namespace):]):
                        del kept[prefix]
    return kept


def _union_turtle(path: Path, out, prefixes: Mapping[str, str]) -> None:
    """Every triple once, whatever graphs state it (an in-memory Oxigraph store does the de-duplication)."""
    union = ox.Store()
    union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in _quads(path))
    union.dump(out, format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=dict(prefixes))


def _sources(store: Store) -> list[dict]:
    """Each source by its public URL and version: the URL its input was read from when that is public (a live feed,
    or a recording named by its repository and commit), else the source's homepage; never a local path."""
    homepages = {str(source).rsplit("/", 1)[-1]: str(home) for source, home in store.execute(
        f"SELECT ?s ?home WHERE {{ GRAPH <{META_GRAPH}> {{ ?s a <{EAI}Source> ; <{EAI}homepage> ?home }} }}").rows}
    return [{"id": s.source, "title": s.title, "licence": s.data_licence,
             "url": s.source_url if _public(s.source_url) else homepages.get(s.source),
             "version": s.version, "retrieved_at": s.retrieved_at, "last_run": s.last_run, "status": s.status,
             "records_read": s.records_read, "records_rejected": s.records_rejected, "triples": s.triples}
            for s in store.sources()]


def _public(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("https://", "http://"))


class _Counted:
    """A binary stream that hashes and counts what goes through it on its way into the zip."""

    def __init__(self, raw):
        self.raw, self.sha256, self.bytes = raw, hashlib.sha256(), 0

    def write(self, data) -> int:
        self.sha256.update(data)
        self.bytes += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def write_snapshot(store: Store, dest: Path, *, view: View | None = None, network: nx.MultiDiGraph | None = None,
                   extra: Mapping[str, bytes] | None = None, progress: Callable[[str], None] | None = None,
                   cite: Citation | None = None) -> dict:
    """Write the snapshot zip to ``dest`` (atomically) and return its manifest.

    Every snapshot carries its citation (``CITATION.txt``, ``citation.bib``, ``citation.csl.json``: ``cite``, else
    one for the whole graph at the project's address) and ``dcat-ap.ttl``, its DCAT-AP 3 description; the manifest
    names each source by its public URL (``public_sources``).

    ``view`` limits it to some nodes; ``network`` is the entity network if the caller has it already;
    ``extra`` adds files (name -> bytes), listed and hashed in the manifest like the others. The quads are
    streamed from a temporary N-Quads dump into each format, never all held in memory as Python objects.
    """
    say = progress or (lambda message: None)
    with tempfile.TemporaryDirectory(prefix="euaigraph-export-") as tmp:
        say("reading the quads")
        nq = Path(tmp) / "dataset.nq"
        _dump(store, view, nq)
        prefixes = _safe_prefixes(nq)
        say("building the entity network")
        net = network if network is not None else entity_network(store)
        if view is not None:
            net = net.subgraph(n for n in net if n in view.nodes).copy()
        writers: dict[str, Callable] = {
            "dataset.nq": lambda out: out.write(nq.read_bytes()),
            "dataset.trig": lambda out: ox.serialize(_quads(nq), out, format=ox.RdfFormat.TRIG,
                                                     prefixes=prefixes),
            "dataset.jsonld": lambda out: ox.serialize(_quads(nq), out, format=ox.RdfFormat.JSON_LD),
            "union.ttl": lambda out: _union_turtle(nq, out, prefixes),
            "network.graphml": lambda out: out.write(graphml(net)),
            "network.gexf": lambda out: out.write(gexf(net)),
            "nodes.csv": lambda out: out.write(network_tables(net)[0]),
            "edges.csv": lambda out: out.write(network_tables(net)[1]),
            "nodes-spreadsheet.csv": lambda out: out.write(network_tables(net, safe=True)[0]),
            "edges-spreadsheet.csv": lambda out: out.write(network_tables(net, safe=True)[1]),
        }
        for name, data in (extra or {}).items():
            writers[name] = lambda out, data=data: out.write(data)
        manifest = {
            "title": "euaigraph snapshot",
            "created": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "scope": "view" if view is not None else "whole graph",
            "view": {"description": view.description, "settings": dict(view.settings),
                     "nodes": len(view.nodes)} if view is not None else None,
            "software": {"name": "euaigraph", "version": __version__},
            "data_version": store.data_version(),
            "sources": _sources(store),
            "counts": {"quads": sum(1 for _ in _quads(nq)), "nodes": net.number_of_nodes(),
                       "edges": net.number_of_edges(),
                       "nodes_by_kind": dict(sorted(Counter(d["kind"] for _, d in net.nodes(data=True)).items()))},
        }
        cite = cite or citation(store, title=manifest["title"], url=dcat.HOMEPAGE)
        manifest["citation"] = snapshot_block(cite)
        manifest["public_sources"] = [vars(s) for s in cite.sources]
        for name, data in cite.files().items():
            writers[name] = lambda out, data=data: out.write(data)
        writers["index.html"] = lambda out: out.write(_summary_html(manifest, net))
        say("writing the zip")
        described = lambda files: {"dcat-ap.ttl": dcat.description(  # noqa: E731 - needs the files' hashes
            {**manifest, "files": files}, sources=cite.sources, url=cite.url).encode()}
        manifest["files"] = _write_zip(Path(dest), writers, manifest, late=described)
    return manifest


def _write_zip(dest: Path, writers: Mapping[str, Callable], manifest: dict,
               late: Callable[[list[dict]], Mapping[str, bytes]] | None = None) -> list[dict]:
    """Each file through its writer into a temporary zip, then the files ``late`` makes from their hashes, then
    ``manifest.json`` with every hash; then the rename that makes the snapshot appear all at once."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent)
    files = []
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, write in writers.items():
                with archive.open(name, "w") as member:
                    counted = _Counted(member)
                    write(counted)
                files.append({"name": name, "bytes": counted.bytes, "sha256": counted.sha256.hexdigest()})
            for name, data in (late(list(files)) if late else {}).items():
                archive.writestr(name, data)
                files.append({"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
            manifest["files"] = sorted(files, key=lambda f: f["name"])
            archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
        os.replace(partial, dest)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return manifest["files"]


def snapshot_bytes(store: Store, **options) -> tuple[bytes, dict]:
    """The snapshot as bytes (for a download button) and its manifest; options as for :func:`write_snapshot`."""
    with tempfile.TemporaryDirectory(prefix="euaigraph-snapshot-") as tmp:
        path = Path(tmp) / "snapshot.zip"
        manifest = write_snapshot(store, path, **options)
        return path.read_bytes(), manifest
