"""The ledger over every recorded feed in ../shared/data and every shipped source: each file under the feed is read
or skipped with a reason, and the records in the input (counted here, independently of the ingesters, with plain
PyYAML, csv, json, ElementTree and rdflib) equal ingested + rejected + merged.

The counting rules are the sources' documented record units: an openness file and each grade in it, a derived
table row; a Model Openness Tool release and each component; a CORDIS project and each participant; a DCAT dataset;
a SKOS concept; a licence-list entry; an Ecosystem Graphs card and each row of the collated table; a row of an Epoch
AI table; a Hugging Face repository (a folder with a model card).
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from rdflib import Graph
from rdflib.namespace import DCAT, RDF, SKOS

from euaigraph.ingest import registry
from euaigraph.ingest.base import Feed, Report

pytestmark = pytest.mark.shared_data

GRADES = ("open", "partial", "closed")


def _yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return "unreadable"


def _openness(head: str) -> Callable[[Path], int]:
    """An assessment file (a head block or a graded block) is one record, and each grade in it (nested ones too)
    one more; a blank submission template is no record; a file without a name is one record (rejected)."""
    def count(folder: Path) -> int:
        total = 0
        for path in folder.rglob("*"):
            if path.suffix in (".yaml", ".yml") and not path.name.startswith("_parameters"):
                data = _yaml(path)
                if data == "unreadable":
                    total += 1
                    continue
                if not isinstance(data, dict):
                    continue
                blocks = {k: v for k, v in data.items() if isinstance(v, dict)}
                graded = {k: v for k, v in blocks.items() if "class" in v}
                if not graded and head not in blocks and "system" not in blocks and "project" not in blocks:
                    continue
                heads = [blocks.get(h) or {} for h in ("system", "project", "org")]
                if not any(str(v or "").strip() for block in heads for v in block.values()):
                    continue  # the blank template
                total += 1
                if str((blocks.get(head) or {}).get("name") or "").strip():
                    total += len(graded) + sum(1 for v in graded.values() for k, x in v.items()
                                               if k not in ("class", "link", "notes") and x in GRADES)
            elif path.suffix == ".csv":
                with path.open(newline="", encoding="utf-8") as handle:
                    reader = csv.DictReader(handle)
                    if "source.file" in (reader.fieldnames or []):
                        total += sum(1 for _ in reader)
        return total
    return count


def _mot(folder: Path) -> int:
    total = 0
    for path in (folder / "models").glob("*.yml"):
        release = (_yaml(path) or {}).get("release") or {}
        total += 1 + len(release.get("components") or [])
    return total


def _cordis(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*.xml"):
        root = ET.parse(path).getroot()
        total += 1 + len(root.findall("relations/associations/organization"))
    return total


def _rdf_subjects(folder: Path, suffixes: tuple[str, ...], pick: Callable[[Graph], set]) -> int:
    total = 0
    for path in folder.rglob("*"):
        if path.suffix.lower() not in suffixes:
            continue
        if path.suffix.lower() in (".jsonld", ".json") and set(json.loads(path.read_text())) == {"@context"}:
            continue  # a context document, read with the documents that use it
        graph = Graph()
        fmt = {".ttl": "turtle", ".rdf": "xml", ".jsonld": "json-ld"}[path.suffix.lower()]
        try:
            if fmt == "json-ld":  # a context given by URL is the file of that name beside the document
                document = json.loads(path.read_text())
                if isinstance(document.get("@context"), str):
                    beside = path.parent / document["@context"].rsplit("/", 1)[-1]
                    document["@context"] = json.loads(beside.read_text())["@context"]
                graph.parse(data=json.dumps(document), format=fmt, publicID=path.as_uri())
            else:
                graph.parse(path, format=fmt)
        except Exception:  # noqa: BLE001 - a file that does not parse is one record (rejected)
            total += 1
            continue
        total += len(pick(graph))
    return total


def _datasets(folder: Path) -> int:
    return _rdf_subjects(folder, (".ttl", ".jsonld", ".rdf"), lambda g: set(g.subjects(RDF.type, DCAT.Dataset))
                         | set(g.subjects(RDF.type, DCAT.DatasetSeries)))


def _concepts(folder: Path) -> int:
    def pick(g: Graph) -> set:
        found = set(g.subjects(RDF.type, SKOS.Concept)) | set(g.subjects(SKOS.inScheme, None)) \
            | set(g.subjects(SKOS.topConceptOf, None))
        return found - set(g.subjects(RDF.type, SKOS.ConceptScheme))
    return _rdf_subjects(folder, (".ttl", ".rdf", ".jsonld"), pick)


def _licence_entries(folder: Path) -> int:
    total = 0
    for path in folder.glob("*.json"):
        data = json.loads(path.read_text())
        total += len(data.get("licenses") or data.get("exceptions") or [])
    return total


def _ecosystem(folder: Path) -> int:
    cards = sum(len(_yaml(p) or []) for p in (folder / "assets").glob("*.yaml"))
    with (folder / "resources" / "all_assets.dev_rows.csv").open(newline="", encoding="utf-8") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    return cards + rows


def _epoch(folder: Path) -> int:
    total = 0
    for path in folder.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            total += sum(1 for _ in csv.DictReader(handle))
    return total


def _model_cards(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("README.md"))


COUNTERS: dict[str, Callable[[Path], int]] = {
    "osai-index": _openness("system"), "opening-up-chatgpt": _openness("project"), "model-openness-tool": _mot,
    "cordis": _cordis, "data-europa": _datasets, "eu-vocabularies": _concepts, "spdx": _licence_entries,
    "mof-licences": _licence_entries, "ecosystem-graphs": _ecosystem, "epoch-ai": _epoch, "huggingface": _model_cards,
}
RECORDED = [spec for spec in registry.sources().values() if spec.recorded_folder]


def test_every_recorded_source_has_a_counter():
    assert {spec.id for spec in RECORDED} == set(COUNTERS)


def run(spec, feed: Feed) -> Report:
    report = Report(spec.id)
    for _triple in spec.parse(feed, report):
        pass
    return report


@pytest.mark.parametrize("spec", RECORDED, ids=lambda s: s.id)
def test_every_file_and_record_of_the_recorded_feed_is_accounted_for(spec, shared_data):
    folder = shared_data / spec.recorded_folder
    feed = Feed.from_path(folder)
    report = run(spec, feed)
    assert report.unaccounted(feed) == [], "files neither read nor skipped"
    assert all(f.reason.strip() for f in report.files_skipped), "a file skipped without a reason"
    assert report.imbalance() is None
    counted = COUNTERS[spec.id](folder)
    assert counted == report.records_ingested + report.records_rejected + report.records_merged, (
        f"{counted} records in the input; {report.records_ingested} ingested + {report.records_rejected} rejected "
        f"+ {report.records_merged} merged")


@pytest.mark.parametrize("spec", registry.shipped(), ids=lambda s: s.id)
def test_every_shipped_source_balances_and_reads_its_file(spec):
    feed = Feed.from_path(spec.shipped_path())
    report = run(spec, feed)
    assert report.imbalance() is None
    assert report.unaccounted(feed) == []
    assert report.records_read > 0
