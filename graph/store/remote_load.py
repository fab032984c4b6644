"""Loading a graph onto a remote store in pieces every engine accepts.

The Graph Store Protocol (``POST ?graph=``) takes pieces of at most ``load_bytes`` of N-Triples (the Oxigraph
server refuses bodies over 128 MB); without a ``store`` URL, ``INSERT DATA`` takes pieces of at most
``update_triples`` triples (Virtuoso refuses an update of about 1,500 triples: SP031, SP030). Triples with blank
nodes go together in one last piece, since a blank node label means one node only within one request.

Nothing here makes a piece visible: pieces go into a run graph no pointer names yet (see remote_state.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from rdflib import URIRef

from euaigraph.graph.store.base import Staged, StoreError
from euaigraph.graph.store.config import Endpoint
from euaigraph.graph.store.remote_state import is_state_triple
from euaigraph.graph.store.sparql_http import SparqlHttp
from euaigraph.graph.store.terms import UnsafeIriError, nt_term

#: An N-Triples line whose subject or object is a blank node (a literal ends in a quote, a tag or a datatype).
_BLANK = re.compile(r"^_:|\s_:[^\s\"<>]+\s*\.\s*$")


def iri(graph: str) -> str:
    """A graph name as ``<IRI>`` for an update; StoreError for one that could end the brackets (a graph name read
    back from a server is not trusted to be well formed).

    >>> iri("https://w3id.org/euaigraph/graph/meta")
    '<https://w3id.org/euaigraph/graph/meta>'
    """
    try:
        return nt_term(URIRef(graph))
    except UnsafeIriError as exc:
        raise StoreError(f"refusing to name the graph {graph!r} in an update: {exc}") from None


def check_staged(item: Staged) -> None:
    """Read a staged file through and count it before any of it is sent: a broken file changes nothing remotely."""
    try:
        count = sum(1 for _ in ox.parse(path=str(item.path), format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, OSError) as exc:
        raise StoreError(f"the staged file of {item.run.spec.id} ({item.path}) cannot be read: {exc}") from exc
    if count != item.run.triples_written:
        raise StoreError(f"the staged file of {item.run.spec.id} ({item.path}) holds {count} triples, "
                         f"not the {item.run.triples_written} its run wrote")


def pieces(lines: Iterable[bytes], *, max_bytes: int, max_lines: int) -> Iterator[list[bytes]]:
    """N-Triples lines in pieces within both limits; the lines with blank nodes in one piece at the end.

    >>> [len(p) for p in pieces([b"<a> <b> <c> .\\n"] * 5 + [b"_:x <b> <c> .\\n"], max_bytes=10**6, max_lines=2)]
    [2, 2, 1, 1]
    """
    piece: list[bytes] = []
    size = 0
    blank: list[bytes] = []
    for line in lines:
        if not line.strip():
            continue
        if b"_:" in line and _BLANK.search(line.decode("utf-8", "replace")):
            blank.append(line)
            continue
        if piece and (len(piece) >= max_lines or size + len(line) > max_bytes):
            yield piece
            piece, size = [], 0
        piece.append(line)
        size += len(line)
    if piece:
        yield piece
    if blank:
        yield blank


def load_graph(http: SparqlHttp, graph: str, lines: Iterable[bytes], *, between: Callable[[], None]) -> int:
    """Add N-Triples lines to ``graph`` piece by piece; ``between`` runs before each piece (lease renewal)."""
    endpoint: Endpoint = http.endpoint
    gsp = endpoint.store is not None
    sent = 0
    for piece in pieces(lines, max_bytes=endpoint.load_bytes, max_lines=1 << 62 if gsp else endpoint.update_triples):
        between()
        if gsp:
            http.graph_post(graph, b"".join(piece))
        else:
            http.update(f"INSERT DATA {{ GRAPH {iri(graph)} {{\n{b''.join(piece).decode('utf-8')}}} }}")
        sent += len(piece)
    return sent


def file_lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from handle


def split_backup(backup: Path, workdir: Path) -> dict[str, Path]:
    """An N-Quads backup as one N-Triples file per named graph (lease and marker triples left out).

    Raises StoreError for a file that is not N-Quads or holds triples outside a named graph.
    """
    by_graph: dict[str, list[ox.Triple]] = {}
    try:
        for quad in ox.parse(path=str(backup), format=ox.RdfFormat.N_QUADS):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise StoreError(f"{backup} is not an euaigraph backup: it has triples outside a named graph")
            if is_state_triple(quad.predicate.value):
                continue
            by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    except (SyntaxError, OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"{backup} is not an N-Quads backup: {exc}") from exc
    out = {}
    for n, (graph, triples) in enumerate(sorted(by_graph.items())):
        path = workdir / f"graph-{n}.nt"
        ox.serialize(triples, output=str(path), format=ox.RdfFormat.N_TRIPLES)
        out[graph] = path
    return out
