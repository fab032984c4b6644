"""Deployment settings: ``.streamlit/config.toml`` keeps XSRF and CORS protection on, error details off and the
server on 127.0.0.1; ``euaigraph explore`` passes the same settings on its command line, so they hold wherever the
explorer is started from; Streamlit itself reads them that way.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / ".streamlit" / "config.toml"
#: showErrorDetails values that show no traceback and no exception message (Streamlit's "none" and legacy false).
HIDDEN = {"none", "false", False}
#: What the explorer must run with, as Streamlit option name -> accepted values.
REQUIRED = {"server.enableXsrfProtection": {True, "true"}, "server.enableCORS": {True, "true"},
            "client.showErrorDetails": HIDDEN, "server.address": {"127.0.0.1"},
            "browser.gatherUsageStats": {False, "false"}}


def config() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


@pytest.mark.parametrize("option", list(REQUIRED))
def test_streamlit_config_file_keeps_protection_on(option):
    """Input: .streamlit/config.toml. Expected: XSRF and CORS protection on, error details hidden, bound to
    127.0.0.1, no usage statistics."""
    section, key = option.split(".")
    assert config()[section][key] in REQUIRED[option]


@pytest.fixture
def explore_command(monkeypatch, tmp_path) -> list[str]:
    """The command line ``euaigraph explore`` would run (captured instead of started)."""
    import os

    from euaigraph.graph.cli import commands as cli

    captured: list[list[str]] = []
    # explore replaces its own process with the launcher (os.execve): captured here instead
    monkeypatch.setattr(os, "execve", lambda path, command, env: captured.append(command))
    result = CliRunner().invoke(cli.app, ["--store", str(tmp_path / "store"), "explore"])
    assert result.exit_code == 0, result.output
    assert len(captured) == 1
    return captured[0]


def _flags(command: list[str]) -> dict[str, str]:
    flags = {}
    for at, item in enumerate(command):
        if item.startswith("--") and "." in item and at + 1 < len(command):
            flags[item[2:]] = command[at + 1]
    return flags


@pytest.mark.parametrize("option", list(REQUIRED))
def test_explore_command_passes_the_same_protection(explore_command, option):
    """Input: ``euaigraph explore`` (the Streamlit launch it would run). Expected: each protection flag is passed
    explicitly with the same meaning as in config.toml."""
    flags = _flags(explore_command)
    assert option in flags, f"{option} not passed: {explore_command}"
    assert flags[option] in REQUIRED[option]


def test_streamlit_reads_the_config_as_protected(monkeypatch):
    """Input: Streamlit's own config loader on the repository's config.toml. Expected: it resolves XSRF and CORS
    on and error details to "none"."""
    from streamlit import config as st_config

    monkeypatch.chdir(REPO)
    st_config._config_options = None  # force a fresh read of ./.streamlit/config.toml
    try:
        st_config.get_config_options(force_reparse=True)
        assert st_config.get_option("server.enableXsrfProtection") is True
        assert st_config.get_option("server.enableCORS") is True
        assert str(st_config.get_option("client.showErrorDetails")).lower() in {"none", "false"}
    finally:
        st_config._config_options = None
