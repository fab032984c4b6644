"""The Ecosystem Graphs ingester on a reviewed slice (one recorded asset file and two rows of the collated CSV),
the full recorded folder, bad input, an organisation file it has never seen, idempotence, and live mode from a
repository tarball served on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import os
import shutil
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from euaigraph.ingest.base import FeedError
from euaigraph.ingest.identity import name_key, scoped
from euaigraph.ingest.sources import ecosystem_graphs
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .conftest import assert_golden, parse_source, write
from .recording_server import Reply

SPEC = ecosystem_graphs.SOURCE
FIXED = datetime(2026, 1, 15, tzinfo=UTC).timestamp()
MISTRAL_AI = iri.org_iri("mistral-ai")


def scoped_model(name: str, developer: str):
    return scoped(iri.model_iri, "ecosystem-graphs", name, developer=developer)


def csv_rows(shared_data: Path, names: set[str]) -> str:
    """The collated CSV's header and the rows of the named assets, written back as CSV."""
    with (shared_data / "ecosystem_graphs" / "resources" / "all_assets.dev_rows.csv").open(newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["name"] in names]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def fixed_mtime(folder: Path) -> Path:
    for path in folder.rglob("*"):
        os.utime(path, (FIXED, FIXED))
    return folder


@pytest.fixture(scope="module")
def recorded(shared_data):
    return parse_source(SPEC, shared_data / "ecosystem_graphs")


# -- golden slice ----------------------------------------------------------------------------------------------------
def test_golden_slice(shared_data, tmp_path):
    (tmp_path / "assets").mkdir()
    shutil.copy(shared_data / "ecosystem_graphs" / "assets" / "aleph_alpha.yaml", tmp_path / "assets")
    write(tmp_path, {"resources/all_assets.csv": csv_rows(shared_data, {"EXMODD", "Luminous"})})
    graph, report = parse_source(SPEC, fixed_mtime(tmp_path))
    # 5 cards and 2 table rows: EXMODD only in the table, Luminous a collated copy of its card; the MAGMA card joins
    # the curated model of the same developer and name.
    assert (report.records_read, report.records_rejected, report.records_merged) == (7, 0, 2)
    assert [(m.record, m.into, m.rule) for m in report.merges] == [
        ("assets/aleph_alpha.yaml:86", "curated model aleph-alpha/magma", "same developer and same name"),
        ("resources/all_assets.csv:3", "assets/aleph_alpha.yaml:25", "collated copy of the same card")]
    assert_golden(graph, "ecosystem_graphs/slice")


# -- facts from the recorded folder ----------------------------------------------------------------------------------
def test_mistral_nationality_is_kept_as_this_sources_claim(recorded):
    graph, report = recorded
    assert set(graph.objects(MISTRAL_AI, EAI.jurisdiction)) == {iri.country_iri("USA")}
    mistral_7b = iri.model_iri("mistralai/Mistral-7B-v0.1")  # the card's model_card is the Hub repository
    assert (mistral_7b, EAI.providedBy, MISTRAL_AI) in graph
    assert (mistral_7b, EAI.licence, iri.licence_iri("Apache-2.0")) in graph
    assert (mistral_7b, EAI.accessLevel, Literal("open")) in graph


def test_dependencies_are_typed_by_what_they_join(recorded):
    graph, _report = recorded
    luminous = scoped_model("Luminous", "aleph-alpha")
    luminous_data = scoped(iri.dataset_iri, "ecosystem-graphs", "Luminous dataset", developer="aleph-alpha")
    assert (luminous, EAI.trainedOn, luminous_data) in graph and (luminous, EAI.dependsOn, luminous_data) in graph
    le_chat = scoped(iri.deployment_iri, "ecosystem-graphs", "Le Chat", developer="mistral-ai")
    assert (le_chat, RDF.type, EAI.Deployment) in graph
    assert (le_chat, EAI.deploys, iri.model_iri("mistralai/mistral-7b-v0.1")) in graph
    # model on model: the source does not say how, so no lineage is claimed
    mathstral = scoped_model("MathΣtral", "mistral-ai")
    assert (mathstral, EAI.dependsOn, iri.model_iri("mistralai/mistral-7b-v0.1")) in graph
    assert (mathstral, EAI.derivedFrom, None) not in graph


