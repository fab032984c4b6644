"""The explorer sits on top: it never imports the ingesters, its pages reach the data only through
``euaigraph.graph`` (and the explorer's own modules), and Streamlit and pyvis stay inside ``explorer/``."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_explorer_never_imports_the_ingesters():
    for path in (REPO / "explorer").rglob("*.py"):
        bad = {n for n in imports(path) if n.startswith("euaigraph.ingest")}
        assert not bad, f"{path.relative_to(REPO)} imports {bad}"


def test_pages_use_the_graph_layer_and_the_explorer_only():
    from euaigraph.explorer.views import PAGES

    allowed = ("euaigraph.graph", "euaigraph.explorer", "streamlit", "pandas", "datetime")
    paths = [REPO / "explorer" / page.script for page in PAGES]
    assert len(paths) >= 9 and all(path.is_file() for path in paths)  # the one list, never an empty folder walk
    for path in paths:
        names = imports(path)
        assert names, path
        bad = {n for n in names if not n.startswith(allowed)}
        assert not bad, f"{path.relative_to(REPO)} imports {bad}"


def test_streamlit_and_pyvis_stay_in_the_explorer():
    for folder in ("graph", "ingest", "ontology"):
        for path in (REPO / folder).rglob("*.py"):
            bad = {n for n in imports(path) if n.split(".")[0] in ("streamlit", "pyvis")}
            assert not bad, f"{path.relative_to(REPO)} imports {bad}"


def test_every_page_script_is_in_the_one_list_and_titled_as_listed():
    """The navigation and the tests read explorer.views.PAGES; a page left out of it, or titled otherwise, fails."""
    import re

    from euaigraph.explorer.views import PAGES

    folder = Path(__file__).resolve().parents[2] / "explorer"
    scripts = sorted(str(p.relative_to(folder)) for p in (folder / "views").glob("*.py") if p.name != "__init__.py")
    assert scripts == sorted(p.script for p in PAGES)
    for page in PAGES:
        title = re.search(r'^st\.title\("([^"]+)"\)', (folder / page.script).read_text(encoding="utf-8"), re.M)
        assert title and title.group(1) == page.title, page.script


def test_no_folder_beside_the_entry_script_is_named_pages():
    """Streamlit lists the scripts of a ``pages/`` folder beside the entry script in the sidebar, under their file
    names, until a session has called ``st.navigation``: a fresh server's first visitor would see that raw list."""
    folder = Path(__file__).resolve().parents[2] / "explorer"
    from euaigraph.explorer.views import PAGES

    assert not (folder / "pages").exists()
    assert all(not p.script.startswith("pages/") for p in PAGES)
