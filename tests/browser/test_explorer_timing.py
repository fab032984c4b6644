"""Measured, not asserted (timings belong to the report, decisions/0017-performance-targets.md): how long the first page takes to become
interactive, and how long a 1,000-node graph view takes to draw. The test checks that what it timed is right
(the overview's figures are there; 1,000 nodes were drawn) and prints the numbers."""

from __future__ import annotations

import statistics
import time

import pytest
from browser_support import Explorer, network_frame

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _first_page(new_context, url: str) -> float:
    """Seconds from navigation to the overview showing its findings with its script finished (fresh browser)."""
    context = new_context()
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.get_by_role("heading", name="Overview", exact=True).wait_for(timeout=120_000)
    page.locator("[data-testid=stMetric]").nth(2).wait_for(timeout=120_000)
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=120_000)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def _draw(page, url: str, nodes: int) -> tuple[float, int]:
    """Seconds from navigation to the network drawn, and the drawing time measured inside the frame (ms)."""
    started = time.perf_counter()
    page.goto(url)
    frame = network_frame(page)
    elapsed = time.perf_counter() - started
    assert frame.locator("body").get_attribute("data-drawn") == str(nodes)
    return elapsed, int(frame.locator("body").get_attribute("data-draw-ms"))


def test_measure_first_page_and_a_thousand_node_view(new_context, shipped_home, thousand_explorer, tmp_path,
                                                     capsys):
    lines = []
    for launcher, name in ((False, "streamlit run explorer/app.py"), (True, "euaigraph explore (launcher)")):
        explorer = Explorer(shipped_home, tmp_path / f"{launcher}.log", launcher=launcher)
        try:
            first = _first_page(new_context, explorer.url)
            later = [_first_page(new_context, explorer.url) for _ in range(3)]
        finally:
            explorer.stop()
        lines.append(f"first page interactive, {name}: first visit {first:.2f} s, "
                     f"next visits median {statistics.median(later):.2f} s (fresh browser each time)")

    page = new_context().new_page()
    url = f"{thousand_explorer.url}/graph?kind=model&kind=organisation&cap=1000&group=false"
    cold, cold_draw = _draw(page, url, 1000)
    warm = [_draw(page, url, 1000) for _ in range(3)]
    lines.append(f"1,000-node graph view: first visit after the server started {cold:.2f} s (imports, entity "
                 f"network and layout; drawing {cold_draw} ms), later visits median "
                 f"{statistics.median(w[0] for w in warm):.2f} s (drawing median "
                 f"{statistics.median(w[1] for w in warm):.0f} ms in the frame)")
    with capsys.disabled():
        print("\n" + "\n".join(f"[timing] {line}" for line in lines))
