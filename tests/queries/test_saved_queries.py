"""Every saved question parses, has a complete header, runs on the fixture graph and matches its reviewed
expected result (tests/queries/expected/<theme>/<slug>.csv, rows sorted; each file was checked by hand against
the fixture, see the comments at the top of tests/queries/fixture/curated.ttl)."""

from __future__ import annotations

import pytest

from euaigraph.graph.query.run import guard, run_saved, with_prefixes
from euaigraph.graph.query.saved import VIEWS, catalogue
from euaigraph.ingest.sources.blocs import blocs

from .results import EXPECTED, expected_path, read_expected, table

QUERIES = catalogue()
THEMES = {"dependency", "sovereignty", "licences", "funding", "languages", "whatif", "provenance", "overview", "aiact"}


def test_there_are_enough_questions_in_every_theme():
    assert len(QUERIES) >= 24
    assert {q.theme for q in QUERIES.values()} == THEMES


def test_every_query_has_an_expected_result_and_every_expected_result_a_query():
    missing = [name for name in QUERIES if not expected_path(name).exists()]
    orphans = [str(p.relative_to(EXPECTED).with_suffix("")) for p in EXPECTED.glob("*/*.csv")
               if str(p.relative_to(EXPECTED).with_suffix("")) not in QUERIES]
    assert not missing, f"saved queries without a reviewed expected result: {missing}"
    assert not orphans, f"expected results without a saved query: {orphans}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_header_is_complete(name):
    query = QUERIES[name]
    assert query.summary and query.description and query.tags, name
    assert query.view in VIEWS
    assert guard(with_prefixes(query.body)).kind == "select"
    for param in query.params:
        assert param.default is not None, f"{name}: parameter {param.name} needs a default"
        assert param.label, f"{name}: parameter {param.name} needs a label"
        if param.type == "bloc":
            assert not param.allowed and set(param.choices) == set(blocs()), "bloc values come from blocs.yaml"
    for column in (query.x, query.y):
        assert column is None or f"?{column}" in query.body, f"{name}: view column {column} is not a result"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_matches_reviewed_result_on_fixture(name, fixture_workers):
    result = run_saved(fixture_workers, QUERIES[name], timeout_s=60)
    assert not result.truncated
    header, rows = table(result)
    expected_header, expected_rows = read_expected(name)
    assert header == expected_header
    assert rows == expected_rows


def test_a_question_file_at_another_depth_is_refused_not_left_out(tmp_path):
    from euaigraph.graph.query.saved import SavedQueryError

    (tmp_path / "licences" / "drafts").mkdir(parents=True)
    (tmp_path / "licences" / "a.rq").write_text("#+ summary: A\nSELECT * WHERE { ?s ?p ?o }\n")
    (tmp_path / "licences" / "drafts" / "b.rq").write_text("#+ summary: B\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(SavedQueryError, match=r"licences/drafts/b\.rq"):
        catalogue(tmp_path)
    (tmp_path / "licences" / "drafts" / "b.rq").unlink()
    assert list(catalogue.__wrapped__(tmp_path)) == ["licences/a"]
