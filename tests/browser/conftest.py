"""Fixtures for the browser tests: Debian's chromium driven by Playwright, and the explorer started by the tests
with ``streamlit run explorer/app.py`` on 127.0.0.1.

Without chromium the tests fail with a message saying how to install it, unless the developer opts out on purpose
with ``EUAIGRAPH_SKIP_BROWSER=1`` (then they skip, saying so); in CI (``CI=true``) it is always a failure. Every page a
test opens is watched (see ``browser_support.watch``): requests that would leave 127.0.0.1 are recorded and
aborted, dialogs and console messages are recorded, so tests can assert that nothing went out and nothing ran.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from browser_support import Explorer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "explorer"))
import explorer_support  # noqa: E402 - the store builders shared with the AppTest tests

CHROMIUM = os.environ.get("EUAIGRAPH_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
LAUNCH_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


OPTED_OUT = os.environ.get("EUAIGRAPH_SKIP_BROWSER", "") not in ("", "0")


def _missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} (CI=true: this is a failure, not a skip)")
    if OPTED_OUT:
        pytest.skip(f"{what} (skipped because EUAIGRAPH_SKIP_BROWSER is set)")
    pytest.fail(f"{what}; to run the other tests without the browser on purpose, set EUAIGRAPH_SKIP_BROWSER=1")


@pytest.fixture(scope="session")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        _missing(f"chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium) "
                 "or set EUAIGRAPH_CHROMIUM")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium):
    """pytest-playwright launches Debian's chromium (``playwright install`` cannot download here)."""
    return {**browser_type_launch_args, "executable_path": chromium, "headless": True, "args": LAUNCH_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}, "accept_downloads": True}


def _explorer(tmp_path_factory, home: Path, name: str, **options):
    explorer = Explorer(home, tmp_path_factory.mktemp("logs") / f"{name}.log", **options)
    yield explorer
    explorer.stop()


@pytest.fixture(scope="session")
def shipped_explorer(chromium, shipped_home, tmp_path_factory):
    yield from _explorer(tmp_path_factory, shipped_home, "shipped")


@pytest.fixture(scope="session")
def hostile_explorer(chromium, tmp_path_factory):
    home = explorer_support.hostile(tmp_path_factory.mktemp("hostile") / "store")
    yield from _explorer(tmp_path_factory, home, "hostile")


@pytest.fixture(scope="session")
def thousand_explorer(chromium, tmp_path_factory):
    home = explorer_support.thousand(tmp_path_factory.mktemp("thousand") / "store")
    yield from _explorer(tmp_path_factory, home, "thousand")


@pytest.fixture(scope="session")
def two_versions_explorer(chromium, two_versions_home, tmp_path_factory):
    """The explorer on the shipped graph plus one recorded feed (two kept data versions)."""
    yield from _explorer(tmp_path_factory, two_versions_home, "two-versions")
