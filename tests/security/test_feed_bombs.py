"""YAML alias bombs and deeply nested JSON through every ingester that reads YAML or JSON (decision 0012).

Each case first loads the source's recorded feed from ``../shared/data`` (or its shipped file) as the previous
graph, then a feed holding only the hostile file: a 2.6 kB YAML "billion laughs" (twelve levels of twenty aliases:
20^11 nodes if expanded), or JSON nested 200,000 deep. Expected every time: the run fails with a message naming
the source, the file (and line where there is one) and what was refused; within seconds; with under 64 MB traced
(the bomb is never expanded, the nesting never recursed into); the whole dataset but the meta graph unchanged.
The command line says the same with exit code 1 and no traceback. A saved question's ``#+`` header, kept answers
and the live-feed cache record are read by the same loaders.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from euaigraph.graph.cli import app
from euaigraph.graph.load.pipeline import IngestError, ingest
from euaigraph.graph.query.answers import Answers
from euaigraph.graph.query.saved import SavedQueryError, parse_saved
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest import fetch, registry
from euaigraph.ingest.base import Feed

from .support import dataset_hash

pytestmark = pytest.mark.shared_data


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Messages unwrapped, whatever terminal (or none) the tests run in."""
    from euaigraph.graph.cli import commands

    for console in (commands.console, commands.err):
        monkeypatch.setattr(console, "_width", 400)


def alias_bomb() -> str:
    """Twelve levels of twenty references to the level before: 2.6 kB, 20^11 nodes if expanded."""
    lines = ["laughs0: &laughs0 [" + ", ".join(["lol"] * 20) + "]"]
    for level in range(1, 12):
        lines.append(f"laughs{level}: &laughs{level} [" + ", ".join(f"*laughs{level - 1}" for _ in range(20)) + "]")
    text = "\n".join(lines) + "\n"
    assert 2_400 < len(text) < 2_800
    return text


DEPTH = 200_000
DEEP_JSON = "[" * DEPTH + "]" * DEPTH
YAML_REFUSAL = "YAML alias"
JSON_REFUSAL = "nested deeper than"


@dataclass(frozen=True)
class Case:
    source: str
    files: dict[str, str]  # path in the hostile feed -> text
    refusal: str
    feed_is_file: bool = False  # the source reads one file, not a folder
    rejected_only: bool = False  # an optional file of a record: the record loads, the file's refusal is noted

    @property
    def id(self) -> str:
        return f"{self.source}:{next(iter(self.files))}"


CASES = [
    Case("osai-index", {"models/bomb.yaml": alias_bomb()}, YAML_REFUSAL),
    Case("opening-up-chatgpt", {"projects/bomb.yaml": alias_bomb()}, YAML_REFUSAL),
    Case("ecosystem-graphs", {"assets/bomb.yaml": alias_bomb()}, YAML_REFUSAL),
    Case("model-openness-tool", {"models/bomb.yml": alias_bomb()}, YAML_REFUSAL),
    Case("huggingface", {"leliuga/Bomb-7B/README.md": "---\n" + alias_bomb() + "---\n# Bomb\n"}, YAML_REFUSAL),
    Case("huggingface", {"leliuga/Bomb-7B/manifest.yaml": alias_bomb(),
                         "leliuga/Bomb-7B/README.md": "---\nlicense: mit\n---\n# Bomb\n"}, YAML_REFUSAL),
    Case("curated-models", {"models.yaml": alias_bomb()}, YAML_REFUSAL, feed_is_file=True),
    Case("spdx", {"licenses.json": DEEP_JSON}, JSON_REFUSAL),
    Case("mof-licences", {"mof-licenses.json": DEEP_JSON}, JSON_REFUSAL),
    Case("model-openness-tool", {"models/deep.json": DEEP_JSON}, JSON_REFUSAL),
    Case("huggingface", {"acme__Deep-7B/config.json": DEEP_JSON,
                         "acme__Deep-7B/README.md": "---\nlicense: mit\n---\n# Deep\n"}, JSON_REFUSAL,
         rejected_only=True),
    Case("cordis", {"bulk/project.json": DEEP_JSON}, JSON_REFUSAL),
    Case("data-europa", {"records.jsonld": DEEP_JSON}, JSON_REFUSAL),
    Case("countries", {"iso3166-1.json": DEEP_JSON}, JSON_REFUSAL, feed_is_file=True),
]


def previous_feed(spec, shared_data: Path) -> Path:
    if spec.recorded_folder:
        return shared_data / spec.recorded_folder
    return spec.shipped_path()


def hostile_feed(case: Case, folder: Path) -> Path:
    for relative, text in case.files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / next(iter(case.files)) if case.feed_is_file else folder


