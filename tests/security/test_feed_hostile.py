"""Malformed and hostile feeds through the real ingest path of the registered sources (``data-europa``,
``eu-vocabularies``, ``cordis``): a truncated file, HTML served as Turtle/XML, broken UTF-8, a file over the size
cap, a JSON-LD document with a remote ``@context``, an ``owl:imports`` pointing at a local server.

Expected every time: a clear error naming the source and the place (file, and line where there is one), no
request to the recording server, and the previous graph still current and unchanged. ``owl:imports`` is data: the
feed loads, and the imported document is never fetched.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import IngestError, ingest
from euaigraph.ingest import registry
from euaigraph.ingest.base import Feed
from euaigraph.ingest.safe_parse import DEFAULT_MAX_BYTES

from . import feeds
from .support import dataset_hash

VALID = {"data-europa": ("records.ttl", feeds.DATA_EUROPA), "eu-vocabularies": ("table.rdf", feeds.EU_VOCABULARIES),
         "cordis": ("101999001.xml", feeds.CORDIS)}
HTML = "<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head><body>Try later</body></html>\n"


def truncated(text: str) -> bytes:
    """The first 60 % of a feed, cut inside a statement or element."""
    return text.encode()[: int(len(text) * 0.6)]


def broken_utf8(text: str) -> bytes:
    """The feed with an invalid byte (0xff) inside the text of its fourth line."""
    lines = text.encode().split(b"\n")
    lines[3] = lines[3].replace(b'"', b'"\xff', 1) if b'"' in lines[3] else lines[3].replace(b">", b">\xff", 1)
    return b"\n".join(lines)


#: (test id, source, file name, bytes, what the message must name besides source and file, line expected)
CASES = [
    ("data-europa-truncated-turtle", "data-europa", "records.ttl", truncated(feeds.DATA_EUROPA), "syntax", True),
    ("data-europa-html-as-turtle", "data-europa", "records.ttl", HTML.encode(), "HTML page", True),
    ("data-europa-broken-utf8", "data-europa", "records.ttl", broken_utf8(feeds.DATA_EUROPA), "UTF-8", True),
    ("eu-vocabularies-truncated-rdfxml", "eu-vocabularies", "table.rdf", truncated(feeds.EU_VOCABULARIES),
     "not well-formed", True),
    ("eu-vocabularies-html-as-turtle", "eu-vocabularies", "table.ttl", HTML.encode(), "HTML page", True),
    ("eu-vocabularies-broken-utf8", "eu-vocabularies", "table.rdf", broken_utf8(feeds.EU_VOCABULARIES), "UTF-8", True),
    ("cordis-truncated-xml", "cordis", "101999001.xml", truncated(feeds.CORDIS), "not well-formed", True),
    ("cordis-html-as-xml", "cordis", "101999001.xml", HTML.encode(), "HTML page", True),
    ("cordis-broken-utf8", "cordis", "101999001.xml", broken_utf8(feeds.CORDIS), "not well-formed", True),
]


class Previous:
    """An embedded store where ``source`` holds a valid graph; checks that a failed run left it as it was."""

    def __init__(self, folder: Path, source: str):
        self.spec = registry.get(source)
        self.folder = folder
        self.store = EmbeddedStore(folder / "store", writable=True)
        name, text = VALID[source]
        valid = folder / "valid" / name
        valid.parent.mkdir()
        valid.write_text(text, encoding="utf-8")
        ingest(self.store, self.spec, Feed.from_path(valid))
        self.graphs = self.store.current_graphs()
        self.content = dataset_hash(self.store, include_meta=False)

    def assert_intact(self) -> None:
        assert self.store.current_graphs() == self.graphs
        assert dataset_hash(self.store, include_meta=False) == self.content

    def hostile(self, name: str, data: bytes) -> Path:
        path = self.folder / "hostile" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        return path


def feed_of(path: Path) -> Feed:
    return Feed(path=path, url=path.as_uri(), retrieved_at=datetime.now(UTC), version="test")


@pytest.mark.parametrize(("source", "name", "data", "says", "with_line"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_malformed_feed_fails_naming_source_file_and_line_keeping_previous_graph(
        tmp_path, recorder, source, name, data, says, with_line):
    """Input: a truncated file, an HTML error page in place of the feed, or an invalid UTF-8 byte.
    Expected: IngestError starting with the source id, naming the file (with ``:line``) and the problem; nothing
    fetched; the previous graph current and unchanged."""
    previous = Previous(tmp_path, source)
    try:
        with pytest.raises(IngestError) as caught:
            ingest(previous.store, previous.spec, feed_of(previous.hostile(name, data)))
        message = str(caught.value)
        assert message.startswith(f"{source}: ")
        assert re.search(re.escape(name) + (r":\d+" if with_line else ""), message), message
        assert says in message
        assert recorder.requests == []
        previous.assert_intact()
    finally:
        previous.store.close()


@pytest.mark.parametrize("source", list(VALID))
def test_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path, source):
    """Input: a (sparse) file one byte over the 256 MB cap in the source's format.
    Expected: IngestError naming the source, the file and the cap, without reading it; previous graph intact."""
    previous = Previous(tmp_path, source)
    try:
        name = VALID[source][0]
        path = previous.hostile(name, b"")
        with path.open("r+b") as handle:
            handle.truncate(DEFAULT_MAX_BYTES + 1)
        with pytest.raises(IngestError, match=rf"^{source}: .*{re.escape(name)}.*over the cap"):
            ingest(previous.store, previous.spec, feed_of(path))
        previous.assert_intact()
    finally:
        previous.store.close()


def jsonld(context: object) -> str:
    import json

    return json.dumps({"@context": context, "@id": "https://data.europa.eu/88u/dataset/probe-jsonld",
                       "@type": "http://www.w3.org/ns/dcat#Dataset", "title": "Probe"})


REMOTE_CONTEXTS = {
    "context-url": lambda url: url,
    "context-list-with-url": lambda url: [{"title": "http://purl.org/dc/terms/title"}, url],
    "context-import": lambda url: {"@import": url, "title": "http://purl.org/dc/terms/title"},
    "scoped-context-url": lambda url: {"title": {"@id": "http://purl.org/dc/terms/title", "@context": url}},
}


@pytest.mark.parametrize("source", ["data-europa", "eu-vocabularies"])
@pytest.mark.parametrize("shape", list(REMOTE_CONTEXTS), ids=list(REMOTE_CONTEXTS))
def test_jsonld_remote_context_is_refused_without_a_request(tmp_path, recorder, source, shape):
    """Input: a JSON-LD feed whose ``@context`` (top level, in a list, via ``@import`` or scoped in a term) is a
    URL on the recording server, with no local copy beside it. Expected: IngestError naming the source, the file and
    the context URL; zero requests; previous graph intact."""
    previous = Previous(tmp_path, source)
    try:
        url = recorder.url("/context.jsonld")
        path = previous.hostile("records.jsonld", jsonld(REMOTE_CONTEXTS[shape](url)).encode())
        with pytest.raises(IngestError, match=rf"^{source}: .*records\.jsonld.*remote JSON-LD context"):
            ingest(previous.store, previous.spec, feed_of(path))
        assert recorder.requests == []
        previous.assert_intact()
    finally:
        previous.store.close()


OWL_IMPORTS = {
    "data-europa": ("records.ttl", feeds.DATA_EUROPA + "<https://data.europa.eu/88u/catalogue/probe> "
                    "<http://www.w3.org/2002/07/owl#imports> <{url}> .\n"),
    "eu-vocabularies": ("ontology.owl", feeds.EU_VOCABULARIES.replace(
        "</rdf:RDF>", '<owl:Ontology rdf:about="http://publications.europa.eu/resource/authority/probe-table">'
        '<owl:imports rdf:resource="{url}"/></owl:Ontology>\n</rdf:RDF>')),
}


@pytest.mark.parametrize("source", list(OWL_IMPORTS))
def test_owl_imports_is_data_and_never_fetched(tmp_path, recorder, source):
    """Input: a valid feed that declares ``owl:imports`` of a Turtle document on the recording server.
    Expected: the feed loads as a new version; zero requests; nothing of the imported document in the graph."""
    previous = Previous(tmp_path, source)
    try:
        name, template = OWL_IMPORTS[source]
        path = previous.hostile(name, template.replace("{url}", recorder.url("/imported.ttl")).encode())
        ingest(previous.store, previous.spec, feed_of(path))
        assert recorder.requests == []
        assert previous.store.execute("ASK { <http://probe.example/fetched> ?p ?o }").boolean is False
        assert previous.store.current_graphs()[source] != previous.graphs[source]
    finally:
        previous.store.close()


@pytest.mark.parametrize(("source", "name", "data"), [
    ("data-europa", "records.ttl", broken_utf8(feeds.DATA_EUROPA)),
    ("eu-vocabularies", "table.rdf", feeds.billion_laughs(feeds.XML_SOURCES[0]).encode()),
], ids=["data-europa-broken-utf8", "eu-vocabularies-billion-laughs"])
def test_cli_ingest_of_hostile_file_exits_non_zero_naming_the_place(tmp_path, source, name, data):
    """Input: ``euaigraph --store S ingest SOURCE --file hostile`` in a real process.
    Expected: exit code 1, stderr names the source and the file with its line, the store keeps its graph."""
    previous = Previous(tmp_path, source)
    path = previous.hostile(name, data)
    previous.store.close()  # the CLI takes the writer lock itself
    env = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "euaigraph.graph.cli", "--store", str(tmp_path / "store"), "ingest",
                           source, "--file", str(path)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    message = " ".join(done.stderr.split())
    assert f"{source}: " in message and re.search(re.escape(name) + r":\d+", message), message
    with EmbeddedStore(tmp_path / "store") as reopened:
        assert reopened.current_graphs() == previous.graphs
        assert dataset_hash(reopened, include_meta=False) == previous.content
