"""The derived graph: the rules of :mod:`euaigraph.graph.load.rules` applied once per change, so every question
reads their result instead of applying a rule of its own (decisions/0010-european-rule.md).

- ``eai:hasAncestor``: the closure of eai:derivedFrom and its sub-properties (lineage questions need no path);
- ``eai:preferredLicence``, ``eai:preferredJurisdiction``: one value per thing by the resolution rule;
- ``eai:controlledBy`` (control in force today) and ``eai:controllingCountry`` (the ultimate controller's seat);
- ``eai:fromDay``/``eai:untilDay``: the full days of every dated membership and control relation;
- ``eai:inBlocToday``: bloc memberships in force today;
- ``eai:jurisdictionProfile``: for every model, dataset, organisation and facility, a shared profile node with
  its seats, where it is controlled from, and whether it is inside, outside or unknown for every bloc today;
- ``eai:hasAncestorOutsideBloc``: some ancestor's profile is outside the bloc;
- ``eai:reliesOn``: every direct dependency (the relations the ontology marks as dependencies);
- ``eai:derivedOn``: the day all of this applies;
- the AI Act indicators of every model (:mod:`euaigraph.graph.load.aiact`, decisions/0014-ai-act-indicators.md).

The inputs are read from the store's current graphs, minus the sources being replaced, plus their staged files,
so the derived graph always matches the state the swap produces.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import networkx as nx
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from euaigraph.graph.load import aiact, rules
from euaigraph.graph.store.base import Staged, Store
from euaigraph.graph.store.provenance import Run
from euaigraph.graph.store.terms import nt_term
from euaigraph.ingest.base import Feed, Report, SourceSpec, Triple
from euaigraph.ontology import reference
from euaigraph.ontology.namespaces import ID, META_GRAPH
from euaigraph.ontology.vocab import EAI

# Predicates as plain strings: the inputs are strings (see gather).
LINEAGE = tuple(str(p) for p in reference.lineage_properties())
LICENCE = (str(EAI.licence), str(EAI.weightsLicence))
DEVELOPERS = (str(EAI.providedBy), str(EAI.developedBy), str(EAI.curatedBy))
#: Dependencies read as claimed; the derived ones (preferred licence, control today) are added from this run.
RAW_DEPENDENCIES = tuple(str(r.iri) for r in reference.relations(dependency=True)
                         if r.iri not in (EAI.preferredLicence, EAI.controlledBy))
_START, _END, _TYPE = str(EAI.startDate), str(EAI.endDate), str(RDF.type)
#: The inputs whose objects are literals (dates); every other input's object is an IRI.
_LITERAL_OBJECTS = (_START, _END, *(str(p) for p in aiact.LITERAL_INPUTS))
INPUTS = tuple(dict.fromkeys((*LINEAGE, *LICENCE, *DEVELOPERS, *RAW_DEPENDENCIES, *_LITERAL_OBJECTS,
                              *(str(p) for p in (EAI.jurisdiction, EAI.control, EAI.controller, EAI.membership,
                                                 EAI.bloc, EAI.affiliatedWith, EAI.opennessClass)),
                              *(str(p) for p in aiact.INPUTS))))
#: Kinds that get a jurisdiction profile even with nobody recorded as their developer (then: unknown).
PROFILED = (EAI.AIModel, EAI.Dataset)
#: Every predicate the derived graph writes (its facts are conclusions, not statements of a source).
DERIVED = (EAI.hasAncestor, EAI.preferredJurisdiction, EAI.preferredLicence, EAI.controlledBy, EAI.controllingCountry,
           EAI.fromDay, EAI.untilDay, EAI.inBlocToday, EAI.jurisdictionProfile, EAI.hasAncestorOutsideBloc,
           EAI.reliesOn, EAI.effectiveLicenceClass, EAI.derivedOn, *aiact.DERIVED)
#: Where "today" is written (the derived graph's own node).
DERIVATION = ID["derivation/today"]


def _derived_parse(feed: Feed, report: Report) -> Iterator[Triple]:
    raise RuntimeError("the derived graph is computed by euaigraph.graph.load.derived, not parsed from a feed")


SPEC = SourceSpec(
    id="derived",
    title="Derived facts (lineage closure, preferred values, control, jurisdiction profiles, dependencies)",
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

    #: (subject, object, priority) by the predicate's text (inputs may be strings or rdflib terms).
    grouped: dict[str, list[tuple[Node, Node, int]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, s: Node, p: Node, o: Node, priority: int) -> None:
        self.grouped[str(p)].append((s, o, priority))

    def extend(self, tap: Tap, priority: int) -> None:
        """Every claim a tap kept, from a source of this priority."""
        for p, pairs in tap.grouped.items():
            self.grouped[p].extend((s, o, priority) for s, o in pairs)

    @property
    def claims(self) -> list[tuple[Node, str, Node, int]]:
        """Every claim as (subject, predicate, object, priority)."""
        return [(s, p, o, priority) for p, items in self.grouped.items() for s, o, priority in items]

    def __len__(self) -> int:
        return sum(map(len, self.grouped.values()))

    def by_predicate(self) -> dict[str, list[tuple[Node, Node, int]]]:
        """Claims grouped by predicate, keyed by the predicate's text (a predicate with none gives [])."""
        out: dict[str, list[tuple[Node, Node, int]]] = defaultdict(list)
        out.update(self.grouped)
        return out


