"""Parameters change answers the way their wording says, and are bound as typed terms, never as text."""

from __future__ import annotations

import pytest
from rdflib import Literal

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.query.run import run_query, run_saved
from euaigraph.graph.query.saved import SavedQueryError, find

from .results import table


def rows(workers, name, **values):
    return table(run_saved(workers, find(name), values, timeout_s=60))[1]


def column(workers, name, col, **values):
    result = run_saved(workers, find(name), values, timeout_s=60)
    return sorted(str(v) for v in result.column(col))


def test_membership_is_evaluated_on_the_given_date(fixture_workers):
    # The UK was in the EU until 2020-01-31 (its last day). The one dated question says so on each side of it;
    # every other question applies today's membership, under which Gemma (Google DeepMind, GBR) is a foreign
    # ancestor of Gemma FR.
    def gbr(day):
        return [r for r in rows(fixture_workers, "models-by-jurisdiction", as_of=day) if r[0] == "country:GBR"]

    assert gbr("2019-06-30") == [["country:GBR", "United Kingdom", "true", "1"]]
    assert gbr("2020-01-31") == [["country:GBR", "United Kingdom", "true", "1"]]
    assert gbr("2020-02-01") == [["country:GBR", "United Kingdom", "false", "1"]]
    gemma = "https://w3id.org/euaigraph/id/model/google/gemma-2b"
    assert gemma in column(fixture_workers, "non-bloc-ancestors", "ancestor")


def test_partial_start_dates_count_from_their_first_day(fixture_workers):
    # Finland's EU membership is recorded as the year "1995": a member on 1995-01-01, not on 1994-12-31.
    def finland(day):
        return [r[2] for r in rows(fixture_workers, "models-by-jurisdiction", as_of=day) if r[0] == "country:FIN"]

    assert finland("1995-01-01") == ["true"]
    assert finland("1994-12-31") == ["false"]


def test_bloc_parameter(fixture_workers):
    # Finland joined the EEA on 1994-01-01 and the EU in 1995: in mid-1994 it is in one bloc and not the other.
    def finland(bloc):
        result = rows(fixture_workers, "models-by-jurisdiction", bloc=bloc, as_of="1994-06-30")
        return [r[2] for r in result if r[0] == "country:FIN"]

    assert finland("eea") == ["true"]
    assert finland("eu") == ["false"]


def test_threshold_parameter(fixture_workers):
    # With threshold 3, the 14 languages that only EuroLLM 9B and its instruct version cover (2 each) join
    # Irish, Croatian (1) and Maltese (0): 17 rows.
    below = rows(fixture_workers, "languages-below-threshold", threshold=3)
    assert len(below) == 17
    assert {r[3] for r in below} == {"0", "1", "2"}


def test_withdrawal_reaches_controlled_organisations_and_accelerators(fixture_workers):
    # AMD controls Silo AI (both Poro models) and supplies LUMI's accelerators (Poro 2 8B base was trained there);
    # Merge 7B is merged from Poro 2 8B instruct. Only rows of kind model are affected models.
    amd = rows(fixture_workers, "removal-impact", removed="org:amd")
    assert [(r[0], r[2], r[4]) for r in amd] == [
        ("id:facility/lumi", "facility", "id:org/amd"),
        ("id:model/indie-dev/merge-7b", "model", "id:model/lumiopen/llama-poro-2-8b-instruct"),
        ("id:model/lumiopen/llama-poro-2-8b-base", "model", "id:facility/lumi"),
        ("id:model/lumiopen/llama-poro-2-8b-base", "model", "id:org/silo-ai"),
        ("id:model/lumiopen/llama-poro-2-8b-instruct", "model", "id:model/lumiopen/llama-poro-2-8b-base"),
        ("id:model/lumiopen/llama-poro-2-8b-instruct", "model", "id:org/silo-ai"),
        ("id:org/silo-ai", "organisation", "id:org/amd"),
    ]


def test_a_licence_family_is_one_pick(fixture_workers):
    # Removing the Llama family affects exactly what removing its one version in the fixture affects, plus that
    # version itself.
    family = {r[0] for r in rows(fixture_workers, "removal-impact", removed="licence-family:Llama")}
    version = {r[0] for r in rows(fixture_workers, "removal-impact", removed="licence:LicenseRef-Llama-3-Community")}
    assert family == version | {"id:licence/LicenseRef-Llama-3-Community"}
    assert "id:model/anna/llama-3-nl" in version


def test_id_parameters_accept_the_iri_a_result_row_gives(fixture_workers):
    by_id = rows(fixture_workers, "model-upstream", model="utter-project/eurollm-9b")
    iri = "https://w3id.org/euaigraph/id/model/utter-project/eurollm-9b"
    by_iri = rows(fixture_workers, "model-upstream", model=iri)
    # 2 datasets and their 2 curators, 1 facility with its operator and vendor, 1 licence, 2 developers
    assert by_id == by_iri and {r[2] for r in by_id if r[3] == "id:model/utter-project/eurollm-9b"} == {
        "trained-on", "trained-at", "licence", "provider", "developer"}


def test_hostile_string_stays_a_literal(fixture_workers, fixture_home):
    before = EmbeddedStore(fixture_home).count()
    hostile = 'DE" } ; DROP ALL ; #'
    assert rows(fixture_workers, "find-models", text=hostile) == []
    # The same value bound straight into a query is matched as a string, character for character.
    result = run_query(fixture_workers, "SELECT ?x WHERE { BIND(STRLEN(?v) AS ?x) }", params={"v": Literal(hostile)})
    assert [int(v) for v in result.column("x")] == [len(hostile)]
    assert EmbeddedStore(fixture_home).count() == before


def test_hostile_values_of_typed_parameters_are_refused(fixture_workers):
    with pytest.raises(SavedQueryError, match="not a valid country|not one of"):
        run_saved(fixture_workers, find("non-bloc-ancestors"), {"bloc": 'eu> } ; DROP ALL ; #'})
    with pytest.raises(SavedQueryError, match="not a valid date"):
        run_saved(fixture_workers, find("models-by-jurisdiction"), {"as_of": '2025" } ; DROP ALL ; #'})
    with pytest.raises(SavedQueryError, match="not a valid node"):
        run_saved(fixture_workers, find("removal-impact"), {"removed": 'https://x> } ; DROP ALL ; #'})
    with pytest.raises(SavedQueryError, match="not a valid iri"):
        run_saved(fixture_workers, find("entity-facts"), {"entity": "https://x> } ; DROP ALL ; #"})
