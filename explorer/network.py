"""Choosing what the graph view shows: filters, a focus node with N hops, a node cap; and the layout.

Pure functions over the entity network (:func:`euaigraph.graph.export.entity_network`); no Streamlit here.

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

import igraph as ig
import networkx as nx

from euaigraph.graph import REFERENCE_KINDS, regions
from euaigraph.ontology import reference

LINEAGE = {str(p).rsplit("#", 1)[-1] for p in reference.lineage_properties()}
REGIONS = regions()
DEFAULT_CAP = 300
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


def neighbourhood(net: nx.MultiDiGraph, focus: str, hops: int) -> set[str]:
    """Nodes within ``hops`` of ``focus``, in either direction. Countries, languages, licences and blocs can be
    reached but not passed through: otherwise two hops from any model would include a whole country."""
    seen, frontier = {focus}, {focus}
    for _ in range(max(hops, 0)):
        step = set()
        for node in frontier:
            if node != focus and net.nodes[node]["kind"] in REFERENCE_KINDS:
                continue
            step.update(nx.all_neighbors(net, node))
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
    candidates = set(net) if not f.focus or f.focus not in net else neighbourhood(net, f.focus, f.hops)
    if f.programme and f.programme in net:
        candidates &= programme_members(net, f.programme)
    keep = {n for n in candidates if _passes(net.nodes[n], f)}
    if f.focus in net:
        keep.add(f.focus)
    matching = len(keep)
    if matching > f.cap:
        ranked = sorted(keep, key=lambda n: (n != f.focus, -net.nodes[n]["derivatives"], -net.degree(n), n))
        keep = set(ranked[:f.cap])
    return View(graph=net.subgraph(keep).copy(), matching=matching)


def layout(net: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions in pixels for the nodes of a view: Fruchterman-Reingold (igraph, grid variant, fixed seed).

    The browser then draws with physics off, which is what makes a 1,000-node view appear at once (DESIGN §8:
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
          "programme": "programme", "source": "source", "focus": "focus", "hops": "hops", "cap": "cap"}


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
        else:
            values[name] = tuple(v for v in given if v) if given else (DEFAULT_KINDS if name == "kinds" else ())
    return Filters(**values)


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
        if isinstance(value, tuple):
            out[param] = list(value) or [""]
        else:
            out[param] = [str(value)]
    return out
