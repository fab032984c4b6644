"""Helpers for the browser tests: the explorer in its own process, watching what a page does, waiting for pages."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import requests
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "explorer" / "app.py"
#: Where the tests' screenshots go: the README's pictures with ``make screenshots`` (EUAIGRAPH_SCREENSHOTS=1),
#: otherwise a temporary folder, so that a test run never changes the checkout.
SCREENSHOTS = (REPO / "docs" / "screenshots" if os.environ.get("EUAIGRAPH_SCREENSHOTS") == "1"
               else Path(tempfile.gettempdir()) / "euaigraph-screenshots")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Explorer:
    """The explorer in its own process on 127.0.0.1: ``streamlit run explorer/app.py`` (or the launcher that
    ``euaigraph explore`` uses, with ``launcher=True``)."""

    def __init__(self, home: Path, log: Path, *, launcher: bool = False):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        start = ["-m", "euaigraph.explorer.serve"] if launcher else ["-m", "streamlit", "run", str(APP)]
        command = [sys.executable, *start, "--server.address", "127.0.0.1", "--server.port", str(self.port),
                   "--server.headless", "true", "--browser.gatherUsageStats", "false",
                   "--server.enableXsrfProtection", "true", "--server.enableCORS", "true",
                   "--client.showErrorDetails", "none", "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer"]
        env = {**os.environ, "EUAIGRAPH_HOME": str(home)}
        env.pop("EUAIGRAPH_ENDPOINT", None)
        self.log = log
        self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the explorer exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                if requests.get(f"{self.url}/_stcore/health", timeout=1).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("the explorer did not start within 180 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass
class Watch:
    """What a page did: requests that tried to leave 127.0.0.1, every request, console messages, dialogs."""

    outside: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def watch(page) -> Watch:
    seen = Watch()

    def route(route) -> None:
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname != "127.0.0.1":
            seen.outside.append(url)
            route.abort()
        else:
            route.continue_()

    page.context.route("**/*", route)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", lambda message: seen.console.append(message.text))
    page.on("pageerror", lambda error: seen.errors.append(str(error)))

    def dialog(d) -> None:
        seen.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    return seen


def open_page(page, url: str, heading: str, *, timeout_ms: int = 120_000) -> None:
    """Go to ``url`` and wait until the page shows ``heading``, its script has finished and the elements that load
    their code lazily (tables, charts) have replaced their placeholders."""
    page.goto(url)
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=timeout_ms)
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=timeout_ms)
    page.locator("[data-testid=stSkeleton]").first.wait_for(state="detached", timeout=timeout_ms)


def click_in_view(page, locator) -> None:
    """Scroll ``locator`` into view, let the scroll settle, then click it. A popover that opens while the page is
    still scrolling closes again on the scroll (a person scrolls, then clicks; Playwright does both at once)."""
    locator.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    locator.click()


def network_frame(page, title: str = "Network of the selected nodes", *, settled: bool = False):
    """The graph view's sandboxed frame, once vis-network has drawn (``body[data-drawn]``) and, with ``settled``,
    once the layout has stopped moving (``body[data-settled]``)."""
    locator = page.frame_locator(f"iframe[title='{title}']")
    locator.locator("body[data-settled]" if settled else "body[data-drawn]").wait_for(state="attached",
                                                                                     timeout=120_000)
    return locator


def nodes_on_screen(page, pick: str = "id => true", title: str = "Network of the selected nodes") -> list[dict]:
    """Where to point at the nodes of the drawn network: ``{id, label, x, y}`` on the page, for every node that
    ``pick`` (JS, id -> bool) accepts, that lies inside the frame and that has a point of its own. vis-network
    hovers and clicks the last node whose box (label included) holds the pointer, and a settled layout can still
    put a neighbour's label over a node's centre; so the point is one no other node's box covers (the centre when
    it is free)."""
    element = page.locator(f"iframe[title='{title}']")
    element.scroll_into_view_if_needed()
    spots = element.element_handle().content_frame().evaluate(f"""() => {{
        const pick = {pick};
        const ids = nodes.getIds();
        const boxes = Object.fromEntries(ids.map(i => [i, network.getBoundingBox(i)]));
        const inside = (p, b) => p.x >= b.left && p.x <= b.right && p.y >= b.top && p.y <= b.bottom;
        const inFrame = d => d.x >= 4 && d.y >= 4 && d.x <= innerWidth - 4 && d.y <= innerHeight - 4;
        const found = [];
        for (const id of ids.filter(pick)) {{
            const centre = network.getPositions([id])[id];
            const reach = (nodes.get(id).size || 10) * 0.7;
            const points = [centre];
            for (let dx = -reach; dx <= reach; dx += reach / 4)
                for (let dy = -reach; dy <= reach; dy += reach / 4) points.push({{x: centre.x + dx, y: centre.y + dy}});
            const free = points.find(p => ids.every(i => i === id || !inside(p, boxes[i])) && inFrame(network.canvasToDOM(p)));
            if (free) {{
                const at = network.canvasToDOM(free);
                found.push({{id, label: nodes.get(id).label, x: at.x, y: at.y}});
            }}
        }}
        return found;
    }}""")
    assert spots, f"every node that {pick} accepts lies outside the frame or under another node's label"
    box = element.bounding_box()
    return [{**spot, "x": box["x"] + spot["x"], "y": box["y"] + spot["y"]} for spot in spots]


def _element_at(page, x: float, y: float) -> str:
    """What the page has at a point, in words (tag, title, test id): the target a pointer event would reach."""
    return page.evaluate("""([x, y]) => {
        let e = document.elementFromPoint(x, y);
        while (e && e.shadowRoot) {  // Streamlit isolates components in a shadow root: look inside it
            const inner = e.shadowRoot.elementFromPoint(x, y);
            if (!inner || inner === e) break;
            e = inner;
        }
        if (!e) return 'nothing';
        return e.tagName + (e.title ? `[${e.title}]` : '') + (e.dataset && e.dataset.testid ? `#${e.dataset.testid}` : '');
    }""", [x, y])


def point_at_node(page, pick: str = "id => true", title: str = "Network of the selected nodes") -> dict:
    """The first of :func:`nodes_on_screen` whose point the page does not cover: a late re-render of the page can
    move the frame or lay something over it after the point was measured, and a pointer event would then go
    elsewhere. Fails naming what covers the points."""
    for _ in range(20):
        covered = []
        for spot in nodes_on_screen(page, pick, title):
            found = _element_at(page, spot["x"], spot["y"])
            if found == f"IFRAME[{title}]":
                return spot
            covered.append(f"{spot} by {found}")
        page.wait_for_timeout(500)
    raise AssertionError(f"every node's point in the network's frame is covered: {covered[:3]}")


def _point_until(page, pick: str, shown, act, *, attempts: int, timeout_ms: int, what: str) -> dict:
    """Point at a node that ``pick`` accepts and ``act`` on it (``act(spot)``) until ``shown`` (a locator) is
    visible; a pointer event lost while the page still re-renders is repeated, as a person would. Fails naming the
    point and what the page has there."""
    for _ in range(attempts):
        spot = point_at_node(page, pick)
        act(spot)
        try:
            shown.wait_for(state="visible", timeout=timeout_ms)
            return spot
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"no {what} after {attempts} tries at {spot}; at that point: "
                         f"{_element_at(page, spot['x'], spot['y'])}")


def click_node(page, until, pick: str = "id => true") -> dict:
    """Click a node that ``pick`` accepts until ``until`` (a locator) appears."""
    def click(spot: dict) -> None:
        page.mouse.move(spot["x"], spot["y"], steps=4)
        page.mouse.click(spot["x"], spot["y"])

    return _point_until(page, pick, until, click, attempts=3, timeout_ms=30_000, what=f"{until} after a click")


def hover_for_tooltip(page, frame, pick: str) -> tuple[dict, str]:
    """Hover a node that ``pick`` accepts until vis-network shows its tooltip: ``(spot, tooltip text)``. The
    pointer arrives from outside the node, in steps, so the canvas sees it arrive and rest for the tooltip's
    delay (on a loaded machine the first rest can be missed; the next arrival is another)."""
    tooltip = frame.locator(".vis-tooltip")

    def hover(spot: dict) -> None:
        page.mouse.move(1, 1)
        page.mouse.move(spot["x"], spot["y"], steps=4)

    spot = _point_until(page, pick, tooltip, hover, attempts=8, timeout_ms=5_000, what="tooltip")
    return spot, tooltip.inner_text()
