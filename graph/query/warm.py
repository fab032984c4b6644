"""Answering every saved question once per data version, so that analysts are served kept answers.

Run after every build and ingest (``euaigraph warm``, and at the end of ``build``/``ingest`` unless
``--no-warm``). Each question runs with its default parameters through the same guarded, time-limited path as
the explorer and the CLI; its answer is kept under the data version it was computed on (graph/answers.py). A
question that fails or runs out of time is reported and left for the next asker.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from euaigraph.graph.query.run import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT_S, QueryRefused, run_saved
from euaigraph.graph.query.saved import SavedQueryError, catalogue
from euaigraph.graph.store.base import StoreError
from euaigraph.graph.query.worker import QueryWorkers, StoreRef


@dataclass(frozen=True)
class Warmed:
    """One saved question answered (or not) for the current data version."""

    name: str
    ok: bool
    rows: int
    seconds: float
    message: str = ""


def warm(ref: StoreRef, *, timeout_s: float = DEFAULT_TIMEOUT_S, row_cap: int = DEFAULT_ROW_CAP,
         progress: Callable[[str], None] | None = None) -> list[Warmed]:
    """Answer every saved question with its defaults and keep the answers. Raises :class:`StoreError` for a store
    that keeps no answers (an endpoint)."""
    answers = ref.answers()
    if answers is None:
        raise StoreError(f"{ref.label} keeps no answers: only the embedded store knows its data version exactly")
    say = progress or (lambda _m: None)
    out: list[Warmed] = []
    with QueryWorkers(ref, size=1) as workers:
        for name, saved in catalogue().items():
            started = time.perf_counter()
            try:
                result = run_saved(workers, saved, timeout_s=timeout_s, row_cap=row_cap, answers=answers)
            except (QueryRefused, SavedQueryError, StoreError) as exc:  # QueryCancelled is a StoreError
                out.append(Warmed(name, False, 0, time.perf_counter() - started, str(exc)))
                say(f"{name}: not kept: {exc}")
                continue
            out.append(Warmed(name, True, len(result), time.perf_counter() - started))
            say(f"{name}: {len(result)} rows in {out[-1].seconds:.2f} s")
    return out


__all__ = ["Warmed", "warm"]
