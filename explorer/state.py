"""The explorer's link to the graph: one store handle and one pool of query workers per store
(``st.cache_resource``), the data version, and results cached on (store, query, parameters, data version):
the graph only changes at ingest, so an answer stays valid until the data version moves.

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

from euaigraph.graph import Answers
from euaigraph.graph import endpoint
from euaigraph.graph import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT_S, run_query
from euaigraph.graph import QueryResult, Store
from euaigraph.graph import nt_term
from euaigraph.graph import QueryWorkers, StoreRef
from euaigraph.graph import settings

#: Limits every analyst query runs under (shown next to each result).
TIMEOUT_S = settings.current().explorer_timeout_s or DEFAULT_TIMEOUT_S
ROW_CAP = settings.current().explorer_row_cap or DEFAULT_ROW_CAP
BUILD_HINT = "euaigraph build"


def store_ref() -> StoreRef:
    """The store the explorer shows, from the environment (raises ConfigError for an unknown endpoint id)."""
    current = settings.current()
    if current.endpoint:
        return StoreRef(endpoint=endpoint(current.endpoint))
    return StoreRef(home=str(current.home.resolve()))


@st.cache_resource(show_spinner=False)
def _open(ref: StoreRef) -> Store:
    return ref.open()


@st.cache_resource(show_spinner=False)
def _workers(ref: StoreRef) -> QueryWorkers:
    return QueryWorkers(ref, size=2)


class Memo:
    """A small thread-safe cache that computes each key once, even when several sessions ask at the same time."""

    def __init__(self, size: int = 48):
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._guard:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._values:
                    return self._values[key]
            value = compute()
            with self._guard:
                self._values[key] = value
                self._locks.pop(key, None)
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
            return value


_MEMO = Memo(size=256)


@dataclass(frozen=True)
class Context:
    """What a page needs: the store, its data version, cached computations and guarded queries."""

    ref: StoreRef
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
        return _MEMO.get((self.ref, self.version, name), fn)

    @property
    def workers(self) -> QueryWorkers:
        return _workers(self.ref)

    def run(self, text: str, params: Mapping[str, Node] | None = None, *, timeout_s: float | None = None,
            row_cap: int | None = None) -> QueryResult:
        """Guard, bind and run an analyst query in a worker (cached on store, text, parameters, data version),
        under :data:`TIMEOUT_S` and :data:`ROW_CAP` unless given.

        Raises QueryRefused, QueryCancelled or StoreError; failures are never cached.
        """
        timeout_s = TIMEOUT_S if timeout_s is None else timeout_s
        row_cap = ROW_CAP if row_cap is None else row_cap
        params = dict(params or {})
        key = tuple(sorted((name, nt_term(term)) for name, term in params.items()))
        return _run_cached(self.label, self.version, text, key, timeout_s, row_cap, self.ref, params)


@st.cache_resource(show_spinner=False)
def _answers(ref: StoreRef) -> Answers | None:
    return ref.answers()


# cache_resource, not cache_data: the result is shared, not unpickled afresh for every view (0.45 s for a
# 10,000-row answer); pages only read it.
@st.cache_resource(max_entries=512, show_spinner=False)
def _run_cached(label: str, version: str, text: str, key: tuple, timeout_s: float, row_cap: int,
                _ref: StoreRef, _params: dict) -> QueryResult:
    # Below this session cache, the store's kept answers (graph/answers.py): shared with the CLI and other
    # explorer processes, and filled for the saved questions' defaults by `euaigraph warm` after each ingest.
    return run_query(_workers(_ref), text, params=_params or None, timeout_s=timeout_s, row_cap=row_cap,
                     answers=_answers(_ref))


def context() -> Context:
    """The context of this script run (cheap: the store and workers are cached, the version is one small query)."""
    ref = store_ref()
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
