"""The curated-file formatter: sorting, key order, dates, numbers, layout, and never a changed value."""

from __future__ import annotations

import datetime

import pytest
import yaml

from euaigraph.ingest.curated import CuratedError
from euaigraph.ingest.curated_format import WIDTH, format_file, format_text, layout_name

MODELS = """
records:
  - sources: [{note: card, accessed: 2026-11-27, url: 'https://z.example/card'}]
    id: z/model
    developers: [second-dev, first-dev]
    name: Z
    note: kept after the known keys? no, in schema order
    parameters: 7240000000.0
    base_models: [{relation: fine-tune, model: a/model}]
    languages: [fi, 'no', sv]
    released:
      - {accessed: '2026-11-27', value: 2024-12, url: 'https://a.example'}
      - {value: '2024-11-30', url: 'https://b.example', accessed: 2026-11-27}
  - {id: a/model, name: A, developers: [dev], parameters: 3.5e+8,
     sources: [{url: 'https://a.example', accessed: 2026-01-02}]}
"""


def load(text: str):
    return yaml.safe_load(text)


def test_records_are_sorted_and_keys_follow_the_schema():
    out = format_text(MODELS, "models.yaml")
    data = load(out)
    assert [r["id"] for r in data["records"]] == ["a/model", "z/model"]
    z = data["records"][1]
    assert list(z) == ["id", "name", "developers", "parameters", "released", "base_models", "languages", "note",
                       "sources"]
    assert z["developers"] == ["second-dev", "first-dev"]  # lists inside a record keep their order
    assert z["languages"] == ["fi", "no", "sv"]
    assert list(z["sources"][0]) == ["url", "accessed", "note"]
    assert [list(c) for c in z["released"]] == [["value", "url", "accessed"]] * 2
    assert list(z["base_models"][0]) == ["model", "relation"]


def test_dates_are_quoted_strings_and_numbers_stay_numbers():
    out = format_text(MODELS, "models.yaml")
    assert "accessed: '2026-11-27'" in out and "accessed: '2026-01-02'" in out
    assert "value: 2024-12\n" in out  # a year-month is a plain string already
    assert "parameters: 7.24e+09\n" in out and "parameters: 3.5e+08\n" in out
    assert "- 'no'\n" in out
    data = load(out)
    assert data["records"][1]["parameters"] == 7.24e9 and isinstance(data["records"][1]["parameters"], float)
    assert not any(isinstance(v, datetime.date) for v in (data["records"][0]["sources"][0]["accessed"],))


def test_formatting_is_idempotent_and_keeps_every_value():
    once = format_text(MODELS, "models.yaml")
    assert format_text(once, "models.yaml") == once

    def plain(value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    before = {r["id"]: plain(r) for r in load(MODELS)["records"]}
    after = {r["id"]: r for r in load(once)["records"]}
    assert after == before


def test_unknown_keys_are_kept_at_the_end():
    out = format_text("records:\n- {zeta: 1, id: a, name: A, sources: []}\n", "policy.yaml")
    assert list(load(out)["records"][0]) == ["id", "name", "sources", "zeta"]


def test_other_layouts():
    aliases = "records:\n- {id: b, alias: Zed}\n- {id: a, alias: beta, note: n}\n- {alias: Alpha, id: a}\n"
    assert [(r["alias"], r["id"]) for r in load(format_text(aliases, "aliases/"))["records"]] == [
        ("Alpha", "a"), ("beta", "a"), ("Zed", "b")]
    blocs = ("memberships:\n"
             "- {bloc: eu, country: SWE, from: 1995-01-01, url: 'https://x.example', accessed: 2026-11-27}\n"
             "- {country: AUT, bloc: eu, from: 1995-01-01, url: 'https://x.example', accessed: 2026-11-27}\n"
             "- {country: ISL, bloc: eea, from: 1994-01-01, url: 'https://x.example', accessed: 2026-11-27}\n"
             "blocs:\n- {name: EU, id: eu, sources: [{url: 'https://x.example', accessed: 2026-11-27}]}\n")
    data = load(format_text(blocs, "blocs.yaml"))
    assert list(data) == ["blocs", "memberships"]
    assert [(m["bloc"], m["country"]) for m in data["memberships"]] == [("eea", "ISL"), ("eu", "AUT"), ("eu", "SWE")]
    assert list(data["memberships"][0]) == ["country", "bloc", "from", "url", "accessed"]
    languages = "sources: []\nrecords:\n- {name: Finnish, code: fi, nal: FIN}\n- {code: de, nal: DEU, name: German}\n"
    assert [r["code"] for r in load(format_text(languages, "languages.yaml"))["records"]] == ["de", "fi"]


def test_nested_mappings_follow_the_readme_order():
    text = ("records:\n- id: o\n  name: O\n  identifiers: {website: 'https://o.example', pic: '999', wikidata: Q1}\n"
            "  controlled_by: [{kind: acquisition, url: 'https://o.example/news', org: p, accessed: 2026-11-27, "
            "since: 2024-08-12}]\n  sources: [{url: 'https://o.example', accessed: 2026-11-27}]\n")
    record = load(format_text(text, "organisations.yaml"))["records"][0]
    assert list(record["identifiers"]) == ["wikidata", "pic", "website"]
    assert list(record["controlled_by"][0]) == ["org", "since", "kind", "url", "accessed"]


def test_long_text_is_folded_at_the_width():
    note = " ".join(["word"] * 80)
    out = format_text(f"records:\n- {{id: a, name: A, note: {note}, sources: []}}\n", "policy.yaml")
    lines = out.splitlines()
    assert len(lines) > 6  # folded over several lines
    assert max(len(line) for line in lines) <= WIDTH + len(" word")  # PyYAML breaks at the first space past it
    assert load(out)["records"][0]["note"] == note


@pytest.mark.parametrize(("text", "layout", "message"), [
    ("records: [unclosed\n", "models.yaml", "not valid YAML"),
    ("- just a list\n", "models.yaml", "expected a YAML mapping"),
    ("records: [1, 2]\n", "models.yaml", "must be a mapping"),
    ("records: []\n", "unknown.yaml", "no curated layout"),
])
def test_bad_input_is_refused(text, layout, message):
    with pytest.raises(CuratedError, match=message):
        format_text(text, layout)


def test_format_file_checks_or_rewrites(tmp_path):
    aliases = tmp_path / "aliases"
    aliases.mkdir()
    path = aliases / "models.yaml"
    path.write_text("records:\n- {id: b, alias: B}\n- {id: a, alias: A}\n", encoding="utf-8")
    assert layout_name(path) == "aliases/"
    original = path.read_text(encoding="utf-8")
    assert format_file(path, check=True) is True
    assert path.read_text(encoding="utf-8") == original
    assert format_file(path) is True
    assert path.read_text(encoding="utf-8") == "records:\n  - alias: A\n    id: a\n  - alias: B\n    id: b\n"
    assert format_file(path, check=True) is False
    assert [p.name for p in tmp_path.rglob("*")] == ["aliases", "models.yaml"]  # no temporary file left
