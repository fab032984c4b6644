"""The analyst's tasks, walked in a real browser on the shipped graph: find a question from the Overview and open a
row's entity page; focus a model with two lineage hops and read every label; run the Llama licence-family what-if;
share a view and reopen it identically; Back restores the view before; export the view's snapshot and find exactly
the nodes on screen, every RDF file read by three parsers; the SPARQL editor runs on Ctrl+Enter and explains its
errors; a bad link value is named; a link opens the list of European models without a release date; which European
models were on the market before the AI Act's obligations began, and on what evidence. Screenshots of each task go to
docs/screenshots/."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from urllib.parse import parse_qs, quote, urlparse

import pytest
from browser_support import SCREENSHOTS, click_in_view, network_frame, open_page, watch
from editor_support import replace_and_run

from euaigraph.explorer import network as views
from euaigraph.graph.network import entity_network
from euaigraph.graph.query.run import run_saved
from euaigraph.graph.query.saved import catalogue
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.graph.store.embedded import EmbeddedStore

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LLAMA_FAMILY = "https://w3id.org/euaigraph/id/licence-family/llama"
WINDOW = {"width": 1024, "height": 768}


@pytest.fixture(scope="module")
def lineage_model(shipped_home) -> str:
    """A model of the shipped graph with lineage on both sides (a base above it, a derivative below)."""
    with EmbeddedStore(shipped_home) as store:
        net = entity_network(store)
    def lineage(node, edges):
        return [e for e in edges if e[2].get("predicate") in views.LINEAGE]
    scored = [(len(lineage(n, net.in_edges(n, data=True))) + len(lineage(n, net.out_edges(n, data=True))), n)
              for n, d in net.nodes(data=True) if d["kind"] == "model"
              and lineage(n, net.in_edges(n, data=True)) and lineage(n, net.out_edges(n, data=True))]
    assert scored, "the shipped graph has no model with lineage on both sides"
    return max(scored)[1]


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def drawn_labels(page) -> tuple[list[str], list[str]]:
    frame = page.locator("iframe[title='Network of the selected nodes']").element_handle().content_frame()
    return (frame.evaluate("() => nodes.get().map(n => n.label)"),
            frame.evaluate("() => edges.get().map(e => e.title || e.label)"))  # the full text (labels are cut)


def test_find_a_question_from_the_overview_and_open_a_rows_entity(page, shipped_explorer):
    seen = watch(page)
    page.set_viewport_size(WINDOW)
    open_page(page, f"{shipped_explorer.url}/", "Overview")
    page.get_by_text("European models that depend on a non-EU base model, with licences").first.click()
    page.get_by_role("heading", name="Questions", exact=True).wait_for()
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.wait_for(timeout=120_000)
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()
    click_in_view(page, page.get_by_role("combobox", name="Open the page of"))
    option = page.get_by_role("option").filter(has_text="(Model)").first
    label = option.inner_text().rsplit(" (Model)", 1)[0].strip()
    option.click()
    assert label and not label.startswith(("id:", "http"))
    link = page.locator("[data-testid=stPageLink] a").filter(has_text=label).first
    link.wait_for(timeout=60_000)
    shot(page, "task-question-row")
    link.click()
    page.get_by_role("heading", name="Entity", exact=True).wait_for(timeout=60_000)
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()
    assert page.locator("h2").first.inner_text() == label
    assert not seen.outside, seen.outside


def test_focus_a_model_with_two_lineage_hops_and_read_every_label(page, shipped_explorer, lineage_model):
    page.set_viewport_size(WINDOW)
    open_page(page, f"{shipped_explorer.url}/graph?focus={quote(lineage_model, safe='')}&hops=2&via=lineage",
              "Graph")
    network_frame(page)
    assert page.get_by_text("Lineage, upstream at the top.").count() == 1
    labels, edge_labels = drawn_labels(page)
    assert len(labels) >= 3 and all(labels)
    assert not [x for x in labels if re.match(r"^(id:|https?://|[a-z]+:[A-Za-z])", x)], labels
    assert edge_labels and all(re.fullmatch(r"[a-z -]+( ×\d+)?(, [a-z -]+( ×\d+)?)*", x) for x in edge_labels)
    frame = page.locator("iframe[title='Network of the selected nodes']")
    assert frame.bounding_box()["y"] + frame.bounding_box()["height"] <= WINDOW["height"] + 80  # fits the window
    shot(page, "task-lineage")


def test_the_llama_licence_family_what_if(page, shipped_explorer):
    page.set_viewport_size(WINDOW)
    open_page(page, f"{shipped_explorer.url}/dependencies?tab=What-if&remove={quote(LLAMA_FAMILY, safe='')}",
              "Dependencies & what-if")
    page.get_by_text("Models affected").first.wait_for(timeout=60_000)
    value = page.locator("[data-testid=stMetricValue]").first.inner_text()
    assert int(value.replace(",", "")) > 0
    shot(page, "task-what-if")


def test_share_a_view_reopen_it_identically_and_go_back(page, new_context, shipped_explorer, lineage_model):
    page.set_viewport_size(WINDOW)
    url = (f"{shipped_explorer.url}/graph?focus={quote(lineage_model, safe='')}&hops=2&via=lineage"
           "&colour=licence_class&kind=model&kind=organisation&kind=licence")
    open_page(page, url, "Graph")
    network_frame(page)
    caption = page.get_by_text(re.compile(r"^Showing ")).first.inner_text()
    labels = sorted(drawn_labels(page)[0])
    click_in_view(page, page.get_by_role("button", name="Share this view"))
    shared = page.locator("[data-testid=stPopoverBody] code").filter(has_text="focus=").first.inner_text().strip()
    assert parse_qs(urlparse(shared).query)["colour"] == ["licence_class"]
    other = new_context().new_page()
    other.set_viewport_size(WINDOW)
    open_page(other, shared, "Graph")
    network_frame(other)
    assert other.get_by_text(re.compile(r"^Showing ")).first.inner_text() == caption
    assert sorted(drawn_labels(other)[0]) == labels
    # Back restores the view before a change.
    other.get_by_role("slider", name="Hops from the focus").focus()
    other.keyboard.press("ArrowLeft")  # one hop: the default, which leaves the link
    other.wait_for_url(lambda address: "hops=" not in address, timeout=60_000)
    other.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()
    # The view's history entry is written by the page's script after the rerun: wait until it holds this view.
    other.wait_for_function("() => { const p = new URLSearchParams(location.search); p.sort(); "
                            "return sessionStorage.getItem('euaigraph-view') === p.toString(); }", timeout=60_000)
    other.go_back()
    other.wait_for_url(re.compile(r"hops=2"), timeout=60_000)
    network_frame(other)
    assert other.get_by_text(re.compile(r"^Showing ")).first.inner_text() == caption


def test_the_snapshot_of_a_view_holds_exactly_the_nodes_on_screen(page, shipped_explorer, lineage_model, tmp_path):
    from test_exports_read import RDF_FILES, other_count, rdflib_count  # the three parsers

    import pyoxigraph as ox

    page.set_viewport_size(WINDOW)
    open_page(page, f"{shipped_explorer.url}/graph?focus={quote(lineage_model, safe='')}&hops=2&via=lineage&cap=40",
              "Graph")
    network_frame(page)
    on_screen = sorted(drawn_labels(page)[0])
    click_in_view(page, page.get_by_text("Snapshot of this view"))
    page.get_by_role("heading", name="Export", exact=True).wait_for()
    page.get_by_role("button", name="Prepare the snapshot").click()
    button = page.get_by_role("button", name="Download the snapshot (zip)")
    button.wait_for(timeout=120_000)
    with page.expect_download() as download:
        button.click()
    archive = zipfile.ZipFile(download.value.path())
    nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode())))
    assert sorted(n["label"][:39] for n in nodes) == sorted(x.rstrip("…")[:39] for x in on_screen)
    for name, (label, fmt) in RDF_FILES.items():
        data = archive.read(name)
        path = tmp_path / name
        path.write_bytes(data)
        count = len(list(ox.parse(data, format=fmt)))
        assert count > 0 and rdflib_count(data, label) == count == other_count(path, label), name
    assert "focus=" in archive.read("CITATION.txt").decode()  # the citation gives the link to this view


def test_the_editor_runs_on_ctrl_enter_offline_and_explains_errors(page, shipped_explorer):
    seen = watch(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, f"{shipped_explorer.url}/questions?mode=SPARQL+editor", "Questions")
    replace_and_run(page, "SELECT ?m WHERE { ?m a foo:Thing }")
    page.get_by_text("the prefix foo: is not declared").wait_for(timeout=60_000)
    assert "store" not in page.locator("[data-testid=stAlert]").first.inner_text().lower()
    shot(page, "task-editor-error")
    assert not seen.outside, seen.outside


def test_a_bad_link_value_is_named_with_what_replaced_it(page, shipped_explorer):
    page.set_viewport_size(WINDOW)
    open_page(page, f"{shipped_explorer.url}/graph?hops=9&colour=rainbow&kind=model&cap=20", "Graph")
    warning = page.locator("[data-testid=stAlert]").filter(has_text="hops=9").first
    warning.wait_for()
    assert "showing 1 instead" in warning.inner_text()
    assert page.locator("[data-testid=stAlert]").filter(has_text="colour=rainbow").count() == 1


def test_a_link_opens_the_list_of_european_models_without_a_release_date(page, shipped_explorer, shipped_home):
    """The curator's task: which European models still lack a release date? A link to the Sources page names the
    gap; the page gives the count of the coverage report and lists them (the same list as the command)."""
    from euaigraph.graph.coverage import gaps

    with EmbeddedStore(shipped_home) as store:
        lacking = gaps(store, kind="european models", prop="release date")
    seen = watch(page)
    page.set_viewport_size(WINDOW)
    open_page(page, f"{shipped_explorer.url}/sources?gap_prop={quote('release date')}", "Sources")
    caption = page.get_by_text(f"{len(lacking)} of ", exact=False).filter(has_text="european models without release date")
    caption.first.scroll_into_view_if_needed()
    caption.first.wait_for(timeout=60_000)
    grid = page.locator("[data-testid=stDataFrame] >> visible=true").last  # the sources' expanders hide theirs
    grid.wait_for(timeout=60_000)
    grid.scroll_into_view_if_needed()
    shot(page, "task-coverage-gaps")
    assert not seen.outside, seen.outside


def test_which_european_models_were_on_the_market_before_the_obligations_and_on_what_evidence(page, shipped_explorer,
                                                                                              shipped_home):
    """The AI Act task: the saved question lists the bloc's models with the evidence of each answer, as many rows as
    the guarded runner gives; Poro 34B, whose release date no page read gives, is answered yes from a dated page,
    which its AI Act panel shows with the page."""
    with QueryWorkers(StoreRef(home=str(shipped_home)), size=1) as workers:
        result = run_saved(workers, catalogue()["aiact/placed-before-obligations"], timeout_s=120)
    poro = [r for r in result.records() if str(r["model"]).endswith("/model/lumiopen/poro-34b")]
    assert [(str(r["answer"]), str(r["evidence"]), str(r["date"])) for r in poro] == \
           [("yes", "released no later than", "2023-12-04")]
    seen = watch(page)
    page.set_viewport_size(WINDOW)
    open_page(page, f"{shipped_explorer.url}/questions?q=aiact/placed-before-obligations", "Questions")
    counted = page.get_by_text(f"{len(result):,} rows in", exact=False).first
    counted.wait_for(timeout=120_000)
    page.locator("[data-testid=stDataFrame] >> visible=true").first.scroll_into_view_if_needed()
    shot(page, "task-placed-before")
    open_page(page, f"{shipped_explorer.url}/entity?iri={quote(str(poro[0]['model']), safe='')}", "Entity")
    bound = page.get_by_text("released no later than: 2023-12-04", exact=False).first
    bound.wait_for(timeout=60_000)
    bound.scroll_into_view_if_needed()
    # The page is shown as text: a word joiner after "https:" keeps Markdown from making it a link.
    page.get_by_text(str(poro[0]["page"]).split("://", 1)[1], exact=False).first.wait_for(timeout=60_000)
    assert not seen.outside, seen.outside
