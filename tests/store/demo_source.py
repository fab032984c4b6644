"""A small source in a format written for these tests, so the store tests exercise the real loader.

The feed is a tab-separated text file, one model per line: ``key<TAB>label[<TAB>base-key]``. Blank lines and
lines starting with ``#`` are skipped; a line with an empty label is a bad record (rejected, with file:line); a
line without a tab is a broken feed (FeedError, the run is aborted).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from euaigraph.ingest.base import PRIORITY_THIRD_PARTY, Feed, FeedError, Report, SourceSpec, Triple
from euaigraph.ingest.emit import double
from euaigraph.ontology.iri import model_iri
from euaigraph.ontology.vocab import EAI


def model(source_id: str, key: str):
    return model_iri(f"{source_id}/{key}")


def parse_lines(source_id: str, feed: Feed, report: Report) -> Iterator[Triple]:
    report.file_read(feed.path.name)
    with feed.path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            where = f"{feed.path.name}:{n}"
            if "\t" not in line:
                raise FeedError(source_id, where, "expected key<TAB>label")
            report.read()
            key, label, *rest = line.split("\t")
            if not label.strip():
                report.reject(where, f"record {key!r} has an empty label")
                continue
            report.ingested()
            node = model(source_id, key)
            yield node, RDF.type, EAI.AIModel
            yield node, RDFS.label, Literal(label, lang="en")
            yield node, EAI.parameterCount, double(n * 1e9)
            if rest and rest[0]:
                yield node, EAI.derivedFrom, model(source_id, rest[0])


def spec(source_id: str = "demo", *, min_triples: int = 6) -> SourceSpec:
    return SourceSpec(
        id=source_id,
        title=f"Demo source {source_id}",
        homepage=f"https://example.org/{source_id}",
        data_licence="CC-BY-4.0",
        parse=lambda feed, report: parse_lines(source_id, feed, report),
        min_triples=min_triples,
        priority=PRIORITY_THIRD_PARTY,
        live_url=f"https://example.org/{source_id}/feed.tsv",
    )


def write_feed(path: Path, records: Iterable[tuple[str, ...]]) -> Path:
    path.write_text("".join("\t".join(r) + "\n" for r in records), encoding="utf-8")
    return path


def big_feed(path: Path, n: int) -> Path:
    """``n`` models, each derived from one of 100 roots (a shallow tree keeps the closure linear): 4 triples each."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(f"m{i}\tModel {i}\t{'' if i < 100 else f'm{i % 100}'}\n")
    return path
