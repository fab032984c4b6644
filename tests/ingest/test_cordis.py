"""CORDIS: the recorded project XML (golden slice, facts from the full folder), bulk CSV/JSON dumps and project XML
written here in the documented formats, bad and hostile input, idempotence, and live mode against a local Oxigraph
server holding a small EURIO-shaped graph."""

from __future__ import annotations

import doctest
import json
import os
import shutil
import zipfile
from itertools import pairwise

import pytest
import requests
from rdflib import Graph, Literal, URIRef

from euaigraph.ingest import cordis_live, cordis_read
from euaigraph.ingest.aliases import aliases
from euaigraph.ingest.base import FeedError
from euaigraph.ingest.safe_parse import UnsafeInput
from euaigraph.ingest.sources import cordis
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .conftest import FIXED, assert_golden, parse_source
from .recording_server import Reply
from .test_safe_parse import LAUGHS

SPEC = cordis.SOURCE
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
PARTICIPANTS = """PREFIX eai: <https://w3id.org/euaigraph/ontology#>
SELECT ?pic ?role ?country WHERE {
  ?project eai:grantNumber ?grant ; eai:participation ?p . ?p eai:role ?role ; eai:participant ?org .
  ?org eai:pic ?pic . OPTIONAL { ?org eai:jurisdiction ?country } }"""


def participants(graph: Graph, grant: str) -> set[tuple[str, str, str | None]]:
    rows = graph.query(PARTICIPANTS, initBindings={"grant": Literal(grant)})
    return {(str(r.pic), str(r.role), str(r.country).rsplit("/", 1)[-1] if r.country else None) for r in rows}


def project_xml(grant: str | None, acronym: str, organisations: str) -> str:
    """A project record in the CORDIS XML dump's format (root ``<project>``, participants under associations)."""
    grant_element = f"<id>{grant}</id>" if grant else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<project>
  <language>en</language>
  <rcn>999001</rcn>
  {grant_element}
  <acronym>{acronym}</acronym>
  <title>{acronym} open language models for the Nordic and Baltic languages</title>
  <totalCost>2500000</totalCost>
  <ecMaxContribution>2499987.5</ecMaxContribution>
  <startDate>2025-01-01</startDate>
  <endDate>2027-12-31</endDate>
  <status>SIGNED</status>
  <identifiers><grantDoi>10.3030/{grant}</grantDoi></identifiers>
  <relations>
    <associations>
{organisations}
      <programme type="relatedTopic" source="corda"><code>HORIZON-CL4-2024-HUMAN-03-01</code>
        <title>Large language models</title></programme>
      <programme type="relatedLegalBasis" source="corda"><code>HORIZON.2.4.5</code>
        <title>Artificial Intelligence and Robotics</title>
        <parent><programme><code>HORIZON.2.4</code><parent><programme><code>HORIZON.2</code>
          <parent><programme><code>HORIZON</code></programme></parent></programme></parent></programme></parent>
      </programme>
    </associations>
    <categories>
      <category classification="euroSciVoc" type="isInFieldOfScience"><code>/23/47/297/933</code>
        <title>machine learning</title>
        <displayCode>/natural sciences/computer and information sciences/artificial intelligence/machine learning
        </displayCode>
      </category>
      <category classification="policyPriorities" type="marker" weight="100"><code>/ai</code></category>
      <category classification="policyPriorities" type="marker" weight="0"><code>/climate</code></category>
      <category classification="projectFundingSchemeCategory"><code>/HORIZON-RIA</code></category>
    </categories>
  </relations>
