"""Choosing what the graph view shows: filters, the focus neighbourhood, programmes, the node cap."""

from __future__ import annotations

import networkx as nx
import pytest

from euaigraph.explorer.network import Filters, filters_from_params, layout, neighbourhood, programme_members, select


def _node(g, name, kind, **attrs):
    data = {"label": name, "kind": kind, "region": "EU", "country": "FRA", "licence_class": "", "sources": "s",
            "derivatives": 0}
    data.update(attrs)
    g.add_node(name, **data)


@pytest.fixture
def net() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    _node(g, "base", "model", region="elsewhere", country="USA", licence_class="open-restricted", derivatives=2)
    _node(g, "tuned", "model", licence_class="open", derivatives=1, sources="s;hf")
    _node(g, "leaf", "model", licence_class="open")
    _node(g, "meta", "organisation", region="elsewhere", country="USA")
    _node(g, "lab", "organisation")
    _node(g, "FRA", "country")
    _node(g, "other-lab", "organisation")
    _node(g, "horizon", "programme")
    _node(g, "cluster", "programme")
    _node(g, "project", "project")
    for s, o, p in [("tuned", "base", "fineTunedFrom"), ("leaf", "tuned", "derivedFrom"),
                    ("base", "meta", "providedBy"), ("tuned", "lab", "providedBy"),
                    ("lab", "FRA", "jurisdiction"), ("other-lab", "FRA", "jurisdiction"),
                    ("cluster", "horizon", "parentProgramme"), ("project", "cluster", "underProgramme"),
                    ("leaf", "project", "resultOf"), ("project", "lab", "coordinator")]:
        g.add_edge(s, o, key=p, predicate=p)
    return g


def test_filters_combine(net):
    assert set(select(net, Filters(kinds=("model",))).graph) == {"base", "tuned", "leaf"}
    assert set(select(net, Filters(kinds=("model",), regions=("EU",))).graph) == {"tuned", "leaf"}
    assert set(select(net, Filters(countries=("USA",))).graph) == {"base", "meta"}
    assert set(select(net, Filters(kinds=("model",), source="hf")).graph) == {"tuned"}


def test_licence_classes_only_judge_nodes_that_have_one(net):
    kept = set(select(net, Filters(licence_classes=("open",))).graph)
    assert "base" not in kept and {"tuned", "leaf", "meta", "lab"} <= kept


def test_hops_do_not_pass_through_countries(net):
    assert neighbourhood(net, "lab", 1) == {"lab", "FRA", "tuned", "project"}
    assert "other-lab" not in neighbourhood(net, "lab", 3)  # only reachable through the country
    assert "other-lab" in neighbourhood(net, "FRA", 1)  # a country in focus shows what is in it


def test_programme_members_follow_sub_programmes_and_projects(net):
    assert programme_members(net, "horizon") == {"horizon", "cluster", "project", "leaf", "lab"}


def test_cap_keeps_the_focus_and_the_most_derived(net):
    view = select(net, Filters(cap=2, focus="leaf", hops=3))
    assert set(view.graph) == {"leaf", "base"} and view.matching > 2 and view.capped
    assert view.graph.number_of_edges() == 0  # edges only between shown nodes


def test_filters_from_the_url_match_the_graph_page_defaults():
    f = filters_from_params(lambda key: {"focus": ["x"], "hops": ["-3"], "kind": [""]}.get(key, []))
    assert f.focus == "x" and f.hops == 0 and f.kinds == () and f.cap == 300
    assert "model" in filters_from_params(lambda key: []).kinds


def test_layout_places_every_node_in_pixels(net):
    pos = layout(net)
    assert set(pos) == set(net)
    span = max(abs(c) for p in pos.values() for c in p)
    assert 20 < span < 2000
    assert pos == layout(net)  # fixed seed: the same picture on every rerun
