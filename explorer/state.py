"""The explorer's link to the graph: one pool of query workers per store (``st.cache_resource``), a store handle
per published snapshot, and results cached on (store, snapshot, query, parameters): the graph only changes at
ingest, so an answer stays valid until the data version moves.

Each script run reads one snapshot: :func:`context` pins the newest published snapshot once, and every query and
computation of that page reads it, even if an ingest publishes a new one meanwhile (decision 0012). Answers are
bounded in bytes: one answer at most :data:`ANSWER_BYTES` (the worker refuses to send more and the app never reads
more), all cached answers together at most :data:`CACHE_BYTES`.

The store is ``$EUAIGRAPH_ENDPOINT`` (an endpoint id from the config file, never a URL) or the embedded store at
``$EUAIGRAPH_HOME`` (default ``./data/store``). Whole-graph work (the entity network, its layout, the overview)
is computed once per data version, in the background as soon as the app starts, and shared by every session.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st
from rdflib.term import Node

from euaigraph.graph import Answers, answer_bytes
from euaigraph.graph import endpoint
from euaigraph.graph import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT_S, run_query
from euaigraph.graph import QueryResult, Store
from euaigraph.graph import nt_term
from euaigraph.graph import QueryWorkers, StoreRef
from euaigraph.graph import settings

#: Limits every analyst query runs under (shown next to each result).
TIMEOUT_S = settings.current().explorer_timeout_s or DEFAULT_TIMEOUT_S
ROW_CAP = settings.current().explorer_row_cap or DEFAULT_ROW_CAP
#: The most one answer may take in memory, and all cached answers together (see graph/settings.py).
ANSWER_BYTES = settings.current().explorer_answer_bytes
CACHE_BYTES = settings.current().explorer_cache_bytes
BUILD_HINT = "euaigraph build"


def store_ref() -> StoreRef:
    """The store the explorer shows, from the environment (raises ConfigError for an unknown endpoint id)."""
    current = settings.current()
    if current.endpoint:
        return StoreRef(endpoint=endpoint(current.endpoint))
    return StoreRef(home=str(current.home.resolve()))


# Two entries: the snapshot pages read now and the one before it, for pages still rendering on it.
@st.cache_resource(show_spinner=False, max_entries=2)
def _open(ref: StoreRef) -> Store:
    return ref.open()


@st.cache_resource(show_spinner=False)
def _workers(ref: StoreRef) -> QueryWorkers:
    return QueryWorkers(ref, size=2)


class Memo:
    """A small thread-safe cache that computes each key once, even when several sessions ask at the same time.
    It holds at most ``size`` values and, with ``weigh``, at most ``budget`` of their weights (bytes); a value
    heavier than the budget is returned but not kept. A computation that raises keeps nothing.

    >>> memo = Memo(size=10, budget=100, weigh=len)
    >>> len(memo.get("a", lambda: "x" * 60)), len(memo.get("b", lambda: "y" * 60)), memo.keys()
    (60, 60, ['b'])
    >>> len(memo.get("c", lambda: "z" * 500)), memo.keys()
    (500, ['b'])
    """

    def __init__(self, size: int = 48, *, budget: int | None = None, weigh: Callable[[Any], int] | None = None):
        self.size, self.budget, self.weigh = size, budget, weigh
        self._values: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._held = 0
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def keys(self) -> list[Hashable]:
        with self._guard:
            return list(self._values)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._guard:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key][0]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._values:
                    return self._values[key][0]
            try:
                value = compute()
            finally:
                with self._guard:
                    self._locks.pop(key, None)
            weight = self.weigh(value) if self.weigh else 0
            if self.budget is not None and weight > self.budget:
                return value
            with self._guard:
                self._values[key] = (value, weight)
                self._held += weight
                while len(self._values) > self.size or (self.budget is not None and self._held > self.budget):
                    self._held -= self._values.popitem(last=False)[1][1]
            return value


_MEMO = Memo(size=256)
#: Answers of analyst queries, shared by every session: bounded in number and in bytes.
_RESULTS = Memo(size=512, budget=CACHE_BYTES, weigh=answer_bytes)


@dataclass(frozen=True)
class Context:
    """What a page needs: the store at the snapshot this run pinned, its data version, cached computations and
    guarded queries on the same snapshot."""

    ref: StoreRef  # pinned: ref.snapshot is what every query of this run reads
    store: Store
    version: str

    @property
    def empty(self) -> bool:
        return self.version == "empty"

    @property
    def label(self) -> str:
        return self.ref.label

    def compute(self, name: Hashable, fn: Callable[[], Any]) -> Any:
        """``fn()``, computed once per (store, data version, name) and shared by every session."""
        return _MEMO.get((self.ref.unpinned(), self.version, name), fn)

    @property
    def workers(self) -> QueryWorkers:
        return _workers(self.ref.unpinned())

    def run(self, text: str, params: Mapping[str, Node] | None = None, *, timeout_s: float | None = None,
            row_cap: int | None = None) -> QueryResult:
        """Guard, bind and run an analyst query in a worker on this run's snapshot (cached on store, snapshot,
        text, parameters), under :data:`TIMEOUT_S`, :data:`ROW_CAP` and :data:`ANSWER_BYTES` unless given.

        Raises QueryRefused, QueryCancelled or StoreError; failures are never cached.
        """
        timeout_s = TIMEOUT_S if timeout_s is None else timeout_s
        row_cap = ROW_CAP if row_cap is None else row_cap
        params = dict(params or {})
        key = (self.ref, self.version, text, tuple(sorted((name, nt_term(term)) for name, term in params.items())),
               timeout_s, row_cap)
        # Below this cache, the store's kept answers (graph/query/answers.py): shared with the CLI and other
        # explorer processes, and filled for the saved questions' defaults by `euaigraph warm` after each ingest.
        return _RESULTS.get(key, lambda: run_query(
            self.workers, text, params=params or None, timeout_s=timeout_s, row_cap=row_cap,
            max_bytes=ANSWER_BYTES, snapshot=self.ref.snapshot, answers=_answers(self.ref.unpinned())))


@st.cache_resource(show_spinner=False)
def _answers(ref: StoreRef) -> Answers | None:
    return ref.answers()


def context() -> Context:
    """The context of this script run, pinned at the newest published snapshot (cheap: the store and workers are
    cached, the version is one small query on that snapshot)."""
    ref = store_ref().pinned()
    store = _open(ref)
    return Context(ref=ref, store=store, version=store.data_version())


def warm_up(ctx: Context, *tasks: Callable[[], Any]) -> None:
    """Start whole-graph computations for this data version in the background (once per version), so the pages
    that need them find them ready."""
    def work() -> None:
        for task in tasks:
            try:
                task()
            except Exception:  # noqa: BLE001 - the page that needs it computes it again and shows the error
                return

    _MEMO.get(("warm-up", ctx.ref, ctx.version), lambda: threading.Thread(target=work, daemon=True).start())


def queries_root() -> Path | None:
    """Where the saved questions are: ``$EUAIGRAPH_QUERIES`` (a folder of ``<theme>/<slug>.rq``) or the package's."""
    root = settings.current().queries
    return root.resolve() if root else None
