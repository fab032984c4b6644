"""The targets of decisions/0002-store.md, checked against a run's results: met or missed, and by how much.

>>> _verdict(80, 100)
'met (80 ms against 100 ms)'
>>> _verdict(250, 100)
'**missed** by 150 ms (250 ms against 100 ms, 2.5×)'
"""

from __future__ import annotations

LOAD_S, LINEAGE_MS, SAVED_P50_MS, SAVED_MAX_MS, FAMILY_MS, ANALYSIS_S = 5.0, 100.0, 100.0, 1000.0, 200.0, 10.0
#: What the derived facts may add to the end-to-end ingest.
DERIVED_SHARE = 0.20


def _verdict(value: float, limit: float, unit: str = "ms") -> str:
    if value <= limit:
        return f"met ({value:,.0f} {unit} against {limit:,.0f} {unit})"
    return f"**missed** by {value - limit:,.0f} {unit} ({value:,.0f} {unit} against {limit:,.0f} {unit}, {value / limit:.1f}×)"


def _seconds_verdict(value: float, limit: float) -> str:
    if value <= limit:
        return f"met ({value:.2f} s against {limit:g} s)"
    return f"**missed** by {value - limit:.2f} s ({value:.2f} s against {limit:g} s, {value / limit:.1f}×)"


def _largest(results: dict) -> tuple[str, dict] | None:
    sizes = results["sizes"]
    if not sizes:
        return None
    label = "1e6" if "1e6" in sizes else max(sizes, key=lambda k: sizes[k]["graph"]["triples"])
    return label, sizes[label]


def _median(size: dict, question: str, backend: str) -> float | None:
    result = size["questions"].get(question, {}).get(backend)
    return result["median_ms"] if result and result["status"] == "ok" else None


def _question_line(size: dict, question: str, limit: float, title: str) -> str:
    parts = []
    for backend, name in (("embedded-memory", "memory"), ("embedded-disk", "disk"), ("embedded-app", "app path")):
        if backend not in size["questions"].get(question, {}):
            continue  # left out of this run (--skip)
        value = _median(size, question, backend)
        result = size["questions"].get(question, {}).get(backend) or {}
        parts.append(f"{name}: {_verdict(value, limit) if value is not None else result.get('status', 'not run')}")
    return f"- {title}: " + ("; ".join(parts) or "not timed in this run")


def _saved_lines(size: dict) -> list[str]:
    lines = []
    for backend, name in (("embedded-memory", "computed by the engine (embedded store, memory)"),
                          ("embedded-app", "computed through the app path (guard + worker)"),
                          ("embedded-disk", "computed by the engine (embedded store, disk)"),
                          ("embedded-served", "served as analysts get them after `euaigraph warm` (kept answer, read "
                                              "from disk)")):
        values = {q: (r.get(backend) or {}) for q, r in size["questions"].items() if q.startswith("saved/")}
        if not any(values.values()):
            continue  # left out of this run (--skip)
        slow = {q: r.get("median_ms") for q, r in values.items() if r.get("status") != "ok" or r["median_ms"] > SAVED_P50_MS}
        worst = max((r["median_ms"] for r in values.values() if r.get("status") == "ok"), default=None)
        over = [q for q, v in slow.items() if v is None or v > SAVED_MAX_MS]
        verdict = "met" if not slow else "**missed**"
        detail = ", ".join(f"`{q[6:]}` {'—' if v is None else f'{v:,.0f} ms'}" for q, v in sorted(slow.items())) or "none"
        lines.append(f"- Every saved query p50 < {SAVED_P50_MS:.0f} ms, none over {SAVED_MAX_MS / 1000:g} s, {name}: "
                     f"{verdict} ({len(values) - len(slow)} of {len(values)} under; slowest {worst or 0:,.0f} ms; "
                     f"over {SAVED_P50_MS:.0f} ms: {detail}; over 1 s: {len(over)})")
    return lines


def verdicts(results: dict) -> list[str]:
    found = _largest(results)
    if found is None:
        return ["No sizes were run."]
    label, size = found
    lines = [f"At {label} triples:" if label == "1e6" else f"At {label} triples (the largest size run; the targets "
             "are stated for 1e6):", ""]
    load = size["load"].get("embedded")
    if load:
        quads = f"{load['quads']:,} quads with the derived and meta graphs" if "quads" in load else "every quad"
        lines.append(f"- Load into the store that answers queries < {LOAD_S:g} s, the in-memory reader filled from the "
                     f"graph files the writer kept ({quads}): {_seconds_verdict(load['open_memory_s'], LOAD_S)}.")
        ready = load["total_s"] + load["open_memory_s"]
        lines.append(f"- End to end, from the generated files to that reader (ingest_many through the production path: "
                     f"parse and check every record {load['parse_stage_s']:.2f} s, derive {load['derive_s']:.2f} s, the "
                     f"rest of the durable on-disk load + swap + snapshot {load['swap_s']:.2f} s, then the reader "
                     f"{load['open_memory_s']:.2f} s): {_seconds_verdict(ready, LOAD_S)}.")
    cost = size["load"].get("derivation")
    if cost:
        rdflib_s = (size["load"].get("rdflib") or {}).get("total_s")
        baseline = f"; rdflib parsing the same files {rdflib_s:.2f} s" if rdflib_s else ""
        verdict = "met" if cost["added_share"] <= DERIVED_SHARE else "**missed**"
        lines.append(f"- The derived facts add no more than {DERIVED_SHARE:.0%} to the ingest (ingest_many, medians of "
                     f"{len(cost['runs']['with'])} runs each): {verdict} (with them {cost['with_s']:.2f} s, without "
                     f"{cost['without_s']:.2f} s: {cost['added_share']:+.0%}{baseline}).")
    engine = size["load"].get("engine")
    if engine:
        lines.append(f"- The engine alone (Oxigraph's bulk loader on the generated N-Triples, no validation, "
                     f"derivation or snapshot): in memory {_seconds_verdict(engine['memory_s'], LOAD_S)}; on disk "
                     f"{engine['disk_s']:.2f} s.")
    lines.append(_question_line(size, "design/lineage-derived", LINEAGE_MS,
                                f"Lineage question < {LINEAGE_MS:.0f} ms, as the project answers it "
                                "(eai:hasAncestorOutsideBloc)"))
    lines.append(_question_line(size, "design/lineage-closure", LINEAGE_MS,
                                "The same over the closure (eai:hasAncestor, no per-bloc flag)"))
    lines.append(_question_line(size, "design/lineage-path", LINEAGE_MS,
                                "The same written as a derivedFrom+ path (decisions/0002-store.md), for comparison"))
    lines.append(_question_line(size, "design/largest-family-derived", FAMILY_MS,
                                f"Lineage closure of the largest family < {FAMILY_MS:.0f} ms"))
    lines += _saved_lines(size)
    analysis = results.get("analysis") or {}
    if analysis.get("status") in ("ok", "partial"):
        partial = "" if analysis["status"] == "ok" else " (some steps failed; the total covers the others)"
        lines.append(f"- All analysis steps on a {analysis['models']:,}-model lineage graph < {ANALYSIS_S:g} s "
                     f"(sum of the medians): {_seconds_verdict(analysis['total_s'], ANALYSIS_S)}{partial}")
    else:
        lines.append(f"- Analysis of a 1e5-model lineage graph < {ANALYSIS_S:g} s: not measured "
                     f"({analysis.get('message', 'not run')})")
    return lines
