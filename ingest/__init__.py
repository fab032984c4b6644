"""Ingesters: one module per source in ``ingest/sources``, registered in ``ingest/registry.py``.

Each source parses its real format into triples (pure, offline-testable), reports bad records with where they
were, and never writes to a store: loading is the graph layer's job.
"""
