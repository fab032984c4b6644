"""The embedded store: Oxigraph (pyoxigraph) on disk under ``EUAIGRAPH_HOME`` (default ``./data/store``).

Layout::

    <home>/db/                  the read-write database; only the process holding <home>/writer.lock opens it
    <home>/snapshots/            read-only checkpoints, one per committed change (see snapshots.py)
    <home>/graphs/<graph>.nt     the N-Triples each current graph was bulk-loaded from (see graph_files.py)
    <home>/versions/             the last data versions, kept for `euaigraph diff` (see history.py)
    <home>/staging/              files of loads in progress

Writers stage each new source graph with the bulk loader (in a background thread while the next source is
parsed and the derived graph computed: the loader runs in Rust, outside the GIL), then switch the meta-graph pointers in one
transaction, drop the superseded graphs and publish a snapshot. Readers (the explorer, query workers, the CLI)
only ever open published snapshots, so they see the dataset before or after a change, never during one, and a
writer killed at any point leaves the last published snapshot, and the pointers in ``db/``, as they were.
Graphs in ``db/`` that no pointer names are leftovers of an interrupted run; the next writer removes them.

Readers load the snapshot into memory when it is small enough (``EUAIGRAPH_MEMORY_QUADS``, default 5e6), from
the kept graph files where they can: whole-graph questions run several times faster from memory (see
bench/RESULTS.md).
"""

from __future__ import annotations

import csv
import fcntl
import io
import logging
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from euaigraph.ontology.namespaces import META_GRAPH

from euaigraph.graph.store import backups
from euaigraph.graph.store import graph_files
from euaigraph.graph.store import safe_files
from euaigraph.graph.store import history
from euaigraph.graph.store import snapshots
from euaigraph.graph.store.provenance import data_version
from euaigraph.graph.store.base import (
    ExportFormat,
    QueryResult,
    Staged,
    Store,
    StoreBusyError,
    StoreError,
    capped_solutions,
    capped_triples,
    graph_source,
)
from euaigraph.graph import settings

log = logging.getLogger(__name__)
_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def default_home() -> Path:
    """``$EUAIGRAPH_HOME`` or ``./data/store``."""
    return settings.current().home


def memory_limit() -> int:
    return settings.current().memory_quads


