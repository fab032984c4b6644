"""The entity network analysts look at, and its exports: one node per model, organisation, dataset, project,
facility, licence, country... (typed resources), one edge per object property between two of them, with each node's
country, region, licence and sources as attributes; the network as GraphML, GEXF and nodes/edges CSV (W3C and
spreadsheet-safe). Reference nodes (licences, countries, languages, blocs) appear only where something links to
them. Snapshots (:mod:`euaigraph.graph.export`) write these files beside the quads.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx
from rdflib import URIRef

from euaigraph.ingest.sources.blocs import blocs
from euaigraph.ontology import reference
from euaigraph.ontology.namespaces import PREFIXES

from euaigraph.graph.load.derived import DERIVED
from euaigraph.graph.query.formats import safe_cell
from euaigraph.graph.store.base import Store, graph_source
from euaigraph.graph.store.terms import nt_term

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


def values_clause(name: str, iris: Iterable[str]) -> str:
    """A SPARQL ``VALUES ?name { ... }`` clause of these IRIs."""
    return f"VALUES ?{name} {{ {' '.join(nt_term(URIRef(i)) for i in iris)} }}"


def _local(iri: str) -> str:
    return iri.rstrip("/").replace("#", "/").rsplit("/", 1)[-1]


def entity_network(store: Store) -> nx.MultiDiGraph:
    """The entity network of the whole graph. Each node has a label, kind, country (preferred jurisdiction; a
    model's is its provider's), the country it is controlled from (the ultimate parent's, today), the region of
    its country today (EU, EEA/EFTA, Horizon-associated, elsewhere, unknown), licence and licence class, number of
    derivative models and the sources that describe it."""
    net = nx.MultiDiGraph()
    typed = store.execute(f"SELECT ?s ?t ?g WHERE {{ {values_clause('t', KINDS)} GRAPH ?g {{ ?s a ?t }} }}").rows
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
        f"SELECT DISTINCT ?s ?p ?o ?g WHERE {{ {values_clause('t', KINDS)} ?s a ?t . "
        f"GRAPH ?g {{ ?s ?p ?o }} {values_clause('u', KINDS)} ?o a ?u . }}").rows
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
