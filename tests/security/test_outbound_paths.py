"""The attack suite of queries that reach out (``test_query_network.REACHING`` and the smuggled SERVICE of
``test_query_isolation.SMUGGLED``) through every way a query gets in, with a recording server on 127.0.0.1 that
must receive nothing: the explorer's free editor from a link (``?mode=SPARQL editor&query=...``), a saved
question's edit view from a link (``?q=...&edit=...``), and ``euaigraph query FILE.rq`` (the file written byte for
byte, carriage returns kept). ``run_query`` on both backends and workers with the guard switched off are covered
in ``test_query_network.py`` and ``test_query_isolation.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from euaigraph.graph.cli import app
from euaigraph.graph.load.pipeline import ingest
from euaigraph.graph.query.saved import catalogue
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest.base import Feed

from .support import dataset_hash, probe_spec, write_probe_feed
from .test_query_isolation import SMUGGLED
from .test_query_network import REACHING

APP = Path(__file__).resolve().parents[2] / "explorer" / "app.py"
ATTACKS = [*REACHING, *SMUGGLED]
IDS = [name for name, _ in ATTACKS]


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Messages unwrapped, whatever terminal (or none) the tests run in."""
    from euaigraph.graph.cli import commands

    for console in (commands.console, commands.err):
        monkeypatch.setattr(console, "_width", 400)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("outbound")
    write_probe_feed(folder / "probe.ttl")
    with EmbeddedStore(folder / "store", writable=True) as store:
        ingest(store, probe_spec(), Feed.from_path(folder / "probe.ttl"))
    return folder / "store"


def _hash(home: Path) -> str:
    with EmbeddedStore(home) as store:
        return dataset_hash(store)


def _page(home: Path, monkeypatch, **params: str) -> AppTest:
    monkeypatch.setenv("EUAIGRAPH_HOME", str(home))
    monkeypatch.delenv("EUAIGRAPH_ENDPOINT", raising=False)
    monkeypatch.delenv("EUAIGRAPH_QUERIES", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=180).run()
    at.switch_page("views/questions.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.slow
@pytest.mark.parametrize("template", [t for _, t in ATTACKS], ids=IDS)
def test_explorer_links_reach_no_one(home, recorder, monkeypatch, template):
    """Input: the attack as the free editor's query and as a saved question's edited text, opened from links.
    Expected: both pages show a refusal and no table; the recorder gets nothing; the store is unchanged."""
    before = _hash(home)
    query = template.replace("{url}", recorder.url("/sparql"))
    saved = next(iter(catalogue()))
    for params in ({"mode": "SPARQL editor", "query": query}, {"q": saved, "edit": query}):
        at = _page(home, monkeypatch, **params)
        assert not at.exception, [e.value for e in at.exception]
        errors = [str(e.value) for e in at.error]
        assert errors and errors[0].startswith("This query cannot run"), (params, errors)
        assert not at.dataframe
    assert recorder.requests == []
    assert _hash(home) == before


@pytest.mark.parametrize("template", [t for _, t in ATTACKS], ids=IDS)
def test_command_line_query_files_reach_no_one(home, recorder, tmp_path, template):
    """Input: the attack written byte for byte into an ``.rq`` file, run with ``euaigraph query FILE``.
    Expected: exit code 1 with an ``error:`` line, no traceback; the recorder gets nothing; store unchanged."""
    before = _hash(home)
    rq = tmp_path / "attack.rq"
    rq.write_bytes(("#+ summary: attack\n" + template.replace("{url}", recorder.url("/sparql"))).encode())
    result = CliRunner().invoke(app, ["--store", str(home), "query", str(rq)], env={"COLUMNS": "250"})
    assert result.exit_code == 1, result.output
    assert "error:" in result.output and "Traceback" not in result.output
    assert recorder.requests == []
    assert _hash(home) == before