class Tap:
    """The inputs among one source's triples, kept as the source is staged, so its staged file need not be read
    again. Keeps what :func:`gather` reads from the store's graphs once they are loaded, as the same plain strings.

    >>> tap = Tap()
    >>> tap(URIRef("https://a.example/m"), EAI.derivedFrom, URIRef("https://a.example/b"))
    >>> tap(URIRef("https://a.example/m"), RDFS.label, Literal("m"))  # not an input
    >>> tap.claims
    [('https://a.example/m', 'https://w3id.org/euaigraph/ontology#derivedFrom', 'https://a.example/b')]
    """

    def __init__(self) -> None:
        #: (subject, object) by the predicate's text.
        self.grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
        #: Only triples with these predicates can be inputs (a caller may test this first, to save a call).
        self.predicates = _TAPPED

    def __call__(self, s: Node, p: Node, o: Node) -> None:
        if not isinstance(s, URIRef):
            return
        if p in _WANTED:
            if isinstance(o, URIRef) or (p in _DATED and isinstance(o, Literal)):
                self.grouped[str(p)].append((str(s), str(o)))
        elif p == RDF.type and o in _KINDS:
            self.grouped[_TYPE].append((str(s), str(o)))

    @property
    def claims(self) -> list[tuple[str, str, str]]:
        """Every claim kept, as (subject, predicate, object)."""
        return [(s, p, o) for p, pairs in self.grouped.items() for s, o in pairs]


_WANTED, _DATED, _KINDS = frozenset(URIRef(p) for p in INPUTS), frozenset(URIRef(p) for p in _LITERAL_OBJECTS), \
    frozenset(PROFILED)
_TAPPED = _WANTED | {RDF.type}


def gather(store: Store, tapped: Sequence[tuple[Staged, Tap]] = ()) -> Inputs:
    """The inputs: from the store's current graphs, except those of the sources being replaced, and from the taps
    that kept the staged sources' inputs (``tapped``: each staged run with its tap), as plain strings (an IRI's
    text, a date's lexical form): the rules need nothing more, and strings hash and compare many times faster than
    term objects at 10^6 triples. Claims about blank nodes, and objects that are literals where an IRI is meant,
    are left out, here by the query and in :class:`Tap` for staged triples."""
    replaced = {item.run.spec.id for item, _ in tapped} | {SPEC.id}
    current = {src: g for src, g in store.current_graphs().items() if src not in replaced}
    inputs = Inputs()
    if current:
        priorities = _priorities(store)
        graphs = " ".join(f"<{g}>" for g in current.values())
        predicates = " ".join(f"<{p}>" for p in INPUTS)
        dated = " ".join(f"<{p}>" for p in _LITERAL_OBJECTS)
        by_graph = {g: priorities.get(src, 9) for src, g in current.items()}
        for g, s, p, o in store.values(
                f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {graphs} }} VALUES ?p {{ {predicates} }} "
                f"GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s) && (isIRI(?o) || ?p IN ({dated.replace(' ', ', ')}))) }}"):
            inputs.add(s, p, o, by_graph.get(g, 9))
        kinds = " ".join(f"<{k}>" for k in PROFILED)
        for g, s, o in store.values(f"SELECT ?g ?s ?o WHERE {{ VALUES ?g {{ {graphs} }} VALUES ?o {{ {kinds} }} "
                                    f"GRAPH ?g {{ ?s a ?o }} FILTER(isIRI(?s)) }}"):
            inputs.add(s, _TYPE, o, by_graph.get(g, 9))
    for item, tap in tapped:
        inputs.extend(tap, item.run.spec.priority)
    for figure in _FIGURES:  # "7.0e9" staged and "7000000000" read back from the store are one value
        inputs.grouped[figure] = [(s, _value(o), priority) for s, o, priority in inputs.grouped.get(figure, ())]
    return inputs


_FIGURES = tuple(str(p) for p in aiact.FIGURES)


def _value(text: str) -> float | str:
    """A figure's value, or its text when it is not a number (the rule that reads it then finds none).

    >>> _value("7.0e9") == _value("7000000000"), _value("about 7B")
    (True, 'about 7B')
    """
    try:
        return float(text)
    except ValueError:
        return text


def _priorities(store: Store) -> dict[str, int]:
    result = store.execute(
        f"SELECT ?s ?p WHERE {{ GRAPH <{META_GRAPH}> {{ ?s <{EAI.sourcePriority}> ?p }} }}"
    )
    return {str(s).rsplit("/", 1)[-1]: int(p) for s, p in result.rows}


@dataclass(frozen=True)
class World:
    """What the rules need, resolved for one day: seats, control in force, bloc members, who develops what."""

    day: date
    seat: dict[Node, Node]
    control: dict[Node, Node]
    members: dict[Node, frozenset[Node]]
    affiliations: dict[Node, list[Node]]
    holders: dict[Node, list[Node]]
    profiled: frozenset[Node] = frozenset()

    def seats(self, thing: Node) -> rules.Seats:
        holders = self.holders.get(thing) or ([] if thing in self.profiled else [thing])
        return rules.seats_of(holders, seat=self.seat, affiliations=self.affiliations, control=self.control)

    def standing(self, thing: Node, bloc: Node) -> str:
        """Inside, outside or unknown: where ``thing`` stands for ``bloc`` on this world's day."""
        s = self.seats(thing)
        return rules.standing(s.seats, unknown=s.unknown, members=self.members.get(bloc, frozenset()))

    def things(self) -> set[Node]:
        """Everything that gets a profile: developed things, developers, and everything with a seat."""
        return set(self.holders) | {h for hs in self.holders.values() for h in hs} | set(self.seat) | self.profiled


def _first(claims: list[tuple[Node, Node, int]]) -> dict[Node, Node]:
    out: dict[Node, Node] = {}
    for s, o, _ in sorted(claims, key=lambda c: c[2]):
        out.setdefault(s, o)
    return out


