"""The one network renderer: hostile labels stay text, ids are opaque, nothing is fetched from outside."""

from __future__ import annotations

import json
import re

import networkx as nx
from explorer_support import HOSTILE_LABELS

from euaigraph.explorer.render import COLOURS, render


def _network() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for n, label in enumerate(HOSTILE_LABELS):
        g.add_node(f"https://w3id.org/euaigraph/id/model/evil/x{n}", label=label, kind="model", region="EU",
                   country="FRA", licence="<b>MIT</b>", derivatives=n, sources="a;b")
    g.add_edge("https://w3id.org/euaigraph/id/model/evil/x1", "https://w3id.org/euaigraph/id/model/evil/x0",
               predicate="</script><script>alert(1)</script>")
    return g


def _scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)


def test_labels_cannot_close_the_script_and_round_trip_as_text():
    page = render(_network()).html
    for label in HOSTILE_LABELS:
        if "<" in label:  # markup never reaches the page as markup; "javascript:..." is just text in a string
            assert label not in page
    # Exactly the two script elements we write: vis-network, then ours; no label opened another one.
    scripts = _scripts(page)
    assert len(scripts) == 2
    data = re.search(r"new vis\.DataSet\((\[.*?\])\);\nconst edges", scripts[1], flags=re.DOTALL).group(1)
    labels = [node["label"] for node in json.loads(data)]
    assert sorted(labels) == sorted(label[:39] + "…" if len(label) > 40 else label for label in HOSTILE_LABELS)


def test_ids_are_opaque_and_iris_stay_on_the_server():
    rendered = render(_network())
    assert "w3id.org/euaigraph/id/model" not in rendered.html
    assert set(rendered.ids) == {f"n{i}" for i in range(len(HOSTILE_LABELS))}
    assert set(rendered.ids.values()) == set(_network().nodes)


def test_tooltips_are_plain_text_and_the_title_is_escaped():
    page = render(_network(), title="<i>view</i>").html
    assert "<title>&lt;i&gt;view&lt;/i&gt;</title>" in page
    nodes = json.loads(re.search(r"new vis\.DataSet\((\[.*?\])\);\nconst edges", page, flags=re.DOTALL).group(1))
    # Strings, which vis-network puts in the tooltip with innerText (never an element or HTML).
    assert all(isinstance(node["title"], str) and node["title"].startswith(node["label"].rstrip("…"))
               for node in nodes)
    assert all("sources: a, b" in node["title"] and "<b>MIT</b>" in node["title"] for node in nodes)
    assert all(node["color"] in COLOURS.values() for node in nodes)


def test_the_page_loads_nothing_from_anywhere():
    page = render(_network()).html
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and not re.search(r"<script[^>]*\bsrc\b", page)  # everything is inlined


def test_positions_turn_physics_off():
    g = _network()
    fixed = render(g, positions={n: (float(i), 2.0 * i) for i, n in enumerate(g)}).html
    assert '"physics": {"enabled": false}' in fixed
    assert '"x": 1.0, "y": 2.0' in fixed
    assert '"solver": "barnesHut"' in render(g).html
