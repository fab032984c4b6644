"""One YAML loader and one JSON loader for everything read from feeds, files and caches: an AST walk over ``ingest/``
and ``graph/`` finds no call of ``yaml.load``/``safe_load``/``compose``/``full_load``/``unsafe_load`` (or their
``_all`` forms), no use of PyYAML's loader classes, and no ``json.load``/``json.loads`` outside
``ingest/safe_yaml.py`` and ``ingest/safe_json.py`` (which bound aliases and nesting, decision 0012)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOMES = {REPO / "ingest" / "safe_yaml.py", REPO / "ingest" / "safe_json.py"}
YAML_CALLS = {"load", "safe_load", "compose", "full_load", "unsafe_load", "load_all", "safe_load_all",
              "compose_all", "full_load_all", "unsafe_load_all", "parse"}
YAML_LOADERS = {"Loader", "SafeLoader", "CSafeLoader", "CLoader", "FullLoader", "CFullLoader", "UnsafeLoader",
                "CUnsafeLoader", "BaseLoader", "CBaseLoader", "Composer"}
JSON_CALLS = {"load", "loads"}


def modules() -> list[Path]:
    return sorted(p for folder in ("ingest", "graph") for p in (REPO / folder).rglob("*.py") if p not in HOMES)


def offences(path: Path) -> list[str]:
    """``module.name`` uses of YAML and JSON readers in one file, with their lines (aliases of the modules too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(REPO) if path.is_relative_to(REPO) else path.name
    aliases = {"yaml": {"yaml"}, "json": {"json"}}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                if name.name in aliases:
                    aliases[name.name].add(name.asname or name.name)
        elif isinstance(node, ast.ImportFrom) and node.module in ("yaml", "json"):
            for name in node.names:
                if name.name in (YAML_CALLS | YAML_LOADERS if node.module == "yaml" else JSON_CALLS):
                    found.append(f"{where}:{node.lineno}: from {node.module} import {name.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in aliases["yaml"] and node.attr in YAML_CALLS | YAML_LOADERS:
                found.append(f"{where}:{node.lineno}: yaml.{node.attr}")
            if node.value.id in aliases["json"] and node.attr in JSON_CALLS:
                found.append(f"{where}:{node.lineno}: json.{node.attr}")
    return found


def test_no_module_reads_yaml_or_json_but_the_two_safe_loaders():
    """Input: every module of ingest/ and graph/. Expected: none calls a YAML or JSON reader itself."""
    assert len(modules()) > 60
    found = [offence for path in modules() for offence in offences(path)]
    assert found == []


@pytest.mark.parametrize("source", [
    "import yaml\nyaml.safe_load(text)\n",
    "import yaml as y\ny.compose(text)\n",
    "from yaml import CSafeLoader\n",
    "import yaml\nyaml.load(text, Loader=yaml.CSafeLoader)\n",
    "import json\njson.loads(text)\n",
    "import json as j\nj.load(handle)\n",
    "from json import loads\n",
])
def test_the_walk_finds_each_way_of_calling_a_reader(tmp_path, source):
    """Control: each way of reaching a reader, written into a module, is found."""
    path = tmp_path / "probe_module.py"
    path.write_text(source, encoding="utf-8")
    assert offences(path)
