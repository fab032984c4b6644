"""Explorer pages: thin, each calls ``euaigraph.graph`` only. :data:`PAGES` is the one list of them: the app's
navigation and the tests both read it.

The folder is ``views/``, not ``pages/``: Streamlit lists the scripts of a ``pages/`` folder beside the entry script
in the sidebar, under their file names, until some session has called ``st.navigation``, so a fresh server's first
visitor would see that raw list instead of the navigation.

>>> [p.url_path for p in PAGES][:3]
['', 'graph', 'questions']
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One page: its script (relative to explorer/app.py), its title (also its heading) and its URL path."""

    script: str
    title: str
    url_path: str


PAGES = (
    Page("views/overview.py", "Overview", ""),
    Page("views/graph.py", "Graph", "graph"),
    Page("views/questions.py", "Questions", "questions"),
    Page("views/entity.py", "Entity", "entity"),
    Page("views/dependencies.py", "Dependencies & what-if", "dependencies"),
    Page("views/sources.py", "Sources", "sources"),
    Page("views/changes.py", "Changes", "changes"),
    Page("views/export.py", "Export", "export"),
    Page("views/glossary.py", "Glossary", "glossary"),
)

__all__ = ["PAGES", "Page"]
