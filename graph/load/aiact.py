"""The AI Act indicators: one pure rule per indicator, and their materialisation in the derived graph
(decisions/0014-ai-act-indicators.md). Every answer is indicative, not a legal assessment.

The thresholds, the requirements and the modalities are reference data in the ontology
(:mod:`euaigraph.ontology.indicators`); each rule's wording is its indicator's ``skos:definition``. Answers are yes,
no or unknown: unknown is an answer, never read as no.

>>> text, image = modality("text").iri, modality("image").iri
>>> read_modality("image, text; text") == (frozenset({image, text}), frozenset({text}))
True
>>> read_modality("protein sequence") is None
True
>>> general_purpose(inputs={text}, outputs={text}, compute=None, parameters=7e9)
'yes'
>>> general_purpose(inputs={text}, outputs={text}, compute=5e22, parameters=7e9)  # compute decides first
'no'
>>> general_purpose(inputs=set(), outputs=set(), compute=3e24, parameters=None)  # modality unknown
'unknown'
>>> systemic_risk(3.8e25), systemic_risk(1e25), systemic_risk(None)
('yes', 'no', 'unknown')
>>> placed_before_obligations(released="2024-05", bound=None), placed_before_obligations(released=None, bound=None)
('yes', 'unknown')
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from euaigraph.graph.load import rules
from euaigraph.ingest.base import Triple
from euaigraph.ingest.emit import date_literal, first_day, last_day
from euaigraph.ontology import reference
from euaigraph.ontology.indicators import answers, indicator, indicators, modalities, modality  # noqa: F401 (doctest)
from euaigraph.ontology.namespaces import ID
from euaigraph.ontology.vocab import EAI

#: The three answers (codes from the ontology).
_ANSWER = {code: prop for prop, code in answers().items()}
YES, NO, UNKNOWN = (answers()[p] for p in (EAI.answersYes, EAI.answersNo, EAI.answersUnknown))
#: What the derivation reads, beyond the claims derived.py already gathers.
INPUTS = (EAI.trainingComputeFLOP, EAI.parameterCount, EAI.modality, EAI.huggingFaceId, EAI.openness, EAI.dimension,
          EAI.grade, EAI.codeOfPracticeSignature, EAI.releaseDate, EAI.releasedNoLaterThan)
#: Those whose objects are figures: compared by value (the store writes a number's lexical form its own way).
FIGURES = (EAI.trainingComputeFLOP, EAI.parameterCount)
#: Those whose objects are literals (the derivation reads their lexical form).
LITERAL_INPUTS = (*FIGURES, EAI.modality, EAI.huggingFaceId, EAI.releaseDate, EAI.releasedNoLaterThan)
#: Every predicate the AI Act derivation writes.
DERIVED = (EAI.aiActProfile, EAI.answersYes, EAI.answersNo, EAI.answersUnknown, EAI.preferredTrainingCompute,
           EAI.preferredParameterCount, EAI.inputModality, EAI.outputModality, EAI.codeOfPracticeSignatory,
           EAI.preferredReleaseDate)
_WORDS = re.compile(r"[,\s/+]+")
#: The most closed grade an index gives; any other grade means the thing is published.
_CLOSED_GRADE = reference.grades()[-1].iri
_CLOSED = str(_CLOSED_GRADE)


def read_modality(text: str) -> tuple[frozenset[URIRef], frozenset[URIRef]] | None:
    """(inputs, outputs) of a source's modality text: ``input; output``, or one list for both (a model's type).
    Words are matched without case against the modalities' notations and alternative labels; None when no output
    word is recognised."""
    parts = [p for p in str(text)[:200].lower().split(";")]
    known = {word: m.iri for m in modalities() for word in m.words}

    def words(part: str) -> frozenset[URIRef]:
        return frozenset(known[w] for w in _WORDS.split(part.strip()) if w in known)

    inputs, outputs = (words(parts[0]), words(parts[-1])) if len(parts) > 1 else (words(parts[0]),) * 2
    return (inputs, outputs) if outputs else None


def general_purpose(*, inputs: Iterable[URIRef], outputs: Iterable[URIRef], compute: float | None,
                    parameters: float | None) -> str:
    """Article 3(63) as the Commission's guidelines indicate it (the indicator's definition)."""
    rule = indicator("general-purpose")
    if compute is not None:
        large = compute > rule.compute_threshold
    elif parameters is not None:
        large = parameters >= rule.parameter_threshold
    else:
        large = None
    inputs, by_iri = set(inputs), {m.iri: m for m in modalities()}
    outs = [by_iri[o] for o in outputs if o in by_iri]
    generative = (any(m.language or m.general_from & inputs for m in outs)) if outs else None
    if generative is False or large is False:
        return NO
    return YES if generative and large else UNKNOWN


def systemic_risk(compute: float | None) -> str:
    """Article 51(2): the preferred training compute against the presumption threshold.

    >>> systemic_risk(2.13e25)
    'yes'
    """
    if compute is None:
        return UNKNOWN
    return YES if compute > indicator("systemic-risk").compute_threshold else NO


def published(*, repository: bool, grades: Iterable[URIRef]) -> str:
    """One publication requirement of the exemption: a Hugging Face repository, or an index grade other than the
    most closed, says yes; only closed grades say no; nothing recorded is unknown.

    >>> published(repository=False, grades=[]), published(repository=True, grades=[_CLOSED_GRADE])
    ('unknown', 'yes')
    >>> published(repository=False, grades=[_CLOSED_GRADE])
    'no'
    """
    grades = [str(g) for g in grades]  # terms or their text (the derivation reads text)
    if repository or any(g != _CLOSED for g in grades):
        return YES
    return NO if grades else UNKNOWN


def open_source_exemption(*, licence_class: Node | None, weights: str, architecture: str, usage: str,
                          systemic: str) -> str:
    """Articles 53(2) and 54(6): free and open-source licence, the three things public, not presumed systemic.

    >>> open_licence = indicator("open-source-exemption").licence_class
    >>> open_source_exemption(licence_class=open_licence, weights="yes", architecture="yes", usage="yes", systemic="no")
    'yes'
    >>> open_source_exemption(licence_class=open_licence, weights="yes", architecture="yes", usage="yes",
    ...                       systemic="unknown")
    'unknown'
    """
    required = str(indicator("open-source-exemption").licence_class)
    given = None if licence_class is None else str(licence_class)  # a term or its text
    parts = (weights, architecture, usage)
    if systemic == YES or NO in parts or (given is not None and given != required):
        return NO
    return YES if given == required and all(p == YES for p in parts) and systemic == NO else UNKNOWN


def signatory(providers: Iterable[Node], *, signed: set[Node] | frozenset[Node],
              control: Mapping[Node, Node]) -> Node | None:
    """The organisation whose signature of the Code counts for a model: a provider, else the first organisation
    up a provider's control chain today that signed; None when none did.

    >>> signatory(["lab"], signed={"group"}, control={"lab": "group"}), signatory(["lab"], signed=set(), control={})
    ('group', None)
    """
    for provider in providers:
        seen, org = set(), provider
        while org is not None and org not in seen:
            if org in signed:
                return org
            seen.add(org)
            org = control.get(org)
    return None


def code_of_practice(found: Node | None) -> str:
    return YES if found is not None else UNKNOWN


def placed_before_obligations(*, released: str | None, bound: str | None) -> str:
    """Article 111(3): placed on the market (first released) before the cut-off date. A partial date is before it
    when its last day is, on or after it when its first day is; a dated page showing the model public bounds it.

    >>> placed_before_obligations(released="2025-08", bound=None)  # August 2025 straddles 2 August
    'unknown'
    >>> placed_before_obligations(released="2025-08", bound="2025-08-01"), placed_before_obligations(released="2025-09-30", bound=None)
    ('yes', 'no')
    """
    cut = indicator("placed-before-obligations").cut_off
    if (released is not None and last_day(released) < cut) or (bound is not None and last_day(bound) < cut):
        return YES
    return NO if released is not None and first_day(released) >= cut else UNKNOWN


def bounds_in_order(bounds: Iterable[str]) -> list[str]:
    """Release bounds (dates, possibly partial), the one that decides first: every bound holds, so the one whose
    last day is earliest is the tightest.

    >>> bounds_in_order(["2025", "2025-07-20", "2025-07-20"])
    ['2025-07-20', '2025']
    """
    return sorted({str(b) for b in bounds}, key=lambda b: (last_day(b), b))


# -- materialisation -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Answers:
    """One model's answers, indicator code -> yes | no | unknown (what its shared profile holds)."""

    by_code: tuple[tuple[str, str], ...]

    def iri(self) -> URIRef:
        key = "|".join(f"{c}={a}" for c, a in self.by_code)
        return ID[f"aiact-profile/{hashlib.sha256(key.encode()).hexdigest()[:16]}"]


