"""Curated facts (``data/curated/*.yaml``): one source per file, each fact cited by its record's sources.

The mapping is a table per kind (field -> predicate and converter) plus a few structured fields (lineage,
control history, identifiers). Values written in the claim-list form get an ``rdf:Statement`` with their own
citation, so disagreeing sources both stay visible. A record whose pages are all secondary (``secondary: true``:
news, blogs, aggregators) gets confidence ``low`` on its source record, and so does a claim or a control relation
resting on a secondary page, so that answers built on them can say so.

The run ledger: the kind's file is read (any other file in a folder feed is skipped, with the reason), every
record is ingested or rejected with its place and the reason, so ``Report.imbalance()`` is None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from euaigraph.ontology import iri
from euaigraph.ontology.iri import record_iri
from euaigraph.ontology.namespaces import ORG, ROR, WIKIDATA
from euaigraph.ontology import reference
from euaigraph.ontology.indicators import chapters
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_CURATED, Feed, FeedError, Report, SourceSpec, Triple
from ..curated import KINDS, CuratedError, check_record, claims, confidence, curated_dir, load_yaml, shown
from ..curated_links import check_affiliations, check_links, ids_beside
from ..emit import boolean, cited_claim, date_literal, decimal, double, integer, source_record
from ..normalise import resolve_language

Convert = Callable[[Any], Node | None]

OPENNESS = {c.code: c.iri for c in reference.licence_classes()}
#: The relation codes curated base models may use: the sub-properties of eai:derivedFrom, by their ontology code.
RELATIONS = {r.code: r.iri for r in reference.relations() if r.iri in reference.lineage_properties()
             and r.iri != EAI.derivedFrom}
FACILITY_CLASS = {"supercomputer": EAI.Supercomputer, "ai-factory": EAI.AIFactory, "gpu-cluster": EAI.GPUCluster,
                  "cloud-region": EAI.CloudRegion}


def _language(code: Any) -> Node | None:
    nal = resolve_language(str(code))
    return iri.language_iri(nal) if nal else None


def _text(value: Any) -> Node:
    return Literal(str(value).strip())


_C: dict[str, Convert] = {
    "text": _text, "org": iri.org_iri, "model": iri.model_iri, "dataset": iri.dataset_iri,
    "facility": iri.facility_iri, "project": iri.project_iri, "programme": iri.programme_iri,
    "family": iri.family_iri, "country": iri.country_iri, "licence": iri.licence_iri, "language": _language,
    "date": date_literal, "double": double, "decimal": decimal, "bool": boolean, "int": integer,
    "url": lambda v: URIRef(str(v)), "chapter": lambda v: chapters().get(str(v)),
}

#: kind -> (class, id -> IRI, {field: (predicate, converter)})
MAPPINGS: dict[str, tuple[Node, Callable[[str], URIRef], dict[str, tuple[Node, str]]]] = {
    "organisations": (EAI.Organisation, iri.org_iri, {
        "name": (RDFS.label, "text"), "type": (EAI.organisationType, "text"), "country": (EAI.jurisdiction, "country"),
        "members": (ORG.hasMember, "org"), "affiliated_with": (EAI.affiliatedWith, "org"),
        "note": (EAI.note, "text")}),
    "models": (EAI.AIModel, iri.model_iri, {
        "name": (RDFS.label, "text"), "hf_id": (EAI.huggingFaceId, "text"), "family": (EAI.inFamily, "family"),
        "developers": (EAI.developedBy, "org"), "parameters": (EAI.parameterCount, "double"),
        "released": (EAI.releaseDate, "date"),
        "released_no_later_than": (EAI.releasedNoLaterThan, "date"), "licence": (EAI.weightsLicence, "licence"),
        "tokenizer_of": (EAI.usesTokenizerOf, "model"), "languages": (EAI.supportsLanguage, "language"),
        "datasets": (EAI.trainedOn, "dataset"), "trained_at": (EAI.trainedAt, "facility"),
        "funded_by": (EAI.resultOf, "project"), "gated": (EAI.gated, "bool"), "version_of": (EAI.versionOf, "model"),
        "licence_status": (EAI.licenceStatus, "text"), "gpu_hours": (EAI.gpuHours, "decimal"),
        "training_flop": (EAI.trainingComputeFLOP, "double"),
        "supersedes": (EAI.supersedes, "model"), "note": (EAI.note, "text")}),
    "families": (EAI.ModelFamily, iri.family_iri, {
        "name": (SKOS.prefLabel, "text"), "developers": (EAI.developedBy, "org"), "note": (EAI.note, "text")}),
    "datasets": (EAI.Dataset, iri.dataset_iri, {
        "name": (RDFS.label, "text"), "hf_id": (EAI.huggingFaceId, "text"), "curated_by": (EAI.curatedBy, "org"),
        "licence": (EAI.licence, "licence"), "languages": (EAI.supportsLanguage, "language"), "note": (EAI.note, "text")}),
    "compute": (EAI.ComputeFacility, iri.facility_iri, {
        "name": (RDFS.label, "text"), "kind": (EAI.facilityKind, "text"), "country": (EAI.jurisdiction, "country"),
        "operator": (EAI.operatedBy, "org"), "eurohpc": (EAI.euroHPC, "bool"),
        "accelerator_vendor": (EAI.acceleratorVendor, "org"), "accelerator": (EAI.accelerator, "text"),
        "ai_factory_wave": (EAI.aiFactoryWave, "int"), "supercomputer": (EAI.builtAround, "facility"),
        "note": (EAI.note, "text")}),
    "programmes": (EAI.FundingProgramme, iri.programme_iri, {
        "name": (RDFS.label, "text"), "kind": (EAI.programmeKind, "text"), "funder": (EAI.funder, "org"),
        "parent": (EAI.parentProgramme, "programme"), "country": (EAI.jurisdiction, "country"), "note": (EAI.note, "text")}),
    "projects": (EAI.Project, iri.project_iri, {
        "name": (RDFS.label, "text"), "acronym": (EAI.acronym, "text"), "grant": (EAI.grantNumber, "text"),
        "programme": (EAI.underProgramme, "programme"), "start": (EAI.startDate, "date"), "end": (EAI.endDate, "date"),
        "total_cost": (EAI.totalCost, "decimal"), "ec_contribution": (EAI.ecContribution, "decimal"),
        "coordinator": (EAI.coordinator, "org"), "participants": (EAI.awardedTo, "org"), "note": (EAI.note, "text")}),
    "policy": (EAI.PolicyInstrument, iri.policy_iri, {
        "name": (RDFS.label, "text"), "kind": (EAI.policyKind, "text"), "issuer": (EAI.issuedBy, "org"),
        "adopted": (EAI.startDate, "date"), "celex": (EAI.celex, "text"), "note": (EAI.note, "text")}),
    "software": (EAI.SoftwarePackage, iri.software_iri, {
        "name": (RDFS.label, "text"), "maintainer": (EAI.maintainedBy, "org"), "licence": (EAI.licence, "licence"),
        "repository": (EAI.repository, "url"), "note": (EAI.note, "text")}),
    "signatories": (EAI.CodeOfPracticeSignature, lambda key: iri.node_iri("signature", "code-of-practice", key), {
        "chapters": (EAI.signedChapter, "chapter"), "listed": (EAI.startDate, "date"), "note": (EAI.note, "text")}),
    "licences": (EAI.Licence, iri.licence_iri, {
        "name": (RDFS.label, "text"), "id": (EAI.spdxId, "text"), "url": (EAI.licenceText, "url"),
        "hf_identifier": (SKOS.notation, "text"), "commercial_use": (EAI.commercialUse, "text"),
        "field_of_use_restrictions": (EAI.fieldOfUseRestrictions, "bool"), "naming_duty": (EAI.namingDuty, "bool"),
        "attribution_duty": (EAI.attributionDuty, "bool"), "user_threshold": (EAI.userThreshold, "int"),
        "aliases": (SKOS.altLabel, "text"), "note": (EAI.note, "text")}),
}


def _commercial(value: Any) -> Any:
    return str(value).lower() if isinstance(value, bool) else value


def record_triples(kind: str, record: dict[str, Any], source_id: str, problems: list[str]) -> Iterator[Triple]:
    """The triples of one checked record; a value that cannot be read is added to ``problems`` (the caller then
    rejects the whole record rather than load it with a fact missing)."""
    klass, make_iri, fields = MAPPINGS[kind]
    subject = make_iri(record["id"])
    where = f"{KINDS[kind].file}#{record['id']}"
    if kind == "organisations" and record.get("type") == "person":
        # Individual developers share the organisations' id space, so models can name them as developers.
        yield subject, RDF.type, EAI.Person
    else:
        yield subject, RDF.type, klass
    if kind == "organisations" and record.get("type") == "consortium":
        yield subject, RDF.type, EAI.Consortium
    if kind == "compute" and record.get("kind") in FACILITY_CLASS:
        yield subject, RDF.type, FACILITY_CLASS[record["kind"]]
    if kind == "families":
        yield subject, RDF.type, SKOS.Concept
    for field, (predicate, converter) in fields.items():
        if field not in record or record[field] is None:
            continue
        raw = _commercial(record[field]) if field == "commercial_use" else record[field]
        for n, (value, cites) in enumerate(claims(raw)):
            term = _C[converter](value)
            if term is None:
                problems.append(f"{where}: {field}: cannot read {shown(value)} as {converter}")
                continue
            if cites:
                key = f"{kind}/{record['id']}/{field}/{n}"
                yield from cited_claim(subject, predicate, term, url=cites[0]["url"], accessed=cites[0]["accessed"],
                                       key=key, source_id=source_id)
                if confidence(cites) == "low":
                    yield record_iri(source_id, f"claim/{key}"), EAI.confidence, Literal("low")
            else:
                yield subject, predicate, term
    yield from _structured(kind, record, subject, source_id)
    sources = record["sources"]
    yield from source_record(source_id, f"{kind}/{record['id']}", subject, urls=[s["url"] for s in sources],
                             accessed=max(str(s["accessed"]) for s in sources), locator=where,
                             confidence=confidence(sources))
    if kind == "licences" and record.get("family"):  # the licence's pages also state the family it belongs to
        yield (iri.record_iri(source_id, f"{kind}/{record['id']}"), EAI.describes,
               iri.licence_family_iri(str(record["family"])))
    if kind == "signatories":  # the signatory list's pages state that the organisation signed
        yield iri.record_iri(source_id, f"{kind}/{record['id']}"), EAI.describes, iri.org_iri(record["id"])


def _structured(kind: str, record: dict[str, Any], subject: URIRef, source_id: str) -> Iterator[Triple]:
    if kind == "models":
        developers = record.get("developers") or []
        if developers:
            yield subject, EAI.providedBy, iri.org_iri(developers[0])
        for base in record.get("base_models") or []:
            parent = iri.model_iri(base["model"])
            yield subject, EAI.derivedFrom, parent
            if base.get("relation") in RELATIONS:
                yield subject, RELATIONS[base["relation"]], parent
        for licence, _cites in claims(record.get("licence")) if record.get("licence") else []:
            yield subject, EAI.licence, iri.licence_iri(str(licence))
        for project in record.get("funded_by") or []:
            yield subject, EAI.fundedBy, iri.project_iri(project)
    if kind == "organisations":
        for n, control in enumerate(record.get("controlled_by") or []):
            node = iri.node_iri("control", record["id"], control["org"], str(control.get("since", n)))
            yield subject, EAI.control, node
            yield node, RDF.type, EAI.Control
            yield node, EAI.controller, iri.org_iri(control["org"])
            if control.get("kind"):
                yield node, EAI.controlKind, Literal(control["kind"])
            for key, predicate in (("since", EAI.startDate), ("until", EAI.endDate)):
                stamp = date_literal(control.get(key)) if control.get(key) else None
                if stamp is not None:
                    yield node, predicate, stamp
            if control.get("url"):
                yield node, EAI.recordUrl, URIRef(control["url"])
                # The relation gets its own source record, so its confidence is its page's, not the record's.
                yield from source_record(source_id, f"control/{record['id']}/{control['org']}/{n}", node,
                                         urls=[control["url"]], accessed=control.get("accessed"),
                                         locator=f"{KINDS[kind].file}#{record['id']}/controlled_by/{n}",
                                         confidence=confidence([control]))
        for scheme, value in (record.get("identifiers") or {}).items():
            yield from _identifier(subject, scheme, str(value))
    if kind == "signatories":
        yield iri.org_iri(record["id"]), EAI.codeOfPracticeSignature, subject
    if kind == "licences" and record.get("openness_class") in OPENNESS:
        yield subject, EAI.opennessClass, OPENNESS[record["openness_class"]]
    if kind == "licences" and record.get("family"):
        family = iri.licence_family_iri(str(record["family"]))
        yield subject, EAI.licenceFamily, family
        yield family, RDF.type, EAI.LicenceFamily
        yield family, RDFS.label, Literal(f"{record['family']} licences (every version)")


def _identifier(subject: URIRef, scheme: str, value: str) -> Iterator[Triple]:
    if scheme == "wikidata":
        yield subject, EAI.wikidata, WIKIDATA[value]
    elif scheme == "ror":
        yield subject, EAI.ror, ROR[value.rsplit("/", 1)[-1]]
    elif scheme == "pic":
        yield subject, EAI.pic, Literal(value)
    elif scheme == "hf":
        yield subject, EAI.huggingFaceId, Literal(value)
    elif scheme == "website":
        yield subject, EAI.homepage, URIRef(value)
    elif scheme == "github":
        yield subject, EAI.repository, URIRef(value if value.startswith("http") else f"https://github.com/{value}")


def _feed_file(kind: str, source_id: str, feed: Feed, report: Report) -> Path:
    """The kind's file: the feed itself, or the file of that name in a folder feed (the others are skipped)."""
    name = KINDS[kind].file
    if not feed.path.is_dir():
        return feed.path
    for path in sorted(p for p in feed.path.rglob("*") if p.is_file()):
        rel = str(path.relative_to(feed.path))
        if rel != name:
            report.file_skipped(rel, f"not {name}: another curated source reads it" if path.suffix == ".yaml"
                                else f"not {name}: not a curated records file")
    if not (feed.path / name).is_file():
        raise FeedError(source_id, str(feed.path), f"no {name} in the folder")
    return feed.path / name


