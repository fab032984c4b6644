"""Start the explorer with what its first page needs already in memory.

``euaigraph explore`` runs ``python -m euaigraph.explorer.serve [Streamlit options]``. This process imports the
explorer's modules, opens the store, computes the whole-graph results of the current data version (entity
network, layout, headline findings) and starts a query worker, then runs Streamlit in
the same process: the first visitor waits for none of it. ``streamlit run explorer/app.py`` works too; its first
visitor then pays for the imports and the computations once.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

APP = Path(__file__).with_name("app.py")


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
        print(warm(), file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 - the app itself shows the problem to the visitor
        print(f"could not prepare the explorer ({exc}); starting anyway", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *args]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
