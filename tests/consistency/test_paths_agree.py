"""The same question asked by every path the project offers gives the same answer: saved questions (SPARQL over the
derived graph), the networkx analysis (what `euaigraph analyse` and the explorer's Dependencies page show) and the
command line, on the shipped graph and on the graph with every recorded feed."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from euaigraph.graph import analysis
from euaigraph.graph.analysis.read import derivation_codes
from euaigraph.graph.cli import app
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ontology import iri

#: Things to remove in the what-if, present in both graphs: a licence family, a licence, a developer, a facility.
REMOVED = ("licence-family:Llama", "licence:Apache-2.0", "org:meta", "facility:lumi")
MODELS = ("utter-project/eurollm-9b-instruct", "lumiopen/poro-34b", "leolm/leo-hessianai-13b-chat")


@pytest.fixture(scope="module")
def world(graph_home):
    with EmbeddedStore(graph_home) as store:
        g = analysis.dependency_graph(store)
        yield store, g, analysis.standings(store, g, bloc="eu")


def distinct(result, column: str) -> set[str]:
    return {str(v) for v in result.column(column) if v is not None}


def test_european_models_with_a_foreign_ancestor_agree_everywhere(graph_home, world, answer_on):
    store, g, where = world
    answer = answer_on(graph_home)
    sparql = distinct(answer("dependency/non-bloc-ancestors", {"bloc": "eu"}), "model")
    networkx = analysis.foreign_ancestry(g, where, lineage=derivation_codes())
    outside = [n for n, k in g.nodes(data="kind") if k == "model" and where.get(n) == "outside"]
    what_if = {a.node for a in analysis.what_if(g, outside, relations=derivation_codes())
               if a.kind == "model" and where.get(a.node) == "inside"}
    cli = CliRunner().invoke(app, ["--store", str(graph_home), "analyse", "foreign-ancestors", "-f", "json"])
    assert cli.exit_code == 0, cli.output
    report = json.loads(cli.stdout)
    by_cli = {row["model"] for row in report["rows"]}
    assert sparql and sparql == networkx == what_if == by_cli
    # Each says how many models were of unknown jurisdiction, and they say the same number.
    counts = {str(r["standing"]): int(r["models"].toPython())
              for r in answer("sovereignty/jurisdiction-known", {"bloc": "eu"}).records()}
    unknown = sum(1 for n, k in g.nodes(data="kind") if k == "model" and where.get(n) == "unknown")
    assert counts["unknown"] == unknown
    assert f"({unknown} unknown, not counted)" in report["summary"][0]


def test_counts_of_models_add_up_across_questions(graph_home, answer_on):
    answer = answer_on(graph_home)
    kinds = {str(r["kind"]): int(r["entities"].toPython()) for r in answer("overview/counts-by-kind").records()}
    standing = {str(r["standing"]): int(r["models"].toPython())
                for r in answer("sovereignty/jurisdiction-known", {"bloc": "eu"}).records()}
    classes = [int(r["models"].toPython()) for r in answer("overview/models-by-licence-class").records()]
    european = [int(r["models"].toPython()) for r in answer("licences/european-model-openness", {"bloc": "eu"}).records()]
    assert kinds["model"] == sum(standing.values()) == sum(classes)
    assert standing["inside"] == sum(european)


@pytest.mark.parametrize("removed", REMOVED)
def test_what_if_gives_one_answer(graph_home, world, answer_on, removed):
    store, g, where = world
    node = str(iri.from_reference(removed))
    sparql = answer_on(graph_home)("whatif/removal-impact", {"removed": removed, "bloc": "eu"})
    affected = analysis.what_if(g, node) if node in g else []
    assert distinct(sparql, "affected") == {a.node for a in affected}
    kinds = {str(r["affected"]): str(r["kind"]) for r in sparql.records()}
    assert {n for n, k in kinds.items() if k == "model"} == {a.node for a in affected if a.kind == "model"}


def test_concentration_gives_one_answer(graph_home, world, answer_on):
    store, g, where = world
    european = [n for n, k in g.nodes(data="kind") if k == "model" and where.get(n) == "inside"]
    c = analysis.concentration(g, dimension="provider", models=european)
    rows = answer_on(graph_home)("dependency/upstream-provider-concentration", {"bloc": "eu"}).records()
    assert {str(r["provider"]): int(r["models"].toPython()) for r in rows} == {s.entity: s.models for s in c.shares}
    assert float(rows[0]["hhi"].toPython()) == pytest.approx(c.hhi)


@pytest.mark.parametrize("model", MODELS)
def test_upstream_gives_one_answer(graph_home, world, answer_on, model):
    store, g, where = world
    node = str(iri.model_iri(model))
    if node not in g:
        pytest.fail(f"{model} is not in the graph: choose models both graphs hold")
    sparql = distinct(answer_on(graph_home)("dependency/model-upstream", {"model": model}), "node")
    assert sparql == {n.node for n in analysis.upstream(g, node, standing=where).nodes}


def test_language_coverage_gives_one_answer(graph_home, answer_on):
    with EmbeddedStore(graph_home) as store:
        python = {c.language: c.count for c in analysis.language_coverage(store, bloc="eu")}
    rows = answer_on(graph_home)("languages/language-coverage", {"bloc": "eu"}).records()
    assert {str(r["language"]): int(r["controlledOpenModels"].toPython()) for r in rows} == python
