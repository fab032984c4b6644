"""Reading CORDIS project records: the project XML of the monthly dump, and the CSV/JSON bulk dumps.

Every reader yields :class:`Project` records with the same fields, so one emitter (``sources/cordis.py``) turns any
of them into triples. A record keeps where it came from (``file:line``, or ``file[n]`` for JSON rows). A bulk dump's
rows of programmes, topics and fields stay listed with their project (``Project.rows``), and rows naming a project
the dump's project file does not list are returned as orphans, so the ledger accounts for every row. A CSV part
cut short is refused (see :mod:`euaigraph.ingest.csv_table`).

The bulk dumps (``cordis-HORIZONprojects-csv.zip`` / ``-json.zip``) are a set of files in one folder:
``project``, ``organization``, ``legalBasis``, ``topics`` and ``euroSciVoc`` (``.csv`` with ``;`` separators, or
``.json`` arrays of objects with the same keys). They carry no programme parent chain; it is derived from the
dotted programme codes (``HORIZON.2.4.6`` sits under ``HORIZON.2.4``), which is how the XML chain is built too.

>>> programme_parents("HORIZON.2.4.6")
('HORIZON.2.4', 'HORIZON.2', 'HORIZON')
>>> amount("1998946,89"), amount("4074791"), amount(""), amount("n/a")
('1998946.89', '4074791.0', None, None)
"""

from __future__ import annotations

import re
import zipfile
import zlib
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .csv_table import read_table
from .safe_parse import DEFAULT_MAX_BYTES, MalformedInput, UnsafeInput, parse_json, parse_xml

SOURCE_ID = "cordis"
BULK_PARTS = ("project", "organization", "legalBasis", "topics", "euroSciVoc")
_AMOUNT = re.compile(r"^-?\d+([.,]\d+)?$")


@dataclass
class Participant:
    where: str
    pic: str | None = None
    legal_name: str | None = None
    short_name: str | None = None
    vat: str | None = None
    country: str | None = None
    role: str | None = None
    sme: bool | None = None
    activity: str | None = None
    ec_contribution: str | None = None
    net_ec_contribution: str | None = None
    total_cost: str | None = None
    terminated: bool | None = None


@dataclass(frozen=True)
class Programme:
    code: str
    title: str | None = None
    #: Codes of the broader programmes, nearest first.
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    """A euroSciVoc field or a policy-priority marker: code, title, readable path, weight."""

    code: str
    title: str | None = None
    path: str | None = None
    weight: int | None = None


@dataclass
class Project:
    where: str
    grant: str | None = None
    acronym: str | None = None
    title: str | None = None
    start: str | None = None
    end: str | None = None
    total_cost: str | None = None
    ec_contribution: str | None = None
    status: str | None = None
    doi: str | None = None
    updated: str | None = None
    programmes: list[Programme] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    funding_schemes: list[str] = field(default_factory=list)
    fields: list[Category] = field(default_factory=list)
    priorities: list[Category] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    #: (locator, part) of the bulk dump rows (programmes, topics, fields) joined into this project
    rows: list[tuple[str, str]] = field(default_factory=list)


def amount(text: Any) -> str | None:
    """A decimal amount in the canonical xsd:decimal form (the CSV dumps use a decimal comma)."""
    value = str(text).strip() if text is not None else ""
    if not _AMOUNT.match(value):
        return None
    value = value.replace(",", ".")
    return value if "." in value else f"{value}.0"


def flag(text: Any) -> bool | None:
    value = str(text).strip().lower() if text is not None else ""
    return {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}.get(value)


def programme_parents(code: str) -> tuple[str, ...]:
    parts = code.split(".")
    return tuple(".".join(parts[:n]) for n in range(len(parts) - 1, 0, -1))


