"""The explorer in a real browser (Debian's chromium), served by ``streamlit run explorer/app.py`` on 127.0.0.1:
every page opens, a saved question runs and its CSV matches the guarded runner, a snapshot downloads and checks
out, the graph view draws and clicks through, nothing leaves 127.0.0.1, and hostile labels never run."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from urllib.parse import parse_qs, quote, urlparse

import pytest
from browser_support import SCREENSHOTS, click_node, hover_for_tooltip, network_frame, open_page, watch
from explorer_support import HOSTILE_LABELS, MARKER, hostile_models

from euaigraph.graph.query import formats
from euaigraph.graph.query.run import run_saved
from euaigraph.explorer.views import PAGES as SITE
from euaigraph.graph.query.saved import find
from euaigraph.graph.query.worker import QueryWorkers, StoreRef

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EUROLLM = "https://w3id.org/euaigraph/id/model/utter-project/eurollm-9b"
#: What each page opens on, beyond its own URL path (a question, an entity, a model to show).
QUERY = {"questions": "?q=dependency/non-bloc-ancestors", "entity": f"?iri={quote(EUROLLM, safe='')}",
         "dependencies": f"?model={quote(EUROLLM, safe='')}"}
PAGES = {  # screenshot name -> (path, heading), for every page of the app
    (p.url_path or "overview"): (p.url_path + QUERY.get(p.url_path, ""), p.title) for p in SITE}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_without_errors_or_outside_requests(page, shipped_explorer, name):
    seen = watch(page)
    page.set_viewport_size({"width": 1400, "height": 1800})
    path, heading = PAGES[name]
    open_page(page, f"{shipped_explorer.url}/{path}", heading)
    if name == "graph":
        network_frame(page)
    page.wait_for_timeout(800)  # charts finish drawing
    assert not page.locator("[data-testid=stException]").count()
    assert not seen.errors and not seen.outside, (seen.errors, seen.outside)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_a_saved_question_runs_and_its_csv_matches_the_guarded_runner(page, shipped_explorer, shipped_home):
    seen = watch(page)
    open_page(page, f"{shipped_explorer.url}/", "Overview")
    # The newcomer's question, one click from the first page.
    page.get_by_text("European models that depend on a non-EU base model, with licences").first.click()
    page.get_by_role("heading", name="Questions", exact=True).wait_for()
    page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=120_000)
    assert parse_qs(urlparse(page.url).query)["q"] == ["dependency/non-bloc-ancestors"]
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV", exact=True).click()
    downloaded = download.value.path().read_bytes().decode("utf-8")  # as is: no newline translation
    with QueryWorkers(StoreRef(home=str(shipped_home)), size=1) as workers:
        expected = formats.to_csv(run_saved(workers, find("dependency/non-bloc-ancestors")))
    assert downloaded == expected
    rows = list(csv.DictReader(io.StringIO(downloaded)))
    assert rows and {"model", "ancestor", "ancestorLicence"} <= set(rows[0])
    assert not seen.outside


def test_a_link_with_parameters_reproduces_the_view(page, shipped_explorer):
    open_page(page, f"{shipped_explorer.url}/graph?kind=model&cap=15", "Graph")
    assert page.get_by_text("Showing 15 of").count() == 1
    frame = network_frame(page)
    assert frame.locator("body").get_attribute("data-drawn") == "15"
    page.get_by_text("Filters", exact=True).click()  # the filters beyond the focus are folded away
    page.get_by_label("Node cap").fill("12")
    page.get_by_label("Node cap").press("Enter")
    page.get_by_text("Showing 12 of").wait_for()
    assert parse_qs(urlparse(page.url).query).get("cap") == ["12"]  # the widget wrote its value to the URL
    open_page(page, f"{shipped_explorer.url}/dependencies?model={quote(EUROLLM, safe='')}&tab=Sovereignty+profile",
              "Dependencies & what-if")
    assert page.get_by_text("developer jurisdiction").first.is_visible()  # the tab named in the link is open
    page.get_by_role("tab", name="What-if").click()
    page.wait_for_url("**tab=What-if**")


def test_graph_view_draws_locally_and_clicks_through_to_the_entity(page, shipped_explorer):
    seen = watch(page)
    open_page(page, f"{shipped_explorer.url}/graph?focus={quote(EUROLLM, safe='')}&hops=1", "Graph")
    frame_element = page.locator("iframe[title='Network of the selected nodes']")
    frame = network_frame(page, settled=True)
    shown = int(page.get_by_text("Showing").first.inner_text().split()[1])
    assert int(frame.locator("body").get_attribute("data-drawn")) == shown > 1
    assert frame_element.get_attribute("sandbox") == "allow-scripts"  # no same-origin: the frame cannot reach the app
    spot = click_node(page, page.get_by_role("heading", name="Entity", exact=True))
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()
    assert page.locator("h2").first.inner_text().startswith(spot["label"].rstrip("…"))
    assert "iri" in parse_qs(urlparse(page.url).query)
    assert not seen.outside, seen.outside
    assert all(urlparse(u).hostname in (None, "127.0.0.1") for u in seen.requests if u.startswith("http"))


def test_a_snapshot_downloads_with_a_manifest_that_checks_out(page, shipped_explorer):
    open_page(page, f"{shipped_explorer.url}/export", "Export")
    page.get_by_role("button", name="Prepare the snapshot").click()
    button = page.get_by_role("button", name="Download the snapshot (zip)")
    button.wait_for(timeout=120_000)
    with page.expect_download() as download:
        button.click()
    archive = zipfile.ZipFile(download.value.path())
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["scope"] == "whole graph" and manifest["counts"]["quads"] > 10_000
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == entry["sha256"]
    assert {"dataset.trig", "network.graphml", "nodes.csv", "index.html"} <= set(archive.namelist())


def test_hostile_labels_never_execute(page, hostile_explorer):
    seen = watch(page)
    evil = quote(str(hostile_models()[0]), safe="")
    visits = [("", "Overview"), ("graph?kind=model&kind=organisation", "Graph"), (f"entity?iri={evil}", "Entity"),
              (f"dependencies?model={evil}", "Dependencies & what-if"),
              ("questions?mode=SPARQL+editor&query=" + quote("SELECT ?m ?label WHERE { ?m rdfs:label ?label }"),
               "Questions")]
    for path, heading in visits:
        open_page(page, f"{hostile_explorer.url}/{path}", heading)
        if path.startswith("graph"):
            frame = network_frame(page, settled=True)
            spot, shown = hover_for_tooltip(page, frame, "id => nodes.get(id).label.startsWith('<')")  # a tag label
            label = next(h for h in HOSTILE_LABELS if h.startswith(spot["label"].rstrip("…")))
            assert label in shown  # shown as text
            assert frame.locator("script").count() == 2  # vis-network and ours, nothing more
        if path.startswith("entity"):
            assert page.locator("h2").first.inner_text() == HOSTILE_LABELS[0]  # shown as text, literally
        page.wait_for_timeout(1000)
    assert not seen.dialogs, seen.dialogs
    assert not [m for m in seen.console if MARKER in m], seen.console
    assert not [u for u in seen.requests if urlparse(u).path.endswith("/x")]  # the <img src=x> never loaded
    assert not seen.outside, seen.outside