</project>
"""


def organisation_xml(pic: str | None, name: str, country: str, *, role: str = "participant", sme: str = "false",
                     contribution: str = "500000") -> str:
    pic_element = f"<id>{pic}</id>" if pic else ""
    return f"""      <organization ecContribution="{contribution}" netEcContribution="{contribution}"
          totalCost="{contribution}"
          terminated="false" sme="{sme}" type="{role}" order="1">
        {pic_element}<vatNumber>XX0000</vatNumber><legalName>{name}</legalName>
        <address><city>Somewhere</city><country>{country}</country></address>
        <relations><categories><category classification="organizationActivityType"><code>/REC</code></category>
        </categories></relations>
      </organization>"""


def curated_pic() -> tuple[str, str]:
    """A PIC the curated organisations carry, and the organisation's id (whatever the curated data holds today)."""
    for (scheme, value), org in sorted(aliases("organisations").identifiers.items()):
        if scheme == "pic":
            return value, org
    pytest.skip("no curated organisation carries a PIC")


def test_module_doctests():
    for module in (cordis_read, cordis, cordis_live):
        assert doctest.testmod(module).failed == 0, module.__name__


# -- recorded data ----------------------------------------------------------------------------------------------
def test_golden_slice(shared_data, tmp_path):
    """DigitalBI: one project, a UK participant (the EU's 'UK' code), an organisation no alias table knows."""
    source = next((shared_data / "cordis_horizon_xml" / "data").glob("*/269813.xml"))
    shutil.copy(source, tmp_path / source.name)
    os.utime(tmp_path / source.name, (FIXED, FIXED))  # the retrieval date every record carries
    graph, report = parse_source(SPEC, tmp_path / source.name)
    # one project and its one participant, both ingested; the file read
    assert (report.records_read, report.records_ingested, report.records_rejected) == (2, 2, 0)
    assert [(f.path, f.status) for f in report.files] == [(source.name, "read")]
    assert [u.name for u in report.unresolved] == ["UNIVERSITY OF LEEDS"]
    assert_golden(graph, "cordis_269813")


@pytest.fixture(scope="module")
def full(shared_data):
    return parse_source(SPEC, shared_data / "cordis_horizon_xml")


def test_full_folder_utter_participants_and_countries(full):
    graph, report = full
    assert report.records_rejected == 0 and report.records_read >= 60
    assert participants(graph, "101070631") == {
        ("999985708", "coordinator", "NLD"),        # Universiteit van Amsterdam
        ("939116074", "participant", "PRT"),        # Unbabel
        ("999580248", "participant", "PRT"),        # Instituto de Telecomunicações
        ("911252436", "participant", "FRA"),        # Naver France
        ("999974941", "associatedPartner", "GBR"),  # University of Edinburgh (CORDIS writes UK)
    }
    utter = cordis.project_node("101070631")
    assert (utter, EAI.acronym, Literal("UTTER")) in graph
    coordinator = graph.value(utter, EAI.coordinator)
    assert (coordinator, EAI.pic, Literal("999985708")) in graph


def test_full_folder_every_project_has_a_public_record_and_codes_resolve(full):
    graph, report = full
    grants = {str(g) for g in graph.objects(None, EAI.grantNumber)}
    urls = {str(u) for u in graph.objects(None, EAI.recordUrl)}
    assert {f"https://cordis.europa.eu/project/id/{g}" for g in grants} <= urls
    assert not [u for u in report.unresolved if u.kind == "country"]
    assert (None, EAI.jurisdiction, URIRef(COUNTRY + "GRC")) in graph  # CORDIS writes Greece as EL


def test_idempotent(shared_data):
    first, report_1 = parse_source(SPEC, shared_data / "cordis_horizon_xml")
    second, report_2 = parse_source(SPEC, shared_data / "cordis_horizon_xml")
    assert set(first) == set(second)  # no blank nodes: the very same triples
    assert (report_1.records_read, report_1.unresolved_count) == (report_2.records_read, report_2.unresolved_count)


