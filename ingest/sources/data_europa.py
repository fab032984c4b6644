"""data.europa.eu: DCAT-AP dataset records (Turtle, JSON-LD, RDF/XML) with publisher, licence, themes, distributions.

Each RDF file of the feed is parsed through :mod:`euaigraph.ingest.safe_parse`; a file that does not parse is
reported with its line and skipped, the others load (two of SEMIC's own DCAT-AP 3.0.1 examples write
``<prefix:local>`` and fail this way). A JSON-LD file whose ``@context`` is a URL is read with the file of the same
name beside it (the DCAT-AP examples ship their ``context.jsonld``), never with a fetched one.

Datasets get our dataset IRIs (``dataset/dcat/<host>/<path>``), with the record's own IRI as the source record URL.
Publishers resolve to curated organisations by name, else keep their own IRI. Licences resolve to SPDX ids from the
EU licence NAL (``CC_BY_4_0``), Creative Commons or SPDX URLs; anything else is listed as unresolved.

Records are the datasets and dataset series (each ingested, or rejected with its line and why); a file that does
not parse is one record rejected. Every file of the feed is read or skipped with its reason (a JSON-LD context is
read with the documents that use it). Each record cites its file at the recorded commit (else the run's URL) and
the dataset's own IRI, with the day it was retrieved.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import BNode, Node

from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from ..aliases import aliases
from ..base import PRIORITY_OFFICIAL_REGISTER, Feed, FeedError, Report, SourceSpec, Triple, walk
from ..emit import source_record
from ..fetch import fetch as fetch_url
from .. import safe_json
from ..normalise import resolve_licence
from ..locate import subject_line
from ..safe_parse import MalformedInput, parse_rdf, read_capped, unfollowed_imports

SOURCE_ID = "data-europa"
#: DCAT 3 (rdflib's closed DCAT namespace predates dcat:DatasetSeries and dcat:inSeries).
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPARQL = "https://data.europa.eu/sparql"
RDF_SUFFIXES = {".ttl", ".jsonld", ".json-ld", ".rdf", ".owl", ".nt", ".xml"}
#: The default live query: DCAT-AP datasets about artificial intelligence, with what this source reads.
LIVE_QUERY = """PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
CONSTRUCT { ?d a dcat:Dataset ; dct:title ?t ; dct:publisher ?p ; dct:license ?l ; dcat:theme ?th ;
              dcat:distribution ?x . ?x a dcat:Distribution ; dcat:accessURL ?u ; dct:license ?xl ; dct:format ?f . }
