"""The benchmark runner: ``python -m bench.run --sizes 1e4,1e5,1e6``.

For each size it generates (or reuses) a synthetic graph, loads it into the embedded store through the production
path, into an ``oxigraph serve``, Virtuoso and Jena (engines/launch.py) on 127.0.0.1 through the remote store, and
into rdflib in memory, then times every
question on every backend (median of ``--runs`` runs after a warm-up). Then it times the networkx analysis on a
graph of ``--analysis-models`` models. Raw results go to ``bench/out/<timestamp>.json``, the table to
``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import networkx
import pyoxigraph
import rdflib

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.query.run import DEFAULT_ROW_CAP
from euaigraph.graph.store.remote import RemoteStore
from euaigraph.graph.query.worker import QueryWorkers, StoreRef

from . import analysis_bench, report
from .backends import ENGINES, OxigraphServer, oxigraph_binary, start_engine
from .generate import generate, parse_size, size_label
from .loads import derivation_cost, load_embedded, load_engine, load_engine_server, load_rdflib, load_remote
from .queries import anchors, design_questions, saved_questions
from .suite import time_embedded, time_rdflib, time_remote

BENCH = Path(__file__).resolve().parent
GENERATOR_FILES = ("entities.py", "generate.py", "reference.py", "shape.py", "world.py")


def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    server = subprocess.run([oxigraph_binary(), "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "os": platform.platform(), "python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__,
            "oxigraph_server": server, "rdflib": rdflib.__version__, "networkx": networkx.__version__}


def graph_folder(cache: Path, *, triples: int | None = None, models: int | None = None, seed: int,
                 anchor_ids: dict) -> tuple[Path, dict]:
    """A generated graph for these settings, reused while the generator's code and the anchors are unchanged."""
    digest = hashlib.sha256(json.dumps(anchor_ids, sort_keys=True).encode())
    for name in GENERATOR_FILES:
        digest.update((BENCH / name).read_bytes())
    label = f"{'t' if triples else 'm'}{triples or models}-s{seed}-{digest.hexdigest()[:10]}"
    folder = cache / label
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        return folder, json.loads(manifest_path.read_text())
    say(f"generating {folder.name}")
    return folder, generate(folder, triples=triples, models=models, seed=seed, anchors=anchor_ids)


def run_size(size: int, args: argparse.Namespace, anchor_ids: dict, workroot: Path) -> dict:
    folder, manifest = graph_folder(args.cache, triples=size, seed=args.seed, anchor_ids=anchor_ids)
    questions = design_questions(manifest) + saved_questions(row_cap=DEFAULT_ROW_CAP)
    out = {"graph": {k: v for k, v in manifest.items() if k != "anchors"}, "load": {}, "questions": {}}
    timing = {"runs": args.runs, "limit_s": args.limit, "slow_s": args.slow, "say": say}
    with tempfile.TemporaryDirectory(prefix="bench-", dir=workroot) as tmp:
        home = Path(tmp) / "embedded"
        say(f"{size_label(size)}: loading the embedded store")
        out["load"]["embedded"] = load_embedded(folder, home)
        say(f"  {_brief(out['load']['embedded'])}")
        if "derivation" not in args.skip:
            say(f"{size_label(size)}: the ingest with and without the derived facts")
            out["load"]["derivation"] = derivation_cost(folder, Path(tmp), runs=args.derivation_runs)
            say(f"  {_brief(out['load']['derivation'])}")
        out["load"]["engine"] = load_engine(folder, Path(tmp))
        say(f"  engine alone: {_brief(out['load']['engine'])}")
        if "questions" in args.skip:  # loads only: no question is timed on any backend
            questions = []
        memory = EmbeddedStore(home, memory=True)
        disk = None if "disk" in args.skip else EmbeddedStore(home, memory=False)
        with QueryWorkers(StoreRef(home=str(home), memory=True), size=1) as workers:
            workers.execute("ASK {}", timeout_s=600, row_cap=1)  # start the worker outside the timings
            rows = time_embedded(questions, memory=memory, disk=disk, workers=workers, home=home, **timing)
        memory.close()
        if disk is not None:
            disk.close()
        if "remote" not in args.skip:
            with OxigraphServer(Path(tmp) / "server", timeout_s=int(args.limit)) as server:
                store = RemoteStore(server.endpoint())
                say(f"{size_label(size)}: loading the Oxigraph server")
                out["load"]["remote"] = load_remote(server, store, folder, home, Path(tmp))
                say(f"  {_brief(out['load']['remote'])}")
                for name, result in time_remote(questions, store, **timing).items():
                    rows[name]["remote"] = result
                store.close()
        for engine, _ in ENGINES:
            if engine in args.skip:
                continue
            with start_engine(engine, Path(tmp) / engine, limit_s=args.limit) as server:
                store = RemoteStore(server.endpoint(engine))
                say(f"{size_label(size)}: loading {engine}")
                out["load"][engine] = load_engine_server(server, store, folder)
                say(f"  {_brief(out['load'][engine])}")
                for name, result in time_remote(questions, store, column=engine, **timing).items():
                    rows[name][engine] = result
                store.close()
        if "rdflib" not in args.skip:
            say(f"{size_label(size)}: loading rdflib")
            baseline, out["load"]["rdflib"] = load_rdflib(folder, home, Path(tmp))
            say(f"  {_brief(out['load']['rdflib'])}")
            for name, result in time_rdflib(questions, baseline, **timing).items():
                rows[name]["rdflib"] = result
            del baseline
            gc.collect()
    out["questions"] = rows
    out["summaries"] = {q.name: q.summary for q in questions}
    return out


