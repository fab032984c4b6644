"""Where a recorded feed file came from: only a file whose bytes match the manifest, named by a well-formed
repository, commit and path inside the feed, gets a public URL."""

from __future__ import annotations

import hashlib

from euaigraph.ingest.origins import origins

from .conftest import write

COMMIT = "576655a544c974e91b7ca02e26cf7ba4c8347516"
HEADER = "file,bytes,sha256,source_repo,source_commit,source_path,licence,note\n"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_a_file_the_manifest_describes_is_cited_at_its_commit(tmp_path):
    write(tmp_path, {"feed/a.csv": "x\n1\n", "feed/b.csv": "changed\n", "feed/c.csv": "y\n", "feed/d.csv": "z\n",
                     "other/e.csv": "w\n"})
    write(tmp_path, {"MANIFEST.csv": HEADER
                     + f"feed/a.csv,4,{sha('x' + chr(10) + '1' + chr(10))},org/repo,{COMMIT},data/a file.csv,,\n"
                     + f"feed/b.csv,4,{sha('original' + chr(10))},org/repo,{COMMIT},data/b.csv,,\n"
                     + f"feed/c.csv,2,{sha('y' + chr(10))},org/repo,main,data/c.csv,,\n"
                     + f"feed/d.csv,2,{sha('z' + chr(10))},org/repo,{COMMIT},../../etc/d.csv,,\n"
                     + f"feed/../other/e.csv,2,{sha('w' + chr(10))},org/repo,{COMMIT},e.csv,,\n"})
    found = origins(tmp_path / "feed")
    assert {path.name: origin.url for path, origin in found.items()} == {
        "a.csv": f"https://github.com/org/repo/blob/{COMMIT}/data/a%20file.csv"}
    # b.csv: bytes changed; c.csv: a branch, not a commit; d.csv: a path that climbs out; e.csv: outside the feed


def test_no_manifest_means_no_origin(tmp_path):
    write(tmp_path, {"feed/a.csv": "x\n"})
    assert origins(tmp_path / "feed") == {}
