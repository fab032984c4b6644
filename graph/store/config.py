"""Remote SPARQL endpoints, named by id in a TOML file; nobody types a URL into the explorer.

The file is ``$EUAIGRAPH_CONFIG``, else ``./euaigraph.toml``. Example::

    [endpoints.local]
    title = "Oxigraph server on this machine"
    query = "http://127.0.0.1:7878/query"
    update = "http://127.0.0.1:7878/update"      # leave out for a read-only endpoint
    store = "http://127.0.0.1:7878/store"        # SPARQL 1.1 Graph Store Protocol, for export and restore
    union = "oxigraph"                           # how to ask for the union of named graphs (see below)
    timeout_s = 30

``union``: ``oxigraph`` adds Oxigraph's ``union-default-graph`` parameter to each query; ``native`` means the
server's default graph already is the union (Virtuoso, GraphDB, QLever, Fuseki with unionDefaultGraph).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "euaigraph.toml"
>>> _ = path.write_text('[endpoints.local]\\nquery = "http://127.0.0.1:7878/query"\\n')
>>> endpoint("local", path=path).query
'http://127.0.0.1:7878/query'
>>> endpoint("nope", path=path)
Traceback (most recent call last):
...
euaigraph.graph.store.config.ConfigError: no endpoint 'nope' in ...euaigraph.toml (known: local)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from euaigraph.graph import settings


class ConfigError(Exception):
    """The configuration file is missing, malformed, or lacks the endpoint asked for."""


@dataclass(frozen=True)
class Endpoint:
    id: str
    query: str
    update: str | None = None
    store: str | None = None
    title: str = ""
    union: str = "oxigraph"
    timeout_s: float = 30.0

    @property
    def read_only(self) -> bool:
        return self.update is None


def config_path() -> Path:
    return settings.current().config


def _check_url(endpoint_id: str, key: str, url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"endpoint {endpoint_id!r}: {key} must be an http(s) URL, got {url!r}")
    return url


def endpoints(path: Path | None = None) -> dict[str, Endpoint]:
    """All endpoints in the configuration file (empty if there is no file)."""
    path = path or config_path()
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    out = {}
    for endpoint_id, table in (data.get("endpoints") or {}).items():
        if not isinstance(table, dict) or "query" not in table:
            raise ConfigError(f"{path}: endpoint {endpoint_id!r} needs a 'query' URL")
        unknown = set(table) - {"query", "update", "store", "title", "union", "timeout_s"}
        if unknown:
            raise ConfigError(f"{path}: endpoint {endpoint_id!r} has unknown keys {sorted(unknown)}")
        if table.get("union", "oxigraph") not in ("oxigraph", "native"):
            raise ConfigError(f"{path}: endpoint {endpoint_id!r}: union must be 'oxigraph' or 'native'")
        out[endpoint_id] = Endpoint(
            id=endpoint_id,
            query=_check_url(endpoint_id, "query", table["query"]),
            update=_check_url(endpoint_id, "update", table["update"]) if table.get("update") else None,
            store=_check_url(endpoint_id, "store", table["store"]) if table.get("store") else None,
            title=str(table.get("title", "")),
            union=table.get("union", "oxigraph"),
            timeout_s=float(table.get("timeout_s", 30)),
        )
    return out


def endpoint(endpoint_id: str, *, path: Path | None = None) -> Endpoint:
    """The endpoint with this id, or :class:`ConfigError` naming the ids that exist."""
    path = path or config_path()
    known = endpoints(path)
    if endpoint_id not in known:
        raise ConfigError(f"no endpoint {endpoint_id!r} in {path} (known: {', '.join(sorted(known)) or 'none'})")
    return known[endpoint_id]
