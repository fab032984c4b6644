"""Names of countries and languages in the official EU languages, from the translations of the Debian iso-codes
project that pycountry installs (gettext catalogues, one per language and standard).

The ``countries`` and ``languages`` sources name things in English only; the ``eu-vocabularies`` feed adds the
authority tables' own labels in every language when it is loaded. These translations make the shipped graph speak
the 24 official languages without it: each is a ``skos:altLabel`` in its language, so an EU Vocabularies
``skos:prefLabel`` keeps its place wherever both exist (``graph.labels`` prefers it), and SKOS's one preferred label
per language holds. The feed is the folder of catalogues (``<code>/LC_MESSAGES/iso3166-1.mo``, ``iso639-3.mo``);
the languages to read are the official ones in ``data/curated/languages.yaml``, English aside (it is the source
text). One record per country or language: ingested when at least one official language names it differently
from English, rejected otherwise; a catalogue is a file of the ledger, skipped with its path when missing or
unreadable.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from pathlib import Path

import pycountry
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from euaigraph.ontology.iri import country_iri, language_iri, record_iri
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_CURATED, Feed, FeedError, Report, SourceSpec, Triple, walk
from ..curated import curated_dir, load_yaml
from ..emit import source_record
from ..normalise import resolve_language

#: gettext domains: the ISO standard a catalogue translates, and what it names.
COUNTRIES, LANGUAGES = "iso3166-1", "iso639-3"
#: The longest name kept (the longest official country name is under 80 characters).
MAX_NAME = 200
#: The language the catalogues translate from.
SOURCE_LANGUAGE = "en"
#: Where each catalogue's translations are published (the project's sources; pycountry compiles them).
PUBLISHED = "https://salsa.debian.org/iso-codes-team/iso-codes/-/blob/main/{folder}/{code}.po"
_FOLDERS = {COUNTRIES: "iso_3166-1", LANGUAGES: "iso_639-3"}


def official_languages() -> list[str]:
    """The ISO 639-1 codes of the official EU languages but English, from the curated list."""
    data = load_yaml(curated_dir() / "languages.yaml") or {}
    return sorted(str(r["code"]) for r in data.get("records") or [] if str(r["code"]) != SOURCE_LANGUAGE)


def _catalogue(feed: Feed, report: Report, code: str, domain: str) -> gettext.GNUTranslations | None:
    path = feed.path / code / "LC_MESSAGES" / f"{domain}.mo"
    where = path.relative_to(feed.root).as_posix()
    try:
        with path.open("rb") as handle:
            catalogue = gettext.GNUTranslations(handle)
    except FileNotFoundError:
        report.file_skipped(where, "no catalogue for this language")
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # gettext raises OSError for a damaged catalogue
        report.file_skipped(where, f"unreadable catalogue: {str(exc)[:200]}")
    else:
        report.file_read(where)
        return catalogue
    return None


def _names(catalogues: dict[str, gettext.GNUTranslations], english: str) -> Iterator[tuple[str, str]]:
    for code, catalogue in catalogues.items():
        name = catalogue.gettext(english).strip()
        if name and name != english and len(name) <= MAX_NAME:  # untranslated names fall back to English
            yield code, name


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    if not feed.path.is_dir():
        raise FeedError(SOURCE.id, str(feed.path), "expected the folder of pycountry's gettext catalogues")
    report.version = f"pycountry {getattr(pycountry, '__version__', 'unknown')}"
    codes = official_languages()
    for domain, things in ((COUNTRIES, pycountry.countries), (LANGUAGES, pycountry.languages)):
        catalogues = {c: t for c in codes if (t := _catalogue(feed, report, c, domain)) is not None}
        named: dict[str, list[URIRef]] = {code: [] for code in catalogues}
        for thing in things:
            if domain == COUNTRIES:
                node = country_iri(thing.alpha_3)
            elif getattr(thing, "alpha_2", None):  # the languages the languages source holds
                node = language_iri(resolve_language(thing.alpha_2))
            else:
                continue
            report.read()
            names = list(_names(catalogues, thing.name))
            if not names:
                report.reject(f"{domain}: {thing.name}", "no official language names it differently from English")
                continue
            report.ingested()
            for code, name in names:
                named[code].append(node)
                yield node, SKOS.altLabel, Literal(name, lang=code)
        yield from _records(feed, domain, named)
    _skip_the_rest(feed, report, codes)


def _records(feed: Feed, domain: str, named: dict[str, list[URIRef]]) -> Iterator[Triple]:
    """One source record per catalogue, citing its published translations and describing every thing it names."""
    for code, nodes in named.items():
        if not nodes:
            continue
        key = f"{domain}/{code}"
        yield from source_record(SOURCE.id, key, nodes[0], urls=[PUBLISHED.format(folder=_FOLDERS[domain], code=code)],
                                 accessed=feed.retrieved_at.date(), locator=f"{code}/LC_MESSAGES/{domain}.mo")
        for node in nodes[1:]:
            yield record_iri(SOURCE.id, key), EAI.describes, node


def _skip_the_rest(feed: Feed, report: Report, codes: list[str]) -> None:
    """Every other file of the folder is in the ledger as skipped, with why."""
    seen = {f.path for f in report.files}
    wanted = {f"{domain}.mo" for domain in (COUNTRIES, LANGUAGES)}
    for path, rel in walk(feed):
        if rel in seen:
            continue
        if path.relative_to(feed.path).parts[0] not in codes:
            report.file_skipped(rel, "not an official EU language (English is the source text)")
        elif path.name not in wanted:
            report.file_skipped(rel, "a catalogue of another standard, or not a compiled catalogue")
        else:
            report.file_skipped(rel, "not where this source reads catalogues (<code>/LC_MESSAGES/)")


SOURCE = SourceSpec(
    id="translations",
    title="Country and language names in the official EU languages (iso-codes translations, via pycountry)",
    homepage="https://salsa.debian.org/iso-codes-team/iso-codes",
    data_licence="LGPL-2.1-or-later",
    parse=parse,
    min_triples=3000,
    priority=PRIORITY_CURATED,
    shipped_path=lambda: Path(pycountry.LOCALES_DIR),
    description="Built offline from the gettext catalogues of ISO 3166-1 and ISO 639-3 that pycountry installs.",
)