WHERE { ?d a dcat:Dataset ; dct:title ?t . FILTER(CONTAINS(LCASE(STR(?t)), "artificial intelligence"))
  OPTIONAL { ?d dct:publisher ?p } OPTIONAL { ?d dct:license ?l } OPTIONAL { ?d dcat:theme ?th }
  OPTIONAL { ?d dcat:distribution ?x OPTIONAL { ?x dcat:accessURL ?u } OPTIONAL { ?x dct:license ?xl }
             OPTIONAL { ?x dct:format ?f } } } LIMIT 20000"""
_CC = re.compile(r"creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d+(\.\d+)?)", re.IGNORECASE)
_NAL_VERSION = re.compile(r"_(\d+)_(\d+)$")


def dataset_key(node: URIRef) -> str:
    """Our key for a DCAT dataset IRI: its host and path.

    >>> dataset_key(URIRef("https://data.gov.gr/id/dataset/BeePopulation"))
    'dcat/data.gov.gr/id/dataset/BeePopulation'
    """
    parts = urlsplit(str(node))
    tail = parts.path + (f"#{parts.fragment}" if parts.fragment else "")
    return f"dcat/{parts.netloc or parts.scheme}/{tail.strip('/')}".rstrip("/")


def licence_candidates(term: Node) -> list[str]:
    """Strings a licence term may be known by: the EU NAL code as SPDX, a Creative Commons URL as SPDX, the text.

    >>> licence_candidates(URIRef("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"))[0]
    'CC-BY-4.0'
    >>> licence_candidates(URIRef("https://creativecommons.org/publicdomain/zero/1.0/"))[0]
    'CC0-1.0'
    """
    text = str(term).strip()
    out: list[str] = []
    match = _CC.search(text)
    if match:
        kind, version = match.group(2).lower(), match.group(3)
        out.append("CC0-" + version if kind == "zero" else f"CC-{kind.upper()}-{version}")
    local = re.split(r"[/#]", text.rstrip("/"))[-1].removesuffix(".html")
    if local and local != text:
        out.append(_nal_code_as_spdx(local))
        out.append(local)
    return [*out, text]


def _nal_code_as_spdx(code: str) -> str:
    """The SPDX form of an EU licence NAL code: ``CC_BYSA_4_0`` -> ``CC-BY-SA-4.0``, ``EUPL_1_2`` -> ``EUPL-1.2``.

    >>> _nal_code_as_spdx("CC_BYNCSA_4_0"), _nal_code_as_spdx("CC0"), _nal_code_as_spdx("EUPL_1_2")
    ('CC-BY-NC-SA-4.0', 'CC0-1.0', 'EUPL-1.2')
    """
    if code.upper() == "CC0":
        return "CC0-1.0"
    text = _NAL_VERSION.sub(r"-\1.\2", code).replace("_", "-")
    match = re.match(r"^CC-(BY(?:NC)?(?:SA|ND)?)-", text, re.IGNORECASE)
    if match:
        parts = re.findall(r"BY|NC|SA|ND", match.group(1).upper())
        text = "CC-" + "-".join(parts) + text[match.end() - 1:]
    return text


def resolve_licence_term(term: Node) -> str | None:
    for candidate in licence_candidates(term):
        resolution = resolve_licence(candidate)
        if resolution.status == "resolved" and len(resolution.ids) == 1:
            return resolution.ids[0]
    return None


class _Record:
    """One dataset of one file: emits its triples, reporting what it cannot resolve."""

    def __init__(self, graph: Graph, subject: URIRef, where: str, report: Report, feed: Feed, name: str):
        self.graph, self.subject, self.where, self.report = graph, subject, where, report
        self.feed, self.name = feed, name
        self.node = iri.dataset_iri(dataset_key(subject))
        self.key = f"dataset/{name}/{dataset_key(subject)}"
        self.record = iri.record_iri(SOURCE_ID, self.key)

    def triples(self) -> Iterator[Triple]:
        graph, subject, node = self.graph, self.subject, self.node
        yield node, RDF.type, EAI.Dataset
        if (subject, RDF.type, DCAT.DatasetSeries) in graph:
            yield node, RDF.type, DCAT.DatasetSeries
        for title in graph.objects(subject, DCTERMS.title):
            yield node, RDFS.label, title
        for predicate in (DCTERMS.description, DCTERMS.issued, DCTERMS.modified, DCTERMS.identifier):
            for value in graph.objects(subject, predicate):
                if isinstance(value, Literal):
                    yield node, predicate, value
        for page in graph.objects(subject, DCAT.landingPage):
            if isinstance(page, URIRef):
                yield node, EAI.homepage, page
        for theme in graph.objects(subject, DCAT.theme):
            if isinstance(theme, URIRef):
                yield node, EAI.theme, theme
        for series in graph.objects(subject, DCAT.inSeries):
            if isinstance(series, URIRef):
                yield node, DCAT.inSeries, iri.dataset_iri(dataset_key(series))
        for publisher in graph.objects(subject, DCTERMS.publisher):
            yield from self.publisher(publisher)
        yield from self.licences(node, subject)
        for n, distribution in enumerate(sorted(graph.objects(subject, DCAT.distribution), key=str)):
            yield from self.distribution(distribution, n)
        urls = [u for u in (self.feed.public_url(self.name), str(subject)) if u and u.startswith(("http://", "https://"))]
        if not urls and self.feed.url.startswith(("http://", "https://")):
            urls = [self.feed.url]
        yield from source_record(SOURCE_ID, self.key, node, urls=urls, accessed=self.feed.retrieved_at,
                                 locator=self.where)

    def publisher(self, publisher: Node) -> Iterator[Triple]:
        names = [n for p in (FOAF.name, SKOS.prefLabel, RDFS.label) for n in self.graph.objects(publisher, p)]
        curated = next((aliases("organisations").resolve(str(n)) for n in names
                        if aliases("organisations").resolve(str(n))), None)
        if curated:
            org: Node = iri.org_iri(curated)
        elif isinstance(publisher, URIRef):
            org = publisher
            self.report.unresolved_name(str(names[0]) if names else str(publisher), "organisation", self.where)
        else:
            self.report.note(f"{self.where}: a publisher that is a blank node without a name an alias table knows "
                             f"was dropped (the dataset is kept)")
            return
        yield self.node, DCTERMS.publisher, org
        yield org, RDF.type, EAI.Organisation
        yield self.record, EAI.describes, org
        if not curated:
            for name in names:
                yield org, RDFS.label, name

    def licences(self, node: Node, subject: Node) -> Iterator[Triple]:
        for term in self.graph.objects(subject, DCTERMS.license):
            licence = resolve_licence_term(term)
            if licence:
                yield node, EAI.licence, iri.licence_iri(licence)
            else:
                self.report.unresolved_name(str(term), "licence", self.where)

    def distribution(self, distribution: Node, n: int) -> Iterator[Triple]:
        graph = self.graph
        if isinstance(distribution, URIRef):
            key = str(distribution)
        else:  # a blank node: named by what it says, so the same distribution gets the same IRI every run
            key = "|".join(sorted(f"{p.n3()} {o.n3()}" for p, o in graph.predicate_objects(distribution)
                                  if not isinstance(o, BNode))) or str(n)
        node = iri.node_iri("distribution", dataset_key(self.subject), hashlib.sha256(key.encode()).hexdigest()[:16])
        yield self.record, EAI.describes, node
        yield self.node, DCAT.distribution, node
        yield node, RDF.type, DCAT.Distribution
        for predicate in (DCAT.accessURL, DCAT.downloadURL, DCTERMS["format"], DCAT.mediaType):
            for value in graph.objects(distribution, predicate):
                if not isinstance(value, BNode):
                    yield node, predicate, value
        for title in graph.objects(distribution, DCTERMS.title):
            yield node, RDFS.label, title
        yield from self.licences(node, distribution)


def _context_beside(path: Path):
    """JSON-LD context URLs resolve to the file of the same name beside the document, if there is one."""
    def resolve(url: str) -> Path | None:
        candidate = path.parent / Path(urlsplit(url).path).name
        return candidate if candidate.suffix in (".jsonld", ".json") and candidate.is_file() else None
    return resolve


def parse_file(path: Path, name: str, report: Report, feed: Feed) -> Iterator[Triple]:
    try:
        graph = parse_rdf(SOURCE_ID, path, name=name, contexts=_context_beside(path))
    except MalformedInput as exc:  # one invalid file costs that file: report it with its line, go on
        report.read()
        report.reject(exc.where, exc.message)
        return
    for note in unfollowed_imports(graph, name):
        report.note(note)
    data = read_capped(SOURCE_ID, path, name=name)
    subjects = set(graph.subjects(RDF.type, DCAT.Dataset)) | set(graph.subjects(RDF.type, DCAT.DatasetSeries))
    if not subjects:
        report.note(f"{name}: read, but it describes no dcat:Dataset or dcat:DatasetSeries (no record)")
    for subject in sorted(subjects, key=str):
        report.read()
        line = subject_line(data, graph, str(subject)) if isinstance(subject, URIRef) else None
        where = f"{name}:{line}" if line else name
        if not isinstance(subject, URIRef):
            report.reject(where, "a dataset without an IRI cannot be identified across runs; skipped")
            continue
        report.ingested()
        yield from _Record(graph, subject, where, report, feed, name).triples()


def _is_context(path: Path, rel: str) -> bool:
    """A JSON-LD document holding only a context (read with the documents that use it)."""
    if path.suffix.lower() not in (".jsonld", ".json-ld", ".json"):
        return False
    try:
        document = safe_json.loads(read_capped(SOURCE_ID, path, name=rel))
    except ValueError:
        return False  # parse_rdf reports what is wrong with it
    return isinstance(document, dict) and set(document) == {"@context"}


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    files = []
    for path, rel in walk(feed):
        if path.suffix.lower() in RDF_SUFFIXES or feed.path.is_file():  # a downloaded body has no suffix
            if _is_context(path, rel):
                report.file_skipped(rel, "a JSON-LD context, read with the documents that use it")
                continue
            report.file_read(rel)
            files.append((path, rel))
        else:
            report.file_skipped(rel, f"not an RDF file ({path.suffix or 'no suffix'}: Turtle, JSON-LD, RDF/XML)")
    if not files:
        raise FeedError(SOURCE_ID, str(feed.path), "no RDF files (Turtle, JSON-LD, RDF/XML) found")
    for path, rel in files:
        yield from parse_file(path, rel, report, feed)


def live_url(query: str = LIVE_QUERY, *, endpoint: str = SPARQL) -> str:
    """The GET URL of a SPARQL CONSTRUCT query (the answer is a DCAT-AP graph in Turtle)."""
    return f"{endpoint}?{urlencode({'query': query}, quote_via=quote)}"


def fetch(cache_dir: Path, *, url: str | None = None, **options) -> Feed:
    """Live mode: a CONSTRUCT on the data.europa.eu SPARQL endpoint (or any DCAT-AP URL, e.g. a hub repo
    ``/api/hub/repo/datasets/<id>.ttl``), downloaded into the cache by :func:`euaigraph.ingest.fetch.fetch`."""
    headers = {"Accept": "text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.8"}
    return fetch_url(SOURCE_ID, url or live_url(), cache_dir, headers=headers, **options).feed()


SOURCE = SourceSpec(
    id=SOURCE_ID,
    title="data.europa.eu: DCAT-AP dataset records",
    homepage="https://data.europa.eu/",
    data_licence="CC-BY-4.0",
    parse=parse,
    min_triples=5,
    priority=PRIORITY_OFFICIAL_REGISTER,
    live_url=SPARQL,
    recorded_folder="dcat_ap",
    fetch=fetch,
    description="DCAT-AP records (Turtle, JSON-LD, RDF/XML): datasets with publisher, licence, themes and "
                "distributions; invalid files are reported with their line and skipped.",
)