def _text(element: ET.Element | None, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    value = (found.text or "").strip() if found is not None else ""
    return value or None


def _strip_slash(code: str | None) -> str | None:
    return code.lstrip("/") or None if code else None


# -- XML --------------------------------------------------------------------------------------------------------
def read_xml(path: Path, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Project:
    """One ``<project>`` file of the CORDIS XML dump. Raises FeedError subclasses for unreadable files."""
    document = parse_xml(SOURCE_ID, path, name=name, max_bytes=max_bytes)
    root = document.root
    if root.tag != "project":  # another XML file: say what was expected, read nothing of it
        raise MalformedInput(SOURCE_ID, f"{name}:{document.line(root) or 1}",
                             f"not a CORDIS project file: the root element is <{root.tag[:80]}>, expected <project>")

    def where(element: ET.Element) -> str:
        line = document.line(element)
        return f"{name}:{line}" if line else name

    project = Project(
        where=where(root), grant=_text(root, "id"), acronym=_text(root, "acronym"), title=_text(root, "title"),
        start=_text(root, "startDate"), end=_text(root, "endDate"), total_cost=amount(_text(root, "totalCost")),
        ec_contribution=amount(_text(root, "ecMaxContribution")), status=_text(root, "status"),
        doi=_text(root, "identifiers/grantDoi"), updated=(_text(root, "lastUpdateDate") or "")[:10] or None,
    )
    for element in root.findall("relations/associations/organization"):
        project.participants.append(_xml_participant(element, where(element)))
    for element in root.findall("relations/associations/programme"):
        kind, code = element.get("type"), _text(element, "code")
        if not code:
            continue
        if kind == "relatedLegalBasis":
            project.programmes.append(Programme(code, _text(element, "title"), _xml_parents(element)))
        elif kind == "relatedTopic":
            project.topics.append(code)
    for element in root.findall("relations/categories/category"):
        _xml_category(project, element)
    return project


def _xml_parents(element: ET.Element) -> tuple[str, ...]:
    """The codes of ``parent/programme`` elements, each nested in the one before, nearest first."""
    codes: list[str] = []
    parent = element.find("parent/programme")
    while parent is not None and len(codes) < 20:
        if _text(parent, "code"):
            codes.append(_text(parent, "code") or "")
        parent = parent.find("parent/programme")
    return tuple(codes)


def _xml_participant(element: ET.Element, where: str) -> Participant:
    return Participant(
        where=where, pic=_text(element, "id"), legal_name=_text(element, "legalName"),
        short_name=_text(element, "shortName"), vat=_text(element, "vatNumber"),
        country=_text(element, "address/country"), role=element.get("type"), sme=flag(element.get("sme")),
        activity=_strip_slash(_text(element, "relations/categories/category[@classification="
                                              "'organizationActivityType']/code")),
        ec_contribution=amount(element.get("ecContribution")),
        net_ec_contribution=amount(element.get("netEcContribution")), total_cost=amount(element.get("totalCost")),
        terminated=flag(element.get("terminated")),
    )


def _xml_category(project: Project, element: ET.Element) -> None:
    classification, code = element.get("classification"), _text(element, "code")
    if not code:
        return
    if classification == "euroSciVoc":
        project.fields.append(Category(code, _text(element, "title"), _text(element, "displayCode")))
    elif classification == "policyPriorities":
        weight = element.get("weight")
        project.priorities.append(Category(code, _text(element, "title"), None,
                                           int(weight) if weight and weight.isdigit() else None))
    elif classification == "projectFundingSchemeCategory":
        project.funding_schemes.append(code.lstrip("/"))


# -- bulk CSV / JSON ---------------------------------------------------------------------------------------------
def bulk_parts(folder: Path) -> dict[str, Path]:
    """The bulk files of a folder by part name (``project`` -> ``project.csv``), CSV or JSON."""
    found: dict[str, Path] = {}
    for part in BULK_PARTS:
        for suffix in (".json", ".csv"):
            candidate = folder / f"{part}{suffix}"
            if candidate.is_file():
                found[part] = candidate
    return found


def _rows(path: Path, name: str, max_bytes: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """(locator, row) for every row of a bulk CSV (``;``-separated) or JSON (array of objects) file."""
    if path.suffix == ".json":
        data = parse_json(SOURCE_ID, path, name=name, max_bytes=max_bytes)
        rows = data if isinstance(data, list) else next((v for v in data.values() if isinstance(v, list)), [])
        for n, row in enumerate(rows):
            if isinstance(row, dict):
                yield f"{name}[{n}]", row
        return
    table = read_table(SOURCE_ID, path, name, delimiter=";", max_bytes=max_bytes)
    for line, row in table.rows:
        yield f"{name}:{line}", dict(zip(table.header, row))


def read_bulk(folder: Path, base: Path, *, prefix: str = "", max_bytes: int = DEFAULT_MAX_BYTES,
              orphans: list[tuple[str, str, str]] | None = None) -> Iterator[Project]:
    """The projects of one bulk dump folder, joined with their organisations, programmes, topics and fields.
    Rows naming no project of the project file are appended to ``orphans`` as (locator, part, project id)."""
    parts = bulk_parts(folder)

    def name(path: Path) -> str:
        return prefix + str(path.relative_to(base))

    by_project: dict[str, dict[str, list[tuple[str, dict[str, Any]]]]] = defaultdict(lambda: defaultdict(list))
    for part, path in parts.items():
        if part == "project":
            continue
        for where, row in _rows(path, name(path), max_bytes):
            by_project[str(row.get("projectID") or "").strip()][part].append((where, row))
    listed = set()
    for where, row in _rows(parts["project"], name(parts["project"]), max_bytes):
        grant = str(row.get("id") or "").strip() or None
        listed.add(grant or "")
        yield _bulk_project(where, grant, row, by_project.get(grant or "", {}) if grant else {})
    for grant, related in by_project.items():
        if (grant not in listed or not grant) and orphans is not None:
            orphans.extend((where, part, grant) for part, rows in related.items() for where, _row in rows)


def _bulk_project(where: str, grant: str | None, row: dict[str, Any], related: dict[str, list]) -> Project:
    def get(key: str) -> str | None:
        value = row.get(key)
        return str(value).strip() or None if value is not None else None

    project = Project(
        where=where, grant=grant, acronym=get("acronym"), title=get("title"), start=get("startDate"),
        end=get("endDate"), total_cost=amount(get("totalCost")), ec_contribution=amount(get("ecMaxContribution")),
        status=get("status"), doi=get("grantDoi"), updated=(get("contentUpdateDate") or "")[:10] or None,
        funding_schemes=[get("fundingScheme")] if get("fundingScheme") else [],
    )
    project.rows = [(where, part) for part in ("legalBasis", "topics", "euroSciVoc")
                    for where, _row in related.get(part, [])]
    titles = {str(r.get("legalBasis") or "").strip(): r.get("title") for _w, r in related.get("legalBasis", [])}
    codes = list(titles) or [c.strip() for c in str(get("legalBasis") or "").split(";")]
    project.programmes = [Programme(code, titles.get(code), programme_parents(code)) for code in codes if code]
    topics = [str(r.get("topic") or "").strip() for _w, r in related.get("topics", [])]
    project.topics = [t for t in topics or str(get("topics") or "").split(";") if t.strip()]
    for _w, r in related.get("euroSciVoc", []):
        if r.get("euroSciVocCode"):
            project.fields.append(Category(str(r["euroSciVocCode"]).strip(), r.get("euroSciVocTitle"),
                                           r.get("euroSciVocPath")))
    for org_where, r in related.get("organization", []):
        project.participants.append(Participant(
            where=org_where, pic=str(r.get("organisationID") or "").strip() or None, legal_name=r.get("name"),
            short_name=r.get("shortName") or None, vat=r.get("vatNumber") or None, country=r.get("country") or None,
            role=r.get("role") or None, sme=flag(r.get("SME")), activity=_strip_slash(r.get("activityType")),
            ec_contribution=amount(r.get("ecContribution")), net_ec_contribution=amount(r.get("netEcContribution")),
            total_cost=amount(r.get("totalCost")), terminated=flag(r.get("endOfParticipation")),
        ))
    return project


#: How deep archives may nest inside a dump archive (real dumps nest none).
MAX_NESTING = 3


@dataclass
class _Budget:
    """What all the archives of one dump may still write, nested archives included: one budget, not one each."""

    total_bytes: int
    total_members: int
    bytes_left: int = 0
    members_left: int = 0

    def __post_init__(self) -> None:
        self.bytes_left, self.members_left = self.total_bytes, self.total_members


def unzip(path: Path, name: str, target: Path, *, max_members: int = 200_000,
          max_bytes: int = 4 * DEFAULT_MAX_BYTES, _budget: _Budget | None = None, _depth: int = 0) -> None:
    """Extract a dump archive (``cordis-HORIZONprojects-xml.zip``) into ``target``, refusing paths that escape it.

    Archives inside it are extracted too, each into a folder named after it with a ``!`` (``inner.zip!/``, so
    records are located as ``outer.zip!/inner.zip!/file.xml``), and removed: all of them share one budget of
    ``max_bytes`` written and ``max_members`` members, counted while extracting (declared sizes can lie), and they
    may nest :data:`MAX_NESTING` deep. Raises UnsafeInput past a limit, MalformedInput for an unreadable archive.
    """
    budget = _budget or _Budget(max_bytes, max_members)
    nested: list[tuple[Path, str]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            budget.members_left -= len(members)
            if budget.members_left < 0:
                raise UnsafeInput(SOURCE_ID, name, f"archives hold more than {budget.total_members} members in all")
            for member in members:
                relative = PurePosixPath(member.filename)
                if relative.is_absolute() or ".." in relative.parts:
                    raise UnsafeInput(SOURCE_ID, name, f"archive member {member.filename!r} escapes the archive")
                destination = target.joinpath(*relative.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, destination.open("wb") as out:
                    while block := source.read(1 << 20):
                        budget.bytes_left -= len(block)
                        if budget.bytes_left < 0:
                            raise UnsafeInput(SOURCE_ID, name, f"archives expand past {budget.total_bytes} bytes "
                                                               "in all (nested archives included)")
                        out.write(block)
                if relative.suffix.lower() == ".zip":
                    nested.append((destination, f"{name}!/{member.filename}"))
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise MalformedInput(SOURCE_ID, name, f"not a readable zip archive: {exc}") from None
    for inner, inner_name in nested:
        if _depth >= MAX_NESTING:
            raise UnsafeInput(SOURCE_ID, inner_name, f"archives nested more than {MAX_NESTING} deep are refused")
        unzip(inner, inner_name, inner.with_name(inner.name + "!"), _budget=budget, _depth=_depth + 1)
        inner.unlink()
