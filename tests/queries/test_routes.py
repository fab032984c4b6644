"""The lineage route in non-bloc-ancestors: spelled out up to four derivation steps, shortened beyond."""

from __future__ import annotations

import pytest

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import ingest_many
from euaigraph.graph.query.run import run_saved
from euaigraph.graph.query.saved import find
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.ingest.base import Feed

from .fixture_store import SOURCES, turtle_source

# chain/m0 (France) <- m1 <- m2 <- m3 (all France) <- m4 (USA) <- m5 (USA): m0 is four steps from m4, five from m5.
CHAIN = """@base <https://w3id.org/euaigraph/id/> .
@prefix eai: <https://w3id.org/euaigraph/ontology#> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
<org/fr> a eai:Organisation ; eai:jurisdiction country:FRA .
<org/us> a eai:Organisation ; eai:jurisdiction country:USA .
""" + "".join(
    f"<model/chain/m{i}> a eai:AIModel ; eai:providedBy <org/{'us' if i >= 4 else 'fr'}>"
    + (f" ; eai:derivedFrom <model/chain/m{i + 1}> .\n" if i < 5 else " .\n") for i in range(6))


@pytest.fixture(scope="module")
def chain_workers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chain")
    (folder / "chain.ttl").write_text(CHAIN)
    reference_spec, reference_file = SOURCES[0]
    jobs = [(reference_spec, Feed.from_path(reference_file)),
            (turtle_source("fixture-chain", "A lineage chain", 1), Feed.from_path(folder / "chain.ttl"))]
    with EmbeddedStore(folder / "store", writable=True) as store:
        assert all(o.ok for o in ingest_many(store, jobs))
    with QueryWorkers(StoreRef(home=str(folder / "store")), size=1) as workers:
        yield workers


def test_routes_up_to_four_steps_are_spelled_out_and_longer_ones_shortened(chain_workers):
    result = run_saved(chain_workers, find("non-bloc-ancestors"), timeout_s=60)
    m0 = {str(r["ancestor"]).rsplit("/", 1)[-1]: (r["depth"], str(r["path"])) for r in result.records()
          if str(r["model"]).endswith("/chain/m0")}
    assert set(m0) == {"m4", "m5"}
    assert int(m0["m4"][0]) == 4
    assert m0["m4"][1] == "chain/m0 > chain/m1 > chain/m2 > chain/m3 > chain/m4"
    assert m0["m5"] == (None, "chain/m0 > chain/m1 > chain/m2 > chain/m3 > chain/m4 > … > chain/m5")
    # m3 is one step from m4 and two from m5.
    m3 = sorted((int(r["depth"]), str(r["path"])) for r in result.records() if str(r["model"]).endswith("/chain/m3"))
    assert m3 == [(1, "chain/m3 > chain/m4"), (2, "chain/m3 > chain/m4 > chain/m5")]
