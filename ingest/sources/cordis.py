"""CORDIS: Horizon Europe projects and every participating organisation, from the official EU register.

Reads a file or folder of the CORDIS project XML dump (``data/<rcn-prefix>/<rcn>.xml``) and/or CSV/JSON bulk
dumps, unpacked or as the ``.zip`` archives CORDIS publishes (see :mod:`euaigraph.ingest.cordis_read`); live mode
queries the CORDIS SPARQL endpoint (see :mod:`euaigraph.ingest.cordis_live`).

Identity: a project is the curated project with the same grant number, else ``project/grant-<id>``; an
organisation is the curated one with this PIC, else the curated one with this legal name (reviewed aliases), else a
node keyed by its PIC (``org/pic-<pic>``), listed as unresolved. Countries come as ISO 3166 alpha-2 codes, except
the EU's own ``EL`` (Greece) and ``UK`` (United Kingdom). Policy-priority markers are kept when their weight is
above 0 (a weight of 0 says the project does not contribute to that priority).

Records: every project, every participant (an organisation in a role; the same PIC listed twice in one role of one
project is merged into the first listing), and every other bulk-dump row (programmes, topics, fields: merged into
their project, or rejected when the dump's project file does not list that project). Every file of the feed is read
or skipped with its reason. Each record cites the project's CORDIS page, with the day it was retrieved and, as its
assessment date, the register's last update of the project.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from ..aliases import aliases
from ..base import PRIORITY_OFFICIAL_REGISTER, Feed, FeedError, Report, SourceSpec, Triple
from ..cordis_read import BULK_PARTS, SOURCE_ID, Category, Participant, Programme, Project, read_bulk, read_xml, unzip
from ..curated import records
from ..emit import boolean, date_literal, decimal, source_record
from ..normalise import resolve_country
from ..safe_parse import MalformedInput

PROJECT_URL = "https://cordis.europa.eu/project/id/{grant}"
#: Country codes the EU uses where ISO 3166-1 differs (Interinstitutional Style Guide, section 7.1).
EU_COUNTRY_CODES = {"EL": "GR", "UK": "GB"}
#: CORDIS framework-programme codes and the curated programme each is (used only if that record exists).
FRAMEWORKS = {"HORIZON": "horizon-europe", "H2020": "horizon-2020"}
EUROSCIVOC = iri.concept_iri("schemes", "euroscivoc")


@cache
def _curated_projects() -> dict[str, str]:
    return {str(r["grant"]): r["id"] for r in records("projects") if r.get("grant")}


@cache
def _curated_programmes() -> frozenset[str]:
    return frozenset(r["id"] for r in records("programmes"))


def project_node(grant: str) -> URIRef:
    curated = _curated_projects().get(grant)
    return iri.project_iri(curated or f"grant-{grant}")


def programme_node(code: str) -> URIRef:
    curated = FRAMEWORKS.get(code)
    if curated and curated in _curated_programmes():
        return iri.programme_iri(curated)
    return iri.programme_iri(code)


def country_code(code: str | None) -> str | None:
    """ISO alpha-3 for a CORDIS country code.

    >>> country_code("EL"), country_code("UK"), country_code("DE"), country_code("XX")
    ('GRC', 'GBR', 'DEU', None)
    """
    if not code:
        return None
    code = code.strip().upper()
    return resolve_country(EU_COUNTRY_CODES.get(code, code))


def organisation(participant: Participant) -> tuple[URIRef, bool]:
    """The organisation's IRI, and whether it is a curated organisation."""
    table = aliases("organisations")
    curated = table.by_identifier("pic", participant.pic) or table.resolve(participant.legal_name)
    if curated:
        return iri.org_iri(curated), True
    return iri.org_iri(f"pic-{participant.pic}"), False


