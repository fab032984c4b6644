"""Explorer pages: thin, each calls ``euaigraph.graph`` only."""
