"""Reading what the metrics need from a store: the dependency graph, bloc members on a date, control on a date.

The dependency graph is a :class:`networkx.DiGraph` whose nodes are IRI strings and whose edges point from the
dependent thing to what it depends on (child -> parent): a model to its base model, tokenizer source, training
datasets, training facilities, licence and provider; a dataset to its curator and licence; a facility to its
operator and accelerator vendor; an organisation to its controller today. It is built from three SPARQL queries
over the derived graph (preferred licence and jurisdiction, control today), never one query per node.

Dates follow the curated convention: a start date given as a year or month counts from its first day, an end
date is the last day (of the year or month, when partial).

>>> covers("1995", None, date(1995, 1, 1)), covers("1973-01-01", "2020-01-31", date(2020, 2, 1))
(True, False)
>>> covers("2015", "2018", date(2018, 12, 31))
True
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime

import networkx as nx
from rdflib.term import Node

from euaigraph.ontology import iri
from euaigraph.ontology.namespaces import PREFIXES

from euaigraph.graph.store.base import Store
from euaigraph.graph.store.terms import nt_term

#: SPARQL property -> the ``relation`` attribute of its edges (lineage sub-properties keep their own name).
RELATIONS: dict[str, str] = {
    "derivedFrom": "derivedFrom", "fineTunedFrom": "fineTunedFrom",
    "continuedPretrainingOf": "continuedPretrainingOf", "distilledFrom": "distilledFrom",
    "mergedFrom": "mergedFrom", "quantisedFrom": "quantisedFrom", "adapterOf": "adapterOf",
    "usesTokenizerOf": "usesTokenizerOf", "trainedOn": "trainedOn", "trainedAt": "trainedAt",
    "preferredLicence": "licence", "providedBy": "providedBy", "curatedBy": "curatedBy",
    "acceleratorVendor": "acceleratorVendor", "operatedBy": "operatedBy", "controlledBy": "controlledBy",
}
_RELATION_OF = {f"{PREFIXES['eai']}{name}": relation for name, relation in RELATIONS.items()}
LINEAGE = frozenset({"derivedFrom", "fineTunedFrom", "continuedPretrainingOf", "distilledFrom", "mergedFrom",
                     "quantisedFrom", "adapterOf"})
KINDS = {"AIModel": "model", "Dataset": "dataset", "ComputeFacility": "facility", "Organisation": "organisation",
         "Person": "person", "Licence": "licence"}

_PREFIX = f"PREFIX eai: <{PREFIXES['eai']}>\nPREFIX rdfs: <{PREFIXES['rdfs']}>\n"
_EDGES = _PREFIX + "SELECT ?child ?p ?parent WHERE { VALUES ?p { %s } ?child ?p ?parent . FILTER(isIRI(?parent)) }" % (
    " ".join(f"eai:{name}" for name in RELATIONS))
# Nodes and labels are read flat and joined in Python: grouping (for one label per node) took longer than both.
_NODES = _PREFIX + "SELECT ?node ?class WHERE { VALUES ?class { %s } ?node a ?class }" % (
    " ".join(f"eai:{name}" for name in KINDS))
_LABELS = _PREFIX + "SELECT ?node ?name WHERE { ?node rdfs:label ?name }"
_COUNTRIES = _PREFIX + """SELECT ?node ?p ?country WHERE {
  VALUES ?p { eai:preferredJurisdiction eai:controllingCountry } ?node ?p ?country }"""


def alpha3(country: Node | str | None) -> str | None:
    """The alpha-3 code of an EU Vocabularies country IRI.

    >>> alpha3("http://publications.europa.eu/resource/authority/country/FIN")
    'FIN'
    """
    return None if country is None else str(country).rsplit("/", 1)[-1]


def _local(term: Node) -> str:
    return str(term).rsplit("#", 1)[-1]


def dependency_graph(store: Store) -> nx.DiGraph:
    """The dependency graph of the whole store (see the module docstring).

    Node attributes: ``kind`` (model, dataset, facility, organisation, person, licence or None), ``label`` (the
    smallest rdfs:label, else the IRI's last segment), ``jurisdiction`` (alpha-3: an organisation's or facility's
    preferred jurisdiction, a model's provider's, a dataset's curator's) and ``controlling`` (alpha-3 of the
    ultimate controller today, same rule). Every model is a node, with or without edges.
    """
    kinds: dict[str, str | None] = {}
    for node, klass in store.values(_NODES):
        # A node typed twice (an organisation that is also a person) keeps the more specific kind.
        if kinds.get(node) in (None, "organisation"):
            kinds[node] = KINDS[_local(klass)]
    labels: dict[str, str] = {}
    for node, name in store.values(_LABELS):
        if node in kinds and name is not None and (node not in labels or name < labels[node]):
            labels[node] = name
    edges = _edges(store)
    for child, parent in edges:
        kinds.setdefault(child, None)
        kinds.setdefault(parent, None)
    own: dict[str, dict[str, str]] = defaultdict(dict)
    for node, predicate, country in store.values(_COUNTRIES):
        own[node][_local(predicate)] = alpha3(country)
    holders = _holders(edges, kinds)
    g = nx.DiGraph()
    g.add_nodes_from(_node_data(node, kind, labels, own.get(holders.get(node, node), {})) for node, kind in kinds.items())
    g.add_edges_from((child, parent, {"relation": relation}) for (child, parent), relation in edges.items())
    return g


def _edges(store: Store) -> dict[tuple[str, str], str]:
    """(child, parent) -> relation. Sources write eai:derivedFrom beside the specific lineage property: an edge
    keeps the specific one, else the first relation read."""
    edges: dict[tuple[str, str], str] = {}
    for child, predicate, parent in store.values(_EDGES):
        relation = _RELATION_OF[predicate]
        current = edges.get((child, parent))
        if current is None or (current == "derivedFrom" and relation in LINEAGE):
            edges[child, parent] = relation
    return edges


def _holders(edges: dict[tuple[str, str], str], kinds: dict[str, str | None]) -> dict[str, str]:
    """Whose jurisdiction a node has: a model its provider's, a dataset its curator's (the smallest IRI of
    several); other nodes their own."""
    wanted = {"model": "providedBy", "dataset": "curatedBy"}
    holders: dict[str, str] = {}
    for (child, parent), relation in edges.items():
        if wanted.get(kinds[child] or "") == relation and (child not in holders or parent < holders[child]):
            holders[child] = parent
    return holders


def _node_data(node: str, kind: str | None, labels: dict[str, str], facts: dict[str, str]) -> tuple[str, dict]:
    label = labels.get(node) if kind is not None else None
    return node, {"kind": kind, "label": label or node.rsplit("/", 1)[-1],
                  "jurisdiction": facts.get("preferredJurisdiction"), "controlling": facts.get("controllingCountry")}


# -- dates, blocs and control ------------------------------------------------------------------------------------
def _bound(value: Node | str | None, *, first: bool) -> date | None:
    if value is None:
        return None
    parts = [int(x) for x in str(value)[:10].split("-") if x.isdigit()]
    if len(parts) == 1:
        return date(parts[0], 1, 1) if first else date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], 1 if first else calendar.monthrange(parts[0], parts[1])[1])
    return date(*parts[:3])


def covers(start: Node | str | None, end: Node | str | None, day: date) -> bool:
    """Whether a dated fact (membership, control) holds on ``day``; see the module docstring for partial dates."""
    first, last = _bound(start, first=True), _bound(end, first=False)
    return (first is None or first <= day) and (last is None or day <= last)


def today() -> date:
    """The day the derived graph calls today (UTC)."""
    return datetime.now(UTC).date()


def bloc_members(store: Store, *, bloc: str = "eu", on: date | None = None) -> set[str]:
    """Alpha-3 codes of the countries that are members of ``bloc`` on ``on`` (default today).

    A membership (eai:Membership) holds from its start date to its end date, the last day of membership.
    """
    day = on or today()
    query = _PREFIX + f"""SELECT ?country ?start ?end WHERE {{
      ?country eai:membership ?m . ?m eai:bloc {nt_term(iri.bloc_iri(bloc))} ; eai:startDate ?start .
      OPTIONAL {{ ?m eai:endDate ?end }} }}"""
    return {alpha3(c) for c, start, end in store.execute(query).rows if covers(start, end, day)}


def control_on(store: Store, *, on: date | None = None) -> dict[str, list[dict[str, str | None]]]:
    """Organisation IRI -> its control relations in force on ``on`` (controller, kind, since, until, url)."""
    day = on or today()
    query = _PREFIX + """SELECT ?org ?controller ?kind ?start ?end ?url WHERE {
      ?org eai:control ?c . ?c eai:controller ?controller .
      OPTIONAL { ?c eai:controlKind ?kind } OPTIONAL { ?c eai:startDate ?start }
      OPTIONAL { ?c eai:endDate ?end } OPTIONAL { ?c eai:recordUrl ?url } } ORDER BY ?org ?start ?controller"""
    out: dict[str, list[dict[str, str | None]]] = defaultdict(list)
    for org, controller, kind, start, end, url in store.execute(query).rows:
        if covers(start, end, day):
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
    values = " ".join(nt_term(iri_ref) for iri_ref in _iris(nodes))
    if not values:
        return {}
    query = _PREFIX + f"SELECT ?n ?c WHERE {{ VALUES ?n {{ {values} }} ?n eai:preferredJurisdiction ?c }}"
    return {n: alpha3(c) for n, c in store.values(query)}


def _iris(nodes: Iterable[str]):
    from rdflib import URIRef

    return [URIRef(n) for n in sorted(set(nodes))]


__all__ = ["LINEAGE", "RELATIONS", "alpha3", "bloc_members", "control_chain", "control_on", "covers",
           "dependency_graph", "jurisdictions", "today"]
