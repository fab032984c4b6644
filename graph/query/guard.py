"""The query guard: the one judge of what text may reach a store (decisions 0003 and 0012).

The guard decides on exactly the text the engine runs, read with the engine's lexical rules:

- ``\\r\\n`` becomes ``\\n``; every other character on which rdflib (the guard's parser) and Oxigraph (the engine)
  read a query differently is refused with its line and column: a lone carriage return (Oxigraph ends a ``#``
  comment there, rdflib does not, so ``# x\\rSERVICE <...>`` would hide a SERVICE from the guard), the other
  control characters, the Unicode line and paragraph separators, lone surrogates, and codepoint escapes
  (``\\u0053``: rdflib expands them everywhere before parsing, Oxigraph only inside strings and IRIs);
- the parse is bounded: at most :data:`MAX_QUERY_CHARS` characters, and (in the worker's main thread, where the
  guard runs for every analyst query) at most :data:`GUARD_TIMEOUT_S` seconds;
- updates, ``SERVICE`` and ``FROM``/``FROM NAMED`` outside the graph's own graphs are refused.

:class:`GuardedQuery` carries the normalised text; callers send that text, never the one they were given.
"""

from __future__ import annotations

import re
import signal
import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseBaseException
from rdflib.plugins.sparql import parser as sparql_parser
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, Variable

from euaigraph.ontology.namespaces import GRAPH, sparql_prefix_block

from euaigraph.graph.store.terms import UnsafeIriError, nt_term
from euaigraph.graph import settings
from euaigraph.graph.query import syntax

_KINDS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct", "DescribeQuery": "describe"}
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: rdflib's SPARQL grammar (pyparsing) is not thread-safe: parses running at once can break it for the rest of the
#: process. Analyst queries are guarded in the worker processes (one parse per process at a time, so no session
#: waits for another's parse); this lock only serialises direct calls from several threads of one process.
_PARSER_LOCK = threading.Lock()
#: Longer queries are refused before parsing: rdflib needs seconds per 10,000 characters of long expression chains.
MAX_QUERY_CHARS = 10_000
#: Seconds the guard may spend parsing one query (with its parameters bound) in a worker.
GUARD_TIMEOUT_S = settings.current().guard_timeout_s
#: FROM / FROM NAMED may name only our own graphs: no dot segments, nothing a server could resolve elsewhere.
_OWN_GRAPH = re.compile(re.escape(str(GRAPH)) + r"[A-Za-z0-9][A-Za-z0-9_-]*(/[A-Za-z0-9][A-Za-z0-9_-]*)*")
#: After CRLF -> LF: every character the two parsers read differently, or that no query needs.
_REFUSED_CHAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff]")
#: rdflib expands ``\\u`` and ``\\U`` followed by four hex digits anywhere in the text (case-insensitively).
_CODEPOINT_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")


