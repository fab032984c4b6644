"""Query results as the reviewed expected files hold them: terms shortened with the project prefixes, rows sorted."""

from __future__ import annotations

import csv
from pathlib import Path

from euaigraph.graph.query.formats import short
from euaigraph.graph.store.base import QueryResult
from euaigraph.ontology.namespaces import PREFIXES

EXPECTED = Path(__file__).parent / "expected"


def table(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    """(header, sorted rows of display strings): IRIs as ``prefix:local``, literals as their lexical form."""
    rows = sorted([short(term, PREFIXES) for term in row] for row in result.rows)
    return list(result.variables), rows


def expected_path(name: str) -> Path:
    return EXPECTED / f"{name}.csv"


def read_expected(name: str) -> tuple[list[str], list[list[str]]]:
    with expected_path(name).open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows
