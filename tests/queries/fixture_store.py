"""The query fixture: three hand-written Turtle files loaded through the real pipeline.

Each file is a source of its own (a :class:`SourceSpec` whose parser reads the Turtle), so the fixture has
source graphs with priorities, provenance in the meta graph and a derived graph computed by
:func:`euaigraph.graph.load.pipeline.ingest_many`, exactly as the shipped graph does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import ingest_many
from euaigraph.ingest import registry
from euaigraph.ingest.base import PRIORITY_CURATED, PRIORITY_THIRD_PARTY, Feed, Report, SourceSpec, Triple

FIXTURE = Path(__file__).parent / "fixture"
RETRIEVED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def _parse_turtle(feed: Feed, report: Report) -> Iterator[Triple]:
    graph = Graph()
    graph.parse(feed.path, format="turtle")
    report.file_read(feed.path.name)
    report.read(len(set(graph.subjects())))  # one record per described subject, each one ingested
    report.ingested(len(set(graph.subjects())))
    yield from graph


def turtle_source(source_id: str, title: str, priority: int) -> SourceSpec:
    """A source whose feed is one Turtle file, parsed with rdflib (every triple of the file is a claim)."""
    return SourceSpec(id=source_id, title=title, homepage="https://fixture.example/", data_licence="CC0-1.0",
                      parse=_parse_turtle, min_triples=10, priority=priority)


#: (spec, file) for each fixture source.
SOURCES = (
    (turtle_source("fixture-reference", "Fixture reference data", PRIORITY_CURATED), FIXTURE / "reference.ttl"),
    (turtle_source("fixture-curated", "Fixture curated facts", PRIORITY_CURATED), FIXTURE / "curated.ttl"),
    (turtle_source("fixture-index", "Fixture openness index", PRIORITY_THIRD_PARTY), FIXTURE / "index.ttl"),
)


def build_fixture_store(home: Path) -> Path:
    """Load the fixture, with the project's real ontology (the reference data the questions read), into an
    embedded store at ``home``; fails loudly if any source does not load."""
    # A fixed retrieval time, so that results showing it do not depend on when the files were checked out.
    ontology = registry.get("ontology")
    jobs = [(ontology, Feed.from_path(ontology.shipped_path()))]
    jobs += [(spec, replace(Feed.from_path(path, url=f"https://fixture.example/{path.name}"), retrieved_at=RETRIEVED))
             for spec, path in SOURCES]
    with EmbeddedStore(home, writable=True) as store:
        outcomes = ingest_many(store, jobs, all_or_nothing=True)
    failed = [o.message for o in outcomes if not o.ok]
    if failed:
        raise RuntimeError(f"the query fixture did not load: {failed}")
    return home
