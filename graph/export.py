"""Snapshots a policy note can cite: the whole graph, or one view of it, as a zip with a ``manifest.json``.

A snapshot holds the quads (TriG, N-Quads, JSON-LD), their union as triples (Turtle), the entity network
(GraphML, GEXF, nodes/edges CSV in W3C and spreadsheet-safe form), a static HTML summary, any extra files the
caller adds (the explorer adds its interactive view) and ``manifest.json``: the sources with their versions and
retrieval times, counts, the software and data versions, and the sha256 of every other file. The zip is written
to a temporary file beside the target and renamed, so a process killed mid-way leaves no half-written snapshot.

The entity network is the graph analysts look at: one node per model, organisation, dataset, project, facility,
licence, country... (typed resources), one edge per object property between two of them. Reference nodes
(licences, countries, languages, blocs) appear only where something links to them.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import tempfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import URIRef

from euaigraph import __version__
from euaigraph.ingest.sources.blocs import blocs
from euaigraph.ontology import reference
from euaigraph.ontology.namespaces import META_GRAPH, PREFIXES

from euaigraph.graph import dcat
from euaigraph.graph.citation import Citation, citation, snapshot_block
from euaigraph.graph.load.derived import DERIVED
from euaigraph.graph.query.formats import safe_cell
from euaigraph.graph.store.base import Store, graph_source
from euaigraph.graph.store.terms import nt_term, to_oxigraph

EAI = PREFIXES["eai"]
#: Classes that make a node of the entity network, and the kind shown for them (codes from the ontology).
KINDS = {str(cls): kind for cls, kind in reference.kinds().items()}
REFERENCE_KINDS = {"licence", "licence-family", "country", "language", "bloc"}
#: Derived facts are node attributes, not edges (they would bury the direct facts).
_NOT_EDGES = {str(p) for p in DERIVED} | {PREFIXES["rdf"] + "type"}
#: Region of a node: the narrowest bloc (fewest members today) it is inside, else one of these.
ELSEWHERE, UNKNOWN_REGION = "elsewhere", "unknown"


def regions() -> tuple[str, ...]:
    """Every value a node's region can take: the bloc codes, then "elsewhere" and "unknown"."""
    return (*blocs(), ELSEWHERE, UNKNOWN_REGION)
_PREFIX = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items())
_NODE_FIELDS = ("label", "kind", "country", "controlled_from", "region", "licence", "licence_class", "derivatives",
                "sources")