def test_dangling_dependencies_become_scoped_nodes_and_are_reported(recorded):
    graph, report = recorded
    gpt4 = iri.node_iri("asset", "ecosystem-graphs", name_key("GPT-4"))
    assert (gpt4, RDF.type, PROV.Entity) in graph and (gpt4, RDFS.label, Literal("GPT-4")) in graph
    assert (None, EAI.dependsOn, gpt4) in graph
    # every name is counted; the first 500 are itemised, organisations and countries before asset names
    assert report.unresolved_count > len(report.unresolved) == 500
    assert report.unresolved[0].kind == "organisation" and report.unresolved[-1].kind in {"model", "dataset", "asset"}


def test_unresolvable_nationalities_are_reported_not_guessed(recorded):
    graph, report = recorded
    countries = {u.name for u in report.unresolved if u.kind == "country"}
    assert {"International", "unknown", "Canada/Switzerland"} <= countries
    aleph = iri.org_iri("aleph-alpha")
    assert set(graph.objects(aleph, EAI.jurisdiction)) == {iri.country_iri("DEU")}
    assert any("several organisations" in note for note in report.notes)


def test_recorded_folder_reads_every_card(recorded):
    graph, report = recorded
    # 396 cards in the asset files, and the 393 rows of the collated table, each a copy of one of those cards
    assert report.records_read == 396 + 393 and report.records_rejected == 0
    copies = [m for m in graph.subjects(RDF.type, EAI.MergeRecord)
              if str(graph.value(m, EAI.mergeRule)) == "collated copy of the same card"]
    assert len(copies) == 393 and report.records_merged >= 393  # every merge is in the graph, itemised or not
    kinds = {klass: len(set(graph.subjects(RDF.type, klass))) for klass in (EAI.AIModel, EAI.Dataset, EAI.Deployment)}
    assert kinds[EAI.Deployment] == 52 and kinds[EAI.AIModel] >= 270 and kinds[EAI.Dataset] >= 68
    records = set(graph.subjects(RDF.type, EAI.SourceRecord))
    assert len(records) == 396 + 393 and all(graph.value(r, EAI.locator) for r in records)
    assert [(f.path, f.status) for f in report.files_skipped] == [("js/schemas.yaml", "skipped")]


# -- bad input -------------------------------------------------------------------------------------------------------
CARD = """- type: model
  name: {name}
  organization: {org}
  nationality: {nationality}
  license: {licence}
  created_date: 2024-05-01
  access: open
  dependencies: []
"""


def test_unknown_licence_and_country_are_reported_with_their_file(tmp_path):
    write(tmp_path, {"assets/acme.yaml": CARD.format(name="Acme-1", org="Mistral AI", nationality="Atlantis",
                                                        licence="Acme Garden Licence 3")})
    graph, report = parse_source(SPEC, tmp_path)
    found = {(u.kind, u.name): u.where for u in report.unresolved}
    assert found[("licence", "Acme Garden Licence 3")] == "assets/acme.yaml:1"
    assert found[("country", "Atlantis")] == "assets/acme.yaml:1"
    assert (MISTRAL_AI, EAI.jurisdiction, None) not in graph
    assert (scoped_model("Acme-1", "mistral-ai"), EAI.releaseDate, None) in graph  # the rest of the card is kept


def test_a_shared_cards_nationality_is_given_to_none_of_its_organisations(tmp_path):
    write(tmp_path, {"assets/joint.yaml": CARD.format(name="Joint-1", org="Aleph Alpha, Mistral AI, and Acme Labs",
                                                         nationality="Germany", licence="MIT")})
    graph, report = parse_source(SPEC, tmp_path)
    developers = set(graph.objects(scoped_model("Joint-1", "aleph-alpha"), EAI.developedBy))
    assert developers == {iri.org_iri("aleph-alpha"), MISTRAL_AI, scoped(iri.org_iri, "ecosystem-graphs", "Acme Labs")}
    assert (None, EAI.jurisdiction, None) not in graph
    assert (scoped_model("Joint-1", "aleph-alpha"), EAI.providedBy, iri.org_iri("aleph-alpha")) in graph
    assert report.notes == ["1 cards name several organisations: their nationality is not given to any one"]


