"""``euaigraph explore`` is the explorer's server process itself: stopping it (SIGTERM, as a service manager or a
terminal does) stops the server and frees the port, with no child left serving."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_stopping_explore_stops_the_server(shipped_home):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "euaigraph.graph.cli", "--store", str(shipped_home), "explore",
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            pytest.fail("the explorer did not answer within 120 s")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        time.sleep(0.5)
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left of the session, so a failure leaves nothing
        except ProcessLookupError:
            pass
