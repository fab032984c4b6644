"""Names, links and formats for everything a page shows from an answer: the one place an IRI becomes words.

Every IRI in a result, table, chart, tooltip or preview is shown by its label (in the analyst's language where the
graph has one, English otherwise: :func:`euaigraph.graph.labels.labels`) and links to its entity page; column
titles come from the saved question's ``columns:`` header or are the variable's words ("ancestorLicenceClass" ->
"Ancestor licence class"); numbers, money, dates and percentages are formatted.

>>> title("ancestorLicenceClass"), title("modelLabel"), title("eu_funding"), title("x", {"x": "Seat"})
('Ancestor licence class', 'Model', 'EU funding', 'Seat')
>>> entity_url("https://w3id.org/euaigraph/id/model/a/b", "Llama 3 #8B")
'entity?iri=https%3A%2F%2Fw3id.org%2Feuaigraph%2Fid%2Fmodel%2Fa%2Fb#Llama 3 #8B'
>>> number(9154000000.0), number(0.2512), money(1234567.8), percent(0.4567), day("2024-07-23T10:00:00Z")
('9,154,000,000', '0.2512', '€1,234,568', '45.7%', '2024-07-23')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

import streamlit as st

from euaigraph.graph import labels as graph_labels

from .state import Context

#: The LinkColumn regular expression that shows the label carried after the first ``#`` of an entity URL (the
#: encoded IRI has none).
LINK_TEXT = r"^[^#]*#(.*)$"
_MONEY = re.compile(r"(eur|euro|funding|contribution|budget|cost|amount|price)", re.IGNORECASE)
_SHARE = re.compile(r"(share|percent|ratio|fraction|proportion)", re.IGNORECASE)
#: Words written in capitals in titles.
_ACRONYMS = {"eu": "EU", "hhi": "HHI", "iri": "IRI", "url": "URL", "id": "ID", "osi": "OSI", "hpc": "HPC",
             "eurohpc": "EuroHPC", "spdx": "SPDX"}


def language() -> str:
    """The analyst's language: ``?lang=`` if given, else the browser's, else English (a primary subtag)."""
    asked = st.query_params.get("lang") or getattr(st.context, "locale", None) or "en"
    primary = str(asked).split("-")[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else "en"


def names(ctx: Context, iris: Iterable[str], *, lang: str | None = None) -> dict[str, str]:
    """IRI -> label for ``lang`` (default :func:`language`); looked up once per data version and language."""
    lang = lang or language()
    known: dict[str, str] = ctx.compute(("names", lang), dict)
    wanted = {str(i) for i in iris}
    missing = wanted - known.keys()
    if missing:
        known.update(graph_labels.labels(ctx.store, missing, language=lang))
    return {i: known[i] for i in wanted}


def title(variable: str, columns: Mapping[str, str] | None = None) -> str:
    """A readable column title: the header's, else the variable's words with the first one capitalised."""
    if columns and variable in columns:
        return str(columns[variable])
    base = re.sub(r"(?<=.)(Label|_label)$", "", variable)
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", base).replace("_", " ").lower().split()
    words = [_ACRONYMS.get(w, w) for w in words] or [variable]
    return words[0][:1].upper() + words[0][1:] + "".join(" " + w for w in words[1:])


def entity_url(iri: str, label: str) -> str:
    """The entity page's URL (relative to the app) with the label after ``#`` for :data:`LINK_TEXT`."""
    return f"entity?iri={quote(iri, safe='')}#{' '.join(label.split())}"


def number(value: float | int | Decimal) -> str:
    """A number with thousands separators; whole numbers without decimals, small ones with four digits."""
    value = float(value)
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}"


def money(value: float | int | Decimal) -> str:
    return f"€{float(value):,.0f}"


def percent(value: float | int | Decimal) -> str:
    """A share between 0 and 1 as a percentage."""
    return f"{100 * float(value):.1f}%"


def day(value: object) -> str:
    """A date or date-time as its day, ``YYYY-MM-DD`` (partial dates such as ``2024-07`` stay as they are)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", text) else text


def is_money(variable: str) -> bool:
    return bool(_MONEY.search(variable))


def is_share(variable: str, values: Iterable[float]) -> bool:
    """A share column: its name says so and every value lies between 0 and 1."""
    return bool(_SHARE.search(variable)) and all(0 <= float(v) <= 1 for v in values)


__all__ = ["LINK_TEXT", "day", "entity_url", "is_money", "is_share", "language", "money", "names", "number",
           "percent", "title"]
