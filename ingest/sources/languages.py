"""Languages: ISO 639 languages with a two-letter code (what model cards declare), as EU Vocabularies
language IRIs, with the 24 official EU languages flagged from ``data/curated/languages.yaml``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pycountry
from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from euaigraph.ontology.iri import language_iri
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_CURATED, Feed, FeedError, Report, SourceSpec, Triple
from ..curated import curated_dir, load_yaml
from ..emit import boolean, source_record


def sil_page(alpha_3: str) -> str:
    """The ISO 639-3 registration authority's page of a language code.

    >>> sil_page("fin")
    'https://iso639-3.sil.org/code/fin'
    """
    return f"https://iso639-3.sil.org/code/{alpha_3.lower()}"


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    """Records: every pycountry language with a two-letter code (ingested), and every entry of ``languages.yaml``
    (merged into the language with the same ISO 639-1 code, or rejected when pycountry has no such code)."""
    data = load_yaml(feed.path) or {}
    report.file_read(feed.path.name)
    official = {item["code"]: item for item in data.get("records") or []}
    if len(official) != 24:
        raise FeedError(SOURCE.id, str(feed.path), f"expected the 24 official EU languages, found {len(official)}")
    urls = [s["url"] for s in data.get("sources") or []]
    accessed = (data.get("sources") or [{}])[0].get("accessed")
    known = set()
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if not code:
            continue
        report.read()
        report.ingested()
        known.add(code)
        item = official.get(code)
        nal = item["nal"] if item else language.alpha_3.upper()
        node = language_iri(nal)
        yield node, RDF.type, EAI.Language
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.prefLabel, Literal(item["name"] if item else language.name, lang="en")
        yield node, EAI.isoCode, Literal(code)
        yield node, SKOS.notation, Literal(nal)
        yield from source_record(SOURCE.id, f"iso/{code}", node, urls=[sil_page(language.alpha_3)],
                                 accessed=feed.retrieved_at, locator=f"pycountry.languages[{code!r}]")
        if item:
            yield node, EAI.euOfficialLanguage, boolean(True)
            if urls:
                yield from source_record(SOURCE.id, f"eu/{code}", node, urls=urls, accessed=accessed,
                                         locator=f"languages.yaml#{code}", confidence="high")
    for code in official:
        report.read()
        if code in known:
            report.merge(f"languages.yaml#{code}", into=f"pycountry.languages[{code!r}]",
                         rule="same ISO 639-1 code", where=f"languages.yaml#{code}")
        else:
            report.reject(f"languages.yaml#{code}", "not an ISO 639-1 code known to pycountry")


SOURCE = SourceSpec(
    id="languages",
    title="Languages (ISO 639-1, EU official languages flagged)",
    homepage="https://op.europa.eu/en/web/eu-vocabularies/concept-scheme/-/resource?uri=http://publications.europa.eu/resource/authority/language",
    data_licence="CC-BY-4.0",
    parse=parse,
    min_triples=800,
    priority=PRIORITY_CURATED,
    shipped_path=lambda: Path(curated_dir() / "languages.yaml"),
    description="Built offline from pycountry's ISO 639 database and the curated list of the 24 EU languages.",
)
