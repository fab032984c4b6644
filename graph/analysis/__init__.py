"""Dependency analysis with networkx (DESIGN §7): the metrics analysts and the explorer use.

Build the dependency graph once, then ask it questions::

    g = dependency_graph(store)                    # nodes = IRIs, edges child -> parent with a `relation`
    eu = bloc_members(store, bloc="eu", on=date(2025, 12, 31))
    upstream(g, model, bloc=eu)                    # every upstream node, depth, path, jurisdiction, foreign share
    concentration(g, dimension="provider", models=european_models, top_k=5)   # HHI and top-k share
    what_if(g, "http://spdx.org/licenses/Apache-2.0")                        # everything downstream, with a path
    language_coverage(store, bloc="eu")            # EU-controlled open models per official EU language
    sovereignty_profile(store, model, bloc="eu")   # six explained components, no single score

Formulas (also in each function's docstring):

- upstream foreign share = |F| / |K|, K = upstream nodes with a known jurisdiction, F = those outside the bloc;
- concentration: c_e = models whose upstream closure reaches entity e; s_e = 100 × c_e / Σ c;
  HHI = Σ s_e² (0-10,000); top-k share = the sum of the k largest s_e;
- what-if: a node is affected when a dependency path leads from it to a removed node; one shortest path each;
- language coverage: "EU-controlled" = the ultimate controller's seat on the date is in the bloc on the date,
  "open" = preferred licence class open or open-restricted.

Every result is a frozen dataclass with ``as_rows()`` (a list of dicts, one per table row). The implementation
lives in ``analysis_graph`` (reading the store), ``analysis_metrics`` (pure graph metrics), ``analysis_profile``
and ``analysis_sovereignty`` (store-level analyses).
"""

from __future__ import annotations

from euaigraph.graph.analysis.read import RELATIONS, alpha3, bloc_members, control_chain, control_on, dependency_graph
from euaigraph.graph.analysis.metrics import (
    DIMENSIONS,
    Affected,
    Concentration,
    Share,
    Upstream,
    UpstreamNode,
    concentration,
    upstream,
    what_if,
)
from euaigraph.graph.analysis.profile import Component, LanguageCoverage, Profile, language_coverage
from euaigraph.graph.analysis.sovereignty import sovereignty_profile

__all__ = [
    "DIMENSIONS", "RELATIONS", "Affected", "Component", "Concentration", "LanguageCoverage", "Profile", "Share",
    "Upstream", "UpstreamNode", "alpha3", "bloc_members", "concentration", "control_chain", "control_on",
    "dependency_graph", "language_coverage", "sovereignty_profile", "upstream", "what_if",
]
