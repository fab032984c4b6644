"""Remote SPARQL endpoints, named by id in a TOML file; nobody types a URL into the explorer.

The file is ``$EUAIGRAPH_CONFIG``, else ``./euaigraph.toml``. Example (docs/engines.md has one per engine)::

    [endpoints.virtuoso]
    title = "Virtuoso on this machine"
    query = "http://127.0.0.1:8890/sparql"
    update = "http://127.0.0.1:8890/sparql-auth"          # leave out for a read-only endpoint
    store = "http://127.0.0.1:8890/sparql-graph-crud-auth" # SPARQL 1.1 Graph Store Protocol: loads and export
    union = "none"                                        # how queries reach the union of the current graphs
    auth = "digest"                                       # none, basic or digest
    user = "euaigraph"
    password_env = "EUAIGRAPH_VIRTUOSO_PASSWORD"          # the password is read from this variable
    row_limit = 10000                                     # the engine's own cap on answer rows, if it has one
    timeout_s = 30

``union``: ``oxigraph`` adds Oxigraph's ``union-default-graph`` parameter; ``native`` means the server's default
graph is the union of its named graphs (Fuseki/TDB2 with ``unionDefaultGraph``, GraphDB); ``none`` names the
current graphs in every query (``default-graph-uri``/``named-graph-uri``), which every SPARQL 1.1 server
understands and which Virtuoso needs (its default graph also holds its system graphs). While a load is running,
every endpoint is read through named graphs (see decisions/0016-portable-remote-store.md).

Credentials never belong in the repository: ``password_env`` names an environment variable, and
``EUAIGRAPH_ENDPOINT_<ID>_PASSWORD`` (the id upper-cased, ``-`` as ``_``) overrides any ``password`` in the file.

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

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from euaigraph.graph import settings

UNIONS = ("oxigraph", "native", "none")
AUTHS = ("none", "basic", "digest")
_KEYS = {"query", "update", "store", "title", "union", "timeout_s", "auth", "user", "password", "password_env",
         "row_limit", "update_triples", "load_bytes"}


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
    auth: str = "none"
    user: str | None = None
    #: Never printed (repr=False); read from the environment when the endpoint is loaded from the file.
    password: str | None = field(default=None, repr=False)
    #: Where the password was to come from, for the message when it is missing.
    password_env: str | None = None
    #: The engine's own cap on the rows of one answer (Virtuoso's ResultSetMaxRows), when it has one.
    row_limit: int | None = None
    #: Most triples in one INSERT DATA request (Virtuoso refuses about 1,500: SP031).
    update_triples: int = 1000
    #: Most bytes in one Graph Store Protocol POST (the Oxigraph server refuses bodies over 128 MB).
    load_bytes: int = 32 << 20

    @property
    def read_only(self) -> bool:
        return self.update is None

    def credentials(self) -> tuple[str, str] | None:
        """(user, password) for HTTP authentication, None without ``auth``; ConfigError if the password is missing."""
        if self.auth == "none":
            return None
        if not (self.user and self.password):
            where = self.password_env or password_variable(self.id)
            raise ConfigError(f"endpoint {self.id!r}: auth = {self.auth!r} needs a user and a password; set {where}")
        return self.user, self.password


def config_path() -> Path:
    return settings.current().config


def password_variable(endpoint_id: str) -> str:
    """The environment variable that holds an endpoint's password whatever the file says.

    >>> password_variable("eu-virtuoso")
    'EUAIGRAPH_ENDPOINT_EU_VIRTUOSO_PASSWORD'
    """
    return f"EUAIGRAPH_ENDPOINT_{endpoint_id.upper().replace('-', '_')}_PASSWORD"


def _check_url(endpoint_id: str, key: str, url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"endpoint {endpoint_id!r}: {key} must be an http(s) URL, got {url!r}")
    if parsed.username or parsed.password:
        raise ConfigError(f"endpoint {endpoint_id!r}: {key} must not carry credentials; use user and password_env")
    return url


def _positive_int(path: Path, endpoint_id: str, table: dict, key: str, default: int | None) -> int | None:
    value = table.get(key, default)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise ConfigError(f"{path}: endpoint {endpoint_id!r}: {key} must be a positive whole number")
    return value


def _password(endpoint_id: str, table: dict) -> str | None:
    """The environment first, then ``password_env``, then ``password`` (a missing one is reported at first use)."""
    for name in (password_variable(endpoint_id), table.get("password_env")):
        if name and os.environ.get(str(name)):
            return os.environ[str(name)]
    return str(table["password"]) if table.get("password") else None


def _endpoint(path: Path, endpoint_id: str, table: dict) -> Endpoint:
    if not isinstance(table, dict) or "query" not in table:
        raise ConfigError(f"{path}: endpoint {endpoint_id!r} needs a 'query' URL")
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(f"{path}: endpoint {endpoint_id!r} has unknown keys {sorted(unknown)}")
    union, auth = table.get("union", "oxigraph"), table.get("auth", "none")
    if union not in UNIONS:
        raise ConfigError(f"{path}: endpoint {endpoint_id!r}: union must be one of {', '.join(UNIONS)}")
    if auth not in AUTHS:
        raise ConfigError(f"{path}: endpoint {endpoint_id!r}: auth must be one of {', '.join(AUTHS)}")
    if auth != "none" and not table.get("user"):
        raise ConfigError(f"{path}: endpoint {endpoint_id!r}: auth = {auth!r} needs a user")
    return Endpoint(
        id=endpoint_id,
        query=_check_url(endpoint_id, "query", table["query"]),
        update=_check_url(endpoint_id, "update", table["update"]) if table.get("update") else None,
        store=_check_url(endpoint_id, "store", table["store"]) if table.get("store") else None,
        title=str(table.get("title", "")),
        union=union,
        timeout_s=float(table.get("timeout_s", 30)),
        auth=auth,
        user=str(table["user"]) if table.get("user") else None,
        password=_password(endpoint_id, table),
        password_env=str(table["password_env"]) if table.get("password_env") else None,
        row_limit=_positive_int(path, endpoint_id, table, "row_limit", None),
        update_triples=_positive_int(path, endpoint_id, table, "update_triples", 1000),
        load_bytes=_positive_int(path, endpoint_id, table, "load_bytes", 32 << 20),
    )


def endpoints(path: Path | None = None) -> dict[str, Endpoint]:
    """All endpoints in the configuration file (empty if there is no file)."""
    path = path or config_path()
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return {endpoint_id: _endpoint(path, endpoint_id, table)
            for endpoint_id, table in (data.get("endpoints") or {}).items()}


def endpoint(endpoint_id: str, *, path: Path | None = None) -> Endpoint:
    """The endpoint with this id, or :class:`ConfigError` naming the ids that exist."""
    path = path or config_path()
    known = endpoints(path)
    if endpoint_id not in known:
        raise ConfigError(f"no endpoint {endpoint_id!r} in {path} (known: {', '.join(sorted(known)) or 'none'})")
    return known[endpoint_id]
