"""Run a SPARQL server that cannot call out: ``python -m euaigraph.graph.query.isolated_server --relay
127.0.0.1:7878:7878 -- oxigraph serve --location DB --bind 127.0.0.1:7878`` (decision 0012).

This process binds the outside addresses first, in the machine's network namespace; then it moves into a network
namespace of its own (:func:`~euaigraph.graph.query.isolation.new_network_namespace`) with only its loopback up,
starts the server there, and relays every connection accepted outside to the server's port inside. The server
can answer whoever reaches the outside address, but a ``SERVICE``, ``LOAD`` or ``FROM`` it is tricked into
following has nowhere to go: inside there is no interface but the loopback. The relay itself only ever connects to
the server's port on that loopback.

``--relay OUTSIDE_HOST:OUTSIDE_PORT:INSIDE_PORT`` may be repeated (Virtuoso listens on two ports). The server is
stopped with this process (SIGTERM is passed on; a killed relay takes the server with it).
"""

from __future__ import annotations

import argparse
import ctypes
import signal
import socket
import subprocess
import sys
import threading
import time

from euaigraph.graph.query.isolation import IsolationError, loopback_up, new_network_namespace

_PR_SET_PDEATHSIG = 1
_BLOCK = 1 << 16


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while block := source.recv(_BLOCK):
            sink.sendall(block)
    except OSError:
        pass
    finally:
        for sock, how in ((sink, socket.SHUT_WR), (source, socket.SHUT_RD)):
            try:
                sock.shutdown(how)
            except OSError:
                pass


def _connect_inside(port: int, deadline: float) -> socket.socket:
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=30)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _serve_one(outside: socket.socket, port: int) -> None:
    try:
        inside = _connect_inside(port, time.monotonic() + 60)
    except OSError:
        outside.close()
        return
    inside.settimeout(None)
    threading.Thread(target=_pump, args=(inside, outside), daemon=True).start()
    _pump(outside, inside)


def _accept(listener: socket.socket, port: int) -> None:
    while True:
        connection, _ = listener.accept()
        threading.Thread(target=_serve_one, args=(connection, port), daemon=True).start()


def _die_with_parent() -> None:
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m euaigraph.graph.query.isolated_server",
                                     description="Run a server in a network namespace of its own, reachable only "
                                                 "through relayed ports.")
    parser.add_argument("--relay", action="append", required=True, metavar="HOST:PORT:INSIDE_PORT",
                        help="listen on HOST:PORT outside and relay to 127.0.0.1:INSIDE_PORT inside")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the server command")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the server command after --")
    listeners = []
    for relay in args.relay:
        host, port, inside = relay.rsplit(":", 2)
        listener = socket.create_server((host.strip("[]"), int(port)), backlog=64)
        listeners.append((listener, int(inside)))
    try:
        done = new_network_namespace()
        loopback_up()
        interfaces = [name for _, name in socket.if_nameindex()]
        if interfaces != ["lo"]:
            raise IsolationError(f"the new namespace has interfaces besides the loopback: {interfaces}")
    except (IsolationError, OSError) as exc:
        print(f"isolated_server: cannot start the server without network access: {exc}", file=sys.stderr)
        return 3
    print(f"isolated_server: {done}; starting {command[0]}", file=sys.stderr, flush=True)
    server = subprocess.Popen(command, preexec_fn=_die_with_parent)  # noqa: PLW1509 - only a prctl call
    signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    signal.signal(signal.SIGINT, lambda *_: server.terminate())
    for listener, inside in listeners:
        threading.Thread(target=_accept, args=(listener, inside), daemon=True).start()
    return server.wait()


if __name__ == "__main__":
    sys.exit(main())
