"""Stanford CRFM Ecosystem Graphs: asset cards (models, datasets, applications) and their dependencies.

A feed is a folder (or one file) holding ``assets/*.yaml``, each a YAML **list** of cards, and the collated CSV
``resources/*.csv`` with the same fields, where ``dependencies`` is a Python-literal list string (read with
``ast.literal_eval``, never evaluated). A card in both is read from the YAML; CSV rows of other cards are read
too. Field values may be ``{explanation, value}`` mappings: the value is used.

- ``type`` model / dataset / application -> ``eai:AIModel`` / ``eai:Dataset`` / ``eai:Deployment``. Models and
  datasets resolve to shared ids through their Hugging Face URL (``model_card``, ``url``, ``datasheet``) or a
  reviewed alias; otherwise they get a node scoped to this source and are reported as unresolved.
- ``dependencies`` (asset names) -> ``eai:dependsOn``, plus ``eai:trainedOn`` for a model on a dataset and
  ``eai:deploys`` for an application on a model. The source does not say how a model depends on a model, so that
  stays ``eai:dependsOn``. A name no card here defines is resolved by alias, else it becomes a node scoped to this
  source (typed only as ``prov:Entity``, since its kind is unknown) and is reported.
- ``organization`` -> organisations through the reviewed aliases (a comma list is several organisations);
  ``nationality`` -> ``eai:jurisdiction`` of the card's organisation, as this source's claim. Values that name no
  single country (``International``, ``unknown``, ``Canada/Switzerland``) are reported, never guessed; the
  nationality of a card naming several organisations is not given to any one of them.
- ``license`` -> ``eai:licence`` via :func:`~euaigraph.ingest.normalise.resolve_licence`; ``access`` ->
  ``eai:accessLevel``; ``created_date`` -> ``eai:releaseDate``; ``modality`` -> ``eai:modality``.
"""

from __future__ import annotations

import ast
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF

from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from ..aliases import aliases
from ..base import PRIORITY_THIRD_PARTY, Feed, FeedError, Report, SourceSpec, Triple
from ..emit import date_literal, source_record
from ..fetch import extract_tarball, fetch
from ..identity import (country_id, dataset_for_hf, entity, hf_repo_from_url, licence, model_for_hf, name_key,
                        names_match, org_node, scoped, web_url)
from ..normalise import fold
from .. import safe_yaml

SOURCE_ID = "ecosystem-graphs"
LIVE_URL = "https://codeload.github.com/stanford-crfm/ecosystem-graphs/tar.gz/refs/heads/main"
ASSET_PAGE = "https://crfm.stanford.edu/ecosystem-graphs/index.html?asset="
KINDS = {"model": EAI.AIModel, "dataset": EAI.Dataset, "application": EAI.Deployment}
_CSV_COLUMNS = {"name", "type", "dependencies"}
#: A comma part that is a company-form suffix belongs to the name before it ("Runway AI, Inc.").
_SUFFIX = re.compile(r"^(inc|ltd|llc|gmbh|e\.\s?v|s\.\s?a|sas|corp|co|plc|ag)\.?$", re.I)


@dataclass
class Card:
    fields: dict[str, Any]
    where: str
    node: URIRef | None = None
    curated: bool = False

    @property
    def name(self) -> str:
        return text(self.fields.get("name")) or ""

    @property
    def kind(self) -> str:
        return (text(self.fields.get("type")) or "").lower()


def value(raw: Any) -> Any:
    """A field's value: the ``value`` of an ``{explanation, value}`` mapping (also when the CSV flattened it).

    >>> value({"explanation": "why", "value": "open"}), value("{'value': 'limited'}"), value("Apache 2.0")
    ('open', 'limited', 'Apache 2.0')
    """
    if isinstance(raw, str) and raw.startswith("{") and raw.endswith("}"):
        try:
            raw = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            return raw
    return raw.get("value") if isinstance(raw, dict) else raw


def text(raw: Any) -> str | None:
    found = value(raw)
    if isinstance(found, date):
        return found.isoformat()
    return str(found).strip() if found is not None and str(found).strip() else None


def split_organisations(name: str) -> list[str]:
    """The organisations of an ``organization`` field: a reviewed name as a whole, else its comma parts.

    >>> split_organisations("Inception Institute of Artificial Intelligence, Cerebras, and MBZUAI")
    ['Inception Institute of Artificial Intelligence', 'Cerebras', 'MBZUAI']
    >>> split_organisations("Runway AI, Inc.")
    ['Runway AI, Inc.']
    """
    if aliases("organisations").resolve(name):
        return [name]
    parts: list[str] = []
    for part in (p.strip() for p in name.split(",")):
        part = re.sub(r"^and\s+", "", part).strip()
        if parts and _SUFFIX.match(part):
            parts[-1] = f"{parts[-1]}, {part}"
        elif part:
            parts.append(part)
    return parts


