"""Identity by evidence in the three model feeds, on inputs written here in each feed's real format and run through
the real parsers: the same name by two developers, names that differ only in case, base and end names swapped
between two records, anonymised entries, free text listing several models, and size-qualified names.

Each feed is modelled on the real records' layout (Epoch AI CSV columns, Ecosystem Graphs asset cards, Hub API
responses and card folders); the names and organisations are made up unless a test says why a real one is used."""

from __future__ import annotations

import csv
import io
import json

from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from euaigraph.ingest.identity import scoped
from euaigraph.ingest.sources import ecosystem_graphs, epoch_ai, huggingface
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .conftest import parse_source, write

MODEL_COLUMNS = ["Model", "Organization", "Publication date", "Parameters", "Country (of organization)",
                 "Base model", "Link"]
CLUSTER_COLUMNS = ["Name", "Status", "Chip type (primary)", "Chip quantity (primary)", "Country", "Owner",
                   "First Operational Date", "GPU Supplier (primary)", "Source 1"]


def table(columns: list[str], *rows: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(dict.fromkeys(columns, "") | row for row in rows)
    return out.getvalue()


def model_row(name: str, org: str, **more: str) -> dict[str, str]:
    return {"Model": name, "Organization": org, "Publication date": "2024-05-01", **more}


def card(name: str, org: str, *, kind: str = "model", created: str = "2024-05-01", extra: str = "",
         dependencies: str = "[]") -> str:
    return (f"- type: {kind}\n  name: {name}\n  organization: {org}\n  created_date: {created}\n"
            f"  license: MIT\n  access: open\n  dependencies: {dependencies}\n{extra}")


def epoch(name: str, developer: str | None):
    return scoped(iri.model_iri, "epoch-ai", name, developer=developer)


def eg(name: str, developer: str | None, *, make=iri.model_iri):
    return scoped(make, "ecosystem-graphs", name, developer=developer)


def labelled(graph, text: str) -> set:
    return set(graph.subjects(RDFS.label, Literal(text)))


# -- the same name, two developers --------------------------------------------------------------------------------
def test_two_cards_of_one_name_by_two_developers_stay_two_assets(tmp_path):
    write(tmp_path, {"assets/aleph.yaml": card("Nimbus", "Aleph Alpha", created="2024-01-10"),
                     "assets/mistral.yaml": card("Nimbus", "Mistral AI", created="2024-06-20")
                     + card("Nimbus Chat", "Mistral AI", kind="application", dependencies="[Nimbus]")})
    graph, report = parse_source(ecosystem_graphs.SOURCE, tmp_path)
    aleph, mistral = eg("Nimbus", "aleph-alpha"), eg("Nimbus", "mistral-ai")
    assert labelled(graph, "Nimbus") == {aleph, mistral}
    assert set(graph.objects(aleph, EAI.developedBy)) == {iri.org_iri("aleph-alpha")}
    assert set(graph.objects(mistral, EAI.developedBy)) == {iri.org_iri("mistral-ai")}
    assert [str(d) for d in graph.objects(aleph, EAI.releaseDate)] == ["2024-01-10"]
    assert [str(d) for d in graph.objects(mistral, EAI.releaseDate)] == ["2024-06-20"]
    # a dependency on the shared name goes to the card of the depending card's own developer
    assert set(graph.objects(eg("Nimbus Chat", "mistral-ai", make=iri.deployment_iri), EAI.deploys)) == {mistral}
    assert (report.records_read, report.records_ingested, report.records_merged) == (3, 3, 0)


def test_a_dependency_on_a_name_two_developers_use_is_not_guessed(tmp_path):
    write(tmp_path, {"assets/a.yaml": card("Nimbus", "Aleph Alpha") + card("Nimbus", "Mistral AI"),
                     "assets/tilde.yaml": card("Tilde Nimbus", "Tilde", dependencies="[Nimbus]")})
    graph, report = parse_source(ecosystem_graphs.SOURCE, tmp_path)
    assert (eg("Tilde Nimbus", "tilde"), EAI.dependsOn, None) not in graph
    assert any("'Nimbus' names cards of several developers" in note for note in report.notes)


def test_two_epoch_rows_of_one_name_by_two_developers_stay_two_models(tmp_path):
    write(tmp_path, {"models.csv": table(MODEL_COLUMNS, model_row("Nimbus", "Aleph Alpha", Parameters="7e9"),
                                         model_row("Nimbus", "Mistral AI", Parameters="1.2e10"))})
    graph, report = parse_source(epoch_ai.SOURCE, tmp_path)
    aleph, mistral = epoch("Nimbus", "aleph-alpha"), epoch("Nimbus", "mistral-ai")
    assert labelled(graph, "Nimbus") == {aleph, mistral}
    assert [v.toPython() for v in graph.objects(aleph, EAI.parameterCount)] == [7e9]
    assert [v.toPython() for v in graph.objects(mistral, EAI.parameterCount)] == [1.2e10]
    assert report.records_merged == 0 and report.imbalance() is None


def test_a_reviewed_alias_does_not_join_a_record_whose_developer_conflicts(tmp_path):
    """"Mixtral 8x7B" is a reviewed alias of Mistral AI's model; a row giving another developer is another thing."""
    write(tmp_path, {"models.csv": table(MODEL_COLUMNS, model_row("Mixtral 8x7B", "Aleph Alpha"),
                                         model_row("Mixtral 8x7B", "Mistral AI"))})
    graph, report = parse_source(epoch_ai.SOURCE, tmp_path)
    curated = iri.model_iri("mistralai/mixtral-8x7b-v0.1")
    assert set(graph.objects(curated, EAI.developedBy)) == {iri.org_iri("mistral-ai")}
    own = epoch("Mixtral 8x7B", "aleph-alpha")
    assert set(graph.objects(own, EAI.developedBy)) == {iri.org_iri("aleph-alpha")}
    assert [(m.record, m.rule) for m in report.merges] == [("models.csv:3", "reviewed alias")]
    assert any("kept apart" in n and "models.csv:2" in n and "developers conflict" in n for n in report.notes)


def test_a_hub_link_whose_owner_conflicts_with_the_row_is_not_followed(tmp_path):
    write(tmp_path, {"models.csv": table(MODEL_COLUMNS, model_row(
        "Nimbus-7B", "Aleph Alpha", Link="https://huggingface.co/mistralai/Nimbus-7B"))})
    graph, report = parse_source(epoch_ai.SOURCE, tmp_path)
    assert (iri.model_iri("mistralai/Nimbus-7B"), None, None) not in graph
    assert (epoch("Nimbus-7B", "aleph-alpha"), RDF.type, EAI.AIModel) in graph
    assert report.records_merged == 0


def test_the_same_developer_and_name_in_two_tables_is_one_model_with_the_merge_as_data(tmp_path):
    write(tmp_path, {"notable.csv": table(MODEL_COLUMNS, model_row("Nimbus", "Aleph Alpha", Parameters="7e9")),
                     "frontier/large.csv": table(MODEL_COLUMNS, model_row("Nimbus", "Aleph Alpha", Parameters="7e9"))})
    graph, report = parse_source(epoch_ai.SOURCE, tmp_path)
    node = epoch("Nimbus", "aleph-alpha")
    assert labelled(graph, "Nimbus") == {node}
    assert [(m.record, m.into, m.rule) for m in report.merges] == [
        ("notable.csv:2", "frontier/large.csv:2", "same developer and same name")]
    merge = graph.value(node, EAI.mergeRecord)
    assert str(graph.value(merge, EAI.mergeRule)) == "same developer and same name"
    assert set(graph.objects(merge, EAI.mergedRecord)) == {
        iri.record_iri("epoch-ai", "notable.csv/2"), iri.record_iri("epoch-ai", "frontier/large.csv/2")}


# -- case ---------------------------------------------------------------------------------------------------------
def test_names_that_differ_only_in_case_are_two_models(tmp_path):
    write(tmp_path, {"models.csv": table(MODEL_COLUMNS, model_row("Nimbus-7B", "Aleph Alpha", Parameters="7e9"),
                                         model_row("NIMBUS-7B", "Aleph Alpha", Parameters="7.5e9"),
                                         model_row("Nimbus Tuned", "Aleph Alpha", **{"Base model": "NIMBUS-7B"}))})
    graph, report = parse_source(epoch_ai.SOURCE, tmp_path)
    (lower,), (upper,) = labelled(graph, "Nimbus-7B"), labelled(graph, "NIMBUS-7B")
    assert lower != upper and report.records_merged == 0
    assert [v.toPython() for v in graph.objects(upper, EAI.parameterCount)] == [7.5e9]
    assert set(graph.objects(epoch("Nimbus Tuned", "aleph-alpha"), EAI.derivedFrom)) == {upper}


def test_a_case_variant_of_an_alias_does_not_join_when_the_feed_has_both(tmp_path):
    write(tmp_path, {"models.csv": table(MODEL_COLUMNS, model_row("Mixtral 8x7B", "Mistral AI"),
                                         model_row("MIXTRAL 8X7B", "Mistral AI"))})
    graph, report = parse_source(epoch_ai.SOURCE, tmp_path)
    curated = iri.model_iri("mistralai/mixtral-8x7b-v0.1")
    assert [(m.record, m.into) for m in report.merges] == [("models.csv:2", "curated model mistralai/mixtral-8x7b-v0.1")]
    (variant,) = labelled(graph, "MIXTRAL 8X7B")
    assert variant != curated and (variant, EAI.developedBy, iri.org_iri("mistral-ai")) in graph


def test_cards_that_differ_only_in_case_are_two_assets(tmp_path):
    write(tmp_path, {"assets/a.yaml": card("GPT-Nimbus", "Aleph Alpha") + card("gpt-nimbus", "Aleph Alpha")})
    graph, report = parse_source(ecosystem_graphs.SOURCE, tmp_path)
    assert len(labelled(graph, "GPT-Nimbus") | labelled(graph, "gpt-nimbus")) == 2
    assert report.records_ingested == 2


def test_hub_ids_in_two_cases_are_one_repository_as_on_the_hub(tmp_path):
    """The Hub resolves repository ids without regard to case, so the source does too: one model, one merge."""
    write(tmp_path, {"a.json": json.dumps({"id": "Org-Z/Case-Model", "tags": ["license:mit"]}),
                     "b.json": json.dumps({"id": "org-z/case-model", "tags": ["language:fi"]})})
    graph, report = parse_source(huggingface.SOURCE, tmp_path)
    node = iri.model_iri("org-z/case-model")
    assert (node, EAI.licence, iri.licence_iri("MIT")) in graph and (node, EAI.supportsLanguage, None) in graph
    assert [(m.record, m.into, m.rule) for m in report.merges] == [
        ("b.json", "a.json", "same Hugging Face repository id")]


# -- swapped base and end -----------------------------------------------------------------------------------------
def test_two_rows_naming_each_other_as_base_write_no_lineage(tmp_path):
    write(tmp_path, {"models.csv": table(MODEL_COLUMNS,
                                         model_row("Alpha-7B", "Aleph Alpha", **{"Base model": "Beta-7B"}),
                                         model_row("Beta-7B", "Aleph Alpha", **{"Base model": "Alpha-7B"}),
                                         model_row("Gamma-7B", "Aleph Alpha", **{"Base model": "Alpha-7B"}))})
    graph, report = parse_source(epoch_ai.SOURCE, tmp_path)
    alpha, beta, gamma = (epoch(n, "aleph-alpha") for n in ("Alpha-7B", "Beta-7B", "Gamma-7B"))
    assert set(graph.subject_objects(EAI.derivedFrom)) == {(gamma, alpha)}
    assert any("2 models name each other as base" in n and "models.csv:2" in n and "models.csv:3" in n
               for n in report.notes)


def test_two_cards_naming_each_other_as_base_model_write_no_lineage(tmp_path):
    write(tmp_path, {"org-s__alpha/README.md": "---\nbase_model: org-s/beta\nbase_model_relation: finetune\n---\n",
                     "org-s__beta/README.md": "---\nbase_model: org-s/alpha\n---\n",
                     "org-s__gamma/README.md": "---\nbase_model: org-s/alpha\nbase_model_relation: finetune\n---\n"})
    graph, report = parse_source(huggingface.SOURCE, tmp_path)
    alpha, gamma = iri.model_iri("org-s/alpha"), iri.model_iri("org-s/gamma")
    assert set(graph.subject_objects(EAI.derivedFrom)) == {(gamma, alpha)}
    assert set(graph.subject_objects(EAI.fineTunedFrom)) == {(gamma, alpha)}
    assert any("name each other as base" in n for n in report.notes)


# -- anonymised entries -------------------------------------------------------------------------------------------
def test_every_anonymised_cluster_row_is_its_own_facility(tmp_path):
    rows = [{"Name": "Anonymized Chinese System", "Status": "Existing", "Country": "China",
             "First Operational Date": "2024-03-15", "GPU Supplier (primary)": "Anonymized"},
            {"Name": "Anonymized Chinese System", "Status": "Existing", "Country": "China",
             "First Operational Date": "2024-07-15", "Chip type (primary)": "NVIDIA H100"},
            {"Name": "Anonymized Chinese System", "Status": "Planned", "Country": "Singapore"}]
    write(tmp_path, {"clusters.csv": table(CLUSTER_COLUMNS, *rows, rows[1])})  # the last row repeats the second
    graph, report = parse_source(epoch_ai.SOURCE, tmp_path)
    facilities = labelled(graph, "Anonymized Chinese System")
    assert len(facilities) == 4 and report.records_merged == 0 and report.records_ingested == 4
    for facility in facilities:
        assert len(set(graph.objects(facility, EAI.operationalSince))) <= 1
        assert len(set(graph.objects(facility, EAI.jurisdiction))) == 1
    assert {str(d) for f in facilities for d in graph.objects(f, EAI.operationalSince)} == {"2024-03-15", "2024-07-15"}
    assert not [u for u in report.unresolved if u.kind == "facility"]  # withheld names are not names to resolve


# -- free text listing several models -----------------------------------------------------------------------------
def test_a_base_model_text_listing_several_models_links_only_models_that_exist(tmp_path):
    write(tmp_path, {"models.csv": table(MODEL_COLUMNS, model_row("Pythia", "EleutherAI"),
                                         model_row("Chatty", "Aleph Alpha",
                                                   **{"Base model": "various (pythia, flan, OPT)"}),
                                         model_row("Odd", "Aleph Alpha", **{"Base model": "GPT (3, 4)"}))})
    graph, report = parse_source(epoch_ai.SOURCE, tmp_path)
    chatty, pythia = epoch("Chatty", "aleph-alpha"), epoch("Pythia", "eleutherai")
    assert set(graph.objects(chatty, EAI.dependsOn)) == {pythia}  # "various": which one is not said
    assert (chatty, EAI.derivedFrom, None) not in graph and (epoch("Odd", "aleph-alpha"), EAI.derivedFrom, None) not in graph
    models = set(graph.subjects(RDF.type, EAI.AIModel))
    assert len(models) == 3  # the three rows; nothing minted from the list
    assert not {"flan", "OPT", "various (pythia", "OPT)"} & {str(graph.value(m, RDFS.label)) for m in models}
    unresolved = {(u.name, u.kind) for u in report.unresolved}
    assert {("flan", "model in a list"), ("OPT", "model in a list"), ("GPT (3, 4)", "model list")} <= unresolved
    assert any("models.csv:4" in n and "which model it names cannot be told" in n for n in report.notes)


def test_a_dependency_listing_several_models_links_only_cards_that_exist(tmp_path):
    write(tmp_path, {"assets/a.yaml": card("Pythia", "EleutherAI")
                     + card("Chatty", "Aleph Alpha", dependencies="['various (pythia, flan, OPT)', Unknown]")})
    graph, report = parse_source(ecosystem_graphs.SOURCE, tmp_path)
    assert set(graph.objects(eg("Chatty", "aleph-alpha"), EAI.dependsOn)) == {eg("Pythia", "eleutherai")}
    assert len(set(graph.subjects(RDF.type, None))) == len(set(graph.subjects(RDF.type, EAI.SourceRecord))) + 4
    assert any("dependencies name no asset" in n for n in report.notes)  # "Unknown" names nothing


# -- size-qualified names -----------------------------------------------------------------------------------------
def test_a_size_qualified_name_is_never_joined_to_another_size(tmp_path):
    """Letters-and-digits matching reads "Nimbus 1.3B" inside "Nimbus-13B"; the sizes say they differ."""
    write(tmp_path, {"models.csv": table(MODEL_COLUMNS, model_row(
        "Nimbus 1.3B", "Aleph Alpha", Link="https://huggingface.co/aleph-alpha/Nimbus-13B"))})
    graph, report = parse_source(epoch_ai.SOURCE, tmp_path)
    assert (iri.model_iri("aleph-alpha/Nimbus-13B"), None, None) not in graph
    assert (epoch("Nimbus 1.3B", "aleph-alpha"), RDF.type, EAI.AIModel) in graph
    assert any("another size" in n for n in report.notes)

    write(tmp_path / "eg", {"assets/a.yaml": card(
        "Nimbus 1.3B", "Aleph Alpha", extra="  model_card: https://huggingface.co/aleph-alpha/Nimbus-13B\n")})
    graph, _report = parse_source(ecosystem_graphs.SOURCE, tmp_path / "eg")
    assert (iri.model_iri("aleph-alpha/Nimbus-13B"), None, None) not in graph


def test_a_size_qualified_base_resolves_to_its_own_size(tmp_path):
    """Real reviewed aliases: "Llama 3.1 405B" and "Llama-3.1-8B" name two curated models of two sizes."""
    write(tmp_path, {"models.csv": table(MODEL_COLUMNS,
                                         model_row("Big Tuned", "Aleph Alpha", **{"Base model": "Llama 3.1 405B"}),
                                         model_row("Small Tuned", "Aleph Alpha", **{"Base model": "Llama-3.1-8B"}))})
    graph, _report = parse_source(epoch_ai.SOURCE, tmp_path)
    assert set(graph.objects(epoch("Big Tuned", "aleph-alpha"), EAI.derivedFrom)) == {
        iri.model_iri("meta-llama/llama-3.1-405b")}
    assert set(graph.objects(epoch("Small Tuned", "aleph-alpha"), EAI.derivedFrom)) == {
        iri.model_iri("meta-llama/llama-3.1-8b")}
