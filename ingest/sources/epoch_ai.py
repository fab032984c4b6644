"""Epoch AI: notable AI models and GPU clusters (CSV), with the ML hardware table for accelerator vendors.

A feed is a folder (or one file) of Epoch CSV exports, each recognised by its header: the **notable models**
table (``Model``, ``Organization``), the **GPU clusters** table (``Name``, ``Chip type (primary)``) and the **ML
hardware** table (``Hardware name``, ``Manufacturer``), which gives each chip's manufacturer.

- A model row -> ``eai:AIModel`` (identified by a Hugging Face link in ``Link``, else a reviewed alias, else a node
  scoped to this source), developed by its organisations (comma list; the first provides it), with
  ``eai:parameterCount``, ``eai:trainingComputeFLOP``, ``eai:releaseDate``, ``eai:accessLevel`` (model
  accessibility) and ``eai:derivedFrom`` its base models. Training hardware and its quantity go on an
  ``eai:TrainingRun``.
- ``Country (of organization)`` is Epoch's lookup of each organisation's country, in organisation order: one
  organisation takes every country listed; several take one each when the counts match; otherwise no organisation
  gets one (noted). Long names (``United Kingdom of Great Britain and Northern Ireland``) resolve through
  pycountry and the reviewed country aliases; anything else (``Multinational``) is reported.
- A cluster row -> a compute facility: the curated facility when its name has a reviewed alias
  (``data/curated/aliases/facilities.yaml``), typed as curated, else an ``eai:GPUCluster`` scoped to this source;
  with ``eai:jurisdiction``, ``eai:operatedBy`` (owners), ``eai:accelerator`` (primary chip), ``eai:acceleratorVendor``
  (the chip's manufacturer), ``eai:acceleratorCount``, ``eai:operationalSince`` and ``eai:status``.

Numbers are read as floats (``1.2e+23``); an empty cell is no value. A row whose field count differs from the
header, without its name, or with a number that does not read, is rejected with ``file:line``.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from math import isfinite
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from ..aliases import aliases
from ..base import PRIORITY_THIRD_PARTY, Feed, FeedError, Report, SourceSpec, Triple
from ..curated import records
from ..emit import date_literal, double, integer, source_record
from ..fetch import fetch
from ..normalise import fold
from ..identity import country_id, entity, hf_repo_from_url, model_for_hf, names_match, org_node, scoped, web_url

SOURCE_ID = "epoch-ai"
DATA = "https://epoch.ai/data"
TABLES = {  # kind -> (columns that identify the table, public page, live CSV)
    "models": ({"Model", "Organization"}, f"{DATA}/notable-ai-models", f"{DATA}/notable_ai_models.csv"),
    "clusters": ({"Name", "Chip type (primary)"}, f"{DATA}/gpu-clusters", f"{DATA}/gpu_clusters.csv"),
    "hardware": ({"Hardware name", "Manufacturer"}, f"{DATA}/machine-learning-hardware", f"{DATA}/ml_hardware.csv"),
}
NUMBERS = {"models": ("Parameters", "Training compute (FLOP)", "Hardware quantity"),
           "clusters": ("Chip quantity (primary)",), "hardware": ()}
REQUIRED = {"models": "Model", "clusters": "Name", "hardware": "Hardware name"}
FACILITY_CLASS = {"supercomputer": EAI.Supercomputer, "ai-factory": EAI.AIFactory, "gpu-cluster": EAI.GPUCluster,
                  "cloud-region": EAI.CloudRegion}
#: Column names of older exports of the same tables -> the current names.
COLUMN_SYNONYMS = {"System": "Model", "Country (from Organization)": "Country (of organization)"}
#: Supplier values in the clusters table that name no company.
_NO_SUPPLIER = {"", "unknown", "anonymized"}


def number(cell: str) -> float | None:
    """A float from an Epoch number cell; None for an empty cell; ValueError for anything else.

    >>> number("1.2e+23"), number(" "), number("102000000000.0")
    (1.2e+23, None, 102000000000.0)
    """
    if not cell.strip():
        return None
    found = float(cell)
    if not isfinite(found):
        raise ValueError(f"not a finite number: {cell!r}")
    return found


def names(cell: str) -> list[str]:
    """Epoch's comma lists, in order.

    >>> names("University of Washington,Allen Institute for AI"), names("")
    (['University of Washington', 'Allen Institute for AI'], [])
    """
    return [part.strip() for part in cell.split(",") if part.strip()]


# -- reading the tables --------------------------------------------------------------------------------------------
def tables(root: Path) -> dict[str, list[Path]]:
    """The CSV files of each kind under ``root``, recognised by header."""
    files = [root] if root.is_file() else sorted(root.rglob("*.csv"))
    found: dict[str, list[Path]] = {kind: [] for kind in TABLES}
    for path in files:
        header = _header(path)
        kind = next((k for k, (columns, _page, _url) in TABLES.items() if columns <= header), None)
        if kind:
            found[kind].append(path)
    if not found["models"] and not found["clusters"]:
        raise FeedError(SOURCE_ID, str(root), "no Epoch notable-models or GPU-clusters table (recognised by header)")
    return found


def _header(path: Path) -> set[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return {_column(cell) for cell in next(csv.reader(handle), [])}
    except (UnicodeDecodeError, csv.Error) as exc:
        raise FeedError(SOURCE_ID, f"{path.name}:1", f"not a readable CSV table: {exc}") from exc


def _column(cell: str) -> str:
    return COLUMN_SYNONYMS.get(cell.strip(), cell.strip())


def rows(path: Path, where: str, kind: str, report: Report) -> Iterator[tuple[str, dict[str, str]]]:
    """``(file:line, row)`` for every well-formed row; malformed rows are rejected with their line."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = [_column(cell) for cell in next(reader)]
            line = reader.line_num + 1
            for values in reader:
                here, line = f"{where}:{line}", reader.line_num + 1
                if not any(v.strip() for v in values):
                    continue
                report.read()
                problem = _problem(header, values, kind)
                if problem:
                    report.reject(here, problem)
                else:
                    yield here, dict(zip(header, values, strict=True))
        except csv.Error as exc:
            raise FeedError(SOURCE_ID, f"{where}:{reader.line_num}", f"not a readable CSV table: {exc}") from exc


