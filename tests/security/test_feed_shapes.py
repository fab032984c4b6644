"""A record of an unexpected shape fails its source by name, never with a traceback: a curated record without its
``sources`` (a required key) ends the run with an error naming the source and the file, through the command line,
and the previous graph stays as it was."""

from __future__ import annotations

import yaml
import pytest
from typer.testing import CliRunner

from euaigraph.graph.cli import app
from euaigraph.graph.load.pipeline import ingest
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest import registry, safe_yaml
from euaigraph.ingest.base import Feed

from .support import dataset_hash


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Messages unwrapped, whatever terminal (or none) the tests run in."""
    from euaigraph.graph.cli import commands

    for console in (commands.console, commands.err):
        monkeypatch.setattr(console, "_width", 400)


def test_curated_record_without_sources_fails_its_source_cleanly(tmp_path):
    """Input: the shipped curated models with the first record's ``sources`` removed, ingested with ``euaigraph
    ingest curated-models --file`` over the shipped ones. Expected: exit 1, ``error:`` naming curated-models and
    the file, no traceback; the dataset (meta graph aside) unchanged."""
    spec = registry.get("curated-models")
    home = tmp_path / "store"
    with EmbeddedStore(home, writable=True) as store:
        ingest(store, spec, Feed.from_path(spec.shipped_path()))
        before = dataset_hash(store, include_meta=False)
    data = safe_yaml.load(spec.shipped_path().read_text(encoding="utf-8"))
    assert "sources" in data["records"][0]
    del data["records"][0]["sources"]
    broken = tmp_path / "models.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["--store", str(home), "ingest", "curated-models", "--file", str(broken),
                                      "--no-warm"], env={"COLUMNS": "300", "NO_COLOR": "1"})
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "error:" in output and "curated-models" in output and "models.yaml" in output and "sources" in output
    assert "Traceback" not in output
    with EmbeddedStore(home) as store:
        assert dataset_hash(store, include_meta=False) == before
