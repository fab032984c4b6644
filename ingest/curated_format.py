"""The normal form of the curated YAML files, so that every diff shows a change of fact and nothing else.

Normal form: the record lists sorted (``records`` by ``id``; alias tables by ``id``, then alias; languages by
``code``; memberships by bloc, country, start), keys in the schema order of :data:`~euaigraph.ingest.curated.KINDS`
(nested mappings in the order ``data/curated/README.md`` gives), dates as quoted ``'YYYY-MM-DD'`` strings, whole
numbers of a million or more that YAML holds as floats in short scientific notation (``7.24e+09``), and one PyYAML
layout (block style, lists indented under their key, lines folded at 120 columns). Lists inside a record keep their
order: the first developer is the provider. Formatting never changes a value; :func:`format_text` checks that.

>>> text = '''records:
... - {sources: [{accessed: 2026-11-27, url: 'https://b.example'}], name: B, id: b, parameters: 7.0e+9}
... - {id: a, name: A, sources: [{url: 'https://a.example', accessed: 2026-11-27}]}
... '''
>>> print(format_text(text, "models.yaml"), end="")
records:
  - id: a
    name: A
    sources:
      - url: https://a.example
        accessed: '2026-11-27'
  - id: b
    name: B
    parameters: 7.0e+09
    sources:
      - url: https://b.example
        accessed: '2026-11-27'
>>> format_text(format_text(text, "models.yaml"), "models.yaml") == format_text(text, "models.yaml")
True
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from . import safe_yaml
from .curated import KINDS, CuratedError, curated_dir

WIDTH = 120
#: Top-level keys, in this order; any other key follows in its own order.
TOP_LEVEL = ("not_licences", "blocs", "memberships", "records", "sources")
#: Keys of nested mappings (README order), by the field that holds them.
NESTED = {
    "sources": ("url", "accessed", "secondary", "note"),
    "base_models": ("model", "relation"),
    "controlled_by": ("org", "since", "until", "kind", "url", "accessed", "secondary"),
    "identifiers": ("wikidata", "ror", "pic", "hf", "website", "github"),
}
CLAIM = ("value", "url", "accessed", "secondary", "note")

SortKey = Callable[[dict[str, Any]], Any]


def _by(*fields: str) -> SortKey:
    """Case-insensitive order of the fields' text; exact text breaks ties, so the order is total."""

    def key(item: dict[str, Any]) -> tuple[str, ...]:
        texts = [str(item.get(f, "")) for f in fields]
        return (*(t.casefold() for t in texts), *texts)

    return key


#: file name (or ``aliases/``) -> {list key: (sort key, key order)}
LAYOUTS: dict[str, dict[str, tuple[SortKey, tuple[str, ...]]]] = {
    **{spec.file: {"records": (_by("id"), spec.keys)} for spec in KINDS.values()},
    "blocs.yaml": {"blocs": (_by("id"), ("id", "name", "sources")),
                   "memberships": (_by("bloc", "country", "from"),
                                   ("country", "bloc", "from", "until", "url", "accessed"))},
    "languages.yaml": {"records": (_by("code"), ("code", "nal", "name"))},
    "aliases/": {"records": (_by("id", "alias"), ("alias", "id", "note"))},
}


def layout_name(path: Path) -> str:
    """The layout a file follows: its name, or ``aliases/`` for every alias table."""
    return "aliases/" if path.parent.name == "aliases" else path.name


def _ordered(mapping: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    known = [k for k in order if k in mapping]
    return {k: mapping[k] for k in [*known, *(k for k in mapping if k not in order)]}


def _plain(value: Any) -> Any:
    """Dates become ISO strings; containers are copied."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _is_claims(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "value" in v for v in value)


def _field(name: str, value: Any) -> Any:
    if _is_claims(value):
        return [_ordered(v, CLAIM) for v in value]
    if name in NESTED and isinstance(value, dict):
        return _ordered(value, NESTED[name])
    if name in NESTED and isinstance(value, list):
        return [_ordered(v, NESTED[name]) if isinstance(v, dict) else v for v in value]
    return value


def _item(item: Any, order: tuple[str, ...]) -> Any:
    if not isinstance(item, dict):
        return item
    return {k: _field(k, v) for k, v in _ordered(item, order).items()}


def normalise(data: Any, layout: str) -> dict[str, Any]:
    """The file's content in normal form (a new structure; ``data`` is left as it was)."""
    if layout not in LAYOUTS:
        raise CuratedError(f"{layout}: no curated layout for this file (known: {', '.join(sorted(LAYOUTS))})")
    if not isinstance(data, dict):
        raise CuratedError(f"{layout}: expected a YAML mapping at the top")
    data = _ordered(_plain(data), TOP_LEVEL)
    out = {}
    for key, value in data.items():
        if key in LAYOUTS[layout] and isinstance(value, list):
            sort_key, order = LAYOUTS[layout][key]
            if not all(isinstance(v, dict) for v in value):
                raise CuratedError(f"{layout}: every item of {key!r} must be a mapping")
            value = [_item(v, order) for v in sorted(value, key=sort_key)]
        elif key == "sources":
            value = _field(key, value)
        out[key] = value
    return out


class _Dumper(yaml.SafeDumper):
    """Block style with lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _float(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
    """Parameter counts and other large whole numbers held as floats read better as 7.24e+09."""
    if value == value and abs(value) >= 1e6 and value.is_integer() and abs(value) < float("inf"):
        text = next(s for p in range(17) if float(s := f"{value:.{p}e}") == value)
        mantissa, exponent = text.split("e")
        mantissa = mantissa if "." in mantissa else mantissa + ".0"  # YAML 1.1 floats need the dot
        return dumper.represent_scalar("tag:yaml.org,2002:float", f"{mantissa}e{exponent}")
    return yaml.SafeDumper.represent_float(dumper, value)


_Dumper.add_representer(float, _float)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH, indent=2,
                     default_flow_style=False)


def format_text(text: str, layout: str) -> str:
    """``text`` (the content of a curated file with this layout) in normal form."""
    try:
        data = safe_yaml.load(text)
    except yaml.YAMLError as exc:
        raise CuratedError(f"{layout}: not valid YAML: {exc}") from exc
    normal = normalise(data, layout)
    out = dump(normal)
    if safe_yaml.load(out) != normal:  # never let a layout change alter a value
        raise CuratedError(f"{layout}: formatting would change a value; file left as it was")
    return out


def format_file(path: Path, *, check: bool = False) -> bool:
    """Whether the file was (``check``: would be) rewritten to its normal form."""
    text = path.read_text(encoding="utf-8")
    try:
        formatted = format_text(text, layout_name(path))
    except CuratedError as exc:
        raise CuratedError(f"{path}: {exc}") from exc
    if formatted == text:
        return False
    if not check:
        tmp = path.with_name(f".{path.name}.fmt")
        tmp.write_text(formatted, encoding="utf-8")
        tmp.replace(path)  # a reader never sees half a file
    return True


def curated_files(root: Path | None = None) -> list[Path]:
    """Every curated YAML file: the kinds, blocs, languages and the alias tables."""
    root = root or curated_dir()
    return sorted([*root.glob("*.yaml"), *(root / "aliases").glob("*.yaml")])