def _problem(header: list[str], values: list[str], kind: str) -> str | None:
    if len(values) != len(header):
        return f"{len(values)} fields where the header has {len(header)}"
    row = dict(zip(header, values, strict=True))
    if not row.get(REQUIRED[kind], "").strip():
        return f"{REQUIRED[kind]} is empty"
    bad = [col for col in NUMBERS[kind] if not _reads(row.get(col, ""))]
    return f"{bad[0]}: {row[bad[0]]!r} is not a number" if bad else None


def _reads(cell: str) -> bool:
    try:
        number(cell)
    except ValueError:
        return False
    return True


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    root = feed.path
    base = root.parent if root.is_file() else root
    found = tables(root)
    vendors: dict[str, str] = {}
    for path in found["hardware"]:
        for _where, row in rows(path, str(path.relative_to(base)), "hardware", report):
            if row["Hardware name"].strip() and row["Manufacturer"].strip():
                vendors[fold(row["Hardware name"])] = row["Manufacturer"].strip()
    model_rows = [(here, row) for path in found["models"]
                  for here, row in rows(path, str(path.relative_to(base)), "models", report)]
    later: list[tuple[str, str, str]] = []  # unmatched model and facility names, itemised after the rest
    unattributed: list[str] = []
    known = _model_index(model_rows, report, later)
    for here, row in model_rows:
        yield from _model(here, row, known, report, later, unattributed, feed.retrieved_at)
    for path in found["clusters"]:
        for here, row in rows(path, str(path.relative_to(base)), "clusters", report):
            yield from _cluster(here, row, vendors, report, later, feed.retrieved_at)
    if unattributed:
        report.notes.append(f"{len(unattributed)} model rows list more or fewer countries than organisations, so no "
                            f"country was given to any of them (first: {', '.join(unattributed[:5])})")
    for name, kind, where in later:
        report.unresolved_name(name, kind, where)


