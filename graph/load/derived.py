"""The derived graph: facts every question needs, computed once per change instead of in every query.

- ``eai:hasAncestor``: the closure of ``eai:derivedFrom`` and its sub-properties (lineage questions then need no
  property path, which is what makes them fast at 10^6 triples);
- ``eai:preferredJurisdiction`` and ``eai:preferredLicence``: one value per organisation/facility and per model,
  chosen by the resolution rule: the claim of the source with the best priority (1 curated, 2 official register,
  3 self-declared, 4 third-party index), then the value most graphs assert, then the smallest IRI;
- ``eai:controlledBy`` (control relations in force today) and ``eai:controllingCountry`` (jurisdiction of the
  ultimate controller today, else the organisation's own);
- ``eai:inBlocToday``: bloc memberships in force today;
- ``eai:hasAncestorOutsideBloc``: the model has an ancestor whose provider's preferred jurisdiction is known and
  not in the bloc today (the lineage sovereignty question as one join).

The inputs are read from the store's current graphs, minus the sources being replaced, plus their staged files,
so the derived graph always matches the state the swap produces.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from euaigraph.ingest.base import Feed, Report, SourceSpec, Triple
from euaigraph.ontology.namespaces import META_GRAPH
from euaigraph.ontology.vocab import EAI

from euaigraph.graph.store.provenance import Run
from euaigraph.graph.store.base import Staged, Store
from euaigraph.graph.store.terms import nt_line, to_rdflib

LINEAGE = (EAI.derivedFrom, EAI.fineTunedFrom, EAI.continuedPretrainingOf, EAI.distilledFrom,
           EAI.mergedFrom, EAI.quantisedFrom, EAI.adapterOf)
LICENCE = (EAI.licence, EAI.weightsLicence)
INPUTS = (*LINEAGE, *LICENCE, EAI.providedBy, EAI.jurisdiction, EAI.control, EAI.controller, EAI.startDate,
          EAI.endDate, EAI.membership, EAI.bloc)


def _derived_parse(feed: Feed, report: Report) -> Iterator[Triple]:
    raise RuntimeError("the derived graph is computed by euaigraph.graph.load.derived, not parsed from a feed")


SPEC = SourceSpec(
    id="derived",
    title="Derived facts (lineage closure, preferred values, control and bloc status)",
    homepage="https://w3id.org/euaigraph/ontology",
    data_licence="CC-BY-4.0",
    parse=_derived_parse,
    min_triples=0,
    priority=0,
    description="Computed from the other sources at every change; see euaigraph.graph.load.derived.",
)


@dataclass
class Inputs:
    """The claims the derivation needs, each with the priority of the source that made it."""

    claims: list[tuple[Node, Node, Node, int]] = field(default_factory=list)

    def add(self, s: Node, p: Node, o: Node, priority: int) -> None:
        self.claims.append((s, p, o, priority))


def gather(store: Store, staged: Sequence[Staged]) -> Inputs:
    """Read the inputs from the store (sources not being replaced) and from the staged files."""
    replaced = {item.run.spec.id for item in staged} | {SPEC.id}
    current = {src: g for src, g in store.current_graphs().items() if src not in replaced}
    inputs = Inputs()
    if current:
        priorities = _priorities(store)
        graphs = " ".join(f"<{g}>" for g in current.values())
        predicates = " ".join(f"<{p}>" for p in INPUTS)
        result = store.execute(
            f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {graphs} }} VALUES ?p {{ {predicates} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        by_graph = {g: priorities.get(src, 9) for src, g in current.items()}
        for g, s, p, o in result.rows:
            inputs.add(s, p, o, by_graph.get(str(g), 9))
    wanted = {ox.NamedNode(str(p)) for p in INPUTS}
    for item in staged:
        for triple in ox.parse(path=str(item.path), format=ox.RdfFormat.N_TRIPLES):
            if triple.predicate in wanted:
                inputs.add(to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object),
                           item.run.spec.priority)
    return inputs


def _priorities(store: Store) -> dict[str, int]:
    result = store.execute(
        f"SELECT ?s ?p WHERE {{ GRAPH <{META_GRAPH}> {{ ?s <{EAI.sourcePriority}> ?p }} }}"
    )
    return {str(s).rsplit("/", 1)[-1]: int(p) for s, p in result.rows}


def _in_force(start: Node | None, end: Node | None, today: date) -> bool:
    """Whether a dated relation holds on ``today``; partial dates cover their whole year or month."""

    def as_date(value: Node | None, default: date) -> date:
        if value is None:
            return default
        parts = [int(x) for x in str(value)[:10].split("-") if x.isdigit()]
        first = default == date.min
        if len(parts) == 1:
            return date(parts[0], 1, 1) if first else date(parts[0], 12, 31)
        if len(parts) == 2:
            last_day = calendar.monthrange(parts[0], parts[1])[1]
            return date(parts[0], parts[1], 1 if first else last_day)
        return date(*parts[:3])

    return as_date(start, date.min) <= today <= as_date(end, date.max)


def _preferred(claims: Iterable[tuple[Node, Node, int]]) -> dict[Node, Node]:
    """subject -> the value chosen by priority, then support, then IRI order."""
    grouped: dict[Node, list[tuple[Node, int]]] = defaultdict(list)
    for subject, value, priority in claims:
        grouped[subject].append((value, priority))
    chosen = {}
    for subject, values in grouped.items():
        best = min(p for _, p in values)
        support = Counter(v for v, p in values if p == best)
        chosen[subject] = min(support, key=lambda v: (-support[v], str(v)))
    return chosen


def compute(inputs: Inputs, *, today: date | None = None) -> Iterator[Triple]:
    """Every derived triple for these inputs (pure; the tests call it directly)."""
    today = today or datetime.now(UTC).date()
    by_predicate: dict[Node, list[tuple[Node, Node, int]]] = defaultdict(list)
    for s, p, o, priority in inputs.claims:
        by_predicate[p].append((s, o, priority))

    lineage = nx.DiGraph()
    for p in LINEAGE:
        lineage.add_edges_from((s, o) for s, o, _ in by_predicate[p] if s != o)
    ancestors = {node: nx.descendants(lineage, node) for node in lineage.nodes}
    for node, above in ancestors.items():
        for ancestor in above:
            yield node, EAI.hasAncestor, ancestor

    licence_claims = [c for p in LICENCE for c in by_predicate[p]]
    for model, licence in _preferred(licence_claims).items():
        yield model, EAI.preferredLicence, licence

    jurisdiction = _preferred(by_predicate[EAI.jurisdiction])
    for subject, country in jurisdiction.items():
        yield subject, EAI.preferredJurisdiction, country

    def first(predicate: Node) -> dict[Node, Node]:
        out: dict[Node, Node] = {}
        for s, o, _ in sorted(by_predicate[predicate], key=lambda c: c[2]):
            out.setdefault(s, o)
        return out

    starts, ends, controllers = first(EAI.startDate), first(EAI.endDate), first(EAI.controller)
    control_now: dict[Node, Node] = {}
    for org, relation, _ in sorted(by_predicate[EAI.control], key=lambda c: (c[2], str(c[1]))):
        controller = controllers.get(relation)
        if controller is not None and _in_force(starts.get(relation), ends.get(relation), today):
            control_now.setdefault(org, controller)
    for org, controller in control_now.items():
        yield org, EAI.controlledBy, controller
    for org in set(jurisdiction) | set(control_now):
        ultimate, seen = org, {org}
        while ultimate in control_now and control_now[ultimate] not in seen:
            ultimate = control_now[ultimate]
            seen.add(ultimate)
        country = jurisdiction.get(ultimate) or jurisdiction.get(org)
        if country is not None:
            yield org, EAI.controllingCountry, country

    blocs = first(EAI.bloc)
    members: dict[Node, set[Node]] = {bloc: set() for bloc in blocs.values()}
    for country, membership, _ in by_predicate[EAI.membership]:
        bloc = blocs.get(membership)
        if bloc is not None and _in_force(starts.get(membership), ends.get(membership), today):
            members[bloc].add(country)
            yield country, EAI.inBlocToday, bloc
    yield from _outside_bloc(ancestors, by_predicate[EAI.providedBy], jurisdiction, members)


def _outside_bloc(ancestors: dict[Node, set[Node]], provided_by: list[tuple[Node, Node, int]],
                  jurisdiction: dict[Node, Node], members: dict[Node, set[Node]]) -> Iterator[Triple]:
    """``eai:hasAncestorOutsideBloc`` for every model and bloc: any provider of any ancestor counts, as in a query
    that joins ``eai:providedBy`` (a model with claims from several sources may have several providers)."""
    countries: dict[Node, set[Node]] = defaultdict(set)
    for model, provider, _ in provided_by:
        if provider in jurisdiction:
            countries[model].add(jurisdiction[provider])
    for model, above in ancestors.items():
        seen = {country for ancestor in above for country in countries.get(ancestor, ())}
        for bloc, inside in members.items():
            if seen - inside:
                yield model, EAI.hasAncestorOutsideBloc, bloc


def stage(store: Store, staged: Sequence[Staged], workdir: Path) -> Staged:
    """Compute the derived graph for the state after ``staged`` is swapped in, as a staged run."""
    path = workdir / "derived.nt"
    report = Report(SPEC.id)
    feed = Feed(path=path, url=str(URIRef("https://w3id.org/euaigraph/ontology")), retrieved_at=datetime.now(UTC))
    inputs = gather(store, staged)
    report.read(len(inputs.claims))
    report.ingested(len(inputs.claims))  # every claim gathered is an input of the computation
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for triple in dict.fromkeys(compute(inputs)):
            out.write(nt_line(*triple))
            written += 1
    run = Run(spec=SPEC, feed=feed, report=report, triples_written=written, status="succeeded",
              ended=datetime.now(UTC))
    return Staged(run=run, path=path)


__all__ = ["SPEC", "Inputs", "compute", "gather", "stage"]
