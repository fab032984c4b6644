"""Rendering: cells a spreadsheet would run as formulas are escaped in the spreadsheet-safe CSV (graph/formats.py
and the snapshot's network tables); labels, titles and IRIs carrying ``<script>``, ``onerror=`` or
``javascript:`` come out of the explorer's network renderer and the snapshot summary page as inert text.

That nothing is *executed* in the real browser is proven by the explorer's browser tests (see SECURITY.md);
these tests check the generated documents themselves.
"""

from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest
from rdflib import Literal, URIRef

from euaigraph.graph.query.formats import safe_cell, to_csv
from euaigraph.graph.store.base import QueryResult

FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(A1:A2)", "=HYPERLINK(\"http://127.0.0.1:9/?\"&A1,\"x\")",
            "\t=1+2", "\r=1+2", "=cmd|' /C calc'!A0", "-", "+", "@",
            # white space or an invisible character first (spreadsheets that trim cells on import), full-width and
            # other compatibility forms of = + - @
            "\n=1+2", " =1+2", "\u00a0=1+2", "\u2003=1+2", "\u3000@SUM(A1)", "\u200b=1+2", "\ufeff=1+2",
            "\uff1d1+2", "\uff0b1", "\uff0d1", "\uff20SUM(A1)", "\ufe661+2", " \t \uff1dcmd|' /C calc'!A0"]
HARMLESS = ["1+2", "Mistral AI", "a=b", "", "https://example.org/=x", "'=quoted already", " 1 = 1", "\u00a0Mistral"]


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("value", FORMULAS)
def test_spreadsheet_safe_csv_escapes_formula_cells(value):
    """Input: a literal starting with = + - @ (or a full-width form of one, after any white space or invisible
    character), tab, CR or LF, in a query result. Expected: the spreadsheet-safe CSV cell starts with a quote and
    then the value unchanged; the W3C CSV keeps the value as it is."""
    result = QueryResult(kind="select", variables=["label"], rows=[(Literal(value),)])
    assert _csv_rows(to_csv(result, spreadsheet_safe=True))[1] == ["'" + value]
    assert _csv_rows(to_csv(result))[1] == [value]


@pytest.mark.parametrize("value", HARMLESS)
def test_spreadsheet_safe_csv_leaves_other_cells_alone(value):
    """Input: values that do not start a formula. Expected: the cell is unchanged in both CSVs."""
    assert safe_cell(value) == value


def test_spreadsheet_safe_csv_escapes_graph_results_and_keeps_the_header():
    """Input: a CONSTRUCT result whose object is a formula. Expected: the header is untouched, the object escaped."""
    result = QueryResult(kind="graph", triples=[(URIRef("http://x/a"), URIRef("http://x/p"), Literal("=2*3"))])
    assert _csv_rows(to_csv(result, spreadsheet_safe=True)) == [["subject", "predicate", "object"],
                                                               ["http://x/a", "http://x/p", "'=2*3"]]


def test_snapshot_network_tables_escape_formula_cells():
    """Input: an entity network whose node label is a formula. Expected: nodes-spreadsheet.csv escapes it,
    nodes.csv keeps it."""
    from euaigraph.graph.network import network_tables

    net = nx.MultiDiGraph()
    net.add_node("https://w3id.org/euaigraph/id/model/x", label="=HYPERLINK(\"http://evil\")", kind="model")
    plain, safe = network_tables(net)[0], network_tables(net, safe=True)[0]
    assert _csv_rows(plain.decode())[1][1] == "=HYPERLINK(\"http://evil\")"
    assert _csv_rows(safe.decode())[1][1] == "'=HYPERLINK(\"http://evil\")"


@pytest.mark.parametrize("value", ["harmless\r=HYPERLINK(A1)", "a\n=1+2", "a\r\n@SUM(1)"],
                         ids=["cr", "lf", "crlf"])
def test_line_break_inside_a_cell_cannot_start_a_new_row(value):
    """Input: a literal (or network label) with a CR or LF followed by a formula. Expected: the CSV still has one
    data row, whose cell is the whole value (quoted), so no spreadsheet row starts with the formula."""
    from euaigraph.graph.network import network_tables

    result = QueryResult(kind="select", variables=["label"], rows=[(Literal(value),)])
    for text in (to_csv(result), to_csv(result, spreadsheet_safe=True)):
        assert _csv_rows(text) == [["label"], [value]]
    net = nx.MultiDiGraph()
    net.add_node("https://w3id.org/euaigraph/id/model/x", label=value, kind="model")
    for nodes, _ in (network_tables(net), network_tables(net, safe=True)):
        rows = _csv_rows(nodes.decode())
        assert len(rows) == 2 and rows[1][1] == value


# -- HTML: the explorer's own suites cover markup in labels (tests/explorer/test_explorer_render.py,
# tests/explorer/test_snapshot.py) and execution in Chromium (tests/browser/test_explorer_browser.py); only what they
# leave out is checked here.
def test_explorer_renderer_escapes_line_separators_in_labels():
    """Input: labels and an edge title carrying U+2028 / U+2029 (line breaks inside a JavaScript string in older
    engines) next to a closing script tag. Expected: neither character reaches the page raw, the page has its two
    script elements only, and the labels read back from the inline JSON as the plain text given."""
    from euaigraph.explorer.render import render

    net = nx.MultiDiGraph()
    labels = ["a\u2028b", "c\u2029</script><script>alert(1)</script>"]
    for n, label in enumerate(labels):
        net.add_node(f"https://w3id.org/euaigraph/id/model/m{n}", label=label, kind="model")
    net.add_edge(*net.nodes, key="p", predicate="x\u2028y")
    page = render(net).html
    assert "\u2028" not in page and "\u2029" not in page
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    assert len(scripts) == 2
    nodes = json.loads(re.search(r"new vis\.DataSet\((.*?)\);\nconst edges", scripts[1], re.S).group(1))
    assert sorted(node["label"] for node in nodes) == sorted(" ".join(label.split()) for label in labels)
