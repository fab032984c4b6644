"""Dependency analysis with networkx: the metrics analysts and the explorer use.

Build the dependency graph once, then ask it questions::

    g = dependency_graph(store)                    # nodes = IRIs, edges child -> parent with a relation code
    where = standings(store, g, bloc="eu")         # node -> inside | outside | unknown, today (or on= a day)
    upstream(g, model, standing=where)             # every upstream node, depth, path, standing, foreign share
    concentration(g, dimension="provider", models=european_models, top_k=5)   # HHI and top-k share
    what_if(g, "https://w3id.org/euaigraph/id/licence-family/llama")         # everything downstream, with a path
    language_coverage(store, bloc="eu")            # EU-controlled open models per official EU language
    sovereignty_profile(store, model, bloc="eu")   # six explained components, no single score
    ai_act_panel(store, model)                     # AI Act indicators, each with its facts and rule (indicative)

Formulas (also in each function's docstring):

- upstream foreign share = |F| / |K|, K = upstream nodes inside or outside the bloc, F = those outside;
- concentration: c_e = models whose upstream closure reaches entity e; s_e = 100 × c_e / Σ c;
  HHI = Σ s_e² (0-10,000); top-k share = the sum of the k largest s_e;
- what-if: a node is affected when a dependency path leads from it to a removed node; one shortest path each;
- language coverage: "EU-controlled" = a developer's ultimate controller is seated in the bloc, "open" = the
  preferred licence's class counts as open.

Where things stand for a bloc and what counts as a dependency are not decided here: the derived graph holds both
(:mod:`euaigraph.graph.load.derived`, rules in :mod:`euaigraph.graph.load.rules`).

Every result is a frozen dataclass with ``as_rows()`` (a list of dicts, one per table row). The implementation
lives in ``read`` (reading the store), ``metrics`` (pure graph metrics), ``profile`` and ``sovereignty``
(store-level analyses).
"""

from __future__ import annotations

from euaigraph.graph.analysis.aiact import Panel as AIActPanel
from euaigraph.graph.analysis.aiact import ai_act_panel
from euaigraph.graph.analysis.metrics import (
    DIMENSIONS,
    Affected,
    Concentration,
    Share,
    Upstream,
    UpstreamNode,
    concentration,
    foreign_ancestry,
    upstream,
    what_if,
)
from euaigraph.graph.analysis.profile import Component, LanguageCoverage, Profile, language_coverage
from euaigraph.graph.analysis.read import (
    alpha3,
    bloc_members,
    control_chain,
    control_on,
    control_standings,
    dependency_graph,
    standings,
)
from euaigraph.graph.analysis.sovereignty import sovereignty_profile

__all__ = [
    "AIActPanel", "DIMENSIONS", "Affected", "Component", "Concentration", "LanguageCoverage", "Profile", "Share",
    "Upstream", "UpstreamNode", "ai_act_panel", "alpha3", "bloc_members", "concentration", "control_chain",
    "control_on", "control_standings", "dependency_graph", "foreign_ancestry", "language_coverage",
    "sovereignty_profile", "standings", "upstream",
    "what_if",
]
