"""Curated facts (YAML), shipped with the package so the graph builds offline. See README.md."""
