"""euaigraph: a knowledge graph and policy explorer for the European open-source AI ecosystem.

The distribution is laid out by layer (see ``decisions/0001-layout.md``):
``euaigraph.ontology`` (terms, IRIs, shapes) <- ``euaigraph.ingest`` (one module per source)
<- ``euaigraph.graph`` (store, queries, analysis, export, CLI) <- ``euaigraph.explorer`` (Streamlit).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("euaigraph")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"
