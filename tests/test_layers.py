"""The import rule of decisions/0001-layout.md, checked on the source by an AST walk: explorer -> graph -> ingest -> ontology,
nothing imports upward, streamlit and pyvis only in explorer/, and explorer/ never imports ingest/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: folder -> dotted package it installs as (pyproject.toml [tool.setuptools.package-dir])
FOLDERS = {"euaigraph": "euaigraph", "ontology": "euaigraph.ontology", "ingest": "euaigraph.ingest",
           "graph": "euaigraph.graph", "explorer": "euaigraph.explorer", "queries": "euaigraph.queries",
           "data/curated": "euaigraph.curated"}
#: layer -> rank; a module may import its own rank or lower. The root package and the data packages hold no code
#: that imports a layer, and every layer may read them.
RANK = {"curated": 0, "queries": 0, "ontology": 1, "ingest": 2, "graph": 3, "explorer": 4}
EXPLORER_ONLY = ("streamlit", "pyvis")


def module_name(path: Path) -> str:
    for folder, package in sorted(FOLDERS.items(), key=lambda kv: -len(kv[0])):
        base = REPO / folder
        if base in path.parents:
            parts = path.relative_to(base).with_suffix("").parts
            return ".".join([package, *(p for p in parts if p != "__init__")])
    raise ValueError(path)


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "euaigraph" and len(parts) > 1 and parts[1] in RANK else None


def imports(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in the source, relative ones resolved, lazy ones included."""
    package = module if is_package else module.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            out.append((node.lineno, target))
            out += [(node.lineno, f"{target}.{alias.name}") for alias in node.names if not node.module]
    return out


def problems(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Every import in ``source`` (the code of ``module``) that breaks the rule."""
    own = layer(module)
    found = []
    for line, target in imports(source, module, is_package=is_package):
        top, theirs = target.split(".")[0], layer(target)
        if top in EXPLORER_ONLY and own != "explorer":
            found.append(f"{module}:{line} imports {target}: {top} belongs in explorer/ only")
        if own is None and theirs is not None:
            found.append(f"{module}:{line} imports {target}: the root package imports no layer")
        elif theirs is not None and RANK[theirs] > RANK[own]:
            found.append(f"{module}:{line} imports {target}: {own} must not import the {theirs} layer above it")
        if own == "explorer" and theirs == "ingest":
            found.append(f"{module}:{line} imports {target}: explorer goes through graph/, never ingest/")
        if own == "explorer" and theirs == "graph" and target != "euaigraph.graph":
            found.append(f"{module}:{line} imports {target}: explorer uses the front of graph/ (euaigraph.graph)")
    return found


def sources() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (REPO / folder).rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_keeps_to_its_layer():
    files = sources()
    assert len(files) > 40
    found = []
    for path in files:
        found += problems(path.read_text(encoding="utf-8"), module_name(path), is_package=path.name == "__init__.py")
    assert not found, "\n".join(found)


@pytest.mark.parametrize(("module", "code", "expected"), [
    ("euaigraph.ingest.sources.x", "from ...graph.store import Store", "ingest must not import the graph layer"),
    ("euaigraph.ontology.iri", "def f():\n    from euaigraph.ingest import base", "ontology must not import"),
    ("euaigraph.graph.cli.commands", "import streamlit as st", "streamlit belongs in explorer/ only"),
    ("euaigraph.graph.x", "from pyvis.network import Network", "pyvis belongs in explorer/ only"),
    ("euaigraph.explorer.views.a", "from euaigraph.ingest.normalise import fold", "explorer goes through graph/"),
    ("euaigraph.explorer.a", "from .. import ingest", "explorer goes through graph/"),
    ("euaigraph", "from .graph import cli", "the root package imports no layer"),
    ("euaigraph.explorer.a", "from euaigraph.graph.query.run import run_query", "uses the front of graph/"),
])
def test_the_checker_catches_each_kind_of_breach(module, code, expected):
    assert any(expected in p for p in problems(code, module)), problems(code, module)


@pytest.mark.parametrize(("module", "code"), [
    ("euaigraph.graph.load.pipeline", "from euaigraph.ingest.base import Feed\nfrom ..ontology import iri"),
    ("euaigraph.ingest.sources.a", "from ..base import SourceSpec\nfrom euaigraph.ontology.vocab import EAI"),
    ("euaigraph.explorer.app", "import streamlit as st\nfrom euaigraph.graph import StoreRef"),
    ("euaigraph.graph.store.provenance", "from euaigraph import __version__"),
])
def test_the_checker_allows_downward_imports(module, code):
    assert problems(code, module) == []


def test_module_names_follow_the_package_mapping():
    assert module_name(REPO / "ingest" / "sources" / "curated.py") == "euaigraph.ingest.sources.curated"
    assert module_name(REPO / "graph" / "__init__.py") == "euaigraph.graph"
    assert module_name(REPO / "data" / "curated" / "__init__.py") == "euaigraph.curated"


def top_level_imports(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Modules imported when ``module`` is imported: module-level statements only (imports inside functions
    run later and cannot form an import cycle)."""
    tree = ast.parse(source)
    top = ast.Module(body=[n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)], type_ignores=[])
    return {target for _, target in imports(ast.unparse(top), module, is_package=is_package)}


def test_no_module_imports_itself_back_at_import_time():
    """An import cycle (a imports b at module level, b imports a) only works by import order; there are none."""
    import networkx as nx

    known = {module_name(p): p for p in sources()}
    g = nx.DiGraph()
    for module, path in known.items():
        for target in top_level_imports(path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"):
            # `from package import module` names the module; `from module import name` names the module.
            hit = target if target in known else target.rsplit(".", 1)[0]
            if hit in known and hit != module and not module.startswith(hit + "."):
                g.add_edge(module, hit)
    cycles = list(nx.simple_cycles(g))
    assert not cycles, cycles


def test_the_cycle_check_sees_a_cycle():
    a = top_level_imports("from euaigraph.graph.cli.commands import app", "euaigraph.graph.cli.maintenance")
    assert "euaigraph.graph.cli.commands" in a