class QueryRefused(ValueError):
    """The query is not allowed (not read-only, reaches out, malformed). ``line``/``column`` locate syntax errors."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line, self.column = line, column


class GuardOvertime(QueryRefused):
    """The guard's parse ran past its time limit (the parser's state is then not to be trusted again)."""


@dataclass(frozen=True)
class GuardedQuery:
    text: str  # the normalised text: the one to run
    kind: str  # select | ask | construct | describe


def _place(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def lexical(text: str, *, escapes: bool = False) -> str:
    r"""The text with CRLF as LF; refuses what rdflib and Oxigraph would read differently (see the module).
    ``escapes=True`` lets codepoint escapes through: only for text whose every escape is inside a term this module
    wrote (a bound parameter value holding a backslash and ``u``).

    >>> lexical("SELECT * WHERE {\r\n ?s ?p ?o }")
    'SELECT * WHERE {\n ?s ?p ?o }'
    >>> lexical("SELECT * WHERE { # x\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    euaigraph.graph.query.guard.QueryRefused: the query contains a carriage return without a line feed (U+000D) at line 1, column 21: only tab and line feed may separate lines or words here
    """
    text = text.replace("\r\n", "\n")
    found = _REFUSED_CHAR.search(text)
    if found:
        line, column = _place(text, found.start())
        char = found.group()
        name = "a carriage return without a line feed" if char == "\r" else \
            f"the control or format character {unicodedata.name(char, 'without a name').lower()}"
        raise QueryRefused(f"the query contains {name} (U+{ord(char):04X}) at line {line}, column {column}: only tab "
                           "and line feed may separate lines or words here", line=line, column=column)
    found = None if escapes else _CODEPOINT_ESCAPE.search(text)
    if found:
        line, column = _place(text, found.start())
        raise QueryRefused(f"the query contains a codepoint escape ({found.group()}) at line {line}, column {column}: "
                           "write the character itself", line=line, column=column)
    return text


@contextmanager
def alarm(seconds: float | None, error: Callable[[], BaseException]) -> Iterator[None]:
    """Raise ``error()`` in the main thread after ``seconds``; elsewhere (signals cannot) or without ``seconds``, no
    limit. Only pure-Python work is interrupted: code running in Rust (Oxigraph) sees the signal when it returns."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum, _frame):
        raise error()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def time_limit(seconds: float | None):
    """Raise :class:`GuardOvertime` in the main thread after ``seconds`` (elsewhere: no limit, signals cannot)."""
    return alarm(seconds, lambda: GuardOvertime(
        f"checking the query took longer than {seconds:g} s; simplify it (long IN lists, many alternatives) and "
        "try again"))


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


def _refuse_update(text: str, exc: ParseBaseException) -> None:
    """If the text is (or ends with) a SPARQL update, refuse it as such rather than as a syntax error."""
    tail = text[exc.loc:].lstrip().lstrip(";") if exc.loc else text
    for candidate in (text, tail):
        if not _has_words(candidate):  # an empty "update" (what is left after a query cut short) is no update
            continue
        try:
            with _PARSER_LOCK:
                update = sparql_parser.parseUpdate(candidate)
        except GuardOvertime:
            raise
        except (ParseBaseException, Exception):  # noqa: BLE001 - any failure means "not an update"
            continue
        names = [str(getattr(r, "name", "update")) for r in update.get("request", [])] or ["update"]
        where = "" if candidate is text else "a query followed by "
        raise QueryRefused(
            "only SELECT, ASK, CONSTRUCT and DESCRIBE queries can run here; "
            f"this is {where}a SPARQL update ({', '.join(names)}), which would change the graph"
        )


def _has_words(text: str) -> bool:
    """Whether anything but white space and comments is left."""
    return any(line.split("#", 1)[0].strip() for line in text.splitlines())


def _syntax_refusal(text: str, *, fallback: tuple[str, int | None, int | None] | None) -> QueryRefused | None:
    """The engine's own reading of a syntax error (line, column and words, :mod:`.syntax`), else ``fallback``."""
    found = syntax.problem(text)
    if found is not None:
        where = f" at line {found.line}, column {found.column}" if found.line else ""
        return QueryRefused(f"syntax error{where}: {found.message}", line=found.line, column=found.column)
    if fallback is not None:
        message, line, column = fallback
        return QueryRefused(message, line=line, column=column)
    return None


def guard(text: str) -> GuardedQuery:
    """Parse ``text`` and refuse anything but a self-contained read query. Raises :class:`QueryRefused`.

    Accepted queries are remembered (by their exact text): rdflib's parser needs ~100 ms for a saved question
    with its prefixes, and the explorer reruns the same questions all day.
    """
    return _guard(text, False)


@lru_cache(maxsize=512)
def _guard(text: str, escapes: bool) -> GuardedQuery:
    if not text or not text.strip():
        raise QueryRefused("the query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefused(f"the query is {len(text)} characters long; at most {MAX_QUERY_CHARS} can run here")
    text = lexical(text, escapes=escapes)
    try:
        with _PARSER_LOCK:
            parsed = sparql_parser.parseQuery(text)
    except ParseBaseException as exc:
        _refuse_update(text, exc)
        raise _syntax_refusal(text, fallback=(f"syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}",
                                              exc.lineno, exc.col)) from None
    except GuardOvertime:
        raise
    except Exception as exc:  # the rdflib parser raises plain errors on some malformed input
        raise QueryRefused(f"the query could not be parsed: {exc}") from None
    engine = _syntax_refusal(text, fallback=None)  # what the engine would refuse (an undeclared prefix...)
    if engine is not None:
        raise engine
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
    Returns the guarded, normalised text with the parameters bound.

    >>> from rdflib import Literal
    >>> print(bind('SELECT ?m WHERE { ?m ?p ?c }', {"c": Literal('DE" } ; DROP ALL ; #')}))
    SELECT ?m WHERE { VALUES ?c { "DE\\" } ; DROP ALL ; #" } ?m ?p ?c }
    """
    guarded = guard(text)
    if not params:
        return guarded.text
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
    text = guarded.text
    at = _where_brace(text, guarded.kind) + 1
    # The text itself was judged above; what is added is one N-Triples term per parameter, whose backslashes are
    # escaped, so a codepoint escape there is text inside a string for Oxigraph. Checked again as a whole.
    bound = _guard(f"{text[:at]} {' '.join(clauses)}{text[at:]}", True)
    if bound.kind != guarded.kind:  # belt and braces: binding must not change what the query is
        raise QueryRefused("binding the parameters changed the query form")
    return bound.text


def with_prefixes(text: str) -> str:
    """The query with the project's standard PREFIX lines in front (those it declares itself win)."""
    declared = {m.group(1).lower() for m in re.finditer(r"(?im)^\s*PREFIX\s+([A-Za-z0-9_-]*):", text)}
    lines = [line for line in sparql_prefix_block().splitlines() if line.split()[1][:-1].lower() not in declared]
    return "\n".join([*lines, text]) if lines else text


__all__ = ["GUARD_TIMEOUT_S", "MAX_QUERY_CHARS", "GuardOvertime", "GuardedQuery", "QueryRefused", "bind", "guard",
           "lexical", "time_limit", "with_prefixes"]