def parse_kind(kind: str, source_id: str, feed: Feed, report: Report) -> Iterator[Triple]:
    path = _feed_file(kind, source_id, feed, report)
    try:
        data = load_yaml(path)
    except CuratedError as exc:
        raise FeedError(source_id, path.name, str(exc)) from exc
    items = data.get("records") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise FeedError(source_id, path.name, "expected a mapping with a 'records' list")
    report.file_read(path.name)
    checked: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()
    for n, record in enumerate(items):
        report.read()
        try:
            where = check_record(kind, record, n)
        except CuratedError as exc:
            report.reject(f"{path.name} record {n + 1}", str(exc))
            continue
        if record["id"] in seen:
            report.reject(f"{path.name} record {n + 1}", f"{where}: duplicate id (the first record stands)")
            continue
        seen.add(record["id"])
        checked.append((n, record))
    known = _known(kind, path.parent, frozenset(seen), report)
    same_kind = {record["id"]: record for _, record in checked}
    for n, record in checked:
        try:
            check_links(kind, record, known)
            if kind == "organisations":
                check_affiliations(record, same_kind)
        except CuratedError as exc:
            report.reject(f"{path.name} record {n + 1}", str(exc))
            continue
        problems: list[str] = []
        triples = list(record_triples(kind, record, source_id, problems))
        if problems:
            report.reject(f"{path.name} record {n + 1}", "; ".join(problems))
            continue
        yield from triples
        report.ingested()


