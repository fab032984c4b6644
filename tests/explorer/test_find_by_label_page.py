"""The Entity page finds an entity by a name in any language (the saved question overview/find-by-label), on the
shipped graph, whose country names come in every official EU language."""

from __future__ import annotations

import pytest
from explorer_support import texts

pytestmark = pytest.mark.slow


def test_the_entity_page_finds_an_entity_by_a_name_in_another_language(open_page, shipped_home):
    at = open_page(shipped_home, "views/entity.py", find="Deutschland")
    assert not at.exception, [e.value for e in at.exception]
    captions = texts(at, "caption")
    assert any(("names match" in c or "name matches" in c) and "overview/find-by-label" in c for c in captions)
    links = [link.label for link in at.get("page_link")]
    assert any(label.replace("\\", "").startswith("Germany (country): Deutschland [de]") for label in links), links  # escaped Markdown
