"""Resolving names that feeds use for models and organisations to our ids, through reviewed tables only.

A name resolves if it is an id, the exact name of a curated record, or a reviewed alias in
``data/curated/aliases/<kind>.yaml``, each compared after :func:`~euaigraph.ingest.normalise.fold`. A name that
two records share is ambiguous and resolves to nothing. Identifiers (Hugging Face ids, PICs) are looked up with
:meth:`Aliases.by_identifier`. :meth:`Aliases.lookup` also says by which route a name matched (``id``, ``hf``,
``alias`` or ``name``) and, on request, matches a name only in the case it was written in the table.

>>> table = Aliases.from_pairs("models", [("Mistral 7B", "mistralai/mistral-7b-v0.1")], ids=["mistralai/mistral-7b-v0.1"])
>>> table.resolve("mistral  7b"), table.resolve("MistralAI/Mistral-7B-v0.1"), table.resolve("Llama")
('mistralai/mistral-7b-v0.1', 'mistralai/mistral-7b-v0.1', None)
>>> table.lookup("mistral 7b").how, table.lookup("mistral 7b", exact_case=True), table.lookup("Mistral 7B").target
('alias', None, 'mistralai/mistral-7b-v0.1')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from .curated import curated_dir, load_yaml, records
from .model_names import name_form
from .normalise import fold

_CURATED_KIND = {"models": "models", "organisations": "organisations", "datasets": "datasets", "facilities": "compute"}


@dataclass(frozen=True)
class Found:
    """A table entry a name matched: the id, the route (``id``, ``hf``, ``alias``, ``name``), and the forms the
    table wrote it in (case kept)."""

    target: str
    how: str
    written: frozenset[str]


@dataclass
class Aliases:
    kind: str
    table: dict[str, str] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    identifiers: dict[tuple[str, str], str] = field(default_factory=dict)
    #: folded key -> how it entered the table, and the forms (case kept) it was written in
    how: dict[str, str] = field(default_factory=dict)
    written: dict[str, set[str]] = field(default_factory=dict)

    def add(self, name: str | None, target: str, *, how: str = "name") -> None:
        if not name:
            return
        key = fold(name)
        if key in self.ambiguous:
            return
        if key in self.table and self.table[key] != target:
            del self.table[key]
            self.ambiguous.add(key)
            return
        self._set(key, name, target, how)

    def _set(self, key: str, name: str, target: str, how: str) -> None:
        if self.table.get(key) != target:
            self.written.pop(key, None)
            self.how.pop(key, None)
        self.table[key] = target
        self.how.setdefault(key, how)
        self.written.setdefault(key, set()).add(name_form(name))

    def resolve(self, name: str | None) -> str | None:
        return None if not name else self.table.get(fold(name))

    def lookup(self, name: str | None, *, exact_case: bool = False) -> Found | None:
        """The entry ``name`` matches; with ``exact_case``, a name or alias matches only as the table writes it
        (ids and Hub ids never depend on case)."""
        key = fold(name) if name else ""
        if key not in self.table:
            return None
        how = self.how.get(key, "name")
        if exact_case and how in ("alias", "name") and name_form(name) not in self.written.get(key, set()):
            return None
        return Found(self.table[key], how, frozenset(self.written.get(key, set())))

    def by_identifier(self, scheme: str, value: str | None) -> str | None:
        """The id whose curated ``identifiers`` (or ``hf_id``) has this value: scheme is hf, pic, ror, wikidata."""
        return None if not value else self.identifiers.get((scheme, fold(value)))

    @classmethod
    def from_pairs(cls, kind: str, pairs: Iterable[tuple[str, str]], *, ids: Iterable[str] = ()) -> Aliases:
        table = cls(kind)
        for identifier in ids:
            table._set(fold(identifier), identifier, identifier, "id")
        for alias, target in pairs:
            table.add(alias, target, how="alias")
        return table


@cache
def aliases(kind: str) -> Aliases:
    """The reviewed table for ``models``, ``organisations`` or ``datasets``: ids, curated names, alias files."""
    curated = records(_CURATED_KIND[kind])
    table = Aliases(kind)
    for record in curated:
        table._set(fold(record["id"]), record["id"], record["id"], "id")
    # Reviewed aliases first: they are explicit decisions and win over a coincidental display name.
    path = curated_dir() / "aliases" / f"{kind}.yaml"
    explicit: dict[str, tuple[str, set[str]]] = {}
    if path.exists():
        for item in (load_yaml(path) or {}).get("records") or []:
            explicit.setdefault(fold(item["alias"]), (item["id"], set()))[1].add(str(item["alias"]))
    for record in curated:
        if fold(record["name"]) not in explicit:
            table.add(record["name"], record["id"], how="name")
        if record.get("hf_id"):
            table.add(record["hf_id"], record["id"], how="hf")
            table.identifiers[("hf", fold(record["hf_id"]))] = record["id"]
        for scheme, value in (record.get("identifiers") or {}).items():
            table.identifiers[(scheme, fold(str(value)))] = record["id"]
    for key, (target, forms) in explicit.items():
        table.how.pop(key, None)
        table.written.pop(key, None)
        table.ambiguous.discard(key)
        for form in sorted(forms):
            table._set(key, form, target, "alias")
    return table
