"""Loading a generated graph into each backend, timed.

The embedded and remote stores load through the production path (:func:`euaigraph.graph.load.pipeline.ingest_many`), whose
progress messages split the time into parsing/staging, deriving and swapping (bulk load, pointer switch,
snapshot). rdflib parses the same files into the same graph IRIs, then the derived and meta graphs the embedded
store computed, so every backend answers over the same quads.
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import time
from pathlib import Path
from unittest import mock

import pyoxigraph as ox
import requests

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load import derived
from euaigraph.graph.load.pipeline import ingest_many
from euaigraph.graph.store.remote import RemoteStore
from euaigraph.graph.store.base import Store
from euaigraph.graph.store.terms import nt_line
from euaigraph.ontology.namespaces import META_GRAPH

from .backends import OxigraphServer, RdflibBaseline
from .sources import jobs


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def ingest(store: Store, folder: Path) -> dict:
    """Load every generated source in one ``ingest_many``; phases from its progress messages (seconds)."""
    marks: list[tuple[float, str]] = []
    started = time.perf_counter()
    outcomes = ingest_many(store, jobs(folder), all_or_nothing=True,
                           progress=lambda message: marks.append((time.perf_counter(), message)))
    ended = time.perf_counter()
    failed = [o.message for o in outcomes if not o.ok]
    if failed:
        raise RuntimeError(f"loading {folder} into {store.name} failed: {failed[:3]}")
    derive_at = next(t for t, m in marks if m.startswith("deriving"))
    swap_at = next(t for t, m in marks if m.startswith("swapping"))
    return {"total_s": ended - started, "parse_stage_s": derive_at - started, "derive_s": swap_at - derive_at,
            "swap_s": ended - swap_at, "triples_staged": sum(o.run.triples_written for o in outcomes)}


def derivation_cost(folder: Path, workdir: Path, *, runs: int = 3) -> dict:
    """What the derived facts add to the ingest: ``ingest_many`` into fresh embedded stores with the derivation and
    without it (no inputs kept while staging, no derived graph computed or loaded), alternating, medians of
    ``runs`` each. The run without derivation is a measurement only: no command loads a graph without it."""
    times: dict[str, list[float]] = {"with": [], "without": []}
    for n in range(runs):
        for mode in ("with", "without"):
            home = workdir / f"derivation-{mode}-{n}" / "store"
            with contextlib.ExitStack() as patches:
                if mode == "without":
                    patches.enter_context(mock.patch.object(derived, "Tap", _NoTap))
                    patches.enter_context(mock.patch.object(derived, "gather", lambda *a, **k: derived.Inputs()))
                    patches.enter_context(mock.patch.object(derived, "compute", lambda inputs, **k: iter(())))
                with EmbeddedStore(home, writable=True) as store:
                    times[mode].append(ingest(store, folder)["total_s"])
            shutil.rmtree(home.parent, ignore_errors=True)
    with_s, without_s = statistics.median(times["with"]), statistics.median(times["without"])
    return {"with_s": with_s, "without_s": without_s, "added_s": with_s - without_s,
            "added_share": (with_s - without_s) / without_s, "runs": times}


class _NoTap:
    """A tap that is offered nothing (the run without derivation)."""

    predicates: frozenset = frozenset()

    def __call__(self, *_triple) -> None:
        return None


def load_embedded(folder: Path, home: Path) -> dict:
    """Load into a fresh embedded store, then open its reader from memory and from disk (timed separately)."""
    with EmbeddedStore(home, writable=True) as store:
        result = ingest(store, folder)
        current = store.current_graphs()
    result["derived_triples"] = _count(home, current["derived"])
    for memory in (True, False):
        before = rss_mb()
        started = time.perf_counter()
        reader = EmbeddedStore(home, memory=memory)
        result["quads"] = reader.count()  # opens the view (and copies it into memory when asked to)
        result[f"open_{'memory' if memory else 'disk'}_s"] = time.perf_counter() - started
        result[f"open_{'memory' if memory else 'disk'}_rss_mb"] = rss_mb() - before
        reader.close()
    result["disk_bytes"] = folder_bytes(home / "db")
    result["graphs"] = current
    return result


def load_engine(folder: Path, workdir: Path) -> dict:
    """Oxigraph's bulk loader alone on the generated files (one graph each), in memory and on disk: the floor under
    the production path, which also parses and checks every record, derives and publishes a snapshot."""
    out = {}
    for where in ("memory", "disk"):
        store = ox.Store() if where == "memory" else ox.Store(str(workdir / "engine"))
        started = time.perf_counter()
        for path in sorted(Path(folder).glob("*.nt")):
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES,
                            to_graph=ox.NamedNode(f"https://example.org/bench/{path.stem}"))
        out[f"{where}_s"] = time.perf_counter() - started
        out[f"{where}_quads"] = len(store)
        del store
    return out


def _count(home: Path, graph: str) -> int:
    with EmbeddedStore(home, memory=False) as reader:
        return reader.count(graph)


def dump_graph(store: Store, graph: str, path: Path) -> int:
    """Write one graph of a store as N-Triples; returns the number of triples."""
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for triple in store.graph_triples(graph):
            out.write(nt_line(*triple))
            n += 1
    return n


def load_rdflib(folder: Path, home: Path, workdir: Path) -> tuple[RdflibBaseline, dict]:
    """Parse the generated files into rdflib under the embedded store's graph IRIs, then its derived and meta graphs."""
    with EmbeddedStore(home, memory=False) as reader:
        current = reader.current_graphs()
        derived = workdir / "derived.nt"
        meta = workdir / "meta.nt"
        dump_graph(reader, current["derived"], derived)
        dump_graph(reader, str(META_GRAPH), meta)
    baseline = RdflibBaseline()
    before = rss_mb()
    started = time.perf_counter()
    for path in sorted(Path(folder).glob("*.nt")):
        baseline.load(current[path.stem], path)
    sources_s = time.perf_counter() - started
    baseline.load(current["derived"], derived)
    baseline.load(str(META_GRAPH), meta)
    total_s = time.perf_counter() - started
    return baseline, {"sources_s": sources_s, "derived_and_meta_s": total_s - sources_s, "total_s": total_s,
                      "quads": len(baseline), "rss_mb": rss_mb() - before}


