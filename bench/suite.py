"""Timing every question on every backend of one size.

Backends (columns of the results):

- ``rdflib``: the baseline, rdflib's SPARQL engine over the in-memory Dataset (time limit by SIGALRM);
- ``embedded-memory`` / ``embedded-disk``: ``EmbeddedStore.execute`` on the reader loaded into memory / read
  from the on-disk snapshot;
- ``embedded-app``: the path the CLI and explorer take, :func:`run_saved` / :func:`run_query` (guard, bind,
  a killable worker holding the in-memory reader, result sent back between processes); ``app-prepare`` is the
  part of it spent before the worker gets the query (prefixes, binding, guarding: rdflib's SPARQL parser);
- ``embedded-served``: saved questions as analysts get them after ``euaigraph warm``: the app path with the
  store's kept answers (graph/answers.py), read from disk by a fresh :class:`Answers` each run (as a new explorer
  process or a CLI call would); the warm-up run computes and keeps the answer;
- ``remote``: :class:`RemoteStore` over HTTP against ``oxigraph serve`` on 127.0.0.1;
- ``virtuoso`` / ``jena``: the same against Virtuoso 7.2 and Jena 4.5 (TDB2) behind the project's front.

Oxigraph cannot be interrupted in-process, so each question first runs through the app path, whose worker is
killed at the limit; a question that hits it there is not run directly on the embedded readers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from euaigraph.graph.query.answers import Answers
from euaigraph.graph.query.run import bind, guard, run_query, run_saved, with_prefixes
from euaigraph.graph.store.base import QueryCancelled, Store
from euaigraph.graph.query.worker import QueryWorkers

from .backends import RdflibBaseline
from .queries import Question
from .timing import Measure, measure

BACKENDS = ("rdflib", "embedded-memory", "embedded-disk", "embedded-app", "embedded-served", "remote", "virtuoso",
            "jena")
NO_CAP = 10**9


def _rows(result) -> int:
    return 1 if result.kind == "ask" else len(result)


def store_runner(store: Store, question: Question, *, limit_s: float, remote: bool = False) -> Callable[[], int]:
    cap = question.row_cap
    if remote:
        return lambda: _rows(store.execute(question.text, row_cap=cap, timeout=limit_s))
    return lambda: _rows(store.execute(question.text, row_cap=cap))


def app_runner(workers: QueryWorkers, question: Question, *, limit_s: float) -> Callable[[], int]:
    if question.saved is not None:
        return lambda: _rows(run_saved(workers, question.saved, timeout_s=limit_s, row_cap=question.row_cap))
    return lambda: _rows(run_query(workers, question.text, timeout_s=limit_s, row_cap=question.row_cap or NO_CAP))


def served_runner(workers: QueryWorkers, question: Question, *, home: Path, limit_s: float) -> Callable[[], int]:
    def served() -> int:
        return _rows(run_saved(workers, question.saved, timeout_s=limit_s, row_cap=question.row_cap,
                               answers=Answers.of_home(home)))
    return served


def prepare_runner(question: Question) -> Callable[[], int]:
    """What :func:`run_saved` does before the worker gets the query: add prefixes, bind (which guards the query
    and the bound query) and guard again; the parsing is rdflib's SPARQL parser."""
    def prepare() -> int:
        if question.saved is None:
            guard(question.text)
            return 0
        params = question.saved.terms({})
        text = with_prefixes(question.saved.body)
        guard(bind(text, params) if params else text)
        return 0
    return prepare


def rdflib_runner(baseline: RdflibBaseline, question: Question, *, limit_s: float) -> Callable[[], int]:
    return lambda: baseline.query(question.text, row_cap=question.row_cap, limit_s=limit_s)


def time_embedded(questions: Sequence[Question], *, memory: Store, disk: Store | None, workers: QueryWorkers,
                  home: Path, runs: int, limit_s: float, slow_s: float, say: Callable[[str], None]) -> dict[str, dict]:
    """Time every question on the app path and on the readers (``disk=None`` leaves the on-disk reader out)."""
    out: dict[str, dict] = {}
    for question in questions:
        app = measure(app_runner(workers, question, limit_s=limit_s), runs=runs, slow_s=slow_s,
                      errors=(QueryCancelled,), limit_s=limit_s)
        row = {"embedded-app": app.as_dict(), "app-prepare": measure(prepare_runner(question), runs=runs).as_dict()}
        if question.saved is not None:
            row["embedded-served"] = measure(served_runner(workers, question, home=home, limit_s=limit_s), runs=runs,
                                             slow_s=slow_s, errors=(QueryCancelled,), limit_s=limit_s).as_dict()
        for name, store in (("embedded-memory", memory), ("embedded-disk", disk)):
            if store is None:
                continue
            if app.status == "timeout":
                row[name] = Measure("timeout", limit_s=limit_s, message="not run: the app path hit the limit").as_dict()
            else:
                row[name] = measure(store_runner(store, question, limit_s=limit_s), runs=runs, slow_s=slow_s).as_dict()
        out[question.name] = row
        disk_note = f", disk {_fmt(row['embedded-disk'])}" if "embedded-disk" in row else ""
        served = f", served {_fmt(row['embedded-served'])}" if "embedded-served" in row else ""
        say(f"  {question.name}: memory {_fmt(row['embedded-memory'])}{disk_note}, app {_fmt(app.as_dict())}{served}")
    return out


def time_remote(questions: Sequence[Question], store: Store, *, runs: int, limit_s: float, slow_s: float,
                say: Callable[[str], None], column: str = "remote") -> dict[str, dict]:
    out = {}
    for question in questions:
        result = measure(store_runner(store, question, limit_s=limit_s, remote=True), runs=runs, slow_s=slow_s,
                         errors=(QueryCancelled,), limit_s=limit_s)
        out[question.name] = result.as_dict()
        say(f"  {question.name}: {column} {_fmt(out[question.name])}")
    return out


def time_rdflib(questions: Sequence[Question], baseline: RdflibBaseline, *, runs: int, limit_s: float, slow_s: float,
                say: Callable[[str], None]) -> dict[str, dict]:
    out = {}
    for question in questions:
        result = measure(rdflib_runner(baseline, question, limit_s=limit_s), runs=runs, slow_s=slow_s, limit_s=limit_s)
        out[question.name] = result.as_dict()
        say(f"  {question.name}: rdflib {_fmt(out[question.name])}")
    return out


def _fmt(result: dict) -> str:
    if result["status"] != "ok":
        return result["status"]
    return f"{result['median_ms']:.1f} ms ({result['rows']} rows)"
