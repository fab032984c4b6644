"""EU Vocabularies: SKOS authority tables (named authority lists) of the Publications Office, in any RDF syntax.

Every ``skos:Concept`` of every table in the feed becomes a concept on its EU Vocabularies IRI, with its preferred
and alternative labels and definitions in every language (hidden labels, search variants, are left out), its
authority code as ``skos:notation`` (and the legacy codes other EU systems use, such as ``EL`` and ``UK``), its
scheme and broader concepts. Countries and languages land exactly on :func:`~euaigraph.ontology.iri.country_iri` /
:func:`~euaigraph.ontology.iri.language_iri` and are typed ``eai:Country`` / ``eai:Language``.

EU membership: the Country table marks the member states with ``at:protocol.order="EU-nn"`` (their order in the
EU's protocol). It gives no accession dates, so the claim written is what the table attests: membership of the EU on
the day of the table's version (``20221214-0`` -> 2022-12-14), as an ``eai:Membership`` whose start and end are
that day, noted as such. Accession dates come from the curated ``blocs`` source.

Records are the concepts: subjects typed ``skos:Concept`` or placed in a scheme (``skos:inScheme``,
``skos:topConceptOf``), so a table that leaves out the type is still read; a file that does not parse is one record
rejected, and a file that parses to no concept is noted. Every file of the feed is read or skipped with its reason
(a ``.json`` file is read when it is JSON-LD). Each record cites the concept's authority IRI and its file at the
recorded commit, with the day it was retrieved and, as its assessment date, the day of the table's version.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS
from rdflib.term import Node

from euaigraph.ontology import iri
from euaigraph.ontology.namespaces import AT
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_OFFICIAL_REGISTER, Feed, FeedError, Report, SourceSpec, Triple, walk
from ..emit import boolean, date_literal, source_record
from ..fetch import fetch as fetch_url
from ..locate import subject_line
from ..safe_parse import MalformedInput, parse_rdf, read_capped, unfollowed_imports

SOURCE_ID = "eu-vocabularies"
AUTHORITY = "http://publications.europa.eu/resource/authority/"
COUNTRY_SCHEME = URIRef(AUTHORITY + "country")
LANGUAGE_SCHEME = URIRef(AUTHORITY + "language")
RDF_SUFFIXES = {".rdf", ".xml", ".ttl", ".jsonld", ".nt", ".owl"}
LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.definition)
_EU_ORDER = re.compile(r"^EU-\d+$")
_LEGACY_CODE = re.compile(r"^[A-Z0-9]{2,3}$")


def concept_node(scheme: Node | None, subject: URIRef, code: str | None) -> URIRef:
    """The IRI a concept lands on: countries and languages through ``iri.py``, others as the table writes them.

    >>> str(concept_node(COUNTRY_SCHEME, URIRef(AUTHORITY + "country/FRA"), "FRA"))
    'http://publications.europa.eu/resource/authority/country/FRA'
    """
    if code and scheme == COUNTRY_SCHEME and re.fullmatch(r"[A-Z0-9]{3}", code):
        return iri.country_iri(code)
    if code and scheme == LANGUAGE_SCHEME and re.fullmatch(r"[A-Z]{3}", code):
        return iri.language_iri(code)
    return subject


def version_date(version: str | None) -> Literal | None:
    """The day a table version names (``20221214-0`` -> 2022-12-14), or None.

    >>> str(version_date("20221214-0")), version_date("v3")
    ('2022-12-14', None)
    """
    match = re.match(r"^(\d{4})(\d{2})(\d{2})", version or "")
    return date_literal("-".join(match.groups())) if match else None


def concepts(graph: Graph) -> list[Node]:
    """The concepts of a table: typed skos:Concept, or placed in a scheme."""
    found = set(graph.subjects(RDF.type, SKOS.Concept)) | set(graph.subjects(SKOS.inScheme, None)) \
        | set(graph.subjects(SKOS.topConceptOf, None))
    return sorted(found - set(graph.subjects(RDF.type, SKOS.ConceptScheme)), key=str)


class _Table:
    """One parsed file: its schemes and concepts, emitted as triples."""

    def __init__(self, graph: Graph, name: str, data: bytes, report: Report, feed: Feed):
        self.graph, self.name, self.data, self.report, self.feed = graph, name, data, report, feed
        self.file_url = feed.public_url(name) or (feed.url if feed.url.startswith(("http://", "https://")) else None)
        self.versions = {s: str(v) for s in graph.subjects(RDF.type, SKOS.ConceptScheme)
                         for v in [graph.value(s, OWL.versionInfo) or graph.value(s, AT["table.version.number"])]
                         if v is not None}

    def where(self, subject: str) -> str:
        line = subject_line(self.data, self.graph, subject)
        return f"{self.name}:{line}" if line else self.name

    def triples(self) -> Iterator[Triple]:
        graph = self.graph
        for scheme in sorted(graph.subjects(RDF.type, SKOS.ConceptScheme), key=str):
            if isinstance(scheme, URIRef):
                yield from self.scheme(scheme)
        for subject in concepts(graph):
            self.report.read()
            if not isinstance(subject, URIRef):
                self.report.reject(self.name, "a concept without an IRI; skipped")
                continue
            self.report.ingested()
            yield from self.concept(subject)

    def urls(self, subject: URIRef) -> list[str]:
        return [u for u in (str(subject), self.file_url) if u and u.startswith(("http://", "https://"))]

    def scheme(self, scheme: URIRef) -> Iterator[Triple]:
        yield from source_record(SOURCE_ID, f"{self.name}/scheme/{scheme.rsplit('/', 1)[-1]}", scheme,
                                 urls=self.urls(scheme), accessed=self.feed.retrieved_at, locator=self.where(str(scheme)))
        yield scheme, RDF.type, SKOS.ConceptScheme
        for label in self.graph.objects(scheme, SKOS.prefLabel):
            yield scheme, SKOS.prefLabel, label
        if scheme in self.versions:
            yield scheme, OWL.versionInfo, Literal(self.versions[scheme])
            self.report.note(f"{self.name}: {scheme} version {self.versions[scheme]}")

    def concept(self, subject: URIRef) -> Iterator[Triple]:
        graph = self.graph
        code = graph.value(subject, AT["authority-code"])
        scheme = graph.value(subject, SKOS.inScheme)
        node = concept_node(scheme, subject, str(code) if code else None)
        where = self.where(str(subject))
        yield node, RDF.type, SKOS.Concept
        if scheme == COUNTRY_SCHEME and str(node).startswith(f"{COUNTRY_SCHEME}/"):
            yield node, RDF.type, EAI.Country
        if scheme == LANGUAGE_SCHEME and str(node).startswith(f"{LANGUAGE_SCHEME}/"):
            yield node, RDF.type, EAI.Language
        for predicate in (SKOS.inScheme, SKOS.topConceptOf, SKOS.broader, SKOS.exactMatch):
            for value in graph.objects(subject, predicate):
                if isinstance(value, URIRef):
                    yield node, predicate, value
        for predicate in LABELS:
            for label in graph.objects(subject, predicate):
                if isinstance(label, Literal):
                    yield node, predicate, label
        yield from self.codes(node, subject, code)
        if str(graph.value(subject, AT.deprecated) or "").lower() == "true":
            yield node, OWL.deprecated, boolean(True)
        key = f"{self.name}/{code or subject.rsplit('/', 1)[-1]}"
        for triple in self.membership(node, subject, scheme, code):
            if triple[1] == EAI.memberCountry:
                yield iri.record_iri(SOURCE_ID, key), EAI.describes, triple[0]
            yield triple
        yield from source_record(SOURCE_ID, key, node, urls=self.urls(subject), accessed=self.feed.retrieved_at,
                                 locator=where)
        day = version_date(self.versions.get(scheme)) if isinstance(scheme, URIRef) else None
        if day is not None:
            yield iri.record_iri(SOURCE_ID, key), EAI.assessmentDate, day

    def codes(self, node: URIRef, subject: URIRef, code: Node | None) -> Iterator[Triple]:
        graph = self.graph
        if code is not None:
            yield node, SKOS.notation, Literal(str(code))
        for notation in graph.objects(subject, SKOS.notation):
            value = notation if isinstance(notation, Literal) else graph.value(notation, RDF.value)
            if value is not None:
                yield node, SKOS.notation, Literal(str(value))
        legacy = {str(graph.value(mapped, AT["legacy-code"]) or "")
                  for mapped in graph.objects(subject, AT["op-mapped-code"])}
        for value in sorted(v for v in legacy if _LEGACY_CODE.match(v) and v != str(code)):
            yield node, SKOS.notation, Literal(value)

    def membership(self, node: URIRef, subject: URIRef, scheme: Node | None, code: Node | None) -> Iterator[Triple]:
        orders = {str(o) for p in (AT["protocol.order"], AT["protocol-order"]) for o in self.graph.objects(subject, p)}
        order = next((o for o in sorted(orders) if _EU_ORDER.match(o)), None)
        if order is None or scheme != COUNTRY_SCHEME or code is None:
            return
        version = self.versions.get(COUNTRY_SCHEME)
        day = version_date(version)
        if day is None:
            self.report.note(f"{self.where(str(subject))}: EU protocol order {order} but the table has no dated "
                             f"version, so the membership cannot be dated; not written (the concept is kept)")
            return
        membership = iri.node_iri("membership", str(code), "eu", f"nal-{version}")
        yield node, EAI.membership, membership
        yield membership, RDF.type, EAI.Membership
        yield membership, EAI.memberCountry, node
        yield membership, EAI.bloc, iri.bloc_iri("eu")
        yield membership, EAI.startDate, day
        yield membership, EAI.endDate, day
        yield membership, SKOS.notation, Literal(order)
        yield membership, EAI.note, Literal(
            f"EU member state in the Country table version {version} (protocol order {order}); the table gives no "
            f"accession date, so this records membership on the version date only.")


def _files(feed: Feed, report: Report) -> list[tuple[Path, str]]:
    """The RDF files of the feed (a ``.json`` file counts when it is JSON-LD); others are skipped, saying why."""
    files = []
    for path, rel in walk(feed):
        suffix = path.suffix.lower()
        if suffix in RDF_SUFFIXES or feed.path.is_file() or (suffix == ".json" and b'"@context"' in path.read_bytes()[:65536]):
            report.file_read(rel)
            files.append((path, rel))
        else:
            report.file_skipped(rel, f"not an RDF file ({suffix or 'no suffix'}: RDF/XML, Turtle, JSON-LD)")
    return files


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    files = _files(feed, report)
    if not files:
        raise FeedError(SOURCE_ID, str(feed.path), "no RDF files (RDF/XML, Turtle, JSON-LD) found")
    for path, name in files:
        try:
            fmt = "json-ld" if path.suffix.lower() == ".json" else None
            graph = parse_rdf(SOURCE_ID, path, name=name, rdf_format_name=fmt)
        except MalformedInput as exc:
            report.read()
            report.reject(exc.where, exc.message)
            continue
        for note in unfollowed_imports(graph, name):
            report.note(note)
        table = _Table(graph, name, read_capped(SOURCE_ID, path, name=name), report, feed)
        if not table.versions and not concepts(graph):
            report.note(f"{name}: {len(graph)} triples but no SKOS concept or concept scheme; nothing read")
        yield from table.triples()


def fetch(cache_dir: Path, *, table: str = "country", authority: str = AUTHORITY, **options) -> Feed:
    """Live mode: one authority table as RDF/XML, by content negotiation on its EU Vocabularies IRI."""
    if not re.fullmatch(r"[a-z0-9-]+", table):
        raise ValueError(f"not an authority table name: {table!r}")
    entry = fetch_url(SOURCE_ID, authority + table, cache_dir, headers={"Accept": "application/rdf+xml"}, **options)
    return entry.feed()


SOURCE = SourceSpec(
    id=SOURCE_ID,
    title="EU Vocabularies: authority tables (countries, corporate bodies, data themes, languages)",
    homepage="https://op.europa.eu/en/web/eu-vocabularies",
    data_licence="CC-BY-4.0",
    parse=parse,
    min_triples=5,
    priority=PRIORITY_OFFICIAL_REGISTER,
    live_url=AUTHORITY + "country",
    recorded_folder="eu_vocabularies",
    fetch=fetch,
    description="SKOS named authority lists of the Publications Office: labels in every language, authority and "
                "legacy codes, EU member states as dated membership claims.",
)