def load_remote(server: OxigraphServer, store: RemoteStore, folder: Path, home: Path, workdir: Path) -> dict:
    """Load through ``ingest_many`` (in pieces, then the pointer switch: the project's path). If the server refuses it,
    record why and load the same graphs with the Graph Store Protocol instead (one POST per graph, under the
    embedded store's graph IRIs, with its derived and meta graphs), so the questions can still be timed."""
    try:
        return {**ingest(store, folder), "disk_bytes": server.disk_bytes()}
    except RuntimeError as exc:
        refused = str(exc)
    with EmbeddedStore(home, memory=False) as reader:
        current = reader.current_graphs()
        files = {current[p.stem]: p for p in sorted(Path(folder).glob("*.nt"))}
        for name, graph in (("derived", current["derived"]), ("meta", str(META_GRAPH))):
            dump_graph(reader, graph, workdir / f"{name}.nt")
            files[graph] = workdir / f"{name}.nt"
    started = time.perf_counter()
    for graph, path in files.items():
        with path.open("rb") as body:
            reply = requests.post(f"{server.base}/store", params={"graph": graph}, data=body,
                                  headers={"Content-Type": "application/n-triples"}, timeout=3600)
        reply.raise_for_status()
    return {"refused": refused, "fallback": "Graph Store Protocol POST per graph",
            "fallback_s": time.perf_counter() - started, "disk_bytes": server.disk_bytes()}


def load_engine_server(server, store: RemoteStore, folder: Path) -> dict:
    """Load through ``ingest_many`` into Virtuoso or the Jena front (in pieces, then the pointer switch)."""
    return {**ingest(store, folder), "disk_bytes": folder_bytes(server.folder)}
