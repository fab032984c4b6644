"""SHACL validation of the whole graph (pyshacl), with the ontology mixed in so subclasses count.

Violations mean wrong data and fail ``euaigraph validate``; warnings mean incomplete data and fail only with
``--strict`` (see ``ontology/shapes.ttl``). Besides the shapes, every named graph in the store must be the
current graph of a source described in the meta graph.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

import pyshacl
from rdflib import Dataset, Graph
from rdflib.namespace import RDF
from rdflib.namespace import SH

from euaigraph.ontology import ontology_path, shapes_path
from euaigraph.ontology.namespaces import META_GRAPH

from euaigraph.graph.store.base import Store


@dataclass(frozen=True)
class Finding:
    severity: str  # Violation | Warning | Info
    focus: str
    path: str
    message: str
    shape: str


@dataclass
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    quads: int = 0

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    def ok(self, *, strict: bool = False) -> bool:
        return not self.violations and not (strict and self.warnings)

    def summary(self) -> Counter:
        return Counter((f.severity, f.message) for f in self.findings)


def load_union(store: Store) -> tuple[Graph, Dataset]:
    """The store's dataset as an rdflib Dataset and the union of its graphs."""
    buffer = io.BytesIO()
    store.export(buffer, format="nquads")
    dataset = Dataset()
    dataset.parse(data=buffer.getvalue(), format="nquads")
    union = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union, dataset


def validate_graph(data: Graph) -> list[Finding]:
    """Run the shapes over one rdflib graph (the ontology is mixed in; no inference beyond that)."""
    shapes = Graph().parse(shapes_path(), format="turtle")
    ontology = Graph().parse(ontology_path(), format="turtle")
    combined = Graph()
    for triple in data:
        combined.add(triple)
    for triple in ontology:  # the ontology's subclass axioms and concept individuals count as data
        combined.add(triple)
    _conforms, results, _text = pyshacl.validate(
        combined, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        findings.append(Finding(
            severity=severity,
            focus=str(results.value(result, SH.focusNode)),
            path=str(results.value(result, SH.resultPath) or ""),
            message=str(results.value(result, SH.resultMessage) or ""),
            shape=str(results.value(result, SH.sourceShape) or ""),
        ))
    return sorted(findings, key=lambda f: (f.severity, f.message, f.focus))


def validate_store(store: Store) -> ValidationReport:
    union, dataset = load_union(store)
    report = ValidationReport(findings=validate_graph(union), quads=len(dataset))
    current = set(store.current_graphs().values())
    for name in store.graph_names():  # on a remote store, also graphs the export leaves out (no pointer names them)
        if name != str(META_GRAPH) and name not in current:
            report.findings.append(Finding("Violation", name, "", "named graph without provenance: no source "
                                           "points to it as its current graph", "meta"))
    return report
