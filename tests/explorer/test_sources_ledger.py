"""The Sources page shows the ledger of a source's last run (files, outcomes, merges, notes) as plain text: a file
name, reason or note from a feed is never read as Markdown."""

from __future__ import annotations

import pytest
from explorer_support import MARKER, REFERENCE, texts
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from euaigraph.graph.load.pipeline import ingest_many
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest import registry
from euaigraph.ingest.base import PRIORITY_THIRD_PARTY, Feed, SourceSpec
from euaigraph.ontology.iri import model_iri
from euaigraph.ontology.vocab import EAI

pytestmark = pytest.mark.slow

EVIL = f"**bold** [link](javascript:console.log('{MARKER}-7')) <img src=x onerror=console.log('{MARKER}-8')>"


def parse(feed, report):
    """A feed whose file names, reasons and notes are hostile text; every record accounted for."""
    report.file_read(feed.path.name)
    report.file_skipped(f"skipped/{EVIL}.yaml", f"not a record file: {EVIL}")
    report.read(3)
    report.ingested()
    report.reject(f"{feed.path.name}:2", f"grade {EVIL!r} is not one of open|partial|closed")
    report.merge(f"{feed.path.name}:3", into=f"{feed.path.name}:1", rule=f"same name ({EVIL})", where="x:3")
    report.note(f"a note from the feed: {EVIL}")
    model = model_iri("ledger/demo")
    yield model, RDF.type, EAI.AIModel
    yield model, RDFS.label, Literal("Ledger demo")


SPEC = SourceSpec(id="ledger-demo", title="Ledger demo", homepage="https://example.org/ledger", data_licence="CC0-1.0",
                  parse=parse, min_triples=1, priority=PRIORITY_THIRD_PARTY)


@pytest.fixture(scope="module")
def ledger_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("ledger") / "store"
    feed = home.parent / "feed.txt"
    feed.write_text("demo\n", encoding="utf-8")
    jobs = [(registry.get(sid), Feed.from_path(registry.get(sid).shipped_path())) for sid in REFERENCE]
    with EmbeddedStore(home, writable=True) as store:
        assert all(o.ok for o in ingest_many(store, [*jobs, (SPEC, Feed.from_path(feed))], all_or_nothing=True))
    return home


def frames(at) -> str:
    return "\n".join(frame.value.to_csv() for frame in at.dataframe)


def test_the_ledger_of_the_chosen_source_is_shown_as_plain_text(open_page, ledger_home):
    at = open_page(ledger_home, "views/sources.py")
    assert not at.exception
    at.selectbox(key="ledger_source").set_value("ledger-demo").run()
    assert not at.exception
    shown = frames(at)
    for text in (f"skipped/{EVIL}.yaml", f"not a record file: {EVIL}", f"same name ({EVIL})",
                 f"a note from the feed: {EVIL}", "feed.txt:2"):
        assert text in shown, text
    summary = at.dataframe[1].value
    assert dict(zip(summary.iloc[:, 0], summary["value"]))["balanced"] == "yes"
    markup = " ".join(texts(at, "markdown") + texts(at, "caption") + texts(at, "error") + texts(at, "info"))
    assert MARKER not in markup and "**bold**" not in markup
