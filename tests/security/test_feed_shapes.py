"""A record of an unexpected shape is rejected by name, never with a traceback: a curated record without its
``sources`` (a required key) is rejected with the file and the record, through the command line, and nothing of it
reaches the graph uncited."""

from __future__ import annotations

import yaml
import pytest
from typer.testing import CliRunner

from euaigraph.graph.cli import app
from euaigraph.graph.load.pipeline import ingest
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest import registry, safe_yaml
from euaigraph.ingest.base import Feed

from euaigraph.ontology import iri

COUNT_MODELS = "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/euaigraph/ontology#AIModel> }"


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Messages unwrapped, whatever terminal (or none) the tests run in."""
    from euaigraph.graph.cli import commands

    for console in (commands.console, commands.err):
        monkeypatch.setattr(console, "_width", 400)


def test_curated_record_without_sources_is_rejected_with_its_place(tmp_path):
    """Input: the shipped curated models with the first record's ``sources`` removed, ingested with ``euaigraph
    ingest curated-models --file`` over the shipped ones. Expected: the record is rejected (the feed ledger's rule:
    read, then ingested, rejected with where and why, or merged), the command names the file, the record and the
    missing sources, no traceback; every other record stays; the rejected record's facts are gone, never loaded
    uncited."""
    spec = registry.get("curated-models")
    home = tmp_path / "store"
    with EmbeddedStore(home, writable=True) as store:
        ingest(store, spec, Feed.from_path(spec.shipped_path()))
        before = store.execute(COUNT_MODELS).rows[0][0]
    data = safe_yaml.load(spec.shipped_path().read_text(encoding="utf-8"))
    assert "sources" in data["records"][0]
    del data["records"][0]["sources"]
    first = data["records"][0]["id"]
    broken = tmp_path / "models.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["--store", str(home), "ingest", "curated-models", "--file", str(broken),
                                      "--no-warm"], env={"COLUMNS": "300", "NO_COLOR": "1"})
    output = " ".join(result.output.split())
    assert result.exit_code == 0, output
    assert "rejected models.yaml record 1" in output and "sources" in output, output
    assert "Traceback" not in output
    with EmbeddedStore(home) as store:
        assert store.execute(COUNT_MODELS).rows[0][0] == before - 1
        assert not store.execute(f"ASK {{ <{iri.model_iri(first)}> ?p ?o }}").boolean
