"""The one way analyst queries reach a store: parse, refuse what could write or reach out, bind parameters as
typed terms, then run with a time limit and a row cap (see :mod:`euaigraph.graph.query.worker`).

>>> guard("SELECT ?s WHERE { ?s ?p ?o }").kind
'select'
>>> guard("DROP ALL")
Traceback (most recent call last):
...
euaigraph.graph.query.run.QueryRefused: only SELECT, ASK, CONSTRUCT and DESCRIBE queries can run here; this is a SPARQL update (Drop), which would change the graph
>>> guard("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
euaigraph.graph.query.run.QueryRefused: SERVICE <http://127.0.0.1:9/> is not allowed: queries never reach other servers
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseBaseException
from rdflib.plugins.sparql import parser as sparql_parser
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, Variable

from euaigraph.ontology.namespaces import GRAPH, sparql_prefix_block

from euaigraph.graph.query.answers import Answers
from euaigraph.graph.query.saved import SavedQuery
from euaigraph.graph.store.base import QueryResult
from euaigraph.graph.store.terms import UnsafeIriError, nt_term
from euaigraph.graph.query.worker import QueryWorkers

_KINDS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct", "DescribeQuery": "describe"}
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: rdflib's SPARQL grammar (pyparsing) is not thread-safe: parses running at once can break it for the rest of the
#: process (every later query then fails to parse). Streamlit runs each session in a thread, so parses take turns.
_PARSER_LOCK = threading.Lock()
#: Longer queries are refused before parsing: rdflib's parser runs in the app's process, outside the worker's time
#: limit, and needs seconds per 10,000 characters of long expression chains (``?o = 1 || ?o = 2 || ...``).
MAX_QUERY_CHARS = 10_000
#: FROM / FROM NAMED may name only our own graphs: no dot segments, nothing a server could resolve elsewhere.
_OWN_GRAPH = re.compile(re.escape(str(GRAPH)) + r"[A-Za-z0-9][A-Za-z0-9_-]*(/[A-Za-z0-9][A-Za-z0-9_-]*)*")


class QueryRefused(ValueError):
    """The query is not allowed (not read-only, reaches out, malformed). ``line``/``column`` locate syntax errors."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line, self.column = line, column


@dataclass(frozen=True)
class GuardedQuery:
    text: str
    kind: str  # select | ask | construct | describe


def _walk(node: object):
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _walk(item)
    elif hasattr(node, "asList") and not isinstance(node, str):
        for item in node:
            yield from _walk(item)


def _syntax_error(exc: ParseBaseException, text: str) -> QueryRefused:
    return QueryRefused(
        f"syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}", line=exc.lineno, column=exc.col
    )


def _refuse_update(text: str, exc: ParseBaseException) -> None:
    """If the text is (or ends with) a SPARQL update, refuse it as such rather than as a syntax error."""
    tail = text[exc.loc:].lstrip().lstrip(";") if exc.loc else text
    for candidate in (text, tail):
        try:
            with _PARSER_LOCK:
                update = sparql_parser.parseUpdate(candidate)
        except (ParseBaseException, Exception):  # noqa: BLE001 - any failure means "not an update"
            continue
        names = [str(getattr(r, "name", "update")) for r in update.get("request", [])] or ["update"]
        where = "" if candidate is text else "a query followed by "
        raise QueryRefused(
            "only SELECT, ASK, CONSTRUCT and DESCRIBE queries can run here; "
            f"this is {where}a SPARQL update ({', '.join(names)}), which would change the graph"
        )


