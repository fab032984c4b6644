"""Fixtures for the explorer tests: stores the app can point at, a folder of saved questions written here, and a
helper that runs one page of the real app (``explorer/app.py``) with Streamlit's AppTest."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import explorer_support

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "explorer" / "app.py"

QUESTIONS = {
    "demo/models-by-country.rq": """
        #+ summary: Models whose provider is seated in a country
        #+ description: The provider's preferred jurisdiction.
        #+ tags: [demo, countries]
        #+ params:
        #+   - {name: country, type: country, default: FRA, label: Country}
        #+ view: table
        SELECT ?model ?label WHERE {
          ?model a eai:AIModel ; rdfs:label ?label ; eai:providedBy ?org .
          ?org eai:preferredJurisdiction ?country .
        } ORDER BY ?label
        """,
    "demo/models-per-country.rq": """
        #+ summary: How many models each country's providers publish
        #+ tags: [demo]
        #+ view: bar
        #+ x: country
        #+ y: models
        SELECT ?country (COUNT(DISTINCT ?model) AS ?models) WHERE {
          ?model a eai:AIModel ; eai:providedBy ?org . ?org eai:preferredJurisdiction ?country .
        } GROUP BY ?country ORDER BY DESC(?models)
        """,
    "demo/model-graph.rq": """
        #+ summary: Who provides which model
        #+ tags: [demo]
        #+ view: graph
        SELECT ?model ?modelLabel ?org ?orgLabel WHERE {
          ?model a eai:AIModel ; rdfs:label ?modelLabel ; eai:providedBy ?org . ?org rdfs:label ?orgLabel .
        }
        """,
    "demo/organisations-map.rq": """
        #+ summary: Organisations by the country of their seat
        #+ tags: [demo, countries]
        #+ view: map
        SELECT ?org ?country WHERE { ?org a eai:Organisation ; eai:preferredJurisdiction ?country . }
        """,
    "demo/releases.rq": """
        #+ summary: Model releases over time
        #+ tags: [demo]
        #+ view: timeline
        #+ x: released
        #+ y: label
        SELECT ?label ?released WHERE { ?m a eai:AIModel ; rdfs:label ?label ; eai:releaseDate ?released . }
        """,
}


@pytest.fixture(scope="session")
def questions_dir(tmp_path_factory) -> Path:
    """Saved questions written for these tests (the shipped catalogue changes as questions are added)."""
    root = tmp_path_factory.mktemp("queries")
    for name, text in QUESTIONS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def hostile_home(tmp_path_factory) -> Path:
    return explorer_support.hostile(tmp_path_factory.mktemp("hostile") / "store")


@pytest.fixture
def empty_home(tmp_path) -> Path:
    return tmp_path / "empty-store"


@pytest.fixture
def open_page(monkeypatch, questions_dir) -> Callable[..., AppTest]:
    """``open_page(home, "views/x.py", **query_params)``: the app on that store, switched to that page, run."""
    monkeypatch.setenv("EUAIGRAPH_QUERIES", str(questions_dir))
    monkeypatch.delenv("EUAIGRAPH_ENDPOINT", raising=False)

    def run(home: Path, page: str, **params: str | list[str]) -> AppTest:
        monkeypatch.setenv("EUAIGRAPH_HOME", str(home))
        at = AppTest.from_file(str(APP), default_timeout=180).run()
        assert not at.exception, [e.value for e in at.exception]
        at.switch_page(page)
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()

    return run

