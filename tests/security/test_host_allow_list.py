"""The explorer answers only at its own host names (DNS rebinding: a page on another site whose name resolves to
127.0.0.1 sends that name in ``Host``). The explorer runs as ``euaigraph explore`` starts it
(``python -m euaigraph.explorer.serve``); requests and the WebSocket are sent with chosen ``Host`` headers."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest
import requests

from euaigraph.explorer.serve import host_allowed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_support import Explorer  # noqa: E402

pytestmark = pytest.mark.slow


def _start(tmp_path_factory, name: str, hosts: str | None) -> Explorer:
    previous = os.environ.get("EUAIGRAPH_ALLOWED_HOSTS")
    if hosts is None:
        os.environ.pop("EUAIGRAPH_ALLOWED_HOSTS", None)
    else:
        os.environ["EUAIGRAPH_ALLOWED_HOSTS"] = hosts
    try:
        folder = tmp_path_factory.mktemp(name)
        return Explorer(folder / "store", folder / "explorer.log", launcher=True)
    finally:
        if previous is None:
            os.environ.pop("EUAIGRAPH_ALLOWED_HOSTS", None)
        else:
            os.environ["EUAIGRAPH_ALLOWED_HOSTS"] = previous


@pytest.fixture(scope="module")
def default_explorer(tmp_path_factory):
    explorer = _start(tmp_path_factory, "hosts-default", None)
    yield explorer
    explorer.stop()


def _status(explorer: Explorer, path: str, host: str) -> int:
    return requests.get(f"{explorer.url}{path}", headers={"Host": host}, timeout=30).status_code


def _websocket_status(explorer: Explorer, host: str) -> str:
    """The status line the server answers a WebSocket upgrade of ``/_stcore/stream`` with."""
    with socket.create_connection(("127.0.0.1", explorer.port), timeout=30) as sock:
        sock.sendall((f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                      f"Origin: http://{host}\r\n\r\n").encode())
        return sock.recv(4096).split(b"\r\n", 1)[0].decode()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8501", "127.0.0.1.evil.example", "attacker.test:80"])
def test_requests_with_another_host_are_refused(default_explorer, host):
    """Input: the page, the health check and the WebSocket asked for with a foreign ``Host``.
    Expected: 400 for each, no WebSocket."""
    assert _status(default_explorer, "/", host) == 400
    assert _status(default_explorer, "/_stcore/health", host) == 400
    assert " 101 " not in _websocket_status(default_explorer, host)


def test_own_host_names_are_answered(default_explorer):
    """Input: the same requests with 127.0.0.1 and localhost (any port). Expected: answered, WebSocket opened."""
    for host in (f"127.0.0.1:{default_explorer.port}", f"localhost:{default_explorer.port}", "127.0.0.1"):
        assert _status(default_explorer, "/", host) == 200
        assert _status(default_explorer, "/_stcore/health", host) == 200
    assert " 101 " in _websocket_status(default_explorer, f"127.0.0.1:{default_explorer.port}")


def test_the_allow_list_is_configurable(tmp_path_factory):
    """Input: ``EUAIGRAPH_ALLOWED_HOSTS=explorer.example.org,127.0.0.1`` (behind a proxy of that name; 127.0.0.1
    for the test's own readiness check). Expected: that name is answered; localhost, allowed by default, is now
    refused: the list replaces the default."""
    explorer = _start(tmp_path_factory, "hosts-configured", "explorer.example.org,127.0.0.1")
    try:
        assert _status(explorer, "/", "explorer.example.org") == 200
        assert _status(explorer, "/", f"localhost:{explorer.port}") == 400
    finally:
        explorer.stop()


def test_host_check_of_the_app_itself(monkeypatch):
    """Input: Host headers as the app sees them when started without the launcher. Expected: the same decisions."""
    monkeypatch.delenv("EUAIGRAPH_ALLOWED_HOSTS", raising=False)
    assert [host_allowed(h) for h in ("localhost", "[::1]:8501", "EVIL.example", "", None)] == \
        [True, True, False, False, False]
    monkeypatch.setenv("EUAIGRAPH_ALLOWED_HOSTS", "*.ministry.example")
    assert host_allowed("explorer.ministry.example:443") and not host_allowed("ministry.example.evil.test")
