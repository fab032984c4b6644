"""The SPDX licence list (``licenses.json``, ``exceptions.json``) and the Model Openness Framework's licence list.

``spdx`` reads the list as SPDX publishes it: every licence on its SPDX IRI (the same IRI the ``licences`` reference
source uses) with name, OSI approval, deprecation, the FSF-libre flag where the list states one (an absent
``isFsfLibre`` is "not stated", never false), its text page and see-also links; exceptions as
``eai:LicenceException``. Openness classes stay with the ``licences`` source, which derives them once.

``mof-licences`` reads ``mof-licenses.json``: the licences the Model Openness Framework accepts as open, each for a
kind of component (code, data or documentation), as ``eai:mofAcceptedFor``. The file is in the SPDX list's shape;
only what MOF itself asserts is written, since its copies of the SPDX flags come from an older list.

Records are the list's entries (each ingested, or rejected with its index and why); files other than the JSON lists
are skipped, saying so. Each record cites the licence's SPDX page (MOF: its list file at the recorded commit), with
the day it was retrieved and, as its assessment date, the release date of the list edition that states it.

>>> licence_id({"licenseId": "MIT"}), licence_id({"licenseExceptionId": "LLVM-exception"}), licence_id({})
('MIT', 'LLVM-exception', None)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from euaigraph.ontology.iri import licence_iri, record_iri
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_OFFICIAL_REGISTER, Feed, FeedError, Report, SourceSpec, Triple, walk
from ..emit import boolean, date_literal, source_record
from ..fetch import fetch as fetch_url
from ..locate import line_of
from ..safe_parse import parse_json, read_capped

SOURCE_ID = "spdx"
MOF_SOURCE_ID = "mof-licences"
LIST_URL = "https://raw.githubusercontent.com/spdx/license-list-data/main/json/{name}"
MOF_URL = ("https://raw.githubusercontent.com/lfai/model_openness_tool/main/Test_Data/Test_Scripts/"
           "mof-licenses.json")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")
#: MOF content types and the words written for them.
MOF_CONTENT = {"code": "code", "data": "data", "document": "documentation"}


def licence_id(entry: dict[str, Any]) -> str | None:
    value = entry.get("licenseId") or entry.get("licenseExceptionId")
    return str(value).strip() if value else None


def _key(identifier: str) -> str:
    """A record key that keeps ``GPL-2.0+`` apart from ``GPL-2.0`` (record keys are slugs, which drop ``+``).

    >>> _key("GPL-2.0+"), _key("MIT")
    ('GPL-2.0-plus', 'MIT')
    """
    return identifier.replace("+", "-plus")


def _entries(path: Path, name: str, source: str) -> tuple[str, list[tuple[int, dict[str, Any]]], str | None, Any]:
    """(kind, [(index, entry)], list version, release date) of a licence list file; kind is 'licenses' or
    'exceptions'."""
    data = parse_json(source, path, name=name)
    if not isinstance(data, dict):
        raise FeedError(source, name, "not an SPDX licence list: the top level is not an object")
    for kind in ("licenses", "exceptions"):
        if isinstance(data.get(kind), list):
            items = [(n, e) for n, e in enumerate(data[kind])]
            version = str(data["licenseListVersion"]) if data.get("licenseListVersion") else None
            return kind, items, version, date_literal(str(data.get("releaseDate") or "")[:10])
    raise FeedError(source, name, "not an SPDX licence list: no 'licenses' or 'exceptions' array")


def _files(feed: Feed, source: str, report: Report) -> list[tuple[Path, str]]:
    """The JSON lists of the feed (read); every other file skipped with its reason."""
    files = []
    for path, rel in walk(feed):
        if path.suffix.lower() == ".json":
            report.file_read(rel)
            files.append((path, rel))
        else:
            report.file_skipped(rel, f"not a licence list ({path.suffix or 'no suffix'}; the lists are JSON)")
    if not files:
        raise FeedError(source, str(feed.path), "no licence list JSON files found")
    return files


def _checked(entry: Any, where: str, report: Report) -> str | None:
    if not isinstance(entry, dict):
        report.reject(where, "entry is not an object")
        return None
    identifier = licence_id(entry)
    if not identifier or not _ID.match(identifier):
        report.reject(where, f"entry has no valid licenseId / licenseExceptionId ({identifier!r})")
        return None
    return identifier


def spdx_triples(entry: dict[str, Any], identifier: str, kind: str) -> Iterator[Triple]:
    node = licence_iri(identifier)
    yield node, RDF.type, EAI.Licence if kind == "licenses" else EAI.LicenceException
    if entry.get("name"):
        yield node, RDFS.label, Literal(str(entry["name"]).strip())
    yield node, EAI.spdxId, Literal(identifier)
    for key, predicate in (("isOsiApproved", EAI.osiApproved), ("isFsfLibre", EAI.fsfLibre),
                           ("isDeprecatedLicenseId", EAI.deprecated)):
        if isinstance(entry.get(key), bool):  # absent (or not a boolean) says nothing: no triple
            yield node, predicate, boolean(entry[key])
    if str(entry.get("reference") or "").startswith("https://"):
        yield node, EAI.licenceText, URIRef(entry["reference"])
    for url in entry.get("seeAlso") or []:
        if isinstance(url, str) and re.match(r"^https?://\S+$", url.strip()):
            yield node, RDFS.seeAlso, URIRef(url.strip())


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    versions = set()
    for path, name in _files(feed, SOURCE_ID, report):
        kind, entries, version, released = _entries(path, name, SOURCE_ID)
        versions.add(version)
        data = read_capped(SOURCE_ID, path, name=name)
        for n, entry in entries:
            report.read()
            identifier = _checked(entry, f"{name}[{n}]", report)
            if identifier is None:
                continue
            report.ingested()
            yield from spdx_triples(entry, identifier, kind)
            line = line_of(data, f'"{identifier}"')
            page = entry.get("reference") if str(entry.get("reference") or "").startswith("https://") else None
            key = f"{kind}/{_key(identifier)}"
            yield from source_record(SOURCE_ID, key, licence_iri(identifier),
                                     urls=[page or f"https://spdx.org/licenses/{identifier}.html"],
                                     accessed=feed.retrieved_at, locator=f"{name}:{line}" if line else f"{name}[{n}]")
            if released is not None:
                yield record_iri(SOURCE_ID, key), EAI.assessmentDate, released
    report.version = ", ".join(f"SPDX licence list {v}" for v in sorted(v for v in versions if v)) or None


def parse_mof(feed: Feed, report: Report) -> Iterator[Triple]:
    for path, name in _files(feed, MOF_SOURCE_ID, report):
        kind, entries, version, _released = _entries(path, name, MOF_SOURCE_ID)
        report.version = f"MOF licence list {version}" if version else None
        url = feed.public_url(name) or MOF_URL
        for n, entry in entries:
            report.read()
            where = f"{name}[{n}]"
            identifier = _checked(entry, where, report)
            if identifier is None:
                continue
            content = MOF_CONTENT.get(str(entry.get("ContentType") or "").strip().lower())
            if content is None:
                report.reject(where, f"ContentType {entry.get('ContentType')!r} is not code, data or document")
                continue
            report.ingested()
            node = licence_iri(identifier)
            yield node, RDF.type, EAI.Licence if kind == "licenses" else EAI.LicenceException
            yield node, EAI.spdxId, Literal(identifier)
            yield node, EAI.mofAcceptedFor, Literal(content)
            yield from source_record(MOF_SOURCE_ID, f"{_key(identifier)}/{content}", node, urls=[url],
                                     accessed=feed.retrieved_at, locator=where)


def fetch(cache_dir: Path, *, list_url: str = LIST_URL, **options) -> Feed:
    """Live mode: ``licenses.json`` and ``exceptions.json`` of the SPDX license-list-data repository, in one folder."""
    entries = [fetch_url(SOURCE_ID, list_url.format(name=name), cache_dir, **options)
               for name in ("licenses.json", "exceptions.json")]
    folder = Path(cache_dir) / f"list-{entries[0].sha256[:12]}-{entries[1].sha256[:12]}"
    if not folder.exists():
        partial = folder.with_name(folder.name + ".partial")
        partial.mkdir(parents=True, exist_ok=True)
        for entry, name in zip(entries, ("licenses.json", "exceptions.json"), strict=True):
            (partial / name).write_bytes(Path(entry.path).read_bytes())
        partial.rename(folder)
    return Feed(path=folder, url=list_url.format(name=""), retrieved_at=entries[0].feed().retrieved_at,
                version=entries[0].version)


def fetch_mof(cache_dir: Path, *, url: str = MOF_URL, **options) -> Feed:
    """Live mode: the MOF licence list from the model_openness_tool repository."""
    return fetch_url(MOF_SOURCE_ID, url, cache_dir, **options).feed()


SOURCE = SourceSpec(
    id=SOURCE_ID,
    title="SPDX License List (licences and exceptions)",
    homepage="https://spdx.org/licenses/",
    data_licence="CC0-1.0",
    parse=parse,
    min_triples=5,
    priority=PRIORITY_OFFICIAL_REGISTER,
    live_url="https://github.com/spdx/license-list-data",
    recorded_folder="licenses/spdx",
    fetch=fetch,
    description="The SPDX licence list JSON: OSI approval, FSF-libre where stated, deprecation, text pages.",
)

MOF_SOURCE = SourceSpec(
    id=MOF_SOURCE_ID,
    title="Model Openness Framework: licences accepted as open",
    homepage="https://mot.isitopen.ai/",
    data_licence="MIT",
    parse=parse_mof,
    min_triples=5,
    priority=PRIORITY_OFFICIAL_REGISTER,
    live_url=MOF_URL,
    recorded_folder="licenses/mof",
    fetch=fetch_mof,
    description="The licences the Model Openness Framework accepts as open, per kind of component.",
)

SOURCES = (SOURCE, MOF_SOURCE)
