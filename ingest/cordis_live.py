"""CORDIS live mode: query the CORDIS SPARQL endpoint (EURIO) through SPARQLWrapper into a bulk-dump folder.

The answers are written as ``project.json``, ``organization.json``, ``legalBasis.json`` and ``topics.json`` in the
field names of the CORDIS JSON bulk dump, so the same reader parses a live run and a downloaded dump. The folder is
named by the sha256 of the answers, so an unchanged register reuses the same cached folder, and the folder only
appears once every page has arrived (written beside it, then renamed).

Like :mod:`euaigraph.ingest.fetch`: timeouts, retries with exponential backoff on connection errors and server
errors (never on a bad query or a missing endpoint), and a size cap on every answer.

EURIO terms used: ``eurio:Project`` with ``identifier``, ``title``, ``hasAcronym/shortForm``, ``startDate``,
``endDate``, ``totalCost``, ``ecMaxContribution``, ``projectStatus``, ``hasFundingSchemeProgramme``,
``hasFundingSchemeTopic``, ``hasFundingSchemeType`` (each with ``code``/``title``), ``hasInvolvedParty`` roles
(``roleLabel``, ``isRoleOf``, ``isRecipientOf/hasPaymentAmount/value``) and organisations (``legalName``,
``shortName``, ``vatNumber``, ``pic``, ``hasSite/hasGeographicalLocation`` with ``hasISOCountryCode`` or ``name``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import urllib.error
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

from .base import Feed, FeedError
from .fetch import DEFAULT_MAX_BYTES
from . import safe_json

CORDIS_SPARQL = "https://cordis.europa.eu/datalab/sparql"
SOURCE_ID = "cordis"
PREFIXES = "PREFIX eurio: <http://data.europa.eu/s66#>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
_ROLES = {"coordinator": "coordinator", "participant": "participant", "associatedpartner": "associatedPartner",
          "associated partner": "associatedPartner", "thirdparty": "thirdParty", "third party": "thirdParty"}

PROJECTS = """SELECT ?id ?acronym ?title ?startDate ?endDate ?totalCost ?ecMaxContribution ?status ?fundingScheme
WHERE { %(selection)s
  OPTIONAL { ?p eurio:hasAcronym/eurio:shortForm ?acronym } OPTIONAL { ?p eurio:title ?title }
  OPTIONAL { ?p eurio:startDate ?startDate } OPTIONAL { ?p eurio:endDate ?endDate }
  OPTIONAL { ?p eurio:totalCost ?totalCost } OPTIONAL { ?p eurio:ecMaxContribution ?ecMaxContribution }
  OPTIONAL { ?p eurio:projectStatus ?status } OPTIONAL { ?p eurio:hasFundingSchemeType/eurio:code ?fundingScheme }
} ORDER BY ?id"""
ORGANISATIONS = """SELECT ?projectID ?organisationID ?name ?shortName ?vatNumber ?country ?role ?ecContribution
WHERE { %(selection)s
  ?p eurio:hasInvolvedParty ?r . ?r eurio:isRoleOf ?o . OPTIONAL { ?r eurio:roleLabel ?role }
  OPTIONAL { ?o eurio:legalName ?name } OPTIONAL { ?o eurio:shortName ?shortName }
  OPTIONAL { ?o eurio:vatNumber ?vatNumber } OPTIONAL { ?o eurio:pic ?organisationID }
  OPTIONAL { ?o eurio:hasSite/eurio:hasGeographicalLocation ?c . ?c a eurio:Country .
             OPTIONAL { ?c eurio:hasISOCountryCode ?iso } OPTIONAL { ?c eurio:name ?countryName } }
  OPTIONAL { ?r eurio:isRecipientOf/eurio:hasPaymentAmount/eurio:value ?ecContribution }
  BIND(?id AS ?projectID) BIND(COALESCE(?iso, ?countryName) AS ?country)
} ORDER BY ?projectID ?organisationID ?role"""
LEGAL_BASIS = """SELECT ?projectID ?legalBasis ?title WHERE { %(selection)s
  ?p eurio:hasFundingSchemeProgramme ?f . ?f eurio:code ?legalBasis . OPTIONAL { ?f eurio:title ?title }
  BIND(?id AS ?projectID) } ORDER BY ?projectID ?legalBasis"""
TOPICS = """SELECT ?projectID ?topic ?title WHERE { %(selection)s
  ?p eurio:hasFundingSchemeTopic ?t . ?t eurio:code ?topic . OPTIONAL { ?t eurio:title ?title }
  BIND(?id AS ?projectID) } ORDER BY ?projectID ?topic"""
QUERIES = {"project": PROJECTS, "organization": ORGANISATIONS, "legalBasis": LEGAL_BASIS, "topics": TOPICS}


def selection(grants: Sequence[str] | None, since: str | None) -> str:
    """The graph pattern choosing projects: a list of grant ids, or those starting on or after a date.

    >>> "VALUES ?id" in selection(["101070631"], None), "FILTER" in selection(None, "2021-01-01")
    (True, True)
    """
    pattern = "?p a eurio:Project ; eurio:identifier ?id ."
    if grants:
        for grant in grants:
            if not str(grant).isdigit():
                raise ValueError(f"not a CORDIS grant id: {grant!r}")
        return f"VALUES ?id {{ {' '.join(json.dumps(str(g)) for g in grants)} }} {pattern}"
    if since:
        if not (len(since) == 10 and since[4] == "-" and since[7] == "-" and since.replace("-", "").isdigit()):
            raise ValueError(f"not an ISO date: {since!r}")
        return f'{pattern} ?p eurio:startDate ?since . FILTER(STR(?since) >= "{since}")'
    return pattern


def _value(binding: dict[str, Any]) -> str:
    value = binding.get("value", "")
    return value.rsplit("/", 1)[-1] if binding.get("type") == "uri" else value


def _ask(client: SPARQLWrapper, query: str, *, retries: int, backoff: float, max_bytes: int) -> list[dict[str, str]]:
    client.setQuery(query)
    last_error = "no attempt made"
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            result = client.query()
            body = result.response.read(max_bytes + 1)
        except EndPointInternalError as exc:
            last_error = f"server error: {str(exc)[:200]}"
            continue
        except SPARQLWrapperException as exc:  # bad query, endpoint not found, unauthorised: retrying will not help
            raise FeedError(SOURCE_ID, client.endpoint, f"{type(exc).__name__}: {str(exc)[:300]}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            last_error = f"{type(exc).__name__}: {exc}"
            continue
        if len(body) > max_bytes:
            raise FeedError(SOURCE_ID, client.endpoint, f"an answer is over the cap of {max_bytes} bytes")
        try:
            rows = safe_json.loads(body)["results"]["bindings"]
        except (ValueError, KeyError, TypeError) as exc:
            last_error = f"not a SPARQL JSON result (truncated?): {exc}"
            continue
        return [{key: _value(b) for key, b in row.items()} for row in rows]
    raise FeedError(SOURCE_ID, client.endpoint, f"gave up after {retries + 1} attempts: {last_error}")


def _normalise(part: str, row: dict[str, str]) -> dict[str, str]:
    if part == "organization" and row.get("role"):
        row["role"] = _ROLES.get(row["role"].strip().lower(), row["role"].strip())
    return row


def fetch_projects(
    cache_dir: Path,
    *,
    endpoint: str = CORDIS_SPARQL,
    grants: Sequence[str] | None = None,
    since: str | None = "2021-01-01",
    page_size: int = 10_000,
    max_pages: int = 200,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 1.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Feed:
    """Query the endpoint page by page and write the answers as a bulk-dump folder in ``cache_dir``."""
    client = SPARQLWrapper(endpoint, agent="euaigraph (+https://w3id.org/euaigraph)")
    client.setReturnFormat(JSON)
    client.setMethod(POST)
    client.setTimeout(max(1, round(timeout)))
    chosen = selection(grants, since)
    answers: dict[str, list[dict[str, str]]] = {}
    for part, template in QUERIES.items():
        rows: list[dict[str, str]] = []
        for page in range(max_pages):
            query = f"{PREFIXES}{template % {'selection': chosen}} LIMIT {page_size} OFFSET {page * page_size}"
            batch = _ask(client, query, retries=retries, backoff=backoff, max_bytes=max_bytes)
            rows += [_normalise(part, row) for row in batch]
            if len(batch) < page_size:
                break
        else:
            raise FeedError(SOURCE_ID, endpoint, f"{part}: more than {max_pages} pages of {page_size} rows")
        answers[part] = rows
    if not answers["project"]:
        raise FeedError(SOURCE_ID, endpoint, "the endpoint returned no projects for this selection")
    return _store(Path(cache_dir), endpoint, answers)


def _store(cache_dir: Path, endpoint: str, answers: dict[str, list[dict[str, str]]]) -> Feed:
    payload = {part: json.dumps(rows, indent=1, sort_keys=True, ensure_ascii=False) for part, rows in answers.items()}
    digest = hashlib.sha256("".join(payload[p] for p in sorted(payload)).encode()).hexdigest()
    target = cache_dir / f"sparql-{digest[:16]}"
    if not target.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(dir=cache_dir, prefix=".partial-"))
        try:
            for part, text in payload.items():
                (partial / f"{part}.json").write_text(text, encoding="utf-8")
            os.replace(partial, target)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    return Feed(path=target, url=endpoint, retrieved_at=datetime.now(UTC).replace(microsecond=0),
                version=f"sha256:{digest[:16]}")
