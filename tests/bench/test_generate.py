"""The benchmark's graph generator: deterministic, on target, heavy-tailed, and loadable by the real pipeline
with every saved query answering on it. No timings are asserted here (performance belongs to bench.run)."""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # bench/ sits at the repository root, beside the installed package
    sys.path.insert(0, str(REPO))

from bench.generate import generate  # noqa: E402
from bench.queries import anchors, design_questions, saved_questions  # noqa: E402
from bench.sources import jobs  # noqa: E402

from euaigraph.graph.store.embedded import EmbeddedStore  # noqa: E402
from euaigraph.graph.load.pipeline import ingest_many  # noqa: E402
from euaigraph.graph.query.run import run_saved  # noqa: E402
from euaigraph.graph.query.saved import catalogue  # noqa: E402
from euaigraph.graph.query.worker import QueryWorkers, StoreRef  # noqa: E402
from euaigraph.ontology.namespaces import ID  # noqa: E402
from euaigraph.ontology.vocab import EAI  # noqa: E402

LINEAGE = {str(p) for p in (EAI.fineTunedFrom, EAI.quantisedFrom, EAI.adapterOf, EAI.mergedFrom,
                            EAI.continuedPretrainingOf, EAI.distilledFrom)}


def triples(folder: Path) -> list[ox.Triple]:
    return [t for path in sorted(folder.glob("*.nt")) for t in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)]


@pytest.fixture(scope="module")
def forest(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("forest")
    return folder, generate(folder, triples=60_000, seed=7)


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    a, b, c = (generate(tmp_path / name, triples=3_000, seed=seed) for name, seed in (("a", 3), ("b", 3), ("c", 4)))
    files = sorted(p.name for p in (tmp_path / "a").glob("*.nt"))
    assert files == sorted(p.name for p in (tmp_path / "b").glob("*.nt"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert a == b
    assert (tmp_path / "a" / "huggingface.nt").read_bytes() != (tmp_path / "c" / "huggingface.nt").read_bytes()
    assert c["triples"] >= 3_000


@pytest.mark.parametrize("target", [5_000, 20_000])
def test_hits_the_target_size_and_counts_what_it_writes(tmp_path, target):
    manifest = generate(tmp_path, triples=target, seed=1)
    written = triples(tmp_path)
    assert len(written) == manifest["triples"] == sum(manifest["triples_by_source"].values())
    assert target <= len(written) <= target * 1.02
    for path in tmp_path.glob("*.nt"):  # the loader counts each source's distinct triples
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(set(lines)) == len(lines) == manifest["triples_by_source"][path.stem], path.name


def test_fan_out_is_heavy_tailed(forest):
    folder, manifest = forest
    children: Counter[str] = Counter()
    models = set()
    for t in triples(folder):
        if t.predicate.value == str(EAI.derivedFrom):
            children[t.object.value] += 1
        if t.predicate.value == str(EAI.huggingFaceId) and t.subject.value.startswith(f"{ID}model/"):
            models.add(t.subject.value)
    counts = [children.get(m, 0) for m in models]
    assert len(models) == manifest["models"]
    assert sum(1 for c in counts if c == 0) / len(counts) > 0.75, "most models have no derivative"
    assert max(counts) > 50 * statistics.mean(counts), "a few base models have very many derivatives"
    top = sorted(counts, reverse=True)[: max(1, len(counts) // 100)]
    assert sum(top) > 0.4 * sum(counts), "the top 1% of parents hold a large share of the edges"


def test_lineage_is_typed_acyclic_and_at_most_ten_deep(forest):
    folder, _ = forest
    graph = nx.DiGraph()
    typed, plain = set(), set()
    for t in triples(folder):
        pair = (t.subject.value, t.object.value)
        if t.predicate.value == str(EAI.derivedFrom):
            plain.add(pair)
            graph.add_edge(*pair)
        elif t.predicate.value in LINEAGE:
            typed.add(pair)
    assert typed == plain, "every typed relation is also written as eai:derivedFrom, and only those"
    assert nx.is_directed_acyclic_graph(graph)
    assert nx.dag_longest_path_length(graph) <= 10


def test_iris_are_the_projects_own(forest):
    folder, _ = forest
    kinds = Counter()
    for t in triples(folder):
        if t.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" and t.subject.value.startswith(str(ID)):
            kinds[t.subject.value[len(str(ID)):].split("/", 1)[0]] += 1
        if t.predicate.value.startswith("https://w3id.org/euaigraph/ontology#"):
            getattr(EAI, t.predicate.value.rsplit("#", 1)[1])  # the closed vocabulary raises on an unknown term
    assert {"model", "org", "dataset", "facility", "project", "family", "record"} <= set(kinds)


@pytest.mark.slow
def test_small_graph_loads_and_every_saved_query_answers(tmp_path):
    manifest = generate(tmp_path / "graph", triples=8_000, seed=2, anchors=anchors())
    home = tmp_path / "store"
    with EmbeddedStore(home, writable=True) as store:
        outcomes = ingest_many(store, jobs(tmp_path / "graph"), all_or_nothing=True)
    assert all(o.ok for o in outcomes), [o.message for o in outcomes if not o.ok]
    with EmbeddedStore(home) as reader:
        assert reader.count(reader.current_graphs()["derived"]) > 0
        design = {q.name: reader.execute(q.text) for q in design_questions(manifest)}
    assert len(design["design/lineage-path"]) > 0
    assert len(design["design/lineage-path"]) >= len(design["design/lineage-derived"]) > 0
    assert set(design["design/lineage-derived"].rows) == set(design["design/lineage-closure"].rows)
    assert len(design["design/largest-family-path"]) == len(design["design/largest-family-derived"]) > 0
    assert len(saved_questions(row_cap=10)) == len(catalogue())
    answered = {}
    with QueryWorkers(StoreRef(home=str(home)), size=1) as workers:
        for name, query in catalogue().items():
            answered[name] = len(run_saved(workers, query, timeout_s=60))
    for name in ("dependency/non-bloc-ancestors", "dependency/model-upstream", "sovereignty/models-by-jurisdiction",
                 "licences/european-model-openness", "languages/language-coverage"):
        if name in answered:
            assert answered[name] > 0, f"{name} found nothing on the synthetic graph"


@pytest.mark.parametrize("module", ["bench.generate", "bench.shape", "bench.report", "bench.targets", "bench.timing"])
def test_doctests(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.slow
def test_the_derivation_cost_compares_the_same_ingest_with_and_without_the_derived_facts(tmp_path):
    from bench.loads import derivation_cost
    from euaigraph.graph.load import derived

    generate(tmp_path / "graph", triples=8_000, seed=3, anchors=anchors())
    cost = derivation_cost(tmp_path / "graph", tmp_path / "work", runs=1)
    assert len(cost["runs"]["with"]) == len(cost["runs"]["without"]) == 1
    assert cost["added_s"] == pytest.approx(cost["with_s"] - cost["without_s"])
    assert derived.compute is not None and derived.Tap.__name__ == "Tap"  # the run without it patched nothing for good
    with EmbeddedStore(tmp_path / "after", writable=True) as store:
        ingest_many(store, jobs(tmp_path / "graph"), all_or_nothing=True)
        assert store.count(store.current_graphs()["derived"]) > 0
