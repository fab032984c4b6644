"""The Markdown report (``bench/RESULTS.md``) from a run's raw results.

Every figure stands beside the rdflib in-memory baseline of the same run; ``×N`` is how many times faster than
rdflib (rdflib's median divided by the backend's). A hand-written reading between the ``reading`` markers of the
previous file is kept, so regenerating the tables does not lose it.
"""

from __future__ import annotations

import re
from pathlib import Path

from .targets import verdicts

COLUMNS = (("embedded-memory", "embedded, memory"), ("embedded-disk", "embedded, disk"),
           ("embedded-app", "app path (worker)"), ("embedded-served", "served: kept answer"),
           ("remote", "Oxigraph server"), ("virtuoso", "Virtuoso"), ("jena", "Jena (TDB2)"))
#: Shown without a ratio: a part of the app path, not a way of answering.
PARTS = (("app-prepare", "of which guard + bind"),)
_READING = re.compile(r"<!-- reading -->.*?<!-- /reading -->", re.S)


def ms(result: dict | None) -> str:
    """A median in ms (or s), a timeout or an error, for a table cell.

    >>> ms({"status": "ok", "median_ms": 1234.5, "runs_ms": [1, 2]}), ms({"status": "timeout", "limit_s": 60})
    ('1.23 s', '> 60 s (timeout)')
    """
    if not result:
        return "—"
    if result["status"] == "timeout":
        return f"> {result['limit_s']:g} s (timeout)"
    if result["status"] != "ok":
        return f"error: {result['message'][:60]}"
    value = result["median_ms"]
    text = f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"
    return text if len(result.get("runs_ms", [])) > 1 else f"{text} (1 run)"


def ratio(base: dict | None, other: dict | None) -> str:
    """rdflib's median over the backend's: ``×12``, ``> ×300`` when rdflib timed out, blank when unknown."""
    if not base or not other or other["status"] != "ok" or not other["median_ms"]:
        return ""
    if base["status"] == "timeout":
        return f" (> ×{base['limit_s'] * 1000 / other['median_ms']:,.0f})"
    if base["status"] != "ok":
        return ""
    return f" (×{base['median_ms'] / other['median_ms']:,.1f})"


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def graphs_table(sizes: dict) -> list[str]:
    lines = ["| size | triples generated | quads in store | derived triples | models | base models | organisations "
             "| largest families (models) | models without derivatives | max depth |", "|" + "---|" * 10]
    for label, size in sizes.items():
        g, load = size["graph"], size["load"].get("embedded", {})
        fan = g["fan_out"]
        lines.append(f"| {label} | {g['triples']:,} | {load.get('quads', 0):,} | {load.get('derived_triples', 0):,} "
                     f"| {g['models']:,} | {g['base_models']:,} | {g['organisations']:,} "
                     f"| {', '.join(f'{n:,}' for n in fan['largest_family_sizes'][:3])} "
                     f"| {fan['models_without_children'] / g['models']:.0%} | {max(map(int, g['depth_histogram']))} |")
    return lines


def loads_table(sizes: dict) -> list[str]:
    lines = ["| size | rdflib (parse into Dataset) | embedded: ingest_many total | of which parse+stage / derive / "
             "swap | open reader: memory / disk | Oxigraph server: ingest_many total (parse+stage / derive / swap) "
             "| Oxigraph bulk loader alone: memory / disk | rdflib RSS / embedded store on disk "
             "| Virtuoso: ingest_many total (parse+stage / derive / swap) | Jena (TDB2): the same |", "|" + "---|" * 10]
    for label, size in sizes.items():
        rd, em, rem = (size["load"].get(k) for k in ("rdflib", "embedded", "remote"))
        base = rd["total_s"] if rd else None

        def x(value: float | None) -> str:
            return f" (×{base / value:.1f})" if base and value else ""

        def phases(load: dict) -> str:
            return f"{load['parse_stage_s']:.2f} / {load['derive_s']:.2f} / {load['swap_s']:.2f} s"

        if rem and "refused" in rem:
            reason = rem["refused"].split("): ", 2)[-1].split('"', 1)[0][:90]
            remote = f"**failed**: {reason}; loaded instead by Graph Store Protocol POST in {_seconds(rem['fallback_s'])}"
        else:
            remote = f"{_seconds(rem['total_s'])}{x(rem['total_s'])} ({phases(rem)})" if rem else "—"
        memory = f"{rd['rss_mb']:,.0f} MB" if rd else "—"
        engine = size["load"].get("engine")
        floor = f"{engine['memory_s']:.2f}{x(engine['memory_s'])} / {engine['disk_s']:.2f} s" if engine else "—"
        engines = [size["load"].get(k) for k in ("virtuoso", "jena")]
        engines_cells = " | ".join(f"{_seconds(e['total_s'])}{x(e['total_s'])} ({phases(e)})" if e else "—"
                                   for e in engines)
        lines.append(f"| {label} | {_seconds(base)} | {_seconds(em['total_s'])}{x(em['total_s'])} | {phases(em)} "
                     f"| {em['open_memory_s']:.2f} / {em['open_disk_s']:.2f} s | {remote} | {floor} "
                     f"| {memory} / {em['disk_bytes'] / 1e6:,.0f} MB | {engines_cells} |")
    return lines


