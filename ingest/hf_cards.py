"""Reading Hugging Face model cards and Hub API responses into :class:`Facts`, one per repository described.

Used by :mod:`euaigraph.ingest.sources.huggingface`, which turns the facts into triples. Bad input is a
:class:`~euaigraph.ingest.base.Rejection` with its file and line (front matter that is not YAML, a manifest without
``parent_id``, JSON that does not parse), collected in ``problems``; it costs only that file, and the source decides
whether the record it belongs to is rejected (nothing in it could be read) or kept with a note.

>>> facts = api_facts({"id": "a/b", "tags": ["base_model:finetune:c/d", "license:mit"], "gated": "auto"}, "b.json")
>>> facts.bases, facts.licences, facts.gated
([('finetune', 'c/d')], ['mit'], True)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .base import Rejection
from .identity import hf_repo_from_url, is_repo_id
from . import safe_yaml
from . import safe_json

HUB = "https://huggingface.co"
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*$", re.S | re.M)


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if v is not None and str(v).strip()]


@dataclass
class Facts:
    """What one card, manifest or API response says about one repository (``where`` is its file and line)."""

    repo: str
    where: str
    urls: list[str]
    author_name: str | None = None
    licences: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    bases: list[tuple[str | None, str]] = field(default_factory=list)
    gated: bool | None = None
    architecture: str | None = None
    parameters: float | None = None


def _card_licences(meta: dict[str, Any]) -> list[str]:
    """``license: other`` names the licence in ``license_name``."""
    licences = _listed(meta.get("license"))
    if meta.get("license_name") and (not licences or licences == ["other"]):
        return _listed(meta.get("license_name"))
    return licences


def _card_bases(meta: dict[str, Any], *, relation: str | None = None) -> list[tuple[str | None, str]]:
    relation = relation or (str(meta["base_model_relation"]) if meta.get("base_model_relation") else None)
    return [(relation, base) for base in _listed(meta.get("base_model"))]


def _tag_bases(tags: list[str]) -> list[tuple[str | None, str]]:
    """``base_model:<relation>:<id>`` and ``base_model:<id>``; a plain tag repeating a typed one is dropped.

    >>> _tag_bases(["base_model:a/b", "base_model:quantized:a/b", "base_model:c/d"])
    [('quantized', 'a/b'), (None, 'c/d')]
    """
    parts = [tag.split(":")[1:] for tag in tags if tag.startswith("base_model:")]
    typed = [(rel, base) for rel, base in (p for p in parts if len(p) == 2)]
    plain = [(None, p[0]) for p in parts if len(p) == 1 and p[0] not in {base for _rel, base in typed}]
    return typed + plain


def _tagged(tags: list[str], prefix: str) -> list[str]:
    return [t[len(prefix):] for t in tags if t.startswith(prefix) and t[len(prefix):]]


def api_facts(data: dict[str, Any], where: str) -> Facts:
    """The facts of a ``/api/models/<id>`` response."""
    repo = str(data.get("id") or data["modelId"])
    card = data.get("cardData") if isinstance(data.get("cardData"), dict) else {}
    tags = [str(t) for t in data.get("tags") or []]
    gated = data.get("gated")
    total = (data.get("safetensors") or {}).get("total") if isinstance(data.get("safetensors"), dict) else None
    architectures = (data.get("config") or {}).get("architectures") if isinstance(data.get("config"), dict) else None
    return Facts(
        repo=repo, where=where, urls=[f"{HUB}/{repo}", f"{HUB}/api/models/{repo}"],
        author_name=data.get("author") or None,
        licences=_card_licences(card) or _tagged(tags, "license:"),
        languages=list(dict.fromkeys(_listed(card.get("language")) + _tagged(tags, "language:"))),
        datasets=list(dict.fromkeys(_listed(card.get("datasets")) + _tagged(tags, "dataset:"))),
        bases=_merge_bases(_tag_bases(tags), _card_bases(card)),
        gated=None if gated is None else gated is not False,
        architecture=str(architectures[0]) if architectures else None,
        parameters=float(total) if isinstance(total, int | float) and total > 0 else None,
    )


def _merge_bases(tagged: list[tuple[str | None, str]], carded: list[tuple[str | None, str]]
                 ) -> list[tuple[str | None, str]]:
    """The Hub's tags first (they carry the relation); the card's ``base_model`` adds the bases they lack."""
    return tagged + [b for b in carded if b[1] not in {base for _rel, base in tagged}]


#: The files of a card folder that are read; any other file in it is not.
CARD_FILES = ("readme.md", "manifest.yaml", "config.json")


def folder_facts(folder: Path, rel: str, problems: list[Rejection]) -> list[Facts]:
    """The facts of a card folder: the README's model, and the quantisation repo its manifest points to."""
    readme = next((p for p in folder.iterdir() if p.name.lower() == "readme.md"), None)
    front = _front_matter(readme, f"{rel}/{readme.name}" if readme else rel, problems) if readme else None
    manifest = _manifest(folder / "manifest.yaml", f"{rel}/manifest.yaml", problems)
    named = folder.name.replace("__", "/", 1)
    own = named if "__" in folder.name and is_repo_id(named) else None
    parent = str(manifest["parent_id"]) if manifest and is_repo_id(manifest.get("parent_id") or "") else None
    quant = _artifact_repo(manifest, parent)
    facts: list[Facts] = []
    if front is not None:
        quantised_card = bool(front.get("quantized_by"))
        subject = (quant or own) if quantised_card else (parent or own)
        if subject is None:
            problems.append(Rejection(f"{rel}/{readme.name}", "cannot tell which repository the card describes: no "
                                      "manifest parent_id and the folder is not named <owner>__<name>"))
        else:
            facts.append(Facts(
                repo=subject, where=f"{rel}/{readme.name}:1", urls=[f"{HUB}/{subject}"],
                author_name=None if quantised_card else (str(front.get("model_creator") or "") or None),
                licences=_card_licences(front), languages=_listed(front.get("language")),
                datasets=_listed(front.get("datasets")),
                bases=_card_bases(front, relation="quantized" if quantised_card else None),
                gated=True if any(k.startswith("extra_gated") for k in front) else None))
    if manifest and parent:
        facts += _manifest_facts(manifest, parent, quant, f"{rel}/manifest.yaml:1")
    architecture = _architecture(folder / "config.json", f"{rel}/config.json", problems)
    target = own or parent
    if architecture and target:
        facts.append(Facts(repo=target, where=f"{rel}/config.json", urls=[f"{HUB}/{target}"],
                           architecture=architecture))
    return facts


