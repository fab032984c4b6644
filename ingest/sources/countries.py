"""Countries: every ISO 3166-1 country as its EU Vocabularies country IRI, from the installed ``pycountry``.

The EU Vocabularies country authority codes are the ISO 3166-1 alpha-3 codes, so the IRIs match the official
Country NAL (``http://publications.europa.eu/resource/authority/country/FIN``); the ``eu-vocabularies`` source
adds the NAL's own labels in every language when it is ingested. Each country is cited by its entry on the ISO
Online Browsing Platform, the public record of the code.

>>> iso_page("FR")
'https://www.iso.org/obp/ui/#iso:code:3166:FR'
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pycountry
from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from euaigraph.ontology.iri import country_iri
from euaigraph.ontology.vocab import EAI

from .. import safe_json
from ..base import PRIORITY_CURATED, Feed, FeedError, Report, SourceSpec, Triple
from ..emit import source_record


def _database() -> Path:
    return Path(pycountry.DATABASE_DIR) / "iso3166-1.json"


def iso_page(alpha_2: str) -> str:
    """The ISO Online Browsing Platform page of a country code."""
    return f"https://www.iso.org/obp/ui/#iso:code:3166:{alpha_2}"


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    try:
        entries = safe_json.loads(feed.path.read_text(encoding="utf-8"))["3166-1"]
    except (KeyError, ValueError, TypeError) as exc:
        raise FeedError(SOURCE.id, str(feed.path), f"not a pycountry ISO 3166-1 database: {exc}") from exc
    report.version = f"pycountry {_version()}"
    report.file_read(feed.path.name)
    for n, entry in enumerate(entries):
        report.read()
        if not all(k in entry for k in ("alpha_2", "alpha_3", "name")):
            report.reject(f"{feed.path.name}[{n}]", "entry lacks alpha_2, alpha_3 or name")
            continue
        report.ingested()
        node = country_iri(entry["alpha_3"])
        yield from source_record(SOURCE.id, entry["alpha_3"], node, urls=[iso_page(entry["alpha_2"])],
                                 accessed=feed.retrieved_at, locator=f"{feed.path.name}[{n}]")
        yield node, RDF.type, EAI.Country
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.prefLabel, Literal(entry.get("common_name") or entry["name"], lang="en")
        if entry.get("official_name"):
            yield node, SKOS.altLabel, Literal(entry["official_name"], lang="en")
        yield node, SKOS.notation, Literal(entry["alpha_3"])
        yield node, EAI.isoCode, Literal(entry["alpha_2"])


def _version() -> str:
    from importlib.metadata import version

    return version("pycountry")


SOURCE = SourceSpec(
    id="countries",
    title="Countries (ISO 3166-1 as EU Vocabularies country IRIs)",
    homepage="https://op.europa.eu/en/web/eu-vocabularies/concept-scheme/-/resource?uri=http://publications.europa.eu/resource/authority/country",
    data_licence="LGPL-2.1-only",
    parse=parse,
    min_triples=1000,
    priority=PRIORITY_CURATED,
    shipped_path=_database,
    description="Built offline from the ISO 3166-1 database that the pycountry package installs.",
)