# -- triples ----------------------------------------------------------------------------------------------------
def project_triples(project: Project, report: Report, feed: Feed, *, key: str | None = None,
                    seen: dict[URIRef, str] | None = None) -> Iterator[Triple]:
    """The project's facts; ``key`` names its record (another version of a project gets a key of its own) and
    ``seen`` the participations already written for this grant (a repeated one is merged)."""
    grant = project.grant
    assert grant is not None
    node = project_node(grant)
    key = key or f"project/{grant}"
    record = iri.record_iri(SOURCE_ID, key)
    yield node, RDF.type, EAI.Project
    yield node, EAI.grantNumber, Literal(grant)
    for value, predicate in ((project.title, RDFS.label), (project.acronym, EAI.acronym),
                             (project.status, EAI.projectStatus)):
        if value:
            yield node, predicate, Literal(value)
    for value, predicate in ((project.start, EAI.startDate), (project.end, EAI.endDate)):
        stamp = date_literal(value) if value else None
        if stamp is not None:
            yield node, predicate, stamp
    for value, predicate in ((project.total_cost, EAI.totalCost), (project.ec_contribution, EAI.ecContribution)):
        if value is not None:
            yield node, predicate, decimal(value)
    if project.doi:
        yield node, RDFS.seeAlso, URIRef(f"https://doi.org/{project.doi}")
    for programme in project.programmes:
        yield node, EAI.underProgramme, programme_node(programme.code)
        yield from programme_triples(programme)
        for code in (programme.code, *programme.parents):  # the project file states the chain
            yield record, EAI.describes, programme_node(code)
    for topic in dict.fromkeys(project.topics):
        yield node, EAI.topic, Literal(topic)
    for scheme in dict.fromkeys(project.funding_schemes):
        yield node, EAI.fundingScheme, Literal(scheme)
    for category in project.fields:
        yield node, EAI.theme, iri.concept_iri("euroscivoc", category.code)
        yield from field_triples(category)
        codes = [c for c in category.code.strip("/").split("/") if c]
        for depth in range(len(codes)):
            yield record, EAI.describes, iri.concept_iri("euroscivoc", "/".join(codes[: depth + 1]))
    for priority in project.priorities:
        if priority.weight is None or priority.weight > 0:
            yield node, EAI.policyPriority, Literal(priority.code)
    seen = {} if seen is None else seen
    for participant in project.participants:
        yield from participant_triples(node, grant, participant, report, seen, feed)
    yield from source_record(SOURCE_ID, key, node, urls=[PROJECT_URL.format(grant=grant)],
                             accessed=feed.retrieved_at, locator=project.where)
    updated = date_literal(project.updated) if project.updated else None
    if updated is not None:
        yield record, EAI.assessmentDate, updated


def programme_triples(programme: Programme) -> Iterator[Triple]:
    """The programme and its chain of broader programmes up to the framework programme."""
    chain = (programme.code, *programme.parents)
    for n, code in enumerate(chain):
        node = programme_node(code)
        yield node, RDF.type, EAI.FundingProgramme
        yield node, SKOS.notation, Literal(code)
        yield node, EAI.programmeKind, Literal("framework-programme" if n == len(chain) - 1 else "programme")
        if n + 1 < len(chain):
            yield node, EAI.parentProgramme, programme_node(chain[n + 1])
    if programme.title:
        yield programme_node(programme.code), RDFS.label, Literal(programme.title)


def field_triples(category: Category) -> Iterator[Triple]:
    """A euroSciVoc field and its broader fields, labelled from the readable path where it lines up."""
    codes = [c for c in category.code.strip("/").split("/") if c]
    names = [n for n in (category.path or "").strip("/").split("/")] if category.path else []
    labels = names if len(names) == len(codes) else [None] * (len(codes) - 1) + [category.title]
    for depth in range(len(codes)):
        node = iri.concept_iri("euroscivoc", "/".join(codes[: depth + 1]))
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.inScheme, EUROSCIVOC
        yield node, SKOS.notation, Literal("/" + "/".join(codes[: depth + 1]))
        label = labels[depth] or (category.title if depth == len(codes) - 1 else None)
        if label:
            yield node, SKOS.prefLabel, Literal(label.strip(), lang="en")
        if depth:
            yield node, SKOS.broader, iri.concept_iri("euroscivoc", "/".join(codes[:depth]))
        else:
            yield node, SKOS.topConceptOf, EUROSCIVOC