def _known(kind: str, folder: Path, own: frozenset[str], report: Report) -> dict[str, frozenset[str] | None]:
    """The ids each reference of ``kind`` may name: this file's own, and those of the files beside it."""
    known: dict[str, frozenset[str] | None] = {kind: own}
    for target in sorted({target for _, target in KINDS[kind].refs} - {kind}):
        known[target], why = ids_beside(folder, target)
        if why:
            report.note(f"references to {target} not checked: {why}")
    return known


def _spec(kind: str, title: str, min_triples: int) -> SourceSpec:
    source_id = f"curated-{kind}"
    return SourceSpec(
        id=source_id,
        title=f"Curated {title}",
        homepage="https://w3id.org/euaigraph/ontology",
        data_licence="CC-BY-4.0",
        parse=partial(parse_kind, kind, source_id),
        min_triples=min_triples,
        priority=PRIORITY_CURATED,
        shipped_path=lambda: Path(curated_dir() / KINDS[kind].file),
        description=f"Hand-curated {title} in data/curated/{KINDS[kind].file}, each record citing its sources.",
    )


SOURCES = (
    _spec("organisations", "organisations", 300),
    _spec("models", "models", 500),
    _spec("families", "model families", 50),
    _spec("datasets", "datasets", 50),
    _spec("compute", "compute facilities and AI Factories", 200),
    _spec("programmes", "funding programmes", 40),
    _spec("projects", "projects", 100),
    _spec("policy", "policy instruments", 30),
    _spec("software", "software packages", 40),
    _spec("licences", "model licences (LicenseRef)", 100),
    _spec("signatories", "signatories of the General-Purpose AI Code of Practice", 30),
)
