"""Small valid feeds written for these tests in each registered source's documented format, and the hostile
documents the feed tests send through the real ingest path (``graph.load.ingest`` and ``euaigraph ingest``).

Valid feeds first load a known previous graph; hostile ones must then fail without touching it.
"""

from __future__ import annotations

from dataclasses import dataclass

RDF_HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n')
RDF_OPEN = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:skos="http://www.w3.org/2004/02/skos/core#" xmlns:owl="http://www.w3.org/2002/07/owl#" '
            'xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">\n')

#: eu-vocabularies: a SKOS authority table (RDF/XML), one scheme with three concepts.
EU_VOCABULARIES = RDF_HEADER + RDF_OPEN + """\
<skos:ConceptScheme rdf:about="http://publications.europa.eu/resource/authority/probe-table">
  <skos:prefLabel xml:lang="en">Probe table</skos:prefLabel>
  <owl:versionInfo>20240101-0</owl:versionInfo>
</skos:ConceptScheme>
<skos:Concept rdf:about="http://publications.europa.eu/resource/authority/probe-table/ONE">
  <skos:inScheme rdf:resource="http://publications.europa.eu/resource/authority/probe-table"/>
  <skos:prefLabel xml:lang="en">One</skos:prefLabel><skos:prefLabel xml:lang="fr">Un</skos:prefLabel>
</skos:Concept>
<skos:Concept rdf:about="http://publications.europa.eu/resource/authority/probe-table/TWO">
  <skos:inScheme rdf:resource="http://publications.europa.eu/resource/authority/probe-table"/>
  <skos:prefLabel xml:lang="en">Two</skos:prefLabel>
</skos:Concept>
</rdf:RDF>
"""

#: data-europa: one DCAT-AP dataset record (Turtle).
DATA_EUROPA = """\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://data.europa.eu/88u/dataset/probe-ai-corpus> a dcat:Dataset ;
  dct:title "Probe AI corpus"@en ;
  dct:description "A dataset record written for the security tests."@en ;
  dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ;
  dcat:distribution <https://data.europa.eu/88u/distribution/probe-1> .
<https://data.europa.eu/88u/distribution/probe-1> a dcat:Distribution ;
  dct:title "Probe download"@en ;
  dcat:downloadURL <https://example.org/probe.csv> .
"""

#: cordis: one project file of the CORDIS XML dump with two participants.
CORDIS = """\
<?xml version="1.0" encoding="UTF-8"?>
<project>
  <id>101999001</id>
  <acronym>PROBE</acronym>
  <title>Probe project for the security tests</title>
  <startDate>2024-01-01</startDate>
  <endDate>2026-12-31</endDate>
  <totalCost>1000000</totalCost>
  <ecMaxContribution>900000</ecMaxContribution>
  <status>SIGNED</status>
  <relations>
    <associations>
      <organization type="coordinator" order="1">
        <id>999999001</id><legalName>PROBE RESEARCH INSTITUTE</legalName><shortName>PRI</shortName>
        <address><country>FR</country></address>
      </organization>
      <organization type="participant" order="2">
        <id>999999002</id><legalName>PROBE UNIVERSITY</legalName>
        <address><country>DE</country></address>
      </organization>
    </associations>
  </relations>
</project>
"""


@dataclass(frozen=True)
class XmlSource:
    """A registered source that reads XML, the file name it reads, its document element, and a template of a
    valid feed whose first text node is ``{USE}`` (hostile variants put an entity reference there)."""

    source: str
    filename: str
    root: str
    template: str

    @property
    def valid(self) -> str:
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + self.template.replace("{USE}", "Probe")

    def with_doctype(self, doctype: str, use: str = "Probe") -> str:
        return f'<?xml version="1.0"?>\n<!DOCTYPE {self.root} {doctype}>\n' + self.template.replace("{USE}", use)


XML_SOURCES = [
    XmlSource("eu-vocabularies", "table.rdf", "rdf:RDF",
              EU_VOCABULARIES.removeprefix(RDF_HEADER).replace(">One<", ">{USE}<", 1)),
    XmlSource("eu-vocabularies", "ontology.owl", "rdf:RDF",
              EU_VOCABULARIES.removeprefix(RDF_HEADER).replace(">One<", ">{USE}<", 1)),
    XmlSource("data-europa", "records.rdf", "rdf:RDF", RDF_OPEN + """\
<dcat:Dataset rdf:about="https://data.europa.eu/88u/dataset/probe-xml">
  <dct:title>{USE}</dct:title>
  <dct:license rdf:resource="http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"/>
  <dcat:distribution><dcat:Distribution rdf:about="https://data.europa.eu/88u/distribution/probe-xml">
    <dct:title>Probe download</dct:title></dcat:Distribution></dcat:distribution>
</dcat:Dataset>
</rdf:RDF>
"""),
    XmlSource("cordis", "101999001.xml", "project", CORDIS.split("\n", 1)[1].replace(">PROBE<", ">{USE}<", 1)),
]


def billion_laughs(source: XmlSource) -> str:
    """Ten levels of ten references each: 10^9 copies of "lol" if expanded (about 3 GB)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)]
    return source.with_doctype("[\n" + "\n".join(entities) + "\n]", "&lol9;")


def quadratic_blowup(source: XmlSource) -> str:
    """One 50 kB entity used 50,000 times: 2.5 GB if expanded, with no nesting for a depth limit to catch."""
    return source.with_doctype(f'[<!ENTITY big "{"x" * 50_000}">]', "&big;" * 50_000)


def external_entity(source: XmlSource, url: str) -> str:
    """An external general entity pointing at the recording server (XXE)."""
    return source.with_doctype(f'[<!ENTITY ext SYSTEM "{url}">]', "&ext;")


def external_file_entity(source: XmlSource) -> str:
    """An external entity reading a local file (XXE file disclosure)."""
    return source.with_doctype('[<!ENTITY ext SYSTEM "file:///etc/passwd">]', "&ext;")


def parameter_entity(source: XmlSource, url: str) -> str:
    """A parameter entity that pulls a remote DTD into the internal subset."""
    return source.with_doctype(f'[<!ENTITY % remote SYSTEM "{url}"> %remote;]')


def external_dtd(source: XmlSource, url: str) -> str:
    """A DOCTYPE naming a remote DTD."""
    return source.with_doctype(f'SYSTEM "{url}"')


def xinclude(source: XmlSource, url: str) -> str:
    """An XInclude element pointing at the recording server (no DTD at all)."""
    include = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}" parse="text"/>'
    return '<?xml version="1.0"?>\n' + source.template.replace("{USE}", include)
