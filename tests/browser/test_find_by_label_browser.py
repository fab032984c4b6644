"""In a real browser: the Entity page finds an entity by its name in another language (Greek, from the iso-codes
translations the shipped graph holds) and links to it; nothing leaves 127.0.0.1."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from browser_support import SCREENSHOTS, open_page, watch

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_an_entity_is_found_by_a_greek_name(page, shipped_explorer):
    seen = watch(page)
    open_page(page, f"{shipped_explorer.url}/entity?find={quote('Γερμανία')}", "Entity")
    link = page.get_by_role("link", name="Germany (country): Γερμανία [el]")
    link.wait_for(timeout=120_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "find-by-label.png"))
    link.click()
    page.get_by_role("heading", name="Germany", exact=True).wait_for(timeout=120_000)
    page.get_by_text("http://publications.europa.eu/resource/authority/country/DEU").first.wait_for(timeout=120_000)
    assert not page.locator("[data-testid=stException]").count()
    assert not seen.errors and not seen.outside, (seen.errors, seen.outside)
