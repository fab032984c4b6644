"""Query workers: queries run in separate processes that are killed at their deadline.

Oxigraph cannot interrupt a running query from inside the process, so a runaway property path or cartesian
product would otherwise hold the app. Each worker opens its own read-only view of the store once, answers
queries one at a time, and is replaced when it is killed. Workers have a memory ceiling
(``EUAIGRAPH_WORKER_MEMORY_MB``, default 6144) so a query that explodes in memory dies alone.
"""

from __future__ import annotations

import queue
import resource
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from euaigraph.graph.query.answers import Answers
from euaigraph.graph.store.config import Endpoint
from euaigraph.graph.store.base import QueryCancelled, QueryResult, Store, StoreError
from euaigraph.graph import settings

_STARTUP_S = 300.0


@dataclass(frozen=True)
class StoreRef:
    """A picklable description of a store, so a worker process can open its own handle."""

    home: str | None = None
    endpoint: Endpoint | None = None
    memory: bool | None = None

    def open(self, *, writable: bool = False) -> Store:
        if self.endpoint is not None:
            from euaigraph.graph.store.remote import RemoteStore

            return RemoteStore(self.endpoint)
        from euaigraph.graph.store.embedded import EmbeddedStore

        return EmbeddedStore(self._home(), writable=writable, memory=self.memory)

    def _home(self) -> Path:
        from euaigraph.graph.store.embedded import default_home

        return Path(self.home) if self.home else default_home()

    @property
    def label(self) -> str:
        return f"endpoint {self.endpoint.id}" if self.endpoint else f"embedded store at {self.home or 'default'}"

    def answers(self) -> Answers | None:
        """The kept answers of an embedded store (None for an endpoint: its data version is not exact)."""
        return None if self.endpoint is not None else Answers.of_home(self._home())


def _limit_memory() -> None:
    megabytes = settings.current().worker_memory_mb
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _serve(ref: StoreRef, conn) -> None:  # runs in the worker process
    try:
        _limit_memory()
        store = ref.open()
        store.execute("ASK { }")  # open the view (and copy it to memory) before declaring readiness
        conn.send(("ready",))
    except Exception as exc:  # noqa: BLE001 - report any failure to open, then stop
        conn.send(("error", type(exc).__name__, f"could not open {ref.label}: {exc}"))
        return
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        text, row_cap, timeout_s = message
        try:
            if ref.endpoint is not None:
                result = store.execute(text, row_cap=row_cap, timeout=timeout_s)
            else:
                result = store.execute(text, row_cap=row_cap)
            conn.send(("ok", result))
        except MemoryError:
            conn.send(("error", "QueryCancelled", "the query needed more memory than a worker may use"))
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the caller
            conn.send(("error", type(exc).__name__, str(exc)))


class _Worker:
    """One worker process, started afresh with ``python -m euaigraph.graph.query.worker``: never forked from a
    process that may hold Streamlit's threads and locks, and independent of the caller's main module."""

    def __init__(self, ref: StoreRef):
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "euaigraph.graph.query.worker", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.conn.send(ref)
        if not self.conn.poll(_STARTUP_S):
            self.kill()
            raise StoreError(f"a query worker for {ref.label} did not start within {_STARTUP_S:.0f} s")
        try:
            reply = self.conn.recv()
        except (EOFError, OSError):  # the process died while opening the store (memory ceiling, crash)
            reply = ("error", "StoreError", f"a query worker for {ref.label} stopped while opening the store "
                     "(is EUAIGRAPH_WORKER_MEMORY_MB too low?)")
        if reply[0] != "ready":
            self.kill()
            raise StoreError(reply[2])

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()


class QueryWorkers:
    """A small pool of query workers for one store. Thread-safe: each query takes a worker of its own."""

    def __init__(self, ref: StoreRef, *, size: int = 2):
        self.ref, self.size = ref, size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._started = 0
        self._lock = threading.Lock()

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
                    return _Worker(self.ref)
                except Exception:
                    with self._lock:
                        self._started -= 1
                    raise
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

    def execute(self, text: str, *, timeout_s: float, row_cap: int | None) -> QueryResult:
        """Run an already guarded query. Raises :class:`QueryCancelled` at the deadline or if the worker dies."""
        worker = self._take()
        started = time.perf_counter()
        try:
            worker.conn.send((text, row_cap, timeout_s))
            if not worker.conn.poll(timeout_s):
                self._discard(worker)
                raise QueryCancelled(f"the query was stopped after its time limit of {timeout_s:g} s")
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._discard(worker)
            raise QueryCancelled("the query worker stopped unexpectedly (out of memory?); the query was cancelled") from None
        self._idle.put(worker)
        if reply[0] == "ok":
            result: QueryResult = reply[1]
            result.elapsed_ms = (time.perf_counter() - started) * 1000
            return result
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
