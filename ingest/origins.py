"""Where a recorded feed file came from: its public repository, commit and path, so a record can be cited by an
http(s) URL of the file at the recorded commit rather than a local path.

A folder of recorded feeds keeps a ``MANIFEST.csv`` (columns ``file, sha256, source_repo, source_commit,
source_path``, paths relative to the manifest's folder) beside or above the feed. An entry is trusted only for a
file whose bytes still have the sha256 the manifest gives, and only when its repository, commit and path have the
shapes GitHub uses; anything else has no origin and is cited by the source's own pages. The manifest is read
once, by :mod:`euaigraph.ingest.recording` (the feed's public URL and version come from the same reading); this
module gives the ledger each file's origin by its absolute path.

>>> Origin("stanford-crfm/ecosystem-graphs", "576655a544c974e91b7ca02e26cf7ba4c8347516", "assets/mistral.yaml").url
'https://github.com/stanford-crfm/ecosystem-graphs/blob/576655a544c974e91b7ca02e26cf7ba4c8347516/assets/mistral.yaml'
>>> Origin("a/b", "576655a544c974e91b7ca02e26cf7ba4c8347516", "x y.csv").version
'a/b@576655a544c974e91b7ca02e26cf7ba4c8347516'
"""

from __future__ import annotations

from pathlib import Path

from .recording import Origin, origins_of


def origins(feed_root: Path) -> dict[Path, Origin]:
    """Each file under ``feed_root`` (absolute path) that a manifest near it describes, with its origin."""
    root = Path(feed_root).resolve()
    found = origins_of(root)
    if found is None:
        return {}
    base = root if root.is_dir() else root.parent
    return {(base / rel).resolve(): origin for rel, origin in found.files}


__all__ = ["Origin", "origins"]
