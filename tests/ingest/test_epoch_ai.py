"""The Epoch AI ingester on a reviewed slice (a few real rows of each table), the full recorded folder, bad rows,
tables of organisations and clusters it has never seen, idempotence, and live mode against a local server."""

from __future__ import annotations

import csv
import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from euaigraph.ingest.base import FeedError
from euaigraph.ingest.identity import scoped
from euaigraph.ingest.sources import epoch_ai
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .conftest import assert_golden, parse_source, write
from .recording_server import Reply

SPEC = epoch_ai.SOURCE
FIXED = datetime(2026, 1, 15, tzinfo=UTC).timestamp()
FILES = {"models": "notable_ai_models.dev_rows.csv", "clusters": "gpu_clusters.dev_rows.csv",
         "hardware": "ml_hardware.csv"}
KEY = {"models": "Model", "clusters": "Name", "hardware": "Hardware name"}


def real_rows(shared_data: Path, kind: str, names: set[str] | None = None) -> tuple[list[str], list[dict[str, str]]]:
    with (shared_data / "epoch_ai" / FILES[kind]).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if names is None or row[KEY[kind]].strip() in names]
    return list(reader.fieldnames or []), rows


def as_csv(header: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def slice_of(shared_data: Path, folder: Path, picks: dict[str, set[str]]) -> Path:
    for kind, names in picks.items():
        write(folder, {f"{kind}.csv": as_csv(*real_rows(shared_data, kind, names))})
    for path in folder.rglob("*"):
        os.utime(path, (FIXED, FIXED))
    return folder


@pytest.fixture(scope="module")
def recorded(shared_data):
    return parse_source(SPEC, shared_data / "epoch_ai")


# -- golden slice ----------------------------------------------------------------------------------------------------
def test_golden_slice(shared_data, tmp_path):
    feed = slice_of(shared_data, tmp_path, {
        "models": {"Solar Open 100B", "Mixtral 8x7B", "BLUUMI", "BLOOM-176B"},
        "clusters": {"EuroHPC LUMI", "Alps Supercomputer Phase 1", "Eni HPC6"},
        "hardware": {"AMD Radeon Instinct MI250X", "NVIDIA GH200"},
    })
    graph, report = parse_source(SPEC, feed)
    assert (report.records_read, report.records_rejected) == (9, 0)
    assert_golden(graph, "epoch_ai/slice")


# -- facts from the recorded folder -----------------------------------------------------------------------------------
def test_lumi_country_owner_and_amd_accelerators(recorded):
    graph, _report = recorded
    lumi = iri.facility_iri("lumi")
    assert (lumi, RDF.type, EAI.Supercomputer) in graph  # the curated kind of the facility it resolves to
    assert set(graph.objects(lumi, EAI.jurisdiction)) == {iri.country_iri("FIN")}
    assert set(graph.objects(lumi, EAI.acceleratorVendor)) == {iri.org_iri("amd")}
    assert set(graph.objects(lumi, EAI.accelerator)) == {Literal("AMD Radeon Instinct MI250X")}
    assert (lumi, EAI.operatedBy, iri.org_iri("eurohpc-ju")) in graph


def test_phases_of_one_machine_are_claims_about_the_curated_facility(recorded):
    graph, _report = recorded
    alps = iri.facility_iri("alps")
    assert {str(d) for d in graph.objects(alps, EAI.operationalSince)} == {"2024-06-01", "2024-09-17"}
    assert (alps, EAI.acceleratorVendor, iri.org_iri("nvidia")) in graph
    # a look-alike name stays its own cluster
    assert (iri.facility_iri("leonardo"), None, None) not in graph
    davinci = scoped(iri.facility_iri, "epoch-ai", "Leonardo SpA davinci-1", developer="leonardo-spa")
    assert (davinci, RDF.type, EAI.GPUCluster) in graph


def test_models_compute_lineage_and_long_country_names(recorded):
    graph, report = recorded
    mixtral = iri.model_iri("mistralai/mixtral-8x7b-v0.1")  # a reviewed alias of "Mixtral 8x7B"
    assert graph.value(mixtral, EAI.trainingComputeFLOP).toPython() == pytest.approx(7.74e23)
    assert graph.value(mixtral, EAI.parameterCount).toPython() == pytest.approx(4.67e10)
    assert (mixtral, EAI.accessLevel, Literal("Open weights (unrestricted)")) in graph
    assert (iri.org_iri("mistral-ai"), EAI.jurisdiction, iri.country_iri("FRA")) in graph
    bluumi = iri.model_iri("university-of-turku/bluumi")  # joins the curated record: same developer, same name
    bloom = scoped(iri.model_iri, "epoch-ai", "BLOOM-176B", developer="hugging-face")
    assert (bluumi, EAI.derivedFrom, bloom) in graph
    run = graph.value(bluumi, EAI.trainingRun)
    assert (run, EAI.accelerator, Literal("AMD Radeon Instinct MI250X")) in graph
    # "United Kingdom of Great Britain and Northern Ireland" is a country, "Multinational" is not
    assert (iri.org_iri("google-deepmind"), EAI.jurisdiction, iri.country_iri("GBR")) in graph
    assert ("Multinational", "country") in {(u.name, u.kind) for u in report.unresolved}


def test_recorded_folder_has_no_rejections_and_one_record_per_row(shared_data, recorded):
    graph, report = recorded
    rows = sum(len(real_rows(shared_data, kind)[1]) for kind in FILES)
    assert report.records_read == rows and report.records_rejected == 0
    records = set(graph.subjects(RDF.type, EAI.SourceRecord))
    assert len(records) == rows - len(real_rows(shared_data, "hardware")[1])  # hardware rows are a lookup
    assert all(str(graph.value(r, EAI.locator)).split(":")[1].isdigit() for r in records)


# -- numbers and bad rows --------------------------------------------------------------------------------------------
def test_numbers():
    assert epoch_ai.number("1.2e+23") == 1.2e23 and epoch_ai.number("") is None and epoch_ai.number("7") == 7.0
    for bad in ("1,2e23", "about 7B", "nan", "inf"):
        with pytest.raises(ValueError):
            epoch_ai.number(bad)


MODELS = "Model,Organization,Publication date,Parameters,Training compute (FLOP),Country (of organization),Base model\n"


def test_broken_rows_are_rejected_with_file_and_line(tmp_path):
    write(tmp_path, {"models.csv": MODELS
                     + "Good-1,Mistral AI,2024-01-02,7e9,1.2e+23,France,\n"
                     + "Short,Mistral AI\n"
                     + ",Mistral AI,2024-01-02,,,France,\n"
                     + "Odd,Mistral AI,2024-01-02,seven billion,,France,\n"
                     + '"Multi\nline",Aleph Alpha,2023,,,Germany,Good-1\n'})
    graph, report = parse_source(SPEC, tmp_path)
    assert [(r.where, r.reason) for r in report.rejected] == [
        ("models.csv:3", "2 fields where the header has 7"), ("models.csv:4", "Model is empty"),
        ("models.csv:5", "Parameters: 'seven billion' is not a number")]
    good = scoped(iri.model_iri, "epoch-ai", "Good-1", developer="mistral-ai")
    multi = scoped(iri.model_iri, "epoch-ai", "Multi\nline", developer="aleph-alpha")
    assert graph.value(good, EAI.trainingComputeFLOP).toPython() == 1.2e23
    assert (multi, EAI.derivedFrom, good) in graph  # a base model named by another row resolves to that row
    assert report.records_read == 5


def test_unknown_country_and_unattributable_countries(tmp_path):
    write(tmp_path, {"models.csv": MODELS
                     + "M1,Aleph Alpha,2024,,,Narnia,\n"
                     + 'M2,"Aleph Alpha,Mistral AI",2024,,,"Germany,France,Germany",\n'
                     + 'M3,"Aleph Alpha,Mistral AI",2024,,,"Germany,France",\n'})
    graph, report = parse_source(SPEC, tmp_path)
    assert [(u.name, u.where) for u in report.unresolved if u.kind == "country"] == [("Narnia", "models.csv:2")]
    assert any("1 model rows list more or fewer countries" in n and "models.csv:3" in n for n in report.notes)
    assert set(graph.objects(iri.org_iri("aleph-alpha"), EAI.jurisdiction)) == {iri.country_iri("DEU")}  # from M3
    assert set(graph.objects(iri.org_iri("mistral-ai"), EAI.jurisdiction)) == {iri.country_iri("FRA")}


def test_a_table_with_an_unterminated_quote_is_a_broken_feed(tmp_path):
    write(tmp_path, {"models.csv": MODELS + 'Fine,Mistral AI,2024,,,France,\n"Never closed,Mistral AI,2024\n'})
    with pytest.raises(FeedError, match="models.csv"):
        parse_source(SPEC, tmp_path)


@pytest.mark.parametrize(("files", "where", "message"), [
    ({"models.csv": MODELS}, "models.csv", "header and no rows"),
    ({"models.csv": MODELS + ",,,,,,\n"}, "models.csv", "header and no rows"),
    ({"models.csv": ""}, "models.csv", "an empty CSV file"),
    ({"models.csv": "\ufeff"}, "models.csv", "an empty CSV file"),
    ({"models.csv": MODELS.replace("Base model", "Parameters") + "A,Mistral AI,2024,1,2,France,3\n"},
     "models.csv:1", "'Parameters' appear twice"),
    ({"models.csv": MODELS + "A,Mistral\x00 AI,2024,,,France,\n"}, "models.csv:2", "a NUL byte"),
])
def test_a_table_cut_to_nothing_or_malformed_whole_is_a_broken_feed(tmp_path, files, where, message):
    """A table Epoch publishes is never empty: a header alone, an empty file or a BOM alone is a download cut short,
    refused with the file named, never read as zero records; a header naming a column twice or a NUL byte too."""
    write(tmp_path, files)
    with pytest.raises(FeedError, match=message) as caught:
        parse_source(SPEC, tmp_path)
    assert caught.value.where == where


def test_a_bad_byte_is_reported_at_its_own_line(tmp_path):
    rows = "".join(f"M{n},Mistral AI,2024,,,France,\n" for n in range(400))  # well past the first 8 KiB
    (tmp_path / "models.csv").write_bytes((MODELS + rows).encode() + b"Caf\xe9,Mistral AI,2024,,,France,\n")
    with pytest.raises(FeedError, match="not valid UTF-8") as caught:
        parse_source(SPEC, tmp_path)
    assert caught.value.where == "models.csv:402"


def test_a_folder_without_epoch_tables_is_a_broken_feed(tmp_path):
    write(tmp_path, {"other.csv": "a,b\n1,2\n"})
    with pytest.raises(FeedError, match="no Epoch"):
        parse_source(SPEC, tmp_path)


# -- tables it has never seen, idempotence ----------------------------------------------------------------------------
def test_new_organisations_and_clusters_in_the_same_format(shared_data, tmp_path):
    header, _rows = real_rows(shared_data, "clusters", set())
    cluster = dict.fromkeys(header, "") | {
        "Name": "Example Sovereign Cluster", "Status": "Planned", "Country": "Estonia",
        "Owner": "Tilde,Unknown Holding", "Chip type (primary)": "AMD Instinct MI300X",
        "Chip quantity (primary)": "512.0",
        "First Operational Date": "2026-03", "GPU Supplier (primary)": "AMD", "Source 1": "https://example.org/news"}
    models = (MODELS + "TildeOpen 30B,Tilde,2025-09-03,30000000000.0,2.0e+23,Latvia,\n"
              + "Tilde Chat Tuned,Tilde,2025-10,,,Latvia,TildeOpen 30B\n")
    write(tmp_path, {"c.csv": as_csv(header, [cluster]), "m.csv": models})
    graph, report = parse_source(SPEC, tmp_path)
    facility = scoped(iri.facility_iri, "epoch-ai", "Example Sovereign Cluster", developer="tilde")
    assert (facility, RDF.type, EAI.GPUCluster) in graph
    assert (facility, RDFS.label, Literal("Example Sovereign Cluster")) in graph
    assert (facility, EAI.jurisdiction, iri.country_iri("EST")) in graph
    assert (facility, EAI.acceleratorVendor, iri.org_iri("amd")) in graph  # no hardware table: the row's supplier
    assert (facility, EAI.operatedBy, iri.org_iri("tilde")) in graph
    assert (facility, EAI.acceleratorCount, Literal(512)) in graph
    tilde_open = scoped(iri.model_iri, "epoch-ai", "TildeOpen 30B", developer="tilde")
    tuned = scoped(iri.model_iri, "epoch-ai", "Tilde Chat Tuned", developer="tilde")
    assert (tuned, EAI.derivedFrom, tilde_open) in graph
    assert (iri.org_iri("tilde"), EAI.jurisdiction, iri.country_iri("LVA")) in graph
    assert {(u.name, u.kind) for u in report.unresolved} == {
        ("Unknown Holding", "organisation"), ("TildeOpen 30B", "model"), ("Tilde Chat Tuned", "model"),
        ("Example Sovereign Cluster", "facility")}


def test_an_older_export_with_earlier_column_names(tmp_path):
    write(tmp_path, {"old.csv": "System,Organization,Publication date,Parameters,Country (from Organization)\n"
                                "Old-Net,Aleph Alpha,2021-03,1.2e+9,Germany\n"})
    graph, report = parse_source(SPEC, tmp_path)
    node = scoped(iri.model_iri, "epoch-ai", "Old-Net", developer="aleph-alpha")
    assert graph.value(node, EAI.parameterCount).toPython() == 1.2e9
    assert (iri.org_iri("aleph-alpha"), EAI.jurisdiction, iri.country_iri("DEU")) in graph
    assert report.records_read == 1 and report.records_rejected == 0


def test_ingesting_twice_gives_the_same_triples_and_counts(shared_data):
    first, one = parse_source(SPEC, shared_data / "epoch_ai")
    second, two = parse_source(SPEC, shared_data / "epoch_ai")
    assert set(first) == set(second)  # no blank nodes: the same triples, term for term
    assert (one.records_read, one.unresolved_count, one.notes) == (two.records_read, two.unresolved_count, two.notes)


# -- live mode -------------------------------------------------------------------------------------------------------
def test_live_mode_fetches_the_three_tables(shared_data, http_server, tmp_path):
    picks = {"models": {"Mixtral 8x7B"}, "clusters": {"EuroHPC LUMI"}, "hardware": {"AMD Radeon Instinct MI250X"}}
    for kind, url in epoch_ai.LIVE.items():
        body = as_csv(*real_rows(shared_data, kind, picks[kind])).encode()
        http_server.route("/data/" + url.rsplit("/", 1)[-1], Reply(200, body, {"ETag": f'"{kind}-1"'}))
    feed = epoch_ai.fetch_live(tmp_path, base_url=http_server.url("/data"), retries=0)
    graph, report = parse_source(SPEC, feed.path)
    assert report.records_read == 3
    assert (iri.facility_iri("lumi"), EAI.acceleratorVendor, iri.org_iri("amd")) in graph
    assert feed.version == epoch_ai.fetch_live(tmp_path, base_url=http_server.url("/data"), retries=0).version
    http_server.route("/data/gpu_clusters.csv", Reply(404, b"gone"))
    with pytest.raises(FeedError, match="404"):
        epoch_ai.fetch_live(tmp_path, base_url=http_server.url("/data"), retries=0)
