"""A query worker whose guard is switched off: it runs whatever text it is sent, unparsed and unchecked.

Started by the isolation tests as ``python unguarded_worker.py FD`` (``QueryWorkers(..., command=...)``) to show that
a SERVICE which got past the guard still reaches no one: the worker cuts itself off the network before it opens
the store, whatever its guard does.
"""

from __future__ import annotations

import sys

from euaigraph.graph.query import worker


def _no_guard(text, params):
    return text


worker.guard_and_bind = _no_guard

if __name__ == "__main__":
    worker._main(int(sys.argv[1]))