# -- models --------------------------------------------------------------------------------------------------------
def _model_index(model_rows: list[tuple[str, dict[str, str]]], report: Report, later: list[tuple[str, str, str]]
                 ) -> dict[str, tuple[URIRef, bool]]:
    """Model name -> (IRI, curated), so that base models named in other rows resolve to those rows' models."""
    known: dict[str, tuple[URIRef, bool]] = {}
    for here, row in model_rows:
        name = row["Model"].strip()
        hub = next((h[1] for h in map(hf_repo_from_url, names(row.get("Link", "")))
                    if h and h[0] == "model" and names_match(name, h[1])), None)
        curated = aliases("models").resolve(name)
        if hub:
            found = model_for_hf(hub)
        elif curated:
            found = (iri.model_iri(curated), True)
        else:
            later.append((name, "model", here))
            found = (scoped(iri.model_iri, SOURCE_ID, name), False)
        known.setdefault(fold(name), found)
    return known


def _model(here: str, row: dict[str, str], known: dict[str, tuple[URIRef, bool]], report: Report,
           later: list[tuple[str, str, str]], unattributed: list[str], accessed: Any) -> Iterator[Triple]:
    name = row["Model"].strip()
    node, curated = known[fold(name)]
    yield from entity(node, EAI.AIModel, name, curated)
    orgs = [org_node(org, source_id=SOURCE_ID, report=report, where=here) for org in names(row["Organization"])]
    for n, (org, triples) in enumerate(orgs):
        yield from triples
        yield node, EAI.developedBy, org
        if n == 0:
            yield node, EAI.providedBy, org
    yield from _jurisdictions([org for org, _ in orgs], row.get("Country (of organization)", ""), here, report,
                              unattributed)
    for column, predicate in (("Parameters", EAI.parameterCount), ("Training compute (FLOP)", EAI.trainingComputeFLOP)):
        amount = number(row.get(column, ""))
        if amount is not None:
            yield node, predicate, double(amount)
    stamp = date_literal(row.get("Publication date", ""))
    if stamp is not None:
        yield node, EAI.releaseDate, stamp
    if row.get("Model accessibility", "").strip():
        yield node, EAI.accessLevel, Literal(row["Model accessibility"].strip())
    yield from _training_run(node, row)
    for base in names(row.get("Base model", "")):
        yield from _base(node, base, known, here, later)
    urls = [TABLES["models"][1]] + [u for u in map(web_url, names(row.get("Link", ""))[:1]) if u]
    yield from source_record(SOURCE_ID, f"{here.replace(':', '/')}", node, urls=urls, accessed=accessed, locator=here)


def _jurisdictions(orgs: list[URIRef], cell: str, here: str, report: Report, unattributed: list[str]
                   ) -> Iterator[Triple]:
    countries = []
    for name in names(cell):
        code = country_id(name)
        if code is None:
            report.unresolved_name(name, "country", here)
        countries.append(code)
    if len(orgs) == 1:
        pairs = [(orgs[0], code) for code in countries]
    elif len(orgs) == len(countries):
        pairs = list(zip(orgs, countries, strict=True))
    else:
        pairs = []
        if orgs and countries:
            unattributed.append(here)
    for org, code in pairs:
        if code:
            yield org, EAI.jurisdiction, iri.country_iri(code)


def _training_run(node: URIRef, row: dict[str, str]) -> Iterator[Triple]:
    chips = names(row.get("Training hardware", ""))
    if not chips:
        return
    run = iri.node_iri("training-run", SOURCE_ID, str(node).rsplit("/model/", 1)[-1])
    yield node, EAI.trainingRun, run
    yield run, RDF.type, EAI.TrainingRun
    for chip in chips:
        yield run, EAI.accelerator, Literal(chip)
    quantity = number(row.get("Hardware quantity", ""))
    if quantity is not None and len(chips) == 1 and quantity == int(quantity):
        yield run, EAI.acceleratorCount, integer(quantity)


def _base(node: URIRef, base: str, known: dict[str, tuple[URIRef, bool]], here: str,
          later: list[tuple[str, str, str]]) -> Iterator[Triple]:
    curated = aliases("models").resolve(base)
    if fold(base) in known:
        parent, is_curated = known[fold(base)]
    elif curated:
        parent, is_curated = iri.model_iri(curated), True
    else:
        later.append((base, "model", here))
        parent, is_curated = scoped(iri.model_iri, SOURCE_ID, base), False
    if parent == node:
        return
    yield from entity(parent, EAI.AIModel, base, is_curated)
    yield node, EAI.derivedFrom, parent


