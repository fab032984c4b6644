"""The curated source's run ledger: every file read or skipped with a reason, every record ingested or rejected
with its place, and the ledger balanced (Report.imbalance() is None)."""

from __future__ import annotations

import shutil

import pytest

from euaigraph.ingest.base import Feed, FeedError, Report
from euaigraph.ingest.curated import KINDS, curated_dir, records
from euaigraph.ingest.sources.curated import SOURCES
from euaigraph.ontology.vocab import EAI


def _source(kind: str):
    return next(s for s in SOURCES if s.id == f"curated-{kind}")


def _run(spec, path):
    report = Report(spec.id)
    triples = list(spec.parse(Feed.from_path(path), report))
    return report, triples


def _models_from(tmp_path, text: str):
    """(report, triples, reasons by place) of the curated models source run on ``text``; the ledger balances."""
    path = tmp_path / "models.yaml"
    path.write_text(text, encoding="utf-8")
    report, triples = _run(_source("models"), path)
    assert report.imbalance() is None
    return report, triples, {r.where: r.reason for r in report.rejected}


@pytest.mark.parametrize("spec", SOURCES, ids=lambda s: s.id)
def test_each_shipped_file_is_read_and_every_record_ingested(spec):
    kind = spec.id.removeprefix("curated-")
    report, triples = _run(spec, spec.shipped_path())
    assert [(f.path, f.status) for f in report.files] == [(KINDS[kind].file, "read")]
    assert report.records_read == len(records(kind)) == report.records_ingested
    assert report.records_rejected == 0 and report.imbalance() is None
    assert len(triples) >= spec.min_triples


def test_a_folder_feed_reads_its_file_and_skips_the_others_with_a_reason(tmp_path):
    folder = tmp_path / "curated"
    shutil.copytree(curated_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "notes.txt").write_text("not data", encoding="utf-8")
    spec = _source("families")
    report, _ = _run(spec, folder)
    read = [f.path for f in report.files if f.status == "read"]
    skipped = {f.path: f.reason for f in report.files_skipped}
    assert read == ["families.yaml"]
    assert "models.yaml" in skipped and "another curated source" in skipped["models.yaml"]
    assert "not a curated records file" in skipped["notes.txt"]
    assert "aliases/models.yaml" in skipped
    assert report.imbalance() is None


BAD = """records:
  - id: good/model
    name: Good
    developers: [dev]
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
  - id: nosource/model
    name: No source
    developers: [dev]
  - id: good/model
    name: Duplicate
    developers: [dev]
    sources: [{url: 'https://dup.example', accessed: '2026-12-07'}]
  - id: badurl/model
    name: Bad URL
    developers: [dev]
    sources: [{url: 'ftp://nowhere', accessed: '2026-12-07'}]
  - id: baddate/model
    name: Bad release date
    developers: [dev]
    released: 'next spring'
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
  - id: badstatus/model
    name: Bad status
    developers: [dev]
    licence_status: lost
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
  - just text
  - id: bound/model
    name: Released after it was seen public
    developers: [dev]
    released: '2024-07'
    released_no_later_than: [{value: '2024-06-30', url: 'https://seen.example', accessed: '2026-12-08'}]
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
  - id: bounded/model
    name: Seen public, release date unknown
    developers: [dev]
    released_no_later_than: [{value: '2024-06-30', url: 'https://seen.example', accessed: '2026-12-08'}]
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
"""


def test_bad_records_are_rejected_with_their_place_and_the_good_ones_kept(tmp_path):
    report, triples, reasons = _models_from(tmp_path, BAD)
    assert (report.records_read, report.records_ingested, report.records_rejected) == (9, 2, 7)
    assert "missing sources" in reasons["models.yaml record 2"]
    assert "duplicate id" in reasons["models.yaml record 3"]
    assert "not a well-formed http(s) URL" in reasons["models.yaml record 4"]
    assert "released: cannot read 'next spring' as date" in reasons["models.yaml record 5"]
    assert "licence_status 'lost'" in reasons["models.yaml record 6"]
    assert "must be a mapping" in reasons["models.yaml record 7"]
    assert "released 2024-07 is after released_no_later_than 2024-06-30" in reasons["models.yaml record 8"]
    subjects = {str(s) for s, _, _ in triples}
    assert "https://w3id.org/euaigraph/id/model/good/model" in subjects
    assert not any("baddate" in s or "badstatus" in s or "bound/model" in s for s in subjects)
    bounds = [(str(s), str(o)) for s, p, o in triples if p == EAI.releasedNoLaterThan]
    assert bounds == [("https://w3id.org/euaigraph/id/model/bounded/model", "2024-06-30")]


