"""The AI Act indicators say one thing on every path: the saved questions ``aiact/*`` and the panel the entity page
and the sovereignty profile show, on the shipped graph and on the graph with every recorded feed. On that graph, the
curated models whose training compute is public have the answers reviewed by hand in
``expected/aiact-public-compute.csv`` (each figure checked against the recorded Epoch AI rows and index headers,
each answer worked out from the rule in decisions/0014-ai-act-indicators.md)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from euaigraph.graph.analysis.aiact import ai_act_panel, model_answers
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ontology.iri import model_iri

EXPECTED = Path(__file__).parent / "expected" / "aiact-public-compute.csv"
#: The answers reviewed by hand for the models whose compute is public (the file's columns).
REVIEWED = {"generalPurpose": "general-purpose", "systemicRisk": "systemic-risk",
            "openSourceExemption": "open-source-exemption", "codeOfPractice": "code-of-practice"}
COLUMNS = {**REVIEWED, "placedBeforeObligations": "placed-before-obligations"}


def _text(term) -> str:
    return "" if term is None else str(term)


def test_the_panel_gives_every_model_the_answers_of_the_saved_question(graph_home, answer_on):
    rows = answer_on(graph_home)("aiact/indicators").records()
    assert len(rows) > 100
    with EmbeddedStore(graph_home) as store:
        for row in rows:
            found = model_answers(store, str(row["model"]))
            assert {column: found[code] for column, code in COLUMNS.items()} == \
                   {column: str(row[column]) for column in COLUMNS}, row["model"]


def test_the_panel_shows_the_figure_and_the_answers_of_each_question(graph_home, answer_on):
    answer = answer_on(graph_home)
    compute = {str(r["model"]): r["trainingCompute"] for r in answer("aiact/training-compute").records()}
    exemption = {str(r["model"]): r for r in answer("aiact/open-source-exemption").records()}
    figures = sorted(m for m, c in compute.items() if c is not None)
    sample = figures[:5] + sorted(set(compute) - set(figures))[:5]
    with EmbeddedStore(graph_home) as store:
        for model in sample:
            panel = ai_act_panel(store, model)
            assert "not a legal assessment" in panel.note
            shown = panel.reading("systemic-risk").facts[0].value
            assert shown == (f"{float(compute[model].toPython()):.3g}" if compute[model] is not None else "unknown")
            assert panel.reading("weights-public").answer == str(exemption[model]["weightsPublic"])
            assert panel.reading("open-source-exemption").answer == str(exemption[model]["answer"])


def test_models_with_public_compute_have_the_reviewed_answers(feeds_home, answer_on):
    answer = answer_on(feeds_home)
    sources: dict[str, set[str]] = defaultdict(set)
    figure: dict[str, str] = {}
    for row in answer("aiact/training-compute").records():
        if row["trainingCompute"] is not None:
            figure[str(row["model"])] = str(row["trainingCompute"])
            sources[str(row["model"])].add(str(row["source"]).rsplit("/", 1)[-1])
    indicators = {str(r["model"]): r for r in answer("aiact/indicators").records()}
    with EXPECTED.open(encoding="utf-8", newline="") as handle:
        expected = list(csv.DictReader(handle))
    assert len(expected) >= 10
    for want in expected:
        model = str(model_iri(want["model"]))
        if model not in figure:
            pytest.fail(f"{want['model']} has no training compute in the graph with the recorded feeds")
        got = {"model": want["model"], "trainingCompute": f"{float(figure[model]):g}",
               "sources": ";".join(sorted(sources[model])),
               **{column: str(indicators[model][column]) for column in REVIEWED}}
        assert got == {**want, "trainingCompute": f"{float(want['trainingCompute']):g}"}