@pytest.fixture(scope="module")
def previous_stores(shared_data, tmp_path_factory):
    """One store per source holding its recorded (or shipped) feed, built once."""
    built: dict[str, Path] = {}

    def get(source: str) -> Path:
        if source not in built:
            home = tmp_path_factory.mktemp(f"previous-{source}") / "store"
            spec = registry.get(source)
            with EmbeddedStore(home, writable=True) as store:
                ingest(store, spec, Feed.from_path(previous_feed(spec, shared_data)))
            built[source] = home
        return built[source]

    return get


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_file_fails_the_run_cleanly_and_changes_nothing(case, previous_stores, tmp_path):
    """Input: a feed holding only the alias bomb or the deep JSON, after the recorded feed was loaded.
    Expected: IngestError naming the source, the file and the refusal; under 10 s; under 64 MB traced; the
    dataset (all but the meta graph) unchanged. For a Hugging Face ``config.json`` (an optional file beside a card)
    the card loads and the run's notes name the file, its place and the refusal."""
    home = tmp_path / "store"
    import shutil

    shutil.copytree(previous_stores(case.source), home)
    spec = registry.get(case.source)
    feed = hostile_feed(case, tmp_path / "feed")
    with EmbeddedStore(home, writable=True) as store:
        before, graphs = dataset_hash(store, include_meta=False), store.current_graphs()
        tracemalloc.start()
        started = time.perf_counter()
        try:
            if case.rejected_only:  # one card against the recorded feed's many: a shrink this test accepts
                outcome = ingest(store, spec, Feed.from_path(feed), accept_shrink=True)
            else:
                with pytest.raises(IngestError) as failed:
                    ingest(store, spec, Feed.from_path(feed))
            elapsed = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert elapsed < 10, elapsed
        assert peak < 64 * 2**20, peak
        if case.rejected_only:
            report = outcome.run.report
            assert report.records_ingested + report.records_merged == report.records_read == 1, report
            assert any(Path(next(iter(case.files))).name in n and case.refusal in n for n in report.notes), report.notes
            return
        message = str(failed.value)
        assert case.source in message
        assert Path(next(iter(case.files))).name in message
        assert case.refusal in message
        assert store.current_graphs() == graphs
        assert dataset_hash(store, include_meta=False) == before


@pytest.mark.parametrize("case", [CASES[0], CASES[7]], ids=[CASES[0].id, CASES[7].id])
def test_the_command_line_says_where_and_exits_1(case, previous_stores, tmp_path):
    """Input: ``euaigraph ingest SOURCE --file FEED`` with the hostile feed. Expected: exit code 1, an ``error:``
    line naming the source and the refusal, no traceback."""
    import shutil

    home = tmp_path / "store"
    shutil.copytree(previous_stores(case.source), home)
    feed = hostile_feed(case, tmp_path / "feed")
    result = CliRunner().invoke(app, ["--store", str(home), "ingest", case.source, "--file", str(feed),
                                      "--no-warm"], env={"COLUMNS": "250", "NO_COLOR": "1"})
    assert result.exit_code == 1, result.output
    output = " ".join(result.output.split())
    assert "error:" in output and case.source in output and case.refusal in output
    assert "Traceback" not in output and result.exception is None or isinstance(result.exception, SystemExit)


def test_saved_question_header_alias_bomb_is_refused():
    """Input: a saved question whose ``#+`` header is the alias bomb. Expected: SavedQueryError at once."""
    header = "".join(f"#+ {line}\n" for line in alias_bomb().splitlines())
    started = time.perf_counter()
    with pytest.raises(SavedQueryError, match=YAML_REFUSAL):
        parse_saved("security/bomb", header + "SELECT * WHERE { ?s ?p ?o }\n")
    assert time.perf_counter() - started < 2


def test_planted_deep_kept_answer_is_a_miss(tmp_path):
    """Input: a kept-answer file nested 200,000 deep where an answer would be. Expected: a miss (None) and the
    file removed, no RecursionError."""
    answers = Answers(tmp_path / "answers")
    key = answers.key("SELECT ...", 10)
    (tmp_path / "answers" / "v1").mkdir(parents=True)
    planted = tmp_path / "answers" / "v1" / f"{key}.json"
    planted.write_text(DEEP_JSON, encoding="utf-8")
    assert answers.find("v1", "SELECT ...", 10) is None
    assert not planted.exists()


def test_deep_fetch_cache_record_is_a_miss(tmp_path):
    """Input: a live-feed cache record (``meta.json``) nested 200,000 deep. Expected: no cached entry (the feed
    would be fetched again), no RecursionError."""
    url = "https://example.org/feed.json"
    slot = fetch._slot(tmp_path, url)
    slot.mkdir(parents=True)
    (slot / "meta.json").write_text(DEEP_JSON, encoding="utf-8")
    assert fetch.cached(tmp_path, url) is None
    (slot / "meta.json").write_text(json.dumps({"url": url}), encoding="utf-8")  # a record missing its fields
    assert fetch.cached(tmp_path, url) is None