#: The predicates written once per model, looked up once (a namespace attribute costs a call each time).
_preferredTrainingCompute, _preferredParameterCount = EAI.preferredTrainingCompute, EAI.preferredParameterCount
_inputModality, _outputModality = EAI.inputModality, EAI.outputModality
_codeOfPracticeSignatory, _aiActProfile = EAI.codeOfPracticeSignatory, EAI.aiActProfile
_preferredReleaseDate = EAI.preferredReleaseDate


def _grouped(claims: Iterable[tuple[Node, Node, int]]) -> dict[Node, list[Node]]:
    out: dict[Node, list[Node]] = defaultdict(list)
    for s, o, _ in claims:
        out[s].append(o)
    return out


def _number(value: Node | str | None) -> float | None:
    """A figure's value, from a literal or its lexical form."""
    if value is None:
        return None
    try:
        return float(value.toPython() if isinstance(value, Literal) else value)
    except (TypeError, ValueError):
        return None


def derive(by: Mapping[Node, list[tuple[Node, Node, int]]], *, ancestors: Mapping[Node, set[Node]],
           effective: Mapping[Node, Node], control: Mapping[Node, Node]) -> Iterator[Triple]:
    """The AI Act triples for every model: preferred figures, modalities, signatory, and the link to the shared
    profile holding its answers. ``by`` is the derivation's claims by predicate, ``effective`` the effective licence
    class of each model, ``control`` the control in force today."""
    def claims(predicate: URIRef) -> list[tuple[Node, Node, int]]:
        return by.get(str(predicate), [])  # claims are grouped by the predicate's text

    model_class = str(EAI.AIModel)
    models = sorted({s for s, o, _ in claims(RDF.type) if str(o) == model_class}, key=str)
    compute = rules.preferred(claims(EAI.trainingComputeFLOP))
    params = rules.preferred(claims(EAI.parameterCount))
    modal = {m: read for m, texts in _grouped(claims(EAI.modality)).items()
             if (read := _union(read_modality(str(t)) for t in texts)) is not None}
    repository = {s for s, _, _ in claims(EAI.huggingFaceId)}
    grades = _dimension_grades(claims)
    signed = {org for org, _, _ in claims(EAI.codeOfPracticeSignature)}
    released = {m: str(d) for m, d in rules.preferred(claims(EAI.releaseDate)).items()}
    bound = {m: bounds_in_order(days)[0] for m, days in _grouped(claims(EAI.releasedNoLaterThan)).items()}
    providers = _grouped(claims(EAI.providedBy))
    developers = _grouped(claims(EAI.developedBy))
    profiles: dict[Answers, URIRef] = {}
    doubles: dict[float, Literal] = {}  # many models share a figure; a literal costs more to make than to look up
    evidence = tuple(i.code for i in indicators() if i.evidence_dimensions)
    answered: dict[tuple, Answers] = {}  # models with the same evidence have the same answers
    for model in models:
        own = modal.get(model) or _union(modal.get(a) for a in sorted(ancestors.get(model, ()), key=str))
        inputs, outputs = own or (frozenset(), frozenset())
        flop, size = _number(compute.get(model)), _number(params.get(model))
        for value, predicate in ((flop, _preferredTrainingCompute), (size, _preferredParameterCount)):
            if value is not None:
                literal = doubles.get(value)
                if literal is None:
                    literal = doubles[value] = Literal(value, datatype=XSD.double)
                yield model, predicate, literal
        for node, predicate in ((inputs, _inputModality), (outputs, _outputModality)):
            for m in sorted(node, key=str):
                yield model, predicate, m
        found = signatory(providers.get(model) or developers.get(model) or [], signed=signed, control=control)
        if found is not None:
            yield model, _codeOfPracticeSignatory, found
        day = released.get(model)
        if day is not None and (literal := date_literal(day)) is not None:
            yield model, _preferredReleaseDate, literal
        placed = placed_before_obligations(released=day, bound=bound.get(model))
        key = (inputs, outputs, flop, size, model in repository, effective.get(model), found, placed,
               tuple(tuple(grades.get((model, code), ())) for code in evidence))
        answer = answered.get(key)
        if answer is None:
            answer = answered[key] = _answers(model, inputs, outputs, flop, size, repository, grades,
                                              effective.get(model), found, placed)
        node = profiles.get(answer)
        if node is None:
            node = profiles[answer] = answer.iri()
        yield model, _aiActProfile, node
    for answer, node in profiles.items():
        yield node, RDF.type, EAI.AIActProfile
        yield node, RDFS.label, Literal("; ".join(f"{c}: {a}" for c, a in answer.by_code))
        for code, value in answer.by_code:
            yield node, _ANSWER[value], indicator(code).iri


