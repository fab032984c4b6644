"""Endpoint configuration: credentials come from the environment (or the user's own file), never from a URL;
every engine-specific setting is checked when the file is read."""

from __future__ import annotations

import pytest

from euaigraph.graph.store.config import ConfigError, endpoint, endpoints, password_variable
from euaigraph.graph.store.remote import RemoteStore


def config(tmp_path, body: str):
    path = tmp_path / "euaigraph.toml"
    path.write_text(body, encoding="utf-8")
    return path


VIRTUOSO = '''[endpoints.lab-virtuoso]
query = "http://127.0.0.1:8890/sparql"
update = "http://127.0.0.1:8890/sparql-auth"
store = "http://127.0.0.1:8890/sparql-graph-crud-auth"
union = "none"
auth = "digest"
user = "euaigraph"
password_env = "LAB_VIRTUOSO_PASSWORD"
row_limit = 10000
'''


def test_the_password_comes_from_the_variable_the_file_names(tmp_path, monkeypatch):
    monkeypatch.setenv("LAB_VIRTUOSO_PASSWORD", "from-the-environment")
    monkeypatch.delenv(password_variable("lab-virtuoso"), raising=False)
    found = endpoint("lab-virtuoso", path=config(tmp_path, VIRTUOSO))
    assert (found.union, found.auth, found.user, found.row_limit) == ("none", "digest", "euaigraph", 10000)
    assert found.credentials() == ("euaigraph", "from-the-environment")
    assert "from-the-environment" not in repr(found)


def test_the_endpoint_variable_wins_over_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("LAB_VIRTUOSO_PASSWORD", "named-in-the-file")
    monkeypatch.setenv("EUAIGRAPH_ENDPOINT_LAB_VIRTUOSO_PASSWORD", "set-for-this-endpoint")
    assert endpoint("lab-virtuoso", path=config(tmp_path, VIRTUOSO)).credentials()[1] == "set-for-this-endpoint"


def test_a_missing_password_is_reported_when_the_endpoint_is_used(tmp_path, monkeypatch):
    """Other endpoints in the file stay usable; this one fails at first use, naming the variable to set."""
    monkeypatch.delenv("LAB_VIRTUOSO_PASSWORD", raising=False)
    monkeypatch.delenv(password_variable("lab-virtuoso"), raising=False)
    path = config(tmp_path, VIRTUOSO + '[endpoints.open]\nquery = "http://127.0.0.1:7878/query"\n')
    assert set(endpoints(path)) == {"lab-virtuoso", "open"}
    with pytest.raises(ConfigError, match="LAB_VIRTUOSO_PASSWORD"):
        RemoteStore(endpoint("lab-virtuoso", path=path))
    RemoteStore(endpoint("open", path=path)).close()


@pytest.mark.parametrize(("line", "message"), [
    ('query = "http://user:secret@127.0.0.1/sparql"', "must not carry credentials"),
    ('query = "ftp://127.0.0.1/sparql"', "must be an http"),
    ('query = "http://127.0.0.1/q"\nunion = "all"', "union must be one of oxigraph, native, none"),
    ('query = "http://127.0.0.1/q"\nauth = "kerberos"', "auth must be one of none, basic, digest"),
    ('query = "http://127.0.0.1/q"\nauth = "basic"', "needs a user"),
    ('query = "http://127.0.0.1/q"\nrow_limit = 0', "row_limit must be a positive whole number"),
    ('query = "http://127.0.0.1/q"\nupdate_triples = "many"', "update_triples must be a positive whole number"),
    ('query = "http://127.0.0.1/q"\npasword = "typo"', "unknown keys"),
])
def test_a_bad_setting_names_the_endpoint_and_the_key(tmp_path, line, message):
    with pytest.raises(ConfigError, match=message) as caught:
        endpoints(config(tmp_path, f"[endpoints.lab]\n{line}\n"))
    assert "'lab'" in str(caught.value)