class EmbeddedStore(Store):
    """An Oxigraph store on disk.

    ``writable=True`` takes the writer lock (raising :class:`StoreBusyError` if another process has it) and
    allows :meth:`swap`, :meth:`restore` and failure records. Queries read the newest snapshot, or, with
    ``snapshot``, that one published snapshot for the store's whole life (a page that makes several queries
    pins the data version it reads).

    >>> import tempfile
    >>> with EmbeddedStore(tempfile.mkdtemp()) as store:
    ...     store.count()
    0
    """

    def __init__(self, home: Path | str | None = None, *, writable: bool = False, memory: bool | None = None,
                 snapshot: str | None = None):
        self.home = Path(home) if home is not None else default_home()
        self.name = f"embedded store at {self.home}"
        if snapshot is not None and (writable or not snapshots.is_name(snapshot)):
            raise StoreError(f"{self.name}: a pinned snapshot is read-only and named <n>-<version>, got {snapshot!r}")
        self._pinned = snapshot
        self.writable = writable
        self._memory = memory
        self._lock_handle = None
        self._db: ox.Store | None = None
        self._reader: ox.Store | None = None
        self._reader_name: str | None = None
        self._loader: ThreadPoolExecutor | None = None
        self._preloads: dict[str, Future] = {}
        (self.home / "snapshots").mkdir(parents=True, exist_ok=True)
        if writable:
            self._take_lock()
            if not (self.home / "db").exists() and (self.home / ".restore").exists():
                (self.home / ".restore").rename(self.home / "db")  # finish a restore killed after moving db aside
            try:
                self._db = ox.Store(str(self.home / "db"))
            except OSError as exc:
                self._release_lock()
                raise StoreError(f"cannot open {self.name}: {exc}") from exc
            self._recover()

    # -- locking and recovery ----------------------------------------------------------------------------
    def _take_lock(self) -> None:
        handle = open(self.home / "writer.lock", "a+")  # noqa: SIM115 - held for the store's lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise StoreBusyError(
                f"{self.name} is being written by another euaigraph process; wait for it to finish"
            ) from None
        self._lock_handle = handle

    def _release_lock(self) -> None:
        if self._lock_handle is not None:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()
            self._lock_handle = None

    def _db_current(self) -> dict[str, str]:
        assert self._db is not None
        result = self._db.query(
            f"SELECT ?s ?g WHERE {{ GRAPH <{META_GRAPH}> {{ ?s <https://w3id.org/euaigraph/ontology#currentGraph> ?g }} }}"
        )
        return {sol["s"].value.rsplit("/", 1)[-1]: sol["g"].value for sol in result}

    def _recover(self) -> None:
        """Drop what an interrupted run left (graphs no pointer names, the bulk loader's files), then publish if
        the snapshot is stale."""
        assert self._db is not None
        current = set(self._db_current().values())
        leftovers = [
            g for g in self._db.named_graphs()
            if isinstance(g, ox.NamedNode) and graph_source(g.value) and g.value not in current
        ]
        for graph in leftovers:
            self._db.remove_graph(graph)
        # The bulk loader writes bulk-*.sst files that the database adopts only when a load ends; a killed load
        # leaves them behind. No load can be running: this process holds the writer lock and has not started one.
        for stray in (self.home / "db").glob("bulk-*.sst"):
            stray.unlink(missing_ok=True)
        safe_files.remove(self.home / "staging")  # a killed load's staged files (a link there is removed, not followed)
        if leftovers or snapshots.published_version(self._snapshots()) != data_version(self._db_current()):
            self._publish()

    # -- snapshots -----------------------------------------------------------------------------------------
    def _snapshots(self) -> Path:
        return self.home / "snapshots"

    def _current_snapshot(self) -> str | None:
        return snapshots.current(self._snapshots())

    def _publish(self) -> None:
        assert self._db is not None
        current = self._db_current()
        try:
            snapshots.publish(self._db, self._snapshots(), version=data_version(current))
            # before the prune: the history hard-links the files of the graphs this version names
            history.record(self.home, self._db, version=data_version(current), current=current,
                           keep=settings.current().keep_versions)
            graph_files.prune(self._graph_files(), set(current.values()))
        except OSError as exc:  # a full disk: the change is in db/, readers keep the previous snapshot
            raise StoreError(f"{self.name}: the change is saved but its snapshot could not be published ({exc}); "
                             "readers see the previous version until the next euaigraph command on this store "
                             "publishes it") from exc

    def _view(self) -> ox.Store:
        """The reader over the newest snapshot, reopened when a newer one is published."""
        name = self._pinned or self._current_snapshot()
        if self._reader is not None and name == self._reader_name:
            return self._reader
        if name is None:
            self._reader, self._reader_name = ox.Store(), None
            return self._reader
        try:
            on_disk = ox.Store.read_only(str(self._snapshots() / name))
        except OSError as exc:
            raise StoreError(f"{self.name}: snapshot {name} is no longer kept (the data changed since this page "
                             f"was opened; reload it): {exc}") from exc
        use_memory = self._memory
        if use_memory is None:
            count = next(iter(on_disk.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))["n"]
            use_memory = int(count.value) <= memory_limit()
        if use_memory:
            self._reader = graph_files.memory_copy(on_disk, self._graph_files())
        else:
            self._reader = on_disk
        self._reader_name = name
        return self._reader

    @property
    def snapshot(self) -> str | None:
        """Name of the snapshot queries currently read."""
        self._view()
        return self._reader_name

    # -- Store interface -----------------------------------------------------------------------------------
    def execute(self, sparql: str, *, row_cap: int | None = None) -> QueryResult:
        started = time.perf_counter()
        with self._answering():
            result = self._view().query(sparql, use_default_graph_as_union=True)
            out = _convert(result, row_cap)  # solutions are computed while they are read: errors come here too
        out.elapsed_ms = (time.perf_counter() - started) * 1000
        out.data_version = snapshots.version_of(self._reader_name)  # the snapshot this answer was read from
        return out

    def values(self, sparql: str) -> list[tuple[str | None, ...]]:
        with self._answering():
            result = self._view().query(sparql, use_default_graph_as_union=True)
            if not isinstance(result, ox.QuerySolutions):
                raise StoreError(f"{self.name}: values() needs a SELECT query")
            # SPARQL CSV (written by Oxigraph in Rust, read by the csv module in C) carries exactly an IRI's text and
            # a literal's lexical form, at half the cost of reading each term as a Python object at 10^6 rows.
            rows = csv.reader(io.StringIO(result.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")))
            next(rows)  # the header
            return [tuple(row) if all(row) else tuple([cell or None for cell in row]) for row in rows]

    @contextmanager
    def _answering(self) -> Iterator[None]:
        """Oxigraph's query errors as StoreError naming this store."""
        try:
            yield
        except SyntaxError as exc:
            raise StoreError(f"{self.name} could not parse the query: {exc}") from exc
        except (OSError, RuntimeError) as exc:  # RuntimeError: e.g. a custom function Oxigraph does not know
            raise StoreError(f"{self.name} failed to answer: {exc}") from exc

    def current_graphs(self) -> dict[str, str]:
        return self._db_current() if self._db is not None else super().current_graphs()

    def _graph_files(self) -> Path:
        return self.home / "graphs"

    def staging_dir(self) -> Path | None:
        # beside graphs/, so a loaded file is kept by a rename, not a copy; a reader writes nothing under home. A
        # link planted there would send staged files elsewhere: it is refused.
        if self._db is None:
            return None
        try:
            return safe_files.own_directory(self.home / "staging")
        except OSError as exc:
            raise StoreError(f"{self.name}: cannot stage files: {exc}") from exc

    def preload(self, item: Staged) -> None:
        db = self._db
        if db is None:
            return  # read-only: the swap refuses, with its message
        if self._loader is None:
            self._loader = ThreadPoolExecutor(max_workers=_LOADERS, thread_name_prefix="euaigraph-bulk-load")
        self._preloads[str(item.run.graph)] = self._loader.submit(_bulk_load, db, item)

    def discard_preloads(self) -> None:
        pending, self._preloads = self._preloads, {}
        wait(pending.values())
        for graph in pending:
            if self._db is not None:
                self._db.remove_graph(ox.NamedNode(graph))

    def _commit(self, staged: Sequence[Staged], update: str, superseded: Sequence[str]) -> None:
        db = self._writer()
        loaded: list[ox.NamedNode] = []
        try:
            for item in staged:
                loaded.append(ox.NamedNode(str(item.run.graph)))
                preloaded = self._preloads.pop(loaded[-1].value, None)
                if preloaded is not None:
                    preloaded.result()  # raises what the background load raised
                else:
                    _bulk_load(db, item)
            db.update(update)
        except (OSError, SyntaxError, ValueError) as exc:
            # No pointer moved; drop what was loaded so that no later snapshot publishes it.
            for graph in loaded:
                db.remove_graph(graph)
            raise StoreError(f"{self.name}: the swap failed and changed nothing: {exc}") from exc
        for graph in superseded:
            db.remove_graph(ox.NamedNode(graph))
        for item in staged:
            graph_files.keep(self._graph_files(), str(item.run.graph), item.path)
        self._publish()

    def _meta_update(self, update: str) -> None:
        try:
            self._writer().update(update)
        except (OSError, SyntaxError, ValueError) as exc:  # a full disk, a value Oxigraph refuses: nothing changed
            raise StoreError(f"{self.name}: could not record in the meta graph: {exc}") from exc
        self._publish()

    def _writer(self) -> ox.Store:
        if self._db is None:
            raise StoreError(f"{self.name} was opened read-only; open it with writable=True to change it")
        return self._db

    def export(self, dest: BinaryIO, *, format: ExportFormat = "trig") -> None:
        view = self._view()
        view.dump(dest, format=_FORMATS[format])

    def backup(self, target: Path) -> Path:
        """Copy the newest snapshot (a consistent checkpoint) to ``target``, a folder that must not exist."""
        name = self._current_snapshot()
        if name is None:
            raise StoreError(f"{self.name} is empty: nothing to back up")
        return backups.copy_out(self._snapshots() / name, Path(target))

    def restore(self, backup: Path) -> None:
        """Replace the database with a backup folder (checked first: see backups.py), then publish it."""
        self._writer()
        staging = backups.copy_in(Path(backup), self.home / ".restore")
        self._db.flush()
        self._db = None
        backups.swap_in(staging, self.home / "db", self.home / ".replaced")
        self._db = ox.Store(str(self.home / "db"))
        self._recover()
        self._publish()

    def close(self) -> None:
        try:
            self.discard_preloads()
            if self._loader is not None:
                self._loader.shutdown()
                self._loader = None
            if self._db is not None:
                self._db.flush()
        except OSError as exc:  # a full disk: what was committed is in the write-ahead log, nothing is half done
            raise StoreError(f"{self.name}: could not flush the database when closing it: {exc}") from exc
        finally:
            self._db = None
            self._reader = None
            self._reader_name = None
            self._release_lock()


#: Bulk loads run side by side: one load does not keep two cores busy (two loads of 8.6×10^5 triples each took
#: 5.7 s together against 10.5 s one after the other, on the 2-core benchmark machine). Each goes to its own graph.
_LOADERS = 2


def _bulk_load(db: ox.Store, item: Staged) -> None:
    log.info("bulk-loading %s (%d triples) into %s", item.run.spec.id, item.run.triples_written, item.run.graph)
    db.bulk_load(path=str(item.path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(item.run.graph)))


def _convert(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, row_cap: int | None) -> QueryResult:
    if isinstance(result, ox.QueryTriples):
        return capped_triples(result, row_cap)
    return capped_solutions(result, row_cap)
