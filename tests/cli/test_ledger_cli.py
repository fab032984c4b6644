"""``euaigraph sources --details SOURCE`` prints the last run's ledger as plain text; ``ingest`` refuses a source that
shrank past its share, giving both counts, unless ``--accept-shrink``."""

from __future__ import annotations

import re
import shutil

import pytest
from typer.testing import CliRunner

from euaigraph.graph.cli import app

pytestmark = [pytest.mark.slow, pytest.mark.shared_data]
ENV = {"COLUMNS": "250", "NO_COLOR": "1"}


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    from euaigraph.graph.cli import commands as cli

    for console in (cli.console, cli.err):
        monkeypatch.setattr(console, "_width", 250)


def run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)


@pytest.fixture
def feeds(tmp_path, shared_data):
    whole = tmp_path / "whole"
    shutil.copytree(shared_data / "osai_index", whole)
    (whole / "[bold red]notes.txt").write_text("a file name that is markup")
    half = tmp_path / "half"
    shutil.copytree(whole, half)
    for path in sorted((half / "models").glob("*.yaml"))[::2]:
        path.unlink()
    return whole, half


def test_ingest_refuses_a_shrink_unless_accepted_and_details_print_the_ledger(tmp_path, feeds):
    whole, half = feeds
    store = str(tmp_path / "store")
    first = run("--store", store, "ingest", "osai-index", "--file", str(whole), "--no-warm")
    assert first.exit_code == 0, first.output
    refused = run("--store", store, "ingest", "osai-index", "--file", str(half), "--no-warm")
    assert refused.exit_code == 1
    assert "records against 1,677 in the current graph" in refused.output and "--accept-shrink" in refused.output

    details = run("--store", store, "sources", "--details", "osai-index")
    assert details.exit_code == 0, details.output
    out = details.output
    assert re.search(r"status\s+│ failed", out) and re.search(r"balanced\s+│ yes", out)
    assert re.search(r"error\s+│ osai-index: this run keeps [\d,]+ records against 1,677", out)
    assert "[bold red]notes.txt" in out  # printed as it is, never read as markup
    assert "zenodo.json" in out and "Zenodo deposit metadata" in out

    accepted = run("--store", store, "ingest", "osai-index", "--file", str(half), "--no-warm", "--accept-shrink")
    assert accepted.exit_code == 0, accepted.output
    after = run("--store", store, "sources", "--details", "osai-index").output
    assert re.search(r"status\s+│ succeeded", after) and "error" not in after.split("Files skipped")[0]


def test_details_of_an_unknown_or_never_loaded_source(tmp_path):
    store = str(tmp_path)  # an empty store
    unknown = run("--store", store, "sources", "--details", "no-such-source")
    assert unknown.exit_code == 1 and "known sources:" in unknown.output
    never = run("--store", store, "sources", "--details", "cordis")
    assert never.exit_code == 1 and "never been loaded" in never.output
