"""The whole tool against each real engine, through the command line a user types: ``euaigraph --endpoint ID build``,
``ingest`` of every recorded feed, ``query``, ``export``, ``validate``, ``analyse`` and every page of the explorer,
on the Oxigraph server, Virtuoso and the Jena front, each compared with the embedded store given the same commands.

Every saved question must give the embedded store's rows, compared by value (tests/remote/compare.py): numbers
numerically, booleans as booleans.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from euaigraph.explorer.views import PAGES as SITE
from euaigraph.graph.cli import app
from euaigraph.graph.load.validate import validate_store
from euaigraph.graph.query.run import run_saved
from euaigraph.graph.query.saved import catalogue
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.graph.store.config import endpoint as configured
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.store.remote import RemoteStore
from euaigraph.graph.store.terms import to_rdflib
from euaigraph.ingest import registry
from euaigraph.ontology.namespaces import META_GRAPH

from .compare import differences, rows_by_value, value
from .conftest import ENGINES, server_of, write_config

pytestmark = [pytest.mark.slow, pytest.mark.remote, pytest.mark.shared_data, pytest.mark.xdist_group("engines"),
              pytest.mark.filterwarnings("ignore::DeprecationWarning")]  # rdflib's JSON-LD and N-Quads parsers
REPO = Path(__file__).resolve().parents[2]
QUESTIONS = catalogue()
#: The explorer's pages from its one list (a folder walk went empty without a word when the folder was renamed).
PAGES = sorted(page.script for page in SITE)
assert len(PAGES) >= 9, PAGES
ENV = {"COLUMNS": "250", "NO_COLOR": "1"}


def cli(*args: str, env: dict[str, str]):
    return CliRunner().invoke(app, list(args), env={**ENV, **env}, catch_exceptions=False)


def recorded(shared: Path) -> list[tuple[str, Path]]:
    """(source id, recorded feed) for every source recorded in the shared data."""
    shipped = {spec.id for spec in registry.shipped()}
    return [(spec.id, feed.path) for spec, feed in registry.build_jobs(feeds=shared) if spec.id not in shipped]


@dataclass
class Target:
    """A store as the command line names it: ``--store PATH`` or ``--endpoint ID`` with its environment."""

    name: str
    args: tuple[str, ...]
    env: dict[str, str]

    def run(self, *args: str):
        return cli(*self.args, *args, env=self.env)

    def endpoint(self):
        """The endpoint as the configuration file and the environment give it (the password from the latter)."""
        with pytest.MonkeyPatch.context() as patch:
            for key, value in self.env.items():
                patch.setenv(key, value)
            return configured(self.name, path=Path(self.env["EUAIGRAPH_CONFIG"]))

    def ref(self) -> StoreRef:
        return StoreRef(home=self.args[1]) if self.name == "embedded" else StoreRef(endpoint=self.endpoint())

    def open(self):
        return EmbeddedStore(self.args[1]) if self.name == "embedded" else RemoteStore(self.endpoint())


def _build(target: Target, shared: Path) -> Target:
    done = target.run("build", "--no-warm")
    assert done.exit_code == 0, done.output
    for source, feed in recorded(shared):
        done = target.run("ingest", source, "--file", str(feed), "--no-warm")
        assert done.exit_code == 0, f"{target.name}: ingest {source}: {done.output}"
    return target


@pytest.fixture(scope="module")
def reference(shared_data, tmp_path_factory) -> Target:
    home = tmp_path_factory.mktemp("reference") / "store"
    return _build(Target("embedded", ("--store", str(home)), {}), shared_data)


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, shared_data, tmp_path_factory, reference) -> Target:
    server = server_of(request, request.param)
    server.clear()
    env = write_config(tmp_path_factory.mktemp(request.param) / "euaigraph.toml", server.endpoint(request.param))
    return _build(Target(request.param, ("--endpoint", request.param), env), shared_data)


@pytest.fixture(scope="module")
def answers(engine, reference):
    """Every saved question answered on the engine and on the embedded store, through query workers."""
    def ask(target: Target) -> dict[str, list[tuple]]:
        with QueryWorkers(target.ref(), size=1) as workers:
            return {name: rows_by_value(run_saved(workers, saved, timeout_s=60, row_cap=100_000))
                    for name, saved in QUESTIONS.items()}

    return ask(engine), ask(reference)


def test_every_recorded_feed_is_current(engine, reference):
    """build, then ingest of each recorded feed: every source's last run succeeded and it has a current graph."""
    with engine.open() as store:
        statuses = {s.source: (s.status, bool(s.current_graph)) for s in store.sources()}
    with reference.open() as store:
        expected = {s.source: ("succeeded", True) for s in store.sources()}
    assert statuses == expected
    assert len(expected) > 20


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_every_saved_question_gives_the_embedded_rows(answers, name):
    got, expected = answers[0][name], answers[1][name]
    assert not differences(expected, got), differences(expected, got)


