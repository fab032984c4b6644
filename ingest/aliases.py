"""Resolving names that feeds use for models and organisations to our ids, through reviewed tables only.

A name resolves if it is an id, the exact name of a curated record, or a reviewed alias in
``data/curated/aliases/<kind>.yaml``, each compared after :func:`~euaigraph.ingest.normalise.fold`. A name that
two records share is ambiguous and resolves to nothing. Identifiers (Hugging Face ids, PICs) are looked up with
:meth:`Aliases.by_identifier`.

>>> table = Aliases.from_pairs("models", [("Mistral 7B", "mistralai/mistral-7b-v0.1")], ids=["mistralai/mistral-7b-v0.1"])
>>> table.resolve("mistral  7b"), table.resolve("MistralAI/Mistral-7B-v0.1"), table.resolve("Llama")
('mistralai/mistral-7b-v0.1', 'mistralai/mistral-7b-v0.1', None)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from .curated import curated_dir, load_yaml, records
from .normalise import fold

_CURATED_KIND = {"models": "models", "organisations": "organisations", "datasets": "datasets", "facilities": "compute"}


@dataclass
class Aliases:
    kind: str
    table: dict[str, str] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    identifiers: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, name: str | None, target: str) -> None:
        if not name:
            return
        key = fold(name)
        if key in self.ambiguous:
            return
        if key in self.table and self.table[key] != target:
            del self.table[key]
            self.ambiguous.add(key)
            return
        self.table[key] = target

    def resolve(self, name: str | None) -> str | None:
        return None if not name else self.table.get(fold(name))

    def by_identifier(self, scheme: str, value: str | None) -> str | None:
        """The id whose curated ``identifiers`` (or ``hf_id``) has this value: scheme is hf, pic, ror, wikidata."""
        return None if not value else self.identifiers.get((scheme, fold(value)))

    @classmethod
    def from_pairs(cls, kind: str, pairs: Iterable[tuple[str, str]], *, ids: Iterable[str] = ()) -> Aliases:
        table = cls(kind)
        for identifier in ids:
            table.table[fold(identifier)] = identifier
        for alias, target in pairs:
            table.add(alias, target)
        return table


@cache
def aliases(kind: str) -> Aliases:
    """The reviewed table for ``models``, ``organisations`` or ``datasets``: ids, curated names, alias files."""
    curated = records(_CURATED_KIND[kind])
    table = Aliases(kind)
    for record in curated:
        table.table[fold(record["id"])] = record["id"]
    # Reviewed aliases first: they are explicit decisions and win over a coincidental display name.
    path = curated_dir() / "aliases" / f"{kind}.yaml"
    explicit: dict[str, str] = {}
    if path.exists():
        for item in (load_yaml(path) or {}).get("records") or []:
            explicit[fold(item["alias"])] = item["id"]
    for record in curated:
        if fold(record["name"]) not in explicit:
            table.add(record["name"], record["id"])
        if record.get("hf_id"):
            table.add(record["hf_id"], record["id"])
            table.identifiers[("hf", fold(record["hf_id"]))] = record["id"]
        for scheme, value in (record.get("identifiers") or {}).items():
            table.identifiers[(scheme, fold(str(value)))] = record["id"]
    for key, target in explicit.items():
        table.table[key] = target
        table.ambiguous.discard(key)
    return table
