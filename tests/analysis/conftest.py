"""The analysis tests reuse the saved-query fixture graph (tests/queries/fixture) for the store-level metrics."""

from __future__ import annotations

import pytest

from euaigraph.graph.store.embedded import EmbeddedStore
from queries.fixture_store import build_fixture_store


@pytest.fixture(scope="session")
def analysis_store(tmp_path_factory):
    home = build_fixture_store(tmp_path_factory.mktemp("analysis-fixture"))
    with EmbeddedStore(home) as store:
        yield store