def participant_triples(project: URIRef, grant: str, participant: Participant, report: Report,
                        seen: dict[URIRef, str], feed: Feed) -> Iterator[Triple]:
    report.read()
    if not participant.pic:
        report.reject(participant.where, f"participant {participant.legal_name!r} of project {grant} has no PIC")
        return
    org, is_curated = organisation(participant)
    if not is_curated:
        report.unresolved_name(participant.legal_name or participant.pic, "organisation", participant.where)
    role = participant.role or "participant"
    node = iri.node_iri("participation", grant, participant.pic, role)
    if node in seen:  # the same organisation listed twice in the same role: one participation
        report.merge(participant.where, into=seen[node], rule="the same PIC in the same role of the same project",
                     where=participant.where)
        return
    report.ingested()
    seen[node] = participant.where
    yield org, RDF.type, EAI.Organisation
    yield from _organisation_facts(org, is_curated, participant, report)
    yield project, EAI.participation, node
    yield node, RDF.type, EAI.Participation
    yield node, EAI.participant, org
    yield node, EAI.role, Literal(role)
    facts: tuple[tuple[Node, Node | None], ...] = (
        (EAI.ecContribution, decimal(participant.ec_contribution) if participant.ec_contribution else None),
        (EAI.totalCost, decimal(participant.total_cost) if participant.total_cost else None),
        (EAI.sme, boolean(participant.sme) if participant.sme is not None else None),
        (EAI.status, Literal("terminated") if participant.terminated else None),
    )
    for predicate, value in facts:
        if value is not None:
            yield node, predicate, value
    if role in ("coordinator", "participant"):
        yield project, EAI.awardedTo, org
    if role == "coordinator":
        yield project, EAI.coordinator, org
    yield from source_record(SOURCE_ID, f"participation/{grant}/{participant.pic}/{role}", node,
                             urls=[PROJECT_URL.format(grant=grant)], accessed=feed.retrieved_at,
                             locator=participant.where)
    yield iri.record_iri(SOURCE_ID, f"participation/{grant}/{participant.pic}/{role}"), EAI.describes, org


def _organisation_facts(org: URIRef, is_curated: bool, participant: Participant, report: Report) -> Iterator[Triple]:
    if participant.legal_name:
        # A curated organisation keeps its curated name as label; the register's legal name is an alternative.
        yield org, SKOS.altLabel if is_curated else RDFS.label, Literal(participant.legal_name.strip())
    if participant.short_name:
        yield org, SKOS.altLabel, Literal(participant.short_name.strip())
    yield org, EAI.pic, Literal(participant.pic)
    if participant.vat:
        yield org, EAI.vatNumber, Literal(participant.vat.strip())
    if participant.activity:
        yield org, EAI.activityType, Literal(participant.activity)
    country = country_code(participant.country)
    if country:
        yield org, EAI.jurisdiction, iri.country_iri(country)
    elif participant.country:
        report.unresolved_name(participant.country, "country", participant.where)


# -- the feed ---------------------------------------------------------------------------------------------------
def projects(feed: Feed, report: Report, *, orphans: list[tuple[str, str, str]] | None = None) -> Iterator[Project]:
    """Every project record of the feed: XML files, bulk dump folders (a folder with a ``project`` file) and dump
    archives (``.zip``, extracted to a temporary folder). Every file is read or skipped with its reason; bulk rows
    that name no project of the dump are appended to ``orphans`` (where, part, grant) when given."""
    yield from _walk(feed.path, feed.root, "", report, [] if orphans is None else orphans)


