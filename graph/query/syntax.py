"""Syntax errors in words: what the engine's own parser (Oxigraph) finds wrong with a query, at the line and column
of the text it was given, with the engine's list of expected tokens cut to what a person can read.

The guard (:mod:`euaigraph.graph.query.guard`) asks this module once per query text. Nothing is ever evaluated
here: the text is parsed with a character appended that no SPARQL query can contain (``§`` outside a string, IRI or
comment), so the parse always fails, either inside the text (a real error, reported) or at the appended character
(the text itself read to its end without a complaint).

>>> problem("SELECT * WHERE {\\n  ?s foo:bar ?o }").message
'the prefix foo: is not declared (the project declares eai:, id:, rdfs:, skos:, country:, lang: and others; or add a PREFIX line)'
>>> p = problem("SELECT * WHERE {\\n  ?s ?p ?o\\n")
>>> p.line, p.message
(2, 'the query ends before every { is closed: 1 } is missing')
>>> problem("SELECT * WHERE { ?s ?p ?o }") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

#: No SPARQL token contains U+00A7 outside strings, IRIs and comments: the appended line can never parse.
_NEVER = "\n\u00a7"
_AT = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
#: The engine lists character classes (``['A' ..= 'Z' | ...]``) among what it expected: not for people.
_CLASS = re.compile(r"\[[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\]")
_PNAME_BEFORE = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*)?:[A-Za-z0-9_.%-]*$")
_OPENERS = {"{": "}", "(": ")", "[": "]"}
_TOKEN = re.compile(r"""\#[^\n]*|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'"""
                    r"""|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>|[{}()\[\]]""", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    """A syntax problem: where (1-based line and column of the given text, None when unknown) and what."""

    line: int | None
    column: int | None
    message: str


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    if line > len(lines):
        return len(text)
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


def _place(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def unclosed(text: str) -> list[str]:
    """The brackets still open at the end of ``text`` (strings, IRIs and comments skipped), innermost last.

    >>> unclosed('SELECT * WHERE { FILTER(?x = "}" # }')
    ['{', '(']
    """
    stack: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in _OPENERS:
            stack.append(token)
        elif token in _OPENERS.values() and stack and _OPENERS[stack[-1]] == token:
            stack.pop()
    return stack


def _expected(detail: str) -> list[str]:
    words = _CLASS.sub("", detail.removeprefix("expected one of ").removeprefix("expected "))
    return [w.strip() for w in words.split(",") if w.strip() and w.strip() not in ("[_]", "Prefix not found")]


def _words(text: str, offset: int, detail: str) -> tuple[int, str]:
    """Where to point and what to say, from the engine's detail."""
    if "Prefix not found" in detail:
        found = _PNAME_BEFORE.search(text[:offset])
        if found:
            prefix = found.group(1) or ""
            return found.start(), (f"the prefix {prefix}: is not declared (the project declares eai:, id:, rdfs:, "
                                   "skos:, country:, lang: and others; or add a PREFIX line)")
    if "unbound" in detail:  # the engine's own sentence, without the token list around it
        sentence = next((p.strip() for p in detail.split(",") if "unbound" in p), detail)
        return offset, sentence[0].lower() + sentence[1:]
    expected = _expected(detail)
    if not expected:
        return offset, "unexpected text here"
    shown = ", ".join(expected[:8]) + (", …" if len(expected) > 8 else "")
    return offset, f"expected {shown}" if len(expected) == 1 else f"expected one of {shown}"


def problem(text: str) -> Problem | None:
    """The engine's syntax complaint about ``text``, or None when the engine reads it to its end."""
    try:
        ox.Store().query(text + _NEVER)
    except SyntaxError as exc:
        found = _AT.match(str(exc))
        if not found:
            return Problem(None, None, " ".join(_expected(str(exc))) or "the engine cannot read this query")
        offset = _offset(text + _NEVER, int(found.group(1)), int(found.group(2)))
        if offset < len(text.rstrip()):
            at, message = _words(text, offset, found.group(3))
            line, column = _place(text, at)
            return Problem(line, column, message)
    except Exception:  # noqa: BLE001 - anything else from the engine: the guard's own parser decides
        return None
    missing = unclosed(text)
    if missing:
        closers = [_OPENERS[b] for b in missing]
        line, column = _place(text, len(text.rstrip()))
        count = {c: closers.count(c) for c in closers}
        parts = [f"{next(o for o, c in _OPENERS.items() if c == closer)} is closed: {n} {closer} "
                 f"{'is' if n == 1 else 'are'} missing" for closer, n in count.items()]
        return Problem(line, column, "the query ends before every " + " and every ".join(parts))
    return None


__all__ = ["Problem", "problem", "unclosed"]