def _values(name: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{name} {{ {' '.join(nt_term(URIRef(i)) for i in iris)} }}"


def _local(iri: str) -> str:
    return iri.rstrip("/").replace("#", "/").rsplit("/", 1)[-1]


def entity_network(store: Store) -> nx.MultiDiGraph:
    """The entity network of the whole graph. Each node has a label, kind, country (preferred jurisdiction; a
    model's is its provider's), the country it is controlled from (the ultimate parent's, today), the region of
    its country today (EU, EEA/EFTA, Horizon-associated, elsewhere, unknown), licence and licence class, number of
    derivative models and the sources that describe it."""
    net = nx.MultiDiGraph()
    typed = store.execute(f"SELECT ?s ?t ?g WHERE {{ {_values('t', KINDS)} GRAPH ?g {{ ?s a ?t }} }}").rows
    sources: dict[str, set[str]] = defaultdict(set)
    for s, t, g in typed:
        if isinstance(s, URIRef):
            net.add_node(str(s), kind=KINDS[str(t)], label=_local(str(s)))
            sources[str(s)].add(graph_source(str(g)) or "")
    _add_edges(store, net)
    _add_attributes(store, net)
    for node, data in net.nodes(data=True):
        data["sources"] = ";".join(sorted(x for x in sources[node] if x))
    dangling = [n for n, d in net.nodes(data=True) if d["kind"] in REFERENCE_KINDS
                and not any(net.nodes[m]["kind"] not in REFERENCE_KINDS for m in nx.all_neighbors(net, n))]
    net.remove_nodes_from(dangling)
    return net


def _add_edges(store: Store, net: nx.MultiDiGraph) -> None:
    # Typed subjects first, then their statements, then typed objects: Jena 4.5 keeps the written order and took 50 s
    # with both VALUES first (every statement of every graph for each pair of kinds); Oxigraph plans either alike.
    rows = store.execute(
        f"SELECT DISTINCT ?s ?p ?o ?g WHERE {{ {_values('t', KINDS)} ?s a ?t . "
        f"GRAPH ?g {{ ?s ?p ?o }} {_values('u', KINDS)} ?o a ?u . }}").rows
    for s, p, o, g in rows:
        s, p, o = str(s), str(p), str(o)
        if p in _NOT_EDGES or s == o or s not in net or o not in net:
            continue
        if net.has_edge(s, o, key=p):
            net.edges[s, o, p]["sources"] += ";" + (graph_source(str(g)) or "")
        else:
            net.add_edge(s, o, key=p, predicate=_local(p), sources=graph_source(str(g)) or "")


def _add_attributes(store: Store, net: nx.MultiDiGraph) -> None:
    def pairs(query: str) -> list[tuple[str, str]]:
        return [(str(a), str(b)) for a, b in store.execute(f"{_PREFIX}\n{query}").rows]

    for s, label in pairs("SELECT ?s ?l WHERE { ?s rdfs:label|skos:prefLabel ?l }"):
        if s in net and net.nodes[s]["label"] == _local(s):
            net.nodes[s]["label"] = label
    memberships = pairs("SELECT ?c ?b WHERE { ?c eai:inBlocToday ?b }")
    size = Counter(b for _, b in memberships)
    profile: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in store.execute(f"""{_PREFIX}
          SELECT ?s ?p ?o WHERE {{ ?s eai:jurisdictionProfile ?profile . ?profile ?p ?o .
          VALUES ?p {{ eai:seat eai:controllingCountry eai:insideBloc eai:outsideBloc }} }}""").rows:
        profile[str(s)][_local(str(p))].add(str(o))
    seats = {s: f["seat"] for s, f in profile.items()}
    controlled = {s: f["controllingCountry"] for s, f in profile.items() if f["controllingCountry"]}
    inside = {s: f["insideBloc"] for s, f in profile.items()}
    for country, bloc in memberships:  # a country stands where it is a member
        inside.setdefault(country, set()).add(bloc)
    known = {s for s, f in profile.items() if f["outsideBloc"]}
    classes = {lic: code for lic, code in pairs("SELECT ?l ?code WHERE { ?l eai:opennessClass ?c . ?c skos:notation ?code }")}
    licence_of = dict(pairs("SELECT ?m ?l WHERE { ?m eai:preferredLicence ?l }"))
    derivatives = Counter(a for _, a in pairs("SELECT ?m ?a WHERE { ?m eai:hasAncestor ?a }"))
    for node, data in net.nodes(data=True):
        own = {node} if data["kind"] == "country" else seats.get(node, set())
        data["country"] = " ".join(sorted(_local(c) for c in own))
        data["controlled_from"] = " ".join(sorted(_local(c) for c in controlled.get(node, own)))
        blocs = inside.get(node, set())
        data["region"] = (_local(min(blocs, key=lambda b: (size[b], b))) if blocs
                          else ELSEWHERE if node in known else UNKNOWN_REGION)
        licence = node if data["kind"] == "licence" else licence_of.get(node, "")
        data["licence"] = _local(licence) if licence else ""
        data["licence_class"] = classes.get(licence, "unclassified") if licence else ""
        data["derivatives"] = derivatives.get(node, 0)


# -- writers ---------------------------------------------------------------------------------------------------
def _csv(rows: Iterable[Iterable[object]], *, safe: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # CRLF: a cell holding a bare CR is then quoted, not a new row
    for n, row in enumerate(rows):
        values = ["" if v is None else str(v) for v in row]
        writer.writerow([safe_cell(v) for v in values] if safe and n else values)
    return out.getvalue().encode("utf-8")


def network_tables(net: nx.MultiDiGraph, *, safe: bool = False) -> tuple[bytes, bytes]:
    """``nodes.csv`` and ``edges.csv`` of a network (spreadsheet-safe cells when ``safe``)."""
    nodes = [("id", *_NODE_FIELDS)] + [(n, *(d.get(f, "") for f in _NODE_FIELDS)) for n, d in net.nodes(data=True)]
    edges = [("source", "target", "predicate", "property", "sources")] + [
        (s, o, k, d.get("predicate", ""), d.get("sources", "")) for s, o, k, d in net.edges(keys=True, data=True)]
    return _csv(nodes, safe=safe), _csv(edges, safe=safe)


def _for_gephi(net: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The network as Gephi reads it: each edge with an id of its own (``e0``, ``e1``...; the property IRI, the
    edge's key here, stays as its ``property`` attribute), no empty or None attribute values."""
    out = nx.MultiDiGraph()
    for node, data in net.nodes(data=True):
        out.add_node(node, **{k: v for k, v in data.items() if v is not None})
    for n, (source, target, key, data) in enumerate(net.edges(keys=True, data=True)):
        out.add_edge(source, target, key=f"e{n}", property=str(key),
                     **{k: v for k, v in data.items() if v is not None})
    return out


def graphml(net: nx.MultiDiGraph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(_for_gephi(net), out, encoding="utf-8", named_key_ids=True)
    return out.getvalue()


def gexf(net: nx.MultiDiGraph) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(_for_gephi(net), out, encoding="utf-8", version="1.2draft")
    return out.getvalue()


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
        rows += store.execute(f"SELECT ?g ?s ?p ?o WHERE {{ {_values('s', nodes[start:start + 500])} "
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
