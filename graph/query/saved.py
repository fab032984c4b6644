"""Saved questions: one SPARQL query per ``queries/<theme>/<slug>.rq`` with a ``#+`` YAML header.

Header keys: ``summary`` (one line), ``description``, ``tags`` (list), ``view`` (table | bar | graph | map |
timeline), ``params`` (list of ``{name, type, default, allowed, label, description}``), optionally ``x``/``y``
(columns the view plots) and ``columns`` (variable -> the column's title, where the variable's own words do not
say it well). Parameter types: iri, string, integer, decimal, date, boolean, and the id types
country (alpha-3), language (ISO 639-1), licence (SPDX id or LicenseRef-*), bloc, model, organisation,
facility, project, node (``kind:id``: a licence, licence family, organisation, facility...) and licence-class (a code)
— each becomes the proper IRI or typed literal and is bound with ``VALUES`` (never pasted). The values of bloc and
licence-class parameters come from the reference data (blocs.yaml, the ontology), never from a query's header.

>>> q = parse_saved("demo/x", '#+ summary: Models by country\\n#+ params:\\n#+   - {name: country, type: country, default: FRA}\\nSELECT ?m WHERE { ?m ?p ?country }')
>>> q.summary, [p.name for p in q.params], q.body.strip()
('Models by country', ['country'], 'SELECT ?m WHERE { ?m ?p ?country }')
>>> q.terms({"country": "deu"})["country"]
rdflib.term.URIRef('http://publications.europa.eu/resource/authority/country/DEU')
>>> str(_to_term("model", "https://w3id.org/euaigraph/id/model/utter-project/eurollm-9b"))
'https://w3id.org/euaigraph/id/model/utter-project/eurollm-9b'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from euaigraph.ingest import safe_yaml
from euaigraph.ingest.sources.blocs import blocs
from euaigraph.ontology import iri, reference
from euaigraph.ontology.namespaces import ID, SPDX_LICENCE

from euaigraph.graph.store.terms import check_iri

VIEWS = ("table", "bar", "graph", "map", "timeline")
HEADER_KEYS = {"summary", "description", "tags", "params", "view", "x", "y", "columns"}
PARAM_KEYS = {"name", "type", "default", "allowed", "label", "description"}
PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "boolean", "country", "language", "licence",
               "bloc", "model", "organisation", "facility", "project", "node", "licence-class")
#: Parameter types whose allowed values come from reference data, never from a query's header.
REFERENCE_VALUES: dict[str, Callable[[], tuple[str, ...]]] = {
    "bloc": lambda: tuple(blocs()),
    "licence-class": lambda: tuple(c.code for c in reference.licence_classes()),
}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class SavedQueryError(ValueError):
    """A saved query's header or a parameter value is invalid; the message names the query and the field."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = None
    allowed: tuple[Any, ...] = ()
    label: str = ""
    description: str = ""

    @property
    def choices(self) -> tuple[Any, ...]:
        """The values this parameter allows: from reference data for reference types, else the header's list."""
        return REFERENCE_VALUES[self.type]() if self.type in REFERENCE_VALUES else self.allowed

    def term(self, value: Any, *, query: str = "") -> Node:
        """The RDF term for a value of this parameter, or SavedQueryError saying what is wrong."""
        if value is None or value == "":
            raise SavedQueryError(f"{query}: parameter {self.name!r} needs a value")
        choices = self.choices
        if choices and value not in choices and str(value) not in map(str, choices):
            raise SavedQueryError(f"{query}: {self.name}={value!r} is not one of {list(choices)}")
        try:
            return _to_term(self.type, value)
        except (ValueError, InvalidOperation) as exc:
            raise SavedQueryError(f"{query}: {self.name}={value!r} is not a valid {self.type}: {exc}") from None


def _to_term(kind: str, value: Any) -> Node:
    text = str(value).strip()
    if kind == "iri":
        return URIRef(check_iri(text))
    if kind in ("string", "licence-class"):  # a class is matched by its code (skos:notation), a plain string
        return Literal(str(value))
    if kind == "integer":
        return Literal(int(text), datatype=XSD.integer)
    if kind == "decimal":
        return Literal(Decimal(text), datatype=XSD.decimal)
    if kind == "date":
        day = datetime.now(UTC).date() if text == "today" else date.fromisoformat(text[:10])
        return Literal(day.isoformat(), datatype=XSD.date)
    if kind == "boolean":
        if text.lower() not in ("true", "false"):
            raise ValueError("expected true or false")
        return Literal(text.lower() == "true", datatype=XSD.boolean)
    if kind == "country":
        from euaigraph.ingest.normalise import resolve_country

        code = resolve_country(text)
        if code is None:
            raise ValueError("unknown country")
        return iri.country_iri(code)
    if kind == "language":
        from euaigraph.ingest.normalise import resolve_language

        code = resolve_language(text)
        if code is None:
            raise ValueError("unknown language")
        return iri.language_iri(code)
    if kind == "licence":
        if text.startswith((str(SPDX_LICENCE), f"{ID}licence/")):  # already a licence IRI (from a result row)
            return URIRef(check_iri(text))
        return iri.licence_iri(check_iri(text))
    if kind == "node":
        return URIRef(check_iri(str(iri.from_reference(check_iri(text) if "://" in text else text))))
    makers = {"bloc": iri.bloc_iri, "model": iri.model_iri, "organisation": iri.org_iri,
              "facility": iri.facility_iri, "project": iri.project_iri}
    if kind in makers:
        if not text:
            raise ValueError("empty id")
        # An IRI of the right kind (a node clicked in a result) is used as it is; slugging it would mint a
        # different IRI and silently match nothing.
        namespace = str(makers[kind]("x"))[:-1]
        if text.startswith(namespace):
            return URIRef(check_iri(text))
        return makers[kind](text)
    raise ValueError(f"unknown parameter type {kind!r}")


