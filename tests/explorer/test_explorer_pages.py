"""Every page of the real app, run with Streamlit's AppTest on the shipped graph, an empty store and a hostile one;
widgets and URL parameters drive what the pages show."""

from __future__ import annotations

import pytest
from explorer_support import EVIL_ORG, PAGES, hostile_models, texts

from euaigraph.graph import analysis
from euaigraph.graph.network import entity_network
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ontology.indicators import indicators

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_shipped_graph(open_page, shipped_home, page):
    at = open_page(shipped_home, page)
    assert not at.exception, [e.value for e in at.exception]
    assert texts(at, "title"), "every page has a title"
    assert not texts(at, "error")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_explains_an_empty_store(open_page, empty_home, page):
    at = open_page(empty_home, page)
    assert not at.exception, [e.value for e in at.exception]
    if page == "views/glossary.py":  # the one page that needs no graph: it explains words
        assert "HHI (Herfindahl-Hirschman index)" in texts(at, "subheader")
        return
    said = " ".join(texts(at, "info") + texts(at, "code"))
    assert "euaigraph build" in said


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_a_store_with_hostile_labels(open_page, hostile_home, page):
    at = open_page(hostile_home, page)
    assert not at.exception, [e.value for e in at.exception]


def test_overview_findings_are_computed_from_the_current_graph(open_page, shipped_home):
    at = open_page(shipped_home, "views/overview.py")
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) == {"EU models with a non-EU ancestor", "Concentration on upstream developers (HHI)",
                            "EU languages with fewer than 2 open EU models"}
    with EmbeddedStore(shipped_home) as store:
        g = analysis.dependency_graph(store)
        where = analysis.standings(store, g, bloc="eu")
        models = [n for n, d in g.nodes(data=True) if d.get("kind") == "model" and where.get(n) == "inside"]
        hhi = analysis.concentration(g, dimension="provider", models=models).hhi
    assert metrics["Concentration on upstream developers (HHI)"] == f"{hhi:,.0f}"
    assert metrics["EU models with a non-EU ancestor"].endswith("%")


def test_overview_charts_and_sources(open_page, shipped_home):
    at = open_page(shipped_home, "views/overview.py")
    sources = at.dataframe[-1].value
    assert len(sources) == len(EmbeddedStore(shipped_home).sources())
    assert len(at.get("vega_lite_chart")) >= 4
    assert len(at.get("page_link")) >= 8  # every headline and chart links to the question that reproduces it


def test_saved_question_parameter_changes_the_table(open_page, shipped_home):
    at = open_page(shipped_home, "views/questions.py", q="demo/models-by-country")
    assert not at.exception
    french = set(at.dataframe[0].value["Label"])
    at.text_input(key="p_country").set_value("DEU").run()
    german = set(at.dataframe[0].value["Label"])
    assert french and german and french != german
    with EmbeddedStore(shipped_home) as store:
        rows = store.execute(
            "PREFIX eai: <https://w3id.org/euaigraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
            " SELECT ?label WHERE { ?m a eai:AIModel ; rdfs:label ?label ; eai:providedBy ?o . "
            "?o eai:preferredJurisdiction <http://publications.europa.eu/resource/authority/country/DEU> }").rows
    assert german == {str(label) for (label,) in rows}
    again = open_page(shipped_home, "views/questions.py", q="demo/models-by-country", p_country="DEU")
    assert set(again.dataframe[0].value["Label"]) == german  # a link with the parameter reproduces the table


def test_saved_question_shows_its_view_and_downloads(open_page, shipped_home):
    at = open_page(shipped_home, "views/questions.py", q="demo/models-per-country")
    assert len(at.get("vega_lite_chart")) == 1
    labels = {b.label for b in at.get("download_button")}
    assert {"CSV", "Spreadsheet-safe CSV", "JSON"} <= labels
    assert any("time limit" in c and "row cap" in c for c in texts(at, "caption"))


