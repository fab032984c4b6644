"""Where the files of a recorded feed were published, from the recordings folder's ``MANIFEST.csv``.

A recordings folder (``../shared/data``) lists every file it holds with the repository, commit and path it was
copied from (columns ``file, sha256, source_repo, source_commit, source_path``). A feed inside it (``osai_index/``) then has
a public URL (the repository at that commit) and a version (``git:<commit>``), and each of its files a public URL
at the recorded commit: what records cite, instead of a local path or a moving branch. A file whose bytes differ
from the recorded ones (its sha256) has no origin: it is not the published file. Rows whose origin is not a GitHub
repository at a commit (a file taken from a package) give no URL; their source cites its own pages.

>>> origin = Origin("Language-Technology-Assessment/main-database", "5a388e871b88", "Apertus.yaml")
>>> origin.url
'https://github.com/Language-Technology-Assessment/main-database/blob/5a388e871b88/Apertus.yaml'
>>> Origin("x/y", "abc1234", "models/My Model.yml").url
'https://github.com/x/y/blob/abc1234/models/My%20Model.yml'
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import quote

MANIFEST = "MANIFEST.csv"
#: How many folders above a feed may hold the manifest (``data/licenses/spdx/licenses.json`` is three below).
LEVELS = 4
_MAX_BYTES = 8 << 20
_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}/[A-Za-z0-9_.-]{1,100}$")
_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")


@dataclass(frozen=True)
class Origin:
    """One file as published: a GitHub repository, a commit and the path in it."""

    repo: str
    commit: str
    path: str

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repo}/blob/{self.commit}/{quote(self.path)}"

    @property
    def version(self) -> str:
        """The repository at the commit, the version a record from this file carries."""
        return f"{self.repo}@{self.commit}"


@dataclass(frozen=True)
class Origins:
    """The origins of the files of one feed, by path relative to the feed's root."""

    files: tuple[tuple[str, Origin], ...]

    def get(self, rel: str) -> Origin | None:
        return dict(self.files).get(rel)

    def file_url(self, rel: str) -> str | None:
        origin = self.get(rel)
        return origin.url if origin else None

    def _main(self) -> tuple[str, str]:
        """The (repository, commit) most of the feed's files come from."""
        return Counter((o.repo, o.commit) for _rel, o in self.files).most_common(1)[0][0]

    def public_url(self) -> str:
        """The repository tree at the recorded commit, at the folder the feed's files share.

        >>> Origins((("a.yml", Origin("o/r", "abc1234", "models/a.yml")), ("b.yml", Origin("o/r", "abc1234", "models/b.yml")))).public_url()
        'https://github.com/o/r/tree/abc1234/models'
        """
        repo, commit = self._main()
        folders = [PurePosixPath(o.path).parent.parts for _rel, o in self.files if (o.repo, o.commit) == (repo, commit)]
        common: list[str] = []
        for parts in zip(*folders):
            if len(set(parts)) != 1:
                break
            common.append(parts[0])
        tail = "/".join(quote(p) for p in common)
        return f"https://github.com/{repo}/tree/{commit}" + (f"/{tail}" if tail else "")

    def version(self) -> str:
        """``git:<commit>`` of the main repository; every repository at its commit when there are several.

        >>> Origins((("a", Origin("o/r", "abc1234", "a")), ("b", Origin("o/s", "def5678", "b")))).version()
        'git:o/r@abc1234, o/s@def5678'
        """
        pairs = sorted({(o.repo, o.commit) for _rel, o in self.files})
        if len(pairs) == 1:
            return f"git:{pairs[0][1]}"
        return "git:" + ", ".join(f"{repo}@{commit}" for repo, commit in pairs)


@lru_cache(maxsize=16)
def _manifest(path: Path, mtime: float) -> tuple[tuple[str, str, Origin], ...]:
    """(file, sha256, origin) for every row of a manifest whose origin is a GitHub repository at a commit."""
    data = path.read_bytes()[:_MAX_BYTES]
    rows = csv.DictReader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""))
    out = []
    for row in rows:
        name, repo = str(row.get("file") or "").strip(), str(row.get("source_repo") or "").strip()
        commit, source = str(row.get("source_commit") or "").strip().lower(), str(row.get("source_path") or "").strip()
        digest = str(row.get("sha256") or "").strip().lower()
        if (name and source and _REPO.match(repo) and _COMMIT.match(commit) and ".." not in name.split("/")
                and ".." not in source.split("/") and len(source) <= 500):
            out.append((name, digest, Origin(repo, commit, source.lstrip("/"))))
    return tuple(out)


def origins_of(path: Path) -> Origins | None:
    """The origins of a recorded feed (a file or folder inside a recordings folder), or None."""
    path = Path(path).resolve()
    root = path if path.is_dir() else path.parent
    folder = root
    for _ in range(LEVELS):
        manifest = folder / MANIFEST
        if manifest.is_file():
            found = _under(path, root, folder, _manifest(manifest, manifest.stat().st_mtime))
            if found:
                return Origins(found)
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


def _under(path: Path, root: Path, base: Path, rows: tuple[tuple[str, str, Origin], ...]
           ) -> tuple[tuple[str, Origin], ...]:
    """The manifest rows of files inside ``path`` whose bytes are the recorded ones, named relative to the root."""
    try:
        inside = path.relative_to(base).as_posix()
        offset = root.relative_to(base).as_posix()
    except ValueError:
        return ()
    out = []
    for name, digest, origin in rows:
        if path.is_dir() and inside != "." and not name.startswith(inside.rstrip("/") + "/"):
            continue
        if not path.is_dir() and name != inside:
            continue
        if not _same_bytes(base / name, digest):
            continue
        rel = name if offset == "." else name[len(offset) + 1:]
        out.append((rel, origin))
    return tuple(out)


def _same_bytes(path: Path, digest: str) -> bool:
    if not path.is_file():
        return False
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest() == digest