def _answers(model: Node, inputs, outputs, flop, size, repository: set, grades: dict, licence_class,
             found, placed: str) -> Answers:
    systemic = systemic_risk(flop)
    requirement = {i.code: published(repository=model in repository, grades=grades.get((model, i.code), ()))
                   for i in indicators() if i.evidence_dimensions}
    weights, architecture, usage = (requirement[c] for c in ("weights-public", "architecture-public",
                                                             "usage-information-public"))
    by_code = {"general-purpose": general_purpose(inputs=inputs, outputs=outputs, compute=flop, parameters=size),
               "systemic-risk": systemic,
               "open-source-exemption": open_source_exemption(licence_class=licence_class, weights=weights,
                                                              architecture=architecture, usage=usage,
                                                              systemic=systemic),
               **requirement, "code-of-practice": code_of_practice(found), "placed-before-obligations": placed}
    return Answers(tuple((i.code, by_code[i.code]) for i in indicators()))


def _union(reads: Iterable[tuple[frozenset, frozenset] | None]) -> tuple[frozenset, frozenset] | None:
    found = [r for r in reads if r is not None]
    if not found:
        return None
    return frozenset().union(*(r[0] for r in found)), frozenset().union(*(r[1] for r in found))


def _dimension_grades(claims) -> dict[tuple[Node, str], list[Node]]:
    """(model, requirement code) -> the grades indexes give the requirement's evidence dimensions."""
    dimension = {a: d for a, d, _ in claims(EAI.dimension)}
    grade = {a: g for a, g, _ in claims(EAI.grade)}
    wanted = {dim: i.code for i in indicators() for dim in i.evidence_dimensions}
    out: dict[tuple[Node, str], list[Node]] = defaultdict(list)
    for model, assessment, _ in claims(EAI.openness):
        code = wanted.get(reference.dimension_code(str(dimension.get(assessment, ""))))
        if code is not None and assessment in grade:
            out[(model, code)].append(grade[assessment])
    return out


__all__ = ["DERIVED", "INPUTS", "NO", "UNKNOWN", "YES", "bounds_in_order", "code_of_practice", "derive", "general_purpose",
           "open_source_exemption", "placed_before_obligations", "published", "read_modality", "signatory",
           "systemic_risk"]
