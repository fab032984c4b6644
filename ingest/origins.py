"""Where a recorded feed file came from: its public repository, commit and path, so a record can be cited by an
http(s) URL of the file at the recorded commit rather than a local path.

A folder of recorded feeds keeps a ``MANIFEST.csv`` (columns ``file, sha256, source_repo, source_commit,
source_path``, paths relative to the manifest's folder) beside or above the feed. An entry is trusted only for a
file whose bytes still have the sha256 the manifest gives, and only when its repository, commit and path have the
shapes GitHub uses; anything else has no origin and is cited by the source's own pages.

>>> Origin("stanford-crfm/ecosystem-graphs", "576655a544c974e91b7ca02e26cf7ba4c8347516", "assets/mistral.yaml").url
'https://github.com/stanford-crfm/ecosystem-graphs/blob/576655a544c974e91b7ca02e26cf7ba4c8347516/assets/mistral.yaml'
>>> Origin("a/b", "576655a544c974e91b7ca02e26cf7ba4c8347516", "x y.csv").version
'a/b@576655a544c974e91b7ca02e26cf7ba4c8347516'
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

MANIFEST = "MANIFEST.csv"
#: How far above the feed folder a manifest is looked for (the feed folder itself, then its parents).
_LEVELS = 2
_REPO = re.compile(r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_MAX_MANIFEST_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Origin:
    repo: str
    commit: str
    path: str

    @property
    def url(self) -> str:
        """The file at the recorded commit on GitHub."""
        return f"https://github.com/{self.repo}/blob/{self.commit}/{quote(self.path, safe='/._-')}"

    @property
    def version(self) -> str:
        return f"{self.repo}@{self.commit}"


def origins(feed_root: Path) -> dict[Path, Origin]:
    """Each file under ``feed_root`` (absolute path) that a manifest near it describes, with its origin."""
    root = Path(feed_root).resolve()
    base = root if root.is_dir() else root.parent
    for folder in [base, *base.parents][:_LEVELS + 1]:
        manifest = folder / MANIFEST
        if manifest.is_file() and manifest.stat().st_size <= _MAX_MANIFEST_BYTES:
            return _entries(manifest, root)
    return {}


def _entries(manifest: Path, root: Path) -> dict[Path, Origin]:
    out: dict[Path, Origin] = {}
    with manifest.open(newline="", encoding="utf-8") as handle:
        try:
            rows = list(csv.DictReader(handle))
        except csv.Error:
            return {}
    inside = root.relative_to(manifest.parent).as_posix() if root != manifest.parent else ""
    for row in rows:
        relative = PurePosixPath(str(row.get("file") or ""))
        if inside and not (relative.as_posix() == inside or relative.as_posix().startswith(inside + "/")):
            continue  # another feed's file: not looked at
        path = (manifest.parent / relative).resolve()
        if ".." in relative.parts or not (path == root or root in path.parents) or not path.is_file():
            continue
        origin = Origin(str(row.get("source_repo") or ""), str(row.get("source_commit") or ""),
                        str(row.get("source_path") or ""))
        if _well_formed(origin) and _sha256(path) == str(row.get("sha256") or "").lower():
            out[path] = origin
    return out


def _well_formed(origin: Origin) -> bool:
    parts = PurePosixPath(origin.path).parts
    return bool(_REPO.match(origin.repo) and _COMMIT.match(origin.commit) and parts and ".." not in parts
                and len(origin.path) <= 500 and not origin.path.startswith("/"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
