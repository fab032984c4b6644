"""The euaigraph explorer. Start it with ``euaigraph explore`` (or ``streamlit run explorer/app.py``); the store is
``$EUAIGRAPH_ENDPOINT`` (an endpoint id from the config file) or the embedded store at ``$EUAIGRAPH_HOME``."""

from __future__ import annotations

import streamlit as st

from euaigraph.explorer import precomputed, serve, state
from euaigraph.explorer.components import ERRORS, plain
from euaigraph.explorer.views import PAGES

# No ":material/…:" page icons: the current page's icon becomes the favicon, which the browser would then fetch
# from fonts.gstatic.com. An emoji favicon is a data: URL.
st.set_page_config(page_title="euaigraph explorer", page_icon="🕸️", layout="wide")

NAVIGATION = [st.Page(p.script, title=p.title, default=not p.url_path, **({"url_path": p.url_path} if p.url_path else {}))
              for p in PAGES]


def require_sign_in() -> None:
    """Every page needs sign-in once an OpenID Connect provider is configured (``[auth]`` in
    ``.streamlit/secrets.toml``, see SECURITY.md); without one the explorer serves 127.0.0.1 only."""
    try:
        configured = "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all (StreamlitSecretNotFoundError is one)
        configured = False
    if configured and not st.user.get("is_logged_in"):
        st.title("euaigraph explorer")
        st.write("Sign in to explore the graph.")
        st.button("Sign in", on_click=st.login)
        st.stop()


def require_allowed_host() -> None:
    """Show nothing to a page whose ``Host`` is not one of the explorer's (``explorer/serve.py`` refuses such
    requests before they reach the app; this holds for ``streamlit run`` too)."""
    host = st.context.headers.get("Host")
    if host is not None and not serve.host_allowed(host):
        st.error("This explorer answers only at its own address.")
        st.stop()


require_allowed_host()
require_sign_in()
page = st.navigation(NAVIGATION)

try:
    ctx = state.context()
except ERRORS as exc:
    st.error(f"The explorer cannot open its store: {plain(exc)}")
    st.caption("Check EUAIGRAPH_HOME / EUAIGRAPH_ENDPOINT, or build the graph with `euaigraph build`.")
    st.stop()

precomputed.start(ctx)  # the store and data version are in every citation, not in the sidebar
page.run()
