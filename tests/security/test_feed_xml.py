"""XML entity expansion and external entities in the XML-reading sources — RDF/XML and OWL tables
(``eu-vocabularies``), RDF/XML records (``data-europa``) and CORDIS project XML (``cordis``) — ingested through the
real path (``graph.load.ingest`` with the registered source): rejected in under a second with bounded memory, the
previous graph intact, nothing fetched (a local server records zero requests), nothing read from disk.
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Graph

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import IngestError, ingest
from euaigraph.ingest import registry
from euaigraph.ingest.base import Feed

from . import feeds
from .support import dataset_hash

#: Rejection must be quick and small: a billion-laughs expansion would need gigabytes and minutes.
MAX_SECONDS = 1.0
MAX_TRACED_BYTES = 32 * 1024 * 1024
MAX_RSS_GROWTH_KB = 200 * 1024

EXPANSIONS = {"billion-laughs": feeds.billion_laughs, "quadratic-blowup": feeds.quadratic_blowup,
              "external-file-entity": feeds.external_file_entity}
REACHING = {"external-entity": feeds.external_entity, "parameter-entity": feeds.parameter_entity,
            "external-dtd": feeds.external_dtd}
SOURCES = {f"{s.source}-{Path(s.filename).suffix[1:]}": s for s in feeds.XML_SOURCES}


def feed_of(path: Path) -> Feed:
    """A feed for a local file without hashing it first (as the CLI would): the test times only the ingest."""
    return Feed(path=path, url=path.as_uri(), retrieved_at=datetime.now(UTC), version="test")


class Loaded:
    """An embedded store where ``source`` already holds a valid previous graph."""

    def __init__(self, folder: Path, source: feeds.XmlSource):
        self.spec = registry.get(source.source)
        self.source = source
        self.store = EmbeddedStore(folder / "store", writable=True)
        valid = folder / "valid" / source.filename
        valid.parent.mkdir()
        valid.write_text(source.valid, encoding="utf-8")
        ingest(self.store, self.spec, Feed.from_path(valid))
        self.graphs = self.store.current_graphs()
        self.content = dataset_hash(self.store, include_meta=False)

    def assert_intact(self) -> None:
        assert self.store.current_graphs() == self.graphs
        assert dataset_hash(self.store, include_meta=False) == self.content
        status = {s.source: s.status for s in self.store.sources()}
        assert status[self.spec.id] == "failed"  # the failed run is recorded, the old graph stays current


@pytest.fixture(params=list(SOURCES), ids=list(SOURCES))
def loaded(request, tmp_path):
    state = Loaded(tmp_path, SOURCES[request.param])
    yield state
    state.store.close()


def ingest_measured(loaded: Loaded, path: Path) -> tuple[IngestError, float, int, int]:
    """Ingest a hostile file: the error, seconds taken, peak traced bytes and growth of the peak RSS (kB)."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(IngestError) as caught:
            ingest(loaded.store, loaded.spec, feed_of(path))
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    return caught.value, elapsed, peak, growth


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / "hostile" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("attack", list(EXPANSIONS), ids=list(EXPANSIONS))
def test_entity_expansion_is_rejected_fast_small_and_keeps_previous_graph(loaded, tmp_path, attack):
    """Input: billion laughs (10^9 x "lol"), a quadratic blowup (50 kB x 50,000) or an entity reading
    /etc/passwd, in the source's own file shape. Expected: IngestError naming the source, the file and "refused"
    within 1 s and 32 MB traced (200 MB peak RSS growth); the previous graph is still current and unchanged."""
    path = write(tmp_path, loaded.source.filename, EXPANSIONS[attack](loaded.source))
    error, elapsed, peak, growth = ingest_measured(loaded, path)
    message = str(error)
    assert message.startswith(f"{loaded.spec.id}: ") and loaded.source.filename in message
    assert "refused" in message and "root:" not in message
    assert elapsed < MAX_SECONDS, f"took {elapsed:.2f} s"
    assert peak < MAX_TRACED_BYTES, f"traced peak {peak / 1e6:.1f} MB"
    assert growth < MAX_RSS_GROWTH_KB, f"peak RSS grew by {growth / 1024:.0f} MB"
    loaded.assert_intact()


@pytest.mark.parametrize("attack", list(REACHING), ids=list(REACHING))
def test_external_reference_is_rejected_with_zero_requests(loaded, tmp_path, recorder, attack):
    """Input: an external entity, a parameter entity or an external DTD pointing at the recording server.
    Expected: IngestError naming the source and file, in under a second, zero requests recorded, previous graph
    intact."""
    path = write(tmp_path, loaded.source.filename, REACHING[attack](loaded.source, recorder.url("/evil.dtd")))
    error, elapsed, _, _ = ingest_measured(loaded, path)
    assert str(error).startswith(f"{loaded.spec.id}: ") and loaded.source.filename in str(error)
    assert elapsed < MAX_SECONDS
    assert recorder.requests == []
    loaded.assert_intact()


def test_xinclude_is_never_followed(loaded, tmp_path, recorder):
    """Input: an XInclude element (no DTD) pointing at the recording server, in place of a text node.
    Expected: nothing is fetched whatever the source makes of the element; if the run fails, the previous graph
    is intact, and no fetched text appears in the graph."""
    path = write(tmp_path, loaded.source.filename, feeds.xinclude(loaded.source, recorder.url("/include.ttl")))
    try:
        ingest(loaded.store, loaded.spec, feed_of(path))
    except IngestError:
        loaded.assert_intact()
    assert recorder.requests == []
    assert loaded.store.execute("ASK { ?s ?p ?o FILTER(CONTAINS(STR(?o), 'fetched')) }").boolean is False


def test_control_plain_rdflib_does_expand_the_entities():
    """Control, Input: a thousand-laughs RDF/XML table (10^3 copies) parsed by rdflib *without* safe_parse.
    Expected: the label holds the expanded text, so the payload shape is live and its refusal above is the
    hardening's doing."""
    source = SOURCES["eu-vocabularies-rdf"]
    entities = ('[<!ENTITY a "lol"> <!ENTITY b "' + "&a;" * 10 + '"> <!ENTITY c "' + "&b;" * 10 + '"> '
                '<!ENTITY d "' + "&c;" * 10 + '">]')
    graph = Graph().parse(data=source.with_doctype(entities, "&d;"), format="xml")
    assert any(len(str(label)) == 3 * 1000 for label in graph.objects())
