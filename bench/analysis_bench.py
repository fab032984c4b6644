"""Timing the networkx analysis (:mod:`euaigraph.graph.analysis`) on a lineage graph of a given number of models.

The graph is loaded into an embedded store through the production path, the reader is loaded into memory, then
each step an analyst (or the explorer's dependency page) runs is timed: building the dependency graph from the
store, the bloc's members, the upstream closure of the deepest model of the largest family, the concentration of
European models' upstream on every dimension, what-if for the largest family's base model, its provider and the
most used licence, language coverage and one explained sovereignty profile. The target of decisions/0017-performance-targets.md is on the sum.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from euaigraph.graph.store.embedded import EmbeddedStore

from .loads import ingest
from .timing import Measure, measure


def _sized(result) -> int:
    return len(result) if hasattr(result, "__len__") else 1


def _step(fn: Callable[[], object], runs: int) -> tuple[dict, object]:
    """Time ``fn`` like a question (warm-up, then median of ``runs``) and keep its last result."""
    kept: list[object] = []

    def call() -> int:
        result = fn()
        kept[:] = [result]
        return _sized(result)

    timed: Measure = measure(call, runs=runs, slow_s=30)
    return timed.as_dict(), (kept[0] if kept else None)


def _subjects(g, manifest: dict) -> dict[str, str]:
    """The nodes the steps ask about: the largest family's base, its deepest member, its provider, the top licence."""
    base = manifest["largest_family_base"]
    family = [n for n in g.predecessors(base)] if base in g else []
    members = {base}
    frontier = family
    depth = {n: 1 for n in family}
    while frontier:  # walk down the lineage edges (child -> parent) from the base to find the deepest member
        following = []
        for node in frontier:
            members.add(node)
            for child in g.predecessors(node):
                if child not in depth and g.nodes[child].get("kind") == "model":
                    depth[child] = depth[node] + 1
                    following.append(child)
        frontier = following
    deepest = max(depth, key=lambda n: (depth[n], n)) if depth else base
    licences = Counter(p for u, p, r in g.edges(data="relation") if r == "licence")
    return {"base": base, "deepest": deepest, "provider": manifest["largest_family_provider"],
            "licence": licences.most_common(1)[0][0]}


def run(folder: Path, manifest: dict, *, workroot: Path, runs: int, say: Callable[[str], None]) -> dict:
    try:
        from euaigraph.graph import analysis
    except ImportError as exc:
        return {"status": "missing", "message": f"euaigraph.graph.analysis could not be imported: {exc}"}
    with tempfile.TemporaryDirectory(prefix="bench-analysis-", dir=workroot) as tmp:
        home = Path(tmp) / "embedded"
        say(f"analysis: loading {manifest['models']:,} models ({manifest['triples']:,} triples)")
        with EmbeddedStore(home, writable=True) as writer:
            load = ingest(writer, folder)
        with EmbeddedStore(home, memory=True) as store:
            store.count()  # open the reader (load into memory) outside the timings
            steps: dict[str, dict] = {}
            steps["dependency_graph(store)"], g = _step(lambda: analysis.dependency_graph(store), runs)
            steps["bloc_members(eu)"], members = _step(lambda: analysis.bloc_members(store, bloc="eu"), runs)
            who = _subjects(g, manifest)
            european = [n for n, d in g.nodes(data=True) if d.get("kind") == "model" and d.get("jurisdiction") in members]
            steps["upstream(deepest model of the largest family)"], _ = _step(
                lambda: analysis.upstream(g, who["deepest"], bloc=members).nodes, runs)
            for dimension in analysis.DIMENSIONS:
                steps[f"concentration({dimension}, European models)"], _ = _step(
                    lambda d=dimension: analysis.concentration(g, dimension=d, models=european).shares, runs)
            for name in ("base", "provider", "licence"):
                steps[f"what_if(largest family's {name})"], _ = _step(lambda n=name: analysis.what_if(g, who[n]), runs)
            steps["language_coverage(store, eu)"], _ = _step(lambda: analysis.language_coverage(store, bloc="eu"), runs)
            steps["sovereignty_profile(deepest model)"], _ = _step(
                lambda: analysis.sovereignty_profile(store, who["deepest"], bloc="eu", graph=g).components, runs)
        for name, item in steps.items():
            say(f"  {name}: {item['median_ms'] or item['status']} ms ({item['rows']} rows)")
    done = [s for s in steps.values() if s["status"] == "ok"]
    return {
        "status": "ok" if len(done) == len(steps) else "partial", "models": manifest["models"],
        "triples": manifest["triples"], "load": load, "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
        "european_models": len(european), "subjects": who, "steps": steps,
        "total_s": sum(s["median_ms"] for s in done) / 1000,
        "description": (f"A graph of {manifest['models']:,} models ({manifest['triples']:,} triples; dependency graph "
                        f"of {g.number_of_nodes():,} nodes and {g.number_of_edges():,} edges; {len(european):,} "
                        f"European models), loaded in {load['total_s']:.1f} s and read from memory. Total of the "
                        f"medians: {sum(s['median_ms'] for s in done) / 1000:.2f} s."),
    }