def _manifest_facts(manifest: dict[str, Any], parent: str, quant: str | None, where: str) -> list[Facts]:
    """The manifest's licence and tags are the Hub metadata of the repository that holds its files: a separate
    repository of GGUF files is a quantisation of the parent."""
    tags = [str(t) for t in manifest.get("tags") or []]
    owner = Facts(repo=parent, where=where, urls=[f"{HUB}/{parent}"],
                  author_name=str(manifest.get("owned_by") or "") or None)
    bases = _tag_bases(tags) or ([(None, parent)] if quant else [])
    holder = Facts(repo=quant or parent, where=where, urls=[f"{HUB}/{quant or parent}"],
                   licences=_listed(manifest.get("licence")) or _tagged(tags, "license:"),
                   datasets=_tagged(tags, "dataset:"),
                   bases=[("quantized" if quant and base.lower() == parent.lower() and relation is None else relation,
                           base) for relation, base in bases])
    return [owner, holder]


def _front_matter(path: Path, where: str, problems: list[Rejection]) -> dict[str, Any] | None:
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.startswith("---"):
        return {}
    match = _FRONT.match(text)
    if not match:
        problems.append(Rejection(f"{where}:1", "front matter opened with '---' is never closed"))
        return None
    try:
        meta = safe_yaml.load(match.group(1))
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 2
        problems.append(Rejection(f"{where}:{max(line, 1)}",
                                  f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None
    if meta is not None and not isinstance(meta, dict):
        problems.append(Rejection(f"{where}:2", "front matter is not a mapping"))
        return None
    return meta or {}


def _manifest(path: Path, where: str, problems: list[Rejection]) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        data = safe_yaml.load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        problems.append(Rejection(f"{where}:{line}", f"not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None
    if not isinstance(data, dict) or not data.get("parent_id"):
        problems.append(Rejection(f"{where}:1", "manifest without parent_id (the repository it describes)"))
        return None
    return data


def _artifact_repo(manifest: dict[str, Any] | None, parent: str | None) -> str | None:
    """The repository holding the manifest's variant files, when it is not the parent itself."""
    variants = (manifest or {}).get("variants")
    for variant in variants.values() if isinstance(variants, dict) else []:
        artifacts = variant.get("artifacts") if isinstance(variant, dict) else None
        for artifact in artifacts if isinstance(artifacts, list) else []:
            found = hf_repo_from_url(artifact.get("uri", "")) if isinstance(artifact, dict) else None
            if found and found[0] == "model" and found[1].lower() != (parent or "").lower():
                return found[1]
    return None


def _architecture(path: Path, where: str, problems: list[Rejection]) -> str | None:
    if not path.exists():
        return None
    data = read_json(path, where, problems)
    names = data.get("architectures") if isinstance(data, dict) else None
    return str(names[0]) if isinstance(names, list) and names else None


def read_json(path: Path, where: str, problems: list[Rejection]) -> Any:
    try:
        return safe_json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        problems.append(Rejection(f"{where}:{getattr(exc, 'lineno', 1)}", f"not valid JSON: {exc}"))
        return None
