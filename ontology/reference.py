"""The rules the ontology defines as reference data, read from ``euaigraph.ttl``: the one home of each.

Kinds of entity, relations (their codes, groups and whether what-if follows them), licence openness classes and
openness grades are written once, in the ontology (decisions/0011-one-home-per-rule.md). The same file is
loaded into the graph, so saved questions join the codes and labels there; Python reads them here. No module
keeps a hand-written copy: ``tests/test_one_home.py`` fails when one appears.

>>> [c.code for c in licence_classes()]
['open', 'open-restricted', 'non-commercial', 'closed']
>>> [c.code for c in licence_classes() if c.counts_as_open]
['open', 'open-restricted']
>>> kind_of(EAI.AIModel), relation("fineTunedFrom").code, relation("fineTunedFrom").group
('model', 'fine-tune', 'lineage')
>>> len(lineage_properties()), EAI.fineTunedFrom in lineage_properties(), EAI.usesTokenizerOf in lineage_properties()
(7, True, False)
>>> [r.name for r in relations(group="lineage")][:3]
['adapterOf', 'continuedPretrainingOf', 'dependsOn']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from . import ontology_path
from .namespaces import EAI_NS as EAI


@dataclass(frozen=True)
class Concept:
    """A concept of a scheme: its IRI, its code (skos:notation), its English label and its rank in the scheme."""

    iri: URIRef
    code: str
    label: str
    rank: int
    counts_as_open: bool = False

    @property
    def name(self) -> str:
        return str(self.iri).rsplit("#", 1)[-1]


@dataclass(frozen=True)
class Relation:
    """A property between entities: its code, English label, group and whether it is a dependency."""

    iri: URIRef
    code: str
    label: str
    group: str
    dependency: bool
    #: How many properties it specialises (fine-tune: 2, derived from: 1): an edge stated with both keeps the
    #: more specific.
    depth: int = 0

    @property
    def name(self) -> str:
        return str(self.iri).rsplit("#", 1)[-1]


@cache
def ontology() -> Graph:
    """The ontology graph (parsed once per process)."""
    return Graph().parse(ontology_path(), format="turtle")


def _english(g: Graph, node: URIRef, *predicates: URIRef) -> str:
    for predicate in predicates:
        labels = list(g.objects(node, predicate))
        for label in labels:
            if isinstance(label, Literal) and label.language in (None, "en"):
                return str(label)
    return str(node).rsplit("#", 1)[-1]


def _scheme(scheme: URIRef) -> tuple[Concept, ...]:
    g = ontology()
    concepts = [Concept(iri=node, code=str(g.value(node, SKOS.notation)), label=_english(g, node, SKOS.prefLabel),
                        rank=int(g.value(node, EAI.rank) or 0),
                        counts_as_open=bool(g.value(node, EAI.countsAsOpen) is not None
                                            and g.value(node, EAI.countsAsOpen).toPython() is True))
                for node in g.subjects(SKOS.inScheme, scheme)]
    return tuple(sorted(concepts, key=lambda c: (c.rank, c.code)))


@cache
def licence_classes() -> tuple[Concept, ...]:
    """The licence openness classes, most open first."""
    return _scheme(EAI.OpennessClassScheme)


@cache
def grades() -> tuple[Concept, ...]:
    """The openness grades an index gives a dimension (open, partial, closed)."""
    return _scheme(EAI.OpennessGradeScheme)


@cache
def openness_aspects() -> dict[str, str]:
    """Dimension code (the last path segment of its IRI, lower case) -> the aspect it grades (``weights`` or ``data``).

    >>> openness_aspects()["datasources_endmodel"], openness_aspects()["model-parameters-final"]
    ('data', 'weights')
    >>> "datasheet" in openness_aspects()
    False
    """
    g = ontology()
    return {str(code).lower(): str(g.value(aspect, SKOS.notation))
            for aspect in g.subjects(SKOS.inScheme, EAI.OpennessAspectScheme)
            for code in g.objects(aspect, EAI.aspectDimension)}


def dimension_code(dimension: str) -> str:
    """The code of a dimension IRI: its last path segment, lower case.

    >>> dimension_code("https://w3id.org/euaigraph/id/concept/osai-index/DataSources_EndModel")
    'datasources_endmodel'
    """
    return dimension.rsplit("/", 1)[-1].rsplit("#", 1)[-1].lower()


@cache
def relation_groups() -> tuple[Concept, ...]:
    return _scheme(EAI.RelationGroupScheme)


@cache
def _relations() -> tuple[Relation, ...]:
    g = ontology()
    groups = {c.iri: c.code for c in relation_groups()}
    out = [Relation(iri=node, code=str(code), label=_english(g, node, RDFS.label),
                    group=groups[g.value(node, EAI.relationGroup)],
                    dependency=g.value(node, EAI.dependency) is not None and g.value(node, EAI.dependency).toPython() is True,
                    depth=len(set(g.transitive_objects(node, RDFS.subPropertyOf))) - 1)
           for node, code in g.subject_objects(EAI.code) if g.value(node, EAI.relationGroup) is not None]
    return tuple(sorted(out, key=lambda r: (r.group, r.name)))


def relations(*, group: str | None = None, dependency: bool | None = None) -> tuple[Relation, ...]:
    """Every relation with a code, optionally only one group's or only dependencies (sorted by group, name)."""
    return tuple(r for r in _relations() if (group is None or r.group == group)
                 and (dependency is None or r.dependency == dependency))


def relation(name_or_code: str) -> Relation:
    """A relation by its local name (``fineTunedFrom``) or its code (``fine-tune``). Raises KeyError."""
    for r in _relations():
        if name_or_code in (r.name, r.code):
            return r
    raise KeyError(f"no relation {name_or_code!r}")


@cache
def standings() -> dict[URIRef, str]:
    """The standing properties of a jurisdiction profile (seat and control) -> their code (inside, ...)."""
    g = ontology()
    props = (EAI.insideBloc, EAI.outsideBloc, EAI.blocUnknown, EAI.controlInsideBloc, EAI.controlOutsideBloc,
             EAI.controlUnknown)
    return {p: str(g.value(p, EAI.code)) for p in props}


@cache
def lineage_properties() -> tuple[URIRef, ...]:
    """eai:derivedFrom and its sub-properties (fine-tune, merge, ...): what the lineage closure follows."""
    return tuple(sorted(set(ontology().transitive_subjects(RDFS.subPropertyOf, EAI.derivedFrom))))


@cache
def kinds() -> dict[URIRef, str]:
    """Class IRI -> kind code, for every class with a code (subclasses of a coded class take its code)."""
    g = ontology()
    coded = {node: str(code) for node, code in g.subject_objects(EAI.code) if (node, RDF.type, _OWL_CLASS) in g}
    out = dict(coded)
    for cls in g.subjects(RDF.type, _OWL_CLASS):
        if cls not in out:
            for parent in g.transitive_objects(cls, RDFS.subClassOf):
                if parent in coded:
                    out[cls] = coded[parent]
                    break
    return out


def kind_of(cls: URIRef | str) -> str | None:
    """The kind code of a class IRI, or None for classes that are not kinds of entity."""
    return kinds().get(URIRef(str(cls)))


_OWL_CLASS = URIRef("http://www.w3.org/2002/07/owl#Class")

__all__ = ["Concept", "Relation", "dimension_code", "grades", "kind_of", "kinds", "licence_classes", "lineage_properties", "ontology", "openness_aspects", "relation",
           "relation_groups", "relations", "standings"]
