"""Reading a CSV table from a feed, with the structural check a CSV allows: a file cut short.

A CSV cut short ends inside a quoted field (the ``csv`` module's strict mode reports it) or on a row with fewer
fields than the header; either raises :class:`~euaigraph.ingest.base.FeedError` naming the file and line, so a
truncated table never replaces a whole one. A short row elsewhere is one bad record, which the caller rejects.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = path.write_text("a,b,c\\n1,2,3\\n4,5")
>>> try:
...     read_table("demo", path, "t.csv")
... except FeedError as exc:
...     print(exc)
demo: t.csv:3: the last row has 2 of 3 fields and no line end: the file looks cut short
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .base import FeedError, Report
from .safe_parse import DEFAULT_MAX_BYTES, decode_utf8, read_capped


@dataclass(frozen=True)
class Table:
    """A CSV file's header and its rows, each with the line it starts on."""

    header: list[str]
    rows: list[tuple[int, list[str]]]

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """(line, {column: value}) for the rows with exactly the header's fields."""
        return [(line, dict(zip(self.header, row))) for line, row in self.rows if len(row) == len(self.header)]

    def counted(self, name: str, report: Report) -> Iterator[tuple[str, dict[str, str]]]:
        """``(file:line, {column: value})`` for every row with the header's fields, each counted as one record
        read; a row of empty cells is not a record, and a row with another number of fields is rejected with its
        line (the one rule every CSV feed follows)."""
        for line, values in self.rows:
            if not any(v.strip() for v in values):
                continue
            report.read()
            where = f"{name}:{line}"
            if len(values) != len(self.header):
                report.reject(where, f"{len(values)} fields where the header has {len(self.header)}")
                continue
            yield where, dict(zip(self.header, values, strict=True))


def header_of(source: str, path: Path, name: str, *, max_bytes: int = 1024 * 1024) -> list[str]:
    """The header row of a CSV file, read from its first line only (so that a bad byte further down is reported at
    its own line by :func:`read_table`, not here). Raises FeedError for an empty file or an unreadable header."""
    with path.open("rb") as handle:
        first = handle.readline(max_bytes).removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")
    if not first.strip():
        raise FeedError(source, name, "an empty CSV file (no header): the download may have failed")
    try:
        line = first.decode("utf-8")
        return next(csv.reader([line], strict=True), [])
    except UnicodeDecodeError as exc:
        raise FeedError(source, f"{name}:1", f"the header is not valid UTF-8 (byte 0x{first[exc.start]:02x})") from None
    except csv.Error as exc:
        raise FeedError(source, f"{name}:1", f"the header is not a CSV row: {exc}") from None


def read_table(source: str, path: Path, name: str, *, delimiter: str = ",",
               max_bytes: int = DEFAULT_MAX_BYTES, rows_required: bool = False) -> Table:
    """Parse one CSV file (UTF-8, size-capped). Raises FeedError when it is not CSV or looks cut short; with
    ``rows_required`` (a table its publisher never leaves empty), a header with no row is cut short too."""
    text = decode_utf8(source, path, read_capped(source, path, name=name, max_bytes=max_bytes), name=name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        start = 1
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FeedError(source, f"{name}:{reader.line_num}", f"not valid CSV ({exc}): the file may be cut short") from None
    if not rows:
        raise FeedError(source, name, "an empty CSV file (no header)")
    nul = text.find("\x00")
    if nul >= 0:  # a NUL byte is never text: a corrupt or binary file
        raise FeedError(source, f"{name}:{text.count(chr(10), 0, nul) + 1}", "a NUL byte in a CSV table")
    header = rows[0][1]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:  # a row read into a mapping would silently keep only the last of them
        raise FeedError(source, f"{name}:1", f"column(s) {', '.join(map(repr, repeated))} appear twice in the header")
    body = [(line, row) for line, row in rows[1:] if row]  # blank lines are not rows
    if body and len(body[-1][1]) < len(header) and not text.endswith(("\n", "\r")):
        line, row = body[-1]
        raise FeedError(source, f"{name}:{line}", f"the last row has {len(row)} of {len(header)} fields and no line "
                                                  f"end: the file looks cut short")
    if rows_required and not any(any(v.strip() for v in row) for _, row in body):
        raise FeedError(source, name, "a header and no rows: the file looks cut short")
    return Table(header, body)
