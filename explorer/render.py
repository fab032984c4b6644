"""The one network renderer: pyvis builds the vis-network nodes, edges and options; this module writes the page.

What makes it safe to draw labels that came from feeds:

- node ids are opaque (``n0``, ``n1``, ...); the IRIs stay on the server in :attr:`Rendered.ids`;
- labels and tooltips are plain text: vis-network draws labels on a canvas and sets tooltips with ``innerText``;
- the data is embedded as JSON with ``<``, ``>``, ``&`` and the line separators escaped, so no label can close
  the script element; the title is HTML-escaped; pyvis's own template (which pulls Bootstrap from a CDN and
  writes tooltips as HTML) is not used;
- vis-network's script and stylesheet are inlined from the pyvis package and a Content-Security-Policy forbids
  every fetch, so the page works offline and makes no request.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("https://x/a", label="<script>alert(1)</script>", kind="model")
>>> page = render(g)
>>> "<script>alert(1)" in page.html, page.ids
(False, {'n0': 'https://x/a'})
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import networkx as nx
from pyvis.network import Network

from euaigraph.ontology import reference

from .network import REGIONS, said

#: Region -> colour: the blocs in blues, then elsewhere (red) and unknown (grey).
COLOURS = dict(zip(REGIONS, ("#1f4e9c", "#4f93d8", "#2a9d8f", "#8fb8de", "#6a4c93", "#264653")[:len(REGIONS) - 2]
                   + ("#d1495b", "#a0a0a0"), strict=True))
#: A categorical palette (Tableau 10) for kinds and sources; licence classes from open (green) to closed (red).
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac")
LICENCE_COLOURS = dict(zip([c.code for c in reference.licence_classes()], ("#2a9d8f", "#8ab17d", "#e9c46a",
                                                                             "#d1495b"), strict=False))
LICENCE_COLOURS.update({"unclassified": "#a0a0a0", "": "#dddddd"})
#: Relation (local name) -> its words, from the ontology ("fineTunedFrom" -> "fine-tuned from").
WORDS = {r.name: r.label for r in reference.relations()}
FOCUS = "#f4a261"
SHAPES = {"model": "dot", "organisation": "square", "consortium": "square", "dataset": "triangle",
          "facility": "diamond", "project": "star", "programme": "star", "licence": "triangleDown",
          "country": "hexagon", "language": "hexagon", "bloc": "hexagon"}
_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
_PHYSICS = {"solver": "barnesHut", "barnesHut": {"gravitationalConstant": -6000, "springLength": 110,
                                                  "springConstant": 0.04, "damping": 0.5, "avoidOverlap": 0.1},
            "stabilization": {"enabled": True, "iterations": 120, "updateInterval": 40, "fit": True},
            "minVelocity": 1.5, "timestep": 0.6}
# Runs inside the page: reports the first complete drawing (for tests and timing) and clicks (to the app).
_SCRIPT = """
const started = performance.now();
const nodes = new vis.DataSet(%(nodes)s);
const edges = new vis.DataSet(%(edges)s);
const network = new vis.Network(document.getElementById("net"), {nodes, edges}, %(options)s);
const settled = () => { document.body.dataset.settled = "1"; };
network.once("afterDrawing", () => {
  document.body.dataset.drawn = String(nodes.length);
  document.body.dataset.drawMs = String(Math.round(performance.now() - started));
  if (%(fixed)s) settled();
});
// After the (few) stabilisation iterations the layout stays put: no endless animation, no moving targets.
network.on("stabilizationIterationsDone", () => { network.setOptions({physics: false}); settled(); });
network.on("click", (event) => {
  if (event.nodes.length === 1 && window.parent !== window) {
    window.parent.postMessage({euaigraph: "open", id: String(event.nodes[0])}, "*");
  }
});
"""


@dataclass(frozen=True)
class Rendered:
    html: str
    ids: dict[str, str]  # opaque id -> IRI


def _json(value: object) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


@cache
def _assets() -> tuple[str, str]:
    lib = files("pyvis").joinpath("lib", "vis-9.1.2")
    script = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    style = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    for name, text in (("script", script), ("style", style)):
        # Inlined as they are: anything that could end the element early would break the page, so refuse it.
        if re.search(r"</(script|style)|<!--", text, re.IGNORECASE):
            raise RuntimeError(f"the vis-network {name} shipped with pyvis cannot be inlined safely")
    return script, style


def _plain(text: object, limit: int) -> str:
    value = " ".join(str(text).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def tooltip(data: dict) -> str:
    """The plain-text tooltip of a node."""
    lines = [_plain(data.get("label", ""), 120), " · ".join(
        _plain(data[k], 40) for k in ("kind", "country", "licence") if data.get(k))]
    if data.get("derivatives"):
        lines.append(f"{data['derivatives']} derivative model(s)")
    if data.get("sources"):
        lines.append("sources: " + _plain(data["sources"].replace(";", ", "), 120))
    return "\n".join(line for line in lines if line)


def words(predicate: str) -> str:
    """A relation in words: the ontology's label, else the local name's words ("someThing" -> "some thing")."""
    return WORDS.get(predicate) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", predicate).lower()


def colour_of(data: dict, by: str) -> str:
    """A node's colour for the chosen key: region (seat today), licence class, kind or first source."""
    if by == "licence_class":
        return LICENCE_COLOURS.get(data.get("licence_class") or "", "#a0a0a0")
    if by in ("kind", "sources"):
        value = (data.get(by) or "").split(";")[0]
        return PALETTE[sum(map(ord, value)) % len(PALETTE)] if value else "#a0a0a0"
    return COLOURS.get(data.get("region"), COLOURS["unknown"])


