"""Reading and checking the curated YAML files in ``data/curated`` (schema: ``data/curated/README.md``).

Every record is checked against its kind's keys; a bad record raises :class:`CuratedError` naming the file,
the record and the field, because curated data is ours and must be right, not skipped.

>>> sorted(KINDS)[:3]
['compute', 'datasets', 'families']
>>> KINDS["models"].required
('id', 'name', 'developers', 'sources')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from euaigraph.ontology import reference

from . import safe_yaml
from .emit import first_day, last_day

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class CuratedError(ValueError):
    """A curated record breaks the schema. The message names file, record and field."""


@dataclass(frozen=True)
class Kind:
    file: str
    keys: tuple[str, ...]
    required: tuple[str, ...]
    #: field -> kind of the records it refers to (lists allowed)
    refs: tuple[tuple[str, str], ...] = ()


KINDS: dict[str, Kind] = {
    "organisations": Kind(
        "organisations.yaml",
        ("id", "name", "type", "country", "members", "affiliated_with", "controlled_by", "identifiers", "note",
         "sources"),
        ("id", "name", "sources"),
        (("members", "organisations"), ("affiliated_with", "organisations"), ("controlled_by.org", "organisations")),
    ),
    "models": Kind(
        "models.yaml",
        ("id", "name", "hf_id", "family", "developers", "parameters", "released", "released_no_later_than",
         "licence", "licence_status", "base_models", "tokenizer_of", "languages", "datasets", "trained_at",
         "gpu_hours", "training_flop", "funded_by", "gated", "version_of", "supersedes", "note", "sources"),
        ("id", "name", "developers", "sources"),
        (("family", "families"), ("developers", "organisations"), ("tokenizer_of", "models"),
         ("base_models.model", "models"),
         ("datasets", "datasets"), ("trained_at", "compute"), ("funded_by", "projects"),
         ("version_of", "models"), ("supersedes", "models")),
    ),
    "families": Kind("families.yaml", ("id", "name", "developers", "note", "sources"), ("id", "name", "sources"),
                     (("developers", "organisations"),)),
    "datasets": Kind(
        "datasets.yaml", ("id", "name", "hf_id", "curated_by", "licence", "languages", "note", "sources"),
        ("id", "name", "sources"), (("curated_by", "organisations"),),
    ),
    "compute": Kind(
        "compute.yaml",
        ("id", "name", "kind", "country", "operator", "eurohpc", "accelerator_vendor", "accelerator",
         "ai_factory_wave", "supercomputer", "note", "sources"),
        ("id", "name", "kind", "sources"),
        (("operator", "organisations"), ("accelerator_vendor", "organisations"), ("supercomputer", "compute")),
    ),
    "programmes": Kind(
        "programmes.yaml", ("id", "name", "kind", "funder", "parent", "country", "note", "sources"),
        ("id", "name", "kind", "sources"), (("funder", "organisations"), ("parent", "programmes")),
    ),
    "projects": Kind(
        "projects.yaml",
        ("id", "name", "acronym", "grant", "programme", "start", "end", "total_cost", "ec_contribution",
         "coordinator", "participants", "note", "sources"),
        ("id", "name", "sources"),
        (("programme", "programmes"), ("coordinator", "organisations"), ("participants", "organisations")),
    ),
    "policy": Kind("policy.yaml", ("id", "name", "kind", "issuer", "adopted", "celex", "note", "sources"),
                   ("id", "name", "kind", "sources"), (("issuer", "organisations"),)),
    "software": Kind("software.yaml", ("id", "name", "maintainer", "licence", "repository", "note", "sources"),
                     ("id", "name", "sources"), (("maintainer", "organisations"),)),
    "signatories": Kind(
        "signatories.yaml", ("id", "chapters", "listed", "note", "sources"), ("id", "chapters", "sources"),
        (("id", "organisations"),),
    ),
    "licences": Kind(
        "licences.yaml",
        ("id", "name", "family", "url", "hf_identifier", "commercial_use", "field_of_use_restrictions", "naming_duty",
         "attribution_duty", "user_threshold", "openness_class", "aliases", "note", "sources"),
        ("id", "name", "openness_class", "sources"),
    ),
}

OPENNESS_CLASSES = tuple(c.code for c in reference.licence_classes())
#: What a model's ``licence_status`` may say when no licence can be given: the provider publishes none.
LICENCE_STATUSES = ("unpublished",)
#: Keys a source entry may have; ``secondary: true`` marks a page that is not the developer's, funder's or
#: operator's own (news, blogs, aggregators): facts resting only on such pages get a lower confidence.
SOURCE_KEYS = ("url", "accessed", "secondary", "note")
#: The keys of a value with its own citation (the claim form of a field).
CLAIM_KEYS = ("value", *SOURCE_KEYS)
ORGANISATION_TYPES = ("company", "university", "research-organisation", "public-body", "consortium", "non-profit",
                      "foundation", "person")


def curated_dir() -> Path:
    """The folder holding the curated files (inside the installed package)."""
    return Path(str(files("euaigraph.curated")))


def load_yaml(path: Path) -> Any:
    try:
        return safe_yaml.load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CuratedError(f"{path.name}: not valid YAML: {exc}") from exc


@cache
def records(kind: str) -> tuple[dict[str, Any], ...]:
    """The records of one kind, checked for keys and duplicate ids (not references: see :mod:`euaigraph.ingest.curated_links`)."""
    spec = KINDS[kind]
    path = curated_dir() / spec.file
    if not path.exists():
        return ()
    data = load_yaml(path) or {}
    items = data.get("records") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise CuratedError(f"{spec.file}: expected a mapping with a 'records' list")
    seen: set[str] = set()
    for n, record in enumerate(items):
        where = check_record(kind, record, n)
        if record["id"] in seen:
            raise CuratedError(f"{where}: duplicate id")
        seen.add(record["id"])
    return tuple(items)


def check_record(kind: str, record: Any, n: int) -> str:
    """Check one record of ``kind`` (the ``n``-th, from 0) for its keys, sources and enumerated statuses.

    Returns where the record is (file and id, for messages); raises :class:`CuratedError` naming that place.

    >>> check_record("models", {"id": "a/b", "name": "B", "developers": ["a"]}, 0)
    Traceback (most recent call last):
    ...
    euaigraph.ingest.curated.CuratedError: models.yaml record 'a/b': missing sources
    """
    spec = KINDS[kind]
    if not isinstance(record, dict):
        raise CuratedError(f"{spec.file} record {n + 1}: a record must be a mapping")
    where = f"{spec.file} record {record.get('id', n + 1)!r}"
    missing = [k for k in spec.required if k not in record]
    unknown = [k for k in record if k not in spec.keys]
    if missing:
        raise CuratedError(f"{where}: missing {', '.join(missing)}")
    if unknown:
        raise CuratedError(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(spec.keys)})")
    check_sources(where, record["sources"])
    for field, value in record.items():
        if field not in ("sources", "controlled_by"):
            check_claims(where, field, value)
    for status in [v for v, _ in claims(record["licence_status"])] if "licence_status" in record else []:
        if status not in LICENCE_STATUSES:
            raise CuratedError(f"{where}: licence_status {status!r} is not one of {', '.join(LICENCE_STATUSES)}")
    if kind == "models":
        check_release_bound(where, record)
    for control in record.get("controlled_by") or []:
        if not isinstance(control, dict) or not control.get("org"):
            raise CuratedError(f"{where}: each controlled_by entry needs an org, got {control!r}")
        check_sources(f"{where} controlled_by {control['org']!r}",
                      [{k: control[k] for k in ("url", "accessed", "secondary") if k in control}])
    return where


def ids(kind: str) -> frozenset[str]:
    return frozenset(r["id"] for r in records(kind))


def check_sources(where: str, sources: Any) -> None:
    if not isinstance(sources, list) or not sources:
        raise CuratedError(f"{where}: 'sources' must be a non-empty list of {{url, accessed}}")
    for source in sources:
        if not isinstance(source, dict) or "url" not in source or "accessed" not in source:
            raise CuratedError(f"{where}: each source needs url and accessed, got {source!r}")
        unknown = [k for k in source if k not in SOURCE_KEYS]
        if unknown:
            raise CuratedError(f"{where}: unknown source key(s) {', '.join(unknown)} (allowed: {', '.join(SOURCE_KEYS)})")
        if not isinstance(source.get("secondary", False), bool):
            raise CuratedError(f"{where}: 'secondary' must be true or false, got {source['secondary']!r}")
        check_url(where, source["url"])
        check_date(where, "accessed", source["accessed"])


def shown(value: Any, limit: int = 80) -> str:
    """A value as a message may quote it: its repr, cut to ``limit`` characters.

    >>> shown("x" * 200).endswith("x… (202 ch)"), shown("short")
    (True, "'short'")
    """
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} ch)"


def is_claim(item: Any) -> bool:
    """Whether one item of a field is in claim form (a value with its own citation)."""
    return isinstance(item, dict) and "value" in item


def check_claims(where: str, field: str, value: Any) -> None:
    """A field in claim form (a list of ``{value, url, accessed}``) gets the checks of ``sources`` for each claim's
    citation; a list mixing claims and plain values, or an empty claim list, is refused.

    >>> check_claims("m", "released", [{"value": "2024", "url": "ftp://x", "accessed": "2026-12-08"}])
    Traceback (most recent call last):
    ...
    euaigraph.ingest.curated.CuratedError: m released claim 1: not a well-formed http(s) URL: 'ftp://x'
    """
    if not isinstance(value, list) or not any(map(is_claim, value)):
        return
    if not all(map(is_claim, value)):
        raise CuratedError(f"{where}: {field} mixes cited claims ({{value, url, accessed}}) with plain values")
    for n, claim in enumerate(value, start=1):
        at = f"{where} {field} claim {n}"
        unknown = [k for k in claim if k not in CLAIM_KEYS]
        if unknown:
            raise CuratedError(f"{at}: unknown key(s) {', '.join(map(str, unknown))} (allowed: {', '.join(CLAIM_KEYS)})")
        check_sources(at, [{k: v for k, v in claim.items() if k != "value"}])


def secondary_only(sources: list[dict[str, Any]]) -> bool:
    """Whether every page cited is secondary (news, blog, aggregator): the facts then carry a lower confidence.

    >>> secondary_only([{"url": "https://news.example", "accessed": "2026-12-07", "secondary": True}])
    True
    >>> secondary_only([{"url": "https://news.example", "secondary": True}, {"url": "https://dev.example"}])
    False
    """
    return bool(sources) and all(source.get("secondary") is True for source in sources)


def confidence(sources: list[dict[str, Any]]) -> str:
    """The confidence of facts resting on these sources: ``low`` when every one is secondary, else ``high``.

    >>> confidence([{"url": "https://huggingface.co/x", "accessed": "2026-12-07"}])
    'high'
    """
    return "low" if secondary_only(sources) else "high"


def check_url(where: str, url: Any) -> str:
    parsed = urlparse(str(url))
    if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c in str(url) for c in ' <>"{}|^`\\'):
        raise CuratedError(f"{where}: not a well-formed http(s) URL: {shown(url)}")
    return str(url)


def check_date(where: str, field: str, value: Any) -> str:
    """Dates are YYYY, YYYY-MM or YYYY-MM-DD (YAML may already have parsed them into a date)."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    if not _DATE.match(text):
        raise CuratedError(f"{where}: {field} is not a date (YYYY, YYYY-MM or YYYY-MM-DD): {shown(value)}")
    parts = [int(p) for p in text.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise CuratedError(f"{where}: {field} is not a real date: {shown(value)}") from exc
    return text


def check_release_bound(where: str, record: Mapping[str, Any]) -> None:
    """A release bound (``released_no_later_than``) is a cited claim, not after the day its page was read, and a
    model cannot be released after a dated page already shows it public.

    >>> seen = {"url": "https://seen.example", "accessed": "2026-12-08"}
    >>> check_release_bound("m", {"released": "2024-06", "released_no_later_than": [{"value": "2024-06-03", **seen}]})
    >>> check_release_bound("m", {"released": "2024-07", "released_no_later_than": [{"value": "2024-06-30", **seen}]})
    Traceback (most recent call last):
    ...
    euaigraph.ingest.curated.CuratedError: m: released 2024-07 is after released_no_later_than 2024-06-30
    >>> check_release_bound("m", {"released_no_later_than": "2024-06-30"})
    Traceback (most recent call last):
    ...
    euaigraph.ingest.curated.CuratedError: m: released_no_later_than must be cited claims ({value, url, accessed})
    """
    if "released_no_later_than" not in record:
        return
    bounds = claims(record["released_no_later_than"])
    if not bounds or any(cites is None for _, cites in bounds):
        raise CuratedError(f"{where}: released_no_later_than must be cited claims ({{value, url, accessed}})")
    released = [check_date(where, "released", v) for v, _ in claims(record["released"])] if "released" in record else []
    for value, cites in bounds:
        bound = check_date(where, "released_no_later_than", value)
        seen = check_date(where, "accessed", cites[0]["accessed"])
        if first_day(bound) > seen:
            raise CuratedError(f"{where}: released_no_later_than {bound} is after the day its page was read ({seen})")
        for day in released:
            if first_day(day) > last_day(bound):
                raise CuratedError(f"{where}: released {day} is after released_no_later_than {bound}")


def claims(value: Any) -> list[tuple[Any, list[dict[str, Any]] | None]]:
    """A field's values with their own citations: a plain value (or list) has none; the claim-list form has one each.

    >>> claims(7e9)
    [(7000000000.0, None)]
    >>> claims([{"value": 7e9, "url": "https://a.example", "accessed": "2026-11-27"}])[0][1][0]["url"]
    'https://a.example'
    """
    if isinstance(value, list) and value and all(map(is_claim, value)):
        return [(v["value"], [{k: v[k] for k in ("url", "accessed", "secondary") if k in v}]) for v in value]
    if isinstance(value, list):
        return [(v, None) for v in value]
    return [(value, None)]
