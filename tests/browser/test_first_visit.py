"""The first visitor of a freshly started explorer sees the navigation, never Streamlit's list of a ``pages/``
folder under its file names (which it shows until some session has called ``st.navigation``)."""

from __future__ import annotations

import pytest
from browser_support import Explorer, open_page

from euaigraph.explorer.views import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Records, from the first paint on, every label the sidebar navigation ever shows.
RECORD_NAV = """
window.__navSeen = new Set();
new MutationObserver(() => {
  document.querySelectorAll('[data-testid="stSidebarNav"] a').forEach(a => window.__navSeen.add(a.innerText.trim()));
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


@pytest.fixture()
def fresh_explorer(chromium, shipped_home, tmp_path):
    explorer = Explorer(shipped_home, tmp_path / "fresh.log")
    yield explorer
    explorer.stop()


def test_the_first_visitor_sees_only_the_navigation_titles(fresh_explorer, page):
    page.add_init_script(RECORD_NAV)
    open_page(page, fresh_explorer.url, "Overview")
    page.locator('[data-testid="stSidebarNav"] a').first.wait_for()
    shown = [a.inner_text().strip() for a in page.locator('[data-testid="stSidebarNav"] a').all()]
    seen = set(page.evaluate("[...window.__navSeen]"))
    titles = [p.title for p in PAGES]
    assert shown == titles
    assert seen <= set(titles), f"the sidebar showed {sorted(seen - set(titles))}"