def test_cards_missing_required_fields_are_rejected_with_their_line(tmp_path):
    text = (CARD.format(name="Good-1", org="Aleph Alpha", nationality="Germany", licence="MIT")
            + "- type: model\n  organization: Aleph Alpha\n"          # no name
            + "- name: Odd\n  type: gadget\n"                           # not model|dataset|application
            + "- just a string\n")
    write(tmp_path, {"assets/mixed.yaml": text})
    graph, report = parse_source(SPEC, tmp_path)
    assert [(r.where, r.reason.split(" ")[0]) for r in report.rejected] == [
        ("assets/mixed.yaml:9", "card"), ("assets/mixed.yaml:11", "type"), ("assets/mixed.yaml:13", "a")]
    assert report.records_read == 4 and (scoped_model("Good-1", "aleph-alpha"), RDF.type, EAI.AIModel) in graph


def test_a_broken_yaml_file_is_rejected_and_the_others_load(tmp_path):
    write(tmp_path, {"assets/broken.yaml": "- type: model\n  name: [unclosed\n",
                     "assets/notalist.yaml": "type: model\nname: X\n",
                     "assets/fine.yaml": CARD.format(name="Fine-1", org="Aleph Alpha", nationality="Germany",
                                                     licence="MIT")})
    graph, report = parse_source(SPEC, tmp_path)
    where = {r.where.split(":")[0]: r for r in report.rejected}
    assert set(where) == {"assets/broken.yaml", "assets/notalist.yaml"}
    assert where["assets/notalist.yaml"].reason == "an asset file must be a YAML list of cards"
    assert (scoped_model("Fine-1", "aleph-alpha"), EAI.licence, iri.licence_iri("MIT")) in graph


def test_a_csv_with_a_broken_row_rejects_that_row_only(shared_data, tmp_path):
    table = csv_rows(shared_data, {"EXMODD", "MiniMA"}).splitlines()
    header = table[0]
    broken = "open,too,few,fields"
    bad_literal = table[1].replace("\"['YFCC100M', 'Image-Chat']\"", "\"['YFCC100M', \"")
    write(tmp_path, {"resources/all_assets.csv": "\n".join([header, broken, bad_literal, table[2]]) + "\n"})
    graph, report = parse_source(SPEC, tmp_path)
    reasons = {r.where: r.reason for r in report.rejected}
    assert reasons["resources/all_assets.csv:2"].startswith("4 fields where the header has 33")
    assert reasons["resources/all_assets.csv:3"].startswith("dependencies is not a list literal")
    assert (iri.model_iri("GeneZC/MiniMA-3B"), RDF.type, EAI.AIModel) in graph  # its model_card on the Hub
    assert report.records_read == 3 and report.records_rejected == 2


def test_a_folder_without_asset_files_is_a_broken_feed(tmp_path):
    write(tmp_path, {"README.md": "nothing"})
    with pytest.raises(FeedError, match="no asset files"):
        parse_source(SPEC, tmp_path)


# -- an organisation file it has never seen, idempotence -------------------------------------------------------------
NEW_ORG = """- type: dataset
  name: Baltic Web Corpus
  organization: Tilde
  description: web text
  created_date:
    explanation: first public release
    value: 2024-03-01
  url: https://example.org/baltic-corpus
  nationality: Latvia
  license: CC BY 4.0
  access: open
  dependencies: [Common Crawl]
- type: model
  name: TildeOpen
  organization: Tilde
  created_date: 2025-09
  url: https://tilde.ai/tildeopen-llm/
  model_card: https://huggingface.co/TildeAI/TildeOpen-30b
  nationality: Latvia
  license:
    explanation: see the model card
    value: CC-BY-4.0
  access: open
  modality: text; text
  dependencies: [Baltic Web Corpus, LLaMA]
- type: application
  name: Tilde Chat
  organization: Tilde
  nationality: Latvia
  license: unknown
  access: limited
  dependencies: [TildeOpen]
"""


