"""dependency_graph, bloc_members, language_coverage and sovereignty_profile on the query fixture graph
(tests/queries/fixture; the model table at the top of curated.ttl is the key to the numbers below)."""

from __future__ import annotations

from datetime import date

import pytest

from euaigraph.graph.analysis import (
    bloc_members,
    dependency_graph,
    language_coverage,
    sovereignty_profile,
    standings,
    upstream,
)

ID = "https://w3id.org/euaigraph/id/"
M1, M2 = f"{ID}model/meta-llama/meta-llama-3-8b", f"{ID}model/mistralai/mistral-7b-v0.1"
M7, M8 = f"{ID}model/lumiopen/llama-poro-2-8b-base", f"{ID}model/lumiopen/llama-poro-2-8b-instruct"
M16 = f"{ID}model/indie-dev/merge-7b"


@pytest.fixture(scope="module")
def g(analysis_store):
    return dependency_graph(analysis_store)


def test_dependency_graph_nodes_edges_and_attributes(g):
    assert sum(1 for _, kind in g.nodes(data="kind") if kind == "model") == 17
    # The specific lineage relation wins over the eai:derivedFrom written beside it; edges carry relation codes.
    assert g.edges[M8, M7]["relation"] == "fine-tune"
    assert g.edges[M7, M1]["relation"] == "continued-pretraining"
    assert g.edges[M16, M2]["relation"] == "merge"
    assert g.edges[M7, f"{ID}facility/lumi"]["relation"] == "trained-at"
    assert g.edges[f"{ID}facility/lumi", f"{ID}org/amd"]["relation"] == "accelerator-vendor"
    assert g.edges[f"{ID}org/silo-ai", f"{ID}org/amd"]["relation"] == "controller"
    assert g.edges[M7, f"{ID}licence/LicenseRef-Llama-3-Community"]["relation"] == "licence"
    assert g.edges[f"{ID}licence/LicenseRef-Llama-3-Community", f"{ID}licence-family/llama"]["relation"] == \
        "licence-family"
    # A model has its developers' seats; a dataset its curators'; a licence none; standings come from the
    # derived graph (today).
    assert (g.nodes[M7]["seats"], g.nodes[M7]["standing"]["eu"]) == (("FIN",), "inside")
    assert g.nodes[f"{ID}dataset/huggingfacefw/fineweb"]["seats"] == ("USA",)
    assert g.nodes["http://spdx.org/licenses/Apache-2.0"]["standing"] == {}
    assert (g.nodes[M16]["seats"], g.nodes[M16]["standing"]["eu"]) == ((), "unknown")
    # A person takes the seat of the organisation it is affiliated with (Anna, University of Amsterdam).
    assert g.nodes[f"{ID}model/anna/llama-3-nl"]["seats"] == ("NLD",)
    # Mistral AI: curated FRA beats the index's USA.
    assert g.nodes[f"{ID}org/mistral-ai"]["seats"] == ("FRA",)


def test_bloc_members_on_dates(analysis_store):
    eu6 = {"FRA", "DEU", "NLD", "FIN", "PRT", "ESP"}
    assert bloc_members(analysis_store, bloc="eu", on=date(2020, 1, 31)) == eu6 | {"GBR"}  # last day of the UK
    assert bloc_members(analysis_store, bloc="eu", on=date(2020, 2, 1)) == eu6
    assert bloc_members(analysis_store, bloc="eu", on=date(1994, 12, 31)) == eu6 - {"FIN"} | {"GBR"}  # FIN: "1995"
    assert bloc_members(analysis_store, bloc="eea", on=date(1994, 6, 30)) == eu6 | {"GBR", "NOR"}


