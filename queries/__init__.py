"""Saved SPARQL questions, one per ``<theme>/<slug>.rq`` file with a ``#+`` YAML header."""
