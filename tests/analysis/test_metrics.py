"""upstream, concentration and what_if on small graphs whose answers were worked out by hand (in the comments)."""

from __future__ import annotations

import random
from collections import Counter

import networkx as nx
import pytest

from euaigraph.graph.analysis import concentration, upstream, what_if
from euaigraph.graph.analysis.metrics import DIMENSIONS, reached_by


#: Where graph_a's nodes stand for a bloc of {FRA, FIN} (as the derived graph would say); d's seat is unknown and
#: the licence l has none.
STANDING_A = {"m": "inside", "b": "outside", "d": "unknown", "f": "inside", "v": "outside", "p": "inside",
              "q": "outside"}


def graph_a() -> nx.DiGraph:
    """m (FRA) fine-tuned from b (USA); m trained on d (no seat known); b trained at f (FIN) whose accelerators
    come from v (USA); m and b under licence l; m provided by p (FRA), b by q (USA)."""
    g = nx.DiGraph()
    for node, kind, where in [("m", "model", "FRA"), ("b", "model", "USA"), ("d", "dataset", None),
                              ("f", "facility", "FIN"), ("v", "organisation", "USA"), ("l", "licence", None),
                              ("p", "organisation", "FRA"), ("q", "organisation", "USA")]:
        g.add_node(node, kind=kind, label=node.upper(), seats=(where,) if where else ())
    for child, parent, relation in [("m", "b", "fine-tune"), ("m", "d", "trained-on"), ("b", "f", "trained-at"),
                                    ("f", "v", "accelerator-vendor"), ("m", "l", "licence"), ("b", "l", "licence"),
                                    ("m", "p", "provider"), ("b", "q", "provider")]:
        g.add_edge(child, parent, relation=relation)
    return g


def test_upstream_depths_paths_and_foreign_share():
    up = upstream(graph_a(), "m", standing=STANDING_A)
    depths = {n.node: n.depth for n in up.nodes}
    # Direct: b, d, l, p (1); through b: f, q (2); through b and f: v (3). l is reached at depth 1 from m itself.
    assert depths == {"b": 1, "d": 1, "l": 1, "p": 1, "f": 2, "q": 2, "v": 3}
    by_node = {n.node: n for n in up.nodes}
    assert by_node["v"].path == ("m", "b", "f", "v") and by_node["v"].relation == "accelerator-vendor"
    assert by_node["l"].path == ("m", "l")
    # K = inside or outside among the 7: b, f, v, p, q -> 5 (d unknown, l has no seat).
    # F = outside: b, v, q -> 3. foreign share = 3 / 5 = 0.6; one node (d) of unknown jurisdiction.
    assert (up.known, up.foreign, up.unknown, up.foreign_share) == (5, 3, 1, pytest.approx(0.6))
    assert [n.standing for n in up.nodes if n.node in ("d", "l")] == ["unknown", None]
    assert up.as_rows()[0]["path"] == "m > b"


def test_upstream_share_is_unknown_without_known_jurisdictions():
    g = nx.DiGraph()
    g.add_edge("m", "l", relation="licence")
    assert upstream(g, "m", standing={"m": "inside"}).foreign_share is None
    with pytest.raises(KeyError):
        upstream(g, "nothing", standing={})


def test_upstream_ties_go_to_the_smaller_iri():
    # m -> a -> x and m -> c -> x are both shortest: the path goes through a.
    g = nx.DiGraph()
    for child, parent in [("m", "c"), ("m", "a"), ("c", "x"), ("a", "x")]:
        g.add_edge(child, parent, relation="derived")
    assert {n.node: n.path for n in upstream(g, "m", standing={}).nodes}["x"] == ("m", "a", "x")


def graph_b() -> nx.DiGraph:
    """Five models. m1 and m3 derive from m0. Providers: m0 P2, m1 P1, m2 P1, m3 P3, m4 P3. Facilities: m1 at F1
    and m2 at F2 (both vendor V1), m3 at F3 (vendor V2); m0 and m4 name none."""
    g = nx.DiGraph()
    for m in ("m0", "m1", "m2", "m3", "m4"):
        g.add_node(m, kind="model", label=m)
    for child, parent, relation in [
        ("m1", "m0", "fine-tune"), ("m3", "m0", "derived"),
        ("m0", "P2", "provider"), ("m1", "P1", "provider"), ("m2", "P1", "provider"),
        ("m3", "P3", "provider"), ("m4", "P3", "provider"),
        ("m1", "F1", "trained-at"), ("m2", "F2", "trained-at"), ("m3", "F3", "trained-at"),
        ("F1", "V1", "accelerator-vendor"), ("F2", "V1", "accelerator-vendor"), ("F3", "V2", "accelerator-vendor"),
    ]:
        g.add_edge(child, parent, relation=relation)
    return g


def test_concentration_of_providers_over_chosen_models():
    # E(m1) = {P1, P2 (via m0)}, E(m2) = {P1}, E(m3) = {P3, P2 (via m0)}, E(m4) = {P3}.
    # c = P1 2, P2 2, P3 2; sum 6; each share 100/3. HHI = 3 × (100/3)² = 3,333.33; top-2 = 66.67.
    c = concentration(graph_b(), dimension="provider", models=["m1", "m2", "m3", "m4"], top_k=2)
    assert [(s.entity, s.models) for s in c.shares] == [("P1", 2), ("P2", 2), ("P3", 2)]
    assert c.hhi == pytest.approx(10_000 / 3)
    assert c.top_k_share == pytest.approx(200 / 3)
    assert (c.models, c.covered) == (4, 4)


