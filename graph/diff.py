"""What changed between two data versions (decisions/0015-what-changed.md): the sources whose graph was replaced,
the entities added and removed, every fact added or removed with the source that states it and the pages that
source cites, and for every saved question the rows added and removed.

Facts are compared graph by graph: a source whose current graph is the same run in both versions holds the same
triples (a run graph never changes), so only replaced graphs are read. Provenance records (``id/record/...``) are
counted, not listed; facts with blank nodes are counted, not listed (their labels differ between loads). Saved
questions run with their default parameters on both versions, through the same workers, guard, time limit and row
cap as any question; rows are compared as multisets, a cell listing URLs (a ``GROUP_CONCAT``) as the set of its URLs
(SPARQL leaves the order of a concatenation open, and two stores give different orders).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from euaigraph.graph.query.formats import short
from euaigraph.graph.query.run import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT_S, QueryRefused, run_saved
from euaigraph.graph.query.saved import SavedQueryError, catalogue
from euaigraph.graph.query.worker import QueryWorkers
from euaigraph.graph.store.base import QueryCancelled, Store, StoreError
from euaigraph.graph.store.terms import nt_term
from euaigraph.graph.versions import Side
from euaigraph.ontology import reference
from euaigraph.ontology.namespaces import ID, PREFIXES
from euaigraph.ontology.vocab import EAI

ADDED, REMOVED = "added", "removed"
_RECORDS = f"{ID}record/"
_KINDS = " ".join(f"<{c}>" for c in reference.kinds())
_ENTITIES = f"SELECT DISTINCT ?s ?t WHERE {{ VALUES ?t {{ {_KINDS} }} ?s a ?t }}"


@dataclass(frozen=True)
class SourceChange:
    """A source whose current graph differs: the graphs before and after, and how many triples each way."""

    source: str
    before: str | None
    after: str | None
    added: int
    removed: int


@dataclass(frozen=True)
class FactChange:
    """One fact added or removed, with the source whose graph states it and the pages its record cites."""

    change: str
    subject: str
    predicate: str
    value: Node
    source: str
    record_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntityChange:
    """An entity of a kind (model, dataset, organisation...) on one side only."""

    change: str
    iri: str
    kind: str
    label: str


@dataclass(frozen=True)
class QuestionChange:
    """A saved question's rows (default parameters) present on one side only; ``error`` when it did not run."""

    name: str
    summary: str
    variables: tuple[str, ...]
    added: tuple[tuple[Node | None, ...], ...] = ()
    removed: tuple[tuple[Node | None, ...], ...] = ()
    error: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.error)


@dataclass(frozen=True)
class Diff:
    """Everything that changed from ``before`` to ``after``."""

    before: Side
    after: Side
    sources: tuple[SourceChange, ...]
    entities: tuple[EntityChange, ...]
    facts: tuple[FactChange, ...]
    questions: tuple[QuestionChange, ...] = ()
    #: counted, not listed: provenance-record triples, facts with blank nodes, sources reloaded unchanged
    unlisted: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """The figures the summary, the command line and the Changes page show."""
        def n(items: Iterable[Any], change: str) -> int:
            return sum(1 for item in items if item.change == change)

        return {"sources": len(self.sources), "entities_added": n(self.entities, ADDED),
                "entities_removed": n(self.entities, REMOVED), "facts_added": n(self.facts, ADDED),
                "facts_removed": n(self.facts, REMOVED),
                "questions_changed": sum(1 for q in self.questions if q.changed),
                "questions": len(self.questions)}

    def summary(self) -> list[str]:
        c = self.counts()
        lines = [f"{self.before.label} ({self.before.version}) -> {self.after.label} ({self.after.version})",
                 f"{c['sources']} source(s) changed: " + (", ".join(
                     f"{s.source} (+{s.added} -{s.removed})" for s in self.sources) or "none")
                 + (f"; {self.unlisted['reloaded']} reloaded with the same triples" if self.unlisted.get("reloaded")
                    else ""),
                 f"entities: +{c['entities_added']} -{c['entities_removed']}; facts: +{c['facts_added']} "
                 f"-{c['facts_removed']} (not listed: {self.unlisted.get('records', 0)} provenance-record triples, "
                 f"{self.unlisted.get('blank', 0)} with blank nodes)"]
        if self.questions:
            lines.append(f"saved questions: {c['questions_changed']} of {c['questions']} answer differently")
        return lines

    def as_dict(self) -> dict[str, Any]:
        """The whole diff as JSON-ready data (terms as N-Triples, so nothing is lost)."""
        def term(t: Node | None) -> str | None:
            return None if t is None else nt_term(t)

        return {
            "before": {"label": self.before.label, "version": self.before.version},
            "after": {"label": self.after.label, "version": self.after.version},
            "counts": self.counts(), "unlisted": dict(self.unlisted),
            "sources": [vars(s) for s in self.sources],
            "entities": [vars(e) for e in self.entities],
            "facts": [{"change": f.change, "subject": f.subject, "predicate": f.predicate, "value": term(f.value),
                       "source": f.source, "record_urls": list(f.record_urls)} for f in self.facts],
            "questions": [{"name": q.name, "summary": q.summary, "variables": list(q.variables), "error": q.error,
                           "added": [[term(t) for t in row] for row in q.added],
                           "removed": [[term(t) for t in row] for row in q.removed]}
                          for q in self.questions],
        }