def render(graph: nx.MultiDiGraph, *, positions: dict[str, tuple[float, float]] | None = None,
           title: str = "euaigraph network", height: int = 640, focus: str | None = None, colour: str = "region",
           layered: bool = False, edge_labels: bool | None = None) -> Rendered:
    """A self-contained HTML page drawing ``graph``; with ``positions`` physics is off (instant drawing);
    ``layered`` draws a hierarchy instead (lineage: upstream above downstream); ``focus`` is highlighted; nodes are
    coloured by ``colour`` (:func:`colour_of`); edges are labelled in words (by default when there are few)."""
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line")
    ids = {node: f"n{i}" for i, node in enumerate(graph.nodes)}
    for node, data in graph.nodes(data=True):
        options = {"title": tooltip(data), "size": 9 + 5 * math.sqrt(data.get("derivatives") or 0),
                   "font": {"size": 12}}
        if positions and node in positions and not layered:
            options["x"], options["y"] = positions[node]
        fill = colour_of(data, colour)
        if node == focus:  # the focus: larger, ringed, bold label
            options.update(size=options["size"] + 10, borderWidth=5, font={"size": 16, "bold": True},
                           color={"background": fill, "border": FOCUS, "highlight": {"background": fill,
                                                                                    "border": FOCUS}})
        else:
            options["color"] = fill
        net.add_node(ids[node], label=_plain(data.get("label", ""), 40), shape=SHAPES.get(data.get("kind"), "dot"),
                     **options)
    merged: dict[tuple[str, str], dict[str, int]] = {}
    for source, target, data in graph.edges(data=True):
        predicate = str(data.get("predicate", ""))
        merged.setdefault((source, target), {})[predicate] = data.get("count") or 1
    show_labels = len(merged) <= 120 if edge_labels is None else edge_labels
    for (source, target), counts in merged.items():
        text = _plain(", ".join(sorted(words(p) + (f" ×{counts[p]}" if counts[p] > 1 else "")
                                       for p in said(set(counts)))), 200)
        net.add_edge(ids[source], ids[target], title=text, label=_plain(text, 40) if show_labels else None,
                     arrows="to", color="#b8b8b8", width=1, font={"size": 10, "color": "#666", "strokeWidth": 3,
                                                                  "align": "middle"})
    nodes, edges, _, _, _, _ = net.get_network_data()
    physics = {"enabled": False} if positions or layered else _PHYSICS
    layout = {"improvedLayout": False}
    if layered:  # an edge runs from the derived model to its base: drawn upwards, so the base is on top
        layout = {"hierarchical": {"enabled": True, "direction": "DU", "sortMethod": "directed",
                                   "levelSeparation": 110, "nodeSpacing": 150, "shakeTowards": "roots"}}
    options = {"physics": physics, "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True},
               "layout": layout, "edges": {"smooth": False}}
    script, style = _assets()
    body = _SCRIPT % {"nodes": _json(nodes), "edges": _json(edges), "options": _json(options),
                      "fixed": "true" if positions or layered else "false"}
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}"><title>{html.escape(title)}</title>'
            f"<style>{style}</style><style>html,body{{margin:0;height:100%;font-family:sans-serif}}"
            f"#net{{width:100%;height:{int(height)}px}}.vis-tooltip{{white-space:pre-line}}</style>"
            f'<script>{script}</script></head><body><div id="net"></div><script>{body}</script></body></html>')
    return Rendered(html=page, ids={v: k for k, v in ids.items()})


def legend(graph: nx.MultiDiGraph | None = None, colour: str = "region") -> str:
    """The colour and shape key as a small static HTML snippet (every value escaped)."""
    if colour == "region" or graph is None:
        keys, title = list(COLOURS.items()), "Seat today"
    else:
        values = sorted({(d.get(colour) or "").split(";")[0] for _, d in graph.nodes(data=True)})
        keys = [(v or "none", colour_of({colour: v, "licence_class": v}, colour)) for v in values][:12]
        title = {"licence_class": "Licence class", "kind": "Kind", "sources": "Source"}[colour]
    swatches = "".join(f'<span style="display:inline-block;width:.8em;height:.8em;border-radius:50%;'
                       f'background:{html.escape(c)};margin:0 .3em 0 .9em"></span>{html.escape(k)}' for k, c in keys)
    return (f'<div style="font-size:.85rem;color:#555">{title}:{swatches}<br>Ringed in orange: the focus. Size: number '
            "of derivative models (of models, for an organisation drawn with its models). Shapes: ● model, "
            "■ organisation, ▲ data set, ◆ facility, ★ project or programme, ▼ licence, ⬢ country or language. "
            "Hover for details; click a node to open its page.</div>")


def with_citation(page: str, citation: str) -> str:
    """The page with its citation as an HTML comment at the end (``--`` cannot occur in one, so it is spaced)."""
    return page.replace("</body>", f"<!-- Cite as:\n{citation.replace('--', '- -')}\n--></body>", 1)
