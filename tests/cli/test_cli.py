"""The ``euaigraph`` command line: help everywhere, clear errors with non-zero exits on bad input, and the commands
end to end on a real store in a temporary folder (build, sources, query, export, validate, backup, restore)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import typer
import yaml
from typer.testing import CliRunner

from euaigraph.graph.cli import app

ENV = {"COLUMNS": "250", "NO_COLOR": "1"}
QUERY = """#+ summary: Organisations seated in a country
#+ params:
#+   - {name: country, type: country, default: FIN}
PREFIX eai: <https://w3id.org/euaigraph/ontology#>
SELECT ?org ?name WHERE { ?org a eai:Organisation ; eai:jurisdiction ?country ; rdfs:label ?name } ORDER BY ?org
"""


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Tables and messages unwrapped, whatever terminal (or none) the tests run in."""
    from euaigraph.graph.cli import commands as cli

    for console in (cli.console, cli.err):
        monkeypatch.setattr(console, "_width", 250)


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env={**ENV, **(env or {})}, catch_exceptions=False)


def command_paths() -> list[list[str]]:
    """Every command and sub-command, as the argument lists that name them."""
    def walk(command, prefix: list[str]) -> list[list[str]]:
        if hasattr(command, "commands"):  # a group (typer ships its own click)
            out = [prefix] if prefix else []
            for name, sub in command.commands.items():
                out += walk(sub, [*prefix, name])
            return out
        return [prefix]

    return walk(typer.main.get_command(app), [])


def test_every_documented_command_exists():
    names = {" ".join(p) for p in command_paths()}
    assert {"build", "ingest", "sources", "query", "export", "validate", "backup", "restore", "explore",
            "curated fmt", "warm"} <= names


@pytest.mark.parametrize("path", [[]] + command_paths(), ids=lambda p: " ".join(p) or "euaigraph")
def test_help(path):
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert "--help" in result.output


# -- bad input --------------------------------------------------------------------------------------------------
@pytest.fixture
def rq(tmp_path) -> Path:
    path = tmp_path / "orgs.rq"
    path.write_text(QUERY, encoding="utf-8")
    return path


def _fails(result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.output)
    text = "".join(result.output.split())  # wrapped or not
    for fragment in fragments:
        assert "".join(fragment.split()) in text, result.output


def test_unknown_source(tmp_path):
    _fails(run("--store", str(tmp_path / "s"), "ingest", "no-such-source"), 1,
           "error:", "no source 'no-such-source'", "known sources:", "curated-models")


def test_missing_file(tmp_path):
    missing = tmp_path / "nowhere.json"
    _fails(run("--store", str(tmp_path / "s"), "ingest", "countries", "--file", str(missing)), 1,
           "error:", "no such file or folder", "nowhere.json")
    _fails(run("--store", str(tmp_path / "s"), "build", "--feeds", str(tmp_path / "no-feeds")), 1,
           "no such folder", "no-feeds")
    _fails(run("--store", str(tmp_path / "s"), "restore", str(tmp_path / "no-backup")), 1,
           "error:", "no-backup", "not an euaigraph backup")


@pytest.mark.parametrize(("param", "message"), [
    ("country", "--param expects name=value, got 'country'"),
    ("colour=red", "unknown parameter(s) ['colour']"),
    ("country=Atlantis", "country='Atlantis' is not a valid country"),
])
def test_bad_param(tmp_path, rq, param, message):
    _fails(run("--store", str(tmp_path), "query", str(rq), "--param", param), 1, "error:", message)


def test_unknown_saved_query(tmp_path):
    _fails(run("--store", str(tmp_path), "query", "no/such-question"), 1, "no saved query 'no/such-question'")


def test_unknown_format(tmp_path, rq):
    _fails(run("--store", str(tmp_path), "query", str(rq), "--format", "xml"), 2, "unknown format 'xml'")
    _fails(run("--store", str(tmp_path), "export", "-o", str(tmp_path / "x"), "--format", "xml"), 2,
           "unknown format 'xml'")
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("command", [["coverage"], ["sources"], ["query", "models-by-jurisdiction"]])
def test_a_reading_command_on_a_store_that_does_not_exist_is_refused(tmp_path, command):
    """A mistyped --store would otherwise open an empty store on the spot and answer "nothing"."""
    missing = tmp_path / "typo"
    _fails(run("--store", str(missing), *command), 2, "no store at", "build makes one")
    assert not missing.exists()


def test_store_and_endpoint_together(tmp_path):
    _fails(run("--store", str(tmp_path / "s"), "--endpoint", "local", "sources"), 2,
           "give --store or --endpoint, not both")


