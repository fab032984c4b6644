"""The AI Act panel of one model: every indicator's answer with the facts and the rule it used, labelled
indicative, not a legal assessment (decisions/0014-ai-act-indicators.md).

The answers are the derived graph's (:mod:`euaigraph.graph.load.aiact` applied them at ingest); this module only
reads them and the facts behind them, so the panel on the entity page and in the sovereignty profile says what the
saved questions ``aiact/*`` say (``tests/consistency`` checks it for every model).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import URIRef

from euaigraph.graph.analysis.profile import SPARQL_PREFIXES, class_code, sources_of
from euaigraph.graph.load.aiact import bounds_in_order
from euaigraph.graph.store.base import Store
from euaigraph.graph.store.terms import nt_term
from euaigraph.ontology import reference
from euaigraph.ontology.indicators import answers, indicator, indicators, scope_note

#: Indicator code -> the saved question that lists its facts for every model.
QUESTIONS = {"general-purpose": "aiact/general-purpose", "systemic-risk": "aiact/training-compute",
             "open-source-exemption": "aiact/open-source-exemption", "weights-public": "aiact/open-source-exemption",
             "architecture-public": "aiact/open-source-exemption",
             "usage-information-public": "aiact/open-source-exemption", "code-of-practice": "aiact/code-of-practice",
             "placed-before-obligations": "aiact/placed-before-obligations"}


@dataclass(frozen=True)
class Fact:
    """One fact an indicator used: what it is, its value, and the sources that state it (``source (page)``)."""

    name: str
    value: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reading:
    """One indicator for one model: the answer (yes | no | unknown), the facts, the rule and its saved question."""

    code: str
    label: str
    answer: str
    facts: tuple[Fact, ...]
    rule: str
    question: str

    def as_rows(self) -> list[dict[str, object]]:
        return [{"indicator": self.label, "answer": self.answer,
                 "facts": "; ".join(f"{f.name}: {f.value}" for f in self.facts), "rule": self.rule,
                 "sources": "; ".join(sorted({s for f in self.facts for s in f.sources})), "question": self.question}]


@dataclass(frozen=True)
class Panel:
    """A model's AI Act indicators: every reading, and the note that none is a legal assessment."""

    model: str
    note: str
    readings: tuple[Reading, ...]

    def reading(self, code: str) -> Reading:
        return next(r for r in self.readings if r.code == code)

    def as_rows(self) -> list[dict[str, object]]:
        return [row for r in self.readings for row in r.as_rows()]


def _rows(store: Store, model: str, variables: str, body: str) -> list[tuple]:
    query = f"SELECT {variables} WHERE {{ BIND({nt_term(URIRef(model))} AS ?m) {body} }}"
    return store.execute(SPARQL_PREFIXES + query).rows


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _number(value: object) -> str:
    return f"{float(value.toPython()):.3g}" if value is not None else "unknown"


def _local(iri: object) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def model_answers(store: Store, model: str) -> dict[str, str]:
    """Indicator code -> the answer the derived graph holds for ``model`` (empty when it holds none)."""
    props = " ".join(nt_term(p) for p in answers())
    rows = _rows(store, model, "?a ?i", f"?m eai:aiActProfile ?p . VALUES ?a {{ {props} }} ?p ?a ?i")
    by_iri = {str(i.iri): i.code for i in indicators()}
    return {by_iri[str(i)]: answers()[a] for a, i in rows if str(i) in by_iri}


