"""The AI Act panel of one model on the query fixture, whose answers are worked out in tests/queries/fixture/index.ttl:
each reading carries the answer, the facts it used with their sources, the rule and its saved question."""

from __future__ import annotations

import pytest

from euaigraph.graph.analysis import ai_act_panel
from euaigraph.ontology.indicators import indicators
from euaigraph.ontology.iri import model_iri, org_iri


def facts(reading) -> dict[str, str]:
    return {f.name: f.value for f in reading.facts}


def test_a_candidate_for_the_exemption_shows_everything_it_rests_on(analysis_store):
    panel = ai_act_panel(analysis_store, str(model_iri("utter-project/eurollm-9b")))
    assert panel.note.startswith("Indicative, not a legal assessment")
    assert [r.code for r in panel.readings] == [i.code for i in indicators()]
    exemption = panel.reading("open-source-exemption")
    assert exemption.answer == "yes" and exemption.question == "aiact/open-source-exemption"
    assert facts(exemption) == {"licence": "Apache-2.0", "effective licence class": "open",
                                "training compute above the systemic-risk presumption": "no", "weights public": "yes",
                                "architecture information public": "yes", "usage information public": "yes"}
    assert "Articles 53(2) and 54(6)" in exemption.rule
    architecture = panel.reading("architecture-public")
    assert facts(architecture)["index grades"] == "hardware_architecture partial"  # only its evidence dimensions
    systemic = panel.reading("systemic-risk")
    assert systemic.answer == "no" and facts(systemic)["training compute (FLOP)"] == "2.1e+23"
    assert systemic.facts[0].sources == ("fixture-index (https://index.example/eurollm)",)


def test_a_signature_by_the_provider_s_controller_counts_and_names_its_chapters(analysis_store):
    panel = ai_act_panel(analysis_store, str(model_iri("google/gemma-2b")))
    signature = panel.reading("code-of-practice")
    assert signature.answer == "yes"
    assert facts(signature) == {"signatory": "google", "chapters": "safety-and-security", "listed": "2025-08-01"}
    general = panel.reading("general-purpose")
    assert general.answer == "yes" and facts(general)["output modalities"] == "text"
    assert facts(general)["input modalities"] == "image text" and facts(general)["parameters"] == "2.5e+09"


def test_unknown_is_said_with_what_is_missing(analysis_store):
    panel = ai_act_panel(analysis_store, str(model_iri("mistralai/mistral-large-3")))
    assert {r.code: r.answer for r in panel.readings}["general-purpose"] == "unknown"
    assert facts(panel.reading("general-purpose"))["output modalities"] == "unknown"
    assert facts(panel.reading("systemic-risk"))["training compute (FLOP)"] == "unknown"
    assert panel.reading("code-of-practice").answer == "yes"  # Mistral AI signed every chapter


def test_only_models_have_a_panel(analysis_store):
    with pytest.raises(KeyError, match="no AI Act indicators"):
        ai_act_panel(analysis_store, str(org_iri("mistral-ai")))


def test_the_release_shown_is_cited_by_the_pages_that_give_it_not_by_those_that_give_another(analysis_store):
    """EuroLLM 9B has two release claims from two pages (2024-12-04 and 2024-12): the panel shows the preferred one
    and cites only the page stating it."""
    placed = ai_act_panel(analysis_store, str(model_iri("utter-project/eurollm-9b"))).reading(
        "placed-before-obligations")
    assert placed.answer == "yes" and placed.question == "aiact/placed-before-obligations"
    shown = placed.facts[0]
    assert shown.name == "release date" and shown.value in ("2024-12", "2024-12-04")
    page = {"2024-12": "index-entry", "2024-12-04": "announcement"}[shown.value]
    assert shown.sources == (f"fixture-curated (https://fixture.example/eurollm/{page})",)


def test_the_bound_that_decides_comes_first(analysis_store):
    """Merge 7B has no release date and two dated pages showing it public (one dated only 2025, and 2025-07-20): the
    one whose last day is earliest decides, though "2025" sorts first as text."""
    placed = ai_act_panel(analysis_store, str(model_iri("indie-dev/merge-7b"))).reading("placed-before-obligations")
    assert placed.answer == "yes"
    assert facts(placed)["release date"] == "unknown"
    assert facts(placed)["released no later than"] == "2025-07-20, 2025"
