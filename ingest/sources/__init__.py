"""One module per source. Each module defines ``SOURCE``, a :class:`euaigraph.ingest.base.SourceSpec`."""
