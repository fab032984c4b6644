"""The AI Act indicators' reference data, read from ``euaigraph.ttl``: the one home of their thresholds, the
requirements of the open-source exemption, the modalities and the answers (decisions/0014-ai-act-indicators.md).

The rules that apply them are in :mod:`euaigraph.graph.load.aiact`; saved questions join the same terms in the
graph (the ontology is loaded as a source).

>>> [i.code for i in indicators()][:3]
['general-purpose', 'systemic-risk', 'open-source-exemption']
>>> indicator("systemic-risk").compute_threshold
1e+25
>>> indicator("placed-before-obligations").cut_off
'2025-08-02'
>>> sorted(answers().values())
['no', 'unknown', 'yes']
>>> [m.code for m in modalities() if m.language]
['text', 'audio']
>>> "language" in modality("text").words
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from .namespaces import EAI_NS as EAI
from .reference import ontology


@dataclass(frozen=True)
class Indicator:
    """One AI Act indicator: its code, English label, rule (definition) and the reference data the rule reads."""

    iri: URIRef
    code: str
    label: str
    definition: str
    rank: int
    compute_threshold: float | None = None
    parameter_threshold: float | None = None
    licence_class: URIRef | None = None
    evidence_dimensions: frozenset[str] = frozenset()
    broader: URIRef | None = None
    #: The day the indicator compares a model's release with (ISO date).
    cut_off: str | None = None


@dataclass(frozen=True)
class Modality:
    """A modality: its code, the words sources use for it (lowercase) and what generating it means."""

    iri: URIRef
    code: str
    words: frozenset[str]
    #: Generating it counts from any input (language: text or audio).
    language: bool
    #: Generating it counts from these inputs only (images or video from text).
    general_from: frozenset[URIRef] = frozenset()


def _english(values) -> str:
    texts = sorted(str(v) for v in values if isinstance(v, Literal) and v.language in (None, "en"))
    return texts[0] if texts else ""


def _number(node: URIRef, predicate: URIRef) -> float | None:
    value = ontology().value(node, predicate)
    return float(value.toPython()) if value is not None else None


def _text(node: URIRef, predicate: URIRef) -> str | None:
    value = ontology().value(node, predicate)
    return str(value) if value is not None else None


def _true(node: URIRef, predicate: URIRef) -> bool:
    value = ontology().value(node, predicate)
    return value is not None and value.toPython() is True


@cache
def indicators() -> tuple[Indicator, ...]:
    """Every indicator, in the order of its rank."""
    g = ontology()
    out = [Indicator(iri=node, code=str(g.value(node, SKOS.notation)), label=_english(g.objects(node, SKOS.prefLabel)),
                     definition=_english(g.objects(node, SKOS.definition)), rank=int(g.value(node, EAI.rank) or 0),
                     compute_threshold=_number(node, EAI.computeThreshold),
                     parameter_threshold=_number(node, EAI.parameterThreshold),
                     licence_class=g.value(node, EAI.requiresLicenceClass),
                     evidence_dimensions=frozenset(str(v) for v in g.objects(node, EAI.evidenceDimension)),
                     broader=g.value(node, SKOS.broader),
                     cut_off=_text(node, EAI.cutOffDate))
           for node in g.subjects(SKOS.inScheme, EAI.AIActIndicatorScheme)]
    return tuple(sorted(out, key=lambda i: (i.rank, i.code)))


def indicator(code: str) -> Indicator:
    """An indicator by its code. Raises KeyError."""
    for item in indicators():
        if item.code == code:
            return item
    raise KeyError(f"no AI Act indicator {code!r}")


@cache
def answers() -> dict[URIRef, str]:
    """The answer properties (from a profile to an indicator) -> their codes (yes, no, unknown)."""
    g = ontology()
    return {p: str(g.value(p, EAI.code)) for p in (EAI.answersYes, EAI.answersNo, EAI.answersUnknown)}


@cache
def scope_note(language: str = "en") -> str:
    """What every indicator is labelled with: indicative, not a legal assessment (in ``language``, else English)."""
    notes = {getattr(v, "language", None): str(v) for v in ontology().objects(EAI.AIActIndicatorScheme, SKOS.scopeNote)}
    return notes.get(language) or notes["en"]


@cache
def modalities() -> tuple[Modality, ...]:
    """The modalities the general-purpose rule reads, in the order of their rank."""
    g = ontology()
    out = []
    for node in g.subjects(SKOS.inScheme, EAI.ModalityScheme):
        code = str(g.value(node, SKOS.notation))
        words = {code.lower()} | {str(w).lower() for w in g.objects(node, SKOS.altLabel)}
        out.append((int(g.value(node, EAI.rank) or 0), Modality(iri=node, code=code, words=frozenset(words),
                                                               language=_true(node, EAI.languageModality),
                                                               general_from=frozenset(
                                                                   g.objects(node, EAI.generalWhenGeneratedFrom)))))
    return tuple(m for _, m in sorted(out, key=lambda x: (x[0], x[1].code)))


def modality(code: str) -> Modality:
    """A modality by its code. Raises KeyError."""
    for item in modalities():
        if item.code == code:
            return item
    raise KeyError(f"no modality {code!r}")


@cache
def chapters() -> dict[str, URIRef]:
    """The chapters of the General-Purpose AI Code of Practice: code -> concept, in the order of their rank.

    >>> list(chapters())[0]
    'transparency'
    """
    g = ontology()
    found = sorted((int(g.value(n, EAI.rank) or 0), str(g.value(n, SKOS.notation)), n)
                   for n in g.subjects(SKOS.inScheme, EAI.CodeOfPracticeChapterScheme))
    return {code: node for _, code, node in found}


__all__ = ["Indicator", "Modality", "answers", "chapters", "indicator", "indicators", "modalities", "modality",
           "scope_note"]