def _record_urls(triples: Iterable[tuple]) -> dict[Node, set[str]]:
    described: dict[Node, set[Node]] = defaultdict(set)
    url: dict[Node, set[str]] = defaultdict(set)
    for s, p, o in triples:
        if p == EAI.describes:
            described[s].add(o)
        elif p == EAI.recordUrl:
            url[s].add(str(o))
    out: dict[Node, set[str]] = defaultdict(set)
    for record, subjects in described.items():
        for subject in subjects:
            out[subject] |= url[record]
    return out


def _graph(store: Store, graph: str | None) -> set[tuple]:
    return set(store.graph_triples(graph)) if graph else set()


def _facts(before: Store, after: Store) -> tuple[list[SourceChange], list[FactChange], Counter]:
    old, new = before.current_graphs(), after.current_graphs()
    sources, facts, unlisted = [], [], Counter()
    for source in sorted(set(old) | set(new)):
        if old.get(source) == new.get(source):
            continue
        was, now = _graph(before, old.get(source)), _graph(after, new.get(source))
        added, removed = now - was, was - now
        if not added and not removed:  # reloaded: another run, the same triples
            unlisted["reloaded"] += 1
            continue
        sources.append(SourceChange(source, old.get(source), new.get(source), len(added), len(removed)))
        for change, triples, urls in ((ADDED, added, _record_urls(now)), (REMOVED, removed, _record_urls(was))):
            for s, p, o in triples:
                if str(s).startswith(_RECORDS):
                    unlisted["records"] += 1
                elif isinstance(s, BNode) or isinstance(o, BNode):
                    unlisted["blank"] += 1
                else:
                    facts.append(FactChange(change, str(s), str(p), o, source, tuple(sorted(urls.get(s, ())))))
    # what sources state first, then what the derived graph concluded from them
    facts.sort(key=lambda f: (f.source == "derived", f.source, f.subject, f.predicate, f.change, str(f.value)))
    return sources, facts, unlisted


def _labels(store: Store, iris: set[str]) -> dict[str, str]:
    from euaigraph.graph.labels import labels

    return labels(store, iris, "en")


def _entities(before: Store, after: Store) -> list[EntityChange]:
    """(entity, kind) pairs on one side only: a thing that became (or stopped being) of a kind counts for that kind,
    as ``overview/counts-by-kind`` counts it."""
    kinds = reference.kinds()

    def typed(store: Store) -> set[tuple[str, str]]:
        return {(str(s), kinds[t]) for s, t in store.execute(_ENTITIES).rows if isinstance(s, URIRef)}

    was, now = typed(before), typed(after)
    out = []
    for change, pairs, store in ((ADDED, now - was, after), (REMOVED, was - now, before)):
        names = _labels(store, {iri for iri, _ in pairs})
        out += [EntityChange(change, iri, kind, names.get(iri, iri)) for iri, kind in pairs]
    return sorted(out, key=lambda e: (e.kind, e.change, e.label.lower(), e.iri))


