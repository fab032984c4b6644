"""Tables derived from the assessment files (Opening up ChatGPT's ``docs/df.csv``: one flattened row per project
file, plus a numeric openness score): each row is a record merged into the file it was derived from.

A row says nothing the file does not, except its score, which is kept as a note on the file's record. A row whose
file is not read in the same run (absent, or rejected) is rejected: the derived table is never read on its own, so
it can neither add a system nor restore a file the run refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rdflib import Literal

from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .base import Feed, Report, Triple
from .csv_table import read_table

#: The column naming the file a row was derived from.
SOURCE_COLUMN = "source.file"


def read_derived_tables(source_id: str, tables: list[tuple[Path, str]], accepted: dict[str, str], feed: Feed,
                        report: Report) -> Iterator[Triple]:
    """Every derived table of the feed; ``accepted`` maps the path of each file read in this run to its key."""
    for path, rel in tables:
        table = read_table(source_id, path, rel)
        if SOURCE_COLUMN not in table.header:
            report.file_skipped(rel, f"a CSV table without a {SOURCE_COLUMN!r} column: not derived from the files")
            continue
        report.file_read(rel)
        for where, values in table.counted(rel, report):
            target = values[SOURCE_COLUMN].strip().lstrip("/")
            if target not in accepted:
                report.reject(where, f"derived from {target or 'no file'}, which this run did not read (absent or "
                                     f"rejected); a derived row is never read on its own")
                continue
            report.merge(where, into=target, rule=f"a row of a table derived from that file ({SOURCE_COLUMN})",
                         where=where)
            score = values.get("openness", "").strip()
            if score:
                yield iri.record_iri(source_id, accepted[target]), EAI.note, Literal(f"openness score in {rel}: {score}")
