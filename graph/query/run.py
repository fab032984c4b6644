"""The one way analyst queries reach a store: the text is checked where it will run (a worker that cannot reach the
network), parameters are bound as typed terms, and it runs with a time limit, a row cap and a byte limit on its
answer (see :mod:`euaigraph.graph.query.guard` and :mod:`euaigraph.graph.query.worker`, decision 0012).

>>> guard("SELECT ?s WHERE { ?s ?p ?o }").kind
'select'
>>> guard("DROP ALL")
Traceback (most recent call last):
...
euaigraph.graph.query.guard.QueryRefused: only SELECT, ASK, CONSTRUCT and DESCRIBE queries can run here; this is a SPARQL update (Drop), which would change the graph
>>> guard("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
euaigraph.graph.query.guard.QueryRefused: SERVICE <http://127.0.0.1:9/> is not allowed: queries never reach other servers
>>> guard("SELECT * WHERE { ?s ?p ?o } # x\\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o }").kind
Traceback (most recent call last):
...
euaigraph.graph.query.guard.QueryRefused: the query contains a carriage return without a line feed (U+000D) at line 1, column 32: only tab and line feed may separate lines or words here
>>> guard("SELECT * WHERE {\\r\\n  ?s ?p ?o\\r\\n}").text
'SELECT * WHERE {\\n  ?s ?p ?o\\n}'
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib.term import Node

from euaigraph.graph.query.answers import Answers
from euaigraph.graph.query.guard import MAX_QUERY_CHARS, GuardedQuery, QueryRefused, bind, guard, lexical, with_prefixes
from euaigraph.graph.query.saved import SavedQuery
from euaigraph.graph.query.worker import DEFAULT_MAX_BYTES, QueryWorkers
from euaigraph.graph.store import snapshots
from euaigraph.graph.store.base import QueryResult
from euaigraph.graph.store.terms import UnsafeIriError, nt_term

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_ROW_CAP = 10_000


def answer_key(text: str, params: Mapping[str, Node]) -> str | None:
    """What identifies a kept answer: the normalised text and the parameters as N-Triples terms (None for
    parameters that cannot be terms: the worker refuses them with its own message)."""
    try:
        bound = sorted(f"{name}={nt_term(value)}" for name, value in params.items())
    except (UnsafeIriError, TypeError, AttributeError, ValueError):
        return None
    return "\n".join([lexical(text), *bound])


def run_query(
    workers: QueryWorkers,
    text: str,
    *,
    params: Mapping[str, Node] | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    row_cap: int = DEFAULT_ROW_CAP,
    max_bytes: int = DEFAULT_MAX_BYTES,
    snapshot: str | None = None,
    answers: Answers | None = None,
) -> QueryResult:
    """Guard, bind and run a query in a worker (on ``snapshot`` of an embedded store, default the newest); with
    ``answers``, serve and keep answers per data version.

    Raises :class:`QueryRefused` (not allowed, with line/column for syntax errors), :class:`QueryCancelled`
    (time limit, answer over ``max_bytes``, server timeout, cut-off response) or :class:`StoreError`.
    """
    if not text or len(text) > MAX_QUERY_CHARS:
        guard(text)  # the same refusal, without sending the text anywhere
    text = lexical(text)  # refused here already, without a worker; the worker checks again
    params = dict(params or {})
    key = answer_key(text, params)
    if answers is not None and key is not None:
        version = snapshots.version_of(snapshot) if snapshot else answers.current_version()
        kept = answers.find(version, key, row_cap, max_bytes=max_bytes)
        if kept is not None:
            return kept
    result = workers.execute(text, params=params, timeout_s=timeout_s, row_cap=row_cap, max_bytes=max_bytes,
                             snapshot=snapshot)
    if answers is not None and key is not None:
        answers.keep(key, row_cap, result)
    return result


def run_saved(
    workers: QueryWorkers,
    saved: SavedQuery,
    values: Mapping[str, object] | None = None,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    row_cap: int = DEFAULT_ROW_CAP,
    max_bytes: int = DEFAULT_MAX_BYTES,
    snapshot: str | None = None,
    answers: Answers | None = None,
) -> QueryResult:
    """Run a saved question with parameter values (strings or ids; converted to typed terms)."""
    return run_query(workers, with_prefixes(saved.body), params=saved.terms(dict(values or {})),
                     timeout_s=timeout_s, row_cap=row_cap, max_bytes=max_bytes, snapshot=snapshot, answers=answers)


__all__ = ["DEFAULT_ROW_CAP", "DEFAULT_TIMEOUT_S", "MAX_QUERY_CHARS", "GuardedQuery", "QueryRefused", "answer_key",
           "bind", "guard", "run_query", "run_saved", "with_prefixes"]
