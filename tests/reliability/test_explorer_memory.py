"""One link cannot exhaust the explorer's memory (decision 0012): the explorer runs as its own process
(``streamlit run explorer/app.py``), a real Chromium opens the free editor with a 427-character query of repeated
``CONCAT`` whose answer would take about 200 MB, and the explorer process's resident memory (``VmRSS``) moves by
less than :data:`MARGIN_MB` while the page shows it and after the page is closed. The worker computes the answer,
finds it over the explorer's limit for one answer (32 MB) and refuses to send it; the page says so.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from euaigraph.graph.load.pipeline import ingest
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest.base import Feed
from security.support import probe_spec, write_probe_feed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_support import Explorer, open_page, watch  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("EUAIGRAPH_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
#: How far the explorer's resident memory may move while a result-size bomb is opened and closed.
MARGIN_MB = 100
#: 427 characters; 200 rows of a 512 kB string: about 200 MB of answer once made into terms.
BOMB = """SELECT ?n ?m ?x WHERE {
  VALUES ?n { 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 }
  VALUES ?m { 1 2 3 4 5 6 7 8 9 10 }
  BIND("0123456789abcdef" AS ?a)
  BIND(CONCAT(?a, ?a, ?a, ?a, ?a, ?a, ?a, ?a) AS ?b)
  BIND(CONCAT(?b, ?b, ?b, ?b, ?b, ?b, ?b, ?b) AS ?c)
  BIND(CONCAT(?c, ?c, ?c, ?c, ?c, ?c, ?c, ?c) AS ?d)
  BIND(CONCAT(?d, ?d, ?d, ?d, ?d, ?d, ?d, ?d) AS ?e)
  BIND(CONCAT(?e, ?e, ?e, ?e, ?e, ?e, ?e, ?e) AS ?x)
}"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}") if os.environ.get("CI") == "true" else \
            pytest.skip(f"chromium not found at {CHROMIUM}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": LAUNCH_ARGS}


@pytest.fixture(scope="module")
def explorer(tmp_path_factory):
    folder = tmp_path_factory.mktemp("memory")
    write_probe_feed(folder / "probe.ttl")
    with EmbeddedStore(folder / "store", writable=True) as store:
        ingest(store, probe_spec(), Feed.from_path(folder / "probe.ttl"))
    previous = os.environ.get("EUAIGRAPH_WORKER_MEMORY_MB")
    os.environ["EUAIGRAPH_WORKER_MEMORY_MB"] = "2048"  # the worker computes the answer (about 255 MB at its peak)
    try:
        running = Explorer(folder / "store", folder / "explorer.log")
    finally:
        if previous is None:
            os.environ.pop("EUAIGRAPH_WORKER_MEMORY_MB")
        else:
            os.environ["EUAIGRAPH_WORKER_MEMORY_MB"] = previous
    yield running
    running.stop()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def editor(url: str, query: str) -> str:
    return f"{url}/questions?mode=SPARQL+editor&query={quote(query)}"


def test_a_result_size_bomb_from_a_link_does_not_move_the_explorer_memory(page, explorer):
    """Input: the editor link with :data:`BOMB`, after two ordinary queries have warmed the explorer.
    Expected: the page says the answer is over the limit and shows no table; the explorer's RSS stays within
    :data:`MARGIN_MB` of what it was before, with the page open and after it is closed."""
    seen = watch(page)
    for query in ("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"):
        open_page(page, editor(explorer.url, query), "Questions")
    page.wait_for_timeout(2000)
    before = rss_mb(explorer.process.pid)
    open_page(page, editor(explorer.url, BOMB), "Questions")  # waits until the page's script has finished
    page.wait_for_timeout(2000)
    during = rss_mb(explorer.process.pid)
    alerts = " ".join(page.locator("[data-testid=stAlert]").all_inner_texts())
    tables = page.locator("[data-testid=stDataFrame]").count()
    page.goto("about:blank")
    page.wait_for_timeout(3000)
    after = rss_mb(explorer.process.pid)
    print(f"explorer RSS: {before:.0f} MB before, {during:.0f} MB with the bomb shown, {after:.0f} MB after")
    assert during - before < MARGIN_MB, (before, during)
    assert after - before < MARGIN_MB, (before, after)
    assert "Cancelled" in alerts and "over the limit" in alerts, alerts
    assert tables == 0
    assert not seen.outside, seen.outside
