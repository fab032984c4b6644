"""Every setting euaigraph reads from the environment, in one place (the README lists them).

Settings are read when asked for, so a test or the explorer's launcher that sets a variable is heard.

>>> s = Settings.from_environment({"EUAIGRAPH_HOME": "/tmp/g", "EUAIGRAPH_ANSWERS_MB": "64"})
>>> str(s.home), s.answers_bytes, s.endpoint, s.keep_versions
('/tmp/g', 67108864, None, 5)
>>> Settings.from_environment({"EUAIGRAPH_EXPLORER_ROW_CAP": "many"})
Traceback (most recent call last):
...
euaigraph.graph.settings.SettingError: EUAIGRAPH_EXPLORER_ROW_CAP='many' is not a number
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class SettingError(ValueError):
    """An environment variable has a value the project cannot use; the message names it."""


#: name -> (what it sets, default shown in the README)
DOCUMENTED: dict[str, tuple[str, str]] = {
    "EUAIGRAPH_HOME": ("the embedded store's folder", "./data/store"),
    "EUAIGRAPH_ENDPOINT": ("an endpoint id from the config file: use that SPARQL server instead", "(none)"),
    "EUAIGRAPH_CONFIG": ("the endpoint config file (TOML)", "./euaigraph.toml"),
    "EUAIGRAPH_QUERIES": ("a folder of saved questions (<theme>/<slug>.rq) for the explorer's catalogue", "(the package's)"),
    "EUAIGRAPH_MEMORY_QUADS": ("readers load graphs up to this many quads into memory", "5e6"),
    "EUAIGRAPH_WORKER_MEMORY_MB": ("memory limit of a query worker process", "6144"),
    "EUAIGRAPH_ANSWERS_MB": ("size limit of the answers kept per data version", "512"),
    "EUAIGRAPH_EXPLORER_TIMEOUT_S": ("time limit of an explorer query, seconds", "30"),
    "EUAIGRAPH_EXPLORER_ROW_CAP": ("row cap of an explorer query", "10000"),
    "EUAIGRAPH_EXPLORER_ANSWER_MB": ("the most one answer may take in the explorer's memory", "32"),
    "EUAIGRAPH_EXPLORER_CACHE_MB": ("the most all answers cached by the explorer may take together", "256"),
    "EUAIGRAPH_GUARD_TIMEOUT_S": ("time limit of the query guard's parse, seconds", "5"),
    "EUAIGRAPH_ALLOWED_HOSTS": ("Host names the explorer answers to, comma-separated (*.example.org for a domain's "
                                "sub-domains)", "127.0.0.1,localhost,::1"),
    "EUAIGRAPH_ANSWER_MB": ("the most one answer a query worker sends", "64"),
    "EUAIGRAPH_WORKER_ISOLATION": ("how query workers are cut off the network: auto, netns or seccomp", "auto"),
    "EUAIGRAPH_KEEP_VERSIONS": ("data versions an embedded store keeps for `euaigraph diff` (at least 1)", "5"),
}


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r} is not a number") from None


@dataclass(frozen=True)
class Settings:
    home: Path
    endpoint: str | None
    config: Path
    queries: Path | None
    memory_quads: int
    worker_memory_mb: int
    answers_bytes: int
    explorer_timeout_s: float | None
    explorer_row_cap: int | None
    explorer_answer_bytes: int
    explorer_cache_bytes: int
    guard_timeout_s: float
    allowed_hosts: tuple[str, ...]
    worker_answer_bytes: int
    worker_isolation: str
    keep_versions: int = 5

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        timeout = _number(env, "EUAIGRAPH_EXPLORER_TIMEOUT_S", 0)
        cap = _number(env, "EUAIGRAPH_EXPLORER_ROW_CAP", 0)
        return cls(
            home=Path(env.get("EUAIGRAPH_HOME") or "data/store"),
            endpoint=env.get("EUAIGRAPH_ENDPOINT") or None,
            config=Path(env.get("EUAIGRAPH_CONFIG") or "euaigraph.toml"),
            queries=Path(env["EUAIGRAPH_QUERIES"]) if env.get("EUAIGRAPH_QUERIES") else None,
            memory_quads=int(_number(env, "EUAIGRAPH_MEMORY_QUADS", 5e6)),
            worker_memory_mb=int(_number(env, "EUAIGRAPH_WORKER_MEMORY_MB", 6144)),
            answers_bytes=int(_number(env, "EUAIGRAPH_ANSWERS_MB", 512) * 1024 * 1024),
            explorer_timeout_s=timeout or None,
            explorer_row_cap=int(cap) or None,
            explorer_answer_bytes=int(_number(env, "EUAIGRAPH_EXPLORER_ANSWER_MB", 32) * 2**20),
            explorer_cache_bytes=int(_number(env, "EUAIGRAPH_EXPLORER_CACHE_MB", 256) * 2**20),
            guard_timeout_s=_number(env, "EUAIGRAPH_GUARD_TIMEOUT_S", 5),
            allowed_hosts=tuple(h.strip().lower() for h in (env.get("EUAIGRAPH_ALLOWED_HOSTS") or
                                                            "127.0.0.1,localhost,::1").split(",") if h.strip()),
            worker_answer_bytes=int(_number(env, "EUAIGRAPH_ANSWER_MB", 64) * 2**20),
            worker_isolation=env.get("EUAIGRAPH_WORKER_ISOLATION") or "auto",
            keep_versions=max(int(_number(env, "EUAIGRAPH_KEEP_VERSIONS", 5)), 1),
        )


def current() -> Settings:
    """The settings of the current environment."""
    return Settings.from_environment()


__all__ = ["DOCUMENTED", "SettingError", "Settings", "current"]
