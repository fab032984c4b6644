"""What every source declares, what it receives and what it reports.

A source module defines ``SOURCE = SourceSpec(...)`` and a ``parse(feed, report)`` generator of triples.
Parsing is pure: it reads local files only (live mode downloads first, see :mod:`euaigraph.ingest.fetch`), never
touches a store, and reports bad records instead of raising, so one bad row costs one row. A structurally broken
feed raises :class:`FeedError`, which aborts that source and leaves its previous graph untouched.

The :class:`Report` is the run's ledger. Every file under the feed is either read or skipped with a reason, and
every record the parser meets (``read``) ends in exactly one outcome: ingested, rejected (where and why) or merged
into another record (with what and by which stated rule). A report that does not balance is a bug in the parser,
and the load refuses the run rather than lose records without a word.

>>> report = Report("demo")
>>> report.file_read("models/a.yaml"); report.file_skipped("README.md", "not a record file (.md)")
>>> report.read(3); report.ingested(); report.reject("a.yaml:3", "grade 'mostly' is not open|partial|closed")
>>> report.merge("a.yaml:9", into="a.yaml:2", rule="same Hugging Face repository id", where="a.yaml:9")
>>> report.records_read, report.records_ingested, report.records_rejected, report.records_merged
(3, 1, 1, 1)
>>> report.imbalance() is None, [f.path for f in report.files_skipped]
(True, ['README.md'])

A source whose records shrink by more than ``SourceSpec.max_shrink`` against its current run is refused by the load
(see :mod:`euaigraph.graph.load.pipeline`), so a feed cut short cannot replace a whole source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib.term import Node

if TYPE_CHECKING:
    from .recording import Origins

Triple = tuple[Node, Node, Node]

#: Resolution priority of a source's claims (lower wins): see decisions/0004-conflicting-claims.md.
PRIORITY_CURATED = 1
PRIORITY_OFFICIAL_REGISTER = 2
PRIORITY_SELF_DECLARED = 3
PRIORITY_THIRD_PARTY = 4

#: At most this many rejected records / unresolved names are itemised per run; all are counted.
ITEMISED_LIMIT = 500


class FeedError(Exception):
    """A feed is structurally broken (wrong format, truncated, over the size cap): the source is aborted.

    >>> str(FeedError("cordis", "data/1.xml line 4", "not well-formed"))
    'cordis: data/1.xml line 4: not well-formed'
    """

    def __init__(self, source: str, where: str, message: str):
        super().__init__(f"{source}: {where}: {message}")
        self.source, self.where, self.message = source, where, message


@dataclass(frozen=True)
class Rejection:
    where: str
    reason: str


@dataclass(frozen=True)
class Unresolved:
    name: str
    kind: str
    where: str


@dataclass(frozen=True)
class FileOutcome:
    """One file under the feed: ``read``, or ``skipped`` with the reason (path relative to the feed)."""

    path: str
    status: str
    reason: str = ""


@dataclass(frozen=True)
class Merge:
    """A record folded into another one: which record, into what, by which stated rule."""

    record: str
    into: str
    rule: str
    where: str


@dataclass
class Report:
    """The ledger of one parse: files read and skipped; records read, and each one ingested, rejected (where and
    why) or merged (into what, by which rule); names left unresolved; notes for the analyst."""

    source: str
    records_read: int = 0
    records_ingested: int = 0
    records_rejected: int = 0
    records_merged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    files: list[FileOutcome] = field(default_factory=list)
    unresolved_count: int = 0
    unresolved: list[Unresolved] = field(default_factory=list)
    version: str | None = None
    notes: list[str] = field(default_factory=list)
    # Every (name, kind) seen, itemised or not, so each is counted once however many there are.
    _seen_names: set[tuple[str, str]] = field(default_factory=set, repr=False, compare=False)

    def read(self, n: int = 1) -> None:
        """``n`` records met in the input; each must end ingested, rejected or merged."""
        self.records_read += n

    def ingested(self, n: int = 1) -> None:
        """``n`` records read that now stand in the graph on their own."""
        self.records_ingested += n

    def reject(self, where: str, reason: str) -> None:
        self.records_rejected += 1
        if len(self.rejected) < ITEMISED_LIMIT:
            self.rejected.append(Rejection(where, reason))

    def merge(self, record: str, *, into: str, rule: str, where: str) -> None:
        """A record that adds to another one instead of standing alone (every merge is itemised up to the limit)."""
        self.records_merged += 1
        if len(self.merges) < ITEMISED_LIMIT:
            self.merges.append(Merge(record, into, rule, where))

    def file_read(self, path: str) -> None:
        self.files.append(FileOutcome(path, "read"))

    def file_skipped(self, path: str, reason: str) -> None:
        self.files.append(FileOutcome(path, "skipped", reason))

    def note(self, text: str) -> None:
        """Something the analyst should know about this run (stored with it and shown on the Sources page).
        A note said twice is kept once."""
        if text not in self.notes:
            self.notes.append(text)

    @property
    def records_kept(self) -> int:
        """Records that reached the graph, alone or folded into another: what the shrink guard compares."""
        return self.records_ingested + self.records_merged

    def unaccounted(self, feed: Feed) -> list[str]:
        """Files under the feed that were neither read nor skipped (paths as :func:`walk` names them).

        >>> import tempfile; folder = Path(tempfile.mkdtemp())
        >>> for name in ("a.yaml", "sub/b.yaml"): _ = (folder / name).parent.mkdir(exist_ok=True), (folder / name).write_text("x")
        >>> report = Report("demo"); report.file_read("a.yaml")
        >>> report.unaccounted(Feed.from_path(folder))
        ['sub/b.yaml']
        """
        seen = {f.path for f in self.files}
        return [rel for _path, rel in walk(feed) if rel not in seen]

    @property
    def files_skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "skipped"]

    def imbalance(self) -> str | None:
        """Why the ledger does not balance (records read != ingested + rejected + merged), or None.

        >>> r = Report("demo"); r.read(2); r.ingested()
        >>> r.imbalance()
        'demo: 2 records read but 1 ingested + 0 rejected + 0 merged: 1 record has no outcome'
        """
        accounted = self.records_ingested + self.records_rejected + self.records_merged
        if accounted == self.records_read:
            return None
        gap = self.records_read - accounted
        what = f"{gap} record{'s' if abs(gap) != 1 else ''} {'has' if gap == 1 else 'have'} no outcome" if gap > 0 \
            else f"{-gap} outcome{'s' if gap != -1 else ''} more than records read"
        return (f"{self.source}: {self.records_read} records read but {self.records_ingested} ingested + "
                f"{self.records_rejected} rejected + {self.records_merged} merged: {what}")

    def unresolved_name(self, name: str, kind: str, where: str) -> None:
        """A name no reviewed alias maps to an id. Counted once per (name, kind), beyond the itemised ones too.

        >>> report = Report("demo")
        >>> for n in (*range(600), *range(600)): report.unresolved_name(f"model {n}", "model", f"feed.csv:{n}")
        >>> report.unresolved_count, len(report.unresolved)
        (600, 500)
        """
        if (name, kind) in self._seen_names:
            return
        self._seen_names.add((name, kind))
        self.unresolved_count += 1
        if len(self.unresolved) < ITEMISED_LIMIT:
            self.unresolved.append(Unresolved(name, kind, where))


@dataclass(frozen=True)
class Feed:
    """The input of one run: a local file or folder, and where and when it came from.

    ``origins`` says, for a recorded feed, where each of its files was published (see
    :mod:`euaigraph.ingest.recording`), so records can cite the public file at its recorded commit.
    """

    path: Path
    url: str
    retrieved_at: datetime
    version: str | None = None
    origins: Origins | None = None

    @classmethod
    def from_path(cls, path: Path, *, url: str | None = None) -> Feed:
        """An offline feed. Its URL and version are the public ones of a recording (the ``MANIFEST.csv`` of the
        recordings folder names each file's repository and commit) where there is one, else its ``file:`` URI and
        content hash; ``url`` overrides the URL."""
        from .recording import origins_of

        path = Path(path).resolve()
        if not path.exists():
            raise FileNotFoundError(f"no such file or folder: {path}")
        mtime = max((p.stat().st_mtime for p in _files(path)), default=path.stat().st_mtime)
        origins = origins_of(path)
        # The public URL and commit stand for the feed only when every one of its files is the recorded one.
        whole = origins is not None and len(origins.files) == len(_files(path))
        return cls(
            path=path,
            url=url or (origins.public_url() if whole else path.as_uri()),
            retrieved_at=datetime.fromtimestamp(mtime, UTC).replace(microsecond=0),
            version=origins.version() if whole else f"sha256:{content_hash(path)[:16]}",
            origins=origins,
        )

    @property
    def root(self) -> Path:
        """The folder file paths are named from (the feed itself, or a single file's folder)."""
        return self.path if self.path.is_dir() else self.path.parent

    def public_url(self, rel: str) -> str | None:
        """The public http(s) URL of one file of the feed (path relative to :attr:`root`), where known."""
        return self.origins.file_url(rel) if self.origins else None


def _files(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]


def walk(feed: Feed) -> list[tuple[Path, str]]:
    """Every file of the feed, sub-folders included, sorted, with its path relative to :attr:`Feed.root` (the
    name every report and locator uses). A feed that is one file is that file."""
    return [(p, p.relative_to(feed.root).as_posix()) for p in _files(feed.path)]


def content_hash(path: Path) -> str:
    """sha256 over a file, or over every file of a folder (names and bytes, in sorted order)."""
    digest = hashlib.sha256()
    base = path if path.is_dir() else path.parent
    for file in _files(path):
        digest.update(str(file.relative_to(base)).encode())
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


Parser = Callable[[Feed, Report], Iterator[Triple]]
#: Live mode: download the feed into ``cache_dir`` (see :mod:`euaigraph.ingest.fetch`) and describe it.
Fetcher = Callable[[Path], Feed]


@dataclass(frozen=True)
class SourceSpec:
    """A registered source: who publishes it, under which licence, where it lives, how big it must be."""

    id: str
    title: str
    homepage: str
    #: SPDX id or URL of the licence the source publishes its data under; None where it states none.
    data_licence: str | None
    parse: Parser
    min_triples: int
    priority: int
    live_url: str | None = None
    #: The shipped input (curated and reference sources), used by ``euaigraph build``.
    shipped_path: Callable[[], Path] | None = None
    #: Folder name under ``../shared/data`` (or another recordings folder) that holds this feed.
    recorded_folder: str | None = None
    #: Live mode; None for sources that only exist as shipped files.
    fetch: Fetcher | None = None
    description: str = ""
    #: What to know about the data's terms when there is no licence, or beyond it (shown with the source).
    licence_note: str = ""
    #: The largest share of records a run may lose against the current run before the load refuses it (the
    #: analyst can accept a real shrink with ``--accept-shrink``).
    max_shrink: float = 0.2

    @property
    def shipped(self) -> bool:
        return self.shipped_path is not None
