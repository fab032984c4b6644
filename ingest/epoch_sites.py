"""Epoch AI's GPU clusters and data centres as compute facilities (used by :mod:`euaigraph.ingest.sources.epoch_ai`).

A row is the curated facility its name is a reviewed alias of, else a facility of this source scoped to its first
owner. Rows Epoch anonymises ("Anonymized Chinese System") are each a facility of their own, keyed by their
content: a withheld name says nothing about which system it is. The data-centre table tags owners and users with
Epoch's confidence; speculative ones are not written, and are counted in a note.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .base import Report, Triple
from .curated import records
from .emit import date_literal, integer
from .epoch_read import SOURCE_ID, TABLES, ParseState, names, number, tagged
from .evidence import FeedNames, Identified, identify
from .identity import country_id, developer_key, entity, org_id, org_node
from .model_names import is_anonymised
from .normalise import fold

FACILITY_CLASS = {"supercomputer": EAI.Supercomputer, "ai-factory": EAI.AIFactory, "gpu-cluster": EAI.GPUCluster,
                  "cloud-region": EAI.CloudRegion}
#: Supplier values in the clusters table that name no company.
_NO_SUPPLIER = {"", "unknown", "anonymized"}


def facility(kind: str, here: str, row: dict[str, str], facility_names: FeedNames, anonymous: Counter[str],
             state: ParseState) -> Identified:
    """The facility a cluster or data-centre row describes."""
    name = row[TABLES[kind].name_column].strip()
    if is_anonymised(name):  # each anonymised row is another system: keyed by its content, never by its name
        digest = hashlib.sha256("\x1f".join(row.values()).encode()).hexdigest()[:12]
        anonymous[digest] += 1
        suffix = f"-{anonymous[digest]}" if anonymous[digest] > 1 else ""
        return Identified(iri.facility_iri(f"{SOURCE_ID}/anonymised/{digest}{suffix}"), False, key=name)
    owners = [o for o, tag in tagged(row.get("Owner", "")) if tag != "speculative"]
    refusals: list = []
    found = identify("facilities", name, source_id=SOURCE_ID, stated=frozenset(filter(None, map(org_id, owners))),
                     developer=developer_key(owners[0]) if owners else None, names=facility_names,
                     refusals=refusals)
    state.refused += [r.text(here) for r in refusals]
    if not found.curated:
        state.later.append((name, "facility", here))
    return found


def _facility_type(found: Identified, label: str, klass: URIRef) -> Iterator[Triple]:
    yield found.node, RDF.type, EAI.ComputeFacility
    if found.curated:
        kind = next((r.get("kind") for r in records("compute") if iri.facility_iri(r["id"]) == found.node), None)
        yield found.node, RDF.type, FACILITY_CLASS.get(kind, EAI.ComputeFacility)
    else:
        yield from entity(found.node, klass, label, False)


def cluster(found: Identified, here: str, row: dict[str, str], vendors: dict[str, str], state: ParseState
            ) -> Iterator[Triple]:
    node = found.node
    yield from _facility_type(found, row["Name"].strip(), EAI.GPUCluster)
    if is_anonymised(row["Name"]):
        yield node, EAI.note, Literal("anonymised in the source: every such row is a different system")
    country = row.get("Country", "").strip()
    code = country_id(country) if country else None
    if code:
        yield node, EAI.jurisdiction, iri.country_iri(code)
    elif country:
        state.report.unresolved_name(country, "country", here)
    for owner in names(row.get("Owner", "")):
        org, triples = org_node(owner, source_id=SOURCE_ID, report=state.report, where=here)
        yield from triples
        yield node, EAI.operatedBy, org
    yield from _accelerator(node, row, vendors, here, state.report)
    stamp = date_literal(row.get("First Operational Date", ""))
    if stamp is not None:
        yield node, EAI.operationalSince, stamp
    if row.get("Status", "").strip():
        yield node, EAI.status, Literal(row["Status"].strip())


def data_centre(found: Identified, here: str, row: dict[str, str], _vendors: dict[str, str], state: ParseState
                ) -> Iterator[Triple]:
    yield from _facility_type(found, row.get("Title", "").strip() or row["Handle"].strip(), EAI.ComputeFacility)
    for owner, tag in tagged(row.get("Owner", "")):
        if tag == "speculative":
            state.speculative += 1
            continue
        org, triples = org_node(owner, source_id=SOURCE_ID, report=state.report, where=here)
        yield from triples
        yield found.node, EAI.operatedBy, org


def _accelerator(node: URIRef, row: dict[str, str], vendors: dict[str, str], here: str, report: Report
                 ) -> Iterator[Triple]:
    chip = row.get("Chip type (primary)", "").strip()
    if not chip:
        return
    yield node, EAI.accelerator, Literal(chip)
    quantity = number(row.get("Chip quantity (primary)", ""))
    if quantity is not None and quantity == int(quantity):
        yield node, EAI.acceleratorCount, integer(quantity)
    # The hardware table names the manufacturer; the row's own supplier column is the fallback.
    supplier = row.get("GPU Supplier (primary)", "").strip()
    vendor = vendors.get(fold(chip)) or (supplier if fold(supplier) not in _NO_SUPPLIER else None)
    if vendor:
        org, triples = org_node(vendor, source_id=SOURCE_ID, report=report, where=here)
        yield from triples
        yield node, EAI.acceleratorVendor, org
