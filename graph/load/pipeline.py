"""Loading sources: parse -> stage -> check the ledger and counts -> derive -> swap, with provenance for every run.

A run that fails at any step is recorded as failed in the meta graph with its ledger, and the source's previous
graph stays current. The checks, in order:

- the feed parses (a structurally broken feed raises :class:`~euaigraph.ingest.base.FeedError`);
- the ledger balances: every record read ended ingested, rejected or merged (a parser that loses records without a
  word is a bug, and its run is refused);
- the run wrote at least the source's ``min_triples``;
- the shrink guard: the records kept (ingested + merged) fall by no more than the source's ``max_shrink`` against
  its current run, unless the analyst accepts the shrink (``--accept-shrink``).

Files under the feed that the parser neither read nor skipped are noted in the ledger. ``ingest_many`` swaps all
its sources in one transaction, which is how ``euaigraph build`` makes the shipped graph appear at once.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from euaigraph.ingest.base import Feed, FeedError, Report, SourceSpec

from euaigraph.graph.load import derived
from euaigraph.graph.store.provenance import Run, current_records
from euaigraph.graph.store.base import Staged, Store, StoreError
from euaigraph.graph.store.terms import nt_line

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


class IngestError(Exception):
    """A source could not be loaded; the message names the source and the place. Its previous graph is kept."""


@dataclass
class Outcome:
    """What happened to one source in one load."""

    run: Run
    ok: bool
    message: str = ""


def stage(spec: SourceSpec, feed: Feed, workdir: Path, *, tap: derived.Tap | None = None) -> Staged:
    """Parse a feed into an N-Triples file, counting and checking it; every distinct triple written is also given
    to ``tap`` (the derivation keeps its inputs that way). Raises :class:`IngestError`."""
    report = Report(spec.id)
    run = Run(spec=spec, feed=feed, report=report)
    path = workdir / f"{spec.id}.nt"
    seen: set[str] = set()
    try:
        with path.open("w", encoding="utf-8") as out:
            for triple in spec.parse(feed, report):
                line = nt_line(*triple)
                if line not in seen:  # a graph is a set: count each triple once
                    seen.add(line)
                    out.write(line)
                    if tap is not None and triple[1] in tap.predicates:
                        tap(*triple)
    except FeedError as exc:
        raise _failed(run, str(exc)) from exc
    except (OSError, ValueError, LookupError, TypeError, AttributeError, RecursionError) as exc:
        # a reader that trips over an unexpected shape (a record without a required key) fails its source, named
        raise _failed(run, f"{spec.id}: {feed.path}: {type(exc).__name__}: {exc}") from exc
    unaccounted = report.unaccounted(feed)
    if unaccounted:
        report.note(f"{len(unaccounted)} file(s) under the feed were neither read nor skipped by the parser: "
                    + ", ".join(unaccounted[:20]) + (" ..." if len(unaccounted) > 20 else ""))
    imbalance = report.imbalance()
    if imbalance is not None:
        raise _failed(run, f"{imbalance}; the parser lost records without a word, so the run is refused "
                           f"and the previous graph stays")
    run.triples_written = len(seen)
    if run.triples_written < spec.min_triples:
        # Name the place: a feed whose only file was rejected fails here, and its rejection says where and why.
        first = f"; first rejected: {report.rejected[0].where}: {report.rejected[0].reason}" if report.rejected else ""
        raise _failed(
            run,
            f"{spec.id}: {feed.path}: only {run.triples_written} triples, fewer than the {spec.min_triples} "
            f"this source always yields; the feed looks broken ({report.records_read} records read, "
            f"{report.records_rejected} rejected){first}",
        )
    run.status = "succeeded"
    run.ended = datetime.now(UTC)
    return Staged(run=run, path=path)


class _RunFailed(IngestError):
    def __init__(self, run: Run, message: str):
        super().__init__(message)
        self.run = run


def _failed(run: Run, message: str) -> _RunFailed:
    run.status, run.error, run.ended = "failed", message, datetime.now(UTC)
    return _RunFailed(run, message)


def shrink_refusal(run: Run, current: int | None) -> str | None:
    """Why a run that keeps fewer records than the current run may not replace it, or None.

    >>> from euaigraph.ingest.base import Report
    >>> from euaigraph.ingest.registry import get
    >>> run = Run(spec=get("osai-index"), feed=None, report=Report("osai-index"))
    >>> run.report.read(146); run.report.ingested(146)
    >>> print(shrink_refusal(run, 1677))
    osai-index: this run keeps 146 records against 1,677 in the current graph, a fall of 91%, more than the 20% this source allows; the feed looks cut short, so the current graph stays (if the source really shrank, load it again with --accept-shrink)
    >>> shrink_refusal(run, 150) is None, shrink_refusal(run, None) is None
    (True, True)
    """
    kept = run.report.records_kept
    if not current or kept >= current * (1 - run.spec.max_shrink):
        return None
    return (f"{run.spec.id}: this run keeps {kept:,} records against {current:,} in the current graph, a fall of "
            f"{1 - kept / current:.0%}, more than the {run.spec.max_shrink:.0%} this source allows; the feed looks "
            f"cut short, so the current graph stays (if the source really shrank, load it again with "
            f"--accept-shrink)")


def ingest_many(
    store: Store,
    jobs: Sequence[tuple[SourceSpec, Feed]],
    *,
    progress: Progress | None = None,
    all_or_nothing: bool = False,
    accept_shrink: bool = False,
) -> list[Outcome]:
    """Stage every job, then swap all staged sources (and the derived graph) in one transaction.

    With ``all_or_nothing`` one failed source fails the whole load; otherwise the good ones are swapped in and
    the failures are recorded. A source whose records shrink past its ``max_shrink`` fails unless
    ``accept_shrink``.
    """
    say = progress or (lambda _msg: None)
    outcomes: list[Outcome] = []
    staging = store.staging_dir()
    if staging is not None:
        staging.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="euaigraph-stage-", dir=staging) as tmp:
        try:
            _stage_and_swap(store, jobs, Path(tmp), outcomes, say, all_or_nothing=all_or_nothing,
                            accept_shrink=accept_shrink)
        finally:
            store.discard_preloads()  # also on an exception, before the staged files go: a load may still read one
    return outcomes


def _stage_and_swap(store: Store, jobs: Sequence[tuple[SourceSpec, Feed]], workdir: Path, outcomes: list[Outcome],
                    say: Progress, *, all_or_nothing: bool, accept_shrink: bool) -> None:
    staged: list[Staged] = []
    taps: dict[Path, derived.Tap] = {}  # by staged file
    current = {} if accept_shrink else current_records(store)
    for spec, feed in jobs:
        say(f"parsing {spec.id} from {feed.path}")
        try:
            tap = derived.Tap()
            item = stage(spec, feed, workdir, tap=tap)
            taps[item.path] = tap
            refusal = shrink_refusal(item.run, current.get(spec.id))
            if refusal:
                raise _failed(item.run, refusal)
        except _RunFailed as exc:
            log.warning("%s", exc)
            outcomes.append(Outcome(exc.run, ok=False, message=str(exc)))
            continue
        staged.append(item)
        outcomes.append(Outcome(item.run, ok=True, message=_summary(item.run)))
        store.preload(item)  # the store may load it while the next source is parsed
    failed = [o for o in outcomes if not o.ok]
    if failed and all_or_nothing:
        staged = []
        for outcome in outcomes:
            if outcome.ok:
                outcome.ok, outcome.message = False, "not loaded: another source in the same build failed"
    if staged:
        say("deriving closures and preferred values")
        derived_item = derived.stage(store, [(item, taps[item.path]) for item in staged], workdir)
        store.preload(derived_item)  # alongside a large source still loading, if there is one
        say(f"swapping in {len(staged)} source(s)")
        try:
            store.swap([*staged, derived_item])
        except StoreError as exc:
            for outcome in outcomes:
                if outcome.ok:
                    outcome.ok = False
                    outcome.run.status, outcome.run.error = "failed", str(exc)
                    outcome.message = str(exc)
    store.discard_preloads()  # what no swap made current must be gone before a failure record is published
    for outcome in outcomes:
        if not outcome.ok:
            try:
                store.record_failure(outcome.run)
            except StoreError as exc:  # a read-only endpoint cannot record anything
                log.warning("could not record the failed run of %s: %s", outcome.run.spec.id, exc)


def ingest(store: Store, spec: SourceSpec, feed: Feed, *, progress: Progress | None = None,
           accept_shrink: bool = False) -> Outcome:
    """Load one source. Raises :class:`IngestError` if it failed (its previous graph stays current)."""
    outcome = ingest_many(store, [(spec, feed)], progress=progress, accept_shrink=accept_shrink)[0]
    if not outcome.ok:
        raise IngestError(outcome.message)
    return outcome


def _summary(run: Run) -> str:
    report = run.report
    return (
        f"{run.spec.id}: {report.records_read} records read, {report.records_ingested} ingested, "
        f"{report.records_rejected} rejected, {report.records_merged} merged, {run.triples_written} triples, "
        f"{report.unresolved_count} unresolved names"
    )
