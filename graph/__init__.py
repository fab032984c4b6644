"""The graph layer: stores, loading and deriving, guarded queries, analysis, export and the command line.

Subpackages: :mod:`.store` (embedded Oxigraph, remote SPARQL, the meta graph), :mod:`.load` (parse, check,
derive, swap; validation), :mod:`.query` (saved questions, the guard, workers, kept answers, formats),
:mod:`.analysis` (networkx metrics), :mod:`.cli` (the ``euaigraph`` command) and :mod:`.export` (snapshots).

This module is the front the explorer imports from (``from euaigraph.graph import run_query``); a test checks
that the explorer reaches the graph layer through these names only. Names are loaded on first use, so importing
the front costs nothing until a name is read.

>>> from euaigraph import graph
>>> graph.DEFAULT_ROW_CAP > 0
True
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: name -> the module that defines it (under euaigraph.graph unless written in full).
_FRONT: dict[str, str] = {
    # modules used as namespaces
    "analysis": "analysis", "export": "export", "network": "network", "formats": "query.formats",
    # stores
    "Store": "store.base", "QueryResult": "store.base", "QueryCancelled": "store.base", "StoreError": "store.base",
    "SourceStatus": "store.base", "graph_source": "store.base", "Ledger": "store.ledger", "read_ledger": "store.ledger",
    "ConfigError": "store.config", "endpoint": "store.config", "default_home": "store.embedded",
    "UnsafeIriError": "store.terms", "check_iri": "store.terms", "nt_term": "store.terms",
    # queries
    "DEFAULT_ROW_CAP": "query.run", "DEFAULT_TIMEOUT_S": "query.run", "MAX_QUERY_CHARS": "query.run",
    "QueryRefused": "query.run",
    "run_query": "query.run", "with_prefixes": "query.run",
    "Param": "query.saved", "SavedQuery": "query.saved", "SavedQueryError": "query.saved", "catalogue": "query.saved",
    "QueryWorkers": "query.worker", "StoreRef": "query.worker", "Answers": "query.answers",
    "answer_bytes": "query.answers",
    # the entity network and snapshots
    "REFERENCE_KINDS": "network", "regions": "network", "graphml": "network", "entity_network": "network",
    "ELSEWHERE": "network", "UNKNOWN_REGION": "network",
    # reference data and rules
    "blocs": "euaigraph.ingest.sources.blocs", "headlines": "headlines", "rules": "load.rules",
    "settings": "settings", "syntax": "query.syntax",
    # coverage of the graph (per kind, per key property)
    "Coverage": "coverage", "coverage_of": "coverage", "coverage_gaps": "coverage",
    # what changed between data versions, labels in the analyst's language, citing
    "diff": "diff", "versions": "versions", "citation": "citation", "labels": "labels",
}

#: Names in the front that are modules used as namespaces (``analysis.upstream``), not objects in a module.
_MODULES = frozenset({"analysis", "citation", "diff", "export", "formats", "headlines", "labels", "network", "rules",
                      "settings", "syntax", "versions"})

__all__ = sorted(_FRONT)


def __getattr__(name: str) -> Any:
    try:
        where = _FRONT[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module = import_module(where if where.startswith("euaigraph.") else f"{__name__}.{where}")
    value = module if name in _MODULES else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