@dataclass(frozen=True)
class SavedQuery:
    name: str
    summary: str
    body: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    view: str = "table"
    x: str | None = None
    y: str | None = None
    columns: dict[str, str] = field(default_factory=dict, compare=False)
    path: Path | None = field(default=None, compare=False)

    @property
    def theme(self) -> str:
        return self.name.split("/", 1)[0]

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params if p.default is not None}

    def terms(self, values: dict[str, Any] | None = None) -> dict[str, Node]:
        """Parameter terms: given values over defaults; unknown names are an error."""
        values = dict(values or {})
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            raise SavedQueryError(f"{self.name}: unknown parameter(s) {sorted(unknown)}; "
                                  f"it takes {[p.name for p in self.params] or 'none'}")
        merged = {**self.defaults(), **{k: v for k, v in values.items() if v is not None}}
        return {p.name: p.term(merged.get(p.name), query=self.name) for p in self.params}


def parse_saved(name: str, text: str, *, path: Path | None = None) -> SavedQuery:
    """Split the ``#+`` header from the query and check it."""
    header_lines, body_lines = [], []
    for line in text.splitlines():
        if line.startswith("#+") and not body_lines:
            header_lines.append(line[2:].removeprefix(" "))
        else:
            body_lines.append(line)
    try:
        header = safe_yaml.load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise SavedQueryError(f"{name}: the #+ header is not valid YAML: {exc}") from None
    if not isinstance(header, dict):
        raise SavedQueryError(f"{name}: the #+ header must be a YAML mapping")
    unknown = set(header) - HEADER_KEYS
    if unknown:
        raise SavedQueryError(f"{name}: unknown header key(s) {sorted(unknown)}")
    if not isinstance(header.get("summary"), str) or not header["summary"].strip():
        raise SavedQueryError(f"{name}: the header needs a one-line 'summary'")
    view = header.get("view", "table")
    if view not in VIEWS:
        raise SavedQueryError(f"{name}: view {view!r} is not one of {VIEWS}")
    params = []
    if not isinstance(header.get("params") or [], list):
        raise SavedQueryError(f"{name}: params must be a list")
    for item in header.get("params") or []:
        if not isinstance(item, dict) or set(item) - PARAM_KEYS or "name" not in item or "type" not in item:
            raise SavedQueryError(f"{name}: each param needs name and type (and only {sorted(PARAM_KEYS)})")
        if isinstance(item["name"], bool):  # YAML 1.1 reads on/off/yes/no as booleans
            raise SavedQueryError(f"{name}: a param name was read as a boolean by YAML (on/off/yes/no): quote it")
        if not _NAME.fullmatch(str(item["name"])) or item["type"] not in PARAM_TYPES:
            raise SavedQueryError(f"{name}: param {item.get('name')!r} has a bad name or type {item.get('type')!r}")
        if not isinstance(item.get("allowed") or [], list):
            raise SavedQueryError(f"{name}: param {item['name']!r}: allowed must be a list")
        if item["type"] in REFERENCE_VALUES and item.get("allowed"):
            raise SavedQueryError(f"{name}: param {item['name']!r}: the values of a {item['type']} parameter come "
                                  "from the reference data; remove 'allowed'")
        params.append(Param(name=item["name"], type=item["type"], default=item.get("default"),
                            allowed=tuple(item.get("allowed") or ()), label=str(item.get("label") or ""),
                            description=str(item.get("description") or "")))
    tags = header.get("tags") or []
    if not isinstance(tags, list):
        raise SavedQueryError(f"{name}: tags must be a list")
    columns = header.get("columns") or {}
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise SavedQueryError(f"{name}: columns must map variable names to titles")
    return SavedQuery(name=name, summary=header["summary"].strip(), body="\n".join(body_lines).strip() + "\n",
                      description=str(header.get("description") or "").strip(), tags=tuple(map(str, tags)),
                      params=tuple(params), view=view, x=header.get("x"), y=header.get("y"),
                      columns={str(k): v for k, v in columns.items()}, path=path)


def queries_dir() -> Path:
    return Path(str(files("euaigraph.queries")))


@cache
def catalogue(root: Path | None = None) -> dict[str, SavedQuery]:
    """Every saved query by name (``theme/slug``), sorted. Raises :class:`SavedQueryError` for an ``.rq`` file at
    any other depth, rather than leaving it out of the catalogue without a word."""
    root = root or queries_dir()
    found = sorted(root.rglob("*.rq"))
    misplaced = [str(p.relative_to(root)) for p in found if len(p.relative_to(root).parts) != 2]
    if misplaced:
        raise SavedQueryError(f"{root}: saved questions are <theme>/<slug>.rq; these are elsewhere and would be "
                              f"left out: {', '.join(misplaced[:10])}")
    out = {}
    for path in found:
        name = f"{path.parent.name}/{path.stem}"
        out[name] = parse_saved(name, path.read_text(encoding="utf-8"), path=path)
    return out


def find(name_or_path: str) -> SavedQuery:
    """A saved query by name (``theme/slug`` or a unique ``slug``) or by the path of an ``.rq`` file."""
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.exists():
        return parse_saved(path.stem, path.read_text(encoding="utf-8"), path=path)
    known = catalogue()
    if name_or_path in known:
        return known[name_or_path]
    matches = [q for n, q in known.items() if n.split("/", 1)[1] == name_or_path]
    if len(matches) == 1:
        return matches[0]
    raise SavedQueryError(f"no saved query {name_or_path!r}; known: {', '.join(known) or 'none'}")
