"""What a remote store's readers and writers agree on, kept in its meta graph
(decisions/0016-portable-remote-store.md).

Readers: the **view** is the current graphs (the ``eai:currentGraph`` pointers) and the **pending write** marker,
if any. Without a marker, every graph on the server is current (or the meta graph), so an engine's fast union of
all graphs answers exactly as naming the current graphs would; with one, readers name the current graphs. A reader
reads the view again after each answer and keeps the answer only if the view did not change meanwhile.

Writers: one at a time holds the **write lease** (a time and a process id, renewed while it works; a lease that
lapsed belongs to a process that died). Taking it sets a new pending-write marker; it is removed only after a write
switched pointers and dropped what it superseded, so a change of view always tells a reader that the server changed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from euaigraph.ontology.namespaces import GRAPH, META_GRAPH
from euaigraph.ontology.vocab import EAI

#: How long a lease lasts without renewal; a writer renews it at most every RENEW_S seconds while it works.
LEASE_S = 600
RENEW_S = 60
#: The graph a large meta-graph insert is written to in pieces, then added to the meta graph in one request.
INCOMING_GRAPH = f"{GRAPH}meta-incoming"

META = f"<{META_GRAPH}>"

VIEW_QUERY = f"""SELECT ?source ?graph ?pending WHERE {{ GRAPH {META} {{
  {{ ?source <{EAI.currentGraph}> ?graph }} UNION {{ {META} <{EAI.pendingWrite}> ?pending }} }} }}"""

LEASE_QUERY = f"SELECT ?lease WHERE {{ GRAPH {META} {{ {META} <{EAI.writeLease}> ?lease }} }}"

#: Every graph on the server with its size (GROUP BY: Virtuoso answers it from an index, SELECT DISTINCT it does not).
GRAPHS_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class View:
    """The graphs a reader may see, and whether a write may have left others on the server."""

    current: tuple[tuple[str, str], ...]  # (source id, graph IRI), sorted
    pending: str | None

    @property
    def graphs(self) -> list[str]:
        """The current graphs and the meta graph: the dataset of every answer."""
        return sorted({graph for _, graph in self.current} | {str(META_GRAPH)})

    @property
    def settled(self) -> bool:
        """No write is pending: the server holds only current graphs and the meta graph."""
        return self.pending is None


def view_from(rows: list[tuple[str | None, ...]]) -> View:
    """The view from the rows of :data:`VIEW_QUERY` (plain text values).

    >>> view_from([("https://w3id.org/euaigraph/id/source/a", "g1", None), (None, None, "t1")])
    View(current=(('a', 'g1'),), pending='t1')
    """
    current = sorted((source.rsplit("/", 1)[-1], graph) for source, graph, _ in rows if source and graph)
    pending = sorted(p for *_, p in rows if p)
    return View(current=tuple(current), pending=pending[0] if pending else None)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Lease:
    """One writer's hold on a remote store: the updates that take, renew and give it back.

    >>> lease = Lease()
    >>> "DELETE" in lease.take() and lease.holds(lease.value)
    True
    >>> lease.holds("2001-01-01T00:00:00Z someone-else")
    False
    """

    def __init__(self) -> None:
        self.writer = secrets.token_hex(6)
        self.token = f"{_stamp(_now())}-{self.writer}"
        self.value = self._value()
        self.renewed = _now()
        #: Set by the writer once its change is complete (pointers switched, superseded graphs dropped).
        self.settled = False

    def _value(self) -> str:
        return f"{_stamp(_now() + timedelta(seconds=LEASE_S))} {self.writer}"

    def holds(self, lease: str | None) -> bool:
        return bool(lease) and lease.split(" ", 1)[-1] == self.writer

    def take(self) -> str:
        """Take the lease if nobody holds it or it lapsed, and mark a new pending write: one request of three
        updates (no OPTIONAL or FILTER NOT EXISTS: Virtuoso 7.2 evaluates both wrongly in an update's WHERE)."""
        lease, pending = f"{META} <{EAI.writeLease}>", f"{META} <{EAI.pendingWrite}>"
        return f"""DELETE {{ GRAPH {META} {{ {lease} ?lease }} }}
WHERE {{ GRAPH {META} {{ {lease} ?lease }} FILTER(STR(?lease) < {_literal(_stamp(_now()))}) }} ;
INSERT {{ GRAPH {META} {{ {lease} {_literal(self.value)} . {pending} {_literal(self.token)} }} }}
WHERE {{ {{ SELECT (COUNT(?lease) AS ?held) WHERE {{ GRAPH {META} {{ {lease} ?lease }} }} }} FILTER(?held = 0) }} ;
DELETE {{ GRAPH {META} {{ {pending} ?pending }} }}
WHERE {{ GRAPH {META} {{ {lease} {_literal(self.value)} . {pending} ?pending
                         FILTER(?pending != {_literal(self.token)}) }} }}"""

    def due(self) -> bool:
        return (_now() - self.renewed).total_seconds() >= RENEW_S

    def renew(self) -> str:
        old, self.value, self.renewed = self.value, self._value(), _now()
        return (f"DELETE {{ GRAPH {META} {{ {META} <{EAI.writeLease}> {_literal(old)} }} }} "
                f"INSERT {{ GRAPH {META} {{ {META} <{EAI.writeLease}> {_literal(self.value)} }} }} "
                f"WHERE {{ GRAPH {META} {{ {META} <{EAI.writeLease}> {_literal(old)} }} }}")

    def release(self, *, settled: bool) -> str:
        """Give the lease back; with ``settled`` (pointers switched, superseded graphs dropped) clear the marker."""
        text = f"DELETE DATA {{ GRAPH {META} {{ {META} <{EAI.writeLease}> {_literal(self.value)} }} }}"
        if settled:
            text += f" ;\nDELETE DATA {{ GRAPH {META} {{ {META} <{EAI.pendingWrite}> {_literal(self.token)} }} }}"
        return text

    def state_triples(self) -> str:
        """The lease and marker as N-Triples lines, to put back after the meta graph is replaced (restore)."""
        return (f"{META} <{EAI.writeLease}> {_literal(self.value)} .\n"
                f"{META} <{EAI.pendingWrite}> {_literal(self.token)} .\n")


def is_state_triple(predicate: str) -> bool:
    """Lease and marker triples describe a write, not the data: a backup does not restore them."""
    return predicate in (str(EAI.writeLease), str(EAI.pendingWrite))
