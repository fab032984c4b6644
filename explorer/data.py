"""The explorer's fixed reads: every fact about one entity with where it came from, and what the meta graph says
about each source. Pure functions over a store or the entity network (no Streamlit), so
they are computed once per data version and tested directly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from euaigraph.graph import SourceStatus, Store, graph_source
from euaigraph.graph import check_iri, nt_term
from euaigraph.ontology.namespaces import META_GRAPH, sparql_prefix_block

_PREFIXES = sparql_prefix_block()


# -- entities ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fact:
    """One value of one property of the entity, as one source states it."""

    property: str
    value: Node
    source: str
    graph: str
    retrieved: str | None = None
    confidence: str | None = None
    accessed: str | None = None
    urls: tuple[str, ...] = ()
    incoming: bool = False


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    facts: list[Fact]
    labels: dict[str, str] = field(default_factory=dict)  # IRI -> label of every IRI the facts mention

    def by_property(self) -> dict[str, list[Fact]]:
        grouped: dict[str, list[Fact]] = defaultdict(list)
        for fact in self.facts:
            grouped[fact.property].append(fact)
        return dict(grouped)

    def disagreements(self) -> dict[str, dict[str, list[Node]]]:
        """Properties on which the sources (not counting derived facts) state different values: source -> values.
        Labels are compared language by language: a name in French from one source and in German from another do
        not disagree."""
        out = {}
        for prop, facts in self.by_property().items():
            per_source: dict[str, set[Node]] = defaultdict(set)
            for fact in facts:
                if not fact.incoming and fact.source != "derived":
                    per_source[fact.source].add(fact.value)
            languages = {getattr(v, "language", None) for values in per_source.values() for v in values}
            if len(per_source) > 1 and any(_differ(per_source, language) for language in languages):
                out[prop] = {source: sorted(values, key=str) for source, values in sorted(per_source.items())}
        return out


def _differ(per_source: dict[str, set[Node]], language: str | None) -> bool:
    """Whether two sources that state values in ``language`` (None: values without one) state different ones."""
    stated = {frozenset(v for v in values if getattr(v, "language", None) == language)
              for values in per_source.values()} - {frozenset()}
    return len(stated) > 1


def _rows(store: Store, query: str) -> list[dict]:
    return store.execute(f"{_PREFIXES}\n{query}").records()


def entity(store: Store, iri: str, *, limit: int = 2000) -> Entity | None:
    """Every fact about ``iri`` (outgoing, then incoming up to ``limit``) with its source, retrieval date,
    confidence and the URLs that support it; None if the graph says nothing about it."""
    node = nt_term(URIRef(check_iri(iri)))  # UnsafeIriError for text that could break out of <...>
    retrieved = {s.current_graph: s.retrieved_at for s in store.sources() if s.current_graph}
    records: dict[str, dict] = {}
    for row in _rows(store, f"SELECT ?g ?conf ?acc ?url WHERE {{ GRAPH ?g {{ ?r eai:describes {node} . "
                            "OPTIONAL { ?r eai:confidence ?conf } OPTIONAL { ?r eai:accessed ?acc } "
                            "OPTIONAL { ?r eai:recordUrl ?url } } }"):
        rec = records.setdefault(str(row["g"]), {"conf": None, "acc": None, "urls": set()})
        rec["conf"] = rec["conf"] or (str(row["conf"]) if row["conf"] else None)
        rec["acc"] = rec["acc"] or (str(row["acc"]) if row["acc"] else None)
        if row["url"]:
            rec["urls"].add(str(row["url"]))
    cited: dict[tuple, set[str]] = defaultdict(set)
    for row in _rows(store, f"SELECT ?g ?p ?o ?url WHERE {{ GRAPH ?g {{ ?st rdf:subject {node} ; "
                            "rdf:predicate ?p ; rdf:object ?o ; eai:recordUrl ?url } }"):
        cited[(str(row["g"]), str(row["p"]), row["o"])].add(str(row["url"]))
    facts = []
    out = _rows(store, f"SELECT ?g ?p ?o WHERE {{ GRAPH ?g {{ {node} ?p ?o }} }}")
    inc = _rows(store, f"SELECT ?g ?p ?o WHERE {{ GRAPH ?g {{ ?o ?p {node} }} FILTER(?g != <{META_GRAPH}>) }} "
                       f"LIMIT {int(limit)}")
    for incoming, rows in ((False, out), (True, inc)):
        for row in rows:
            graph = str(row["g"])
            rec = records.get(graph, {})
            urls = cited.get((graph, str(row["p"]), row["o"])) or rec.get("urls") or set()
            facts.append(Fact(property=str(row["p"]), value=row["o"], graph=graph,
                              source=graph_source(graph) or ("meta" if graph == str(META_GRAPH) else graph),
                              retrieved=retrieved.get(graph), confidence=rec.get("conf"),
                              accessed=rec.get("acc"), urls=tuple(sorted(urls)), incoming=incoming))
    if not facts:
        return None
    mentioned = {str(f.value) for f in facts if isinstance(f.value, URIRef)} | {iri}
    labels = labels_of(store, mentioned)
    return Entity(iri=iri, label=labels.get(iri, local_name(iri)), facts=facts, labels=labels)


def labels_of(store: Store, iris: set[str]) -> dict[str, str]:
    """A label for each IRI that has one: an English or untagged one where there is one (reference terms are
    labelled in French and German too, and a store returns them in any order), else any."""
    out: dict[str, tuple[bool, str]] = {}
    ordered = sorted(iris)
    for start in range(0, len(ordered), 400):
        values = " ".join(nt_term(URIRef(i)) for i in ordered[start:start + 400])
        for row in _rows(store, f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} ?x rdfs:label|skos:prefLabel ?l }}"):
            other = getattr(row["l"], "language", None) not in (None, "en")
            best = out.get(str(row["x"]))
            if best is None or (best[0] and not other):
                out[str(row["x"])] = (other, str(row["l"]))
    return {iri: label for iri, (_, label) in out.items()}


def local_name(iri: str) -> str:
    return iri.rstrip("/").replace("#", "/").rsplit("/", 1)[-1]


@cache
def property_labels() -> dict[str, str]:
    """The English rdfs:label of every term of the ontology (it labels its terms in French and German too)."""
    graph = Graph().parse(str(files("euaigraph.ontology").joinpath("euaigraph.ttl")), format="turtle")
    return {str(s): str(o) for s, o in graph.subject_objects(RDFS.label)
            if getattr(o, "language", None) in (None, "en")}


def property_label(iri: str) -> str:
    """The ontology's label, else the local name with its words split ("developedBy" -> "developed by")."""
    return property_labels().get(iri) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local_name(iri)).lower()