# -- reading the files ---------------------------------------------------------------------------------------------
def read_cards(root: Path, report: Report) -> list[Card]:
    base = root.parent if root.is_file() else root
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    yamls = [p for p in files if p.suffix in (".yaml", ".yml") and (p == root or p.parent.name == "assets")]
    tables = [p for p in files if p.suffix == ".csv" and (p == root or p.parent.name == "resources")]
    if not yamls and not tables:
        raise FeedError(SOURCE_ID, str(root), "no asset files (assets/*.yaml) and no collated table (resources/*.csv)")
    cards = [card for path in yamls for card in _yaml_cards(path, str(path.relative_to(base)), report)]
    seen = {(fold(c.name), fold(text(c.fields.get("organization")) or "")) for c in cards}
    for path in tables:
        cards += _csv_cards(path, str(path.relative_to(base)), report, seen)
    return cards


def _yaml_cards(path: Path, where: str, report: Report) -> Iterator[Card]:
    try:
        node, data = safe_yaml.load_with_node(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        report.read()
        report.reject(f"{where}:{mark.line + 1 if mark else 1}", f"not a readable YAML file: {exc}")
        return
    if data is None:
        return
    if not isinstance(node, yaml.SequenceNode):
        report.read()
        report.reject(f"{where}:1", "an asset file must be a YAML list of cards")
        return
    for child, item in zip(node.value, data, strict=True):
        report.read()
        card = _card(item, f"{where}:{child.start_mark.line + 1}", report)
        if card:
            yield card


def _csv_cards(path: Path, where: str, report: Report, seen: set[tuple[str, str]]) -> list[Card]:
    cards, repeated = [], 0
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
            if not header or not _CSV_COLUMNS <= set(header):
                report.notes.append(f"{where}: not a collated asset table (no columns {sorted(_CSV_COLUMNS)}); skipped")
                return []
            line = reader.line_num + 1
            for values in reader:
                here, line = f"{where}:{line}", reader.line_num + 1
                if not any(v.strip() for v in values):
                    continue
                row = dict(zip(header, values, strict=False))
                if (fold(row.get("name", "")), fold(text(row.get("organization")) or "")) in seen:
                    repeated += 1
                    continue
                report.read()
                if len(values) != len(header):
                    report.reject(here, f"{len(values)} fields where the header has {len(header)}")
                    continue
                card = _csv_card(row, here, report)
                if card:
                    cards.append(card)
        except csv.Error as exc:
            raise FeedError(SOURCE_ID, f"{where}:{reader.line_num}", f"not a readable CSV table: {exc}") from exc
    if repeated:
        report.notes.append(f"{where}: {repeated} rows repeat cards of the YAML files and were read from there")
    return cards


def _csv_card(row: dict[str, str], where: str, report: Report) -> Card | None:
    try:
        dependencies = ast.literal_eval(row["dependencies"]) if row["dependencies"].strip() else []
    except (ValueError, SyntaxError):
        dependencies = None
    if not isinstance(dependencies, list):
        report.reject(where, f"dependencies is not a list literal: {row['dependencies'][:80]!r}")
        return None
    return _card({key: val for key, val in row.items() if val != ""} | {"dependencies": dependencies}, where, report)


def _card(item: Any, where: str, report: Report) -> Card | None:
    if not isinstance(item, dict):
        report.reject(where, "a card must be a mapping")
        return None
    card = Card(item, where)
    if not card.name:
        report.reject(where, "card without a name")
    elif card.kind not in KINDS:
        report.reject(where, f"type {card.kind or None!r} is not model, dataset or application")
    elif not isinstance(value(item.get("dependencies")) or [], list):
        report.reject(where, "dependencies is not a list")
    else:
        return card
    return None


# -- identity ------------------------------------------------------------------------------------------------------
def _identify(card: Card, later: list[tuple[str, str, str]]) -> None:
    if card.kind == "application":
        card.node = scoped(iri.deployment_iri, SOURCE_ID, card.name)
        return
    hub = [hf_repo_from_url(text(card.fields.get(k))) for k in ("model_card", "url", "datasheet")]
    repo = next((h[1] for h in hub if h and h[0] == card.kind and names_match(card.name, h[1])), None)
    if repo:
        card.node, card.curated = (model_for_hf if card.kind == "model" else dataset_for_hf)(repo)
        return
    found = aliases(f"{card.kind}s").resolve(card.name)
    if found:
        card.node, card.curated = (iri.model_iri if card.kind == "model" else iri.dataset_iri)(found), True
        return
    later.append((card.name, card.kind, card.where))
    card.node = scoped(iri.model_iri if card.kind == "model" else iri.dataset_iri, SOURCE_ID, card.name)


def _index(cards: list[Card], report: Report, later: list[tuple[str, str, str]]) -> dict[str, Card]:
    index: dict[str, Card] = {}
    for card in cards:
        _identify(card, later)
        first = index.setdefault(fold(card.name), card)
        if first is not card and first.node != card.node:
            report.notes.append(f"asset name {card.name!r} names two cards ({first.where}, {card.where}); "
                                "dependencies on it point to the first")
    return index


# -- cards -> triples ----------------------------------------------------------------------------------------------
def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    cards = read_cards(feed.path, report)
    later: list[tuple[str, str, str]] = []  # unmatched asset names, itemised after organisations and countries
    index = _index(cards, report, later)
    shared = 0
    for card in cards:
        yield from _card_triples(card, index, report, later, feed.retrieved_at)
        shared += len(_organisations(card)) > 1 and bool(text(card.fields.get("nationality")))
    if shared:
        report.notes.append(f"{shared} cards name several organisations: their nationality is not given to any one")
    for name, kind, where in later:
        report.unresolved_name(name, kind, where)


def _organisations(card: Card) -> list[str]:
    name = text(card.fields.get("organization"))
    return split_organisations(name) if name else []


def _card_triples(card: Card, index: dict[str, Card], report: Report, later: list[tuple[str, str, str]],
                  accessed: Any) -> Iterator[Triple]:
    node, fields, where = card.node, card.fields, card.where
    yield from entity(node, KINDS[card.kind], card.name, card.curated)
    orgs = [org_node(name, source_id=SOURCE_ID, report=report, where=where) for name in _organisations(card)]
    for n, (org, triples) in enumerate(orgs):
        yield from triples
        yield node, EAI.curatedBy if card.kind == "dataset" else EAI.developedBy, org
        if n == 0 and card.kind == "model":
            yield node, EAI.providedBy, org
    nationality = text(fields.get("nationality"))
    if nationality:
        code = country_id(nationality)
        if code is None:
            report.unresolved_name(nationality, "country", where)
        elif len(orgs) == 1:
            yield orgs[0][0], EAI.jurisdiction, iri.country_iri(code)
    yield from _facts(node, fields, where, report)
    for name in value(fields.get("dependencies")) or []:
        yield from _dependency(card, str(value(name)).strip(), index, later)
    page = f"{ASSET_PAGE}{quote(card.name)}"
    urls = [page] + [u for u in [web_url(text(fields.get("url")))] if u]
    yield from source_record(SOURCE_ID, f"{where.rsplit(':', 1)[0]}/{name_key(card.name)}", node, urls=urls,
                             accessed=accessed, locator=where)


def _facts(node: URIRef, fields: dict[str, Any], where: str, report: Report) -> Iterator[Triple]:
    stated = text(fields.get("license"))
    if stated:
        found = licence(stated)
        if found.status == "unknown":
            report.unresolved_name(stated, "licence", where)
        for licence_id in found.ids:
            yield node, EAI.licence, iri.licence_iri(licence_id)
    created = text(fields.get("created_date"))
    if created and fold(created) not in {"unknown", "none", "n/a"}:
        stamp = date_literal(created)
        if stamp is None:
            report.unresolved_name(created, "date", where)
        else:
            yield node, EAI.releaseDate, stamp
    access = text(fields.get("access"))
    if access:
        yield node, EAI.accessLevel, Literal(access.lower())
    modality = text(fields.get("modality"))
    if modality and fold(modality) != "unknown":
        yield node, EAI.modality, Literal(modality)


def _dependency(card: Card, name: str, index: dict[str, Card], later: list[tuple[str, str, str]]
                ) -> Iterator[Triple]:
    if not name or fold(name) == fold(card.name):
        return
    known = index.get(fold(name))
    if known:
        target, kind = known.node, known.kind
    elif found := aliases("models").resolve(name):
        target, kind = iri.model_iri(found), "model"
        yield target, RDF.type, EAI.AIModel
    elif found := aliases("datasets").resolve(name):
        target, kind = iri.dataset_iri(found), "dataset"
        yield target, RDF.type, EAI.Dataset
    else:  # a name no card here defines: the source does not say what it is
        later.append((name, "asset", card.where))
        target, kind = iri.node_iri("asset", SOURCE_ID, name_key(name)), None
        yield from entity(target, PROV.Entity, name, False)
    yield card.node, EAI.dependsOn, target
    if card.kind == "model" and kind == "dataset":
        yield card.node, EAI.trainedOn, target
    elif card.kind == "application" and kind == "model":
        yield card.node, EAI.deploys, target


# -- live mode -----------------------------------------------------------------------------------------------------
def fetch_live(cache_dir: Path, *, url: str = LIVE_URL, timeout: float = 60.0, retries: int = 3) -> Feed:
    """Download the repository tarball (cached by ETag) and read its extracted tree."""
    entry = fetch(SOURCE_ID, url, Path(cache_dir), timeout=timeout, retries=retries)
    return entry.feed(extract_tarball(SOURCE_ID, entry))


SOURCE = SourceSpec(
    id=SOURCE_ID,
    title="Ecosystem Graphs (Stanford CRFM)",
    homepage="https://crfm.stanford.edu/ecosystem-graphs/",
    data_licence=None,
    licence_note="No licence file in the repository; Stanford CRFM asks users to cite arXiv:2303.15772.",
    parse=parse,
    min_triples=5,
    priority=PRIORITY_THIRD_PARTY,
    live_url="https://github.com/stanford-crfm/ecosystem-graphs",
    recorded_folder="ecosystem_graphs",
    fetch=fetch_live,
    description="Asset cards of foundation models, datasets and applications with their dependencies, "
                "licences and the developers' nationality as the source states it.",
)
