"""The citation block of a snapshot: how a note cites it, and the data version to compare against later to see
what changed since (``euaigraph diff``, decisions/0015-what-changed.md).

>>> block = citation({"data_version": "690e9a6bad4f", "created": "2026-12-07T14:46:14Z", "scope": "whole graph",
...                   "software": {"version": "0.1.0"}, "sources": [{"id": "curated-models", "version": "abc"}]})
>>> block["compare_with"], block["what_changed_since"][0]
('690e9a6bad4f', 'euaigraph diff 690e9a6bad4f current')
>>> block["cite_as"]
'euaigraph snapshot (whole graph), data version 690e9a6bad4f, created 2026-12-07T14:46:14Z with euaigraph 0.1.0; sources: curated-models abc'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def citation(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The ``citation`` block a snapshot's manifest carries, built from the rest of the manifest."""
    version = str(manifest["data_version"])
    sources = "; ".join(f"{s['id']} {s.get('version') or s.get('retrieved_at') or ''}".strip()
                        for s in manifest.get("sources") or [])
    return {
        "cite_as": (f"euaigraph snapshot ({manifest.get('scope', 'whole graph')}), data version {version}, created "
                    f"{manifest.get('created', '')} with euaigraph {manifest.get('software', {}).get('version', '')}"
                    + (f"; sources: {sources}" if sources else "")),
        "data_version": version,
        "compare_with": version,
        "what_changed_since": [
            f"euaigraph diff {version} current",
            "euaigraph diff <this snapshot's zip> current",
        ],
        "note": ("The store that made this snapshot keeps its last data versions (EUAIGRAPH_KEEP_VERSIONS); after "
                 "that, or elsewhere, compare the zip itself. The explorer's Changes page does the same."),
    }


__all__ = ["citation"]
