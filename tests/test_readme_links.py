"""Every file the README links to or shows exists in the checkout (pictures, decisions, docs, queries)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

REPO = Path(__file__).resolve().parents[1]
#: A Markdown link or image whose target is a path in the repository (not a web address or an anchor).
LOCAL_LINK = re.compile(r"\]\((?!https?://|mailto:|#)([^)\s]+)\)")


def test_every_local_link_of_the_readme_resolves():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    targets = [unquote(t.split("#", 1)[0]) for t in LOCAL_LINK.findall(text)]
    assert any(t.startswith("docs/screenshots/") for t in targets)  # the pattern does see the pictures
    missing = sorted({t for t in targets if t and not (REPO / t).exists()})
    assert not missing, f"README links to files that are not in the repository: {missing}"
