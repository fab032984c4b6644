"""Labels in the analyst's language, and finding an entity by its label in any language.

The graph holds labels in many languages: country names in every EU official language from the EU Vocabularies
authority tables (the ``eu-vocabularies`` source), and the project's own terms (kinds, properties, licence classes,
grades, AI Act indicators, relation groups) in English, French and German in the ontology, which is loaded as a
source. :func:`labels` picks, for each IRI, the label in the language asked for, else a label with no language (a
name, such as a model's), else the English one, else any, else the IRI's last segment: the explorer's language
choice calls it for its tables, chart axes and titles, the exports and the diff. A label is feed text: it comes back
as plain text on one line, at most :data:`MAX_LABEL` characters; an IRI that cannot be written safely into a
query is named by its last segment, never sent.

>>> choose([("Allemagne", "fr"), ("Germany", "en"), ("Deutschland", "de")], "de")
'Deutschland'
>>> choose([("Germany", "en"), ("Deutschland", "de")], "fr")  # no French label: English
'Germany'
>>> choose([("EuroLLM 9B", None), ("EuroLLM (en)", "en")], "fr")  # a name without a language comes first
'EuroLLM 9B'
>>> choose([("Portugal", "pt-PT")], "pt")  # a regional tag counts for its language
'Portugal'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from euaigraph.graph.store.base import QueryResult, Store
from euaigraph.graph.store.terms import UnsafeIriError, nt_term

FALLBACK = "en"
#: Label properties, most preferred first: an alternative label is shown only when it is the one in the language
#: asked for (the translated country and language names are alternative labels, decisions in the source's docstring).
PREDICATES = (SKOS.prefLabel, RDFS.label, SKOS.altLabel)
_BATCH = 400
#: The longest label shown (characters): a label is a name, not a text.
MAX_LABEL = 300


def _base(tag: str | None) -> str | None:
    return tag.lower().split("-", 1)[0] if tag else None


def choose(found: Iterable[tuple[str, str | None]], language: str) -> str | None:
    """The label to show from (text, language tag) pairs, in preference order (module docstring); None if none."""
    found = list(found)
    wanted = _base(language)
    for test in (lambda t: _base(t) == wanted, lambda t: t is None, lambda t: _base(t) == FALLBACK, lambda t: True):
        for text, tag in found:
            if test(tag):
                return text
    return None


def local_name(iri: str) -> str:
    """The last segment of an IRI (shown when nothing labels it).

    >>> local_name("https://w3id.org/euaigraph/ontology#AIModel"), local_name("http://spdx.org/licenses/MIT")
    ('AIModel', 'MIT')
    """
    return iri.rstrip("/").replace("#", "/").rsplit("/", 1)[-1]


def one_line(text: str) -> str:
    """A label as shown: whitespace runs as one space, cut at :data:`MAX_LABEL` characters with an ellipsis.

    >>> one_line("EuroLLM\\n  9B"), len(one_line("x" * 1000))
    ('EuroLLM 9B', 300)
    """
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _terms(iris: Iterable[str]) -> dict[str, str]:
    """IRI -> its N-Triples form, for the IRIs that can be sent in a query."""
    out = {}
    for iri in iris:
        try:
            out[iri] = nt_term(URIRef(iri))
        except (UnsafeIriError, ValueError):
            continue
    return out


def labels(store: Store, iris: Iterable[str], language: str = FALLBACK) -> dict[str, str]:
    """IRI -> its label in ``language`` (an ISO 639-1 code such as ``fr``), falling back to a label without language,
    then English, then any label, then the IRI's last segment. Every IRI asked for gets an entry."""
    asked = sorted({str(i) for i in iris})
    terms = _terms(asked)
    found: dict[str, list[tuple[int, str, str | None]]] = defaultdict(list)
    rank = {str(p): n for n, p in enumerate(PREDICATES)}
    predicates = " ".join(nt_term(p) for p in PREDICATES)
    sendable = sorted(terms)
    for start in range(0, len(sendable), _BATCH):
        values = " ".join(terms[i] for i in sendable[start:start + _BATCH])
        rows = store.execute(f"SELECT DISTINCT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {predicates} }} "
                             "?x ?p ?l FILTER(isLiteral(?l)) }").rows
        for x, p, label in rows:
            if isinstance(label, Literal):
                found[str(x)].append((rank[str(p)], str(label), label.language))
    out = {}
    for iri in asked:
        ordered = [(text, tag) for _, text, tag in sorted(found.get(iri, []), key=lambda f: (f[0], f[1]))]
        out[iri] = one_line(choose(ordered, language) or local_name(iri) or iri)
    return out


#: The saved question that finds entities by a name in any language, and the longest text it takes.
SEARCH, MAX_SEARCH = "overview/find-by-label", 100


@dataclass(frozen=True)
class Match:
    """An entity one of whose names matched: its kind, its English (or untagged) name, the name that matched and
    that name's language ("" for a name without one)."""

    entity: str
    kind: str
    label: str
    matched: str
    language: str


def search_text(text: str) -> str:
    """The text a search takes: stripped, not empty, at most :data:`MAX_SEARCH` characters; ValueError otherwise.

    >>> search_text("  Allemagne "), len(search_text("x" * 500))
    ('Allemagne', 100)
    """
    cleaned = " ".join(str(text).split())[:MAX_SEARCH]
    if not cleaned:
        raise ValueError("type part of a name to search for")
    return cleaned


def find_by_label(answer: Callable[[str, Mapping[str, str]], QueryResult], text: str) -> list[Match]:
    """Entities with a name containing ``text`` in any language; ``answer(question, params)`` runs the saved
    question (the explorer passes its cached, guarded runner; a test a fresh one)."""
    result = answer(SEARCH, {"text": search_text(text)})
    return [Match(str(r["entity"]), str(r["kind"]), str(r["label"] or local_name(str(r["entity"]))),
                  str(r["matched"]), str(r["language"] or "")) for r in result.records()]


__all__ = ["FALLBACK", "MAX_LABEL", "MAX_SEARCH", "PREDICATES", "SEARCH", "Match", "choose", "find_by_label",
           "labels", "local_name", "one_line", "search_text"]
