"""Timing: medians of repeated runs after a warm-up, with a time limit per run.

rdflib's SPARQL engine is pure Python, so a SIGALRM timer interrupts it between bytecodes; Oxigraph runs in
Rust and cannot be interrupted in-process, so the runner gives it its limit through a query worker or the
server's own timeout instead (see :mod:`bench.run`).

>>> m = measure(lambda: 3, runs=5)
>>> m.status, m.rows, len(m.runs_ms)
('ok', 3, 5)
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from euaigraph.graph.query.guard import alarm


class Deadline(BaseException):
    """Raised by the timer inside the timed code; a BaseException so that no ``except Exception`` swallows it."""


def deadline(seconds: float | None):
    """Interrupt pure-Python work (rdflib) after ``seconds`` by raising :class:`Deadline`."""
    return alarm(seconds, Deadline)


@dataclass
class Measure:
    """The outcome of one measured operation: ok (with run times), timeout, or error (with the message)."""

    status: str
    runs_ms: list[float] = field(default_factory=list)
    warmup_ms: float | None = None
    rows: int | None = None
    limit_s: float | None = None
    message: str = ""

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.runs_ms) if self.status == "ok" and self.runs_ms else None

    def as_dict(self) -> dict:
        return {**asdict(self), "median_ms": self.median_ms}


def _once(fn: Callable[[], int | None], limit_s: float | None, interrupt: bool) -> tuple[float, int | None]:
    started = time.perf_counter()
    if interrupt:
        with deadline(limit_s):
            rows = fn()
    else:
        rows = fn()
    return (time.perf_counter() - started) * 1000, rows


def measure(fn: Callable[[], int | None], *, runs: int = 5, warmup: bool = True, limit_s: float | None = None,
            interrupt: bool = False, slow_s: float | None = None, errors: tuple[type[BaseException], ...] = ()
            ) -> Measure:
    """Run ``fn`` (which returns a row count) once to warm up, then ``runs`` times; the median is the figure.

    ``interrupt`` enforces ``limit_s`` with SIGALRM (pure-Python code only); ``errors`` lists exceptions that
    mean the backend stopped the query at its own limit (recorded as a timeout). If the warm-up alone took longer
    than ``slow_s``, one timed run is made instead of ``runs`` (the result says how many were made).
    """
    timed: list[float] = []
    rows = None
    first = None
    try:
        if warmup:
            first, rows = _once(fn, limit_s, interrupt)
        count = 1 if (slow_s and first is not None and first > slow_s * 1000) else runs
        for _ in range(count):
            elapsed, rows = _once(fn, limit_s, interrupt)
            timed.append(elapsed)
    except Deadline:
        return Measure("timeout", timed, first, rows, limit_s)
    except errors as exc:
        return Measure("timeout", timed, first, rows, limit_s, message=str(exc)[:300])
    except Exception as exc:  # noqa: BLE001 - a failing query is a result to report, not a crash of the run
        return Measure("error", timed, first, rows, limit_s, message=f"{type(exc).__name__}: {exc}"[:300])
    return Measure("ok", timed, first, rows, limit_s)


def clock(fn: Callable[[], object]) -> tuple[float, object]:
    """Seconds taken by one call, and its result."""
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result