def _cell(term: Node | None) -> object:
    """What a cell is compared by: a plain string listing URLs (a GROUP_CONCAT) as the set of its URLs, since SPARQL
    leaves the order of a concatenation open; any other term as itself."""
    if isinstance(term, Literal) and term.datatype is None and not term.language:
        parts = str(term).split()
        if len(parts) > 1 and all(p.startswith(("http://", "https://")) for p in parts):
            return ("urls", tuple(sorted(set(parts))))
    return term


def row_key(row: Iterable[Node | None]) -> tuple:
    """A row as the comparison sees it (see :func:`_cell`).

    >>> urls = ("https://b.example https://a.example", "https://a.example https://b.example")
    >>> row_key([Literal(urls[0])]) == row_key([Literal(urls[1])]), row_key([Literal("a b")]) == row_key([Literal("b a")])
    (True, False)
    """
    return tuple(_cell(t) for t in row)


def _rows(result) -> tuple[Counter, dict]:
    """The rows counted by their key, and one row as answered for each key (what the diff shows)."""
    counted, shown_as = Counter(), {}
    for row in (result.rows if result.kind == "select" else result.triples):
        key = row_key(row)
        counted[key] += 1
        shown_as.setdefault(key, tuple(row))
    return counted, shown_as


def _questions(before: Side, after: Side, *, timeout_s: float, row_cap: int,
               progress: Callable[[str], None]) -> list[QuestionChange]:
    out = []
    with QueryWorkers(before.ref, size=1) as old, QueryWorkers(after.ref, size=1) as new:
        for name, saved in catalogue().items():
            progress(f"answering {name} on both versions")
            try:
                was = run_saved(old, saved, timeout_s=timeout_s, row_cap=row_cap)
                now = run_saved(new, saved, timeout_s=timeout_s, row_cap=row_cap, answers=after.ref.answers())
            except (QueryCancelled, QueryRefused, SavedQueryError, StoreError) as exc:
                out.append(QuestionChange(name, saved.summary, (), error=str(exc)))
                continue
            (a, a_rows), (b, b_rows) = _rows(was), _rows(now)
            order = lambda row: tuple(nt_term(t) if t is not None else "" for t in row)  # noqa: E731
            out.append(QuestionChange(name, saved.summary, tuple(now.variables or was.variables),
                                      added=tuple(sorted((b_rows[k] for k in (b - a).elements()), key=order)),
                                      removed=tuple(sorted((a_rows[k] for k in (a - b).elements()), key=order))))
    return out


def compare(before: Side, after: Side, *, questions: bool = True, timeout_s: float = DEFAULT_TIMEOUT_S,
            row_cap: int = DEFAULT_ROW_CAP, progress: Callable[[str], None] | None = None) -> Diff:
    """What changed from ``before`` to ``after`` (module docstring); ``questions=False`` skips the saved questions."""
    say = progress or (lambda message: None)
    with before.ref.open() as old, after.ref.open() as new:
        say("comparing the source graphs")
        sources, facts, unlisted = _facts(old, new)
        say("comparing the entities")
        entities = _entities(old, new)
    asked = _questions(before, after, timeout_s=timeout_s, row_cap=row_cap, progress=say) if questions else []
    return Diff(before, after, tuple(sources), tuple(entities), tuple(facts), tuple(asked), dict(unlisted))


def shown(term: Node | str | None) -> str:
    """A term as the command line and the Changes page show it (IRIs with the project's prefixes)."""
    if term is None:
        return ""
    if isinstance(term, str):
        term = URIRef(term)
    return short(term, PREFIXES) if isinstance(term, URIRef | Literal | BNode) else str(term)


__all__ = ["ADDED", "REMOVED", "Diff", "EntityChange", "FactChange", "QuestionChange", "SourceChange", "compare",
           "row_key", "shown"]
