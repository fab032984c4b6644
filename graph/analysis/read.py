"""Reading what the metrics need from a store: the dependency graph and where each node stands for a bloc.

The dependency graph is a :class:`networkx.DiGraph` whose nodes are IRI strings and whose edges are the derived
``eai:reliesOn`` edges, from the dependent thing to what it depends on (child -> parent), each labelled with the
code of the relation it comes from (``fine-tune``, ``trained-on``, ``licence``, ``provider``, ...: the relations
the ontology marks as dependencies). SPARQL over ``eai:reliesOn+`` and networkx reachability over this graph are
therefore the same relation (tested on random graphs).

Where a node stands for a bloc (inside, outside, unknown) is read from the jurisdiction profiles the derived graph
wrote for today; for another day it is worked out by the same rules from the same claims
(:func:`euaigraph.graph.load.derived.world`). Nothing here applies a rule of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime

import networkx as nx
from rdflib import Literal, URIRef
from rdflib.term import Node

from euaigraph.graph.load import derived, rules
from euaigraph.graph.store.base import Store
from euaigraph.graph.store.terms import nt_term
from euaigraph.ontology import iri, reference
from euaigraph.ontology.namespaces import PREFIXES
from euaigraph.ontology.vocab import EAI

_PREFIX = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("eai", "rdfs", "skos", "owl"))


def _values(name: str, pairs: Iterable[tuple[object, str]]) -> str:
    """``VALUES (?name ?code) { ... }`` from (IRI, code) pairs of the reference data."""
    return f"VALUES (?{name} ?code) {{ {' '.join(f'(<{i}> {nt_term(Literal(c))})' for i, c in pairs)} }}"


# The codes come from the ontology (the one home) through Python, so a store loaded without the ontology source
# still gives the same graph.
_EDGES = _PREFIX + f"""SELECT ?child ?code ?parent WHERE {{
  {_values("p", ((r.iri, r.code) for r in reference.relations(dependency=True)))}
  ?child eai:reliesOn ?parent . ?child ?p ?parent }}"""
_NODES = _PREFIX + f"SELECT ?node ?code WHERE {{ {_values('class', reference.kinds().items())} ?node a ?class }}"
_LABELS = _PREFIX + "SELECT ?node ?name WHERE { ?node rdfs:label ?name }"
_SEAT_STANDINGS = ((p, c) for p, c in reference.standings().items()
                   if p in (EAI.insideBloc, EAI.outsideBloc, EAI.blocUnknown))
_PROFILES = _PREFIX + f"""SELECT ?node ?bloc ?code ?seat WHERE {{
  ?node eai:jurisdictionProfile ?p .
  OPTIONAL {{ {_values("sp", _SEAT_STANDINGS)} ?p ?sp ?bloc }}
  OPTIONAL {{ ?p eai:seat ?seat }} }}"""
_CONTROL_STANDINGS = [(p, c) for p, c in reference.standings().items()
                      if p in (EAI.controlInsideBloc, EAI.controlOutsideBloc, EAI.controlUnknown)]
#: Kinds whose node is a thing that has a seat (licences and licence families have none).
_SEATLESS = {"licence", "licence-family"}


def alpha3(country: Node | str | None) -> str | None:
    """The alpha-3 code of an EU Vocabularies country IRI.

    >>> alpha3("http://publications.europa.eu/resource/authority/country/FIN")
    'FIN'
    """
    return None if country is None else str(country).rsplit("/", 1)[-1]


def bloc_code(bloc: Node | str) -> str:
    """``eu`` for the bloc IRI (or the code itself)."""
    return str(bloc).rsplit("/", 1)[-1]


def today() -> date:
    """The day the derived graph calls today (UTC)."""
    return datetime.now(UTC).date()


def dependency_graph(store: Store) -> nx.DiGraph:
    """The dependency graph of the whole store (module docstring).

    Node attributes: ``kind`` (a kind code, or None), ``label`` (the smallest rdfs:label, else the IRI's last
    segment), ``seats`` (sorted alpha-3 codes where it is seated: its developers' for a model, its curators' for a
    dataset, its own otherwise) and ``standing`` (bloc code -> inside | outside | unknown, today). Every model is
    a node, with or without edges.
    """
    kinds: dict[str, str | None] = {}
    for node, kind in store.values(_NODES):
        # A node typed twice keeps the more specific kind (a person typed organisation too, a consortium).
        if kinds.get(node) in (None, "organisation"):
            kinds[node] = kind
    depth = {r.code: r.depth for r in reference.relations(dependency=True)}
    edges: dict[tuple[str, str], str] = {}
    for child, relation, parent in store.values(_EDGES):
        known = edges.get((child, parent))
        if child != parent and (known is None or (-depth[relation], relation) < (-depth[known], known)):
            edges[child, parent] = relation  # the most specific relation stated for the edge
    for child, parent in edges:
        kinds.setdefault(child, None)
        kinds.setdefault(parent, None)
    labels: dict[str, str] = {}
    for node, name in store.values(_LABELS):
        if node in kinds and name is not None and (node not in labels or name < labels[node]):
            labels[node] = name
    standing: dict[str, dict[str, str]] = defaultdict(dict)
    seats: dict[str, set[str]] = defaultdict(set)
    for node, bloc, code, seat in store.values(_PROFILES):
        if bloc is not None:
            standing[node][bloc_code(bloc)] = code
        if seat is not None:
            seats[node].add(alpha3(seat))
    g = nx.DiGraph()
    g.add_nodes_from((node, {"kind": kind, "label": labels.get(node) or node.rsplit("/", 1)[-1],
                             "seats": tuple(sorted(seats.get(node, ()))),
                             "standing": {} if kind in _SEATLESS else dict(standing.get(node, {}))})
                     for node, kind in kinds.items())
    g.add_edges_from((child, parent, {"relation": relation}) for (child, parent), relation in edges.items())
    return g


def standings(store: Store, g: nx.DiGraph, *, bloc: str = "eu", on: date | None = None) -> dict[str, str]:
    """Node -> inside | outside | unknown for ``bloc`` on ``on`` (default today), for every node that has a seat.

    Today's answer is the derived graph's; another day's comes from the same rules applied to the same claims.
    """
    if on is None or on == today():
        return {n: d["standing"].get(bloc, rules.UNKNOWN) for n, d in g.nodes(data=True) if d["kind"] not in _SEATLESS}
    world = derived.world(derived.gather(store), on)  # claims as plain strings
    bloc_iri = str(iri.bloc_iri(bloc))
    return {n: world.standing(n, bloc_iri) for n, d in g.nodes(data=True) if d["kind"] not in _SEATLESS}


def control_standings(store: Store, *, bloc: str = "eu", on: date | None = None) -> dict[str, str]:
    """Thing -> inside | outside | unknown by where its developers are controlled from (see the rules)."""
    day = on or today()
    if day == today():
        query = _PREFIX + f"""SELECT ?node ?code WHERE {{ ?node eai:jurisdictionProfile ?p .
          {_values("sp", _CONTROL_STANDINGS)} ?p ?sp {nt_term(iri.bloc_iri(bloc))} }}"""
        return dict(store.values(query))
    world = derived.world(derived.gather(store), day)
    members = world.members.get(str(iri.bloc_iri(bloc)), frozenset())
    out = {}
    for thing in world.things():
        s = world.seats(thing)
        out[str(thing)] = rules.standing(s.controlled_from, unknown=s.control_unknown, members=members)
    return out


def bloc_members(store: Store, *, bloc: str = "eu", on: date | None = None) -> set[str]:
    """Alpha-3 codes of the countries that are members of ``bloc`` on ``on`` (default today)."""
    world = derived.world(derived.gather(store), on or today())
    return {alpha3(c) for c in world.members.get(str(iri.bloc_iri(bloc)), frozenset())}


def control_on(store: Store, *, on: date | None = None) -> dict[str, list[dict[str, str | None]]]:
    """Organisation IRI -> its control relations in force on ``on`` (controller, kind, since, until, url)."""
    day = on or today()
    query = _PREFIX + """SELECT ?org ?controller ?kind ?start ?end ?url WHERE {
      ?org eai:control ?c . ?c eai:controller ?controller .
      OPTIONAL { ?c eai:controlKind ?kind } OPTIONAL { ?c eai:startDate ?start }
      OPTIONAL { ?c eai:endDate ?end } OPTIONAL { ?c eai:recordUrl ?url } } ORDER BY ?org ?start ?controller"""
    out: dict[str, list[dict[str, str | None]]] = defaultdict(list)
    for org, controller, kind, start, end, url in store.execute(query).rows:
        if rules.holds(start, end, day):
            out[str(org)].append({"controller": str(controller), "kind": _text(kind), "since": _text(start),
                                  "until": _text(end), "url": _text(url)})
    return dict(out)


def _text(value: Node | None) -> str | None:
    return None if value is None else str(value)


def control_chain(org: str, control: dict[str, list[dict[str, str | None]]]) -> list[dict[str, str | None]]:
    """The chain of controllers above ``org`` (first relation in force at each level), stopping at a cycle."""
    chain, seen = [], {org}
    while control.get(org):
        step = control[org][0]
        if step["controller"] in seen:
            break
        chain.append({"controlled": org, **step})
        org = step["controller"]
        seen.add(org)
    return chain


def jurisdictions(store: Store, nodes: Iterable[str]) -> dict[str, str]:
    """IRI -> alpha-3 of the preferred jurisdiction, for the given nodes that have one."""
    values = " ".join(nt_term(URIRef(n)) for n in sorted(set(nodes)))
    if not values:
        return {}
    query = _PREFIX + f"SELECT ?n ?c WHERE {{ VALUES ?n {{ {values} }} ?n eai:preferredJurisdiction ?c }}"
    return {n: alpha3(c) for n, c in store.values(query)}


def derivation_codes() -> frozenset[str]:
    """Relation codes of eai:derivedFrom and its sub-properties: the edges the lineage closure (eai:hasAncestor)
    follows (reused tokenizers and untyped dependencies are in the lineage group but are not derivation)."""
    props = set(reference.lineage_properties())
    return frozenset(r.code for r in reference.relations() if r.iri in props)


__all__ = ["alpha3", "bloc_code", "bloc_members", "control_chain", "control_on", "control_standings",
           "dependency_graph", "derivation_codes", "jurisdictions", "standings", "today"]