def test_concentration_of_providers_over_all_models():
    # Adding m0 (E = {P2}): c = P2 3, P1 2, P3 2; sum 7; shares 300/7 = 42.86, 200/7 = 28.57 (twice).
    # HHI = (300/7)² + 2 × (200/7)² = (90,000 + 80,000) / 49 = 3,469.39; top-1 share = 42.86.
    c = concentration(graph_b(), dimension="provider", top_k=1)
    assert [s.entity for s in c.shares] == ["P2", "P1", "P3"]
    assert c.hhi == pytest.approx(170_000 / 49)
    assert c.top_k_share == pytest.approx(300 / 7)
    assert c.as_rows()[0] == {"entity": "P2", "label": "P2", "models": 3, "share": 42.86}


def test_concentration_of_accelerator_vendors():
    # E(m1) = {V1}, E(m2) = {V1}, E(m3) = {V2}, E(m0) = E(m4) = {}: V1 2, V2 1; shares 66.67 and 33.33.
    # HHI = 4,444.44 + 1,111.11 = 5,555.56; 3 of the 5 models are covered.
    c = concentration(graph_b(), dimension="vendor")
    assert [(s.entity, s.models) for s in c.shares] == [("V1", 2), ("V2", 1)]
    assert c.hhi == pytest.approx(50_000 / 9)
    assert (c.models, c.covered) == (5, 3)
    with pytest.raises(ValueError, match="unknown dimension"):
        concentration(graph_b(), dimension="colour")


def test_what_if_a_provider_withdraws():
    # q provides b, which m is fine-tuned from: b at distance 1, m at 2 through b.
    affected = what_if(graph_a(), "q")
    assert [(a.node, a.distance, a.path) for a in affected] == [("b", 1, ("b", "q")), ("m", 2, ("m", "b", "q"))]


def test_what_if_a_licence_changes():
    # Both m and b carry l directly.
    assert [(a.node, a.distance) for a in what_if(graph_a(), "l")] == [("b", 1), ("m", 1)]


def test_what_if_several_nodes_are_removed_uses_the_nearest():
    # Removing v and p: f depends on v (1), m on p (1; v is 3 away through b and f), b on v through f (2).
    affected = what_if(graph_a(), ["v", "p"])
    assert [(a.node, a.removed, a.distance) for a in affected] == [("f", "v", 1), ("m", "p", 1), ("b", "v", 2)]
    assert affected[2].as_rows()[0]["path"] == "b > f > v"
    with pytest.raises(KeyError, match="not in the dependency graph"):
        what_if(graph_a(), "nowhere")


def random_dependency_graph(seed: int, *, nodes: int = 300, cycle: bool = False) -> nx.DiGraph:
    """Models derived from earlier models, each with providers and datasets drawn from small pools."""
    rng = random.Random(seed)
    g = nx.DiGraph()
    for i in range(nodes):
        g.add_node(f"m{i}", kind="model")
        for parent in rng.sample(range(i), k=min(i, rng.choice((0, 1, 1, 2)))):
            g.add_edge(f"m{i}", f"m{parent}", relation=rng.choice(("fine-tune", "merge", "derived")))
        if rng.random() < 0.7:
            g.add_edge(f"m{i}", f"org{rng.randrange(12)}", relation="provider")
        for d in rng.sample(range(20), k=rng.randrange(3)):
            g.add_edge(f"m{i}", f"data{d}", relation="trained-on")
    for org in range(12):  # organisations controlled by others: entities reached through non-model nodes
        if rng.random() < 0.3:
            g.add_edge(f"org{org}", f"org{(org + 1) % 12}", relation="controller")
    if cycle:  # m0 and m1 derived from each other: every model upstream of either is on a cycle's way
        g.add_edge("m1", "m0", relation="derived")
        g.add_edge("m0", "m1", relation="derived")
    return g


def brute_force_counts(g: nx.DiGraph, relation: str) -> Counter:
    counts: Counter = Counter()
    for model in (n for n, k in g.nodes(data="kind") if k == "model"):
        closure = nx.descendants(g, model) | {model}
        counts.update({p for u in closure for p in g.successors(u) if g.edges[u, p]["relation"] == relation})
    return counts


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("cycle", [False, True], ids=["acyclic", "with-a-cycle"])
def test_concentration_counts_every_entity_upstream_of_each_model(seed, cycle):
    # The one-pass shortcut (and its fallback when a cycle makes it unsound) against walking each closure.
    g = random_dependency_graph(seed, cycle=cycle)
    assert (reached_by(g, "provider", list(g)) is None) == cycle
    for dimension in ("provider", "dataset"):
        c = concentration(g, dimension=dimension)
        expected = brute_force_counts(g, DIMENSIONS[dimension])
        assert {s.entity: s.models for s in c.shares} == dict(expected)
        assert c.covered <= c.models == 300
