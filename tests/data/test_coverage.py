"""The coverage report (graph/coverage.py, ``euaigraph coverage``) on the shipped graph: its counts agree with the
curated files they come from and with the saved question on European licence classes, and the command prints them."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from euaigraph.graph.cli import app
from euaigraph.graph.coverage import KINDS, coverage_of
from euaigraph.graph.query.run import run_saved
from euaigraph.graph.query.saved import catalogue
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest.curated import records


@pytest.fixture(scope="module")
def report(shipped_home):
    with EmbeddedStore(shipped_home) as store:
        return coverage_of(store)


def test_every_kind_and_property_is_reported(report):
    assert [k.kind for k in report.kinds] == [k.name for k in KINDS]
    for kind, spec in zip(report.kinds, KINDS):
        assert [p for p, _ in kind.counts] == [p for p, _ in spec.properties]
        assert all(0 <= n <= kind.total for _, n in kind.counts), kind


def test_model_counts_agree_with_the_curated_files(report):
    """The shipped graph holds only reference data and curated facts, so its models are the curated models."""
    models = records("models")
    every = report.kind("all models")
    assert every.total == len(models)
    counts = dict(every.counts)
    assert counts["developer"] == len(models)  # every curated model names its developers
    assert counts["sources"] == len(models)
    assert counts["base models"] == sum(1 for m in models if m.get("base_models"))
    assert counts["compute"] == sum(1 for m in models if m.get("trained_at"))
    assert counts["funding"] == sum(1 for m in models if m.get("funded_by"))
    assert counts["release date"] == sum(1 for m in models if m.get("released"))
    assert counts["release date or a bound"] == sum(
        1 for m in models if m.get("released") or m.get("released_no_later_than"))


def test_the_unknown_licence_share_agrees_with_the_saved_question(report, shipped_home):
    with QueryWorkers(StoreRef(home=str(shipped_home)), size=1) as workers:
        result = run_saved(workers, catalogue()["licences/european-model-openness"], timeout_s=60)
    by_class = {str(r["licenceClass"]): int(r["models"]) for r in result.records()}
    assert sum(by_class.values()) == report.european_models
    # The saved question counts a model whose licence is recorded as unpublished as "unknown" (it has no class).
    assert by_class.get("unknown", 0) == report.unknown_licence_class + report.licence_status_recorded
    assert report.unknown_share == pytest.approx(100 * report.unknown_licence_class / report.european_models)


def test_the_command_prints_the_table_and_the_share(shipped_home):
    result = CliRunner().invoke(app, ["--store", str(shipped_home), "coverage"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "european models" in result.output and "licence class unknown" in result.output
    assert "European models (eu):" in result.output


def test_the_readme_quotes_the_report(report):
    """The README's coverage figures are the report's on the shipped graph (one number, shown twice, equal)."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    quoted = re.search(r"The licence class of (\d+) of the (\d+) European models \(([\d.]+) %\) is unknown", readme)
    assert quoted, "the README no longer quotes the unknown licence class"
    assert (int(quoted[1]), int(quoted[2]), quoted[3]) == (report.unknown_licence_class, report.european_models,
                                                           f"{report.unknown_share:.1f}")
    row = re.search(r"^\| European models \([^)]*\) \| (\d+) \| (.+) \|$", readme, re.M)
    european = report.kind("european models")
    assert row and int(row[1]) == european.total
    for prop, count in european.counts:
        if prop in ("developer", "sources", "languages", "funding", "base models", "release date", "compute",
                    "release date or a bound"):
            assert f"{prop} {count}" in row[2], (prop, count)


def test_the_command_lists_the_entities_that_lack_a_property(shipped_home, report):
    args = ["--store", str(shipped_home), "coverage", "--missing", "european models:release date"]
    result = CliRunner().invoke(app, args, catch_exceptions=False, env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    european = report.kind("european models")
    lacking = european.total - dict(european.counts)["release date"]
    assert f"european models without release date: {lacking}" in result.output
    bad = CliRunner().invoke(app, ["--store", str(shipped_home), "coverage", "--missing", "european models:colour"])
    assert bad.exit_code == 2 and "its properties are" in bad.output


def test_the_command_refuses_an_unknown_bloc_and_prints_labels_as_text(shipped_home, tmp_path):
    runner = CliRunner()
    bad = runner.invoke(app, ["--store", str(shipped_home), "coverage", "--bloc", "horizon"])
    assert bad.exit_code == 2 and "is not one of" in bad.output and "horizon-associated" in bad.output
    listed = runner.invoke(app, ["--store", str(shipped_home), "coverage", "--missing", "european models:release date",
                                 "--format", "csv"], catch_exceptions=False)
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert lines[0] == "entity,label" and all(line.startswith("https://w3id.org/euaigraph/id/") for line in lines[1:])
