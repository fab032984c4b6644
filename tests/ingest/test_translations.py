"""The translations source: country and language names in the official EU languages from the gettext catalogues
pycountry installs, as alternative labels in their language; every country or language is ingested or rejected
with a reason; a missing or damaged catalogue is a skipped file with its path and the others still read; a feed
that is not a folder of catalogues fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pycountry
import pytest
from rdflib import Literal
from rdflib.namespace import SKOS

from euaigraph.ingest.base import Feed, FeedError, Report
from euaigraph.ingest.sources import translations
from euaigraph.ontology.iri import country_iri, language_iri
from euaigraph.ontology.vocab import EAI


def parse(path: Path) -> tuple[set, Report]:
    report = Report(translations.SOURCE.id)
    return set(translations.parse(Feed.from_path(path), report)), report


@pytest.fixture(scope="module")
def shipped():
    return parse(Path(pycountry.LOCALES_DIR))


def test_names_come_in_every_official_language_but_english(shipped):
    triples, report = shipped
    assert len(translations.official_languages()) == 23
    assert (country_iri("DEU"), SKOS.altLabel, Literal("Allemagne", lang="fr")) in triples
    assert (country_iri("DEU"), SKOS.altLabel, Literal("Ġermanja", lang="mt")) in triples
    assert (language_iri("FIN"), SKOS.altLabel, Literal("Finnisch", lang="de")) in triples
    names = {(s, o) for s, p, o in triples if p == SKOS.altLabel}
    languages = {o.language for _, o in names}
    assert languages == set(translations.official_languages())  # English is the source text, never repeated
    # every name is cited: a record per catalogue, with the published translations' page, describes its subject
    pages = {s: str(o) for s, p, o in triples if p == EAI.recordUrl}
    cited = {(o, pages[s].rsplit("/", 1)[-1].removesuffix(".po")) for s, p, o in triples if p == EAI.describes}
    assert {(s, o.language) for s, o in names} <= cited
    assert all(page.startswith("https://salsa.debian.org/iso-codes-team/iso-codes/") for page in pages.values())
    coded = sum(1 for x in pycountry.languages if hasattr(x, "alpha_2"))
    assert report.records_read == len(pycountry.countries) + coded
    assert report.imbalance() is None
    assert report.records_rejected == len(report.rejected) < 10
    for rejection in report.rejected:  # only things every official language calls by their English name
        assert rejection.reason == "no official language names it differently from English", rejection
    assert sum(f.status == "read" for f in report.files) == 2 * 23


def test_a_missing_or_damaged_catalogue_is_skipped_and_the_rest_read(tmp_path, shipped):
    folder = tmp_path / "locales"
    for code in ("fr", "de"):
        shutil.copytree(Path(pycountry.LOCALES_DIR) / code, folder / code)
    (folder / "de" / "LC_MESSAGES" / "iso639-3.mo").write_bytes(b"\x00" * 40)
    triples, report = parse(folder)
    where = {f.path: f.reason for f in report.files if f.status == "skipped"}
    assert report.imbalance() is None
    assert "de/LC_MESSAGES/iso639-3.mo" in where and "unreadable" in where["de/LC_MESSAGES/iso639-3.mo"]
    assert "it/LC_MESSAGES/iso3166-1.mo" in where and "no catalogue" in where["it/LC_MESSAGES/iso3166-1.mo"]
    assert (country_iri("DEU"), SKOS.altLabel, Literal("Deutschland", lang="de")) in triples  # other catalogues
    assert not any(isinstance(o, Literal) and o.language == "de" and s == language_iri("FIN") for s, _, o in triples)


def test_a_feed_that_is_no_folder_fails(tmp_path):
    path = tmp_path / "one.mo"
    path.write_bytes(b"")
    with pytest.raises(FeedError, match="folder of pycountry's gettext catalogues"):
        parse(path)