# -- sources -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceDetail:
    status: SourceStatus
    homepage: str | None
    live_url: str | None
    priority: int | None
    error: str | None
    rejected: list[tuple[str, str]]  # (where, why) of the last run
    unresolved: list[tuple[str, str, str]]  # (name, kind, where) of the last run

    @property
    def refresh(self) -> list[str]:
        """Commands that reload this source."""
        sid = self.status.source
        if sid == "derived":
            return ["(recomputed whenever another source changes)"]
        commands = [f"euaigraph ingest {sid} --live"] if self.live_url else []
        url = self.status.source_url or ""
        if url.startswith("file:"):
            commands.append(f"euaigraph ingest {sid}   # shipped file, or: euaigraph build")
        commands.append(f"euaigraph ingest {sid} --file PATH   # a recorded feed")
        return commands


def sources(store: Store) -> list[SourceDetail]:
    """Each source with its meta-graph description and the problems of its last run."""
    about = {str(r["source"]).rsplit("/", 1)[-1]: r for r in _rows(store, (
        f"SELECT ?source ?home ?live ?prio WHERE {{ GRAPH <{META_GRAPH}> {{ ?source a eai:Source . "
        "OPTIONAL { ?source eai:homepage ?home } OPTIONAL { ?source eai:liveUrl ?live } "
        "OPTIONAL { ?source eai:sourcePriority ?prio } } }"))}
    runs = _rows(store, (
        f"SELECT ?source ?run ?started ?error WHERE {{ GRAPH <{META_GRAPH}> {{ ?run a eai:IngestRun ; "
        "eai:source ?source ; prov:startedAtTime ?started . OPTIONAL { ?run eai:runError ?error } } }"))
    last: dict[str, dict] = {}
    for row in runs:
        sid = str(row["source"]).rsplit("/", 1)[-1]
        if sid not in last or str(row["started"]) > str(last[sid]["started"]):
            last[sid] = row
    problems = _rows(store, (
        f"SELECT ?run ?what ?where ?why ?name ?kind WHERE {{ GRAPH <{META_GRAPH}> {{ "
        "{ ?run eai:rejected ?x . ?x eai:locator ?where ; eai:reason ?why . BIND('rejected' AS ?what) } UNION "
        "{ ?run eai:unresolved ?x . ?x rdfs:label ?name ; eai:nameKind ?kind ; eai:locator ?where . "
        "BIND('unresolved' AS ?what) } } }"))
    by_run: dict[str, list[dict]] = defaultdict(list)
    for row in problems:
        by_run[str(row["run"])].append(row)
    out = []
    for status in store.sources():
        run = last.get(status.source, {})
        items = by_run.get(str(run.get("run")), [])
        meta = about.get(status.source, {})
        out.append(SourceDetail(
            status=status, homepage=str(meta["home"]) if meta.get("home") else None,
            live_url=str(meta["live"]) if meta.get("live") else None,
            priority=int(meta["prio"]) if meta.get("prio") is not None else None,
            error=str(run["error"]) if run.get("error") else None,
            rejected=sorted((str(r["where"]), str(r["why"])) for r in items if str(r["what"]) == "rejected"),
            unresolved=sorted((str(r["name"]), str(r["kind"]), str(r["where"])) for r in items
                              if str(r["what"]) == "unresolved")))
    return out