@pytest.mark.parametrize("name", ["overview/counts-by-kind", "licences/european-model-openness",
                                  "sovereignty/control-chain"])
def test_query_command_prints_the_embedded_rows(engine, reference, name):
    rows = {}
    for target in (engine, reference):
        done = target.run("query", name, "--format", "json")
        assert done.exit_code == 0, done.output
        parsed = ox.parse_query_results(io.BytesIO(done.stdout.encode()), format=ox.QueryResultsFormat.JSON)
        rows[target.name] = sorted(tuple(_value(s, v) for v in parsed.variables) for s in parsed)
    assert rows[engine.name] == rows["embedded"]


def _value(solution, variable):
    return value(to_rdflib(solution[variable]))


def _facts(path: Path) -> list[tuple]:
    """The triples of every graph but the meta graph, by value (an engine may keep "40000000000"^^xsd:double where
    Oxigraph writes "4.0E10"), graph names left out (run ids differ between stores)."""
    return sorted({(q.subject.value, q.predicate.value, value(to_rdflib(q.object)))
                   for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG)
                   if q.graph_name != ox.NamedNode(str(META_GRAPH))})


def test_export_holds_the_embedded_facts(engine, reference, tmp_path):
    files = {}
    for target in (engine, reference):
        files[target.name] = tmp_path / f"{target.name}.trig"
        done = target.run("export", "--output", str(files[target.name]))
        assert done.exit_code == 0, done.output
    with engine.open() as store:
        graphs = {q.graph_name.value for q in ox.parse(path=str(files[engine.name]), format=ox.RdfFormat.TRIG)}
        assert graphs == {str(META_GRAPH), *(g for g in store.current_graphs().values() if store.count(g))}
    facts = _facts(files[engine.name])
    assert len(facts) > 100_000
    assert facts == _facts(files["embedded"])


def test_validate_finds_what_it_finds_on_the_embedded_store(engine, reference):
    exits = {t.name: t.run("validate").exit_code for t in (engine, reference)}
    assert exits[engine.name] == exits["embedded"]
    with engine.open() as remote, reference.open() as embedded:
        got, expected = validate_store(remote), validate_store(embedded)
    assert got.summary() == expected.summary()
    assert got.quads >= expected.quads > 100_000  # more where an engine keeps two forms of one value


EUROLLM = "https://w3id.org/euaigraph/id/model/utter-project/eurollm-9b-instruct"


@pytest.mark.parametrize("metric", [("concentration",), ("concentration", "--dimension", "facility"), ("languages",),
                                    ("upstream", "--model", EUROLLM),
                                    ("what-if", "--remove", "https://w3id.org/euaigraph/id/org/meta")],
                         ids=lambda m: "-".join(m[:1] + m[2:3]).rsplit("/", 1)[-1])
def test_analyse_reports_what_the_embedded_store_reports(engine, reference, metric):
    reports = {}
    for target in (engine, reference):
        done = target.run("analyse", *metric, "--format", "json")
        assert done.exit_code == 0, done.output
        reports[target.name] = json.loads(done.stdout)
    assert reports[engine.name] == reports["embedded"]
    assert reports["embedded"]["rows"], "the analysis found something to compare"


@pytest.mark.parametrize("page", PAGES)
def test_explorer_page_renders_on_the_endpoint(engine, page, monkeypatch, tmp_path):
    """Every page of the real app (Streamlit AppTest) on the endpoint named by EUAIGRAPH_ENDPOINT."""
    for key, value in engine.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("EUAIGRAPH_ENDPOINT", engine.name)
    monkeypatch.setenv("EUAIGRAPH_HOME", str(tmp_path / "unused"))
    at = AppTest.from_file(str(REPO / "explorer" / "app.py"), default_timeout=240).run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.get("error")], f"{page} shows an error on {engine.name}"
    assert at.get("title"), "the page rendered its title"
