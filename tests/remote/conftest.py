"""Fixtures for the engine tests: each tested engine's server (the session fixtures of tests/conftest.py) and a
configuration file naming it the way a user would, with the password left to the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from euaigraph.graph.store.config import Endpoint, password_variable

#: engine -> the session fixture that starts its server
SERVERS = {"oxigraph": "oxigraph_server", "virtuoso": "virtuoso_server", "jena": "jena_front"}
ENGINES = tuple(SERVERS)


def server_of(request: pytest.FixtureRequest, engine: str):
    return request.getfixturevalue(SERVERS[engine])


def endpoint_of(server, engine: str, **changes) -> Endpoint:
    """The server's endpoint under the engine's name, with any field changed."""
    return Endpoint(**{**server.endpoint(engine).__dict__, **changes})


def write_config(path: Path, endpoint: Endpoint) -> dict[str, str]:
    """An ``euaigraph.toml`` naming ``endpoint`` (no password in it), and the environment that completes it."""
    lines = [f"[endpoints.{endpoint.id}]", f'title = "{endpoint.id} for the tests"', f'query = "{endpoint.query}"']
    for key in ("update", "store"):
        if getattr(endpoint, key):
            lines.append(f'{key} = "{getattr(endpoint, key)}"')
    lines += [f'union = "{endpoint.union}"', f"timeout_s = {endpoint.timeout_s}"]
    env = {"EUAIGRAPH_CONFIG": str(path)}
    if endpoint.auth != "none":
        lines += [f'auth = "{endpoint.auth}"', f'user = "{endpoint.user}"']
        env[password_variable(endpoint.id)] = endpoint.password
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return env