# -- files never seen -------------------------------------------------------------------------------------------
def test_another_project_in_the_xml_format(tmp_path):
    pic, org = curated_pic()
    organisations = "\n".join([
        organisation_xml(pic, "A LEGAL NAME NO ALIAS TABLE HAS", "FI", role="coordinator"),
        organisation_xml("912345678", "NORDIC LANGUAGE TECH OY", "EE", sme="true", contribution="250000,5"),
        organisation_xml("987654321", "ATHENS SPEECH LAB", "EL", role="thirdParty", contribution="0"),
    ])
    (tmp_path / "other.xml").write_text(project_xml("101999001", "NORDLM", organisations))
    graph, report = parse_source(SPEC, tmp_path / "other.xml")
    assert report.records_rejected == 0
    assert participants(graph, "101999001") == {(pic, "coordinator", "FIN"), ("912345678", "participant", "EST"),
                                                 ("987654321", "thirdParty", "GRC")}
    project = cordis.project_node("101999001")
    assert (project, EAI.coordinator, iri.org_iri(org)) in graph  # resolved by PIC, not by name
    assert (project, EAI.awardedTo, iri.org_iri("pic-987654321")) not in graph  # third parties get no grant share
    assert set(graph.objects(project, EAI.policyPriority)) == {Literal("/ai")}  # weight 0 is not a priority
    chain = [cordis.programme_node(c) for c in ("HORIZON.2.4.5", "HORIZON.2.4", "HORIZON.2", "HORIZON")]
    assert all((a, EAI.parentProgramme, b) in graph for a, b in pairwise(chain))
    field = iri.concept_iri("euroscivoc", "23/47/297/933")
    assert (project, EAI.theme, field) in graph
    assert str(graph.value(iri.concept_iri("euroscivoc", "23/47/297"), URIRef(
        "http://www.w3.org/2004/02/skos/core#prefLabel"))) == "artificial intelligence"
    assert sorted(u.name for u in report.unresolved) == ["ATHENS SPEECH LAB", "NORDIC LANGUAGE TECH OY"]


BULK_PROJECT = ("id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;topics;"
                "ecSignatureDate;frameworkProgramme;masterCall;subCall;fundingScheme;nature;objective;"
                "contentUpdateDate;rcn;grantDoi\n"
                '101888002;BALTLM;SIGNED;"Baltic language models; open and small";2024-03-01;2026-02-28;'
                "1200000,00;1199000,50;HORIZON.2.4.5;HORIZON-CL4-2023-HUMAN-01-21;2024-01-15;HORIZON;"
                "HORIZON-CL4-2023-HUMAN-01;HORIZON-CL4-2023-HUMAN-01;HORIZON-RIA;;An objective.;"
                "2025-06-01 10:00:00;888002;10.3030/101888002\n")
BULK_ORGANISATIONS = ("projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;activityType;street;"
                      "postCode;city;country;nutsCode;geolocation;organizationURL;contactForm;contentUpdateDate;rcn;"
                      "order;role;ecContribution;netEcContribution;totalCost;endOfParticipation;active\n"
                      "101888002;BALTLM;911000001;LV40000000000;LATVIAN AI INSTITUTE;LAI;false;REC;Street 1;"
                      "LV-1000;Riga;LV;LV006;56.9,24.1;;;2025-06-01;1;1;coordinator;700000,25;700000,25;"
                      "700000,25;false;true\n"
                      "101888002;BALTLM;911000002;;KAUNAS NLP UAB;KNLP;true;PRC;;;Kaunas;LT;LT022;;;;2025-06-01;2;"
                      "2;participant;498999,25;498999,25;498999,25;true;false\n")


