"""Graphs the consistency suite runs on: the shipped graph, the graph with every recorded feed, and small random
graphs built by the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from euaigraph.graph.load.pipeline import ingest_many
from euaigraph.graph.query.run import run_saved
from euaigraph.graph.query.saved import catalogue
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest import registry


@pytest.fixture(scope="session")
def feeds_home(tmp_path_factory, shared_data) -> Path:
    """The shipped graph plus every recorded feed in ../shared/data, as `euaigraph build --feeds` makes it."""
    home = tmp_path_factory.mktemp("feeds")
    with EmbeddedStore(home, writable=True) as store:
        outcomes = ingest_many(store, registry.build_jobs(feeds=shared_data))
    failed = [o.message for o in outcomes if not o.ok]
    assert not failed, failed
    return home


@pytest.fixture(scope="session", params=["shipped", "feeds"])
def graph_home(request) -> Path:
    """Each check runs on the shipped graph and on the graph with every recorded feed."""
    return request.getfixturevalue(f"{request.param}_home")


@pytest.fixture(scope="session")
def answer_on():
    """answer_on(home)(question, params) -> a fresh answer (no kept answers), from a worker on that store."""
    pools: dict[Path, QueryWorkers] = {}

    def factory(home: Path):
        workers = pools.get(home) or pools.setdefault(home, QueryWorkers(StoreRef(home=str(home)), size=1))

        def answer(question: str, params=None):
            return run_saved(workers, catalogue()[question], dict(params or {}), timeout_s=120)

        return answer

    yield factory
    for workers in pools.values():
        workers.close()
