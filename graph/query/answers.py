"""Answers to analyst queries, kept per data version (decisions/0008-kept-answers.md: the graph changes only at ingest).

A query asked again with the same text (parameters bound in) and row cap, on the same data version, gets the
answer written the first time, from ``<home>/answers/<version>/<key>.json`` of an embedded store. ``euaigraph
warm`` (run after every build and ingest) asks every saved question with its default parameters, so even the
first view after an ingest is served from here. Cached only: complete answers (a cancelled or failed query raises
and leaves nothing) computed on a known snapshot - the version is the one the worker answered from, so an answer
computed while a new snapshot was published is filed under the version it describes.

Files are JSON (never pickle: a file planted in the store folder must not be able to run code), read with the
project's bounded JSON reader and only up to the caller's byte limit. A file that cannot be read is a miss and is
removed. Versions other than the newest are removed when an answer for a newer one is kept, so the folder holds
one version's answers. The in-memory tier is sized in bytes (``memory_bytes``), as measured by :func:`answer_bytes`.

>>> import tempfile
>>> from rdflib import Literal, URIRef
>>> answers = Answers(Path(tempfile.mkdtemp()))
>>> result = QueryResult(kind="select", variables=["m", "n"], rows=[(URIRef("https://e.org/m"), Literal(7))],
...                      data_version="v1")
>>> answers.keep("SELECT ...", 10, result)
>>> hit = answers.find("v1", "SELECT ...", 10)
>>> hit.rows == result.rows, hit.cached, answers.find("v2", "SELECT ...", 10)
(True, True, None)
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import logging
import os
import shutil
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from euaigraph.graph.store import snapshots
from euaigraph.graph.store.base import QueryResult
from euaigraph.graph import settings
from euaigraph.ingest import safe_json

log = logging.getLogger(__name__)


class Answers:
    """Kept answers of one embedded store (``folder`` = ``<home>/answers``), with a small in-memory tier."""

    def __init__(self, folder: Path, *, snapshots_folder: Path | None = None, memory_bytes: int = 64 * 2**20):
        self.folder = Path(folder)
        self.snapshots_folder = snapshots_folder
        self._memory: OrderedDict[tuple[str, str], tuple[QueryResult, int]] = OrderedDict()
        self._memory_bytes, self._held = memory_bytes, 0
        self._lock = threading.Lock()

    @classmethod
    def of_home(cls, home: Path) -> Answers:
        """The answers kept beside the embedded store at ``home``."""
        return cls(Path(home) / "answers", snapshots_folder=Path(home) / "snapshots")

    def current_version(self) -> str | None:
        """The data version of the newest published snapshot (what a query would read now)."""
        return snapshots.published_version(self.snapshots_folder) if self.snapshots_folder else None

    @staticmethod
    def key(text: str, row_cap: int | None) -> str:
        return hashlib.sha256(f"{row_cap}\n{text}".encode()).hexdigest()[:32]

    def find(self, version: str | None, text: str, row_cap: int | None, *,
             max_bytes: int | None = None) -> QueryResult | None:
        """The kept answer for this query on ``version``, or None (also for one over ``max_bytes``)."""
        if not version:
            return None
        key = (version, self.key(text, row_cap))
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key][0]
        path = self.folder / version / f"{key[1]}.json"
        try:
            if max_bytes is not None and path.stat().st_size > max_bytes:
                return None  # the worker answers instead, and refuses what is over the limit
            with _collector_paused():  # tens of thousands of new terms, no cycles: collections would only cost
                result = _decode(safe_json.loads(path.read_bytes()))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            log.warning("kept answer %s is unreadable (%s); it will be computed again", path, exc)
            path.unlink(missing_ok=True)
            return None
        self._remember(key, result)
        return result

    def keep(self, text: str, row_cap: int | None, result: QueryResult) -> None:
        """File a complete answer under the data version it was computed on (nothing without one)."""
        version = result.data_version
        if not version or result.cached:
            return
        key = (version, self.key(text, row_cap))
        self._remember(key, _as_cached(result))
        folder = self.folder / version
        path = folder / f"{key[1]}.json"
        partial = folder / f".{key[1]}.{os.getpid()}.{threading.get_ident()}.partial"
        try:
            if not folder.is_dir():
                folder.mkdir(parents=True, exist_ok=True)
                self._drop_other_versions(keep={version, self.current_version()})
            if _bytes(folder) > answers_limit():
                log.info("kept answers in %s reached the limit (EUAIGRAPH_ANSWERS_MB); not keeping more", folder)
                return
            partial.write_text(json.dumps(_encode(result), ensure_ascii=False, separators=(",", ":")),
                               encoding="utf-8")
            os.replace(partial, path)  # whole or absent, even with several processes writing the same answer
        except OSError as exc:  # keeping is a saving, never a failure of the query (full disk, read-only folder)
            log.warning("could not keep the answer in %s: %s", folder, exc)
            partial.unlink(missing_ok=True)

    def _drop_other_versions(self, *, keep: set[str | None]) -> None:
        for other in self.folder.iterdir():
            if other.is_dir() and other.name not in keep:
                shutil.rmtree(other, ignore_errors=True)

    def _remember(self, key: tuple[str, str], result: QueryResult) -> None:
        size = answer_bytes(result)
        if size > self._memory_bytes:
            return
        with self._lock:
            if key in self._memory:
                self._held -= self._memory.pop(key)[1]
            self._memory[key] = (result, size)
            self._held += size
            while self._held > self._memory_bytes:
                self._held -= self._memory.popitem(last=False)[1][1]


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def answer_bytes(result: QueryResult) -> int:
    """About how much memory an answer's terms take (each distinct term object counted once): the measure of the
    byte limits on answers (a worker's reply, the explorer's and this module's caches).

    >>> from rdflib import Literal
    >>> small = QueryResult(kind="select", variables=["a"], rows=[(Literal("x"),)])
    >>> big = QueryResult(kind="select", variables=["a"], rows=[(Literal("x" * 10_000),)])
    >>> answer_bytes(small) < 1_000 < 20_000 < answer_bytes(big)
    True
    """
    total, seen = 256, set()
    for row in (result.rows if result.kind == "select" else result.triples):
        total += 64 + 8 * len(row)
        for term in row:
            if term is None or id(term) in seen:
                continue
            seen.add(id(term))
            total += 96 + 2 * sys.getsizeof(str(term))  # a literal keeps its lexical form and its value
    return total


def answers_limit() -> int:
    """Bytes of answers kept per data version (``EUAIGRAPH_ANSWERS_MB``, default 512): analysts' own queries are
    kept too, and a stream of distinct ones must not fill the disk."""
    return settings.current().answers_bytes


def _bytes(folder: Path) -> int:
    return sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file())


def _as_cached(result: QueryResult) -> QueryResult:
    # its own row lists: the caller gets ``result`` itself and may change it
    return dataclasses.replace(result, rows=list(result.rows), triples=list(result.triples), cached=True)


# -- JSON --------------------------------------------------------------------------------------------------------
# Reading an answer back is mostly making rdflib terms, then parsing JSON. So each distinct term is written once, in
# a flat list of strings ("<" IRI, "_" blank node, '"' literal, with language tags and datatypes beside, by index),
# and the rows are one flat list of indexes into it (-1: unbound). Literals are made without re-normalising: their
# lexical form was normalised when the answer was computed. A 10,000 × 11 answer reads back in about 60 ms, against
# 0.4-0.6 s with one JSON object per cell.
_FORMAT = 3


class _Table:
    def __init__(self) -> None:
        self.index: dict[Node, int] = {}
        self.texts: list[str] = []
        self.langs: list[tuple[int, str]] = []
        self.datatypes: list[tuple[int, str]] = []

    def __call__(self, term: Node | None) -> int:
        if term is None:
            return -1
        found = self.index.get(term)
        if found is None:
            found = self.index[term] = len(self.texts)
            self.texts.append(self._text(found, term))
        return found

    def _text(self, at: int, term: Node) -> str:
        # str(term) first: rdflib terms define __radd__, so "<" + term would make a new term, not a string
        if isinstance(term, URIRef):
            return "<" + str(term)
        if isinstance(term, BNode):
            return "_" + str(term)
        if isinstance(term, Literal):
            if term.language:
                self.langs.append((at, term.language))
            elif term.datatype is not None:
                self.datatypes.append((at, str(term.datatype)))
            return '"' + str(term)
        raise TypeError(f"cannot keep {term!r} in an answer")


def _terms(texts: list[str], langs: list, datatypes: list) -> list[Node | None]:
    lang_of, datatype_of = dict(langs), {at: URIRef(dt) for at, dt in datatypes}
    terms: list[Node | None] = []
    for at, text in enumerate(texts):
        mark, body = text[0], text[1:]
        if mark == "<":
            terms.append(URIRef(body))
        elif mark == '"':
            terms.append(Literal(body, lang=lang_of.get(at), datatype=datatype_of.get(at), normalize=False))
        elif mark == "_":
            terms.append(BNode(body))
        else:
            raise ValueError(f"unknown term mark {mark!r}")
    terms.append(None)  # index -1
    return terms


def _encode(result: QueryResult) -> dict:
    table = _Table()
    width = len(result.variables) if result.kind == "select" else 3
    cells = [table(t) for row in (result.rows if result.kind == "select" else result.triples) for t in row]
    return {"format": _FORMAT, "kind": result.kind, "variables": result.variables, "boolean": result.boolean,
            "terms": table.texts, "langs": table.langs, "datatypes": table.datatypes, "width": width,
            "count": len(result), "cells": cells, "truncated": result.truncated, "row_cap": result.row_cap,
            "elapsed_ms": result.elapsed_ms, "data_version": result.data_version}


def _decode(data: dict) -> QueryResult:
    if data.get("format") != _FORMAT:
        raise ValueError(f"answer format {data.get('format')!r}, expected {_FORMAT}")
    pick = _terms(data["terms"], data["langs"], data["datatypes"]).__getitem__
    cells, width, count = data["cells"], data["width"], data["count"]
    if len(cells) != width * count:
        raise ValueError(f"{len(cells)} cells for {count} rows of {width}")
    # a query without variables still has rows (empty ones)
    rows = [tuple(map(pick, cells[at:at + width])) for at in range(0, len(cells), width)] if width else [()] * count
    select = data["kind"] == "select"
    return QueryResult(kind=data["kind"], variables=list(data["variables"]), boolean=data["boolean"],
                       rows=rows if select else [], triples=[] if select else rows,
                       truncated=data["truncated"], row_cap=data["row_cap"], elapsed_ms=data["elapsed_ms"],
                       data_version=data["data_version"], cached=True)


__all__ = ["Answers", "answer_bytes"]
