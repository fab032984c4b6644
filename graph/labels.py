"""Names of things: the label of each IRI in a wanted language where the graph has one, else in English, else an
untagged label, else a label in any language; terms of the ontology (``eai:`` classes and properties) from the
ontology itself. This is the one place the explorer and the exports turn an IRI into words.

Labels are ``rdfs:label`` and ``skos:prefLabel`` (a preferred label wins over a plain one in the same language).

>>> choose([("Deutschland", "de", True), ("Germany", "en", True), ("DEU", "", False)], "fr")
'Germany'
>>> choose([("Deutschland", "de", True), ("Germany", "en", True)], "de")
'Deutschland'
>>> choose([("Germany", "", False), ("BRD", "sv", True)], "fr")
'Germany'
>>> fallback("https://w3id.org/euaigraph/id/org/epoch-ai/pragmatic-theory-inc.")
'pragmatic-theory-inc.'
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from euaigraph.ontology import reference
from euaigraph.ontology.namespaces import EAI_NS

from euaigraph.graph.store.base import Store
from euaigraph.graph.store.terms import UnsafeIriError, nt_term

_BATCH = 400
_LIMIT = 300  # characters: a label is a name, not a text


def choose(candidates: Iterable[tuple[str, str, bool]], language: str) -> str | None:
    """The best of ``(text, language tag, is a preferred label)`` candidates for ``language``."""
    wanted = (language or "en").lower().split("-")[0]

    def rank(item: tuple[str, str, bool]) -> tuple[int, int, str]:
        text, tag, preferred = item
        primary = (tag or "").lower().split("-")[0]
        order = 0 if primary == wanted else 1 if primary == "en" else 2 if not primary else 3
        return order, 0 if preferred else 1, text

    ranked = sorted(candidates, key=rank)
    return ranked[0][0] if ranked else None


def fallback(iri: str) -> str:
    """What to call an IRI nobody labelled: its last path segment or fragment."""
    return iri.rstrip("/").replace("#", "/").rsplit("/", 1)[-1] or iri


def _ontology_candidates() -> dict[str, list[tuple[str, str, bool]]]:
    out: dict[str, list[tuple[str, str, bool]]] = {}
    graph = reference.ontology()
    for predicate, preferred in ((SKOS.prefLabel, True), (RDFS.label, False)):
        for subject, label in graph.subject_objects(predicate):
            if isinstance(subject, URIRef) and isinstance(label, Literal):
                out.setdefault(str(subject), []).append((str(label), label.language or "", preferred))
    return out


def labels(store: Store, iris: Iterable[str], *, language: str = "en") -> dict[str, str]:
    """IRI -> its label for ``language`` (see the module), for every IRI given; IRIs without any label get
    :func:`fallback`. Labels are plain text on one line, at most 300 characters."""
    wanted = sorted({str(i) for i in iris})
    candidates: dict[str, list[tuple[str, str, bool]]] = {}
    terms = []
    for iri in wanted:
        try:
            terms.append((iri, nt_term(URIRef(iri))))
        except (UnsafeIriError, ValueError):
            continue
    for start in range(0, len(terms), _BATCH):
        values = " ".join(term for _, term in terms[start:start + _BATCH])
        rows = store.execute(f"SELECT ?x ?l ?p WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ <{SKOS.prefLabel}> "
                             f"<{RDFS.label}> }} ?x ?p ?l FILTER(isLITERAL(?l)) }}").rows
        for x, label, predicate in rows:
            candidates.setdefault(str(x), []).append((str(label), label.language or "", predicate == SKOS.prefLabel))
    ontology = _ontology_candidates() if any(i.startswith(str(EAI_NS)) for i in wanted) else {}
    out = {}
    for iri in wanted:
        best = choose(candidates.get(iri) or ontology.get(iri) or (), language)
        text = " ".join((best or fallback(iri)).split())
        out[iri] = text if len(text) <= _LIMIT else text[: _LIMIT - 1] + "…"
    return out


__all__ = ["choose", "fallback", "labels"]
