"""Start the explorer with what its first page needs already in memory, answering only at its own host names.

``euaigraph explore`` runs ``python -m euaigraph.explorer.serve [Streamlit options]``. This process imports the
explorer's modules, opens the store, computes the whole-graph results of the current data version (entity
network, layout, headline findings) and starts a query worker, then runs Streamlit in
the same process: the first visitor waits for none of it. ``streamlit run explorer/app.py`` works too; its first
visitor then pays for the imports and the computations once.

Host allow-list: a page on another site whose name is made to resolve to 127.0.0.1 (DNS rebinding) sends its own
name in the ``Host`` header, which the Origin check does not catch. Streamlit's Starlette app is wrapped here with
Starlette's ``TrustedHostMiddleware``, so every HTTP request and WebSocket with a ``Host`` outside
:func:`allowed_hosts` (``$EUAIGRAPH_ALLOWED_HOSTS``, default ``127.0.0.1,localhost,::1``) gets a 400 and nothing
else; ``explorer/app.py`` checks the same list on each page run, for an explorer started without this launcher.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from euaigraph.graph import settings

APP = Path(__file__).with_name("app.py")
DEFAULT_HOSTS = ("127.0.0.1", "localhost", "::1")


def allowed_hosts() -> list[str]:
    """Host names the explorer answers to: ``$EUAIGRAPH_ALLOWED_HOSTS`` (comma-separated; ``*.example.org`` for a
    domain's sub-domains), else 127.0.0.1, localhost and ::1."""
    return list(settings.current().allowed_hosts)


def host_allowed(header: str | None) -> bool:
    """Whether a ``Host`` header names an allowed host (its port does not matter).

    >>> host_allowed("127.0.0.1:8501"), host_allowed("[::1]:8501"), host_allowed("evil.example:8501")
    (True, True, False)
    """
    if not header:
        return False
    host = header.strip().lower()
    if host.startswith("["):
        host = host[1:host.find("]")] if "]" in host else host
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return any(host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:]))
               for pattern in allowed_hosts())


def guard_hosts() -> None:
    """Make Streamlit's server refuse requests whose ``Host`` is not allowed. Raises RuntimeError if this Streamlit
    builds its app some other way (then the explorer must not start without the allow-list)."""
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from streamlit.web.server.starlette import starlette_server

    create = getattr(starlette_server, "create_starlette_app", None)
    if create is None:
        raise RuntimeError("this Streamlit version builds its server differently; the host allow-list cannot be set")

    def create_with_allow_list(runtime):
        app = create(runtime)
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(), www_redirect=False)
        return app

    starlette_server.create_starlette_app = create_with_allow_list


def warm() -> str:
    """Import and compute everything the pages share; returns a line saying what was done."""
    started = time.perf_counter()
    import altair  # noqa: F401 - imported here so the first page does not pay for it
    import pandas  # noqa: F401
    import pyvis.network  # noqa: F401

    from euaigraph.explorer import components, dependencies, precomputed, questions, render, state  # noqa: F401

    ctx = state.context()
    if not ctx.empty:
        precomputed.findings(ctx)
        precomputed.default_view(ctx)
        render.render(precomputed.entity_network(ctx).subgraph([]))  # loads the inlined vis-network assets
        ctx.workers.execute("ASK { }", timeout_s=120, row_cap=1)
    return f"explorer ready for {ctx.label}, data version {ctx.version} ({time.perf_counter() - started:.1f} s)"


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        guard_hosts()
    except (ImportError, RuntimeError) as exc:
        print(f"the explorer will not start without its host allow-list: {exc}", file=sys.stderr)
        sys.exit(2)
    try:
        print(warm(), file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 - the app itself shows the problem to the visitor
        print(f"could not prepare the explorer ({exc}); starting anyway", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *args]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