def test_upstream_of_a_model_in_the_fixture(g, analysis_store):
    # Poro 2 8B instruct: 18 upstream nodes (5 licences and the Llama licence family have no seat); 11 inside or
    # outside (Poro base, Silo AI, LUMI, CSC, HPLT v2, HPLT consortium: FIN; Llama 3 8B, Meta, FineWeb, Hugging Face,
    # AMD: USA); UltraChat has no curator, so it is of unknown jurisdiction; 5 outside the EU -> 5/11.
    up = upstream(g, M8, standing=standings(analysis_store, g, bloc="eu"))
    assert len(up.nodes) == 18
    assert (up.known, up.foreign, up.unknown) == (11, 5, 1)
    assert {n.label for n in up.nodes if n.outside} == {"Meta Llama 3 8B", "Meta", "FineWeb", "Hugging Face", "AMD"}


def coverage(store, **kwargs):
    return {c.code: c for c in language_coverage(store, **kwargs)}


def test_language_coverage_today(analysis_store):
    # EU-controlled open models: Mistral 7B and Large 3, Gemma FR and the two tokenizer models (France), EuroLLM
    # 9B and Instruct (Portugal). Teuken and Mistral Large 2407 are non-commercial; Silo AI is controlled by AMD.
    result = coverage(analysis_store, on=date(2025, 12, 31))
    assert len(result) == 24
    assert {code for code, c in result.items() if c.below_threshold} == {"ga", "hr", "mt"}
    assert (result["mt"].count, result["ga"].count, result["fi"].count, result["fr"].count) == (0, 1, 2, 7)
    assert result["ga"].models == (f"{ID}model/utter-project/eurollm-9b",)


def test_language_coverage_follows_control_on_the_date(analysis_store):
    # Before AMD acquired Silo AI (2024-08-09) both Poro models were EU-controlled and open (Llama 3 licence is
    # open-restricted, the instruct model's Apache-2.0 open): Finnish has 4, English 7.
    before = coverage(analysis_store, on=date(2024, 8, 8))
    assert (before["fi"].count, before["en"].count) == (4, 7)
    after = coverage(analysis_store, on=date(2024, 8, 9))
    assert (after["fi"].count, after["en"].count) == (2, 5)
    assert coverage(analysis_store, on=date(2025, 12, 31), threshold=3)["pl"].below_threshold


def test_sovereignty_profile_explains_each_component(analysis_store, g):
    profile = sovereignty_profile(analysis_store, M8, bloc="eu", on=date(2025, 12, 31), graph=g)
    status = {c.name: c.status for c in profile.components}
    assert status == {"developer jurisdiction": "inside", "control chain": "outside",
                      "upstream foreign share": "outside", "compute location": "inside",
                      "licence openness": "open", "data openness": "open"}
    assert profile.component("upstream foreign share").value == "5 of 11 = 45%"
    assert "AMD" in profile.component("control chain").value
    assert "https://fixture.example/control/silo-amd" in profile.component("control chain").sources
    assert "inherits open-restricted" in profile.component("licence openness").value
    assert "LUMI (FIN)" in profile.component("compute location").value
    assert all(c.explanation for c in profile.components)
    assert not hasattr(profile, "score")
    assert [r["component"] for r in profile.as_rows()] == [c.name for c in profile.components]


def test_sovereignty_profile_shows_disagreeing_sources_and_closed_data(analysis_store, g):
    profile = sovereignty_profile(analysis_store, M2, bloc="eu", on=date(2025, 12, 31), graph=g)
    provider = profile.component("developer jurisdiction")
    assert provider.value == "Mistral AI (FRA)" and provider.status == "inside"
    # The index that says USA is listed among the sources behind the seat, beside the curated record.
    assert "fixture-index (https://index.example/org/mistral-ai)" in provider.sources
    assert "fixture-curated (https://fixture.example/curated/mistral-ai)" in provider.sources
    assert profile.component("data openness").status == "closed"  # datasources_endmodel graded closed
    assert profile.component("compute location").status == "unknown"
    with pytest.raises(KeyError):
        sovereignty_profile(analysis_store, f"{ID}org/meta", graph=g)
