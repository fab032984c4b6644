"""Saved-query parameters: a value like ``DE" } ; DROP ALL ; #`` or an IRI-breaking ``x> } ; DROP ALL ; #`` is
bound as one RDF term (it comes back unchanged as the query's answer) or refused with SavedQueryError/QueryRefused —
never run as SPARQL. Checked on both backends through ``run_saved``; the dataset stays byte-identical.
"""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from euaigraph.graph.query.run import QueryRefused, bind, run_query, run_saved
from euaigraph.graph.query.saved import SavedQueryError, parse_saved
from euaigraph.ontology import iri

from .support import dataset_hash

HOSTILE = [
    'DE" } ; DROP ALL ; #',
    "DE' } ; DROP ALL ; #",
    'DE""" } ; DROP ALL ; #',
    "x> } ; DROP ALL ; #",
    "DE\n} ; DELETE WHERE { ?s ?p ?o } ; #",
    "DE\\\" } ; CLEAR ALL ; #",
    "\\u0022 } ; DROP ALL ; #",
    "DE } } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #",
    "?c } ; DROP ALL",
]
IDS = ["double-quote", "single-quote", "triple-quote", "iri-close", "newline", "backslash-quote", "unicode-escape",
       "service", "variable"]


def saved(kind: str):
    """A saved question that answers with its one parameter, so the bound term can be read back."""
    return parse_saved(f"security/echo-{kind}",
                       f"#+ summary: Echo a {kind}\n#+ params:\n#+   - {{name: value, type: {kind}}}\n"
                       "SELECT ?value WHERE { }\n")


def expected_term(kind: str, value: str):
    """The one term a safe binding can produce for this value, or None where the value must be refused."""
    if kind == "string":
        return Literal(value)
    if kind == "model":
        return iri.model_iri(value)
    if kind == "organisation":
        return iri.org_iri(value)
    return None  # iri, licence, country, language: the value is not a valid one of these


@pytest.mark.remote
@pytest.mark.parametrize("kind", ["string", "model", "organisation", "iri", "licence", "country", "language"])
@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_hostile_parameter_value_is_one_term_or_refused_and_store_unchanged(loaded, kind, value):
    """Input: a hostile value for a parameter of each type, through run_saved on both backends.
    Expected: either the answer is exactly the one term (a literal or a minted IRI) — proving nothing of the value
    was parsed as SPARQL — or SavedQueryError; the dataset is byte-identical either way."""
    before = dataset_hash(loaded.store)
    expected = expected_term(kind, value)
    if expected is None:
        with pytest.raises(SavedQueryError):
            run_saved(loaded.workers, saved(kind), {"value": value}, timeout_s=10)
    else:
        result = run_saved(loaded.workers, saved(kind), {"value": value}, timeout_s=10)
        assert result.rows == [(expected,)]
    assert dataset_hash(loaded.store) == before


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_bind_keeps_a_hostile_literal_inside_one_values_term(value):
    """Input: bind() of a hostile literal. Expected: the bound text is the query with one VALUES block added, and
    an engine running it answers with the value, unchanged."""
    import pyoxigraph as ox

    bound = bind("SELECT ?c WHERE { OPTIONAL { ?m ?p ?c } }", {"c": Literal(value)})
    assert bound.startswith("SELECT ?c WHERE { VALUES ?c {") and bound.endswith(" OPTIONAL { ?m ?p ?c } }")
    answers = [solution["c"].value for solution in ox.Store().query(bound)]
    assert answers == [value]


@pytest.mark.parametrize("value", ["x> } ; DROP ALL ; #", "http://a b", 'http://a"b', "http://a{b}", "http://a\\b"],
                         ids=["close-bracket", "space", "quote", "braces", "backslash"])
def test_bind_refuses_an_iri_that_could_break_out(value):
    """Input: an IRI term carrying a character SPARQL forbids inside <...>. Expected: QueryRefused (not a crash,
    not a query with the IRI pasted in)."""
    with pytest.raises(QueryRefused):
        bind("SELECT ?c WHERE { ?m ?p ?c }", {"c": URIRef(value)})


@pytest.mark.parametrize("name", ["c } ; DROP ALL ; #", "c d", "1c", "c\n"])
def test_bind_refuses_a_parameter_name_that_is_not_a_variable(name):
    """Input: a parameter *name* carrying SPARQL. Expected: QueryRefused."""
    with pytest.raises(QueryRefused):
        bind("SELECT ?c WHERE { ?m ?p ?c }", {name: Literal("x")})


@pytest.mark.remote
def test_hostile_value_through_run_query_params_on_both_backends(loaded):
    """Input: run_query with ``params={"c": Literal('DE" } ; DROP ALL ; #')}``. Expected: that literal is the answer,
    the dataset unchanged."""
    before = dataset_hash(loaded.store)
    value = Literal('DE" } ; DROP ALL ; #')
    result = run_query(loaded.workers, "SELECT ?c WHERE { }", params={"c": value}, timeout_s=10)
    assert result.rows == [(value,)]
    assert dataset_hash(loaded.store) == before
