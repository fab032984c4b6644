"""With an OpenID Connect provider configured (``[auth]`` in the secrets), no page of the explorer is served
before sign-in; without one, the pages are served (to 127.0.0.1, see SECURITY.md)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "explorer" / "app.py"

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a-random-secret-for-the-test",
    "client_id": "euaigraph",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def test_configured_sign_in_hides_every_page_until_the_user_signs_in(shipped_home, monkeypatch):
    monkeypatch.setenv("EUAIGRAPH_HOME", str(shipped_home))
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.secrets["auth"] = AUTH
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Sign in to explore the graph." in [m.value for m in at.markdown]
    assert not any("Headline findings" in h.value for h in [*at.header, *at.subheader])


def test_without_a_provider_the_overview_is_served(shipped_home, monkeypatch):
    monkeypatch.setenv("EUAIGRAPH_HOME", str(shipped_home))
    at = AppTest.from_file(str(APP), default_timeout=180).run()
    assert not at.exception
    assert "Sign in" not in [b.label for b in at.button]
    assert any("Headline findings" in h.value for h in [*at.header, *at.subheader])
