"""Archives inside archives share one decompression budget (the ``cordis`` dump reader): three inner zips that
each stay under the budget but together exceed it are refused, as is nesting past the limit; the message names the
source and the archive, and the previous graph stays as it was. The budget here is 10 MB (the real one is 1 GiB,
the same code) so that the test writes little."""

from __future__ import annotations

import functools
import io
import time
import zipfile

import pytest

from euaigraph.graph.load.pipeline import IngestError, ingest
from euaigraph.ingest import cordis_read
from euaigraph.ingest.base import Feed, Report
from euaigraph.ingest.sources import cordis

from . import feeds
from .test_feed_hostile import Previous

BUDGET = 10 * 2**20


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def small_budget(monkeypatch):
    monkeypatch.setattr(cordis, "unzip", functools.partial(cordis_read.unzip, max_bytes=BUDGET))


def _ingest_fails(tmp_path, archive: bytes) -> tuple[str, float]:
    previous = Previous(tmp_path, "cordis")
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "dump.zip").write_bytes(archive)
    started = time.perf_counter()
    with pytest.raises(IngestError) as failed:
        ingest(previous.store, previous.spec, Feed.from_path(folder))
    elapsed = time.perf_counter() - started
    previous.assert_intact()
    return str(failed.value), elapsed


def test_inner_archives_share_the_outer_budget(tmp_path, small_budget):
    """Input: a 30 kB dump holding a project file and three zips of 6 MB each (18 MB in all, each under the 10 MB
    budget). Expected: refused as expanding past the budget in all, naming cordis and the dump; previous graph
    intact; within seconds."""
    inner = zipped({"filler.bin": bytes(6 * 2**20)})
    archive = zipped({"101999001.xml": feeds.CORDIS.encode(), "a.zip": inner, "b.zip": inner, "c.zip": inner})
    assert len(archive) < 64_000
    message, elapsed = _ingest_fails(tmp_path, archive)
    assert "cordis" in message and "dump.zip" in message and "in all" in message
    assert elapsed < 20


def test_archives_nested_too_deep_are_refused(tmp_path, small_budget):
    """Input: a zip in a zip in a zip ... five deep, the innermost holding a project file. Expected: refused
    naming the nesting limit and the archive where it was reached; previous graph intact."""
    archive = zipped({"101999001.xml": feeds.CORDIS.encode()})
    for level in range(5):
        archive = zipped({f"level{level}.zip": archive})
    message, _ = _ingest_fails(tmp_path, archive)
    assert "nested more than" in message and "dump.zip!/" in message


def test_nested_archive_within_budget_is_read_with_its_place(tmp_path, small_budget):
    """Input: a dump whose project file sits in an inner zip. Expected: the project is loaded, its record located
    as ``dump.zip!/inner.zip!/101999001.xml``."""
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "dump.zip").write_bytes(zipped({"inner.zip": zipped({"101999001.xml": feeds.CORDIS.encode()})}))
    projects = list(cordis.projects(Feed.from_path(folder), Report("cordis")))
    assert [p.grant for p in projects] == ["101999001"]
    assert projects[0].where.startswith("dump.zip!/inner.zip!/101999001.xml")
