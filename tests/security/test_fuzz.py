"""Property-based tests (hypothesis): no input crashes the normalisers, the alias tables, the ``#+`` header parser,
``bind`` or ``guard`` with anything but their documented exceptions, and what they return keeps its promises.

- ``ingest.normalise``: resolve_licence / resolve_country / resolve_language / fold never raise;
- ``ingest.aliases``: resolve / by_identifier never raise and answer an id of the table or None;
- ``graph.saved.parse_saved`` raises only SavedQueryError; ``SavedQuery.terms`` only SavedQueryError;
- ``graph.query.guard`` and ``bind`` raise only QueryRefused, and a bound query is still one read query.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef

from euaigraph.graph.query.run import QueryRefused, bind, guard
from euaigraph.graph.query.saved import PARAM_TYPES, SavedQuery, SavedQueryError, parse_saved
from euaigraph.ingest.aliases import aliases
from euaigraph.ingest.normalise import fold, resolve_country, resolve_language, resolve_licence

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Text that looks like what feeds and analysts send: names, codes, licence expressions, markup, odd Unicode.
words = st.sampled_from(["Apache-2.0", "MIT", "OR", "AND", "WITH", "(", ")", "+", "Germany", "DE", "deu", "EL", "UK",
                         "en", "fi", "International", "unknown", "LicenseRef-x", "llama2", "cc-by-4.0", "ß", "İ",
                         "\u00a0", "\u2028", "\x00", "ﬁ", "Ⅻ", "'", '"', "<", ">", "{", "}", "#", "\\", "\n"])
texts = st.one_of(st.text(), st.lists(words, max_size=8).map(" ".join), st.lists(words, max_size=8).map("".join))


@FUZZ
@given(texts)
@example("")
@example("\u0130STANBUL")
def test_fold_never_raises_and_is_normal_form(text):
    """Input: any text. Expected: a string without leading/trailing or repeated white space, and folding it again
    changes nothing (alias keys and looked-up names meet in the same form)."""
    folded = fold(text)
    assert folded == folded.strip() and "  " not in folded
    assert fold(folded) == folded


@FUZZ
@given(st.one_of(st.none(), texts))
@example("Apache-2.0 OR (MIT AND")
@example("(OR 0")
@example("()")
@example("() OR MIT")
@example("GPL-2.0+ WITH Classpath-exception-2.0")
def test_resolve_licence_never_raises(text):
    """Input: any text or None. Expected: a resolution with a known status; ids exactly when resolved, each an id
    string without white space."""
    resolution = resolve_licence(text)
    assert resolution.status in ("resolved", "not-stated", "unknown")
    assert bool(resolution.ids) == (resolution.status == "resolved")
    assert all(isinstance(i, str) and i and not re.search(r"\s", i) for i in resolution.ids)


@FUZZ
@given(st.one_of(st.none(), texts))
def test_resolve_country_never_raises(text):
    """Input: any text or None. Expected: None or an upper-case three-letter code."""
    code = resolve_country(text)
    assert code is None or re.fullmatch(r"[A-Z]{3}", code)


@FUZZ
@given(st.one_of(st.none(), texts))
def test_resolve_language_never_raises(text):
    """Input: any text or None. Expected: None or an upper-case three-letter code."""
    code = resolve_language(text)
    assert code is None or re.fullmatch(r"[A-Z]{3}", code)


@FUZZ
@given(st.sampled_from(["models", "organisations", "datasets"]), st.one_of(st.none(), texts),
       st.sampled_from(["hf", "pic", "ror", "wikidata", "", "x"]))
def test_alias_tables_never_raise_and_answer_known_ids(kind, name, scheme):
    """Input: any name, any identifier scheme and value. Expected: None or an id the table knows."""
    table = aliases(kind)
    known = set(table.table.values()) | set(table.identifiers.values())
    for answer in (table.resolve(name), table.by_identifier(scheme, name)):
        assert answer is None or answer in known


# -- the #+ header --------------------------------------------------------------------------------------------------
yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8)
param = st.fixed_dictionaries({"name": st.one_of(st.sampled_from(["country", "n", "x_1"]), st.text(max_size=8)),
                               "type": st.one_of(st.sampled_from(PARAM_TYPES), st.text(max_size=8))},
                              optional={"default": yaml_values, "allowed": yaml_values, "label": yaml_values,
                                        "description": yaml_values})
header = st.fixed_dictionaries({}, optional={"summary": st.one_of(st.text(max_size=30), yaml_values),
                                             "params": st.one_of(st.lists(param, max_size=3), yaml_values),
                                             "tags": yaml_values, "view": st.one_of(st.sampled_from(
                                                 ["table", "bar", "graph"]), yaml_values), "x": yaml_values})


def _as_header(data: dict) -> str:
    import yaml

    return "".join(f"#+ {line}\n" for line in yaml.safe_dump(data, allow_unicode=True).splitlines())


@FUZZ
@given(st.one_of(header.map(_as_header), st.text().map(lambda t: "#+ " + t.replace("\n", "\n#+ ") + "\n")))
@example("#+ summary: x\n#+ params:\n#+   - {name: n, type: string, allowed: 5}\n")
@example("#+ summary: x\n#+ params: [" + "[" * 200 + "]" * 200 + "]\n")
@example("#+ summary: &a [*a]\n")
def test_parse_saved_raises_only_saved_query_error(text):
    """Input: any ``#+`` header (well-formed YAML of any shape, or any text) above a query. Expected: a SavedQuery
    or SavedQueryError; and the parameters of a parsed one turn any value into a term or SavedQueryError."""
    try:
        saved = parse_saved("fuzz/q", text + "SELECT ?n WHERE { ?s ?p ?n }\n")
    except SavedQueryError:
        return
    assert isinstance(saved, SavedQuery) and saved.summary
    for item in saved.params:
        for value in ("DE", 'x" } ; DROP ALL ; #', "", "1", None):
            try:
                saved.terms({item.name: value})
            except SavedQueryError:
                pass


# -- guard and bind -------------------------------------------------------------------------------------------------
sparql_words = st.sampled_from(["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "?s", "?p", "?o", "*",
                                "SERVICE", "SILENT", "FROM", "NAMED", "<http://127.0.0.1:9/>", "<file:///etc>",
                                "LOAD", "DROP", "ALL", "INSERT", "DATA", "DELETE", "CLEAR", ";", ".", "#", "\n",
                                "PREFIX", "p:", "BASE", "<x>", "GRAPH", "VALUES", "(", ")", '"a"', "'", "FILTER",
                                "EXISTS", "OPTIONAL", "UNION", "LIMIT", "1", "BIND", "AS"])
queries = st.one_of(st.text(max_size=200), st.lists(sparql_words, max_size=25).map(" ".join))


@FUZZ
@given(queries)
@example("SELECT * WHERE { } ; DROP ALL")
@example("PREFIX p: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE p: { } }")
def test_guard_raises_only_query_refused_and_lets_no_reach_through(text):
    """Input: any text, or SPARQL words in any order. Expected: QueryRefused, or a read query whose text has no
    SERVICE, LOAD or update keyword outside comments and strings."""
    try:
        guarded = guard(text)
    except QueryRefused:
        return
    assert guarded.kind in ("select", "ask", "construct", "describe")
    code = re.sub(r'#[^\n]*|"[^"\n]*"|\'[^\'\n]*\'|<[^>\s]*>', " ", text).upper()
    assert not re.search(r"\b(SERVICE|LOAD|DROP|CLEAR|INSERT|DELETE)\b", code)


terms = st.one_of(
    st.text().map(Literal),
    st.tuples(st.text(), st.sampled_from(["en", "fr", "de-at"])).map(lambda t: Literal(t[0], lang=t[1])),
    st.integers().map(lambda n: Literal(n, datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))),
    st.text().map(URIRef),
    st.text(alphabet="abcdefghij0123456789", min_size=1, max_size=8).map(BNode),
)


@FUZZ
@given(st.text(max_size=12), terms)
@example("c", URIRef("x> } ; DROP ALL ; #"))
@example("c\n", Literal("x"))
def test_bind_raises_only_query_refused_and_keeps_the_query_one_read_query(name, value):
    """Input: any parameter name and any RDF term. Expected: QueryRefused, or a bound text that is the same kind of
    query with exactly one VALUES block added for that name."""
    try:
        bound = bind("SELECT ?c WHERE { ?m ?p ?c }", {name: value})
    except QueryRefused:
        return
    assert guard(bound).kind == "select"
    assert bound.startswith(f"SELECT ?c WHERE {{ VALUES ?{name} {{ ") and bound.endswith(" ?m ?p ?c }")


@pytest.mark.parametrize("value", ["x> } ; DROP ALL ; #", "a b", "\\", "{", "^", "`", "|"])
def test_bind_refuses_unsafe_iris_as_query_refused(value):
    """Input: an IRI term with a character <...> forbids (found by the fuzzer as a bare UnsafeIriError).
    Expected: QueryRefused."""
    with pytest.raises(QueryRefused):
        bind("SELECT ?c WHERE { ?m ?p ?c }", {"c": URIRef(value)})