def test_unknown_endpoint_id(tmp_path):
    config = tmp_path / "euaigraph.toml"
    config.write_text('[endpoints.local]\nquery = "http://127.0.0.1:9/query"\n', encoding="utf-8")
    _fails(run("--endpoint", "elsewhere", "sources", env={"EUAIGRAPH_CONFIG": str(config)}), 1,
           "no endpoint 'elsewhere'", "known: local")


def test_validate_fails_on_a_violation(tmp_path):
    """Organisations seated in countries that no loaded source describes: the shapes reject them."""
    records = [{"id": f"org-{n:02d}", "name": f"Org {n}", "type": "company", "country": "FRA",
                "sources": [{"url": "https://example.org/orgs", "accessed": "2026-11-27"}]} for n in range(40)]
    feed = tmp_path / "organisations.yaml"
    feed.write_text(yaml.safe_dump({"records": records}), encoding="utf-8")
    store = str(tmp_path / "s")
    assert run("--store", store, "ingest", "curated-organisations", "--file", str(feed)).exit_code == 0
    _fails(run("--store", store, "validate"), 1, "jurisdiction must be a country IRI", "40 violations",
           "the graph does not conform")


# -- end to end ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    result = run("--store", str(store), "build")
    assert result.exit_code == 0, result.output
    assert "curated-models" in result.output and "failed" not in result.output
    return store


def test_sources_after_build(built):
    result = run("--store", str(built), "sources")
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines() if line.count("│") > 3}
    for source in ("countries", "languages", "licences", "blocs", "curated-models", "curated-organisations",
                   "derived"):
        assert "succeeded" in lines[source], source


