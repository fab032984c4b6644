"""The header comments of an Index file (``# - National origin: Norway``, ``# - Contributor type: Academic
(University)``, training compute estimates): read as low-confidence claims, each citing its file and line.

>>> parse_compute("~5.28e+23 FLOP +- 0.5 OoM (param count & dataset size)"), parse_compute(">= 1.18e+22 FLOP")
(5.28e+23, None)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .base import Triple
from .emit import cited_claim, double, source_record
from .normalise import fold, resolve_country
from .openness import is_name

_HEADER = re.compile(r"^#\s*-\s*(national origin|contributor type|base model training compute|end model training "
                     r"compute)\s*:\s*(.*?)\s*$", re.I)
_COMPUTE = re.compile(r"^~?\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(?:flop)?\s*(?:\+-|±|\(|$)", re.I)
#: Contributor types of the index (the part in brackets) that map to our organisation types.
CONTRIBUTOR_TYPES = {"company": "company", "american big tech": "company", "chinese big tech": "company",
                     "european big tech": "company", "big tech": "company", "chinese ai tiger": "company",
                     "university": "university", "research institution": "research-organisation",
                     "research lab": "research-organisation"}


def parse_compute(text: str) -> float | None:
    """A point estimate in FLOP; None for unknown values, ranges and bounds."""
    match = _COMPUTE.match(text.strip())
    return float(match.group(1)) if match and " to " not in text else None


def header_triples(rec: Any, text: str, orgs: list[URIRef], model: URIRef, base: URIRef | None) -> Iterator[Triple]:
    """The header's claims; ``rec`` is the file's record (source id, key, URL, file, report, feed)."""
    found = [(n + 1, m.group(1).lower(), m.group(2)) for n, line in enumerate(text.splitlines())
             if (m := _HEADER.match(line.strip()))]
    if not found:
        return
    record = iri.record_iri(rec.sid, f"{rec.key}/header")
    yield from source_record(rec.sid, f"{rec.key}/header", orgs[0] if orgs else model, urls=[rec.url],
                             accessed=rec.feed.retrieved_at, locator=f"{rec.rel}:{found[0][0]}", confidence="low")
    yield record, EAI.describes, model
    for line, kind, value in found:
        yield record, EAI.note, Literal(f"{kind}: {value}")
        yield from _claim(rec, line, kind, value, orgs, model, base)


def _claim(rec: Any, line: int, kind: str, value: str, orgs: list[URIRef], model: URIRef,
           base: URIRef | None) -> Iterator[Triple]:
    where = f"{rec.rel}:{line}"
    claim = partial(_low_claim, rec, line)
    if kind == "national origin" and is_name(value):
        code = resolve_country(value)
        if code is None:
            rec.report.unresolved_name(value, "country", where)
        elif len(orgs) == 1:  # a shared origin of several organisations says nothing about each one
            yield from claim(orgs[0], EAI.jurisdiction, iri.country_iri(code), "jurisdiction")
    elif kind == "contributor type":
        inner = re.search(r"\(([^)]*)\)", value)
        mapped = CONTRIBUTOR_TYPES.get(fold(inner.group(1))) if inner else None
        if mapped is None:
            rec.report.unresolved_name(value, "organisation type", where)
        elif len(orgs) == 1:
            yield from claim(orgs[0], EAI.organisationType, Literal(mapped), "type")
    elif kind.endswith("training compute"):
        flop = parse_compute(value)
        target = base if kind.startswith("base") and base is not None else model
        if flop is not None:
            yield from claim(target, EAI.trainingComputeFLOP, double(flop), kind.split()[0] + "-compute")


def _low_claim(rec: Any, line: int, subject: Node, predicate: Node, value: Node, key: str) -> Iterator[Triple]:
    """A header claim: the fact, plus a statement citing the file and line, marked low confidence."""
    claim_key = f"{rec.key}/{key}"
    yield from cited_claim(subject, predicate, value, url=rec.url, accessed=rec.feed.retrieved_at, key=claim_key,
                           source_id=rec.sid)
    statement = iri.record_iri(rec.sid, f"claim/{claim_key}")
    yield statement, EAI.confidence, Literal("low")
    yield statement, EAI.locator, Literal(f"{rec.rel}:{line}")