def _facts(store: Store, model: str, found: dict[str, str]) -> dict[str, tuple[Fact, ...]]:
    """The facts of each indicator, read from the graph (derived figures, modalities, licence, grades, signature)
    and, for the exemption, the answers of the indicators it rests on."""
    one = {k: v for k, v in zip(("compute", "params", "licence", "cls", "hf", "released"), _rows(
        store, model, "?c ?n ?l ?cls ?hf ?d",
        "OPTIONAL { ?m eai:preferredTrainingCompute ?c } OPTIONAL { ?m eai:preferredParameterCount ?n } "
        "OPTIONAL { ?m eai:preferredLicence ?l } OPTIONAL { ?m eai:effectiveLicenceClass ?cls } "
        "OPTIONAL { ?m eai:huggingFaceId ?hf } OPTIONAL { ?m eai:preferredReleaseDate ?d }")[0], strict=True)}
    modal: dict[str, set[str]] = defaultdict(set)
    for direction, code in _rows(store, model, "?d ?code", "VALUES ?d { eai:inputModality eai:outputModality } "
                                 "?m ?d ?x . ?x skos:notation ?code"):
        modal[_local(direction)].add(str(code))
    codes = {str(g.iri): g.code for g in reference.grades()}
    grades = sorted((_local(dim), codes.get(str(grade), _local(grade))) for dim, grade in _rows(
        store, model, "?dim ?g", "?m eai:openness ?a . ?a eai:dimension ?dim ; eai:grade ?g"))
    signature = _rows(store, model, "?org ?chapter ?listed",
                      "?m eai:codeOfPracticeSignatory ?org . ?org eai:codeOfPracticeSignature ?s . "
                      "OPTIONAL { ?s eai:signedChapter/skos:notation ?chapter } OPTIONAL { ?s eai:startDate ?listed }")
    compute = Fact("training compute (FLOP)", _number(one["compute"]),
                   sources_of(store, {model}, ("trainingComputeFLOP",)) if one["compute"] is not None else ())
    params = Fact("parameters", _number(one["params"]),
                  sources_of(store, {model}, ("parameterCount",)) if one["params"] is not None else ())
    inputs = Fact("input modalities", " ".join(sorted(modal["inputModality"])) or "unknown",
                  sources_of(store, {model}, ("modality",)))
    outputs = Fact("output modalities", " ".join(sorted(modal["outputModality"])) or "unknown")
    repository = Fact("Hugging Face repository", _text(one["hf"]) or "none recorded")
    def graded(i) -> str:
        return ", ".join(f"{d} {g}" for d, g in grades if d in i.evidence_dimensions) or "none recorded"

    published = {i.code: (repository, Fact("index grades", graded(i), sources_of(store, {model}, ("openness",))))
                 for i in indicators() if i.evidence_dimensions}
    signer = signature[0][0] if signature else None
    signed = (Fact("signatory", _local(signer) if signer else "none recorded",
                   sources_of(store, {str(signer)}, ("codeOfPracticeSignature",)) if signer else ()),
              Fact("chapters", " ".join(sorted({str(c) for _, c, _ in signature if c is not None})) or "none"),
              Fact("listed", _text(signature[0][2]) if signature else "not recorded"))
    licence = (Fact("licence", _local(one["licence"]) if one["licence"] else "none recorded",
                    sources_of(store, {model}, ("licence", "weightsLicence"))),
               Fact("effective licence class", class_code(one["cls"]) or "unknown"))
    # The bound that decides comes first, and only its pages are cited.
    bounds = bounds_in_order(b for (b,) in _rows(store, model, "?b", "?m eai:releasedNoLaterThan ?b"))
    released = one["released"]
    placed = (Fact("release date", _text(released) or "unknown",
                   sources_of(store, {model}, ("releaseDate",), value=str(released)) if released is not None else ()),
              Fact("released no later than", ", ".join(bounds) or "none recorded",
                   sources_of(store, {model}, ("releasedNoLaterThan",), value=bounds[0]) if bounds else ()),
              Fact(indicator("general-purpose").label, found.get("general-purpose", "unknown")))
    exemption = indicator("open-source-exemption")
    rests_on = tuple(Fact(i.label, found.get(i.code, "unknown")) for i in indicators()
                     if i.broader == exemption.iri or i.code == "systemic-risk")
    return {"general-purpose": (outputs, inputs, compute, params), "systemic-risk": (compute,),
            "open-source-exemption": (*licence, *rests_on), **published, "code-of-practice": signed,
            "placed-before-obligations": placed}


def ai_act_panel(store: Store, model: str, *, language: str = "en") -> Panel:
    """The AI Act indicators of ``model``: each answer with the facts and the rule it used. Raises KeyError when
    the graph holds no AI Act answers for it (not a model, or a graph derived before the indicators existed)."""
    found = model_answers(store, model)
    if not found:
        raise KeyError(f"{model} has no AI Act indicators in the graph")
    facts = _facts(store, model, found)
    readings = tuple(Reading(code=i.code, label=i.label, answer=found[i.code], facts=facts[i.code], rule=i.definition,
                             question=QUESTIONS[i.code]) for i in indicators() if i.code in found)
    return Panel(model=model, note=scope_note(language), readings=readings)


__all__ = ["QUESTIONS", "Fact", "Panel", "Reading", "ai_act_panel", "model_answers"]
