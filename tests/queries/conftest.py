"""Fixtures for the saved-query tests: the hand-written fixture graph in an embedded store, and query workers."""

from __future__ import annotations

import pytest

from euaigraph.graph.query.worker import QueryWorkers, StoreRef

from .fixture_store import build_fixture_store


@pytest.fixture(scope="session")
def fixture_home(tmp_path_factory):
    """An embedded store holding tests/queries/fixture/*.ttl, loaded through ingest_many (derived graph included)."""
    return build_fixture_store(tmp_path_factory.mktemp("query-fixture"))


@pytest.fixture(scope="session")
def fixture_workers(fixture_home):
    with QueryWorkers(StoreRef(home=str(fixture_home)), size=2) as workers:
        yield workers


@pytest.fixture(scope="session")
def shipped_workers(shipped_home):
    with QueryWorkers(StoreRef(home=str(shipped_home)), size=2) as workers:
        yield workers
