"""Reading an Epoch AI feed folder: which file is which table (by header), its well-formed rows, its numbers.

Used by :mod:`euaigraph.ingest.sources.epoch_ai`. Every file under the folder, in sub-folders too, is either read
as one of the tables below or skipped with the reason; a malformed row is rejected with its ``file:line``.

>>> number("1.2e+23"), number(" "), number("102000000000.0")
(1.2e+23, None, 102000000000.0)
>>> names("University of Washington,Allen Institute for AI"), names("")
(['University of Washington', 'Allen Institute for AI'], [])
>>> tagged("Amazon #confident"), tagged("OpenAI #likely, Microsoft #speculative"), tagged("Crusoe,Hoffman")
([('Amazon', 'confident')], [('OpenAI', 'likely'), ('Microsoft', 'speculative')], [('Crusoe', None), ('Hoffman', None)])
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from math import isfinite
from pathlib import Path

from .base import Feed, FeedError, Report
from .csv_table import header_of, read_table
from .ledger import Ledger, Lineage

SOURCE_ID = "epoch-ai"
DATA = "https://epoch.ai/data"


@dataclass(frozen=True)
class Table:
    """A table Epoch publishes: the columns that recognise it, the column naming a row, its public page."""

    columns: frozenset[str]
    name_column: str
    page: str
    numbers: tuple[str, ...] = ()


TABLES = {
    "models": Table(frozenset({"Model", "Organization"}), "Model", f"{DATA}/notable-ai-models",
                    ("Parameters", "Training compute (FLOP)", "Hardware quantity")),
    "clusters": Table(frozenset({"Name", "Chip type (primary)"}), "Name", f"{DATA}/gpu-clusters",
                      ("Chip quantity (primary)",)),
    "hardware": Table(frozenset({"Hardware name", "Manufacturer"}), "Hardware name",
                      f"{DATA}/machine-learning-hardware"),
    "data_centers": Table(frozenset({"Handle", "Title", "Owner"}), "Handle", f"{DATA}/data-centers"),
}
#: Tables of the same feed that hold no records of things this graph describes, and why they are not read.
NOT_READ = {
    frozenset({"Date", "Data center", "Construction status"}):
        "Epoch's data-centre construction timeline: dated progress notes of the sites in the data-centre table, "
        "not facilities",
    frozenset({"Company", "Close date", "Valuation (post-money)"}):
        "Epoch's funding rounds of AI companies: investments, not models or facilities",
}
#: Column names of older exports of the same tables -> the current names.
COLUMN_SYNONYMS = {"System": "Model", "Country (from Organization)": "Country (of organization)"}


def number(cell: str) -> float | None:
    """A float from an Epoch number cell; None for an empty cell; ValueError for anything else."""
    if not cell.strip():
        return None
    found = float(cell)
    if not isfinite(found):
        raise ValueError(f"not a finite number: {cell!r}")
    return found


def names(cell: str) -> list[str]:
    """Epoch's comma lists, in order."""
    return [part.strip() for part in cell.split(",") if part.strip()]


def tagged(cell: str) -> list[tuple[str, str | None]]:
    """The data-centre table's lists whose names carry Epoch's confidence tag (``#confident``, ``#likely``,
    ``#speculative``)."""
    out = []
    for part in names(cell):
        name, hash_sign, tag = part.rpartition("#")
        is_tag = bool(hash_sign) and tag.strip().isalnum()
        out.append((name.strip(), tag.strip().lower()) if is_tag else (part, None))
    return [(name, tag) for name, tag in out if name]


def tables(root: Path, base: Path, report: Report) -> dict[str, list[Path]]:
    """The files of each table under ``root``, recognised by header; every other file is skipped with a reason."""
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    found: dict[str, list[Path]] = {kind: [] for kind in TABLES}
    for path in files:
        where = str(path.relative_to(base))
        if path.suffix.lower() != ".csv":
            report.file_skipped(where, f"not a CSV table ({path.suffix or 'no extension'})")
            continue
        header = _header(path, where)
        kind = next((k for k, table in TABLES.items() if table.columns <= header), None)
        if kind:
            found[kind].append(path)
            report.file_read(where)
        else:
            reason = next((why for columns, why in NOT_READ.items() if columns <= header), None)
            report.file_skipped(where, reason or "not an Epoch table this source reads (notable models, GPU "
                                                 "clusters, ML hardware, data centres): columns "
                                                 f"{', '.join(sorted(header))[:200]}")
    if not found["models"] and not found["clusters"] and not found["data_centers"]:
        raise FeedError(SOURCE_ID, str(root), "no Epoch notable-models, GPU-clusters or data-centres table "
                                              "(recognised by header)")
    return found


def _header(path: Path, where: str) -> set[str]:
    return {_column(cell) for cell in header_of(SOURCE_ID, path, where)}


def _column(cell: str) -> str:
    return COLUMN_SYNONYMS.get(cell.strip(), cell.strip())


def rows(path: Path, where: str, kind: str, report: Report) -> Iterator[tuple[str, dict[str, str]]]:
    """``(file:line, row)`` for every well-formed row; each row is one record read, and a malformed one is
    rejected with its line (a table cut short is a :class:`FeedError`, :mod:`euaigraph.ingest.csv_table`)."""
    table = read_table(SOURCE_ID, path, where, rows_required=True)  # Epoch never publishes an empty table
    table = replace(table, header=[_column(cell) for cell in table.header])
    for here, row in table.counted(where, report):
        problem = _problem(row, TABLES[kind])
        if problem:
            report.reject(here, problem)
        else:
            yield here, row


def _problem(row: dict[str, str], table: Table) -> str | None:
    if not row.get(table.name_column, "").strip():
        return f"{table.name_column} is empty"
    bad = [col for col in table.numbers if not _reads(row.get(col, ""))]
    return f"{bad[0]}: {row[bad[0]]!r} is not a number" if bad else None


def _reads(cell: str) -> bool:
    try:
        number(cell)
    except ValueError:
        return False
    return True


class ParseState:
    """The state of one parse: the ledger, lineage, names left unresolved, matches refused, notes to make."""

    def __init__(self, feed: Feed, report: Report):
        self.feed, self.report = feed, report
        self.ledger, self.lineage = Ledger(SOURCE_ID, feed, report), Lineage()
        self.later: list[tuple[str, str, str]] = []  # unresolved model and facility names, itemised last
        self.refused: list[str] = []
        self.unattributed: list[str] = []
        self.speculative = 0