def world(inputs: Inputs, day: date, by: dict[Node, list[tuple[Node, Node, int]]] | None = None) -> World:
    """The rules' view of the claims on ``day`` (for today at ingest; for any day in the analysis)."""
    by = by if by is not None else inputs.by_predicate()
    starts, ends = _first(by[_START]), _first(by[_END])
    controllers = _first(by[str(EAI.controller)])
    control = rules.controls_in_force(
        ((org, controllers[rel], starts.get(rel), ends.get(rel), p) for org, rel, p in by[str(EAI.control)]
         if rel in controllers), day)
    blocs = _first(by[str(EAI.bloc)])
    members: dict[Node, set[Node]] = {bloc: set() for bloc in blocs.values()}
    for country, membership, _ in by[str(EAI.membership)]:
        if membership in blocs and rules.holds(starts.get(membership), ends.get(membership), day):
            members[blocs[membership]].add(country)
    holders: dict[Node, list[Node]] = defaultdict(list)
    for predicate in DEVELOPERS:
        for thing, holder, _ in by[predicate]:
            if holder not in holders[thing]:
                holders[thing].append(holder)
    affiliations: dict[Node, list[Node]] = defaultdict(list)
    for person, org, _ in by[str(EAI.affiliatedWith)]:
        affiliations[person].append(org)
    return World(day=day, seat=rules.preferred(by[str(EAI.jurisdiction)]), control=control,
                 members={b: frozenset(m) for b, m in members.items()}, affiliations=dict(affiliations),
                 holders=dict(holders), profiled=frozenset(s for s, _, _ in by[_TYPE]))


#: The predicates the derivation writes, looked up once (a namespace attribute costs a call each time).
_controlledBy = EAI.controlledBy
_controllingCountry = EAI.controllingCountry
_derivedOn = EAI.derivedOn
_hasAncestor = EAI.hasAncestor
_hasAncestorOutsideBloc = EAI.hasAncestorOutsideBloc
_jurisdictionProfile = EAI.jurisdictionProfile
_effectiveLicenceClass = EAI.effectiveLicenceClass
_inBlocToday = EAI.inBlocToday
_opennessClass = EAI.opennessClass
_preferredJurisdiction = EAI.preferredJurisdiction
_preferredLicence = EAI.preferredLicence
_reliesOn = EAI.reliesOn


def compute(inputs: Inputs, *, today: date | None = None) -> Iterator[Triple]:
    """Every derived triple for these inputs (pure; the tests call it directly)."""
    today = today or datetime.now(UTC).date()
    by = inputs.by_predicate()
    yield DERIVATION, _derivedOn, Literal(today.isoformat(), datatype=XSD.date)

    ancestors = closure((s, o) for p in LINEAGE for s, o, _ in by[p] if s != o)
    for node, above in ancestors.items():
        for ancestor in above:
            yield node, _hasAncestor, ancestor

    licences = rules.preferred(c for p in LICENCE for c in by[p])
    for model, licence in licences.items():
        yield model, _preferredLicence, licence
    effective = {m: c for m, _, c in _effective_classes(ancestors, licences, _first(by[str(_opennessClass)]))}
    for model, cls in effective.items():
        yield model, _effectiveLicenceClass, cls
    now = world(inputs, today, by)
    for subject, country in now.seat.items():
        yield subject, _preferredJurisdiction, country
    for org, controller in now.control.items():
        yield org, _controlledBy, controller
    for org in set(now.seat) | set(now.control):
        country = now.seat.get(rules.ultimate(org, now.control)) or now.seat.get(org)
        if country is not None:
            yield org, _controllingCountry, country
    yield from _days(by)
    for bloc, inside in now.members.items():
        for country in inside:
            yield country, _inBlocToday, bloc
    standing = yield from _profiles(now)
    for model, above in ancestors.items():  # only models inside a bloc: the questions ask about those
        inside = standing.inside.get(model)
        if inside:
            for bloc in {b for a in above for b in standing.outside.get(a, ())} & inside:
                yield model, _hasAncestorOutsideBloc, bloc
    for p in RAW_DEPENDENCIES:
        for s, o, _ in by[p]:
            if s != o and not isinstance(o, Literal):
                yield s, _reliesOn, o
    for s, o in (*licences.items(), *now.control.items()):
        yield s, _reliesOn, o
    yield from aiact.derive(by, ancestors=ancestors, effective=effective, control=now.control)


