"""The command line prints data as text: Rich markup in a feed's values or in a file name is shown as it is (no
MarkupError, no styling, no link), control characters are shown as ``\\xNN`` (a terminal never receives an escape
sequence from a feed), and an ingest that committed exits 0 whatever its names look like; a failed one exits 1
with an ``error:`` line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from euaigraph.graph.cli import app
from euaigraph.graph.store.embedded import EmbeddedStore

MARKUP_NAME = "[/bold] Markup [red]Org[/red] [link=http://127.0.0.1:9/]x[/link] \\u001b]0;pwned\\u0007 end"
SHOWN_NAME = "[/bold] Markup [red]Org[/red] [link=http://127.0.0.1:9/]x[/link] \\x1b]0;pwned\\x07 end"
FEED = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://data.europa.eu/88u/dataset/markup-probe> a dcat:Dataset ;
  dct:title "Markup probe [/]"@en ;
  dct:publisher <https://example.org/publisher/markup> .
<https://example.org/publisher/markup> foaf:name "NAME" .
"""


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Messages unwrapped, whatever terminal (or none) the tests run in."""
    from euaigraph.graph.cli import commands

    for console in (commands.console, commands.err):
        monkeypatch.setattr(console, "_width", 400)


def cli(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "400", "NO_COLOR": "1"})


@pytest.fixture
def hostile_file(tmp_path) -> Path:
    folder = tmp_path / "[red] feeds [bold]"
    folder.mkdir()
    path = folder / "[italic] records [link=x].ttl"
    path.write_text(FEED.replace("NAME", MARKUP_NAME), encoding="utf-8")
    return path


def test_committed_ingest_with_markup_names_exits_0_and_shows_them_as_text(tmp_path, hostile_file):
    """Input: ``euaigraph ingest data-europa --file`` a feed in a folder and file named with Rich markup, whose
    publisher's name (printed as an unresolved name after the commit) holds markup and an OSC escape sequence.
    Expected: exit 0; the name and the file name printed literally; no ESC or BEL byte in the output; the data
    set is in the store."""
    home = tmp_path / "store"
    result = cli("--store", str(home), "ingest", "data-europa", "--file", str(hostile_file), "--no-warm")
    assert result.exit_code == 0, result.output
    output = result.output
    assert SHOWN_NAME in output
    assert "[red] feeds [bold]/[italic] records [link=x].ttl" in output
    assert "\x1b" not in output and "\x07" not in output
    with EmbeddedStore(home) as store:
        assert "data-europa" in store.current_graphs()


def test_failed_ingest_with_markup_in_its_message_exits_1_cleanly(tmp_path):
    """Input: a broken Turtle file named with markup, holding ``[/]`` and an escape sequence (its name and the
    parser's message are in the error).
    Expected: exit 1, ``error:`` with the name shown literally, no traceback."""
    folder = tmp_path / "[red]"
    folder.mkdir()
    broken = folder / "[bold]broken[link=x].ttl"
    broken.write_text("<https://x/a> <https://x/b> [/] \x1b[31m .\n", encoding="utf-8")
    result = cli("--store", str(tmp_path / "store"), "ingest", "data-europa", "--file", str(broken), "--no-warm")
    assert result.exit_code == 1
    assert "error:" in result.output and "[red]/[bold]broken[link=x].ttl" in result.output
    assert "Traceback" not in result.output and "MarkupError" not in result.output
    assert "\x1b" not in result.output
