"""The README's settings table is the settings module's list, row for row, and no module reads an EUAIGRAPH_
variable the list does not name (the endpoint passwords, named per endpoint, are the one documented pattern)."""

from __future__ import annotations

import re
from pathlib import Path

from euaigraph.graph.settings import DOCUMENTED

REPO = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\| `(EUAIGRAPH_[A-Z_<>]+)` \| (.+) \| (.+) \|$", re.M)
PATTERN_ROWS = {"EUAIGRAPH_ENDPOINT_<ID>_PASSWORD"}


def test_the_readme_table_lists_every_setting_as_the_module_does():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = {name: (what, default) for name, what, default in ROW.findall(text) if name not in PATTERN_ROWS}
    assert table == DOCUMENTED
    assert PATTERN_ROWS <= {name for name, _, _ in ROW.findall(text)}


def test_no_module_reads_a_setting_the_list_does_not_name():
    read = set()
    for path in REPO.glob("*/**/*.py"):
        if path.parts[len(REPO.parts)] in {".venv", "tests", "bench", "engines"}:
            continue
        read |= set(re.findall(r"[\"'](EUAIGRAPH_[A-Z_]+)[\"']", path.read_text(encoding="utf-8")))
    # Passwords are named per endpoint (EUAIGRAPH_ENDPOINT_<ID>_PASSWORD) or by the config file (password_env).
    assert {name for name in read - set(DOCUMENTED) if not name.endswith("_PASSWORD")} == set()