# -- clusters ------------------------------------------------------------------------------------------------------
def _cluster(here: str, row: dict[str, str], vendors: dict[str, str], report: Report,
             later: list[tuple[str, str, str]], accessed: Any) -> Iterator[Triple]:
    name = row["Name"].strip()
    facility_id = aliases("facilities").resolve(name)
    if facility_id:
        node = iri.facility_iri(facility_id)
        kind = next((r.get("kind") for r in records("compute") if r["id"] == facility_id), None)
        yield node, RDF.type, EAI.ComputeFacility
        yield node, RDF.type, FACILITY_CLASS.get(kind, EAI.ComputeFacility)
    else:
        later.append((name, "facility", here))
        node = scoped(iri.facility_iri, SOURCE_ID, name)
        yield node, RDF.type, EAI.ComputeFacility
        yield from entity(node, EAI.GPUCluster, name, False)
    country = row.get("Country", "").strip()
    code = country_id(country) if country else None
    if code:
        yield node, EAI.jurisdiction, iri.country_iri(code)
    elif country:
        report.unresolved_name(country, "country", here)
    for owner in names(row.get("Owner", "")):
        org, triples = org_node(owner, source_id=SOURCE_ID, report=report, where=here)
        yield from triples
        yield node, EAI.operatedBy, org
    yield from _accelerator(node, row, vendors, here, report)
    stamp = date_literal(row.get("First Operational Date", ""))
    if stamp is not None:
        yield node, EAI.operationalSince, stamp
    if row.get("Status", "").strip():
        yield node, EAI.status, Literal(row["Status"].strip())
    sources = [u for u in (web_url(row.get(f"Source {n}")) for n in range(1, 6)) if u]
    yield from source_record(SOURCE_ID, here.replace(":", "/"), node, urls=[TABLES["clusters"][1], *sources],
                             accessed=accessed, locator=here)


def _accelerator(node: URIRef, row: dict[str, str], vendors: dict[str, str], here: str, report: Report
                 ) -> Iterator[Triple]:
    chip = row.get("Chip type (primary)", "").strip()
    if not chip:
        return
    yield node, EAI.accelerator, Literal(chip)
    quantity = number(row.get("Chip quantity (primary)", ""))
    if quantity is not None and quantity == int(quantity):
        yield node, EAI.acceleratorCount, integer(quantity)
    # The hardware table names the manufacturer; the row's own supplier column is the fallback.
    supplier = row.get("GPU Supplier (primary)", "").strip()
    vendor = vendors.get(fold(chip)) or (supplier if fold(supplier) not in _NO_SUPPLIER else None)
    if vendor:
        org, triples = org_node(vendor, source_id=SOURCE_ID, report=report, where=here)
        yield from triples
        yield node, EAI.acceleratorVendor, org


# -- live mode -----------------------------------------------------------------------------------------------------
def fetch_live(cache_dir: Path, *, base_url: str = DATA, timeout: float = 60.0, retries: int = 3) -> Feed:
    """Download the three CSV exports (each cached by ETag) into one feed folder."""
    cache_dir = Path(cache_dir)
    out = cache_dir / "tables"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    digest = hashlib.sha256()
    for _columns, _page, url in TABLES.values():
        name = url.rsplit("/", 1)[-1]
        entry = fetch(SOURCE_ID, f"{base_url.rstrip('/')}/{name}", cache_dir / "http", timeout=timeout, retries=retries)
        shutil.copyfile(entry.path, out / name)
        digest.update(entry.version.encode())
    return Feed(path=out, url=base_url, retrieved_at=datetime.now(UTC).replace(microsecond=0),
                version=f"sha256:{digest.hexdigest()[:16]}")


SOURCE = SourceSpec(
    id=SOURCE_ID,
    title="Epoch AI (notable AI models, GPU clusters, ML hardware)",
    homepage="https://epoch.ai/data",
    data_licence="CC-BY-4.0",
    parse=parse,
    min_triples=5,
    priority=PRIORITY_THIRD_PARTY,
    live_url=TABLES["models"][2],
    recorded_folder="epoch_ai",
    fetch=fetch_live,
    description="Notable AI models (organisation, country, parameters, training compute, hardware, base model, "
                "accessibility) and GPU clusters as compute facilities (country, owner, accelerators).",
)