def closure(edges: Iterable[tuple[Node, Node]]) -> dict[Node, set[Node]]:
    """node -> every other node it reaches (its ancestors), for every node with an edge out.

    A depth-first walk finishes a node's bases before the node, so a node's ancestors are its bases and their
    ancestors, each found once. Lineage with a cycle is solved by :func:`_closure_with_cycles`: a node in a cycle
    reaches the cycle's other members, never itself.

    >>> sorted(closure([("c", "b"), ("b", "a"), ("x", "y"), ("y", "x")])["c"])
    ['a', 'b']
    >>> sorted(closure([("x", "y"), ("y", "x")])["x"])
    ['y']
    """
    bases: dict[Node, set[Node]] = defaultdict(set)
    for node, base in edges:
        bases[node].add(base)
    reach: dict[Node, set[Node]] = {}
    for root in bases:
        if root in reach:
            continue
        path, stack = {root}, [(root, iter(bases[root]))]
        while stack:
            node, pending = stack[-1]
            for base in pending:
                if base in reach or base not in bases:
                    continue
                if base in path:  # a cycle: solved by strongly connected groups instead
                    return _closure_with_cycles(bases)
                path.add(base)
                stack.append((base, iter(bases[base])))
                break
            else:  # every base finished
                stack.pop()
                path.discard(node)
                above = set(bases[node])
                for base in bases[node]:
                    above.update(reach.get(base, ()))
                reach[node] = above
    return reach


def _closure_with_cycles(bases: dict[Node, set[Node]]) -> dict[Node, set[Node]]:
    """The closure when lineage has a cycle: each strongly connected group is solved once and shared; groups are
    visited parents first."""
    g = nx.DiGraph()
    g.add_edges_from((node, base) for node, above in bases.items() for base in above)
    groups = nx.condensation(g)
    members = groups.graph["mapping"]
    reach: dict[int, frozenset] = {}
    for group in reversed(list(nx.topological_sort(groups))):  # parents (reached groups) first
        inside = groups.nodes[group]["members"]
        above: set = set(inside) if len(inside) > 1 else set()  # a cycle reaches every member, itself included
        for parent in groups.successors(group):
            above |= groups.nodes[parent]["members"]
            above |= reach[parent]
        reach[group] = frozenset(above)
    return {node: set(reach[members[node]] - {node}) for node in g if g.out_degree(node)}


def _effective_classes(ancestors: dict[Node, set[Node]], licences: dict[Node, Node],
                       classes: dict[Node, Node]) -> Iterator[Triple]:
    """The strictest licence class (highest rank) among a model's own preferred licence and its ancestors'."""
    rank = {str(c.iri): c.rank for c in reference.licence_classes()}
    for model in set(licences) | set(ancestors):
        found = [classes[licences[m]] for m in (model, *ancestors.get(model, ()))
                 if m in licences and licences[m] in classes and str(classes[licences[m]]) in rank]
        if found:
            yield model, EAI.effectiveLicenceClass, max(found, key=lambda c: rank[str(c)])


def _days(by: dict[str, list[tuple[Node, Node, int]]]) -> Iterator[Triple]:
    """Full first and last days of every dated membership and control relation."""
    starts, ends = _first(by[_START]), _first(by[_END])
    dated = {rel for _, rel, _ in (*by[str(EAI.membership)], *by[str(EAI.control)])}
    for node in dated:
        first, last = rules.day_span(starts.get(node), ends.get(node))
        if first is not None:
            yield node, EAI.fromDay, Literal(first.isoformat(), datatype=XSD.date)
        if last is not None:
            yield node, EAI.untilDay, Literal(last.isoformat(), datatype=XSD.date)


_STANDING = {rules.INSIDE: EAI.insideBloc, rules.OUTSIDE: EAI.outsideBloc, rules.UNKNOWN: EAI.blocUnknown}
_CONTROL = {rules.INSIDE: EAI.controlInsideBloc, rules.OUTSIDE: EAI.controlOutsideBloc,
            rules.UNKNOWN: EAI.controlUnknown}


@dataclass
class Standings:
    """Which blocs each thing is inside and outside of today (what the lineage flag needs)."""

    inside: dict[Node, set[Node]] = field(default_factory=dict)
    outside: dict[Node, list[Node]] = field(default_factory=dict)