@lru_cache(maxsize=512)
def guard(text: str) -> GuardedQuery:
    """Parse ``text`` and refuse anything but a self-contained read query. Raises :class:`QueryRefused`.

    Accepted queries are remembered (by their exact text): rdflib's parser needs ~100 ms for a saved question
    with its prefixes, and the explorer reruns the same questions all day.
    """
    if not text or not text.strip():
        raise QueryRefused("the query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefused(f"the query is {len(text)} characters long; at most {MAX_QUERY_CHARS} can run here")
    try:
        with _PARSER_LOCK:
            parsed = sparql_parser.parseQuery(text)
    except ParseBaseException as exc:
        _refuse_update(text, exc)
        raise _syntax_error(exc, text) from None
    except Exception as exc:  # the rdflib parser raises plain errors on some malformed input
        raise QueryRefused(f"the query could not be parsed: {exc}") from None
    body = parsed[1]
    kind = _KINDS.get(body.name)
    if kind is None:
        raise QueryRefused(f"unsupported query form {body.name}")
    for node in _walk(parsed):
        if node.name == "ServiceGraphPattern":
            raise QueryRefused(f"SERVICE {_shown(parsed[0], node.term)} is not allowed: queries never reach other servers")
        if node.name == "DatasetClause":
            iri = _shown(parsed[0], node["default"] if "default" in node else node["named"])
            if not _OWN_GRAPH.fullmatch(iri[1:-1]):
                raise QueryRefused(
                    f"FROM / FROM NAMED {iri} is not allowed: only this graph's own graphs ({GRAPH}...) can be named"
                )
    return GuardedQuery(text=text, kind=kind)


def _shown(prologue: object, term: object) -> str:
    """An IRI of the query as ``<absolute IRI>`` (prefixed names and BASE resolved), a variable as ``?name``."""
    if isinstance(term, Variable):
        return term.n3()
    try:
        return f"<{translatePrologue(prologue, None).absolutize(term)}>"
    except Exception as exc:  # noqa: BLE001 - an undeclared prefix: rdflib raises a bare Exception
        raise QueryRefused(f"the query could not be parsed: {exc}") from None


# -- parameters --------------------------------------------------------------------------------------------------
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_.-]*:[A-Za-z0-9_.-]*|[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _where_brace(text: str, kind: str) -> int:
    """Offset of the ``{`` that opens the query's WHERE group, skipping comments, strings and IRIs.

    CONSTRUCT's first group is its template unless the WHERE keyword came first; SELECT and ASK may omit WHERE.
    """
    depth, seen_where = 0, False
    for match in _TOKEN.finditer(text):
        group = match.lastgroup
        if group == "word" and depth == 0 and match.group().upper() == "WHERE":
            seen_where = True
        elif group == "open":
            if depth == 0 and (seen_where or kind != "construct"):
                return match.start()
            depth += 1
        elif group == "close":
            depth -= 1
    raise QueryRefused("parameters need a WHERE clause to bind into")


def bind(text: str, params: Mapping[str, Node]) -> str:
    """Bind parameters by adding ``VALUES`` at the top of the WHERE group; values are RDF terms, never text.

    >>> from rdflib import Literal
    >>> print(bind('SELECT ?m WHERE { ?m ?p ?c }', {"c": Literal('DE" } ; DROP ALL ; #')}))
    SELECT ?m WHERE { VALUES ?c { "DE\\" } ; DROP ALL ; #" } ?m ?p ?c }
    """
    if not params:
        return text
    kind = guard(text).kind
    clauses = []
    for name, value in params.items():
        if not _VAR_NAME.fullmatch(name):
            raise QueryRefused(f"not a valid parameter name: {name!r}")
        if not isinstance(value, Node) or isinstance(value, Variable):
            raise QueryRefused(f"parameter {name!r} must be an RDF term, got {type(value).__name__}")
        try:
            clauses.append(f"VALUES ?{name} {{ {nt_term(value)} }}")
        except UnsafeIriError as exc:
            raise QueryRefused(f"parameter {name!r}: {exc}") from None
    at = _where_brace(text, kind) + 1
    bound = f"{text[:at]} {' '.join(clauses)}{text[at:]}"
    if guard(bound).kind != kind:  # belt and braces: binding must not change what the query is
        raise QueryRefused("binding the parameters changed the query form")
    return bound


def with_prefixes(text: str) -> str:
    """The query with the project's standard PREFIX lines in front (those it declares itself win)."""
    declared = {m.group(1).lower() for m in re.finditer(r"(?im)^\s*PREFIX\s+([A-Za-z0-9_-]*):", text)}
    lines = [line for line in sparql_prefix_block().splitlines() if line.split()[1][:-1].lower() not in declared]
    return "\n".join([*lines, text]) if lines else text


# -- running ------------------------------------------------------------------------------------------------------
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_ROW_CAP = 10_000


def run_query(
    workers: QueryWorkers,
    text: str,
    *,
    params: Mapping[str, Node] | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    row_cap: int = DEFAULT_ROW_CAP,
    answers: Answers | None = None,
) -> QueryResult:
    """Guard, bind and run a query in a worker; with ``answers``, serve and keep answers per data version.

    Raises :class:`QueryRefused` (not allowed, with line/column for syntax errors), :class:`QueryCancelled`
    (time limit, server timeout, cut-off response) or :class:`StoreError`.
    """
    if params:
        text = bind(text, params)  # guards the query and the bound query
    else:
        guard(text)
    if answers is not None:
        kept = answers.find(answers.current_version(), text, row_cap)
        if kept is not None:
            return kept
    result = workers.execute(text, timeout_s=timeout_s, row_cap=row_cap)
    if answers is not None:
        answers.keep(text, row_cap, result)
    return result


def run_saved(
    workers: QueryWorkers,
    saved: SavedQuery,
    values: Mapping[str, object] | None = None,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    row_cap: int = DEFAULT_ROW_CAP,
    answers: Answers | None = None,
) -> QueryResult:
    """Run a saved question with parameter values (strings or ids; converted to typed terms)."""
    return run_query(workers, with_prefixes(saved.body), params=saved.terms(dict(values or {})),
                     timeout_s=timeout_s, row_cap=row_cap, answers=answers)
