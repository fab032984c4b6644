"""Loading a W3C test's dataset into our stores and comparing our answers with the expected results.

Solutions are compared as bags (multisets) with blank nodes matched by a consistent one-to-one mapping, as the
suite's result-set equivalence asks; graphs are compared for isomorphism. Terms on both sides go through the same
conversion to rdflib terms as our query layer's answers do.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from euaigraph.graph.store.base import QueryResult
from euaigraph.graph.store.terms import to_rdflib

_RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML,
                ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
_RESULT_FORMATS = {".srx": ox.QueryResultsFormat.XML, ".srj": ox.QueryResultsFormat.JSON,
                   ".tsv": ox.QueryResultsFormat.TSV, ".csv": ox.QueryResultsFormat.CSV}


def dataset_nquads(data: tuple[Path, ...], graph_data: tuple[Path, ...]) -> bytes:
    """The test's dataset as N-Quads: ``qt:data`` in the default graph, each ``qt:graphData`` in a named graph
    called by its file IRI; relative IRIs resolved against each file's IRI."""
    dataset = ox.Store()
    for path in data:
        dataset.load(path=str(path), format=_RDF_FORMATS[path.suffix], base_iri=path.as_uri(),
                     to_graph=ox.DefaultGraph())
    for path in graph_data:
        dataset.load(path=str(path), format=_RDF_FORMATS[path.suffix], base_iri=path.as_uri(),
                     to_graph=ox.NamedNode(path.as_uri()))
    return dataset.dump(format=ox.RdfFormat.N_QUADS)


def expected_solutions(path: Path) -> tuple[list[str], list[tuple], bool | None]:
    """(variables, rows, boolean) of a result file (.srx, .srj, .tsv)."""
    parsed = ox.parse_query_results(path=str(path), format=_RESULT_FORMATS[path.suffix])
    if isinstance(parsed, ox.QueryBoolean):
        return [], [], bool(parsed)
    variables = [v.value for v in parsed.variables]
    return variables, [tuple(to_rdflib(s[v]) for v in variables) for s in parsed], None


def expected_graph(path: Path) -> Graph:
    graph = Graph()
    graph.parse(path, format={".ttl": "turtle", ".rdf": "xml", ".nt": "nt"}[path.suffix], publicID=path.as_uri())
    return graph


def _bnodes(row: tuple) -> bool:
    return any(isinstance(term, BNode) for term in row)


def _signature(row: tuple) -> tuple:
    return tuple("_:" if isinstance(term, BNode) else term for term in row)


def same_bag(expected: list[tuple], got: list[tuple]) -> bool:
    """Equal as multisets once blank nodes are renamed one-to-one."""
    if len(expected) != len(got):
        return False
    plain_e, plain_g = [r for r in expected if not _bnodes(r)], [r for r in got if not _bnodes(r)]
    if Counter(plain_e) != Counter(plain_g):
        return False
    blank_e, blank_g = [r for r in expected if _bnodes(r)], [r for r in got if _bnodes(r)]
    if Counter(map(_signature, blank_e)) != Counter(map(_signature, blank_g)):
        return False
    return _map_rows(blank_e, blank_g, {}, set(), budget=[200_000])


def _map_rows(expected: list[tuple], got: list[tuple], mapping: dict, used: set, budget: list[int]) -> bool:
    if not expected:
        return True
    row, rest = expected[0], expected[1:]
    for index, candidate in enumerate(got):
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if index in used or _signature(candidate) != _signature(row):
            continue
        extended = _extend(mapping, row, candidate)
        if extended is not None and _map_rows(rest, got, extended, used | {index}, budget):
            return True
    return False


def _extend(mapping: dict, row: tuple, candidate: tuple) -> dict | None:
    out = dict(mapping)
    reverse = {v: k for k, v in out.items()}
    for ours, theirs in zip(row, candidate):
        if isinstance(ours, BNode):
            if out.get(ours, theirs) != theirs or reverse.get(theirs, ours) != ours:
                return None
            out[ours], reverse[theirs] = theirs, ours
    return out


def compare(result: QueryResult, expected: Path) -> str | None:
    """None when ``result`` matches the expected result file, else what differs."""
    if expected.suffix in (".ttl", ".rdf", ".nt"):
        if result.kind != "graph":
            return f"expected a graph, got a {result.kind} result"
        got = Graph()
        for triple in result.triples:
            got.add(triple)
        wanted = expected_graph(expected)
        return None if isomorphic(got, wanted) else f"graphs differ: got {len(got)} triples, expected {len(wanted)}"
    variables, rows, boolean = expected_solutions(expected)
    if boolean is not None:
        if result.kind == "ask" and result.boolean is boolean:
            return None
        return f"expected {boolean}, got {result.boolean}"
    if result.kind != "select":
        return f"expected solutions, got a {result.kind} result"
    if sorted(result.variables) != sorted(variables):
        return f"variables {result.variables} != expected {variables}"
    order = [result.variables.index(v) for v in variables]
    got = [tuple(row[i] for i in order) for row in result.rows]
    return None if same_bag(rows, got) else f"solutions differ: {_difference(got, rows)}"


def _difference(got: list[tuple], expected: list[tuple]) -> str:
    """The rows only one side has (blank nodes shown as _:), in N-Triples syntax."""
    def shown(rows):
        return Counter(tuple("_:" if isinstance(t, BNode) else (t.n3() if t is not None else "UNBOUND") for t in row)
                       for row in rows)

    ours, theirs = shown(got), shown(expected)
    only = lambda a, b: " ".join(sorted("(" + ", ".join(r) + ")" for r in (a - b).elements()))  # noqa: E731
    if ours == theirs:
        return "the blank nodes cannot be matched one-to-one"
    return f"only ours {only(ours, theirs) or '-'}; only expected {only(theirs, ours) or '-'}"


def csv_rows(text: str) -> tuple[list[str], list[tuple]]:
    """Header and rows of a W3C CSV result, ``_:label`` cells as blank nodes (to match by renaming)."""
    table = list(csv.reader(io.StringIO(text, newline="")))
    cell = lambda value: BNode(value[2:]) if value.startswith("_:") else value  # noqa: E731
    return table[0], [tuple(cell(v) for v in row) for row in table[1:]]


def compare_csv(ours: str, expected: Path) -> str | None:
    """None when our W3C CSV has the expected header, line ends (CRLF) and rows; else every difference found
    (columns in another order are reported, then compared in the expected order)."""
    wanted_text = expected.read_bytes().decode("utf-8")
    header, rows = csv_rows(ours)
    wanted_header, wanted_rows = csv_rows(wanted_text)
    problems = []
    if header != wanted_header:
        if sorted(header) != sorted(wanted_header):
            return f"header {header} != {wanted_header}"
        problems.append(f"column order {header} != {wanted_header}")
        order = [header.index(name) for name in wanted_header]
        rows = [tuple(row[i] for i in order) for row in rows]
    if ("\r\n" in wanted_text) != ("\r\n" in ours):
        problems.append("line endings differ (the W3C CSV format uses CRLF)")
    if not same_bag(wanted_rows, rows):
        problems.append(f"rows differ: got {sorted(map(str, rows))}, expected {sorted(map(str, wanted_rows))}")
    return "; ".join(problems) or None