def test_a_new_organisation_file_in_the_same_format(tmp_path):
    from rdflib.namespace import XSD  # imported here: pytest's collection probes module attributes

    write(tmp_path, {"assets/tilde.yaml": NEW_ORG})
    graph, report = parse_source(SPEC, tmp_path)
    tilde, model = iri.org_iri("tilde"), iri.model_iri("TildeAI/TildeOpen-30b")
    corpus = scoped(iri.dataset_iri, "ecosystem-graphs", "Baltic Web Corpus", developer="tilde")
    assert (model, EAI.providedBy, tilde) in graph and (tilde, EAI.jurisdiction, iri.country_iri("LVA")) in graph
    assert (model, EAI.trainedOn, corpus) in graph and (corpus, EAI.curatedBy, tilde) in graph
    assert (model, EAI.releaseDate, Literal("2025-09", datatype=XSD.gYearMonth)) in graph
    assert (corpus, EAI.releaseDate, None) in graph and (corpus, EAI.licence, iri.licence_iri("CC-BY-4.0")) in graph
    assert (model, EAI.licence, iri.licence_iri("CC-BY-4.0")) in graph
    app = scoped(iri.deployment_iri, "ecosystem-graphs", "Tilde Chat", developer="tilde")
    assert (app, EAI.deploys, model) in graph and (app, EAI.developedBy, tilde) in graph
    assert {(u.name, u.kind) for u in report.unresolved} == {("Baltic Web Corpus", "dataset"),
                                                             ("Common Crawl", "asset"), ("LLaMA", "asset")}
    assert (model, RDFS.label, None) not in graph  # a curated model is named by the curated graph


def test_ingesting_twice_gives_the_same_triples_and_counts(shared_data):
    first, one = parse_source(SPEC, shared_data / "ecosystem_graphs")
    second, two = parse_source(SPEC, shared_data / "ecosystem_graphs")
    assert set(first) == set(second)  # no blank nodes: the same triples, term for term
    assert (one.records_read, one.unresolved_count, one.notes) == (two.records_read, two.unresolved_count, two.notes)


# -- live mode -------------------------------------------------------------------------------------------------------
def test_live_mode_reads_the_repository_tarball(shared_data, http_server, tmp_path):
    archive = tmp_path / "repo.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(shared_data / "ecosystem_graphs" / "assets" / "mistral.yaml",
                arcname="ecosystem-graphs-main/assets/mistral.yaml")
        tar.add(shared_data / "ecosystem_graphs" / "js" / "schemas.yaml",
                arcname="ecosystem-graphs-main/js/schemas.yaml")
    url = http_server.route("/tarball", Reply(200, archive.read_bytes(), {"ETag": '"sha-1"'}), Reply(304))
    feed = ecosystem_graphs.fetch_live(tmp_path / "cache", url=url, retries=0)
    assert feed.version == '"sha-1"' and feed.url == url
    graph, report = parse_source(SPEC, feed.path)
    assert report.records_read == 9 and (MISTRAL_AI, EAI.jurisdiction, iri.country_iri("USA")) in graph
    again = ecosystem_graphs.fetch_live(tmp_path / "cache", url=url, retries=0)
    assert again.path == feed.path and http_server.requests[-1].headers.get("If-None-Match") == '"sha-1"'


def test_live_mode_cites_each_file_at_the_commit_the_tarball_names(shared_data, http_server, tmp_path):
    """GitHub writes the commit into the tarball's pax header; the feed is versioned by it and each card cited by
    its file at that commit."""
    commit = "576655a544c974e91b7ca02e26cf7ba4c8347516"
    archive = tmp_path / "repo.tar.gz"
    with tarfile.open(archive, "w:gz", format=tarfile.PAX_FORMAT, pax_headers={"comment": commit}) as tar:
        tar.add(shared_data / "ecosystem_graphs" / "assets" / "mistral.yaml",
                arcname=f"ecosystem-graphs-{commit[:7]}/assets/mistral.yaml")
    url = http_server.route("/tarball", Reply(200, archive.read_bytes(), {"ETag": '"sha-2"'}))
    feed = ecosystem_graphs.fetch_live(tmp_path / "cache", url=url, retries=0)
    assert feed.version == commit
    graph, _report = parse_source_feed(feed)
    blob = URIRef(f"https://github.com/stanford-crfm/ecosystem-graphs/blob/{commit}/assets/mistral.yaml")
    records = set(graph.subjects(EAI.recordUrl, blob))
    assert records and records == set(graph.subjects(RDF.type, EAI.SourceRecord))
    assert {str(v) for v in graph.objects(None, EAI.sourceVersion)} == {commit}


