"""Small helpers every source uses to write triples: typed literals, source records, cited claims.

>>> date_literal("2024-12")
rdflib.term.Literal('2024-12', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth'))
>>> date_literal("2024-12-02").datatype.endswith("#date"), date_literal("2024").datatype.endswith("#gYear")
(True, True)
>>> date_literal("Dec 2024") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from euaigraph.ontology.iri import record_iri
from euaigraph.ontology.vocab import EAI

from .base import Triple

_DATE_FORMS = ((re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date), (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
               (re.compile(r"^\d{4}$"), XSD.gYear))


def date_literal(value: Any) -> Literal | None:
    """xsd:date, xsd:gYearMonth or xsd:gYear for ISO dates and their prefixes; None for anything else."""
    if isinstance(value, datetime):
        value = value.date()
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    for pattern, datatype in _DATE_FORMS:
        if pattern.match(text):
            try:
                parts = [int(p) for p in text.split("-")]
                date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
            except ValueError:
                return None
            return Literal(text, datatype=datatype)
    return None


def first_day(text: str) -> str:
    """The earliest day a (possibly partial) date can mean.

    >>> first_day("2024"), first_day("2024-05"), first_day("2024-05-17")
    ('2024-01-01', '2024-05-01', '2024-05-17')
    """
    return text + ("-01-01", "-01", "")[min(text.count("-"), 2)]


def last_day(text: str) -> str:
    """The latest day a (possibly partial) date can mean.

    >>> last_day("2024"), last_day("2024-02"), last_day("2024-05-17")
    ('2024-12-31', '2024-02-29', '2024-05-17')
    """
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return text
    month = parts[1] if len(parts) == 2 else 12
    following = date(parts[0] + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).isoformat()


def boolean(value: bool) -> Literal:
    return Literal(bool(value), datatype=XSD.boolean)


def integer(value: Any) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


def double(value: Any) -> Literal:
    return Literal(float(value), datatype=XSD.double)


def decimal(value: Any) -> Literal:
    return Literal(str(value), datatype=XSD.decimal)


def source_record(
    source_id: str,
    key: str,
    about: Node,
    *,
    urls: list[str],
    accessed: Any = None,
    locator: str | None = None,
    confidence: str | None = None,
) -> Iterator[Triple]:
    """A source record: the entity it describes, its URL(s), when it was read, where in the feed it was."""
    node = record_iri(source_id, key)
    yield node, RDF.type, EAI.SourceRecord
    yield node, EAI.describes, about
    for url in urls:
        yield node, EAI.recordUrl, URIRef(url)
    if accessed is not None:
        stamp = date_literal(accessed)
        if stamp is not None:
            yield node, EAI.accessed, stamp
    if locator:
        yield node, EAI.locator, Literal(locator)
    if confidence:
        yield node, EAI.confidence, Literal(confidence)


def cited_claim(
    subject: Node, predicate: Node, value: Node, *, url: str, accessed: Any, key: str, source_id: str
) -> Iterator[Triple]:
    """A fact plus an rdf:Statement saying which page asserted it (for values that sources dispute)."""
    yield subject, predicate, value
    statement = record_iri(source_id, f"claim/{key}")
    yield statement, RDF.type, RDF.Statement
    yield statement, RDF.subject, subject
    yield statement, RDF.predicate, predicate
    yield statement, RDF.object, value
    yield statement, EAI.recordUrl, URIRef(url)
    stamp = date_literal(accessed)
    if stamp is not None:
        yield statement, EAI.accessed, stamp
