"""One graph view from its parameters, the same on the Graph page and in "Snapshot of this view": the nodes chosen
(:func:`euaigraph.explorer.network.select`), what is drawn (aggregated above a size, layered for lineage) and the
rendered page; and the browser history entry per view, so that Back restores the previous view."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import streamlit as st

from . import network, precomputed, render
from .state import Context

HEIGHT = 370  # pixels: with the title and one row of controls, the drawing fits a 1024x768 window


@dataclass(frozen=True)
class Drawn:
    filters: network.Filters
    view: network.View  # the nodes of the view (what a snapshot of it holds)
    drawn: nx.MultiDiGraph  # what is drawn (the view, or the view with models inside their organisations)
    layered: bool
    rendered: render.Rendered

    @property
    def aggregated(self) -> bool:
        return self.drawn is not self.view.graph


def draw(ctx: Context, filters: network.Filters, *, title: str = "euaigraph: graph view") -> Drawn:
    view = network.select(precomputed.entity_network(ctx), filters)
    drawn = view.graph
    if filters.aggregate and view.shown > network.AGGREGATE_ABOVE:
        drawn = network.aggregate(view.graph)
    layered = bool(filters.focus) and network.is_lineage(drawn)
    positions = None if layered else precomputed.positions(ctx, drawn)
    rendered = render.render(drawn, positions=positions, title=title, height=HEIGHT, focus=filters.focus or None,
                             colour=filters.colour, layered=layered)
    return Drawn(filters=filters, view=view, drawn=drawn, layered=layered, rendered=rendered)


_HISTORY_JS = """
export default function (component) {
  // Streamlit writes a widget's value into the URL by replacing the history entry; this keeps one entry per view,
  // so the browser's Back button returns to the view before (the page reloads from that URL, which holds it all).
  const norm = (s) => { const p = new URLSearchParams(s); p.sort(); return p.toString(); };
  const now = norm(window.location.search);
  const store = window.sessionStorage;
  if (store.getItem("euaigraph-view") !== null && store.getItem("euaigraph-view") !== now
      && store.getItem("euaigraph-view-path") === window.location.pathname) {
    const here = window.location.href;
    window.history.replaceState(null, "", window.location.pathname + store.getItem("euaigraph-view-search"));
    window.history.pushState(null, "", here);
  }
  store.setItem("euaigraph-view", now);
  store.setItem("euaigraph-view-search", window.location.search);
  store.setItem("euaigraph-view-path", window.location.pathname);
  if (!window.euaigraphBack) {
    window.euaigraphBack = true;
    window.addEventListener("popstate", () => window.location.reload());
  }
}
"""
_history = st.components.v2.component("euaigraph_view_history", js=_HISTORY_JS)


def keep_in_history(params: dict[str, list[str]]) -> None:
    """Record the view ``params`` as its own entry of the browser history."""
    from urllib.parse import urlencode

    search = urlencode([(k, v) for k, values in params.items() for v in values])
    _history(data={"search": f"?{search}" if search else ""}, key="view-history", height=0)
