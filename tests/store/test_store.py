"""One suite, two backends: every test runs on the embedded store and on a real ``oxigraph serve`` (the ``store``
fixture). Sources are replaced atomically, failures keep the previous graph exactly and are recorded, provenance
is complete, queries return typed rows under a cap, and export, backup and restore round-trip the dataset."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib import namespace as ns

from euaigraph.graph.load.pipeline import IngestError, ingest_many, stage
from euaigraph.graph.store.base import Staged, StoreError
from euaigraph.ingest.base import Feed
from euaigraph.ontology.iri import licence_iri, source_iri
from euaigraph.ontology.namespaces import META_GRAPH
from euaigraph.ontology.vocab import EAI

from .demo_source import model, spec, write_feed
from .util import V1, V2, canonical, canonical_dataset, data_quads, digest, labels, load

PREFIX = "PREFIX eai: <https://w3id.org/euaigraph/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "


def meta_value(store, subject, predicate):
    rows = store.execute(f"SELECT ?o WHERE {{ GRAPH <{META_GRAPH}> {{ <{subject}> <{predicate}> ?o }} }}").rows
    return [row[0] for row in rows]


def runs(store, source_id="demo"):
    """(status, error) of every run of a source, oldest first."""
    result = store.execute(PREFIX + f"""
        SELECT ?status ?error WHERE {{ GRAPH <{META_GRAPH}> {{
          ?run a eai:IngestRun ; eai:source <{source_iri(source_id)}> ; eai:runStatus ?status ;
               prov:startedAtTime ?t OPTIONAL {{ ?run eai:runError ?error }} }} }} ORDER BY ?t""")
    return [(str(s), None if e is None else str(e)) for s, e in result.rows]


def run_graphs(store, source_id="demo"):
    """Named graphs of this source's runs that hold any triple."""
    rows = store.execute("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    return {str(g) for (g,) in rows if f"/graph/{source_id}/" in str(g)}


# -- replacing a source ---------------------------------------------------------------------------------------
def test_ingest_makes_a_current_graph(store, tmp_path):
    outcome = load(store, tmp_path, V1)
    graph = store.current_graphs()["demo"]
    assert graph == str(outcome.run.graph)
    assert store.count(graph) == outcome.run.triples_written == 10
    assert labels(store) == {"EuroLLM 9B", "EuroLLM 9B Instruct", "Salamandra 7B"}


def test_swap_replaces_the_source_graph(store, tmp_path):
    first = load(store, tmp_path, V1, name="v1.tsv")
    second = load(store, tmp_path, V2, name="v2.tsv")
    assert store.current_graphs()["demo"] == str(second.run.graph) != str(first.run.graph)
    assert labels(store) == {"Poro 34B", "Viking 7B", "Viking 13B", "Teuken 7B"}
    assert run_graphs(store) == {str(second.run.graph)}  # the superseded graph is gone, not just hidden
    assert store.count(str(first.run.graph)) == 0
    assert meta_value(store, first.run.graph, ns.PROV.invalidatedAtTime), "the old graph is marked superseded"


def test_other_sources_are_untouched_by_a_swap(store, tmp_path):
    other = load(store, tmp_path, V1, source_id="other")
    load(store, tmp_path, V1, name="v1.tsv")
    before = store.count(str(other.run.graph))
    load(store, tmp_path, V2, name="v2.tsv")
    assert store.current_graphs()["other"] == str(other.run.graph)
    assert store.count(str(other.run.graph)) == before
    assert labels(store, "other") == {"EuroLLM 9B", "EuroLLM 9B Instruct", "Salamandra 7B"}


def _failure_keeps_everything(store, tmp_path, records, expected_error):
    good = load(store, tmp_path, V1, name="good.tsv")
    facts, version = data_quads(store), store.data_version()
    with pytest.raises(IngestError, match=expected_error):
        load(store, tmp_path, records, name="bad.tsv")
    assert digest(data_quads(store)) == digest(facts)
    assert store.current_graphs()["demo"] == str(good.run.graph)
    assert store.data_version() == version
    status = runs(store)
    assert [s for s, _ in status] == ["succeeded", "failed"]
    assert expected_error.replace("\\", "") in status[-1][1].replace("\\", "")
    last = {s.source: s for s in store.sources()}["demo"]
    assert (last.status, last.current_graph) == ("failed", str(good.run.graph))


def test_a_broken_feed_keeps_the_previous_graph_exactly(store, tmp_path):
    records = [*V2[:2], ("no-tab-here",), *V2[2:]]
    _failure_keeps_everything(store, tmp_path, records, r"demo: bad.tsv:3: expected key<TAB>label")


def test_too_few_triples_keep_the_previous_graph_exactly(store, tmp_path):
    _failure_keeps_everything(store, tmp_path, [("lonely", "Lonely model")], r"only 3 triples, fewer than the 6")


# -- provenance -----------------------------------------------------------------------------------------------
def test_provenance_of_a_run_is_in_the_meta_graph(store, tmp_path):
    records = [*V1, ("empty", " "), ("gpt-sw3", "GPT-SW3")]
    outcome = load(store, tmp_path, records, url="https://example.org/demo/feed-2026-11.tsv")
    run, graph, src = outcome.run, outcome.run.graph, source_iri("demo")
    assert meta_value(store, src, ns.RDF.type) == [EAI.Source]
    assert meta_value(store, src, ns.RDFS.label) == [Literal("Demo source demo")]
    assert meta_value(store, src, EAI.dataLicenceOfSource) == [licence_iri("CC-BY-4.0")]
    assert meta_value(store, src, EAI.liveUrl) == [URIRef("https://example.org/demo/feed.tsv")]
    assert [int(v) for v in meta_value(store, src, EAI.sourcePriority)] == [4]
    assert meta_value(store, src, EAI.currentGraph) == [graph]

    assert meta_value(store, graph, EAI.source) == [src]
    assert meta_value(store, graph, EAI.sourceUrl) == [URIRef("https://example.org/demo/feed-2026-11.tsv")]
    (retrieved,) = meta_value(store, graph, EAI.retrievedAt)
    assert retrieved.datatype == ns.XSD.dateTime and retrieved.toPython().year >= 2024
    assert meta_value(store, graph, EAI.sourceVersion) == [Literal(run.feed.version)]
    assert run.feed.version.startswith("sha256:")
    assert [int(v) for v in meta_value(store, graph, EAI.triplesWritten)] == [store.count(str(graph))] == [13]
    assert meta_value(store, graph, ns.PROV.wasGeneratedBy) == [run.iri]

    assert [int(v) for v in meta_value(store, run.iri, EAI.recordsRead)] == [5]
    assert [int(v) for v in meta_value(store, run.iri, EAI.recordsRejected)] == [1]
    assert meta_value(store, run.iri, EAI.runStatus) == [Literal("succeeded")]
    (rejected,) = meta_value(store, run.iri, EAI.rejected)
    assert meta_value(store, rejected, EAI.locator) == [Literal("demo.tsv:4")]
    assert meta_value(store, rejected, EAI.reason) == [Literal("record 'empty' has an empty label")]


def test_sources_lists_the_last_run_of_each_source(store, tmp_path):
    assert store.sources() == []
    load(store, tmp_path, V1, name="v1.tsv", url="https://example.org/v1.tsv")
    outcome = load(store, tmp_path, [*V2, ("bad", "")], name="v2.tsv", url="https://example.org/v2.tsv")
    load(store, tmp_path, V1, source_id="other")
    status = {s.source: s for s in store.sources()}
    assert sorted(status) == ["demo", "derived", "other"]
    demo = status["demo"]
    assert demo.title == "Demo source demo"
    assert demo.status == "succeeded"
    assert demo.current_graph == str(outcome.run.graph)
    assert demo.source_url == "https://example.org/v2.tsv"
    assert demo.version == outcome.run.feed.version
    assert demo.data_licence == str(licence_iri("CC-BY-4.0"))
    assert (demo.records_read, demo.records_rejected, demo.triples) == (5, 1, 13)
    # the feed was written (its retrieval time, to the second) before the run started
    assert datetime.fromisoformat(demo.last_run) >= datetime.fromisoformat(demo.retrieved_at)
    assert status["other"].source_url.startswith("file:///")


def test_data_version_changes_on_every_swap(store, tmp_path):
    versions = [store.data_version()]
    assert versions == ["empty"]
    for name in ("a.tsv", "b.tsv"):
        load(store, tmp_path, V1, name=name)  # the same content twice: still a new run, a new version
        versions.append(store.data_version())
    load(store, tmp_path, V1, source_id="other")
    versions.append(store.data_version())
    assert len(set(versions)) == 4


# -- several sources at once ------------------------------------------------------------------------------------
def test_a_build_with_one_failing_source_changes_nothing(store, tmp_path):
    load(store, tmp_path, V1, name="v1.tsv")
    before, current = canonical_dataset(store), store.current_graphs()
    jobs = [(spec("demo"), Feed.from_path(write_feed(tmp_path / "v2.tsv", V2))),
            (spec("other"), Feed.from_path(write_feed(tmp_path / "broken.tsv", [("no-tab",)])))]
    outcomes = ingest_many(store, jobs, all_or_nothing=True)
    assert [o.ok for o in outcomes] == [False, False]
    assert "another source in the same build failed" in outcomes[0].message
    assert store.current_graphs() == current
    assert digest(data_quads(store)) == digest(canonical([q for q in ox.parse(before, format=ox.RdfFormat.N_QUADS)
                                                          if q.graph_name != ox.NamedNode(str(META_GRAPH))]))
    assert [s for s, _ in runs(store, "other")] == ["failed"]
    other = {s.source: s for s in store.sources()}["other"]
    assert (other.status, other.current_graph, other.triples) == ("failed", None, None)


def test_swap_of_several_sources_is_all_or_nothing(store, tmp_path):
    """A staged file that turns out unreadable at swap time (truncated on disk) stops the whole swap."""
    load(store, tmp_path, V1, name="v1.tsv")
    before, current = canonical_dataset(store), store.current_graphs()
    work = tmp_path / "stage"
    work.mkdir()
    good = stage(spec("other"), Feed.from_path(write_feed(tmp_path / "other.tsv", V2)), work)
    bad = stage(spec("demo"), Feed.from_path(write_feed(tmp_path / "v2.tsv", V2)), work)
    text = bad.path.read_text(encoding="utf-8")
    bad.path.write_text(text[: len(text) // 2], encoding="utf-8")  # cut in the middle of a line
    with pytest.raises(StoreError):
        store.swap([good, Staged(run=bad.run, path=bad.path)])
    assert store.current_graphs() == current
    assert canonical_dataset(store) == before
    # the next successful swap publishes nothing of the failed one
    load(store, tmp_path, V1, source_id="third")
    assert "other" not in store.current_graphs()
    assert run_graphs(store, "other") == set()
    assert labels(store, "other") == set()


# -- queries ------------------------------------------------------------------------------------------------------
def test_select_rows_are_typed_terms(store, tmp_path):
    load(store, tmp_path, V1)
    result = store.execute(PREFIX + """
        SELECT ?m ?label ?size ?base (COUNT(*) AS ?n) WHERE {
          ?m a eai:AIModel ; <http://www.w3.org/2000/01/rdf-schema#label> ?label ; eai:parameterCount ?size .
          OPTIONAL { ?m eai:derivedFrom ?base }
        } GROUP BY ?m ?label ?size ?base ORDER BY ?label""")
    assert result.kind == "select" and result.variables == ["m", "label", "size", "base", "n"]
    first, second, third = result.records()
    assert first["m"] == model("demo", "eurollm-9b") and isinstance(first["m"], URIRef)
    assert first["label"] == Literal("EuroLLM 9B", lang="en")
    assert first["size"] == Literal("1.0E9", datatype=ns.XSD.double) and first["size"].toPython() == 1e9
    assert first["base"] is None
    assert second["base"] == model("demo", "eurollm-9b")
    assert first["n"] == Literal(1) and first["n"].datatype == ns.XSD.integer
    assert third["label"].toPython() == "Salamandra 7B"
    assert result.truncated is False and len(result) == 3


def test_values_are_the_plain_text_of_the_typed_rows(store, tmp_path):
    """values() (the analysis's bulk reader) gives each term's text, None where unbound, on every backend."""
    load(store, tmp_path, V1)
    query = PREFIX + """SELECT ?m ?label ?size ?base WHERE {
          ?m a eai:AIModel ; <http://www.w3.org/2000/01/rdf-schema#label> ?label ; eai:parameterCount ?size .
          OPTIONAL { ?m eai:derivedFrom ?base } } ORDER BY ?label"""
    typed = store.execute(query).rows
    plain = store.values(query)
    text = [tuple(None if term is None else str(term) for term in row) for row in typed]
    # IRIs and strings are their text; a number may be written in another lexical form (1.0E9, 1000000000).
    assert [(m, label, base) for m, label, _, base in plain] == [(m, label, base) for m, label, _, base in text]
    assert [float(size) for _, _, size, _ in plain] == [float(size) for _, _, size, _ in text]
    assert plain[0][:2] == (str(model("demo", "eurollm-9b")), "EuroLLM 9B") and plain[0][3] is None
    with pytest.raises(StoreError):
        store.values(PREFIX + "SELECT ?m WHERE { ?m a }")


def test_ask_construct_and_describe(store, tmp_path):
    load(store, tmp_path, V1)
    assert store.execute(PREFIX + "ASK { ?m eai:derivedFrom ?b }").boolean is True
    assert store.execute(PREFIX + "ASK { ?m eai:distilledFrom ?b }").boolean is False
    built = store.execute(PREFIX + "CONSTRUCT { ?b eai:hasChild ?m } WHERE { ?m eai:derivedFrom ?b }")
    assert built.kind == "graph"
    has_child = URIRef("https://w3id.org/euaigraph/ontology#hasChild")
    assert built.triples == [(model("demo", "eurollm-9b"), has_child, model("demo", "eurollm-9b-instruct"))]
    described = store.execute(f"DESCRIBE <{model('demo', 'salamandra-7b')}>")
    assert described.kind == "graph"
    # The source's facts, and the derived graph's jurisdiction and AI Act profiles (every model has both) and the
    # parameter count the AI Act indicators read.
    assert {(s, p) for s, p, _ in described.triples} == {
        (model("demo", "salamandra-7b"), p) for p in (ns.RDF.type, ns.RDFS.label, EAI.parameterCount,
                                                      EAI.jurisdictionProfile, EAI.aiActProfile,
                                                      EAI.preferredParameterCount)}


def test_rows_are_capped_and_marked_truncated(store, tmp_path):
    load(store, tmp_path, V2)
    query = PREFIX + "SELECT ?m WHERE { ?m a eai:AIModel } ORDER BY ?m"
    capped = store.execute(query, row_cap=2)
    assert (len(capped.rows), capped.truncated, capped.row_cap) == (2, True, 2)
    assert capped.rows == store.execute(query).rows[:2]
    exact = store.execute(query, row_cap=4)
    assert (len(exact.rows), exact.truncated) == (4, False)
    graph = store.execute(PREFIX + "CONSTRUCT { ?m a eai:AIModel } WHERE { ?m a eai:AIModel }", row_cap=3)
    assert (len(graph.triples), graph.truncated) == (3, True)


def test_a_malformed_query_is_a_store_error(store):
    with pytest.raises(StoreError):
        store.execute("SELECT ?s WHERE { ?s ?p }")


# -- export, backup, restore ------------------------------------------------------------------------------------
def _rdflib_quads(data: bytes, fmt: str) -> set[tuple]:
    dataset = Dataset()
    dataset.parse(data=data, format=fmt)
    out = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        assert not any(isinstance(t, BNode) for t in (s, p, o)), "the dataset has no blank nodes"
        out.add((s, p, o, g.identifier if hasattr(g, "identifier") else g))
    return out


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside rdflib's own TriG and N-Quads parsers
def test_export_trig_and_nquads_parse_back_to_the_same_dataset(store, tmp_path):
    load(store, tmp_path, V1)
    load(store, tmp_path, V2, source_id="other")
    exported = {}
    for fmt in ("trig", "nquads"):
        buffer = io.BytesIO()
        store.export(buffer, format=fmt)
        exported[fmt] = _rdflib_quads(buffer.getvalue(), fmt)
    assert exported["trig"] == exported["nquads"]
    rows = store.execute("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    assert exported["nquads"] == {(s, p, o, g) for s, p, o, g in rows}
    assert len(rows) == store.count() > 30
    graphs = {g for *_, g in exported["nquads"]}
    assert graphs == {META_GRAPH, *map(URIRef, store.current_graphs().values())}


def test_backup_then_restore_gives_the_same_dataset(store, tmp_path):
    load(store, tmp_path, V1)
    load(store, tmp_path, V1, source_id="other")
    before, version = canonical_dataset(store), store.data_version()
    target = store.backup(tmp_path / "backup")
    with pytest.raises(StoreError, match="already exists"):
        store.backup(tmp_path / "backup")
    load(store, tmp_path, V2, name="v2.tsv")
    assert canonical_dataset(store) != before
    store.restore(target)
    assert canonical_dataset(store) == before
    assert store.data_version() == version
    assert labels(store) == {"EuroLLM 9B", "EuroLLM 9B Instruct", "Salamandra 7B"}
    load(store, tmp_path, V2, name="v2-again.tsv")  # the restored store takes new runs
    assert labels(store) == {"Poro 34B", "Viking 7B", "Viking 13B", "Teuken 7B"}


def test_restore_refuses_what_is_not_a_backup(store, tmp_path):
    load(store, tmp_path, V1)
    before = canonical_dataset(store)
    bogus = tmp_path / "not-a-backup"
    bogus.mkdir()
    (bogus / "x.txt").write_text("hello")
    target = bogus if store.__class__.__name__ == "EmbeddedStore" else bogus / "x.txt"
    with pytest.raises(StoreError):
        store.restore(Path(target))
    assert canonical_dataset(store) == before


# -- validation ---------------------------------------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside rdflib's N-Quads parser
def test_validation_flags_a_graph_no_source_points_to(store, tmp_path):
    from euaigraph.graph.load.validate import validate_store

    load(store, tmp_path, V1)
    report = validate_store(store)
    assert report.violations == []
    assert {f.message for f in report.warnings} == {"model has no provider (eai:providedBy)",
                                                    "model has no licence (eai:licence)",
                                                    "model has no jurisdiction through its provider"}
    stray = "https://w3id.org/euaigraph/graph/stray/20260101T000000Z-abcdef"
    store._meta_update(f'INSERT DATA {{ GRAPH <{stray}> {{ <https://example.org/s> <https://example.org/p> "o" }} }}')
    violations = validate_store(store).violations
    assert [(f.focus, f.message) for f in violations] == [
        (stray, "named graph without provenance: no source points to it as its current graph")]
