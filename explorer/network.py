"""Choosing what the graph view shows: filters, a focus node with N hops, a node cap; and the layout.

Pure functions over the entity network (:func:`euaigraph.graph.network.entity_network`); no Streamlit here.

>>> import networkx as nx
>>> net = nx.MultiDiGraph()
>>> common = {"region": "EU", "country": "FRA", "sources": "a", "derivatives": 0}
>>> net.add_node("m", kind="model", label="M", licence_class="open", **common)
>>> net.add_node("o", kind="organisation", label="O", licence_class="", **common)
>>> net.add_edge("m", "o", key="p", predicate="providedBy")
'p'
>>> view = select(net, Filters(kinds=("model",)))
>>> sorted(view.graph), view.matching
(['m'], 1)
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import igraph as ig
import networkx as nx

from euaigraph.graph import REFERENCE_KINDS, regions
from euaigraph.ontology import reference

LINEAGE = {str(p).rsplit("#", 1)[-1] for p in reference.lineage_properties()}
#: The lineage relation every other one implies (eai:derivedFrom, the closure's super-property).
DERIVED_FROM = str(reference.EAI.derivedFrom).rsplit("#", 1)[-1]


def said(predicates: set[str]) -> set[str]:
    """The relations worth writing on one edge: "derived from" goes when a more exact lineage relation (fine-tuned
    from, merged from…) already says it.

    >>> sorted(said({"derivedFrom", "fineTunedFrom", "usesTokenizerOf"}))
    ['fineTunedFrom', 'usesTokenizerOf']
    >>> sorted(said({"derivedFrom", "usesTokenizerOf"}))
    ['derivedFrom', 'usesTokenizerOf']
    """
    return predicates - {DERIVED_FROM} if predicates & (LINEAGE - {DERIVED_FROM}) else predicates
REGIONS = regions()
DEFAULT_CAP = 300
#: Relation (local name) -> its group (lineage, funding, control, compute...), from the ontology.
GROUP_OF = {r.name: r.group for r in reference.relations()}
GROUPS = tuple(c.code for c in reference.relation_groups())
#: What the nodes can be coloured by (the first is the default), and what each choice is called on screen.
COLOUR_WORDS = {"region": "seat region", "licence_class": "licence class", "kind": "kind", "sources": "source"}
COLOUR_BY = tuple(COLOUR_WORDS)
#: Above this many nodes, models are drawn inside their organisation (one node per organisation).
AGGREGATE_ABOVE = 400
_LAYOUT_LOCK = threading.Lock()


@dataclass(frozen=True)
class Filters:
    """Empty tuples mean "no restriction"."""

    kinds: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    licence_classes: tuple[str, ...] = ()
    programme: str = ""
    source: str = ""
    focus: str = ""
    hops: int = 1
    cap: int = DEFAULT_CAP
    groups: tuple[str, ...] = ()  # relation groups the hops from the focus follow (empty: all)
    colour: str = "region"
    aggregate: bool = True


@dataclass(frozen=True)
class View:
    graph: nx.MultiDiGraph
    matching: int  # nodes that pass the filters, before the cap

    @property
    def shown(self) -> int:
        return self.graph.number_of_nodes()

    @property
    def capped(self) -> bool:
        return self.shown < self.matching


def _follows(data: dict, groups: tuple[str, ...]) -> bool:
    return not groups or GROUP_OF.get(data.get("predicate", "")) in groups


def neighbourhood(net: nx.MultiDiGraph, focus: str, hops: int, groups: tuple[str, ...] = ()) -> set[str]:
    """Nodes within ``hops`` of ``focus``, in either direction, along relations of ``groups`` only (all when
    empty): a focus on a model with the lineage group does not wander through a shared university. Countries,
    languages, licences and blocs can be reached but not passed through: otherwise two hops from any model would
    include a whole country."""
    seen, frontier = {focus}, {focus}
    for _ in range(max(hops, 0)):
        step = set()
        for node in frontier:
            if node != focus and net.nodes[node]["kind"] in REFERENCE_KINDS:
                continue
            step.update(o for _, o, d in net.out_edges(node, data=True) if _follows(d, groups))
            step.update(s for s, _, d in net.in_edges(node, data=True) if _follows(d, groups))
        frontier = step - seen
        seen |= frontier
    return seen


def programme_members(net: nx.MultiDiGraph, programme: str) -> set[str]:
    """The programme, its sub-programmes, the projects under them and what those projects link to directly."""
    programmes = {programme}
    changed = True
    while changed:
        subs = {s for s, o, d in net.in_edges(programmes, data=True) if d.get("predicate") == "parentProgramme"}
        changed = not subs <= programmes
        programmes |= subs
    projects = {s for s, o, d in net.in_edges(programmes, data=True) if d.get("predicate") == "underProgramme"}
    direct = {s for s, o, d in net.in_edges(programmes, data=True) if d.get("predicate") != "parentProgramme"}
    members = programmes | projects | direct
    for project in projects:
        members.update(n for n in nx.all_neighbors(net, project) if net.nodes[n]["kind"] not in REFERENCE_KINDS)
    return members


def _passes(data: dict, f: Filters) -> bool:
    if f.kinds and data["kind"] not in f.kinds:
        return False
    if f.regions and data["region"] not in f.regions:
        return False
    if f.countries and data["country"] not in f.countries:
        return False
    # Licence classes only say something about models, data sets and licences; other nodes stay.
    if f.licence_classes and data["licence_class"] and data["licence_class"] not in f.licence_classes:
        return False
    return not f.source or f.source in data["sources"].split(";")


def select(net: nx.MultiDiGraph, f: Filters) -> View:
    """The nodes that pass the filters (within the focus neighbourhood, if any), cut to ``f.cap`` by importance."""
    candidates = set(net) if not f.focus or f.focus not in net else neighbourhood(net, f.focus, f.hops, f.groups)
    if f.programme and f.programme in net:
        candidates &= programme_members(net, f.programme)
    keep = {n for n in candidates if _passes(net.nodes[n], f)}
    if f.focus in net:
        keep.add(f.focus)
    matching = len(keep)
    if matching > f.cap:
        ranked = sorted(keep, key=lambda n: (n != f.focus, -net.nodes[n]["derivatives"], -net.degree(n), n))
        keep = set(ranked[:f.cap])
    graph = net.subgraph(keep).copy()
    if f.focus in net and f.groups:  # only the chosen relations are drawn
        graph.remove_edges_from([(s, o, k) for s, o, k, d in graph.edges(keys=True, data=True)
                                 if not _follows(d, f.groups)])
    return View(graph=graph, matching=matching)


def is_lineage(view: nx.MultiDiGraph) -> bool:
    """A view of lineage only (every edge in the ontology's lineage group, the group "Follow only: lineage" keeps):
    drawn as layers, upstream above downstream."""
    return view.number_of_edges() > 0 and all(GROUP_OF.get(d.get("predicate")) == "lineage"
                                              for _, _, d in view.edges(data=True))


def aggregate(view: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The view with each model drawn inside the organisation that provides or develops it: one node per
    organisation (``members`` models in it) instead of a hairball; edges between groups merged and counted.

    >>> g = nx.MultiDiGraph()
    >>> for n in ("m1", "m2"): g.add_node(n, kind="model", label=n, derivatives=0)
    >>> g.add_node("o", kind="organisation", label="O", derivatives=0)
    >>> _ = [g.add_edge(m, "o", key="p", predicate="providedBy") for m in ("m1", "m2")]
    >>> a = aggregate(g); sorted(a), a.nodes["o"]["members"], a.nodes["o"]["label"]
    (['o'], 2, 'O (2 models)')
    """
    home = {}
    for model, org, data in view.edges(data=True):
        # A model's development relations (provider, developer) lead to its organisation.
        if view.nodes[model].get("kind") == "model" and GROUP_OF.get(data.get("predicate")) == "development" \
                and view.nodes[org].get("kind") == "organisation":
            home.setdefault(model, org)
    out = nx.MultiDiGraph()
    for node, data in view.nodes(data=True):
        if node not in home:
            out.add_node(node, **data, members=0)
    for model, org in home.items():
        out.nodes[org]["members"] += 1
    for node, data in out.nodes(data=True):
        if data["members"]:
            data["label"] = f"{data['label']} ({data['members']} model{'s' if data['members'] > 1 else ''})"
            data["derivatives"] = max(data.get("derivatives") or 0, data["members"])
    merged: dict[tuple[str, str], int] = {}
    for s, o, data in view.edges(data=True):
        a, b = home.get(s, s), home.get(o, o)
        if a != b:
            merged[(a, b, data.get("predicate", ""))] = merged.get((a, b, data.get("predicate", "")), 0) + 1
    for (a, b, predicate), count in merged.items():
        out.add_edge(a, b, key=predicate, predicate=predicate, count=count)
    return out


def layout(net: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions in pixels for the nodes of a view: Fruchterman-Reingold (igraph, grid variant, fixed seed).

    The browser then draws with physics off, which is what makes a 1,000-node view appear at once (decisions/0007-explorer-rendering.md:
    fresh physics does not settle 2,000 nodes in 90 s; networkx's layouts take seconds at this size, igraph's
    grid variant 0.1 s for 1,000 nodes). The pages compute it once per (data version, set of nodes shown).
    """
    nodes = list(net.nodes)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    graph = ig.Graph(n=len(nodes), edges=sorted({tuple(sorted((index[s], index[o]))) for s, o in net.edges()
                                                 if s != o}))
    with _LAYOUT_LOCK:  # igraph's random generator is global: seed it and use it alone
        ig.set_random_number_generator(random.Random(7))
        coords = graph.layout_fruchterman_reingold(grid=True).coords
    return _fit(nodes, coords)


def _fit(nodes: list[str], coords: list[list[float]]) -> dict[str, tuple[float, float]]:
    """Centre the layout, scale it to about 35 px per node across, and pull far-flung small components in to the
    edge of the main picture (else the view opens zoomed out on a few stray nodes)."""
    cx = sum(c[0] for c in coords) / len(coords)
    cy = sum(c[1] for c in coords) / len(coords)
    radii = sorted(math.hypot(c[0] - cx, c[1] - cy) for c in coords)
    edge = radii[int(0.9 * (len(radii) - 1))] or 1.0
    scale = 35 * math.sqrt(len(nodes)) / edge
    out = {}
    for node, (x, y) in zip(nodes, coords):
        dx, dy = x - cx, y - cy
        pull = min(1.0, 1.3 * edge / (math.hypot(dx, dy) or 1.0))
        out[node] = (round(dx * pull * scale, 1), round(dy * pull * scale, 1))
    return out


def lineage(net: nx.MultiDiGraph) -> nx.DiGraph:
    """Model -> the model it derives from (any lineage relation)."""
    out = nx.DiGraph()
    out.add_edges_from((s, o) for s, o, d in net.edges(data=True) if d.get("predicate") in LINEAGE)
    return out


DEFAULT_KINDS = ("model", "organisation", "dataset", "facility", "project", "programme", "licence")
#: URL parameter -> Filters field, shared by the graph page (its widgets) and the export page (the current view).
PARAMS = {"kind": "kinds", "region": "regions", "country": "countries", "licence": "licence_classes",
          "programme": "programme", "source": "source", "focus": "focus", "hops": "hops", "cap": "cap",
          "via": "groups", "colour": "colour", "group": "aggregate"}


def filters_from_params(get_all) -> Filters:
    """Filters from URL parameters (``get_all(name) -> list[str]``); absent ones take the graph page's defaults.

    >>> params = {"kind": ["model"], "hops": ["2"], "cap": ["oops"]}
    >>> f = filters_from_params(lambda k: params.get(k, []))
    >>> f.kinds, f.regions, f.focus, f.hops, f.cap
    (('model',), (), '', 2, 300)
    """
    values = {}
    for param, name in PARAMS.items():
        given = [v for v in get_all(param)]
        if name in ("hops", "cap"):
            try:
                values[name] = max(0 if name == "hops" else 1, int(given[-1])) if given else getattr(Filters, name)
            except ValueError:
                values[name] = getattr(Filters, name)
        elif name in ("programme", "source", "focus"):
            values[name] = given[-1] if given else ""
        elif name == "colour":
            values[name] = given[-1] if given and given[-1] in COLOUR_BY else "region"
        elif name == "aggregate":
            values[name] = not given or given[-1].lower() not in ("false", "no", "0", "off")
        elif name == "groups":
            values[name] = tuple(v for v in given if v in GROUPS)
        else:
            values[name] = tuple(v for v in given if v) if given else (DEFAULT_KINDS if name == "kinds" else ())
    return Filters(**values)


def check_params(get_all, nodes, present: dict[str, list[str]]) -> list[tuple[str, str, str, str]]:
    """The link's values the graph view cannot take: ``(parameter, value, what is used instead, why)``.

    >>> given = {"hops": ["9"], "cap": ["x"], "colour": ["rainbow"], "via": ["lineage", "gossip"]}
    >>> [(p, v) for p, v, _, _ in check_params(lambda k: given.get(k, []), {}, {})]
    [('hops', '9'), ('cap', 'x'), ('via', 'gossip'), ('colour', 'rainbow')]
    """
    allowed = {"kind": set(present.get("kind", ())) | set(DEFAULT_KINDS), "region": set(REGIONS),
               "country": set(present.get("country", ())), "licence": set(present.get("licence_class", ())),
               "via": set(GROUPS), "colour": set(COLOUR_BY)}
    problems = []
    for param in PARAMS:
        for value in get_all(param):
            if param in ("hops", "cap"):
                low, high = (1, 4) if param == "hops" else (10, 5000)
                default = str(getattr(Filters, PARAMS[param]))
                if not value.isdigit() or not low <= int(value) <= high:
                    problems.append((param, value, default, f"a whole number from {low} to {high}"))
            elif param in allowed and value and value not in allowed[param]:
                problems.append((param, value, "nothing" if param != "colour" else "region",
                                 "not a value this graph has"))
            elif param == "focus" and value and value not in nodes:
                problems.append((param, value, "no focus", "not a node of this graph"))
    return problems


def view_param(f: Filters) -> str:
    """The whole view as one URL parameter value (the graph page's query string), read by :func:`view_from_param`.

    >>> view_from_param(view_param(Filters(kinds=DEFAULT_KINDS, focus="https://x/m", hops=2, groups=("lineage",))))
    {'focus': ['https://x/m'], 'hops': ['2'], 'via': ['lineage']}
    """
    return urlencode(params_of(f), doseq=True)


def view_from_param(value: str) -> dict[str, list[str]]:
    """The graph page's parameters from :func:`view_param`'s value; only the parameters the view has (others are
    dropped), at most 100 values in all (the value comes from a link)."""
    pairs = parse_qsl(value[:20_000], keep_blank_values=True, max_num_fields=100) if value else []
    out: dict[str, list[str]] = {}
    for name, given in pairs:
        if name in PARAMS:
            out.setdefault(name, []).append(given)
    return out


def params_of(f: Filters) -> dict[str, list[str]]:
    """URL parameters that :func:`filters_from_params` turns back into ``f`` (defaults left out).

    >>> params_of(Filters(kinds=("model",), cap=20))
    {'kind': ['model'], 'cap': ['20']}
    >>> filters_from_params(lambda k: params_of(Filters(kinds=(), focus="x")).get(k, [])).kinds
    ()
    """
    out: dict[str, list[str]] = {}
    for param, name in PARAMS.items():
        value = getattr(f, name)
        default = DEFAULT_KINDS if name == "kinds" else getattr(Filters, name)
        if value == default:
            continue
        if isinstance(value, bool):
            out[param] = [str(value).lower()]
        elif isinstance(value, tuple):
            out[param] = list(value) or [""]
        else:
            out[param] = [str(value)]
    return out
