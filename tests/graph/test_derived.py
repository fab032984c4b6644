"""The derived graph on small hand-made inputs whose answers are known: lineage closure, preferred values,
control in force on a day, the controlling country through a chain, and bloc membership on a day."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib import namespace as ns

from euaigraph.graph.load.derived import Inputs, closure, compute
from euaigraph.ontology.iri import bloc_iri, country_iri, model_iri, node_iri, org_iri
from euaigraph.ontology.vocab import EAI

TODAY = date(2025, 6, 1)


def derived(claims, *, today: date = TODAY) -> set[tuple]:
    inputs = Inputs()
    for claim in claims:
        inputs.add(*claim)
    return set(compute(inputs, today=today))


def objects(triples: set[tuple], subject, predicate) -> set:
    return {o for s, p, o in triples if s == subject and p == predicate}


def d(text: str) -> Literal:
    datatype = {10: ns.XSD.date, 7: ns.XSD.gYearMonth, 4: ns.XSD.gYear}[len(text)]
    return Literal(text, datatype=datatype)


# -- lineage ------------------------------------------------------------------------------------------------
A, B, C, X, Y, Z = (model_iri(f"test/{name}") for name in "abcxyz")


def test_ancestor_closure_follows_every_lineage_property():
    out = derived([(B, EAI.derivedFrom, A, 1), (C, EAI.fineTunedFrom, B, 1), (Z, EAI.quantisedFrom, C, 3)])
    ancestors = {(s, o) for s, p, o in out if p == EAI.hasAncestor}
    assert ancestors == {(B, A), (C, B), (C, A), (Z, C), (Z, B), (Z, A)}


def test_a_lineage_cycle_does_not_loop():
    out = derived([(X, EAI.derivedFrom, Y, 1), (Y, EAI.mergedFrom, X, 1), (Z, EAI.adapterOf, X, 1)])
    assert {(X, Y), (Y, X)} <= {(s, o) for s, p, o in out if p == EAI.hasAncestor}
    assert objects(out, Z, EAI.hasAncestor) == {X, Y}


def test_a_model_is_not_its_own_ancestor_by_a_self_claim():
    assert objects(derived([(A, EAI.derivedFrom, A, 1)]), A, EAI.hasAncestor) == set()


# -- preferred values ---------------------------------------------------------------------------------------
ORG1, ORG2, ORG3 = org_iri("one"), org_iri("two"), org_iri("three")
FRA, USA, DEU, AUT, BEL, NLD, FIN, SWE, GBR = (
    country_iri(c) for c in ("FRA", "USA", "DEU", "AUT", "BEL", "NLD", "FIN", "SWE", "GBR"))


def test_preferred_jurisdiction_by_priority_then_support_then_iri():
    out = derived([
        (ORG1, EAI.jurisdiction, FRA, 4), (ORG1, EAI.jurisdiction, FRA, 4), (ORG1, EAI.jurisdiction, USA, 1),
        (ORG2, EAI.jurisdiction, DEU, 3), (ORG2, EAI.jurisdiction, AUT, 3), (ORG2, EAI.jurisdiction, DEU, 3),
        (ORG2, EAI.jurisdiction, FRA, 4), (ORG2, EAI.jurisdiction, FRA, 4), (ORG2, EAI.jurisdiction, FRA, 4),
        (ORG3, EAI.jurisdiction, NLD, 2), (ORG3, EAI.jurisdiction, BEL, 2),
    ])
    assert objects(out, ORG1, EAI.preferredJurisdiction) == {USA}  # priority beats support
    assert objects(out, ORG2, EAI.preferredJurisdiction) == {DEU}  # then support among the best priority
    assert objects(out, ORG3, EAI.preferredJurisdiction) == {BEL}  # then the smallest IRI


def test_preferred_licence_considers_licence_and_weights_licence():
    apache, llama = (URIRef(f"http://spdx.org/licenses/{x}") for x in ("Apache-2.0", "MIT"))
    out = derived([(A, EAI.licence, apache, 3), (A, EAI.weightsLicence, llama, 1), (B, EAI.licence, apache, 4)])
    assert objects(out, A, EAI.preferredLicence) == {llama}
    assert objects(out, B, EAI.preferredLicence) == {apache}


# -- control ------------------------------------------------------------------------------------------------
def control(org, controller, start=None, end=None, *, key=None, priority=1):
    node = node_iri("control", str(org), str(controller), key or str(start))
    claims = [(org, EAI.control, node, priority), (node, EAI.controller, controller, priority)]
    if start:
        claims.append((node, EAI.startDate, d(start), priority))
    if end:
        claims.append((node, EAI.endDate, d(end), priority))
    return claims


SUB, PARENT, OLD, FUTURE, LATER = (org_iri(k) for k in ("sub", "parent", "old-owner", "future", "later-owner"))


def test_control_in_force_today_only():
    claims = [*control(SUB, PARENT, "2024-08-12"), *control(SUB, OLD, "2019-01-01", "2024-08-11"),
              *control(FUTURE, LATER, "2030-01-01")]
    out = derived(claims)
    assert objects(out, SUB, EAI.controlledBy) == {PARENT}
    assert objects(out, FUTURE, EAI.controlledBy) == set()
    before = derived(claims, today=date(2022, 1, 1))
    assert objects(before, SUB, EAI.controlledBy) == {OLD}
    assert objects(derived(claims, today=date(2030, 1, 1)), FUTURE, EAI.controlledBy) == {LATER}


@pytest.mark.parametrize(("today", "in_force"), [
    (date(2022, 12, 31), False), (date(2023, 1, 1), True), (date(2023, 6, 30), True), (date(2023, 7, 1), False)])
def test_partial_dates_cover_their_whole_year_or_month(today, in_force):
    out = derived(control(SUB, PARENT, "2023", "2023-06"), today=today)
    assert (objects(out, SUB, EAI.controlledBy) == {PARENT}) is in_force


def test_controlling_country_follows_two_levels():
    claims = [(SUB, EAI.jurisdiction, FIN, 1), (PARENT, EAI.jurisdiction, SWE, 1), (OLD, EAI.jurisdiction, USA, 1),
              (ORG1, EAI.jurisdiction, DEU, 1),
              *control(SUB, PARENT, "2020-01-01"), *control(PARENT, OLD, "2021-01-01")]
    out = derived(claims)
    assert objects(out, SUB, EAI.controllingCountry) == {USA}
    assert objects(out, PARENT, EAI.controllingCountry) == {USA}
    assert objects(out, OLD, EAI.controllingCountry) == {USA}
    assert objects(out, ORG1, EAI.controllingCountry) == {DEU}  # not controlled: its own country
    # before the second level existed, the chain stops at the parent
    assert objects(derived(claims, today=date(2020, 6, 1)), SUB, EAI.controllingCountry) == {SWE}


def test_a_control_cycle_does_not_loop():
    claims = [(SUB, EAI.jurisdiction, FIN, 1), (PARENT, EAI.jurisdiction, SWE, 1),
              *control(SUB, PARENT, "2020-01-01"), *control(PARENT, SUB, "2020-01-01")]
    out = derived(claims)
    assert len(objects(out, SUB, EAI.controllingCountry)) == 1
    assert len(objects(out, PARENT, EAI.controllingCountry)) == 1


# -- blocs --------------------------------------------------------------------------------------------------
EU = bloc_iri("eu")


def membership(country, code, start, end=None):
    node = node_iri("membership", code, "eu", start)
    claims = [(country, EAI.membership, node, 1), (node, EAI.bloc, EU, 1), (node, EAI.startDate, d(start), 1)]
    if end:
        claims.append((node, EAI.endDate, d(end), 1))
    return claims


@pytest.mark.parametrize(("today", "uk_in_eu"), [
    (date(1972, 12, 31), False), (date(1973, 1, 1), True), (date(2020, 1, 31), True), (date(2020, 2, 1), False)])
def test_the_uk_is_in_the_eu_until_2020_01_31(today, uk_in_eu):
    claims = [*membership(GBR, "GBR", "1973-01-01", "2020-01-31"), *membership(FIN, "FIN", "1995-01-01")]
    out = derived(claims, today=today)
    assert (objects(out, GBR, EAI.inBlocToday) == {EU}) is uk_in_eu
    assert (objects(out, FIN, EAI.inBlocToday) == {EU}) is (today >= date(1995, 1, 1))


# -- lineage outside a bloc ---------------------------------------------------------------------------------
def test_a_model_has_an_ancestor_outside_the_bloc_through_any_depth_and_only_when_the_country_is_known():
    us_lab, fr_lab, unknown = org_iri("us-lab"), org_iri("fr-lab"), org_iri("no-seat")
    claims = [*membership(FRA, "FRA", "1958-01-01"), *membership(GBR, "GBR", "1973-01-01", "2020-01-31"),
              (us_lab, EAI.jurisdiction, USA, 1), (fr_lab, EAI.jurisdiction, FRA, 1),
              (A, EAI.providedBy, us_lab, 1), (B, EAI.providedBy, fr_lab, 1), (C, EAI.providedBy, fr_lab, 1),
              (X, EAI.providedBy, unknown, 1), (Y, EAI.providedBy, fr_lab, 1), (Z, EAI.providedBy, fr_lab, 1),
              (B, EAI.fineTunedFrom, A, 1), (C, EAI.derivedFrom, B, 1),  # C reaches the US model through B
              (Y, EAI.derivedFrom, X, 1),  # X's provider has no known seat: not counted as outside
              (Z, EAI.derivedFrom, C, 1), (Z, EAI.derivedFrom, Y, 1)]
    out = derived(claims)
    flagged = {s for s, p, o in out if p == EAI.hasAncestorOutsideBloc and o == EU}
    assert flagged == {B, C, Z}
    assert objects(out, A, EAI.hasAncestorOutsideBloc) == set()  # the upstream model itself has no ancestor


def test_an_ancestor_in_a_country_that_left_the_bloc_is_outside_it():
    uk_lab, fr_lab = org_iri("uk-lab"), org_iri("fr-lab")
    claims = [*membership(FRA, "FRA", "1958-01-01"), *membership(GBR, "GBR", "1973-01-01", "2020-01-31"),
              (uk_lab, EAI.jurisdiction, GBR, 1), (fr_lab, EAI.jurisdiction, FRA, 1),
              (A, EAI.providedBy, uk_lab, 1), (B, EAI.providedBy, fr_lab, 1), (B, EAI.derivedFrom, A, 1)]
    assert objects(derived(claims, today=date(2019, 6, 1)), B, EAI.hasAncestorOutsideBloc) == set()
    assert objects(derived(claims, today=date(2020, 6, 1)), B, EAI.hasAncestorOutsideBloc) == {EU}


# -- the closure against networkx's reachability, on random lineage (with and without cycles) ----------------
@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 25), st.integers(0, 25)), max_size=80))
def test_the_closure_is_what_every_node_reaches(edges):
    edges = [(a, b) for a, b in edges if a != b]  # the derivation drops self-claims before the closure
    g = nx.DiGraph(edges)
    expected = {n: nx.descendants(g, n) - {n} for n in g if g.out_degree(n)}
    assert {n: set(above) for n, above in closure(edges).items()} == expected
