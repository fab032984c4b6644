"""How to cite what the explorer or a snapshot shows: a citation block with the title, the data version, the
retrieval dates of the sources, the URL of the view, the date and the software version, written as plain text,
BibTeX and CSL-JSON; and each source named by its public URL (its homepage, else its live feed) and version. A
snapshot's manifest carries :func:`snapshot_block`: the same citation, plus the data version to compare against
later and the commands that show what changed since (``euaigraph diff``, decisions/0015-what-changed.md).

>>> c = Citation(title="Models by country {draft}", data_version="v1-abc", url="http://127.0.0.1:8501/graph?cap=5",
...              accessed="2025-01-02", software="0.1.0",
...              sources=(PublicSource("osai-index", "OSAI index", "https://osai-index.eu/", "5a388e8", "2025-01-01"),))
>>> print(c.text().splitlines()[0])
euaigraph: Models by country {draft}. Data version v1-abc. euaigraph 0.1.0. http://127.0.0.1:8501/graph?cap=5 (accessed 2025-01-02).
>>> print(c.bibtex().splitlines()[1])
  title = {euaigraph: Models by country \\{draft\\}},
>>> c.csl()["accessed"], c.csl()["version"]
({'date-parts': [[2025, 1, 2]]}, 'v1-abc')
>>> block = snapshot_block(c)
>>> block["compare_with"], block["what_changed_since"][0]
('v1-abc', 'euaigraph diff v1-abc current')
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from euaigraph import __version__
from euaigraph.ontology.namespaces import META_GRAPH, PREFIXES

from euaigraph.graph.store.base import Store

PUBLISHER = "euaigraph project"


@dataclass(frozen=True)
class PublicSource:
    """A source as a reader can find it: its id, title, public URL (never a local path), version and when it was
    retrieved."""

    id: str
    title: str
    url: str | None
    version: str | None
    retrieved: str | None


def public_sources(store: Store) -> list[PublicSource]:
    """Every source of the graph with its public URL: the homepage the meta graph records, else its live feed,
    else its input URL when that is not a local file; its version and retrieval time from its last run."""
    about = {}
    rows = store.execute(f"SELECT ?s ?home ?live WHERE {{ GRAPH <{META_GRAPH}> {{ ?s a <{PREFIXES['eai']}Source> . "
                         f"OPTIONAL {{ ?s <{PREFIXES['eai']}homepage> ?home }} "
                         f"OPTIONAL {{ ?s <{PREFIXES['eai']}liveUrl> ?live }} }} }}").rows
    for source, home, live in rows:
        about[str(source).rsplit("/", 1)[-1]] = str(home or live or "") or None
    out = []
    for status in store.sources():
        given = status.source_url if status.source_url and not status.source_url.startswith("file:") else None
        out.append(PublicSource(id=status.source, title=status.title or status.source,
                                url=about.get(status.source) or given, version=status.version,
                                retrieved=status.retrieved_at))
    return sorted(out, key=lambda s: s.id)


def _bibtex(text: str) -> str:
    return re.sub(r"([{}\\%&$#_^~])", r"\\\1", " ".join(str(text).split()))


def _parts(day: str) -> list[int]:
    return [int(p) for p in day[:10].split("-") if p.isdigit()]


@dataclass(frozen=True)
class Citation:
    title: str
    data_version: str
    url: str
    accessed: str  # ISO date
    software: str = __version__
    sources: tuple[PublicSource, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        digest = hashlib.sha256(f"{self.title}|{self.data_version}|{self.url}".encode()).hexdigest()[:8]
        return f"euaigraph-{self.accessed[:4]}-{digest}"

    def text(self) -> str:
        lines = [f"euaigraph: {self.title}. Data version {self.data_version}. euaigraph {self.software}. "
                 f"{self.url} (accessed {self.accessed})."]
        if self.sources:
            lines.append("Sources (retrieved):")
            lines += [f"- {s.title}: {s.url or 'no public URL'}, version {s.version or 'not stated'}, "
                      f"retrieved {(s.retrieved or 'unknown')[:10]}" for s in self.sources]
        return "\n".join(lines) + "\n"

    def bibtex(self) -> str:
        sources = "; ".join(f"{s.title} ({s.url or 'no public URL'}, retrieved {(s.retrieved or 'unknown')[:10]})"
                            for s in self.sources)
        fields = [("title", f"euaigraph: {self.title}"), ("author", f"{{{PUBLISHER}}}"),
                  ("publisher", PUBLISHER), ("version", self.data_version), ("year", self.accessed[:4]),
                  ("url", self.url), ("urldate", self.accessed),
                  ("note", f"euaigraph {self.software}. Sources: {sources}" if sources else f"euaigraph {self.software}")]
        body = ",\n".join(f"  {name} = {{{value if name in ('author', 'url') else _bibtex(value)}}}"
                          for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def csl(self) -> dict:
        return {"id": self.key, "type": "dataset", "title": f"euaigraph: {self.title}",
                "author": [{"literal": PUBLISHER}], "publisher": PUBLISHER, "version": self.data_version,
                "URL": self.url, "accessed": {"date-parts": [_parts(self.accessed)]},
                "issued": {"date-parts": [_parts(self.accessed)]},
                "note": f"euaigraph {self.software}. Sources: " + "; ".join(
                    f"{s.title} ({s.url or 'no public URL'}, version {s.version or 'not stated'}, retrieved "
                    f"{(s.retrieved or 'unknown')[:10]})" for s in self.sources)}

    def csl_json(self) -> str:
        return json.dumps([self.csl()], indent=1, ensure_ascii=False)

    def files(self) -> dict[str, bytes]:
        """The three forms as files for a zip or a download."""
        return {"CITATION.txt": self.text().encode(), "citation.bib": self.bibtex().encode(),
                "citation.csl.json": self.csl_json().encode()}


def citation(store: Store, *, title: str, url: str, accessed: str | None = None) -> Citation:
    """The citation of a view of ``store`` (its data version and sources) shown at ``url``."""
    day = accessed or datetime.now(UTC).date().isoformat()
    return Citation(title=title, data_version=store.data_version(), url=url, accessed=day,
                    sources=tuple(public_sources(store)))


def snapshot_block(cite: Citation) -> dict[str, object]:
    """The ``citation`` block of a snapshot's manifest: how to cite it, and how to see later what changed since."""
    return {
        "cite_as": cite.text(),
        "data_version": cite.data_version,
        "compare_with": cite.data_version,
        "what_changed_since": [
            f"euaigraph diff {cite.data_version} current",
            "euaigraph diff <this snapshot's zip> current",
        ],
        "files": sorted(cite.files()),
        "note": ("The store that made this snapshot keeps its last data versions (EUAIGRAPH_KEEP_VERSIONS); after "
                 "that, or elsewhere, compare the zip itself. The explorer's Changes page does the same."),
    }


__all__ = ["Citation", "PublicSource", "citation", "public_sources", "snapshot_block"]
