"""The ``euaigraph`` command line: :data:`app` with every command registered.

:mod:`.commands` holds the Typer app, the store options and the data commands (build, ingest, query, analyse,
explore); :mod:`.maintenance` the maintenance commands (sources, export, backup, restore, validate, warm,
curated); :mod:`.identity` the identity review (merges and near-misses); :mod:`.coverage` the coverage report;
:mod:`.diff` what changed between data versions; :mod:`.analyse` what ``euaigraph analyse`` computes. Importing
this package registers them all.
"""

from euaigraph.graph.cli import coverage, diff, identity, maintenance  # noqa: F401  (register their commands on app)
from euaigraph.graph.cli.commands import app

__all__ = ["app"]
