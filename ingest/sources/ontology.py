"""The ontology itself (``ontology/euaigraph.ttl``) as a source graph: classes, properties and the rules kept as
reference data (kind and relation codes, relation groups, licence classes and grades with their labels).

Saved questions join these codes and labels instead of repeating them (decisions/0011-one-home-per-rule.md);
the file is the project's own, so every term cites the published ontology IRI.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from euaigraph.ontology import ontology_path
from euaigraph.ontology.iri import record_iri
from euaigraph.ontology.reference import ontology
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_CURATED, Feed, FeedError, Report, SourceSpec, Triple
from ..safe_parse import parse_rdf

ONTOLOGY_IRI = "https://w3id.org/euaigraph/ontology"


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    graph = ontology() if feed.path == ontology_path() else parse_rdf(SOURCE.id, feed.path)
    if not any(graph.triples((None, RDF.type, None))):
        raise FeedError(SOURCE.id, str(feed.path), "not an ontology: no rdf:type statement")
    report.file_read(feed.path.name)
    report.version = str(next(graph.objects(None, OWL.versionInfo), "") or "") or None
    terms = sorted(set(graph.subjects()), key=str)
    report.read(len(terms))
    report.ingested(len(terms))
    yield from graph
    # One record, the published ontology, cites every term it defines.
    record = record_iri(SOURCE.id, "euaigraph.ttl")
    yield record, RDF.type, EAI.SourceRecord
    yield record, EAI.recordUrl, URIRef(ONTOLOGY_IRI)
    yield record, EAI.accessed, Literal(feed.retrieved_at.date().isoformat(), datatype=XSD.date)
    for term in terms:
        yield record, EAI.describes, term


SOURCE = SourceSpec(
    id="ontology",
    title="The euaigraph ontology and its reference data (kinds, relations, licence classes, grades)",
    homepage=ONTOLOGY_IRI,
    data_licence="CC-BY-4.0",
    parse=parse,
    min_triples=1000,
    priority=PRIORITY_CURATED,
    shipped_path=lambda: Path(ontology_path()),
    description="The project's ontology file, loaded so that questions read codes and labels from one place.",
)
