"""One snapshot per page render: a page that makes several queries (here three, a moment apart, as the explorer's
pages do) reads one data version for all of them, even while another process replaces the source again and again.

Each "page" is what ``explorer/state.py`` gives a script run: ``context()``, then ``ctx.run`` for the count, the
sum and the version marker of the probe source, separately. Without pinning, a replacement landing between two of
them makes the page mix versions (a count of A with a marker of B).
"""

from __future__ import annotations

import threading
import time

import pytest

from euaigraph.explorer import state
from security.support import VALUE, VERSION

from .conftest import Child

COUNT = f"SELECT (COUNT(?v) AS ?n) WHERE {{ ?item <{VALUE}> ?v }}"
TOTAL = f"SELECT (SUM(?v) AS ?sum) WHERE {{ ?item <{VALUE}> ?v }}"
MARKER = f"SELECT ?version WHERE {{ ?marker <{VERSION}> ?version }}"


def _page(ctx: state.Context) -> tuple[tuple[int, int, str], str]:
    n = int(ctx.run(COUNT).rows[0][0])
    time.sleep(0.05)
    total = int(ctx.run(TOTAL).rows[0][0])
    time.sleep(0.05)
    marker = " ".join(sorted(str(row[0]) for row in ctx.run(MARKER).rows))
    return (n, total, marker), ctx.version


@pytest.mark.slow
def test_a_page_reads_one_version_for_all_its_queries(store_with_a, tmp_path, monkeypatch):
    """Input: pages of three queries each, in two threads, while a writer process replaces the probe source four
    times (B, A, B, A). Expected: every page's three answers are one complete version, A or B; both were seen."""
    monkeypatch.setenv("EUAIGRAPH_HOME", str(store_with_a.home))
    monkeypatch.delenv("EUAIGRAPH_ENDPOINT", raising=False)
    valid = {store_with_a.a.state, store_with_a.b.state}
    pages: list[tuple[tuple[int, int, str], str]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        try:
            while not done.is_set():
                pages.append(_page(state.context()))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    readers = [threading.Thread(target=reader) for _ in range(2)]
    for thread in readers:
        thread.start()
    writer = Child("ingest", "--home", str(store_with_a.home), "--repeat", "2", str(store_with_a.b.feed),
                   str(store_with_a.a.feed), marker=tmp_path / "writer")
    writer.finish()
    time.sleep(0.5)
    done.set()
    for thread in readers:
        thread.join(120)
    assert errors == []
    mixed = [page for page in pages if page[0] not in valid]
    assert mixed == [], f"{len(mixed)} of {len(pages)} pages mixed versions, e.g. {mixed[:3]}"
    assert {page[0][2] for page in pages} == {"A", "B"}, "the pages never saw both versions"
    assert len({version for _, version in pages}) >= 2