def _walk(top: Path, root: Path, prefix: str, report: Report, orphans: list) -> Iterator[Project]:
    paths = sorted(p for p in top.rglob("*") if p.is_file()) if top.is_dir() else [top]
    bulk_folders = sorted({p.parent for p in paths if p.stem == "project" and p.suffix in (".csv", ".json")})
    for path in paths:
        name, suffix = prefix + path.relative_to(root).as_posix(), path.suffix.lower()
        if suffix == ".xml":
            report.file_read(name)
            try:
                yield read_xml(path, name)
            except MalformedInput as exc:  # one unreadable record costs that record
                report.read()
                report.reject(exc.where, exc.message)
        elif suffix == ".zip":
            report.file_read(name)
            with tempfile.TemporaryDirectory(prefix="euaigraph-cordis-") as tmp:
                unzip(path, name, Path(tmp))
                yield from _walk(Path(tmp), Path(tmp), f"{name}!/", report, orphans)
        elif path.parent in bulk_folders and path.stem in BULK_PARTS and suffix in (".csv", ".json"):
            report.file_read(name)
        elif suffix in (".csv", ".json"):
            report.file_skipped(name, "not part of a CORDIS bulk dump (no project file beside it)")
        else:
            report.file_skipped(name, f"not a CORDIS project file ({suffix or 'no suffix'}: XML, bulk CSV/JSON or zip)")
    for folder in bulk_folders:
        yield from read_bulk(folder, root, prefix=prefix, orphans=orphans)


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    found = False
    orphans: list[tuple[str, str, str]] = []
    #: grant -> (locator of its first record, participations written); later records of a grant are other versions
    grants: dict[str, tuple[str, dict[URIRef, str]]] = {}
    for project in projects(feed, report, orphans=orphans):
        found = True
        report.read()
        if not project.grant:
            report.reject(project.where, "project record has no grant id (<id>); skipped")
            for participant in project.participants:
                report.read()
                report.reject(participant.where, "a participant of a project record that was rejected")
            continue
        if project.grant in grants:  # another version of a project record (an older monthly dump, say)
            first, seen = grants[project.grant]
            report.merge(project.where, into=first, rule="the same grant number: another version of the project's "
                                                           "record", where=project.where)
            key = f"project/{project.grant}/{iri.slug(project.where)}"
        else:
            report.ingested()
            first, seen, key = project.where, {}, None
            grants[project.grant] = (first, seen)
        yield from project_triples(project, report, feed, key=key, seen=seen)
        for where, part in project.rows:
            report.read()
            report.merge(where, into=project.where, rule=f"a {part} row of the same project (projectID)", where=where)
    for where, part, grant in orphans:
        report.read()
        report.reject(where, f"a {part} row of project {grant or '(no id)'}, which the dump's project file does "
                             f"not list")
    if not found and report.rejected:  # files were there, but none could be read: say where and why
        raise FeedError(SOURCE_ID, report.rejected[0].where, f"no readable project file: {report.rejected[0].reason}")
    if not found:
        raise FeedError(SOURCE_ID, str(feed.path), "no CORDIS project XML or bulk dump files found")


def fetch(cache_dir: Path) -> Feed:
    from ..cordis_live import fetch_projects

    return fetch_projects(cache_dir)


SOURCE = SourceSpec(
    id=SOURCE_ID,
    title="CORDIS: EU research projects (Horizon Europe) and their participants",
    homepage="https://cordis.europa.eu/",
    data_licence="https://eur-lex.europa.eu/eli/dec/2011/833/oj",
    parse=parse,
    min_triples=6,
    priority=PRIORITY_OFFICIAL_REGISTER,
    live_url="https://cordis.europa.eu/datalab/sparql",
    recorded_folder="cordis_horizon_xml",
    fetch=fetch,
    description="Project XML of the CORDIS monthly dump, the CSV/JSON bulk dumps, or the CORDIS SPARQL endpoint "
                "(EURIO); every participant with PIC, VAT, country, role and EC contribution.",
)