@pytest.mark.parametrize(("name", "element"), [("demo/model-graph", "bidi_component"),
                                               ("demo/organisations-map", "vega_lite_chart"),
                                               ("demo/releases", "vega_lite_chart")])
def test_saved_question_views(open_page, shipped_home, name, element):
    at = open_page(shipped_home, "views/questions.py", q=name)
    assert not at.exception and not texts(at, "error")
    assert len(at.get(element)) == 1, name
    assert len(at.dataframe) == 1


def test_every_shipped_question_opens(open_page, shipped_home, monkeypatch):
    """Each question of the shipped catalogue runs with its defaults; a query problem is shown, never a crash."""
    from euaigraph.graph.query.saved import catalogue, queries_dir

    monkeypatch.delenv("EUAIGRAPH_QUERIES")
    names = list(catalogue(queries_dir()))
    assert names
    for name in names:
        at = open_page(shipped_home, "views/questions.py", q=name)
        assert not at.exception, (name, [e.value for e in at.exception])
        empty = [t for t in texts(at, "info") if t.startswith("**No rows.**")]
        assert at.dataframe or texts(at, "error") or at.metric or empty, name
        if empty:  # an empty answer explains itself and points to neighbouring questions
            assert "Questions close to this one:" in texts(at, "markdown"), name


def test_catalogue_search_narrows_the_questions(open_page, shipped_home):
    at = open_page(shipped_home, "views/questions.py")
    assert "5 of 5 questions" in texts(at, "caption")
    at.text_input(key="search").set_value("how many").run()
    assert "1 of 5 questions" in texts(at, "caption")
    assert list(at.dataframe[0].value["name"]) == ["demo/models-per-country"]


def test_editor_refuses_an_update_and_the_graph_is_unchanged(open_page, shipped_home):
    before = EmbeddedStore(shipped_home).count()
    at = open_page(shipped_home, "views/questions.py", mode="SPARQL editor", query="DELETE WHERE { ?s ?p ?o }")
    errors = texts(at, "error")
    assert errors and "only SELECT, ASK, CONSTRUCT and DESCRIBE" in errors[0]
    assert not at.dataframe
    assert EmbeddedStore(shipped_home).count() == before


