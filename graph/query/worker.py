"""Query workers: every analyst query is guarded and run in a separate process that cannot reach the network, is
killed at its deadline, and may answer with at most a set number of bytes (decisions 0003 and 0012).

Oxigraph cannot interrupt a running query from inside the process, so a runaway property path or cartesian
product would otherwise hold the app. Each worker

- cuts itself off the network before it opens anything (:mod:`.isolation`; a worker for a remote endpoint needs
  the network to reach it, and relies on the server being isolated instead, see SECURITY.md): a SERVICE that got
  past the guard has nowhere to go; a worker that cannot be isolated refuses to start;
- guards the query itself, with the parameters bound (:mod:`.guard`), under the guard's time limit: parses of
  different sessions run in different processes, so none waits for another's;
- reads the published snapshot the caller pinned (one data version per page), keeping the last two open;
- has a memory ceiling (``EUAIGRAPH_WORKER_MEMORY_MB``, default 6144), so a query that explodes dies alone;
- refuses to send an answer over the caller's byte limit, and the caller never reads more than that limit from
  the socket nor unpickles anything but result types.
"""

from __future__ import annotations

import io
import pickle
import queue
import resource
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path

from rdflib.term import Node

from euaigraph.graph.query.answers import Answers, answer_bytes
from euaigraph.graph.query.guard import GUARD_TIMEOUT_S, GuardOvertime, QueryRefused, bind, time_limit
from euaigraph.graph.store import snapshots
from euaigraph.graph.store.base import QueryCancelled, QueryResult, Store, StoreError
from euaigraph.graph import settings
from euaigraph.graph.store.config import Endpoint

_STARTUP_S = 300.0
#: Bytes of an answer a worker sends by default (``EUAIGRAPH_ANSWER_MB``, default 64), measured as the memory the
#: answer's terms take once unpickled (see :func:`answer_bytes`).
DEFAULT_MAX_BYTES = settings.current().worker_answer_bytes
_ENVELOPE = 64 * 1024  # what a reply adds to its answer (pickle framing, error texts)
_WORKER = (sys.executable, "-m", "euaigraph.graph.query.worker")


@dataclass(frozen=True)
class StoreRef:
    """A picklable description of a store, so a worker process can open its own handle. ``snapshot`` pins the
    published snapshot an embedded store is read at (None: the newest)."""

    home: str | None = None
    endpoint: Endpoint | None = None
    memory: bool | None = None
    snapshot: str | None = None

    def open(self, *, writable: bool = False) -> Store:
        if self.endpoint is not None:
            from euaigraph.graph.store.remote import RemoteStore

            return RemoteStore(self.endpoint)
        from euaigraph.graph.store.embedded import EmbeddedStore

        return EmbeddedStore(self._home(), writable=writable, memory=self.memory, snapshot=self.snapshot)

    def _home(self) -> Path:
        from euaigraph.graph.store.embedded import default_home

        return Path(self.home) if self.home else default_home()

    def pinned(self) -> StoreRef:
        """This store at its newest published snapshot (an endpoint has none: itself)."""
        if self.endpoint is not None:
            return self
        return replace(self, snapshot=snapshots.current(self._home() / "snapshots"))

    def unpinned(self) -> StoreRef:
        return replace(self, snapshot=None)

    @property
    def label(self) -> str:
        return f"endpoint {self.endpoint.id}" if self.endpoint else f"embedded store at {self.home or 'default'}"

    def answers(self) -> Answers | None:
        """The kept answers of an embedded store (None for an endpoint: its data version is not exact)."""
        return None if self.endpoint is not None else Answers.of_home(self._home())


# -- in the worker process -----------------------------------------------------------------------------------------
def _limit_memory() -> None:
    megabytes = settings.current().worker_memory_mb
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def guard_and_bind(text: str, params: Mapping[str, Node] | None) -> str:
    """The text to run: guarded, normalised, parameters bound, within the guard's time limit."""
    with time_limit(GUARD_TIMEOUT_S):
        return bind(text, dict(params or {}))


class _Views:
    """The worker's open stores: one endpoint, or the last two snapshots of an embedded store asked for."""

    def __init__(self, ref: StoreRef):
        self.ref = ref.unpinned()
        self._open: OrderedDict[str | None, Store] = OrderedDict()

    def get(self, snapshot: str | None) -> Store:
        if self.ref.endpoint is None and snapshot is None:
            snapshot = snapshots.current(self.ref._home() / "snapshots")
        key = None if self.ref.endpoint is not None else snapshot
        if key not in self._open:
            self._open[key] = replace(self.ref, snapshot=key).open()
            while len(self._open) > 2:
                self._open.popitem(last=False)[1].close()
        self._open.move_to_end(key)
        return self._open[key]


def _error(exc: BaseException) -> tuple:
    if isinstance(exc, QueryRefused):
        return ("refused", str(exc), exc.line, exc.column, isinstance(exc, GuardOvertime))
    if isinstance(exc, MemoryError):
        return ("error", "QueryCancelled", "the query needed more memory than a worker may use")
    return ("error", type(exc).__name__, str(exc))


def _too_big(size: int, limit: int) -> QueryCancelled:
    return QueryCancelled(f"the answer takes about {size / 2**20:,.1f} MB, over the limit of {limit / 2**20:,.1f} MB "
                          "for one answer: narrow the query or lower its row cap")


def _answer(views: _Views, request: dict) -> tuple[bytes, bool]:
    """The reply to one request, and whether this worker must stop after sending it."""
    try:
        text = guard_and_bind(request["text"], request["params"])
        store = views.get(request["snapshot"])
        if views.ref.endpoint is not None:
            result = store.execute(text, row_cap=request["row_cap"], timeout=request["timeout_s"])
        else:
            result = store.execute(text, row_cap=request["row_cap"])
        size, limit = answer_bytes(result), request["max_bytes"]
        if size > limit:
            raise _too_big(size, limit)
        reply = pickle.dumps(("ok", result, size), protocol=pickle.HIGHEST_PROTOCOL)
        if len(reply) > limit:
            raise _too_big(len(reply), limit)
        return reply, False
    except Exception as exc:  # noqa: BLE001 - every failure goes back to the caller (MemoryError too)
        # a parse stopped midway may leave rdflib's parser in any state: a fresh worker takes over
        return pickle.dumps(_error(exc)), isinstance(exc, GuardOvertime)


def _startup_failure(ref: StoreRef, exc: BaseException) -> str:
    """Why a worker could not open the store, in words (a MemoryError has none of its own).

    >>> _startup_failure(StoreRef(home="/srv/store"), MemoryError())
    'a query worker for embedded store at /srv/store stopped while opening the store: it ran out of memory (is EUAIGRAPH_WORKER_MEMORY_MB too low?)'
    """
    if isinstance(exc, MemoryError):
        reason = f"it ran out of memory {_MEMORY_HINT}"
    else:
        reason = str(exc) or type(exc).__name__
    return f"a query worker for {ref.label} stopped while opening the store: {reason}"


_MEMORY_HINT = "(is EUAIGRAPH_WORKER_MEMORY_MB too low?)"


def _serve(ref: StoreRef, conn: Connection) -> None:
    try:
        isolation = "none: a remote endpoint (the server is isolated instead)"
        if ref.endpoint is None:
            from euaigraph.graph.query.isolation import cut_off

            isolation = cut_off()
        _limit_memory()
        views = _Views(ref)
        views.get(ref.snapshot).execute("ASK { }")  # open the view (and copy it to memory) before declaring readiness
        conn.send_bytes(pickle.dumps(("ready", isolation)))
    except Exception as exc:  # noqa: BLE001 - report any failure to start, then stop
        conn.send_bytes(pickle.dumps(("error", type(exc).__name__, _startup_failure(ref, exc))))
        return
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        reply, retire = _answer(views, request)
        conn.send_bytes(reply)
        if retire:
            return


# -- in the caller's process ---------------------------------------------------------------------------------------
class _ResultUnpickler(pickle.Unpickler):
    """Builds answers and nothing else: a worker's bytes can name no other class or function."""

    _ALLOWED = {("rdflib.term", "URIRef"), ("rdflib.term", "Literal"), ("rdflib.term", "BNode"),
                ("euaigraph.graph.store.base", "QueryResult")}

    def find_class(self, module: str, name: str):
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError(f"a query worker sent {module}.{name}, which is not part of an answer")
        return super().find_class(module, name)


def _load(data: bytes) -> tuple:
    return _ResultUnpickler(io.BytesIO(data)).load()


