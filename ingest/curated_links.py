"""The links between curated records, checked whenever a curated source is read, so that a typo in one id cannot
quietly move a model in or out of a bloc: every reference names a record of its target kind, and an affiliation
(``affiliated_with``) stands for a seat the developer lacks (decisions/0010-european-rule.md).

A source reads one file; the records of the other kinds are those of the files beside it (the curated folder is
one unit). When a target kind's file is not beside it, references to that kind cannot be checked and the reader
says so in its ledger.

>>> orgs = {"uni": {"id": "uni", "country": "BEL"}, "crew": {"id": "crew"}}
>>> check_affiliations({"id": "ann", "type": "person", "affiliated_with": ["uni"]}, orgs)
>>> check_affiliations({"id": "bob", "affiliated_with": ["crew"]}, orgs)
Traceback (most recent call last):
...
euaigraph.ingest.curated.CuratedError: organisations.yaml record 'bob': affiliated with 'crew', which has no seat of its own (an affiliation gives the seat of an organisation that has one)
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from .curated import KINDS, CuratedError, claims, ids, load_yaml, records

#: kind -> the ids of its records, or None when that kind's records are not at hand (its references unchecked)
Known = Mapping[str, frozenset[str] | None]


def field_values(record: Mapping[str, Any], field: str) -> list[Any]:
    """Values of ``field``, or of ``outer.inner`` for a list of mappings."""
    outer, _, inner = field.partition(".")
    if outer not in record:
        return []
    if inner:
        return [item.get(inner) for item in record[outer] or [] if isinstance(item, dict)]
    return [value for value, _ in claims(record[outer])]


def check_links(kind: str, record: Mapping[str, Any], known: Known) -> None:
    """Every reference of one record names a record of its target kind; raises :class:`CuratedError` naming the
    record, the field and the value."""
    spec = KINDS[kind]
    where = f"{spec.file} record {record['id']!r}"
    for field, target in spec.refs:
        for value in field_values(record, field):
            if not isinstance(value, str) or not value.strip():
                raise CuratedError(f"{where}: {field} {value!r} names no record of {KINDS[target].file}")
            targets = known.get(target)
            if targets is not None and value not in targets:
                raise CuratedError(f"{where}: {field} {value!r} names no record of {KINDS[target].file}")


def check_affiliations(record: Mapping[str, Any], organisations: Mapping[str, Mapping[str, Any]]) -> None:
    """An organisation's affiliations stand for the seat it lacks: no country of its own beside them, not itself,
    each to an organisation with a country (one step: decisions/0010-european-rule.md); a person never records a
    country. Raises :class:`CuratedError`."""
    where = f"{KINDS['organisations'].file} record {record['id']!r}"
    if record.get("type") == "person" and record.get("country"):
        raise CuratedError(f"{where}: a person records no country (only the organisations it acts for, "
                           "as affiliated_with)")
    affiliations = field_values(record, "affiliated_with")
    if affiliations and record.get("country"):
        raise CuratedError(f"{where}: has a country of its own and affiliated_with; an affiliation stands only for "
                           "a seat the developer lacks")
    for org in affiliations:
        if org == record["id"]:
            raise CuratedError(f"{where}: affiliated with itself")
        if org in organisations and not organisations[org].get("country"):
            raise CuratedError(f"{where}: affiliated with {org!r}, which has no seat of its own (an affiliation "
                               "gives the seat of an organisation that has one)")


@lru_cache(maxsize=64)
def _ids_in(path: Path, size: int, mtime_ns: int) -> frozenset[str]:
    data = load_yaml(path) or {}
    items = data.get("records") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise CuratedError(f"{path.name}: expected a mapping with a 'records' list")
    return frozenset(str(r["id"]) for r in items if isinstance(r, dict) and "id" in r)


def ids_beside(folder: Path, kind: str) -> tuple[frozenset[str] | None, str | None]:
    """The ids of the ``kind`` records in ``folder``'s file of that kind, or (None, why not)."""
    path = folder / KINDS[kind].file
    if not path.is_file():
        return None, f"no {path.name} beside it"
    try:
        stat = path.stat()
        return _ids_in(path, stat.st_size, stat.st_mtime_ns), None
    except (CuratedError, OSError, UnicodeDecodeError) as exc:
        return None, f"{path.name} beside it cannot be read ({exc})"


def check_refs() -> list[str]:
    """Every reference from one shipped curated record to another that does not resolve, as messages."""
    known = {kind: ids(kind) for kind in KINDS}
    organisations = {r["id"]: r for r in records("organisations")}
    problems = []
    for kind in KINDS:
        for record in records(kind):
            try:
                check_links(kind, record, known)
                if kind == "organisations":
                    check_affiliations(record, organisations)
            except CuratedError as exc:
                problems.append(str(exc))
    return problems
