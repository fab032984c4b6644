"""Blocs and dated memberships (EU, EEA, EFTA, Horizon Europe association) from ``data/curated/blocs.yaml``.

"European" is then a query parameter: a bloc and a date select the member countries on that day. Every bloc and
membership is a record citing its pages (a membership without its own page cites its bloc's).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from euaigraph.ontology.iri import bloc_iri, country_iri, node_iri, record_iri
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_CURATED, Feed, Report, SourceSpec, Triple
from ..curated import curated_dir, load_yaml
from ..emit import date_literal, source_record


@cache
def blocs() -> dict[str, str]:
    """Bloc id -> name, from the shipped ``blocs.yaml``: the one list of blocs every parameter and option offers.

    >>> list(blocs())[:2]
    ['eea', 'efta']
    """
    data = load_yaml(Path(curated_dir() / "blocs.yaml")) or {}
    return {str(b["id"]): str(b["name"]) for b in data.get("blocs") or []}


def known_bloc(bloc: str) -> str:
    """``bloc`` when it is one of :func:`blocs`; :class:`KeyError` naming them otherwise (an unknown bloc has no
    members, so every count against it would silently be zero).

    >>> known_bloc("eu")
    'eu'
    """
    if bloc not in blocs():
        raise KeyError(f"bloc {bloc!r} is not one of {', '.join(blocs())}")
    return bloc


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    data = load_yaml(feed.path) or {}
    report.file_read(feed.path.name)
    pages: dict[str, list[dict]] = {}
    for bloc in data.get("blocs") or []:
        report.read()
        report.ingested()
        pages[bloc["id"]] = bloc["sources"]
        node = bloc_iri(bloc["id"])
        yield node, RDF.type, EAI.Bloc
        yield node, RDFS.label, Literal(bloc["name"])
        yield from source_record(SOURCE.id, f"bloc/{bloc['id']}", node, urls=[s["url"] for s in bloc["sources"]],
                                 accessed=bloc["sources"][0]["accessed"], locator=f"blocs.yaml#{bloc['id']}")
    for n, item in enumerate(data.get("memberships") or []):
        report.read()
        where = f"blocs.yaml memberships[{n}]"
        start = date_literal(item.get("from"))
        if start is None:
            report.reject(where, f"membership of {item.get('country')} in {item.get('bloc')} has no valid 'from' date")
            continue
        report.ingested()
        country = country_iri(item["country"])
        node = node_iri("membership", item["country"], item["bloc"], str(item["from"]))
        cites = [{"url": item["url"], "accessed": item.get("accessed")}] if item.get("url") else pages.get(item["bloc"], [])
        record = f"membership/{item['country']}/{item['bloc']}/{item['from']}"
        yield from source_record(SOURCE.id, record, node, urls=[c["url"] for c in cites],
                                 accessed=cites[0].get("accessed") if cites else None, locator=where)
        yield record_iri(SOURCE.id, record), EAI.describes, country  # the membership link is stated about it
        yield country, EAI.membership, node
        yield node, RDF.type, EAI.Membership
        yield node, EAI.memberCountry, country
        yield node, EAI.bloc, bloc_iri(item["bloc"])
        yield node, EAI.startDate, start
        end = date_literal(item.get("until")) if item.get("until") else None
        if end is not None:
            yield node, EAI.endDate, end
        if item.get("url"):
            yield node, EAI.recordUrl, URIRef(item["url"])


SOURCE = SourceSpec(
    id="blocs",
    title="Blocs and dated memberships (EU, EEA, EFTA, Horizon Europe association)",
    homepage="https://eur-lex.europa.eu/summary/glossary/enlargement.html",
    data_licence="CC-BY-4.0",
    parse=parse,
    min_triples=300,
    priority=PRIORITY_CURATED,
    shipped_path=lambda: Path(curated_dir() / "blocs.yaml"),
    description="Curated dated memberships, each citing its source.",
)
