"""``euaigraph diff``: the shipped graph against the shipped graph plus one recorded feed, through the command line,
as a table and as JSON; the kept versions listed; a name that is no version refused with a message naming it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from euaigraph.graph.store import history
from euaigraph.graph.cli import app
from euaigraph.graph.query.saved import catalogue

runner = CliRunner()


def test_diff_lists_what_the_recorded_feed_added(two_versions_home):
    kept = history.kept(two_versions_home)
    result = runner.invoke(app, ["--store", str(two_versions_home), "diff", "previous", "current", "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["before"] == {"label": "previous", "version": kept[-2].version}
    assert report["after"] == {"label": "current", "version": kept[-1].version}
    assert {s["source"] for s in report["sources"]} == {"huggingface", "derived"}
    feed = next(s for s in report["sources"] if s["source"] == "huggingface")
    assert feed["before"] is None and feed["added"] > 1000 and feed["removed"] == 0  # a new source
    added = [e for e in report["entities"] if e["change"] == "added"]
    assert added and all(e["iri"].startswith("https://w3id.org/euaigraph/id/") for e in added)
    assert report["counts"]["entities_added"] == len(added) and report["counts"]["entities_removed"] == 0
    facts = [f for f in report["facts"] if f["source"] == "huggingface"]
    assert facts and all(f["change"] == "added" for f in facts)
    assert any("huggingface.co" in u for f in facts for u in f["record_urls"])  # each fact cites its record
    assert {q["name"] for q in report["questions"]} == set(catalogue())
    counts = next(q for q in report["questions"] if q["name"] == "overview/counts-by-kind")
    assert counts["added"] and counts["removed"] and not counts["error"]


def test_diff_as_a_table_summarises_first(two_versions_home):
    result = runner.invoke(app, ["--store", str(two_versions_home), "diff", "previous", "--no-questions",
                                 "--show", "3"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("previous (") and "-> current (" in lines[0]
    assert "huggingface (+" in result.stdout and "Entities added and removed" in result.stdout
    assert "Saved questions" not in result.stdout  # --no-questions


def test_diff_lists_the_kept_versions(two_versions_home):
    result = runner.invoke(app, ["--store", str(two_versions_home), "diff", "--list"])
    assert result.exit_code == 0, result.output
    assert all(v.version in result.stdout for v in history.kept(two_versions_home))


def test_diff_refuses_a_name_that_is_no_version(two_versions_home):
    result = runner.invoke(app, ["--store", str(two_versions_home), "diff", "0123456789ab"])
    assert result.exit_code == 1
    assert "0123456789ab" in result.output and "not kept" in result.output


def test_a_snapshot_names_its_version_and_compares_with_the_store(two_versions_home, tmp_path):
    zip_path = tmp_path / "note.zip"
    result = runner.invoke(app, ["--store", str(two_versions_home), "export", "-o", str(zip_path), "-f", "snapshot"])
    assert result.exit_code == 0, result.output
    import zipfile

    with zipfile.ZipFile(zip_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    citation = manifest["citation"]
    assert citation["compare_with"] == manifest["data_version"] == history.kept(two_versions_home)[-1].version
    assert f"euaigraph diff {manifest['data_version']} current" in citation["what_changed_since"]
    same = runner.invoke(app, ["--store", str(two_versions_home), "diff", str(zip_path), "current", "-f", "json"])
    assert same.exit_code == 0, same.output
    report = json.loads(same.stdout)
    assert report["before"]["version"] == report["after"]["version"] == manifest["data_version"]
    assert report["counts"] == {"sources": 0, "entities_added": 0, "entities_removed": 0, "facts_added": 0,
                                "facts_removed": 0, "questions_changed": 0, "questions": len(catalogue())}
    back = runner.invoke(app, ["--store", str(two_versions_home), "diff", str(zip_path), "previous", "-f", "json",
                               "--no-questions"])
    assert back.exit_code == 0, back.output
    assert json.loads(back.stdout)["counts"]["entities_removed"] > 0  # going back removes what the feed added
