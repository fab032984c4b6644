"""The files of a Model Openness Tool feed: the component settings, the model files and API pages, and the signs
that a model file was cut short. Every file of the feed is read or skipped with its reason.

>>> stem("models/GPT-SW3-40B.yml", {}, {"release": 1}), stem("snapshots/2024/GPT-SW3-40B.yml", {}, {"release": 1})
('gpt-sw3-40b', 'snapshots/2024/gpt-sw3-40b')
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from euaigraph.ontology import iri

from . import safe_json, safe_yaml
from .base import Feed, FeedError, Report, walk
from .normalise import fold
from .openness import load_with_lines, yaml_problem
from .openness_files import record_url

SOURCE_ID = "model-openness-tool"
REPO = "lfai/model_openness_tool"
SETTINGS = ("mof.settings.yml", "web/modules/mof/config/install/mof.settings.yml")
NO_SETTINGS = "no mof.settings.yml in the feed: components carry no MOF class and no model's class is computed"


@dataclass(frozen=True)
class Component:
    """One MOF component as the tool's settings define it."""

    key: str
    name: str
    description: str | None = None
    content_type: str | None = None
    mof_class: int | None = None
    required: bool = False


def load_settings(root: Path, report: Report) -> dict[str, Component]:
    """The components of ``mof.settings.yml`` by folded name; empty (and noted) when the feed has none. A feed that
    is one model file may use the settings beside its folder (noted: that file is outside the feed)."""
    for folder in (root, root.parent):
        for name in SETTINGS:
            path = folder / name
            if not path.exists():
                continue
            if folder == root:
                report.file_read(name)
            else:
                report.note(f"component settings read from {path.name} beside the feed's folder")
            try:
                items = (safe_yaml.load(path.read_text(encoding="utf-8")) or {}).get("components") or []
                return {fold(c["name"]): Component(iri.slug(c["name"]), c["name"], c.get("description"),
                                                   c.get("content_type"), int(c["class"]), bool(c.get("required")))
                        for c in items}
            except (yaml.YAMLError, AttributeError, KeyError, TypeError, ValueError) as exc:
                raise FeedError(SOURCE_ID, str(path), f"unreadable component settings: {exc}") from exc
    report.note(NO_SETTINGS)
    return {}


def records(path: Path, rel: str, report: Report) -> Iterator[tuple[str, Any, dict[tuple[Any, ...], int]]]:
    """(locator prefix, record, key lines) for each model in a YAML file or a JSON API page; an unreadable file is
    one record read and rejected."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        try:
            data = safe_json.loads(text)
        except json.JSONDecodeError as exc:
            report.read()
            report.reject(f"{rel}:{exc.lineno}", f"not valid JSON: {exc.msg}")
            return
        items = data.get("models") if isinstance(data, dict) and "models" in data else [data]
        for n, item in enumerate(items if isinstance(items, list) else [items]):
            yield f"{rel}#models/{n}", item, {}
        return
    try:
        data, lines = load_with_lines(text)
    except yaml.YAMLError as exc:
        line, problem = yaml_problem(exc)
        report.read()
        report.reject(f"{rel}:{line}", f"not valid YAML: {problem}")
        return
    yield rel, data, lines


def problem(record: Any, lines: dict) -> str | None:
    """Why a record cannot be read, or None. For a YAML file, signs that it was cut short."""
    release = record.get("release") if isinstance(record, dict) else None
    if not isinstance(release, dict):
        return "no 'release' mapping"
    if not str(release.get("name") or "").strip():
        return "release.name is empty"
    if not isinstance(release.get("components") or [], list):
        return "release.components is not a list"
    components = [c for c in release.get("components") or [] if isinstance(c, dict)]
    if lines and "components" not in release:
        return "no 'components' list (every catalogue file ends with one): the file looks cut short"
    if lines and len(components) > 1:
        common = set.intersection(*(set(c) for c in components[:-1]))
        missing = sorted(common - set(components[-1]))
        if missing:
            return (f"the last component has no {', '.join(missing)}, which every other one has: the file looks "
                    f"cut short")
    return None


def stem(rel: str, record: dict, lines: dict) -> str:
    """Files in ``models/`` (or at the root) are keyed by name, others by path; API records by page and name."""
    path = Path(rel)
    if not lines:
        return iri.slug(f"{path.stem}-{record['release']['name']}")
    if len(path.parts) == 1 or path.parent.as_posix() == "models":
        return iri.slug(path.stem)
    return "/".join(iri.slug(part) for part in path.with_suffix("").parts)


def file_record_url(rel: str, record: dict, lines: dict, feed: Feed, report: Report) -> str:
    """The file at the recorded commit, or for an API record its API URL."""
    if lines:
        return record_url(feed, rel, repo=REPO, folder="models", prefix="models/", report=report)
    model_id = (record.get("classification") or {}).get("id") if isinstance(record.get("classification"), dict) else None
    return f"https://mot.isitopen.ai/api/v1/model/{quote(str(model_id))}" if model_id is not None else feed.url


def model_files(feed: Feed, report: Report) -> list[tuple[Path, str]]:
    """The model files of the feed; every other file is skipped with its reason (settings are read separately)."""
    out = []
    for path, rel in walk(feed):
        if path.name == SETTINGS[0]:
            continue
        if "schema" in Path(rel).parts[:-1]:
            report.file_skipped(rel, "the format's definition (JSON Schema) or its sample entry, not a catalogue entry")
        elif path.suffix in (".yml", ".yaml", ".json"):
            out.append((path, rel))
        else:
            report.file_skipped(rel, f"not a model file ({path.suffix or 'no suffix'}; models are YAML or JSON)")
    return out
