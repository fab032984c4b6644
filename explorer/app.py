"""The euaigraph explorer. Start it with ``euaigraph explore`` (or ``streamlit run explorer/app.py``); the store is
``$EUAIGRAPH_ENDPOINT`` (an endpoint id from the config file) or the embedded store at ``$EUAIGRAPH_HOME``."""

from __future__ import annotations

import streamlit as st

from euaigraph.explorer import precomputed, state
from euaigraph.explorer.components import ERRORS
from euaigraph.explorer.pages import PAGES

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


require_sign_in()
page = st.navigation(NAVIGATION)

try:
    ctx = state.context()
except ERRORS as exc:
    st.error(f"The explorer cannot open its store: {exc}")
    st.caption("Check EUAIGRAPH_HOME / EUAIGRAPH_ENDPOINT, or build the graph with `euaigraph build`.")
    st.stop()

precomputed.start(ctx)
with st.sidebar:
    st.caption(f"{ctx.label}  \ndata version `{ctx.version}`")
page.run()