def _brief(load: dict) -> str:
    return ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in load.items() if k != "graphs")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time loads, analyst questions and analysis on every backend.")
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="triple counts, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per question after one warm-up")
    parser.add_argument("--limit", type=float, default=60.0, help="time limit per query run, seconds")
    parser.add_argument("--slow", type=float, default=10.0,
                        help="a question whose warm-up took longer than this many seconds is timed once")
    parser.add_argument("--analysis-models", type=parse_size, default=100_000, help="0 to skip the analysis")
    parser.add_argument("--skip", default="",
                        help="backends to leave out: rdflib,remote,virtuoso,jena,disk (the on-disk reader), "
                             "derivation (the ingest timed without the derived facts), questions (time the loads only)")
    parser.add_argument("--derivation-runs", type=int, default=3,
                        help="ingests with and without the derived facts, each (medians are reported)")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--cache", type=Path, default=None, help="generated graphs (default: <out>/graphs)")
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md", help="Markdown table to write")
    parser.add_argument("--note", default="", help="a sentence for RESULTS.md about the conditions of the run")
    parser.add_argument("--resume", type=Path, help="raw results of a run that stopped: keep its sizes, run the rest")
    args = parser.parse_args(argv)
    args.sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    args.cache = args.cache or args.out / "graphs"
    return args


def main(argv: list[str] | None = None) -> Path:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC).replace(microsecond=0)
    if args.resume:  # keep the sizes a run that stopped already measured; run the others
        path = args.resume
        results = json.loads(path.read_text())
        results.setdefault("resumed", []).append({"at": started.isoformat(), "loadavg": loadavg()})
    else:
        path = args.out / f"{started:%Y%m%dT%H%M%SZ}.json"
        results = {"started": started.isoformat(), "machine": machine(), "loadavg_before": loadavg(),
                   "settings": {k: (sorted(v) if isinstance(v, set) else str(v) if isinstance(v, Path) else v)
                                for k, v in vars(args).items()},
                   "anchors": anchors(), "sizes": {}, "analysis": None}
    workroot = args.out / "work"
    workroot.mkdir(exist_ok=True)
    for size in args.sizes:
        if size_label(size) in results["sizes"]:
            say(f"{size_label(size)}: kept from {path.name}")
            continue
        results["sizes"][size_label(size)] = run_size(size, args, results["anchors"], workroot)
        path.write_text(json.dumps(results, indent=1, default=str))
    if args.analysis_models:
        folder, manifest = graph_folder(args.cache, models=args.analysis_models, seed=args.seed,
                                        anchor_ids=results["anchors"])
        results["analysis"] = analysis_bench.run(folder, manifest, workroot=workroot, runs=args.runs, say=say)
    results["loadavg_after"] = loadavg()
    results["ended"] = datetime.now(UTC).replace(microsecond=0).isoformat()
    path.write_text(json.dumps(results, indent=1, default=str))
    previous = args.results.read_text(encoding="utf-8") if args.results.exists() else None
    args.results.write_text(report.render(results, note=args.note, raw=path, previous=previous), encoding="utf-8")
    say(f"raw results in {path}; table in {args.results}")
    return path


if __name__ == "__main__":
    main(sys.argv[1:])
