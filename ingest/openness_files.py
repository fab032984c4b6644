"""The files of an openness index feed: which are assessments, which define the dimensions, which are skipped
and why, and the public URL each record cites.

Every file under the feed (sub-folders too: older snapshots of the index sit in folders of their own) is either
read or skipped with a reason in the run's ledger. A YAML file is an assessment when it has a head block
(``system``/``project``) or a graded block (a mapping with ``class``); a file that is neither is skipped, saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from . import safe_yaml
from .base import Feed, Report, walk
from .openness import load_with_lines, yaml_problem
from .openness_generations import Generation

YAML_SUFFIXES = (".yaml", ".yml")
#: Files an index repository holds beside its assessments, and why they are not read as records.
KNOWN_OTHERS = {"zenodo.json": "Zenodo deposit metadata (creators, licence, field list), not an assessment",
                ".zenodo.json": "Zenodo deposit metadata (creators, licence, field list), not an assessment"}


@dataclass
class Loaded:
    """One YAML file of the feed, parsed, with the line of every key."""

    path: Path
    rel: str
    data: Any
    lines: dict[tuple[Any, ...], int]
    text: str


def load(path: Path, rel: str, report: Report) -> Loaded | None:
    """Parse one YAML file; an unreadable one is a record read and rejected with its line."""
    try:
        text = path.read_text(encoding="utf-8")
        data, lines = load_with_lines(text)
    except UnicodeDecodeError as exc:
        report.read()
        report.reject(f"{rel}:1", f"not UTF-8 text: {exc.reason}")
        return None
    except yaml.YAMLError as exc:
        line, problem = yaml_problem(exc)
        report.read()
        report.reject(f"{rel}:{line}", f"not valid YAML: {problem}")
        return None
    return Loaded(path, rel, data, lines, text)


def is_assessment(data: Any) -> bool:
    """A mapping with a head block or a graded block."""
    return isinstance(data, dict) and (isinstance(data.get("system"), dict) or isinstance(data.get("project"), dict)
                                       or any(isinstance(v, dict) and "class" in v for v in data.values()))


def split_feed(feed: Feed, report: Report, *, derived: bool = False) -> tuple[list[tuple[Path, str]],
                                                                               list[tuple[Path, str]]]:
    """(YAML files, derived CSV tables) to read; every other file is skipped with its reason. Dimension tables
    (``_parameters*.yml``) are read where they are used, by :func:`dimension_table`."""
    yamls, tables = [], []
    for path, rel in walk(feed):
        name = path.name
        if name.startswith("_parameters") and path.suffix in YAML_SUFFIXES:
            continue  # read by dimension_table, which records it
        if path.suffix in YAML_SUFFIXES:
            yamls.append((path, rel))
        elif derived and path.suffix == ".csv":
            tables.append((path, rel))
        elif name in KNOWN_OTHERS:
            report.file_skipped(rel, KNOWN_OTHERS[name])
        else:
            report.file_skipped(rel, f"not an assessment file ({path.suffix or 'no suffix'}; assessments are YAML)")
    return yamls, tables


def dimension_table(generation: Generation, folder: Path, feed: Feed, report: Report,
                    cache: dict[tuple[str, Path], tuple[dict[str, list], list[str] | None]]
                    ) -> tuple[dict[str, list], list[str] | None]:
    """key -> [label, group, definition] for the files of one folder: the generation's built-in table, overridden
    by the ``_parameters.yml`` (and ``_parameters-descriptions.yml``) of that folder or the nearest one above it
    within the feed (current generation only: older snapshots carry their own table or none). Also the order of
    the dimensions the table file lists, or None when there is none."""
    if (generation.key, folder) in cache:
        return cache[(generation.key, folder)]
    dims = {key: [label, group, None] for key, (label, group) in generation.dimensions.items()}
    order: list[str] | None = None
    here = folder
    while generation.key == "2025":
        params = here / "_parameters.yml"
        if params.is_file():
            order = _read_parameters(params, here / "_parameters-descriptions.yml", dims, feed, report)
            break
        if here == feed.root or here.parent == here or feed.root not in here.parents:
            break
        here = here.parent
    cache[(generation.key, folder)] = (dims, order)
    return dims, order


def _read_parameters(params: Path, texts: Path, dims: dict[str, list], feed: Feed, report: Report) -> list[str] | None:
    rel = params.relative_to(feed.root).as_posix()
    order: list[str] = []
    try:
        for group in safe_yaml.load(params.read_text(encoding="utf-8")) or []:
            for item in group.get("params") or []:
                dims[str(item["ref"])] = [str(item.get("name") or item["ref"]).strip(), group.get("name"), None]
                order.append(str(item["ref"]))
        if texts.is_file():
            for key, text in (safe_yaml.load(texts.read_text(encoding="utf-8")) or {}).items():
                if key in dims and isinstance(text, dict) and text.get("en"):
                    dims[key][2] = str(text["en"]).strip()
    except (yaml.YAMLError, AttributeError, KeyError, TypeError) as exc:
        report.file_skipped(rel, f"not a readable dimension table: {exc}")
        report.note(f"{rel} not used: {exc}")
        return None
    if rel not in {f.path for f in report.files}:
        report.file_read(rel)
        if texts.is_file():
            report.file_read(texts.relative_to(feed.root).as_posix())
    return order


def account_tables(feed: Feed, report: Report) -> None:
    """Dimension tables no assessment used are skipped, saying so (every file ends read or skipped)."""
    seen = {f.path for f in report.files}
    for path, rel in walk(feed):
        if path.name.startswith("_parameters") and path.suffix in YAML_SUFFIXES and rel not in seen:
            report.file_skipped(rel, "a dimension table no assessment file of this generation uses")


def feed_commit(feed: Feed) -> str | None:
    """The commit the feed was recorded at (its recording's manifest, or a live download's version), or None."""
    if feed.origins is not None and feed.origins.files:
        return feed.origins.files[0][1].commit
    version = feed.version or ""
    return version[4:] if version.startswith("git:") and "@" not in version else None


def record_url(feed: Feed, rel: str, *, repo: str, folder: str, prefix: str, report: Report) -> str:
    """The public URL of one file: at its recorded commit (the recordings' manifest, or the commit of a live
    download), else at the repository's default branch, which the run notes."""
    public = feed.public_url(rel)
    if public:
        return public
    commit = feed_commit(feed)
    if commit is None:
        report.note("no recorded commit for some files (no MANIFEST.csv entry, not a live download): their records "
                    "link the repository's default branch, which moves")
    path = rel[len(folder) + 1:] if rel.startswith(folder + "/") else rel
    return f"https://github.com/{repo}/blob/{commit or 'HEAD'}/{prefix}{quote(path)}"
