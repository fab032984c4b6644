"""The graph layer: stores (embedded Oxigraph, remote SPARQL), loading with provenance, validation,
guarded queries, analysis, export and the command line."""