CLAIMS = """records:
  - id: kept/model
    name: Kept
    developers: [dev]
    released: [{value: '2024-05', url: 'https://card.example', accessed: '2026-12-08', note: 'the card'}]
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
  - id: noaccessed/model
    name: A claim without its accessed date
    developers: [dev]
    released_no_later_than: [{value: '2024-01-01', url: 'https://seen.example'}]
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
  - id: ftp/model
    name: A claim cited by an ftp URL and a date nobody can read
    developers: [dev]
    released: [{value: '2024-01-01', url: 'ftp://x', accessed: yesterday}]
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
  - id: key/model
    name: A claim with an unknown key
    developers: [dev]
    released: [{value: '2024-01-01', url: 'https://card.example', accessed: '2026-12-08', sorce: oops}]
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
  - id: plain/model
    name: A bound without a citation of its own
    developers: [dev]
    released_no_later_than: '2024-06-30'
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
  - id: future/model
    name: A bound after the day its page was read
    developers: [dev]
    released_no_later_than: [{value: '2026-12-09', url: 'https://seen.example', accessed: '2026-12-08'}]
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
  - id: mixed/model
    name: Claims mixed with plain values
    developers: [dev]
    languages: [fi, {value: sv, url: 'https://card.example', accessed: '2026-12-08'}]
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
  - id: empty/model
    name: An empty bound
    developers: [dev]
    released_no_later_than: []
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
"""


def test_claims_are_checked_like_sources_and_a_bad_one_rejects_only_its_record(tmp_path):
    """Every claim's own citation gets the checks of ``sources``; before, a claim without ``accessed`` stopped the
    whole source with a KeyError, and an ftp URL or an unreadable date loaded."""
    report, triples, reasons = _models_from(tmp_path, CLAIMS)
    assert (report.records_read, report.records_ingested, report.records_rejected) == (8, 1, 7)
    assert "released_no_later_than claim 1: each source needs url and accessed" in reasons["models.yaml record 2"]
    assert "released claim 1: not a well-formed http(s) URL: 'ftp://x'" in reasons["models.yaml record 3"]
    assert "released claim 1: unknown key(s) sorce" in reasons["models.yaml record 4"]
    assert "released_no_later_than must be cited claims" in reasons["models.yaml record 5"]
    assert "released_no_later_than 2026-12-09 is after the day its page was read (2026-12-08)" in \
        reasons["models.yaml record 6"]
    assert "languages mixes cited claims" in reasons["models.yaml record 7"]
    assert "released_no_later_than must be cited claims" in reasons["models.yaml record 8"]
    assert {str(s) for s, p, _ in triples if p == EAI.releaseDate} == {"https://w3id.org/euaigraph/id/model/kept/model"}


def test_a_repeated_key_refuses_the_file_with_its_line(tmp_path):
    """PyYAML keeps the last of two equal keys and drops the first: here the bound that contradicts the release."""
    path = tmp_path / "models.yaml"
    path.write_text("""records:
  - id: dup/model
    name: Two bounds under one key
    developers: [dev]
    released: '2025-01-01'
    released_no_later_than: [{value: '2024-01-01', url: 'https://seen.example', accessed: '2026-12-08'}]
    released_no_later_than: [{value: '2026-01-01', url: 'https://seen.example', accessed: '2026-12-08'}]
    sources: [{url: 'https://good.example', accessed: '2026-12-07'}]
""", encoding="utf-8")
    with pytest.raises(FeedError, match=r"(?s)'released_no_later_than' is repeated \(first on line 6\).*line 7"):
        _run(_source("models"), path)


def test_a_file_that_is_not_a_records_mapping_is_a_feed_error(tmp_path):
    path = tmp_path / "models.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    spec = _source("models")
    with pytest.raises(FeedError, match="curated-models: models.yaml: expected a mapping with a 'records' list"):
        _run(spec, path)


def test_a_secondary_only_record_and_a_secondary_control_get_low_confidence(tmp_path):
    path = tmp_path / "organisations.yaml"
    path.write_text("""records:
  - id: child
    name: Child
    controlled_by:
      - {org: parent, since: '2025-08', kind: acquisition, url: 'https://news.example/a', accessed: '2026-12-07', secondary: true}
    sources: [{url: 'https://registry.example/child', accessed: '2026-12-07'}]
  - id: parent
    name: Parent
    sources: [{url: 'https://news.example/b', accessed: '2026-12-07', secondary: true}]
""", encoding="utf-8")
    spec = _source("organisations")
    report, triples = _run(spec, path)
    about = {str(s): str(o) for s, p, o in triples if str(p).endswith("#describes")}
    conf = {about[str(s)]: str(o) for s, p, o in triples if str(p).endswith("#confidence")}
    org = "https://w3id.org/euaigraph/id/org/"
    assert conf[org + "child"] == "high" and conf[org + "parent"] == "low"
    [control] = [str(o) for s, p, o in triples if str(s) == org + "child" and str(p).endswith("#control")]
    assert conf[control] == "low"
    assert report.imbalance() is None