class _Worker:
    """One worker process, started afresh with ``python -m euaigraph.graph.query.worker``: never forked from a
    process that may hold Streamlit's threads and locks, and independent of the caller's main module."""

    def __init__(self, ref: StoreRef, command: Sequence[str] = _WORKER):
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [*command, str(theirs.fileno())], pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        theirs.close()
        self.conn = Connection(ours.detach())
        self.conn.send(ref)
        if not self.conn.poll(_STARTUP_S):
            self.kill()
            raise StoreError(f"a query worker for {ref.label} did not start within {_STARTUP_S:.0f} s")
        try:
            reply = _load(self.conn.recv_bytes(_ENVELOPE))
        except (EOFError, OSError, pickle.UnpicklingError):  # it died while opening the store (memory ceiling, crash)
            reply = ("error", "StoreError", f"a query worker for {ref.label} stopped while opening the store "
                     f"{_MEMORY_HINT}")
        if reply[0] != "ready":
            self.kill()
            raise StoreError(reply[2])
        self.isolation: str = reply[1]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()


class QueryWorkers:
    """A small pool of query workers for one store. Thread-safe: each query takes a worker of its own.
    ``command`` starts a worker (it gets the socket's file descriptor as its last argument)."""

    def __init__(self, ref: StoreRef, *, size: int = 2, command: Sequence[str] = _WORKER):
        self.ref, self.size, self.command = ref.unpinned(), size, tuple(command)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._started = 0
        self._lock = threading.Lock()
        self.isolation: str | None = None

    def _take(self) -> _Worker:
        while True:
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                pass
            with self._lock:
                start_new = self._started < self.size
                if start_new:
                    self._started += 1
            if start_new:
                try:
                    worker = _Worker(self.ref, self.command)
                except Exception:
                    with self._lock:
                        self._started -= 1
                    raise
                self.isolation = worker.isolation
                return worker
            # Wait for a worker to come back, but look again now and then: a worker killed at its deadline is
            # never put back, it frees a slot instead, and a caller waiting on the queue alone would wait forever.
            try:
                return self._idle.get(timeout=0.05)
            except queue.Empty:
                continue

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._started -= 1

    def execute(self, text: str, *, timeout_s: float, row_cap: int | None, params: Mapping[str, Node] | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES, snapshot: str | None = None) -> QueryResult:
        """Guard (parameters bound) and run a query in a worker, on ``snapshot`` of an embedded store (None: the
        newest). Raises :class:`QueryRefused`, or :class:`QueryCancelled` at the deadline, over ``max_bytes`` or if
        the worker dies; :class:`StoreError` for the store's own errors."""
        worker = self._take()
        started = time.perf_counter()
        request = {"text": text, "params": dict(params or {}), "row_cap": row_cap, "timeout_s": timeout_s,
                   "max_bytes": max_bytes, "snapshot": snapshot}
        try:
            worker.conn.send(request)
            if not worker.conn.poll(timeout_s):
                self._discard(worker)
                raise QueryCancelled(f"the query was stopped after its time limit of {timeout_s:g} s")
            data = worker.conn.recv_bytes(max_bytes + _ENVELOPE)  # never more than the limit into memory
        except (EOFError, OSError, BrokenPipeError):
            self._discard(worker)
            raise QueryCancelled("the query worker stopped unexpectedly (out of memory?); the query was cancelled") from None
        try:
            reply = _load(data)
        except Exception as exc:  # noqa: BLE001 - a worker that sends anything but an answer is not trusted again
            self._discard(worker)
            raise StoreError(f"a query worker sent an unreadable answer: {exc}") from None
        if reply[0] == "refused" and reply[4]:
            self._discard(worker)  # it stops after a parse cut short; a fresh one takes its place
        else:
            self._idle.put(worker)
        if reply[0] == "ok":
            result: QueryResult = reply[1]
            result.elapsed_ms = (time.perf_counter() - started) * 1000
            return result
        if reply[0] == "refused":
            raise QueryRefused(reply[1], line=reply[2], column=reply[3])
        _, kind, message = reply
        raise (QueryCancelled if kind == "QueryCancelled" else StoreError)(message)

    def close(self) -> None:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            try:
                worker.conn.send(None)
            except OSError:
                pass
            worker.kill()
        with self._lock:
            self._started = 0

    def __enter__(self) -> QueryWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _main(fd: int) -> None:
    conn = Connection(fd)
    ref = conn.recv()
    _serve(ref, conn)


if __name__ == "__main__":
    _main(int(sys.argv[1]))
