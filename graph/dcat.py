"""A DCAT-AP 3 description of a snapshot (``dcat-ap.ttl`` in the zip): a catalogue holding one dataset (the
snapshot) whose distributions are the snapshot's files, each with its media type, byte size and sha256 checksum; the
licence, the publisher, the temporal coverage (the days the sources were retrieved) and the sources themselves by
their public URLs. The test checks it against the DCAT-AP 3.0.1 SHACL shapes.

>>> ttl = description({"created": "2025-01-02T03:04:05Z", "data_version": "abc", "scope": "whole graph",
...                    "files": [{"name": "dataset.trig", "bytes": 3, "sha256": "ab" * 32}]}, sources=[])
>>> "dcat:mediaType <http://www.iana.org/assignments/media-types/application/trig>" in ttl
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, XSD

from euaigraph import __version__

from euaigraph.graph.citation import PUBLISHER, PublicSource

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "http://www.iana.org/assignments/media-types/"
SNAPSHOTS = "https://w3id.org/euaigraph/id/snapshot/"
HOMEPAGE = URIRef("https://w3id.org/euaigraph")
#: Most of the graph's sources and every curated record are CC BY 4.0; each source's own licence is named too.
LICENCE = URIRef("http://creativecommons.org/licenses/by/4.0/")
#: File name ending -> IANA media type.
MEDIA_TYPES = {".trig": "application/trig", ".nq": "application/n-quads", ".ttl": "text/turtle",
               ".jsonld": "application/ld+json", ".graphml": "application/graphml+xml", ".gexf": "application/xml",
               ".csv": "text/csv", ".tsv": "text/tab-separated-values", ".html": "text/html",
               ".json": "application/json", ".bib": "application/x-bibtex", ".txt": "text/plain"}


def media_type(name: str) -> str:
    """The IANA media type of a snapshot file, from its name.

    >>> media_type("nodes.csv"), media_type("citation.csl.json"), media_type("x.unknown")
    ('text/csv', 'application/json', 'application/octet-stream')
    """
    return next((t for end, t in MEDIA_TYPES.items() if name.endswith(end)), "application/octet-stream")


def description(manifest: Mapping, *, sources: Iterable[PublicSource], url: str | None = None) -> str:
    """The DCAT-AP description of the snapshot ``manifest`` describes (its ``files`` already hashed), as Turtle."""
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("spdx", SPDX)):
        g.bind(prefix, ns)
    stamp = str(manifest["created"])
    snapshot = URIRef(f"{SNAPSHOTS}{manifest['data_version']}/{stamp.replace(':', '').replace('-', '')}")
    catalogue, dataset, publisher = URIRef(f"{snapshot}/catalogue"), snapshot, URIRef(f"{HOMEPAGE}#publisher")
    sources = list(sources)
    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCTERMS.title, Literal("euaigraph snapshots", lang="en")))
    g.add((catalogue, DCTERMS.description, Literal("Snapshots of the euaigraph knowledge graph of the European "
                                                   "open-source AI ecosystem.", lang="en")))
    g.add((catalogue, DCTERMS.publisher, publisher))
    g.add((catalogue, DCAT.dataset, dataset))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(PUBLISHER, lang="en")))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal(f"euaigraph snapshot ({manifest['scope']}), data version "
                                           f"{manifest['data_version']}", lang="en")))
    g.add((dataset, DCTERMS.description, Literal(
        "The euaigraph knowledge graph (models, organisations, datasets, licences, compute, funding and their "
        f"relations) as of data version {manifest['data_version']}: {manifest['scope']}.", lang="en")))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCTERMS.issued, Literal(stamp, datatype=XSD.dateTime)))
    g.add((dataset, URIRef(f"{DCAT}version"), Literal(str(manifest["data_version"]))))
    landing = URIRef(url) if url else HOMEPAGE
    g.add((dataset, DCAT.landingPage, landing))
    g.add((landing, RDF.type, FOAF.Document))
    g.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    g.add((dataset, DCTERMS.license, LICENCE))
    days = sorted(s.retrieved[:10] for s in sources if s.retrieved)
    if days:
        period = BNode()
        g.add((dataset, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(days[0], datatype=XSD.date)))
        g.add((period, DCAT.endDate, Literal(days[-1], datatype=XSD.date)))
    for source in sources:  # each source a dataset of its own, by its public URL
        if source.url:
            cited = URIRef(source.url)
            g.add((dataset, DCTERMS.source, cited))
            g.add((cited, RDF.type, DCAT.Dataset))
            g.add((cited, DCTERMS.title, Literal(source.title, lang="en")))
            g.add((cited, DCTERMS.description, Literal(
                f"Source {source.id} of euaigraph, version {source.version or 'not stated'}, retrieved "
                f"{(source.retrieved or 'at an unknown time')[:10]}.", lang="en")))
    algorithm = SPDX.checksumAlgorithm_sha256
    g.add((algorithm, RDF.type, SPDX.ChecksumAlgorithm))
    for entry in manifest["files"]:
        distribution = URIRef(f"{snapshot}/{entry['name']}")
        g.add((dataset, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        g.add((distribution, DCTERMS.title, Literal(entry["name"])))
        g.add((distribution, DCAT.accessURL, URIRef(url) if url else dataset))
        g.add((distribution, DCAT.downloadURL, distribution))
        kind = URIRef(IANA + media_type(entry["name"]))
        g.add((distribution, DCAT.mediaType, kind))
        g.add((kind, RDF.type, DCTERMS.MediaType))
        g.add((distribution, DCAT.byteSize, Literal(int(entry["bytes"]), datatype=XSD.nonNegativeInteger)))
        g.add((distribution, DCTERMS.license, LICENCE))
        checksum = BNode()
        g.add((distribution, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, algorithm))
        g.add((checksum, SPDX.checksumValue, Literal(entry["sha256"], datatype=XSD.hexBinary)))
    g.add((dataset, DCAT.keyword, Literal("artificial intelligence", lang="en")))
    g.add((dataset, DCTERMS.creator, publisher))
    profile = URIRef("https://semiceu.github.io/DCAT-AP/releases/3.0.1/")
    g.add((dataset, DCTERMS.conformsTo, profile))
    g.add((profile, RDF.type, DCTERMS.Standard))
    g.add((dataset, RDFS.comment, Literal(f"Made with euaigraph {__version__}. The sources keep their own "
                                          "licences, listed in manifest.json.", lang="en")))
    return g.serialize(format="turtle")


__all__ = ["description", "media_type"]
