"""Reading an Ecosystem Graphs feed: which files hold asset cards, the cards, and the collated table's rows.

Used by :mod:`euaigraph.ingest.sources.ecosystem_graphs`. The cards live in ``assets/*.yaml`` (each a YAML list of
cards) of the shallowest asset tree under the feed; the collated table is ``resources/*.csv`` beside it, where
``dependencies`` is a Python-literal list string (read with ``ast.literal_eval``, never evaluated). Every other file
is skipped with the reason (an asset tree deeper in the folder is an older copy, not more cards). A table row that
repeats a card of the YAML files (same name, same organisation) is a collated copy of that card.

>>> value({"explanation": "why", "value": "open"}), value("{'value': 'limited'}"), value("Apache 2.0")
('open', 'limited', 'Apache 2.0')
>>> split_organisations("Inception Institute of Artificial Intelligence, Cerebras, and MBZUAI")
['Inception Institute of Artificial Intelligence', 'Cerebras', 'MBZUAI']
>>> split_organisations("Runway AI, Inc.")
['Runway AI, Inc.']
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from . import safe_yaml
from .aliases import aliases
from .base import FeedError, Report
from .csv_table import header_of, read_table
from .model_names import name_form

SOURCE_ID = "ecosystem-graphs"
KINDS = ("model", "dataset", "application")
_CSV_COLUMNS = {"name", "type", "dependencies"}
#: A comma part that is a company-form suffix belongs to the name before it ("Runway AI, Inc.").
_SUFFIX = re.compile(r"^(inc|ltd|llc|gmbh|e\.\s?v|s\.\s?a|sas|corp|co|plc|ag)\.?$", re.IGNORECASE)


@dataclass
class Card:
    fields: dict[str, Any]
    where: str
    path: Path
    #: the card of the YAML files this table row repeats (a collated copy), if any
    copy_of: Card | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return text(self.fields.get("name")) or ""

    @property
    def kind(self) -> str:
        return (text(self.fields.get("type")) or "").lower()

    @property
    def organisation(self) -> str:
        return text(self.fields.get("organization")) or ""


def value(raw: Any) -> Any:
    """A field's value: the ``value`` of an ``{explanation, value}`` mapping (also when the CSV flattened it)."""
    if isinstance(raw, str) and raw.startswith("{") and raw.endswith("}"):
        try:
            raw = ast.literal_eval(raw)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return raw
    return raw.get("value") if isinstance(raw, dict) else raw


def text(raw: Any) -> str | None:
    found = value(raw)
    if isinstance(found, date):
        return found.isoformat()
    return str(found).strip() if found is not None and str(found).strip() else None


def split_organisations(name: str) -> list[str]:
    """The organisations of an ``organization`` field: a reviewed name as a whole, else its comma parts."""
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


def read_cards(root: Path, report: Report) -> list[Card]:
    """Every card of the feed (cards of the YAML files, then table rows); files and records go to the ledger."""
    base = root.parent if root.is_file() else root
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    yamls, tables = _card_files(root, files, base, report)
    if not yamls and not tables:
        raise FeedError(SOURCE_ID, str(root), "no asset files (assets/*.yaml) and no collated table (resources/*.csv)")
    cards = [card for path in yamls for card in _yaml_cards(path, str(path.relative_to(base)), report)]
    by_identity = {(name_form(c.name), name_form(c.organisation)): c for c in reversed(cards)}
    for path in tables:
        cards += _csv_cards(path, str(path.relative_to(base)), report, by_identity)
    return cards


def _card_files(root: Path, files: list[Path], base: Path, report: Report) -> tuple[list[Path], list[Path]]:
    if root.is_file():
        table = root.suffix == ".csv" and _is_table(root, root.name)
        chosen = ([root], []) if root.suffix in (".yaml", ".yml") else ([], [root] if table else [])
        if not any(chosen):
            report.file_skipped(root.name, "not an asset file (.yaml) or collated table (.csv)")
        for path in [*chosen[0], *chosen[1]]:
            report.file_read(path.name)
        return chosen
    trees = sorted({p.parent for p in files if p.parent.name == "assets" and p.suffix in (".yaml", ".yml")},
                   key=lambda d: (len(d.parts), str(d)))
    assets = trees[0] if trees else None
    resources = (assets.parent if assets else root) / "resources"
    yamls, tables = [], []
    for path in files:
        where = str(path.relative_to(base))
        if assets and path.parent == assets and path.suffix in (".yaml", ".yml"):
            yamls.append(path)
        elif path.parent == resources and path.suffix == ".csv":
            if not _is_table(path, where):
                report.file_skipped(where, f"not a collated asset table (no columns {sorted(_CSV_COLUMNS)})")
                continue
            tables.append(path)
        elif path.parent in trees:
            report.file_skipped(where, f"an asset file of a second asset tree; only {assets.relative_to(base)}/ is "
                                       "read, the shallowest one")
            continue
        else:
            report.file_skipped(where, "not an asset file: cards are in assets/*.yaml and the collated table in "
                                       "resources/*.csv")
            continue
        report.file_read(where)
    return yamls, tables


def _is_table(path: Path, where: str) -> bool:
    return _CSV_COLUMNS <= set(header_of(SOURCE_ID, path, where))


def _yaml_cards(path: Path, where: str, report: Report) -> list[Card]:
    try:
        node, data = safe_yaml.load_with_node(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        report.read()
        report.reject(f"{where}:{mark.line + 1 if mark else 1}", f"not a readable YAML file: {exc}")
        return []
    if data is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        report.read()
        report.reject(f"{where}:1", "an asset file must be a YAML list of cards")
        return []
    cards = []
    for child, item in zip(node.value, data, strict=True):
        report.read()
        card = _card(item, f"{where}:{child.start_mark.line + 1}", path, report)
        if card:
            cards.append(card)
    return cards


def _csv_cards(path: Path, where: str, report: Report, by_identity: dict[tuple[str, str], Card]) -> list[Card]:
    cards = []  # the collated table is never published empty
    for here, row in read_table(SOURCE_ID, path, where, rows_required=True).counted(where, report):
        card = _csv_card(row, here, path, report)
        if card:
            card.copy_of = by_identity.get((name_form(card.name), name_form(card.organisation)))
            cards.append(card)
    return cards


def _csv_card(row: dict[str, str], where: str, path: Path, report: Report) -> Card | None:
    try:
        dependencies = ast.literal_eval(row["dependencies"]) if row["dependencies"].strip() else []
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        dependencies = None
    if not isinstance(dependencies, list):
        report.reject(where, f"dependencies is not a list literal: {row['dependencies'][:80]!r}")
        return None
    return _card({key: val for key, val in row.items() if val != ""} | {"dependencies": dependencies}, where, path,
                 report)


def _card(item: Any, where: str, path: Path, report: Report) -> Card | None:
    if not isinstance(item, dict):
        report.reject(where, "a card must be a mapping")
        return None
    card = Card(item, where, path)
    if not card.name:
        report.reject(where, "card without a name")
    elif card.kind not in KINDS:
        report.reject(where, f"type {card.kind or None!r} is not model, dataset or application")
    elif not isinstance(value(item.get("dependencies")) or [], list):
        report.reject(where, "dependencies is not a list")
    else:
        return card
    return None
