"""Every module's docstring examples run (``doctest`` with ELLIPSIS), imported by their ``euaigraph.*`` names.

Explorer pages (``explorer/views/*`` and the entry script ``explorer/app.py``) are left out: importing them runs
a Streamlit page.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

LAYERS = ("euaigraph", "euaigraph.ontology", "euaigraph.ingest", "euaigraph.graph", "euaigraph.explorer",
          "euaigraph.queries", "euaigraph.curated")
PAGES = ("euaigraph.explorer.app", "euaigraph.explorer.views")


def module_names() -> list[str]:
    names = []
    for package in LAYERS:
        names.append(package)
        if package == "euaigraph":  # its folder holds only __init__; the layers live in their own folders
            continue
        path = importlib.import_module(package).__path__
        for info in pkgutil.walk_packages(path, prefix=f"{package}."):
            if not info.name.startswith(PAGES) and not info.name.endswith(".__main__"):  # entry scripts run on import
                names.append(info.name)
    return sorted(set(names))


MODULES = module_names()


def test_every_layer_is_found():
    for expected in ("euaigraph.ontology.iri", "euaigraph.ingest.sources.curated", "euaigraph.graph.store.embedded",
                     "euaigraph.ingest.curated_format"):
        assert expected in MODULES
    assert not [m for m in MODULES if m.startswith(PAGES)]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name} (see output above)"


def test_examples_exist():
    attempted = sum(doctest.testmod(importlib.import_module(n), optionflags=doctest.ELLIPSIS, report=False).attempted
                    for n in ("euaigraph.ontology.iri", "euaigraph.graph.query.run", "euaigraph.ingest.normalise"))
    assert attempted >= 15
