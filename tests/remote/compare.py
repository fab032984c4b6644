"""Answers compared by value, as the portability tests need: engines may write the same value in another form.

- numbers by value, whatever their datatype and lexical form ("3998708", "3998708.0", "3.998708E6"), to 9
  significant digits (a quotient computed in xsd:double by one engine and xsd:decimal by another); an
  xsd:double or xsd:float to 6, all Virtuoso 7.2 writes (it keeps a loaded 2253490180 as 2253490176 and
  writes it 2.25349e+09);
- booleans as booleans (Virtuoso writes ``true`` as the integer 1 when it computes one; a saved question must
  not leave that to the engine, and this comparison does not forgive it: 1 and true differ);
- IRIs, plain and language-tagged strings, dates as they are.
- a list of URLs made by GROUP_CONCAT (``recordUrls``) as the sorted list: SPARQL leaves the order of the
  concatenated values to the engine.
Rows are compared as sorted lists (the questions order by display columns; ties may come in any order).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.short, XSD.byte,
            XSD.nonNegativeInteger, XSD.positiveInteger, XSD.nonPositiveInteger, XSD.negativeInteger,
            XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}


def value(term) -> tuple:
    """A comparable key for one term.

    >>> value(Literal("3998708", datatype=XSD.integer)) == value(Literal("3998708.0", datatype=XSD.decimal))
    True
    >>> value(Literal("true", datatype=XSD.boolean)) == value(Literal("1", datatype=XSD.integer))
    False
    """
    if term is None:
        return ("unbound",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, Literal):
        if term.datatype in _NUMERIC:
            try:
                number = Decimal(str(term).strip())
            except InvalidOperation:
                return ("literal", str(term), str(term.datatype))
            digits = 6 if term.datatype in (XSD.double, XSD.float) else 9
            return ("number", float(f"{number:.{digits}g}") if number else 0.0)
        if term.datatype == XSD.boolean:
            return ("boolean", str(term).strip().lower() in ("true", "1"))
        words = str(term).split(" ")
        if len(words) > 1 and all(w.startswith(("http://", "https://")) for w in words):
            return ("urls", tuple(sorted(words)))
        return ("literal", str(term), term.language or "", str(term.datatype or ""))
    return ("other", str(term))


def rows_by_value(result) -> list[tuple]:
    """The rows of a SELECT, or the boolean of an ASK, as sorted value keys."""
    if result.kind == "ask":
        return [("ask", result.boolean)]
    return sorted(tuple(value(term) for term in row) for row in result.rows)


def differences(expected: list[tuple], got: list[tuple], *, show: int = 3) -> str:
    """A short description of how two sorted row lists differ ("" when they are equal)."""
    if expected == got:
        return ""
    missing = [row for row in expected if row not in got]
    extra = [row for row in got if row not in expected]
    return (f"{len(expected)} rows expected, {len(got)} got; missing {missing[:show]}; unexpected {extra[:show]}")