def _profiles(now: World):
    """Profile links and the profile nodes (one per distinct seats); returns where each thing stands."""
    profiles: dict[rules.Seats, tuple[URIRef, list[Node], set[Node]]] = {}  # one per distinct seats
    out = Standings()
    for thing in now.things():
        seats = now.seats(thing)
        profile = profiles.get(seats)
        if profile is None:
            node = _profile_iri(seats)
            yield from _profile(node, seats, now)
            standing = {bloc: rules.standing(seats.seats, unknown=seats.unknown, members=inside)
                        for bloc, inside in now.members.items()}
            profile = profiles[seats] = (node, [b for b, s in standing.items() if s == rules.OUTSIDE],
                                         {b for b, s in standing.items() if s == rules.INSIDE})
        node, outs, ins = profile
        yield thing, _jurisdictionProfile, node
        if outs:
            out.outside[thing] = outs
        if ins:
            out.inside[thing] = ins
    return out


def _profile(node: URIRef, seats: rules.Seats, now: World) -> Iterator[Triple]:
    def codes(countries: frozenset) -> str:
        return ", ".join(sorted(str(c).rsplit("/", 1)[-1] for c in countries)) or "nowhere known"

    yield node, RDF.type, EAI.JurisdictionProfile
    unknown = " (and somewhere unknown)" if seats.unknown and seats.seats else ""
    yield node, RDFS.label, Literal(f"seated in {codes(seats.seats)}{unknown}; "
                                    f"controlled from {codes(seats.controlled_from)}{unknown}")
    yield node, EAI.seatUnknown, Literal(seats.unknown)
    for country in seats.seats:
        yield node, EAI.seat, country
    for country in seats.controlled_from:
        yield node, EAI.controllingCountry, country
    for bloc, inside in now.members.items():
        yield node, _STANDING[rules.standing(seats.seats, unknown=seats.unknown, members=inside)], bloc
        yield node, _CONTROL[rules.standing(seats.controlled_from, unknown=seats.control_unknown, members=inside)], bloc
        if rules.wholly_inside(seats.seats, unknown=seats.unknown, members=inside):
            yield node, EAI.whollyInsideBloc, bloc


def _profile_iri(seats: rules.Seats) -> URIRef:
    key = "|".join([",".join(sorted(map(str, seats.seats))), str(seats.unknown),
                    ",".join(sorted(map(str, seats.controlled_from))), str(seats.control_unknown)])
    return ID[f"profile/{hashlib.sha256(key.encode()).hexdigest()[:16]}"]


def _nt(term: Node | str) -> str:
    """N-Triples text: a plain string is an IRI read from a store or a parsed file (already valid)."""
    return f"<{term}>" if type(term) is str else nt_term(term)


def stage(store: Store, tapped: Sequence[tuple[Staged, Tap]], workdir: Path) -> Staged:
    """Compute the derived graph for the state after the staged runs are swapped in, as a staged run (``tapped``:
    each staged run with the tap that kept its inputs, see :func:`gather`)."""
    path = workdir / "derived.nt"
    report = Report(SPEC.id)
    feed = Feed(path=path, url=str(URIRef("https://w3id.org/euaigraph/ontology")), retrieved_at=datetime.now(UTC))
    inputs = gather(store, tapped)
    report.read(len(inputs))
    report.ingested(len(inputs))  # every claim gathered is an input of the computation
    triples = dict.fromkeys(compute(inputs))  # a graph is a set: each triple once
    with path.open("w", encoding="utf-8") as out:
        out.writelines(f"{_nt(s)} <{p}> {_nt(o)} .\n" for s, p, o in triples)
    written = len(triples)
    run = Run(spec=SPEC, feed=feed, report=report, triples_written=written, status="succeeded",
              ended=datetime.now(UTC))
    return Staged(run=run, path=path)


__all__ = ["SPEC", "Inputs", "Tap", "World", "closure", "compute", "gather", "stage", "world"]
