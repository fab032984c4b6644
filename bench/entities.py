"""Triples for the synthetic graph's entities, written as the real ingesters write them.

Each function takes a :class:`Sink` and writes into the source that would assert the facts in a real build:
``huggingface`` (models, lineage, licences, languages, datasets), ``curated-*`` (organisations with control
relations, model records, families, datasets, facilities), ``cordis`` (projects and participations) and
``osai-index`` (openness grades and third-party jurisdiction claims). IRIs come from
:mod:`euaigraph.ontology.iri`, terms from the closed vocabulary, source records from
:func:`euaigraph.ingest.emit.source_record`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from euaigraph.graph.store.terms import nt_line
from euaigraph.ingest.emit import boolean, cited_claim, date_literal, decimal, double, source_record
from euaigraph.ingest.sources.curated import FACILITY_CLASS, RELATIONS as CURATED_RELATIONS
from euaigraph.ingest.sources.huggingface import HUB, RELATIONS as HF_RELATIONS
from euaigraph.ontology import iri
from euaigraph.ontology import reference
from euaigraph.ontology.vocab import EAI

ACCESSED = "2026-11-27"
#: Curated relation name -> the Hugging Face relation that types the same link on the Hub.
HF_NAME = {"fine-tune": "finetune", "adapter": "adapter", "quantisation": "quantized", "merge": "merge"}
GRADE = {g.code: g.iri for g in reference.grades()}


class Sink:
    """One N-Triples file per source under ``out``, counting what it writes."""

    def __init__(self, out: Path):
        self.out = out
        self._files: dict[str, TextIO] = {}
        self.counts: dict[str, int] = {}
        self.total = 0

    def add(self, source: str, s, p, o) -> None:
        handle = self._files.get(source)
        if handle is None:
            handle = self._files[source] = (self.out / f"{source}.nt").open("w", encoding="utf-8")
            self.counts[source] = 0
        handle.write(nt_line(s, p, o))
        self.counts[source] += 1
        self.total += 1

    def extend(self, source: str, triples) -> None:
        for s, p, o in triples:
            self.add(source, s, p, o)

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()


@dataclass(eq=False)
class Org:
    key: str
    hf: str
    country: str | None  # None: a Hub user no reviewed alias maps, so no jurisdiction is known
    kind: str
    source: str  # curated-organisations | cordis | huggingface

    @property
    def node(self) -> URIRef:
        return iri.org_iri(f"huggingface/{self.hf}" if self.country is None else self.key)


@dataclass(eq=False, slots=True)
class Model:
    repo: str
    org: Org
    depth: int
    root: int
    licence: str
    languages: tuple[str, ...]
    parameters: float
    node: URIRef = field(init=False)

    def __post_init__(self) -> None:
        self.node = iri.model_iri(self.repo)


def organisation(sink: Sink, org: Org, *, pic: str | None = None) -> None:
    node = org.node
    if org.source == "huggingface":
        sink.extend("huggingface", [(node, RDF.type, EAI.Organisation), (node, RDFS.label, Literal(org.hf)),
                                    (node, EAI.huggingFaceId, Literal(org.hf))])
        return
    label = Literal(f"{org.key.replace('-', ' ').title()}")
    if org.source == "cordis":
        sink.extend("cordis", [(node, RDF.type, EAI.Organisation), (node, RDFS.label, label),
                               (node, EAI.pic, Literal(pic or org.key[-9:])),
                               (node, EAI.activityType, Literal("HES" if org.kind == "university" else "REC")),
                               (node, EAI.jurisdiction, iri.country_iri(org.country))])
        sink.add("huggingface", node, RDF.type, EAI.Organisation)
        return
    source = "curated-organisations"
    klass = EAI.Person if org.kind == "person" else EAI.Organisation
    sink.extend(source, [(node, RDF.type, klass), (node, RDFS.label, label),
                         (node, EAI.organisationType, Literal(org.kind)),
                         (node, EAI.jurisdiction, iri.country_iri(org.country)),
                         (node, EAI.huggingFaceId, Literal(org.hf))])
    sink.extend(source, source_record(source, f"organisations/{org.key}", node,
                                      urls=[f"{HUB}/{org.hf}"], accessed=ACCESSED,
                                      locator=f"organisations.yaml#{org.key}", confidence="high"))
    sink.add("huggingface", node, RDF.type, EAI.Organisation)


def control(sink: Sink, org: Org, controller: Org, *, since: str, until: str | None) -> None:
    """A dated control relation (an acquisition), as the curated organisations write it."""
    node = iri.node_iri("control", org.key, controller.key, since)
    source = "curated-organisations"
    sink.extend(source, [(org.node, EAI.control, node), (node, RDF.type, EAI.Control),
                         (node, EAI.controller, controller.node), (node, EAI.controlKind, Literal("acquisition")),
                         (node, EAI.startDate, date_literal(since))])
    if until:
        sink.add(source, node, EAI.endDate, date_literal(until))


def hf_model(sink: Sink, model: Model, *, parents: list[tuple[str, Model]], datasets: list[URIRef],
             gated: bool, architecture: str | None) -> None:
    """A model as the Hugging Face ingester writes it (card facts, typed lineage, a source record)."""
    m, source = model.node, "huggingface"
    sink.extend(source, [(m, RDF.type, EAI.AIModel), (m, RDFS.label, Literal(model.repo)),
                         (m, EAI.huggingFaceId, Literal(model.repo)), (m, EAI.providedBy, model.org.node),
                         (m, EAI.developedBy, model.org.node), (m, EAI.licence, iri.licence_iri(model.licence))])
    for code in model.languages:
        sink.add(source, m, EAI.supportsLanguage, iri.language_iri(code))
    for dataset in datasets:
        sink.add(source, m, EAI.trainedOn, dataset)
    for relation, parent in parents:
        if relation in HF_NAME:
            sink.add(source, m, EAI.derivedFrom, parent.node)
            sink.add(source, m, HF_RELATIONS[HF_NAME[relation]], parent.node)
        else:  # continued pretraining and distillation are only known from curated records
            sink.add("curated-models", m, EAI.derivedFrom, parent.node)
            sink.add("curated-models", m, CURATED_RELATIONS[relation], parent.node)
    if gated:
        sink.add(source, m, EAI.gated, boolean(True))
    if architecture:
        sink.add(source, m, EAI.architecture, Literal(architecture))
    sink.add(source, m, EAI.parameterCount, double(model.parameters))
    sink.extend(source, source_record(source, f"api/{model.repo}", m, urls=[f"{HUB}/{model.repo}"],
                                      accessed=ACCESSED, locator=f"api/{model.repo.replace('/', '__')}.json"))


def curated_model(sink: Sink, model: Model, **facts: list[URIRef] | str | None) -> None:
    """A curated model record: family, release, compute, funding, tokenizer and versions, with a source record."""
    m, source = model.node, "curated-models"
    sink.extend(source, [(m, RDF.type, EAI.AIModel), (m, EAI.weightsLicence, iri.licence_iri(model.licence))])
    single = {"family": EAI.inFamily, "tokenizer_of": EAI.usesTokenizerOf, "version_of": EAI.versionOf,
              "supersedes": EAI.supersedes}
    for key, predicate in single.items():
        if facts.get(key) is not None:
            sink.add(source, m, predicate, facts[key])
    if facts.get("released"):
        sink.add(source, m, EAI.releaseDate, date_literal(facts["released"]))
    for facility in facts.get("trained_at") or []:
        sink.add(source, m, EAI.trainedAt, facility)
    for project in facts.get("funded_by") or []:
        sink.extend(source, [(m, EAI.resultOf, project), (m, EAI.fundedBy, project)])
    sink.extend(source, source_record(source, f"models/{model.repo}", m, urls=[f"{HUB}/{model.repo}"],
                                      accessed=ACCESSED, locator=f"models.yaml#{model.repo}", confidence="high"))


def family(sink: Sink, key: str, org: Org) -> URIRef:
    node, source = iri.family_iri(key), "curated-families"
    sink.extend(source, [(node, RDF.type, EAI.ModelFamily), (node, RDF.type, SKOS.Concept),
                         (node, SKOS.prefLabel, Literal(key)), (node, EAI.developedBy, org.node)])
    sink.extend(source, source_record(source, f"families/{key}", node, urls=[f"{HUB}/{org.hf}"],
                                      accessed=ACCESSED, locator=f"families.yaml#{key}"))
    return node


def dataset(sink: Sink, key: str, curator: Org, *, licence: str | None, languages: tuple[str, ...]) -> URIRef:
    """A dataset the Hub names; with a licence it also has a curated record (curator, licence, languages)."""
    node = iri.dataset_iri(key)
    sink.extend("huggingface", [(node, RDF.type, EAI.Dataset), (node, RDFS.label, Literal(key))])
    if licence:
        source = "curated-datasets"
        sink.extend(source, [(node, RDF.type, EAI.Dataset), (node, EAI.curatedBy, curator.node),
                             (node, EAI.licence, iri.licence_iri(licence))])
        for code in languages:
            sink.add(source, node, EAI.supportsLanguage, iri.language_iri(code))
        sink.extend(source, source_record(source, f"datasets/{key}", node, urls=[f"{HUB}/datasets/{key}"],
                                          accessed=ACCESSED, locator=f"datasets.yaml#{key}"))
    return node


def facility(sink: Sink, key: str, *, country: str, kind: str, eurohpc: bool, operator: Org, vendor: Org) -> URIRef:
    node, source = iri.facility_iri(key), "curated-compute"
    sink.extend(source, [(node, RDF.type, EAI.ComputeFacility), (node, RDF.type, FACILITY_CLASS[kind]),
                         (node, RDFS.label, Literal(key)), (node, EAI.facilityKind, Literal(kind)),
                         (node, EAI.jurisdiction, iri.country_iri(country)), (node, EAI.operatedBy, operator.node),
                         (node, EAI.euroHPC, boolean(eurohpc)), (node, EAI.acceleratorVendor, vendor.node),
                         (node, EAI.accelerator, Literal(f"{vendor.key} accelerator"))])
    sink.extend(source, source_record(source, f"compute/{key}", node, urls=[f"https://example.org/compute/{key}"],
                                      accessed=ACCESSED, locator=f"compute.yaml#{key}"))
    return node


def project(sink: Sink, node: URIRef, grant: int, *, programme: str, participants: list[Org], start: str,
            end: str, contribution: int) -> None:
    """A project as CORDIS describes it: programme, dates, money and one participation per organisation."""
    source = "cordis"
    sink.extend(source, [(node, RDF.type, EAI.Project), (node, EAI.grantNumber, Literal(str(grant))),
                         (node, RDFS.label, Literal(f"Project {grant}")), (node, EAI.acronym, Literal(f"P{grant}")),
                         (node, EAI.projectStatus, Literal("SIGNED")), (node, EAI.startDate, date_literal(start)),
                         (node, EAI.endDate, date_literal(end)), (node, EAI.ecContribution, decimal(contribution)),
                         (node, EAI.totalCost, decimal(int(contribution * 1.25))),
                         (node, EAI.underProgramme, iri.programme_iri(programme))])
    share = contribution // max(len(participants), 1)
    for n, org in enumerate(participants):
        role = "coordinator" if n == 0 else "participant"
        part = iri.node_iri("participation", str(grant), org.key, role)
        sink.extend(source, [(node, EAI.participation, part), (part, RDF.type, EAI.Participation),
                             (part, EAI.participant, org.node), (part, EAI.role, Literal(role)),
                             (part, EAI.ecContribution, decimal(share)), (node, EAI.awardedTo, org.node)])
        if n == 0:
            sink.add(source, node, EAI.coordinator, org.node)
    sink.extend(source, source_record(source, f"project/{grant}", node,
                                      urls=[f"https://cordis.europa.eu/project/id/{grant}"], accessed=ACCESSED))


def openness_dimensions(sink: Sink, dimensions: tuple[str, ...]) -> None:
    for key in dimensions:
        node = iri.concept_iri("osai-index", key)
        sink.extend("osai-index", [(node, RDF.type, EAI.OpennessDimension), (node, RDF.type, SKOS.Concept),
                                   (node, SKOS.inScheme, EAI.OpennessDimensionScheme),
                                   (node, SKOS.prefLabel, Literal(key, lang="en")), (node, SKOS.notation, Literal(key))])


def assessment(sink: Sink, model: Model, grades: dict[str, str], *, claimed_country: str | None) -> None:
    """An index's openness grades for a model, and (if given) where it places the model's provider."""
    source, stem = "osai-index", iri.slug(model.repo.replace("/", "-"))
    record = iri.record_iri(source, stem)
    for dimension, grade in grades.items():
        node = iri.node_iri("assessment", source, stem, dimension)
        sink.extend(source, [(model.node, EAI.openness, node), (node, RDF.type, EAI.OpennessAssessment),
                             (node, EAI.dimension, iri.concept_iri(source, dimension)), (node, EAI.grade, GRADE[grade]),
                             (record, EAI.describes, node)])
    sink.extend(source, source_record(source, stem, model.node, urls=[f"https://osai-index.eu/model/{stem}"],
                                      accessed=ACCESSED, locator=f"{stem}.yaml"))
    if claimed_country:
        sink.extend(source, cited_claim(model.org.node, EAI.jurisdiction, iri.country_iri(claimed_country),
                                        url=f"https://osai-index.eu/model/{stem}", accessed=ACCESSED,
                                        key=f"{stem}/jurisdiction", source_id=source))
