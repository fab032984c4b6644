"""Benchmarks: a generator of synthetic graphs of the project's shape and a runner that times loads and analyst
questions on rdflib in memory (the baseline), the embedded store and an Oxigraph server (``python -m bench.run``).

Nothing in ``euaigraph`` imports this package.
"""
