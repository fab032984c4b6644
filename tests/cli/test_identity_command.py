"""``euaigraph identity`` on a real store: the shipped graph plus two small feeds written here (an Epoch AI table
and an Ecosystem Graphs asset file), listing the merges they made and the near-miss between them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from euaigraph.graph.cli import app
from euaigraph.graph.cli.identity import merges, near_misses
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ontology import iri

ENV = {"COLUMNS": "250", "NO_COLOR": "1"}
MODELS = ("Model,Organization,Publication date,Parameters\n"
          "Mixtral 8x7B,Mistral AI,2023-12-11,4.67e+10\n"
          "Nimbus,Aleph Alpha,2024-02-01,7e9\n"
          "Nimbus,Aleph Alpha,2024-02-01,7e9\n")
CARDS = ("- type: model\n  name: Nimbus\n  organization: Mistral AI\n  access: open\n  dependencies: []\n"
         "- type: model\n  name: Mixtral 8x7B\n  organization: Mistral AI\n  access: open\n  dependencies: []\n")


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    from euaigraph.graph.cli import commands as cli

    for console in (cli.console, cli.err):
        monkeypatch.setattr(console, "_width", 250)


def run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    base = tmp_path_factory.mktemp("identity")
    (base / "epoch").mkdir()
    (base / "epoch" / "models.csv").write_text(MODELS, encoding="utf-8")
    (base / "eg" / "assets").mkdir(parents=True)
    (base / "eg" / "assets" / "mistral.yaml").write_text(CARDS, encoding="utf-8")
    home = str(base / "store")
    for args in (("build", "--no-warm"), ("ingest", "epoch-ai", "--file", str(base / "epoch"), "--no-warm"),
                 ("ingest", "ecosystem-graphs", "--file", str(base / "eg"), "--no-warm")):
        result = run("--store", home, *args)
        assert result.exit_code == 0, result.output
    return home


def test_merges_name_the_records_the_rule_and_the_key(store):
    with EmbeddedStore(Path(store)) as opened:
        found = merges(opened)
    mixtral = str(iri.model_iri("mistralai/mixtral-8x7b-v0.1"))
    by_place = {(m.source, m.where): m for m in found}
    assert set(by_place) == {("epoch-ai", "models.csv:2"), ("epoch-ai", "models.csv:4"),
                             ("ecosystem-graphs", "assets/mistral.yaml:6")}
    alias = by_place[("epoch-ai", "models.csv:2")]
    assert (alias.entity, alias.rule, alias.key) == (mixtral, "reviewed alias", "Mixtral 8x7B")
    repeat = by_place[("epoch-ai", "models.csv:4")]
    assert repeat.rule == "same developer and same name" and len(repeat.records) == 2
    assert repeat.entity.endswith("/model/epoch-ai/aleph-alpha/nimbus")


def test_near_misses_are_same_name_other_developer(store):
    with EmbeddedStore(Path(store)) as opened:
        missed = near_misses(opened)
    nimbus = [n for n in missed if n.name == "Nimbus"]
    assert len(nimbus) == 1
    assert {node.split("/id/")[1] for node, _label, _devs in nimbus[0].entities} == {
        "model/epoch-ai/aleph-alpha/nimbus", "model/ecosystem-graphs/mistral-ai/nimbus"}
    assert not [n for n in missed if n.name == "Mixtral 8x7B"]  # one curated model, one developer


def test_the_command_lists_both_and_filters(store):
    result = run("--store", store, "identity")
    assert result.exit_code == 0, result.output
    assert "Merges (3)" in result.output and "Near-misses" in result.output
    assert "reviewed alias" in result.output and "model/epoch-ai/aleph-alpha/nimbus" in result.output
    only = run("--store", store, "identity", "--show", "merges", "--source", "ecosystem-graphs")
    assert "Merges (1)" in only.output and "Near-misses" not in only.output
    focus = run("--store", store, "identity", "--show", "merges", "--entity",
                str(iri.model_iri("mistralai/mixtral-8x7b-v0.1")))
    assert "Merges (2)" in focus.output  # the Epoch row and the asset card, each by its own rule


def test_bad_options_exit_with_a_message(store):
    bad = run("--store", store, "identity", "--show", "everything")
    assert bad.exit_code == 2 and "use merges, near-misses or both" in bad.output
    unsafe = run("--store", store, "identity", "--entity", "http://x> } ; DROP ALL ; #")
    assert unsafe.exit_code == 2 and "not allowed" in unsafe.output