def test_query_file_with_a_parameter(built, rq):
    as_json = run("--store", str(built), "query", str(rq), "--param", "country=Finland", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert data["head"]["vars"] == ["org", "name"]
    orgs = {b["org"]["value"] for b in data["results"]["bindings"]}
    assert "https://w3id.org/euaigraph/id/org/silo-ai" in orgs
    assert data["euaigraph"]["truncated"] is False
    as_csv = run("--store", str(built), "query", str(rq), "--format", "csv")  # the default: FIN
    assert as_csv.exit_code == 0
    assert as_csv.stdout.splitlines()[0] == "org,name"
    assert len(as_csv.stdout.splitlines()) == len(orgs) + 1
    capped = run("--store", str(built), "query", str(rq), "--row-cap", "1")
    assert capped.exit_code == 0 and "Organisations seated in a country" in capped.stdout
    assert "truncated" in capped.output


def test_build_keeps_an_answer_for_every_saved_question_and_query_serves_it(built):
    from euaigraph.graph.query.answers import Answers
    from euaigraph.graph.query.run import DEFAULT_ROW_CAP, answer_key, with_prefixes
    from euaigraph.graph.query.saved import catalogue

    answers = Answers.of_home(built)
    version = answers.current_version()
    for name, saved in catalogue().items():  # with its defaults bound, as `query` and the explorer ask it
        params = saved.terms({})
        key = answer_key(with_prefixes(saved.body), params)
        assert answers.find(version, key, DEFAULT_ROW_CAP) is not None, f"build kept no answer for {name}"
    computed = run("--store", str(built), "query", "languages/language-coverage", "--format", "csv")
    assert computed.exit_code == 0 and computed.stdout.count("\n") == 25  # a header and the 24 languages
    for path in (built / "answers" / version).glob("*.json"):  # served, not recomputed: a changed file shows
        path.write_text(path.read_text().replace('"ga"', '"xx"'))
    served = run("--store", str(built), "query", "languages/language-coverage", "--format", "csv")
    assert served.stdout == computed.stdout.replace(",ga,", ",xx,")


def test_no_warm_keeps_no_answers_and_warm_fills_them(tmp_path):
    from euaigraph.graph.query.saved import catalogue

    store = tmp_path / "store"
    assert run("--store", str(store), "build", "--no-warm").exit_code == 0
    assert not list(store.glob("answers/*/*.json"))
    result = run("--store", str(store), "warm")
    assert result.exit_code == 0, result.output
    assert "licences/inherited-licence" in result.output and " no " not in result.output
    assert len(list(store.glob("answers/*/*.json"))) == len(catalogue())


def test_export_both_formats(built, tmp_path):
    counts = {}
    for fmt, rdf_format in (("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS)):
        out = tmp_path / f"dataset.{fmt}"
        result = run("--store", str(built), "export", "-o", str(out), "--format", fmt)
        assert result.exit_code == 0, result.output
        counts[fmt] = len(list(ox.parse(path=str(out), format=rdf_format)))
    assert counts["trig"] == counts["nquads"] > 10_000


@pytest.mark.slow
def test_validate_the_shipped_graph(built):
    result = run("--store", str(built), "validate")
    assert result.exit_code == 0, result.output
    assert " 0 violations" in result.output


def test_backup_and_restore(built, tmp_path):
    def dump() -> bytes:
        out = tmp_path / "dump.nq"
        assert run("--store", str(built), "export", "-o", str(out), "--format", "nquads").exit_code == 0
        return b"".join(sorted(out.read_bytes().splitlines(keepends=True)))

    before = dump()
    backup = tmp_path / "backup"
    result = run("--store", str(built), "backup", str(backup))
    assert result.exit_code == 0 and backup.is_dir(), result.output
    _fails(run("--store", str(built), "backup", str(backup)), 1, "already exists")
    assert run("--store", str(built), "ingest", "blocs").exit_code == 0  # a new run: the dataset changes
    assert dump() != before
    result = run("--store", str(built), "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert "restored" in result.output
    assert dump() == before


def test_commands_on_a_remote_endpoint(oxigraph_server, tmp_path, rq):
    """--endpoint ID runs the same commands against a real SPARQL server named in the config file."""
    oxigraph_server.clear()
    base = oxigraph_server.base
    config = tmp_path / "euaigraph.toml"
    config.write_text(f'[endpoints.test]\nquery = "{base}/query"\nupdate = "{base}/update"\nstore = "{base}/store"\n',
                      encoding="utf-8")
    env = {"EUAIGRAPH_CONFIG": str(config)}
    for source in ("countries", "curated-organisations"):
        result = run("--endpoint", "test", "ingest", source, env=env)
        assert result.exit_code == 0, result.output
    listed = run("--endpoint", "test", "sources", env=env)
    assert listed.exit_code == 0 and "curated-organisations" in listed.output and "succeeded" in listed.output
    answer = run("--endpoint", "test", "query", str(rq), "--format", "json", env=env)
    assert answer.exit_code == 0, answer.output
    assert "https://w3id.org/euaigraph/id/org/silo-ai" in {
        b["org"]["value"] for b in json.loads(answer.stdout)["results"]["bindings"]}
    out = tmp_path / "remote.nq"
    assert run("--endpoint", "test", "export", "-o", str(out), "--format", "nquads", env=env).exit_code == 0
    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))) > 1000


# -- curated fmt ----------------------------------------------------------------------------------------------------
def test_curated_fmt_checks_and_rewrites(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text("records:\n- {name: B, id: b, kind: strategy, sources: [{accessed: 2026-11-27, "
                    "url: 'https://b.example'}]}\n- {id: a, name: A, kind: call, sources: "
                    "[{url: 'https://a.example', accessed: '2026-11-27'}]}\n", encoding="utf-8")
    original = path.read_text(encoding="utf-8")
    _fails(run("curated", "fmt", "--check", str(path)), 1, "not in normal form", "policy.yaml")
    assert path.read_text(encoding="utf-8") == original  # --check changes nothing
    result = run("curated", "fmt", str(path))
    assert result.exit_code == 0 and "reformatted" in result.output
    text = path.read_text(encoding="utf-8")
    assert text.index("id: a") < text.index("id: b")
    assert "accessed: '2026-11-27'" in text
    assert yaml.safe_load(text)["records"][1] == {"id": "b", "name": "B", "kind": "strategy",
                                                  "sources": [{"url": "https://b.example", "accessed": "2026-11-27"}]}
    assert run("curated", "fmt", "--check", str(path)).exit_code == 0


def test_curated_fmt_bad_input(tmp_path):
    _fails(run("curated", "fmt", str(tmp_path / "missing.yaml")), 2, "no such file", "missing.yaml")
    broken = tmp_path / "models.yaml"
    broken.write_text("records: [unclosed\n", encoding="utf-8")
    _fails(run("curated", "fmt", str(broken)), 1, "models.yaml", "not valid YAML")
    unknown = tmp_path / "elsewhere.yaml"
    unknown.write_text("records: []\n", encoding="utf-8")
    _fails(run("curated", "fmt", str(unknown)), 1, "elsewhere.yaml", "no curated layout")


@pytest.mark.parametrize("command", [["coverage"], ["analyse", "languages"]])
def test_an_unknown_bloc_is_refused_not_counted_as_empty(shipped_home, command):
    """A bloc the reference data does not have has no members: answering would give zero everywhere."""
    _fails(run("--store", str(shipped_home), *command, "--bloc", "nonsense"), 2, "is not one of",
           "horizon-associated")