def test_bulk_csv_dump(tmp_path):
    (tmp_path / "project.csv").write_text(BULK_PROJECT)
    (tmp_path / "organization.csv").write_text(BULK_ORGANISATIONS)
    (tmp_path / "legalBasis.csv").write_text("projectID;legalBasis;title;uniqueProgrammePart\n"
                                             "101888002;HORIZON.2.4.5;Artificial Intelligence and Robotics;true\n")
    (tmp_path / "euroSciVoc.csv").write_text("projectID;euroSciVocCode;euroSciVocPath;euroSciVocTitle;"
                                             "euroSciVocDescription\n101888002;/23/47/297/931;/natural sciences/"
                                             "computer and information sciences/artificial intelligence/"
                                             "computational linguistics;computational linguistics;\n")
    graph, report = parse_source(SPEC, tmp_path)
    # the project, its two organisation rows (ingested) and its programme and field rows (merged into it)
    assert (report.records_read, report.records_ingested, report.records_merged, report.records_rejected) == (5, 3, 2, 0)
    assert {m.rule for m in report.merges} == {"a legalBasis row of the same project (projectID)",
                                                "a euroSciVoc row of the same project (projectID)"}
    project = cordis.project_node("101888002")
    assert participants(graph, "101888002") == {("911000001", "coordinator", "LVA"),
                                                ("911000002", "participant", "LTU")}
    assert (project, EAI.ecContribution, Literal("1199000.50", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#decimal"))) in graph
    assert (project, EAI.underProgramme, cordis.programme_node("HORIZON.2.4.5")) in graph
    assert (cordis.programme_node("HORIZON.2.4"), EAI.parentProgramme, cordis.programme_node("HORIZON.2")) in graph
    assert (project, EAI.topic, Literal("HORIZON-CL4-2023-HUMAN-01-21")) in graph
    assert (project, EAI.theme, iri.concept_iri("euroscivoc", "23/47/297/931")) in graph
    terminated = iri.node_iri("participation", "101888002", "911000002", "participant")
    assert (terminated, EAI.status, Literal("terminated")) in graph
    locators = {str(o) for o in graph.objects(None, EAI.locator)}
    assert {"project.csv:2", "organization.csv:2", "organization.csv:3"} <= locators


def test_bulk_json_dump_gives_the_same_graph_as_csv(tmp_path):
    csv_dir, json_dir = tmp_path / "csv", tmp_path / "json"
    csv_dir.mkdir()
    json_dir.mkdir()
    (csv_dir / "project.csv").write_text(BULK_PROJECT)
    (csv_dir / "organization.csv").write_text(BULK_ORGANISATIONS)
    for part, text in (("project", BULK_PROJECT), ("organization", BULK_ORGANISATIONS)):
        header, *rows = [line.split(";") for line in text.strip().split("\n")]
        if part == "project":  # the quoted title holds the separator
            rows = [[*r[:3], "Baltic language models; open and small", *r[5:]] for r in rows]
        (json_dir / f"{part}.json").write_text(json.dumps([dict(zip(header, r, strict=True)) for r in rows]))
    from_csv, _ = parse_source(SPEC, csv_dir)
    from_json, _ = parse_source(SPEC, json_dir)
    drop = {EAI.locator}
    assert {t for t in from_csv if t[1] not in drop} == {t for t in from_json if t[1] not in drop}


def test_dump_archives_are_read_and_members_that_escape_are_refused(shared_data, tmp_path):
    source = next((shared_data / "cordis_horizon_xml" / "data").glob("*/269813.xml"))
    with zipfile.ZipFile(tmp_path / "cordis-HORIZONprojects-xml.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(source, "xml/269813.xml")
        archive.writestr("csv/project.csv", BULK_PROJECT)
        archive.writestr("csv/organization.csv", BULK_ORGANISATIONS)
    graph, report = parse_source(SPEC, tmp_path / "cordis-HORIZONprojects-xml.zip")
    # the XML project and its participant; the bulk project and its two organisations
    assert (report.records_read, report.records_rejected, report.imbalance()) == (5, 0, None)
    locators = {str(o) for o in graph.objects(None, EAI.locator)}
    archive = "cordis-HORIZONprojects-xml.zip!"
    assert {f"{archive}/xml/269813.xml:2", f"{archive}/csv/project.csv:2"} <= locators
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as archive:
        archive.writestr("../outside.xml", project_xml("101999009", "EVIL", ""))
    with pytest.raises(UnsafeInput, match="escapes the archive"):
        parse_source(SPEC, tmp_path / "evil.zip")
    assert not (tmp_path.parent / "outside.xml").exists()


# -- bad and hostile input --------------------------------------------------------------------------------------
def test_bad_records_are_reported_with_file_and_line_and_the_rest_loads(tmp_path):
    good = organisation_xml("912345678", "GOOD LAB", "SE")
    (tmp_path / "good.xml").write_text(project_xml("101999002", "GOODP", good))
    (tmp_path / "broken.xml").write_text('<?xml version="1.0"?>\n<project>\n  <id>1</id>\n  <title>x</titel>\n')
    (tmp_path / "nogrant.xml").write_text(project_xml(None, "NOGRANT", good))
    odd = "\n".join([organisation_xml("912345679", "ODD COUNTRY LTD", "XX"), organisation_xml(None, "NO PIC SA", "FR")])
    (tmp_path / "odd.xml").write_text(project_xml("101999003", "ODDP", odd))
    graph, report = parse_source(SPEC, tmp_path)
    reasons = {r.where: r.reason for r in report.rejected}
    assert reasons["broken.xml:4"].startswith("XML is not well-formed: mismatched tag")
    assert reasons["nogrant.xml:2"] == "project record has no grant id (<id>); skipped"
    assert any(where.startswith("odd.xml:") and "has no PIC" in why for where, why in reasons.items())
    assert [(u.name, u.where.split(":")[0]) for u in report.unresolved if u.kind == "country"] == [("XX", "odd.xml")]
    assert participants(graph, "101999002") == {("912345678", "participant", "SWE")}
    assert participants(graph, "101999003") == {("912345679", "participant", None)}  # kept, without a country


def test_an_xml_file_that_is_no_project_is_rejected_saying_what_was_expected(tmp_path):
    (tmp_path / "good.xml").write_text(project_xml("101999005", "GOODQ", organisation_xml("912345678", "LAB", "SE")))
    (tmp_path / "other.xml").write_text('<?xml version="1.0"?>\n<organization>\n  <id>1</id>\n</organization>\n')
    graph, report = parse_source(SPEC, tmp_path)
    assert [(r.where, r.reason) for r in report.rejected] == [
        ("other.xml:2", "not a CORDIS project file: the root element is <organization>, expected <project>")]
    assert report.imbalance() is None and participants(graph, "101999005")


def test_every_participant_and_row_is_accounted_for(tmp_path):
    twice = "\n".join([organisation_xml("912345678", "GOOD LAB", "SE"), organisation_xml("912345678", "GOOD LAB", "SE")])
    (tmp_path / "twice.xml").write_text(project_xml("101999004", "TWICE", twice))
    (tmp_path / "notes.txt").write_text("not a dump file")
    graph, report = parse_source(SPEC, tmp_path)
    assert report.imbalance() is None
    assert [(m.rule, m.record != m.into) for m in report.merges] == [
        ("the same PIC in the same role of the same project", True)]
    assert {(f.path, f.status) for f in report.files} == {("twice.xml", "read"), ("notes.txt", "skipped")}
    assert participants(graph, "101999004") == {("912345678", "participant", "SWE")}


def test_an_older_version_of_a_project_is_merged_into_the_first_and_keeps_its_own_record(tmp_path):
    lab = organisation_xml("912345678", "LAB", "SE")
    (tmp_path / "2025-06").mkdir()
    (tmp_path / "2025-12").mkdir()
    (tmp_path / "2025-06" / "p.xml").write_text(project_xml("101999006", "VERS", lab))
    both = "\n".join([lab, organisation_xml("912345679", "NEW PARTNER", "FI")])
    (tmp_path / "2025-12" / "p.xml").write_text(project_xml("101999006", "VERS", both))
    graph, report = parse_source(SPEC, tmp_path)
    assert report.imbalance() is None
    rules = sorted(m.rule for m in report.merges)
    assert rules == ["the same PIC in the same role of the same project",
                     "the same grant number: another version of the project's record"]
    assert participants(graph, "101999006") == {("912345678", "participant", "SWE"), ("912345679", "participant", "FIN")}
    records = set(graph.subjects(EAI.describes, cordis.project_node("101999006")))
    assert len(records) == 2  # each version cites its own file and line


def test_bulk_rows_of_a_project_the_dump_does_not_list_are_rejected(tmp_path):
    (tmp_path / "project.csv").write_text(BULK_PROJECT)
    stray = BULK_ORGANISATIONS.replace("101888002;BALTLM;911000002", "101000000;OTHER;911000002")
    (tmp_path / "organization.csv").write_text(stray)
    graph, report = parse_source(SPEC, tmp_path)
    assert report.imbalance() is None and report.records_rejected == 1
    assert report.rejected[0].where == "organization.csv:3"
    assert "project 101000000, which the dump's project file does not list" in report.rejected[0].reason
    assert participants(graph, "101888002") == {("911000001", "coordinator", "LVA")}


def test_a_bulk_csv_cut_short_is_refused(tmp_path):
    (tmp_path / "project.csv").write_text(BULK_PROJECT)
    (tmp_path / "organization.csv").write_text(BULK_ORGANISATIONS.rstrip("\n")[:-40])
    with pytest.raises(FeedError, match=r"organization.csv:3: the last row has \d+ of 25 fields and no line end"):
        parse_source(SPEC, tmp_path)


def test_hostile_xml_aborts_the_source_and_keeps_the_previous_graph(shared_data, tmp_path):
    from euaigraph.graph.store.embedded import EmbeddedStore
    from euaigraph.graph.load.pipeline import IngestError, ingest
    from euaigraph.ingest.base import Feed

    good = tmp_path / "good"
    good.mkdir()
    for path in sorted((shared_data / "cordis_horizon_xml" / "data").glob("*/*.xml"))[:3]:
        shutil.copy(path, good / path.name)
    hostile = tmp_path / "hostile"
    shutil.copytree(good, hostile)
    (hostile / "999999.xml").write_text(LAUGHS.format(root="<project><id>&lol9;</id></project>"))
    with pytest.raises(UnsafeInput):
        parse_source(SPEC, hostile)
    with EmbeddedStore(tmp_path / "store", writable=True) as store:
        ingest(store, SPEC, Feed.from_path(good))
        graph, count = store.current_graphs()["cordis"], store.count(store.current_graphs()["cordis"])
        with pytest.raises(IngestError, match="DTD"):
            ingest(store, SPEC, Feed.from_path(hostile))
        assert store.current_graphs()["cordis"] == graph and store.count(graph) == count


def test_a_folder_without_cordis_files_is_a_feed_error(tmp_path):
    (tmp_path / "README.md").write_text("nothing here")
    with pytest.raises(FeedError, match="no CORDIS project XML"):
        parse_source(SPEC, tmp_path)


# -- live mode --------------------------------------------------------------------------------------------------
EURIO = """@prefix eurio: <http://data.europa.eu/s66#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix r: <http://data.europa.eu/s66/resource/> .
r:p1 a eurio:Project ; eurio:identifier "101070631" ;
  eurio:title "Unified Transcription and Translation for Extended Reality" ;
  eurio:hasAcronym r:a1 ; eurio:startDate "2022-10-01"^^xsd:date ; eurio:endDate "2025-09-30"^^xsd:date ;
  eurio:totalCost 4074791 ; eurio:ecMaxContribution 4070321.89 ; eurio:projectStatus "SIGNED" ;
  eurio:hasFundingSchemeType r:ria ; eurio:hasFundingSchemeProgramme r:lb ; eurio:hasFundingSchemeTopic r:t1 ;
  eurio:hasInvolvedParty r:role1, r:role2 .
r:a1 eurio:shortForm "UTTER" .
r:ria eurio:code "HORIZON-RIA" .
r:lb eurio:code "HORIZON.2.4.6" ; eurio:title "Next Generation Internet" .
r:t1 eurio:code "HORIZON-CL4-2021-HUMAN-01-13" .
r:role1 a eurio:OrganisationRole ; eurio:roleLabel "coordinator" ; eurio:isRoleOf r:uva ; eurio:isRecipientOf r:g1 .
r:g1 eurio:hasPaymentAmount r:m1 . r:m1 eurio:value 1998946.89 .
r:uva a eurio:Organisation ; eurio:legalName "UNIVERSITEIT VAN AMSTERDAM" ; eurio:pic "999985708" ; eurio:hasSite r:s1 .
r:s1 eurio:hasGeographicalLocation r:nl . r:nl a eurio:Country ;
  eurio:hasISOCountryCode <http://publications.europa.eu/resource/authority/country/NLD> .
r:role2 a eurio:OrganisationRole ; eurio:roleLabel "participant" ; eurio:isRoleOf r:unbabel .
r:unbabel a eurio:Organisation ; eurio:legalName "UNBABEL UNIPESSOAL, LDA" ; eurio:pic "939116074" ;
  eurio:vatNumber "PT513508996" ; eurio:hasSite r:s2 .
r:s2 eurio:hasGeographicalLocation r:pt . r:pt a eurio:Country ; eurio:name "Portugal" .
r:old a eurio:Project ; eurio:identifier "825619" ; eurio:title "An older project" ;
  eurio:startDate "2019-01-01"^^xsd:date .
"""


@pytest.fixture
def eurio_endpoint(oxigraph_server):
    oxigraph_server.clear()
    requests.post(f"{oxigraph_server.base}/store?default", data=EURIO.encode(),
                  headers={"Content-Type": "text/turtle"}, timeout=30).raise_for_status()
    yield f"{oxigraph_server.base}/query"
    oxigraph_server.clear()


def test_live_mode_against_a_local_eurio_endpoint(eurio_endpoint, tmp_path):
    feed = cordis_live.fetch_projects(tmp_path, endpoint=eurio_endpoint, since="2021-01-01", page_size=1, retries=0)
    assert feed.url == eurio_endpoint and feed.version.startswith("sha256:")
    graph, report = parse_source(SPEC, feed.path)
    # the 2019 project is outside the selection: one project, its two participants and two programme/topic rows
    assert {str(g) for g in graph.objects(None, EAI.grantNumber)} == {"101070631"}
    assert (report.records_read, report.records_ingested, report.records_merged) == (5, 3, 2)
    assert participants(graph, "101070631") == {("999985708", "coordinator", "NLD"),
                                                ("939116074", "participant", "PRT")}
    utter = cordis.project_node("101070631")
    assert (utter, EAI.acronym, Literal("UTTER")) in graph
    assert (utter, EAI.underProgramme, cordis.programme_node("HORIZON.2.4.6")) in graph
    again = cordis_live.fetch_projects(tmp_path, endpoint=eurio_endpoint, since="2021-01-01", retries=0)
    assert again.path == feed.path  # same answers, same cached folder


def test_live_mode_by_grant_ids(eurio_endpoint, tmp_path):
    feed = cordis_live.fetch_projects(tmp_path, endpoint=eurio_endpoint, grants=["825619"], retries=0)
    graph, _ = parse_source(SPEC, feed.path)
    assert {str(g) for g in graph.objects(None, EAI.grantNumber)} == {"825619"}


def test_live_mode_errors(http_server, tmp_path):
    missing = http_server.route("/missing", Reply(404, b"no"))
    with pytest.raises(FeedError, match="EndPointNotFound"):
        cordis_live.fetch_projects(tmp_path, endpoint=missing, retries=3, backoff=0.01)
    assert len(http_server.requests) == 1  # not retried
    empty = json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode()
    answer = Reply(200, empty, {"Content-Type": "application/sparql-results+json"})
    flaky = http_server.route("/flaky", Reply(500, b"busy"), answer)
    with pytest.raises(FeedError, match="no projects"):  # retried past the 500, then an empty answer
        cordis_live.fetch_projects(tmp_path, endpoint=flaky, retries=1, backoff=0.01)
    assert not list(tmp_path.glob("sparql-*"))
