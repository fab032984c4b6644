"""The guard fuzzed against the engine (hypothesis): any text the guard accepts, run by Oxigraph on an empty store in
this process (which can reach 127.0.0.1), makes no request to the recording server, changes nothing and is read by
Oxigraph as a query (never an update).

The texts are SPARQL pieces around a SERVICE, FROM or LOAD naming the recorder, joined by the characters the two
parsers could read differently: line terminators of every kind, control characters, codepoint escapes, quotes
and comment marks. If the guard ever judged a text other than the one Oxigraph runs, Oxigraph would call the
recorder and the test would fail; the fixed examples are the bypasses found so far.
"""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from euaigraph.graph.query.run import QueryRefused, guard

from .support import Recorder

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
URL = "<{url}>"
HEADS = ["SELECT * WHERE {", "ASK {", "CONSTRUCT { ?s ?p ?o } WHERE {", "SELECT * FROM <https://w3id.org/euaigraph/"
         "graph/meta> WHERE {", "PREFIX r: <{url}/> SELECT * WHERE {", "BASE <{url}/> SELECT * WHERE {",
         "DESCRIBE ?s WHERE {", "SELECT (EXISTS {"]
TAILS = ["}", "} LIMIT 1", "} AS ?e) WHERE { }", "}\n", "} # end", "\n}", "\n} LIMIT 1"]
SEPARATORS = ["\n", "\r", "\r\n", "\t", " ", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x00", "\x1c", "\ufeff",
              "\u00a0", "\\u000a", "\\u000d", "\\U0000000A", "\\u0023", "\\u0022", "\\u0027", "\\u003e", "\\u007d"]
#: Balanced pieces keep many texts valid, so that they get past the guard and run on the engine.
VALID = ["?s ?p ?o", "?s ?p ?o .", "# note", "#", 'BIND("x" AS ?x)', "BIND('y' AS ?y)", 'FILTER(?o = "a")',
         "OPTIONAL { ?s ?p ?o }", "GRAPH ?g { ?s ?p ?o }", f"SERVICE {URL} {{ ?a ?b ?c }}",
         f"SERVICE SILENT {URL} {{ ?a ?b ?c }}", "SERVICE r: { ?a ?b ?c }", f"VALUES ?e {{ {URL} }}",
         "SERVICE ?e { ?a ?b ?c }", 'BIND("""z""" AS ?z)', "?s <x> r:x", "FILTER EXISTS { ?s ?p ?o }"]
ODD = ['"', "'", '"""', "'''", "\\", "<", ">", "{", "}", "(", ")", ";", f"FROM {URL}", f"FROM NAMED {URL}",
       f"LOAD {URL}", "OPTIONAL {", "S\\u0045RVICE", "SERV", "ICE", "SILENT", "1"]
PIECES = VALID * 10 + ODD
#: Plain white space most of the time, so that a text with one odd character in it still gets that far.
JOINS = SEPARATORS + [" "] * 120 + ["\n"] * 20 + ["\r\n"] * 10 + ["\t"] * 10
units = st.tuples(st.sampled_from(JOINS), st.sampled_from(PIECES)).map("".join)
texts = st.builds(lambda head, middle, tail: head + "".join(middle) + " " + tail,
                  st.sampled_from(HEADS), st.lists(units, min_size=1, max_size=10), st.sampled_from(TAILS))


@pytest.fixture(scope="module")
def module_recorder():
    server = Recorder()
    yield server
    server.close()


def _run_on_engine(text: str) -> None:
    store = ox.Store()
    try:
        result = store.query(text)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass  # Oxigraph refusing or failing is fine; a request is what must not happen
    assert len(store) == 0


@FUZZ
@given(texts)
@example(f"SELECT * WHERE {{ # x\rSERVICE {URL} {{ ?a ?b ?c }}\n}}")
@example(f"SELECT * WHERE {{ ?s ?p ?o # x\rSERVICE SILENT {URL} {{ ?a ?b ?c }}\n}}")
@example(f"SELECT * WHERE {{ # x\u2028SERVICE {URL} {{ ?a ?b ?c }}\n}}")
@example(f'SELECT * WHERE {{ BIND("\\u0022 # " AS ?x) SERVICE {URL} {{ ?a ?b ?c }}\n}}')
@example(f"SELECT * WHERE {{ ?s ?p ?o # \\u000aSERVICE {URL} {{ ?a ?b ?c }}\n}}")
def test_what_the_guard_accepts_the_engine_runs_without_any_request(module_recorder, text):
    """Input: SPARQL pieces around a SERVICE/FROM/LOAD naming the recorder, joined by line terminators, control
    characters and escapes. Expected: the guard refuses it, or Oxigraph runs the guarded text on an empty store
    without any request to the recorder and without changing the store."""
    text = text.replace("{url}", module_recorder.url("/sparql"))
    module_recorder.requests.clear()
    try:
        guarded = guard(text)
    except QueryRefused:
        return
    _run_on_engine(guarded.text)
    assert module_recorder.requests == [], f"the guard accepted {guarded.text!r} and Oxigraph called out"


def test_control_the_engine_does_call_out_for_a_plain_service(module_recorder):
    """Control, Input: a plain SERVICE naming the recorder, run by Oxigraph without the guard. Expected: the
    recorder sees it (so the property above can fail)."""
    module_recorder.requests.clear()
    _run_on_engine(f"SELECT * WHERE {{ SERVICE SILENT <{module_recorder.url('/sparql')}> {{ ?a ?b ?c }} }}")
    assert [seen.path for seen in module_recorder.requests] == ["/sparql"]


def test_fuzzed_texts_reach_the_engine_often_enough():
    """The property is only as good as the number of accepted texts: at least one in fifteen of a fixed sample drawn
    like the strategy's must pass the guard (so they are run on the engine), and some of those name the recorder."""
    rng = random.Random(14)
    sample = [rng.choice(HEADS) + "".join(rng.choice(JOINS) + rng.choice(PIECES)
                                          for _ in range(rng.randint(1, 10))) + " " + rng.choice(TAILS)
              for _ in range(300)]
    accepted = []
    for text in sample:
        try:
            accepted.append(guard(text.replace("{url}", "http://127.0.0.1:9/sparql")).text)
        except QueryRefused:
            pass
    assert len(accepted) >= 20, f"only {len(accepted)} of 300 fuzzed texts were accepted"
    assert any("127.0.0.1:9" in text for text in accepted)
