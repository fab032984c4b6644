"""N-Triples copies of the current source graphs, kept beside the embedded database so readers load fast.

A reader that answers from memory must first fill an in-memory Oxigraph store. Copying the snapshot quad by quad
costs about 14 s for 1.3 million quads; the bulk loader reads the same triples from an N-Triples file in about
3 s. So the writer keeps the file it staged and bulk-loaded for each run graph, under ``<home>/graphs/``, and
readers load those files, falling back to copying from the snapshot for any graph without a usable file.

Why this is safe:

- a run graph's IRI names one run, and a run graph is never changed after it is loaded, so a file named after
  the IRI can only hold that graph's triples;
- a file appears by an atomic rename, after the graph's bulk load succeeded, so it is whole or absent;
- the reader checks the number of triples each file gave against the count the meta graph recorded for the run,
  and copies the graph from the snapshot instead when they differ;
- files with blank nodes are not kept: the bulk loader gives blank nodes new labels on every load, and two
  processes (the explorer and a query worker) must see the same labels.
"""

from __future__ import annotations

import hashlib
import logging
import mmap
import os
from pathlib import Path

import pyoxigraph as ox

from euaigraph.ontology.namespaces import META_GRAPH
from euaigraph.ontology.vocab import EAI

from euaigraph.graph.store.base import graph_source

log = logging.getLogger(__name__)

_RECORDED_COUNTS = f"SELECT ?g ?n WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{EAI.triplesWritten}> ?n }} }}"


def file_name(graph_iri: str) -> str:
    """The file that holds a run graph's triples.

    >>> file_name("https://w3id.org/euaigraph/graph/osai-index/20261127T053000Z-1a2b3c")
    'osai-index-20261127T053000Z-1a2b3c.nt'
    >>> file_name("https://example.org/other")  # not a run graph: a hash of the IRI
    '55208e33e68eaa69ce61eacc.nt'
    """
    source = graph_source(graph_iri)
    if source is not None:
        return f"{source}-{graph_iri.rsplit('/', 1)[1]}.nt"
    return hashlib.sha256(graph_iri.encode("utf-8")).hexdigest()[:24] + ".nt"


def has_blank_nodes(path: Path) -> bool:
    """Whether an N-Triples file may hold a blank node (``_:`` anywhere; a literal containing it errs safe)."""
    if path.stat().st_size == 0:
        return False
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(b"_:") >= 0


def keep(folder: Path, graph_iri: str, staged: Path) -> bool:
    """Move a bulk-loaded staged file into ``folder`` (one rename: loads stage beside it, so the file is whole or
    absent); False if it is not kept. Never raises: it runs after the swap committed, and a graph without a file
    is only copied from the snapshot by readers."""
    if has_blank_nodes(staged):
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.replace(staged, folder / file_name(graph_iri))
    except OSError as exc:
        log.warning("could not keep %s for %s (%s); readers will copy it from the snapshot", staged, graph_iri, exc)
        return False
    return True


def prune(folder: Path, current: set[str]) -> None:
    """Remove the files of graphs that are no longer current."""
    if not folder.is_dir():
        return
    wanted = {file_name(g) for g in current}
    for path in folder.iterdir():
        if path.name not in wanted:
            path.unlink(missing_ok=True)


def memory_copy(snapshot: ox.Store, folder: Path) -> ox.Store:
    """An in-memory store with every quad of ``snapshot``: kept files where they are usable, copies otherwise."""
    recorded = {s["g"].value: int(s["n"].value) for s in snapshot.query(_RECORDED_COUNTS)
                if isinstance(s["g"], ox.NamedNode)}
    memory = ox.Store()
    for graph in snapshot.named_graphs():
        if not (isinstance(graph, ox.NamedNode) and _load_file(memory, graph, folder, recorded.get(graph.value))):
            memory.bulk_extend(snapshot.quads_for_pattern(None, None, None, graph))
    memory.bulk_extend(snapshot.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return memory


def _load_file(memory: ox.Store, graph: ox.NamedNode, folder: Path, expected: int | None) -> bool:
    if expected is None:
        return False
    path = folder / file_name(graph.value)
    try:
        # lenient: the file was written by this project's serialiser and already loaded once, strictly, into the
        # database; the count check below catches a damaged file.
        memory.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)
    except FileNotFoundError:
        return False
    except (OSError, SyntaxError, ValueError) as exc:
        log.warning("graph file %s is unusable (%s); copying %s from the snapshot", path, exc, graph.value)
        memory.remove_graph(graph)
        return False
    loaded = int(next(iter(memory.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")))["n"].value)
    if loaded != expected:
        log.warning("graph file %s gave %d triples, the run recorded %d; copying %s from the snapshot",
                    path, loaded, expected, graph.value)
        memory.remove_graph(graph)
        return False
    return True


__all__ = ["file_name", "has_blank_nodes", "keep", "memory_copy", "prune"]
