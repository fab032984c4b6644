"""Writing query results: W3C CSV, spreadsheet-safe CSV, JSON (SPARQL 1.1 results), plain text cells.

>>> from rdflib import Literal, URIRef
>>> r = QueryResult(kind="select", variables=["m", "n"], rows=[(URIRef("http://x/a"), Literal("=1+2"))])
>>> to_csv(r)
'm,n\\r\\nhttp://x/a,=1+2\\r\\n'
>>> to_csv(r, spreadsheet_safe=True)
"m,n\\r\\nhttp://x/a,'=1+2\\r\\n"
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from euaigraph.graph.store.base import QueryResult
from euaigraph.graph.store.terms import nt_term

_FORMULA_START = ("=", "+", "-", "@")
_CONTROL_START = ("\t", "\r", "\n")


def cell(term: Node | None) -> str:
    """The lexical form of a term (IRIs as they are, blank nodes as ``_:label``), empty for unbound."""
    if isinstance(term, BNode):  # the W3C CSV results format writes blank nodes as _:label
        return f"_:{term}"
    return "" if term is None else str(term)


def safe_cell(text: str) -> str:
    r"""Prefix a quote to cells a spreadsheet could run as a formula: those starting with tab, CR or LF, and those
    whose first visible character is, or reads as, ``= + - @`` (full-width ``＝ ＋ － ＠`` and other compatibility
    forms), after any white space (non-breaking and other Unicode spaces) and invisible format characters.

    >>> [safe_cell(t) for t in ("=1+2", "\n=1", "\u00a0=1", "\uff1d1", "\u200b\u3000@SUM(A1)", "a=b", "")]
    ["'=1+2", "'\n=1", "'\xa0=1", "'＝1", "'\u200b\u3000@SUM(A1)", 'a=b', '']
    """
    first = unicodedata.normalize("NFKC", _first_visible(text))
    if text.startswith(_CONTROL_START) or first.startswith(_FORMULA_START):
        return "'" + text
    return text


def _first_visible(text: str) -> str:
    for char in text:
        if not (char.isspace() or unicodedata.category(char) == "Cf"):
            return char
    return ""


def to_csv(result: QueryResult, *, spreadsheet_safe: bool = False) -> str:
    out = io.StringIO()
    # CRLF, as the W3C CSV results format (RFC 4180) says; it also makes the writer quote a cell holding a bare CR,
    # which a spreadsheet would otherwise read as a new row (a way round the formula escape).
    writer = csv.writer(out, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow([str(result.boolean).lower()])
        return out.getvalue()
    if result.kind == "graph":
        header, rows = ["subject", "predicate", "object"], [tuple(t) for t in result.triples]
    else:
        header, rows = result.variables, result.rows
    writer.writerow(header)
    for row in rows:
        values = [cell(t) for t in row]
        writer.writerow([safe_cell(v) for v in values] if spreadsheet_safe else values)
    return out.getvalue()


def tsv_cell(term: Node | None) -> str:
    r"""A term as the W3C SPARQL 1.1 TSV results format writes it: IRIs in ``<>``, literals in Turtle/N-Triples
    form with their language or datatype (escaped, so a tab or line break cannot split a row), blank nodes as
    ``_:label``, unbound as empty.

    >>> tsv_cell(Literal("a" + chr(9) + "b")), tsv_cell(URIRef("http://x/a")), tsv_cell(Literal("1", datatype=XSD.integer))
    ('"a\\tb"', '<http://x/a>', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return nt_term(term).replace("\t", "\\t")  # N-Triples may keep a tab raw; in TSV it would split the cell


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: a header of ``?variables``, one line per row, LF line ends."""
    if result.kind == "ask":
        return f"?boolean\n{str(result.boolean).lower()}\n"
    if result.kind == "graph":
        header, rows = ["subject", "predicate", "object"], [tuple(t) for t in result.triples]
    else:
        header, rows = result.variables, result.rows
    lines = ["\t".join(f"?{v}" for v in header)] + ["\t".join(tsv_cell(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"cannot write {term!r} as JSON")


def to_json(result: QueryResult, *, citation: dict | None = None) -> str:
    """SPARQL 1.1 Query Results JSON, plus an ``euaigraph`` block saying whether rows were cut at the cap (and,
    given one, the citation of the view as CSL-JSON)."""
    meta = {"truncated": result.truncated, "row_cap": result.row_cap, "elapsed_ms": round(result.elapsed_ms, 1)}
    if citation:
        meta["citation"] = citation
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean, "euaigraph": meta}, indent=1)
    if result.kind == "graph":
        variables = ["subject", "predicate", "object"]
        rows = result.triples
    else:
        variables, rows = result.variables, result.rows
    bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    # The extra block goes before "results": streaming readers (Oxigraph's) refuse anything after the bindings.
    return json.dumps({"head": {"vars": variables}, "euaigraph": meta, "results": {"bindings": bindings}},
                      indent=1, ensure_ascii=False)


def short(term: Node | None, prefixes: dict[str, str] | None = None) -> str:
    """A compact display form: IRIs shortened with known prefixes, literals as text.

    >>> short(URIRef("https://w3id.org/euaigraph/id/model/a/b"), {"id": "https://w3id.org/euaigraph/id/"})
    'id:model/a/b'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, namespace in (prefixes or {}).items():
            if str(term).startswith(namespace):
                return f"{prefix}:{str(term)[len(namespace):]}"
    return str(term)
