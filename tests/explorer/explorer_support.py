"""Support for the explorer tests: small stores built with the real loader (the reference sources - countries,
languages, licences, blocs - plus sources written here) and helpers to read an AppTest. Used by tests/explorer and
tests/browser."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import ingest_many
from euaigraph.explorer.views import PAGES as SITE
from euaigraph.ingest import registry
from euaigraph.ingest.base import Feed, SourceSpec, Triple
from euaigraph.ontology.iri import country_iri, licence_iri, model_iri, org_iri, record_iri
from euaigraph.ontology.vocab import EAI

PAGES = tuple(p.script for p in SITE)
REFERENCE = ("countries", "languages", "licences", "blocs")
MARKER = "XSS-MARKER"
#: Labels that would run script if any page put them into HTML unescaped (each logs the marker).
HOSTILE_LABELS = (
    f"<script>console.log('{MARKER}-1')</script>",
    f"<img src=x onerror=\"console.log('{MARKER}-2')\">",
    f"javascript:console.log('{MARKER}-3')",
    f"</script><script>console.log('{MARKER}-4')</script>",
    f"<svg onload=console.log('{MARKER}-5')>",
)
EVIL_ORG = org_iri("evil-org")


def source(source_id: str, triples: Iterable[Triple], *, priority: int = 1) -> SourceSpec:
    rows = list(triples)

    def parse(feed, report):
        report.file_read(feed.path.name)
        report.read(len(rows))
        report.ingested(len(rows))  # one record per triple, each one ingested
        return iter(rows)

    return SourceSpec(id=source_id, title=f"Test source {source_id}", homepage="https://example.org/" + source_id,
                      data_licence="CC0-1.0", parse=parse, min_triples=1, priority=priority)


def build(home: Path, specs: list[SourceSpec]) -> Path:
    """An embedded store at ``home`` with the reference sources and ``specs``, swapped in at once."""
    feed_file = home.parent / f"{home.name}-feed.txt"
    feed_file.write_text("test feed\n", encoding="utf-8")
    jobs = [(registry.get(sid), Feed.from_path(registry.get(sid).shipped_path())) for sid in REFERENCE]
    jobs += [(spec, Feed.from_path(feed_file)) for spec in specs]
    with EmbeddedStore(home, writable=True) as store:
        outcomes = ingest_many(store, jobs, all_or_nothing=True)
    failed = [o.message for o in outcomes if not o.ok]
    assert not failed, failed
    return home


def hostile_models() -> list[URIRef]:
    return [model_iri(f"evil/xss-{n}") for n in range(1, len(HOSTILE_LABELS) + 1)]


def hostile(home: Path) -> Path:
    """Models and an organisation whose labels are HTML/script, a javascript: evidence URL, and two sources that
    disagree on the organisation's jurisdiction (FRA from one, USA from the other)."""
    first: list[Triple] = [(EVIL_ORG, RDF.type, EAI.Organisation), (EVIL_ORG, RDFS.label, Literal(HOSTILE_LABELS[1])),
                           (EVIL_ORG, EAI.jurisdiction, country_iri("FRA"))]
    models = hostile_models()
    for n, (model, label) in enumerate(zip(models, HOSTILE_LABELS)):
        first += [(model, RDF.type, EAI.AIModel), (model, RDFS.label, Literal(label)),
                  (model, EAI.providedBy, EVIL_ORG), (model, EAI.licence, licence_iri("Apache-2.0"))]
        if n:
            first.append((model, EAI.derivedFrom, models[0]))
    record = record_iri("hostile-a", "models/evil/xss-1")
    first += [(record, RDF.type, EAI.SourceRecord), (record, EAI.describes, models[0]),
              (record, EAI.recordUrl, URIRef(f"javascript:console.log('{MARKER}-6')")),
              (record, EAI.confidence, Literal("high"))]
    second = [(EVIL_ORG, RDF.type, EAI.Organisation), (EVIL_ORG, EAI.jurisdiction, country_iri("USA"))]
    return build(home, [source("hostile-a", first, priority=1), source("hostile-b", second, priority=4)])


def thousand(home: Path, *, models: int = 950, orgs: int = 50) -> Path:
    """A lineage forest of ``models`` models from ``orgs`` providers in five countries: over 1,000 nodes."""
    countries = ("FRA", "DEU", "USA", "CHN", "ITA")
    triples: list[Triple] = []
    for n in range(orgs):
        org = org_iri(f"org-{n}")
        triples += [(org, RDF.type, EAI.Organisation), (org, RDFS.label, Literal(f"Organisation {n}")),
                    (org, EAI.jurisdiction, country_iri(countries[n % len(countries)]))]
    for n in range(models):
        model = model_iri(f"synthetic/model-{n}")
        triples += [(model, RDF.type, EAI.AIModel), (model, RDFS.label, Literal(f"Model {n}")),
                    (model, EAI.providedBy, org_iri(f"org-{n % orgs}")),
                    (model, EAI.licence, licence_iri("Apache-2.0" if n % 2 else "MIT"))]
        if n:
            triples.append((model, EAI.derivedFrom, model_iri(f"synthetic/model-{(n - 1) // 3}")))
    return build(home, [source("synthetic", triples)])


def texts(at, kind: str) -> list[str]:
    """The text of every element of one kind (error, info, caption, markdown, ...)."""
    return [str(getattr(e, "value", None) or getattr(e, "body", "")) for e in at.get(kind)]
