"""The model feeds' records in the run ledger and in the graph: each record's facts with their citation, its
outcome (ingested, or merged into another record by a stated rule), every merge as data on the entity, and
lineage written only where the records do not contradict each other.

A record is **merged** when the entity it describes is not its own: an earlier record of the same feed describes
it already, or a strong key ties it to an entity something else describes (a curated record, a Hugging Face
repository). The merge is itemised in the :class:`~euaigraph.ingest.base.Report` and written as an
``eai:MergeRecord`` on the entity: the records it joined, the rule, the key that matched. Every subject a record
writes facts about is ``eai:describes``'d by the record, which carries the record's http(s) URLs, the retrieval
date and the version of the input, so each fact is citable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from euaigraph.ontology.iri import node_iri, record_iri
from euaigraph.ontology.vocab import EAI

from .base import Feed, Report, Triple
from .emit import source_record
from .evidence import RULE_NAME, Identified
from .origins import Origin, origins


@dataclass(frozen=True)
class _Seen:
    key: str
    where: str


class Ledger:
    """One parse of one model feed: ``record`` writes a record and settles its outcome."""

    def __init__(self, source_id: str, feed: Feed, report: Report):
        self.source_id, self.feed, self.report = source_id, feed, report
        self.origins: dict[Path, Origin] = origins(feed.path)
        self._first: dict[URIRef, _Seen] = {}
        self._resolved: dict[Path, Origin | None] = {}

    def origin(self, path: Path | None) -> Origin | None:
        if path is None:
            return None
        if path not in self._resolved:  # many records share a file: resolve its path once
            self._resolved[path] = self.origins.get(Path(path).resolve())
        return self._resolved[path]

    def record(self, *, key: str, where: str, identified: Identified, facts: Iterable[Triple], urls: list[str],
               path: Path | None = None, rule: str | None = None) -> Iterator[Triple]:
        """The record's facts, its source record and its outcome. ``key`` makes the record's IRI (unique per record
        in the parse), ``where`` is its ``file:line``, ``path`` its file (for the public URL at the recorded
        commit), ``rule`` overrides the identification rule of a merge (a collated copy)."""
        node = identified.node
        record = record_iri(self.source_id, key)
        facts = list(facts)
        origin = self.origin(path)
        yield from facts
        yield from source_record(self.source_id, key, node, urls=[*urls, *([origin.url] if origin else [])],
                                 accessed=self.feed.retrieved_at, locator=where)
        version = origin.version if origin else self.feed.version
        if version:
            yield record, EAI.sourceVersion, Literal(version)
        for subject in dict.fromkeys(s for s, _p, _o in facts if isinstance(s, URIRef) and s not in (node, record)):
            yield record, EAI.describes, subject
        yield from self._outcome(node, record, key, where, identified, rule)

    def _outcome(self, node: URIRef, record: URIRef, key: str, where: str, identified: Identified,
                 rule: str | None) -> Iterator[Triple]:
        earlier = self._first.setdefault(node, _Seen(key, where))
        if earlier.key == key and not identified.rule:
            self.report.ingested()
            return
        rule = rule or identified.rule or RULE_NAME
        if earlier.key != key:
            into, records = earlier.where, [record, record_iri(self.source_id, earlier.key)]
        else:
            into, records = identified.target, [record]
        self.report.merge(where, into=into, rule=rule, where=where)
        merge = node_iri("merge", self.source_id, key)
        matched = f" on {identified.key!r}" if identified.key else ""
        yield node, EAI.mergeRecord, merge
        yield merge, RDF.type, EAI.MergeRecord
        yield merge, RDFS.label, Literal(f"{self.source_id} {where} joined {into} by {rule}{matched}")
        yield merge, EAI.mergeRule, Literal(rule)
        if identified.key:
            yield merge, EAI.mergeKey, Literal(identified.key)
        for joined in records:
            yield merge, EAI.mergedRecord, joined
        yield merge, EAI.locator, Literal(where)
        yield record, EAI.describes, merge


class Lineage:
    """Lineage edges of one feed, written at the end of the parse: edges that close a cycle (two records naming
    each other as base, "swapped" upstream) are contradictions and are left out, with a note naming the records."""

    def __init__(self) -> None:
        self._edges: dict[tuple[URIRef, URIRef], tuple[list[Triple], list[str]]] = {}

    def add(self, child: URIRef, parent: URIRef, triples: Iterable[Triple], where: str) -> None:
        facts, places = self._edges.setdefault((child, parent), ([], []))
        facts.extend(t for t in triples if t not in facts)
        if where not in places:
            places.append(where)

    def write(self, report: Report) -> Iterator[Triple]:
        graph = nx.DiGraph(list(self._edges))
        cyclic = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
        dropped = {(a, b) for component in cyclic for a, b in graph.subgraph(component).edges}
        for component in cyclic:
            places = sorted({w for edge in dropped if edge[0] in component for w in self._edges[edge][1]})
            report.note(f"lineage left out: {len(component)} models name each other as base, so which derives "
                        f"from which cannot be told ({', '.join(places[:6])})")
        for edge, (facts, _places) in self._edges.items():
            if edge not in dropped:
                yield from facts