def parse_source_feed(feed):
    from rdflib import Graph

    from euaigraph.ingest.base import Report

    report, graph = Report(SPEC.id), Graph()
    for triple in SPEC.parse(feed, report):
        graph.add(triple)
    return graph, report


# -- the three model feeds in a real store, with the shipped graph ---------------------------------------------------
@pytest.fixture(scope="module")
def loaded(shared_data, tmp_path_factory):
    """An embedded store with the shipped graph and the recorded Ecosystem Graphs, Epoch AI and Hugging Face feeds."""
    from euaigraph.graph.store.embedded import EmbeddedStore
    from euaigraph.graph.load.pipeline import ingest_many
    from euaigraph.ingest import registry

    jobs = registry.build_jobs(feeds=shared_data, only=("ecosystem-graphs", "epoch-ai", "huggingface"))
    store = EmbeddedStore(tmp_path_factory.mktemp("three-feeds"), writable=True)
    outcomes = ingest_many(store, jobs, all_or_nothing=True)
    assert all(o.ok for o in outcomes), [o.message for o in outcomes if not o.ok]
    yield store
    store.close()


@pytest.mark.slow
def test_in_the_store_the_usa_claim_stays_with_this_source_and_the_curated_seat_wins(loaded):
    graphs = loaded.current_graphs()
    claims = {(s, o) for s, p, o in loaded.graph_triples(graphs["ecosystem-graphs"]) if p == EAI.jurisdiction}
    assert (MISTRAL_AI, iri.country_iri("USA")) in claims
    curated = {(s, o) for s, p, o in loaded.graph_triples(graphs["curated-organisations"]) if p == EAI.jurisdiction}
    assert (MISTRAL_AI, iri.country_iri("FRA")) in curated
    preferred = loaded.execute(f"SELECT ?c WHERE {{ <{MISTRAL_AI}> <{EAI.preferredJurisdiction}> ?c }}").rows
    assert [row[0] for row in preferred] == [iri.country_iri("FRA")]


@pytest.mark.slow
def test_in_the_store_one_model_is_described_by_several_feeds(loaded):
    mistral_7b = iri.model_iri("mistralai/Mistral-7B-v0.1")
    rows = loaded.execute(f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?r <{EAI.describes}> <{mistral_7b}> }} }}""").rows
    sources = {str(g).split("/graph/")[1].split("/")[0] for (g,) in rows}
    assert {"curated-models", "ecosystem-graphs"} <= sources
    lumi = iri.facility_iri("lumi")
    rows = loaded.execute(f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?r <{EAI.describes}> <{lumi}> }} }}""").rows
    assert {str(g).split("/graph/")[1].split("/")[0] for (g,) in rows} >= {"curated-compute", "epoch-ai"}


@pytest.mark.slow
def test_in_the_store_the_three_feeds_break_no_shape(loaded):
    from euaigraph.graph.load.validate import validate_store

    report = validate_store(loaded)
    assert report.violations == [], report.violations[:10]
    assert report.quads > 40_000


@pytest.mark.parametrize(("text", "message"), [(None, "header and no rows"), ("", "an empty CSV file")])
def test_a_collated_table_cut_to_nothing_is_a_broken_feed(shared_data, tmp_path, text, message):
    """The collated table is never published empty: a header alone or an empty file is refused with the file named,
    never read as a table without records."""
    header = csv_rows(shared_data, set()).splitlines()[0]
    write(tmp_path, {"resources/all_assets.csv": header + "\n" if text is None else text})
    with pytest.raises(FeedError, match=message) as caught:
        parse_source(SPEC, tmp_path)
    assert caught.value.where == "resources/all_assets.csv"