def rows_cell(row: dict) -> str:
    """The number of rows, and any backend that returned a different number (a difference between engines).

    >>> rows_cell({"rdflib": {"status": "ok", "rows": 11}, "remote": {"status": "ok", "rows": 13}})
    '13 (rdflib: 11)'
    """
    counts = {k: row[k]["rows"] for k, _ in (*COLUMNS, ("rdflib", "")) if row.get(k) and row[k]["status"] == "ok"}
    if not counts:
        return ""
    main = next(iter(counts.values()))
    odd = ", ".join(f"{k}: {v:,}" for k, v in counts.items() if v != main)
    return f"{main:,}" + (f" ({odd})" if odd else "")


def questions_table(size: dict) -> list[str]:
    columns = [(key, title) for key, title in COLUMNS if any(key in row for row in size["questions"].values())]
    titles = [title for _, title in (*columns, *PARTS)]
    lines = ["| question | rows | rdflib in memory | " + " | ".join(titles) + " |", "|" + "---|" * (3 + len(titles))]
    for name, row in size["questions"].items():
        base = row.get("rdflib")
        cells = [f"{ms(row.get(key))}{ratio(base, row.get(key))}" for key, _ in columns]
        cells += [ms(row.get(key)) for key, _ in PARTS]
        lines.append(f"| `{name}` | {rows_cell(row)} | {ms(base)} | " + " | ".join(cells) + " |")
    return lines


def analysis_section(analysis: dict | None) -> list[str]:
    if not analysis:
        return ["Not run."]
    if analysis.get("status") not in ("ok", "partial"):
        return [analysis.get("message", "Not run.")]
    lines = [analysis.get("description", ""), "", "| step | median | result size |", "|---|---|---|"]
    for name, item in analysis["steps"].items():
        size = "" if item.get("rows") is None else f"{item['rows']:,}"
        lines.append(f"| `{name}` | {ms(item)} | {size} |")
    return lines


def render(results: dict, *, note: str = "", raw: Path | None = None, previous: str | None = None) -> str:
    m = results["machine"]
    before, after = results["loadavg_before"], results.get("loadavg_after")
    sizes = results["sizes"]
    settings = results["settings"]
    out = [
        "# Benchmark results", "",
        f"Run of {results['started']} (UTC) on {m['cores']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, {m['os']}; "
        f"Python {m['python']}, pyoxigraph {m['pyoxigraph']}, {m['oxigraph_server']}, rdflib {m['rdflib']}, "
        f"networkx {m['networkx']}.",
        f"Load average (1, 5, 15 min) before the run: {', '.join(map(str, before))}; after: "
        f"{', '.join(map(str, after or []))}. {note}".rstrip(), "",
        f"Command: `python -m bench.run --sizes {','.join(k.replace(',', '') for k in sizes)} --runs {settings['runs']} --limit "
        f"{settings['limit']:g} --slow {settings['slow']:g} --analysis-models {settings['analysis_models']}"
        + (f" --skip {','.join(settings['skip'])}" if settings.get("skip") else "") + "`"
        + (f"; raw results `bench/out/{raw.name}` (not committed)." if raw else "."),
        f"Medians of {settings['runs']} runs after one warm-up (a question whose warm-up took over "
        f"{settings['slow']:g} s is timed once, marked \"1 run\"); time limit {settings['limit']:g} s per run. "
        "×N = how many times faster than rdflib in memory in the same run. Saved queries run with their default "
        "parameters and the app's row cap (10,000); the design/ questions return every row.", "",
        "## Targets (decisions/0017-performance-targets.md)", "", *verdicts(results), "",
        "## Graphs", "", *graphs_table(sizes), "",
        "## Loads", "", *loads_table(sizes), "",
    ]
    for label, size in sizes.items():
        out += [f"## Questions at {label} triples", "", *questions_table(size), ""]
    out += ["## Analysis (networkx)", "", *analysis_section(results.get("analysis")), ""]
    kept = _READING.search(previous or "")
    out += ["## Reading", "", kept.group(0) if kept else "<!-- reading -->\n(to be written)\n<!-- /reading -->", ""]
    return "\n".join(out)
