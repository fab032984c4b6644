"""`euaigraph analyse METRIC` on the fixture graph: table, CSV and JSON, and clear errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from euaigraph.graph.cli import app


@pytest.fixture(scope="module")
def run(analysis_store):
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, ["--store", str(analysis_store.home), "analyse", *args])

    return invoke


def test_upstream_as_csv(run):
    result = run("upstream", "--model", "utter-project/eurollm-9b", "--on", "2025-12-31", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # EuroLLM 9B: HPLT v2, FineWeb, MareNostrum 5, Apache-2.0, Unbabel and the University of Amsterdam (its two
    # developers) (1); BSC, NVIDIA, HPLT consortium, Hugging Face, CC0, ODC-By (2).
    assert len(rows) == 12
    fineweb = next(r for r in rows if r["label"] == "FineWeb")
    assert (fineweb["depth"], fineweb["seats"], fineweb["standing"]) == ("1", "USA", "outside")


def test_concentration_as_json(run):
    result = run("concentration", "--dimension", "vendor", "--european-only", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # European models reaching a vendor: Poro 2 base and instruct (LUMI: AMD), EuroLLM 9B and Instruct
    # (MareNostrum 5: NVIDIA), Teuken (JUWELS: NVIDIA): NVIDIA 3, AMD 2 -> 60 % and 40 %, HHI 3,600 + 1,600.
    assert [(r["label"], r["models"], r["share"]) for r in report["rows"]] == [("NVIDIA", 3, 60.0), ("AMD", 2, 40.0)]
    assert report["summary"][0].startswith("HHI 5200")


def test_what_if_table_and_languages(run):
    result = run("what-if", "--remove", "licence:LicenseRef-Gemma-Terms")
    assert result.exit_code == 0, result.output
    # Gemma 2B (Google DeepMind, GBR: outside the EU today) and Gemma FR (France).
    assert "Gemma FR" in result.stdout and "2 models affected: 1 inside eu, 1 outside, 0 of unknown" in result.stdout
    languages = run("languages", "--on", "2025-12-31", "--format", "csv")
    below = [r["code"] for r in csv.DictReader(io.StringIO(languages.stdout)) if r["below_threshold"] == "True"]
    assert below == ["ga", "hr", "mt"]


def test_profile_and_errors(run):
    result = run("profile", "--model", "lumiopen/llama-poro-2-8b-instruct", "--on", "2025-12-31", "-f", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["rows"]) == 6
    assert run("profile").exit_code == 2
    assert "needs --model" in run("upstream").output
    unknown = run("what-if", "--remove", "org:nobody")
    assert unknown.exit_code == 2 and "not in the dependency graph" in unknown.output
    assert run("colour").exit_code == 2
    assert run("upstream", "--model", "x", "--on", "yesterday").exit_code == 2
