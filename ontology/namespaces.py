"""Namespaces used across the project, and the prefix block saved queries may rely on.

>>> str(EAI_NS)
'https://w3id.org/euaigraph/ontology#'
>>> PREFIXES["eai"] == str(EAI_NS)
True
"""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

EAI_NS = Namespace("https://w3id.org/euaigraph/ontology#")
ID = Namespace("https://w3id.org/euaigraph/id/")
GRAPH = Namespace("https://w3id.org/euaigraph/graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SPDX_LICENCE = Namespace("http://spdx.org/licenses/")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EUROVOC_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
CORPORATE_BODY = Namespace("http://publications.europa.eu/resource/authority/corporate-body/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
ROR = Namespace("https://ror.org/")
AT = Namespace("http://publications.europa.eu/ontology/authority/")

#: The meta graph: provenance of every source graph and the pointers to the current ones.
META_GRAPH = GRAPH["meta"]

PREFIXES: dict[str, str] = {
    "eai": str(EAI_NS),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "prov": str(PROV),
    "dcat": str(DCAT),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "spdx": str(SPDX_LICENCE),
    "country": str(COUNTRY),
    "lang": str(LANGUAGE),
}


def sparql_prefix_block() -> str:
    """The PREFIX lines for every prefix in :data:`PREFIXES`, one per line.

    >>> sparql_prefix_block().splitlines()[0]
    'PREFIX eai: <https://w3id.org/euaigraph/ontology#>'
    """
    return "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items())