def test_editor_refuses_service_and_reports_syntax_errors_where_they_are(open_page, shipped_home):
    at = open_page(shipped_home, "views/questions.py", mode="SPARQL editor",
                   query="SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert "SERVICE" in texts(at, "error")[0]
    at = open_page(shipped_home, "views/questions.py", mode="SPARQL editor", query="SELECT ?s WHERE {\n  ?s ?p\n}")
    error = texts(at, "error")[0]
    assert "line 2" in error  # the line of the text typed, not of the text with the prefixes added
    assert any(c.startswith("2 |") for c in texts(at, "code"))


def test_editor_runs_a_query_with_the_prefixes_filled_in(open_page, shipped_home):
    at = open_page(shipped_home, "views/questions.py", mode="SPARQL editor",
                   query="SELECT ?m WHERE { ?m a eai:AIModel } LIMIT 7")
    assert not texts(at, "error")
    assert len(at.dataframe[0].value) == 7


def test_editor_says_when_rows_are_cut_at_the_cap(open_page, shipped_home):
    at = open_page(shipped_home, "views/questions.py", mode="SPARQL editor",
                   query="SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert any("Truncated" in w for w in texts(at, "warning"))
    assert len(at.dataframe[0].value) == 10_000


def test_a_query_stopped_at_its_time_limit_shows_no_result(open_page, shipped_home, monkeypatch):
    from euaigraph.explorer import state

    monkeypatch.setattr(state, "TIMEOUT_S", 1.0)
    at = open_page(shipped_home, "views/questions.py", mode="SPARQL editor",
                   query="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    errors = texts(at, "error")
    assert errors and errors[0].startswith("Cancelled") and "No partial result" in errors[0]
    assert not at.dataframe


def test_graph_page_filters_and_cap(open_page, shipped_home):
    with EmbeddedStore(shipped_home) as store:
        models = sum(1 for _, d in entity_network(store).nodes(data=True) if d["kind"] == "model")
    # The curated data alone has more models than the default cap, so ask for a cap that shows them all.
    at = open_page(shipped_home, "views/graph.py", kind=["model"], cap=str(models))
    assert at.multiselect(key="kind").value == ["model"]
    assert any(f"Showing {models:,} of {models:,} matching nodes" in c for c in texts(at, "caption"))
    at.number_input(key="cap").set_value(20).run()
    assert any(f"Showing 20 of {models:,} matching nodes" in w for w in texts(at, "warning"))
    again = open_page(shipped_home, "views/graph.py", kind=["model"], cap="20")
    assert any(f"Showing 20 of {models:,} matching nodes" in w for w in texts(again, "warning"))
    assert {b.label for b in at.get("download_button")} == {"Download HTML", "Download GraphML", "Citation (text)",
                                                            "Citation (BibTeX)", "Citation (CSL-JSON)"}


def test_graph_page_focus_keeps_the_neighbourhood(open_page, shipped_home):
    model = "https://w3id.org/euaigraph/id/model/mistralai/mistral-7b-v0.1"
    at = open_page(shipped_home, "views/graph.py", focus=model, hops="1", kind=[""])
    caption = next(c for c in texts(at, "caption") if c.startswith("Showing"))
    shown = int(caption.split()[1])
    with EmbeddedStore(shipped_home) as store:
        net = entity_network(store)
    assert shown == len(set(net.predecessors(model)) | set(net.successors(model)) | {model})


def test_entity_page_groups_facts_with_their_sources(open_page, shipped_home):
    at = open_page(shipped_home, "views/entity.py", iri="https://w3id.org/euaigraph/id/model/utter-project/eurollm-9b")
    assert texts(at, "header") == ["EuroLLM-9B"]
    facts = at.dataframe[0].value
    table = facts[facts["property"] == "developed by"]
    assert len(table) == 9 and list(facts["property"]) == sorted(facts["property"])  # grouped by property
    assert set(table["source"]) == {"curated-models"} and set(table["confidence"]) == {"high"}
    assert all(table["retrieved"]) and all("huggingface.co/utter-project/EuroLLM-9B" in e for e in table["evidence"])


def test_entity_page_shows_the_ai_act_panel_of_a_model(open_page, shipped_home):
    model = "https://w3id.org/euaigraph/id/model/mistralai/mistral-7b-v0.1"
    at = open_page(shipped_home, "views/entity.py", iri=model)
    assert not at.exception
    assert "AI Act indicators" in texts(at, "subheader")
    with EmbeddedStore(shipped_home) as store:
        answers = analysis.aiact.model_answers(store, model)
    shown = {i.code: m for i in indicators() for m in texts(at, "markdown") if f"**{i.label}**" in m}
    assert set(shown) == set(answers)
    assert all(m.endswith(f"*{answers[code]}*") for code, m in shown.items())
    assert answers["code-of-practice"] == "yes"  # Mistral AI is a listed signatory
    assert any("not a legal assessment" in c for c in texts(at, "caption"))


def test_entity_page_shows_sources_side_by_side_when_they_disagree(open_page, hostile_home):
    at = open_page(hostile_home, "views/entity.py", iri=str(EVIL_ORG))
    assert "Where the sources disagree" in texts(at, "subheader")
    side_by_side = at.dataframe[0].value
    assert list(side_by_side.columns) == ["hostile-a", "hostile-b"]
    assert side_by_side.iloc[0, 0] == "France" and side_by_side.iloc[0, 1].startswith("United States")


def test_entity_page_refuses_text_that_is_not_an_iri(open_page, shipped_home):
    at = open_page(shipped_home, "views/entity.py", iri="http://x> } ; DROP ALL ; #")
    assert not at.exception
    assert texts(at, "error") and texts(at, "error")[0].startswith("Not an IRI")


def test_dependencies_what_if_lists_what_depends_on_the_removed_nodes(open_page, shipped_home):
    removed = ["http://spdx.org/licenses/Apache-2.0"]
    model = "https://w3id.org/euaigraph/id/model/utter-project/eurollm-9b"
    at = open_page(shipped_home, "views/dependencies.py", model=model, remove=removed)
    assert not at.exception
    with EmbeddedStore(shipped_home) as store:
        g = analysis.dependency_graph(store)
    affected = [a for a in analysis.what_if(g, removed) if a.kind == "model"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Models affected"] == str(len(affected)) and affected
    marked = [m for m in texts(at, "markdown") if "**" in m]
    profile = [m for m in marked if not any(i.label in m for i in indicators())]
    assert len(profile) == 6  # the six profile components
    readings = [m for m in marked if any(f"**{i.label}**" in m for i in indicators())]
    assert len(readings) == len(indicators())  # and the AI Act panel below them, one reading per indicator
    assert any("not a legal assessment" in c for c in texts(at, "caption"))


def test_dependencies_upstream_of_a_model_outside_the_bloc(open_page, hostile_home):
    at = open_page(hostile_home, "views/dependencies.py", model=str(hostile_models()[1]))
    assert not at.exception
    upstream = at.dataframe[0].value
    assert str(hostile_models()[0]) not in set(upstream["node"])  # labels, not IRIs
    assert len(upstream) >= 2


def test_sources_page_lists_every_source_and_how_to_refresh(open_page, shipped_home):
    at = open_page(shipped_home, "views/sources.py")
    table = at.dataframe[0].value
    assert set(table["source"]) == {s.source for s in EmbeddedStore(shipped_home).sources()}
    assert any("euaigraph ingest curated-models" in c for c in texts(at, "code"))


def test_export_page_prepares_a_snapshot_of_the_current_view(open_page, shipped_home):
    at = open_page(shipped_home, "views/export.py", scope="current view", view="kind=model&cap=25")
    assert any("25 nodes" in m for m in texts(at, "markdown"))
    at.button[0].click().run()
    assert not at.exception
    manifest = at.session_state["snapshot"][2]
    assert manifest["scope"] == "view" and manifest["counts"]["nodes"] == 25
    assert "view.html" in {f["name"] for f in manifest["files"]}
    assert [b.label for b in at.get("download_button")][-1] == "Download the snapshot (zip)"


@pytest.mark.remote
def test_pages_work_on_a_remote_endpoint_chosen_by_id(open_page, oxigraph_server, tmp_path, monkeypatch):
    """The app opens an endpoint named in the config file (never a URL from the page) and queries it."""
    from explorer_support import REFERENCE

    from euaigraph.graph.load.pipeline import ingest_many
    from euaigraph.graph.store.remote import RemoteStore
    from euaigraph.ingest import registry
    from euaigraph.ingest.base import Feed

    oxigraph_server.clear()
    with RemoteStore(oxigraph_server.endpoint()) as store:
        jobs = [(registry.get(s), Feed.from_path(registry.get(s).shipped_path())) for s in REFERENCE]
        assert all(o.ok for o in ingest_many(store, jobs, all_or_nothing=True))
    config = tmp_path / "euaigraph.toml"
    config.write_text(f'[endpoints.lab]\nquery = "{oxigraph_server.base}/query"\n'
                      f'store = "{oxigraph_server.base}/store"\n', encoding="utf-8")
    monkeypatch.setenv("EUAIGRAPH_CONFIG", str(config))
    monkeypatch.setenv("EUAIGRAPH_ENDPOINT", "lab")
    at = open_page(tmp_path / "unused", "views/sources.py")
    assert not at.exception
    assert set(at.dataframe[0].value["source"]) == {*REFERENCE, "derived"}
    at = open_page(tmp_path / "unused", "views/questions.py", mode="SPARQL editor",
                   query="SELECT (COUNT(*) AS ?n) WHERE { ?c a eai:Country }")
    assert int(at.dataframe[0].value["N"][0]) > 200
