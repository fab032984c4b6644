"""Explorer pages: thin, each calls ``euaigraph.graph`` only. :data:`PAGES` is the one list of them: the app's
navigation and the tests both read it.

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
    Page("pages/overview.py", "Overview", ""),
    Page("pages/graph.py", "Graph", "graph"),
    Page("pages/questions.py", "Questions", "questions"),
    Page("pages/entity.py", "Entity", "entity"),
    Page("pages/dependencies.py", "Dependencies & what-if", "dependencies"),
    Page("pages/sources.py", "Sources", "sources"),
    Page("pages/changes.py", "Changes", "changes"),
    Page("pages/export.py", "Export", "export"),
    Page("pages/glossary.py", "Glossary", "glossary"),
)

__all__ = ["PAGES", "Page"]
