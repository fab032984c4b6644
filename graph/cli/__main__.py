"""``python -m euaigraph.graph.cli``: the same as the ``euaigraph`` command."""

from euaigraph.graph.cli import app

app()