ORGS_WITH_BAD_LINKS = """records:
  - {id: uni, name: Uni, country: BEL, sources: [{url: 'https://uni.example', accessed: '2026-12-07'}]}
  - {id: crew, name: Crew, sources: [{url: 'https://crew.example', accessed: '2026-12-07'}]}
  - {id: ann, name: Ann, type: person, affiliated_with: [uni], sources: [{url: 'https://a.example', accessed: '2026-12-07'}]}
  - {id: typo, name: Typo, affiliated_with: [no-such-org], sources: [{url: 'https://t.example', accessed: '2026-12-07'}]}
  - {id: self, name: Self, affiliated_with: [self], sources: [{url: 'https://s.example', accessed: '2026-12-07'}]}
  - {id: hop, name: Hop, affiliated_with: [crew], sources: [{url: 'https://h.example', accessed: '2026-12-07'}]}
  - {id: both, name: Both, country: FRA, affiliated_with: [uni], sources: [{url: 'https://b.example', accessed: '2026-12-07'}]}
  - {id: bob, name: Bob, type: person, country: USA, sources: [{url: 'https://bob.example', accessed: '2026-12-07'}]}
  - {id: null-entry, name: N, affiliated_with: [null], sources: [{url: 'https://n.example', accessed: '2026-12-07'}]}
  - {id: map-entry, name: M, affiliated_with: [{org: uni}], sources: [{url: 'https://m.example', accessed: '2026-12-07'}]}
  - {id: dots, name: D, affiliated_with: ['uni/../x'], sources: [{url: 'https://d.example', accessed: '2026-12-07'}]}
  - {id: group, name: G, type: consortium, members: [uni, ghost], sources: [{url: 'https://g.example', accessed: '2026-12-07'}]}
"""


def test_links_that_do_not_resolve_or_stand_for_no_missing_seat_are_rejected(tmp_path):
    """An affiliation or membership naming no record, itself, a seatless organisation, or beside a seat of its own
    is refused with its record named; nothing is loaded from it, and the ledger balances."""
    path = tmp_path / "organisations.yaml"
    path.write_text(ORGS_WITH_BAD_LINKS, encoding="utf-8")
    spec = _source("organisations")
    report, triples = _run(spec, path)
    assert report.imbalance() is None
    assert (report.records_read, report.records_ingested) == (12, 3)
    reasons = {r.where: r.reason for r in report.rejected}
    assert "affiliated_with 'no-such-org' names no record of organisations.yaml" in reasons["organisations.yaml record 4"]
    assert "affiliated with itself" in reasons["organisations.yaml record 5"]
    assert "'crew', which has no seat of its own" in reasons["organisations.yaml record 6"]
    assert "has a country of its own and affiliated_with" in reasons["organisations.yaml record 7"]
    assert "a person records no country" in reasons["organisations.yaml record 8"]
    assert "affiliated_with None names no record" in reasons["organisations.yaml record 9"]
    assert "names no record of organisations.yaml" in reasons["organisations.yaml record 10"]
    assert "affiliated_with 'uni/../x'" in reasons["organisations.yaml record 11"]
    assert "members 'ghost' names no record of organisations.yaml" in reasons["organisations.yaml record 12"]
    subjects = {str(s).rsplit("/", 1)[-1] for s, _, _ in triples if "/id/org/" in str(s)}
    assert subjects == {"uni", "crew", "ann"}


def test_references_to_another_kind_are_checked_against_the_file_beside_it(tmp_path):
    model = ("records:\n  - {{id: m/one, name: One, developers: [{dev}], "
             "sources: [{{url: 'https://m.example', accessed: '2026-12-07'}}]}}\n")
    spec = _source("models")
    (tmp_path / "models.yaml").write_text(model.format(dev="ghost"), encoding="utf-8")
    report, _ = _run(spec, tmp_path / "models.yaml")  # no organisations.yaml beside it: unchecked, and said so
    assert report.records_ingested == 1
    assert any("references to organisations not checked: no organisations.yaml beside it" in n for n in report.notes)
    (tmp_path / "organisations.yaml").write_text(
        "records:\n  - {id: real, name: Real, sources: [{url: 'https://r.example', accessed: '2026-12-07'}]}\n",
        encoding="utf-8")
    report, triples = _run(spec, tmp_path / "models.yaml")
    assert report.records_ingested == 0 and not triples
    assert "developers 'ghost' names no record of organisations.yaml" in report.rejected[0].reason
    (tmp_path / "models.yaml").write_text(model.format(dev="real"), encoding="utf-8")
    report, _ = _run(spec, tmp_path / "models.yaml")
    assert report.records_ingested == 1 and not any("organisations" in n for n in report.notes)
