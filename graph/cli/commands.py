"""The ``euaigraph`` command line. Every command takes ``--store PATH`` (embedded, the default) or
``--endpoint ID`` (a remote SPARQL endpoint from the config file) and exits non-zero with a clear message on
bad input."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated

import re

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from euaigraph import __version__
from euaigraph.ingest import registry
from euaigraph.ingest.base import Feed
from euaigraph.ingest.sources.blocs import known_bloc

from euaigraph.graph import headlines
from euaigraph.graph.query import formats
from euaigraph.graph.store.config import ConfigError, endpoint
from euaigraph.graph.load.pipeline import IngestError, ingest, ingest_many
from euaigraph.graph.query.run import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT_S, QueryRefused, run_saved
from euaigraph.graph.query.saved import SavedQueryError, catalogue, find
from euaigraph.graph.store.base import QueryCancelled, Store, StoreError
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.graph import settings

app = typer.Typer(help="euaigraph: a knowledge graph of the European open-source AI ecosystem.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
console = Console()
err = Console(stderr=True)


class Ctx:
    def __init__(self, store: Path | None, endpoint_id: str | None):
        self.store_path, self.endpoint_id = store, endpoint_id

    def ref(self) -> StoreRef:
        if self.endpoint_id:
            return StoreRef(endpoint=endpoint(self.endpoint_id))
        return StoreRef(home=str(self.store_path) if self.store_path else None)

    def open(self, *, writable: bool = False) -> Store:
        return self.ref().open(writable=writable)


#: Control characters, which a terminal would act on (ESC starts escape sequences): shown as \xNN instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(value: object) -> str:
    r"""A value from data or from a user (a feed's message, a file name, a label) ready for Rich: its ``[`` cannot
    open markup (no MarkupError, no styling), and control characters are shown, not sent to the terminal.

    >>> shown("[/bold] x[red]y\x1b]0;t\x07")
    '\\[/bold] x\\[red]y\\x1b]0;t\\x07'
    """
    return escape(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value)))


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {shown(message)}", highlight=False)
    return typer.Exit(code)


#: Commands that only read the store: given a --store path that does not exist, they refuse instead of answering
#: from an empty store made on the spot.
READING = frozenset({"query", "analyse", "coverage", "diff", "identity", "export", "backup", "validate", "warm",
                     "sources"})


@app.callback()
def main(
    ctx: typer.Context,
    store: Annotated[Path | None, typer.Option("--store", help="Embedded store folder (default $EUAIGRAPH_HOME or ./data/store).")] = None,
    endpoint_id: Annotated[str | None, typer.Option("--endpoint", help="Remote endpoint id from euaigraph.toml.")] = None,
) -> None:
    if store and endpoint_id:
        raise fail("give --store or --endpoint, not both", 2)
    if store and ctx.invoked_subcommand in READING and not store.exists():
        # a mistyped path would otherwise open an empty store and answer "nothing"
        raise fail(f"no store at {store} (euaigraph --store {store} build makes one)", 2)
    ctx.obj = Ctx(store, endpoint_id)


def _guarded(ctx: typer.Context, action):
    try:
        return action(ctx.obj)
    except (ConfigError, StoreError, IngestError, SavedQueryError, QueryRefused, QueryCancelled,
            registry.UnknownSourceError, FileNotFoundError) as exc:
        raise fail(str(exc)) from None
    except OSError as exc:  # a full disk, a folder without permission, a link refused: said, never a traceback
        raise fail(str(exc)) from None


def _print_outcomes(outcomes) -> bool:
    table = Table("source", "status", "records", "ingested", "rejected", "merged", "triples", "unresolved", "message")
    for o in outcomes:
        r = o.run.report
        table.add_row(shown(o.run.spec.id), "ok" if o.ok else "[red]failed[/]", str(r.records_read),
                      str(r.records_ingested), str(r.records_rejected), str(r.records_merged),
                      str(o.run.triples_written), str(r.unresolved_count), "" if o.ok else Text(o.message))
    console.print(table)
    return all(o.ok for o in outcomes)


WARM_OPTION = typer.Option("--warm/--no-warm", help="Then answer every saved question for the new data version, so "
                           "the explorer and `query` serve kept answers (embedded store).")
SHRINK_OPTION = typer.Option("--accept-shrink", help="Load a source even if it keeps fewer records than its current "
                             "run by more than the share it allows (20% by default): for a source that really shrank.")


@app.command()
def build(
    ctx: typer.Context,
    feeds: Annotated[Path | None, typer.Option(help="Also ingest every feed recorded in this folder (e.g. ../shared/data).")] = None,
    warm_answers: Annotated[bool, WARM_OPTION] = True,
    accept_shrink: Annotated[bool, SHRINK_OPTION] = False,
) -> None:
    """Build the shipped graph (reference data and curated facts) in one swap; with --feeds, the feeds too."""
    def action(c: Ctx):
        jobs = registry.build_jobs(feeds=feeds)
        with c.open(writable=True) as store:
            outcomes = ingest_many(store, jobs, progress=lambda m: err.print(f"[dim]{shown(m)}[/]"),
                                   all_or_nothing=feeds is None, accept_shrink=accept_shrink)
        ok = _print_outcomes(outcomes)
        if warm_answers and any(o.ok for o in outcomes):
            _warm_after_change(c)
        if not ok:
            raise fail("some sources failed; their previous graphs are unchanged")
    _guarded(ctx, action)


def _warm_after_change(c: Ctx) -> None:
    if c.endpoint_id:
        return  # an endpoint keeps no answers
    from euaigraph.graph.query.warm import warm

    started = time.perf_counter()
    done = warm(c.ref())
    failed = [w for w in done if not w.ok]
    err.print(f"[dim]answered {len(done) - len(failed)} of {len(done)} saved questions for the new data version in "
              f"{time.perf_counter() - started:.1f} s[/]")
    for item in failed:
        err.print(f"  [yellow]not kept[/] {shown(item.name)}: {shown(item.message)}", highlight=False)


@app.command("ingest")
def ingest_command(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Source id (see `euaigraph sources --all`).")],
    file: Annotated[Path | None, typer.Option("--file", help="Read this file or folder instead of fetching.")] = None,
    live: Annotated[bool, typer.Option(help="Fetch the live feed into the cache first.")] = False,
    warm_answers: Annotated[bool, WARM_OPTION] = True,
    accept_shrink: Annotated[bool, SHRINK_OPTION] = False,
) -> None:
    """Ingest one source from a file/folder (offline), its shipped file, or the live feed."""
    def action(c: Ctx):
        spec = registry.get(source)
        if file is not None:
            feed = Feed.from_path(file)
        elif live:
            if spec.fetch is None:
                raise IngestError(f"{source} has no live feed")
            home = Path(c.store_path or settings.current().home)
            feed = spec.fetch(home / "cache" / source)
        elif spec.shipped:
            feed = Feed.from_path(spec.shipped_path())
        else:
            raise IngestError(f"{source} needs --file PATH (a recorded feed) or --live")
        with c.open(writable=True) as store:
            outcome = ingest(store, spec, feed, progress=lambda m: err.print(f"[dim]{shown(m)}[/]"),
                             accept_shrink=accept_shrink)
        _print_outcomes([outcome])
        if warm_answers:
            _warm_after_change(c)
        for item in outcome.run.report.rejected[:20]:
            err.print(f"  rejected {shown(item.where)}: {shown(item.reason)}", highlight=False)
        for item in outcome.run.report.unresolved[:20]:
            err.print(f"  unresolved {shown(item.kind)} {shown(repr(item.name))} at {shown(item.where)}",
                      highlight=False)
    _guarded(ctx, action)


def _parse_params(params: list[str]) -> dict[str, str]:
    out = {}
    for item in params:
        if "=" not in item:
            raise SavedQueryError(f"--param expects name=value, got {item!r}")
        name, value = item.split("=", 1)
        out[name.strip()] = value
    return out


@app.command()
def query(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Saved query name (theme/slug or slug) or an .rq file.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="name=value, repeatable.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, safe-csv or json.")] = "table",
    timeout: Annotated[float, typer.Option(help="Time limit in seconds.")] = DEFAULT_TIMEOUT_S,
    row_cap: Annotated[int, typer.Option(help="At most this many rows.")] = DEFAULT_ROW_CAP,
    list_: Annotated[bool, typer.Option("--list", help="List the saved queries.")] = False,
) -> None:
    """Run a saved SPARQL question (guarded, time-limited, row-capped)."""
    if fmt not in ("table", "csv", "safe-csv", "json"):
        raise fail(f"unknown format {fmt!r}: use table, csv, safe-csv or json", 2)

    def action(c: Ctx):
        if list_ or name is None:
            table = Table("name", "summary", "params")
            for qname, saved in catalogue().items():
                table.add_row(shown(qname), shown(saved.summary),
                              shown(", ".join(f"{p.name}={p.default}" for p in saved.params)))
            console.print(table)
            return
        saved = find(name)
        bloc = headlines.depends_on_jurisdiction(saved.params)
        with QueryWorkers(c.ref(), size=1) as workers:
            result = run_saved(workers, saved, _parse_params(param or []), timeout_s=timeout, row_cap=row_cap,
                               answers=c.ref().answers())
            values = {**saved.defaults(), **_parse_params(param or [])}
            note = headlines.jurisdiction_note(
                lambda q, p: run_saved(workers, find(q), p, timeout_s=timeout, answers=c.ref().answers()),
                str(values[bloc])) if bloc else None
        if fmt == "csv":
            sys.stdout.write(formats.to_csv(result))
        elif fmt == "safe-csv":
            sys.stdout.write(formats.to_csv(result, spreadsheet_safe=True))
        elif fmt == "json":
            sys.stdout.write(formats.to_json(result) + "\n")
        else:
            _print_result(saved.summary, result)
        if result.truncated:
            err.print(f"[yellow]truncated: only the first {result.row_cap} rows are shown[/]")
        if note:
            err.print(note, highlight=False, markup=False)
    _guarded(ctx, action)


def _print_result(title: str, result) -> None:
    from euaigraph.ontology.namespaces import PREFIXES

    if result.kind == "ask":
        console.print(f"{shown(title)}: {result.boolean}")
        return
    header = result.variables if result.kind == "select" else ["subject", "predicate", "object"]
    table = Table(*map(shown, header), title=shown(title))
    for row in result.rows if result.kind == "select" else result.triples:
        table.add_row(*(shown(formats.short(t, PREFIXES)) for t in row))
    console.print(table)
    console.print(f"[dim]{len(result)} rows in {result.elapsed_ms:.0f} ms[/]")


@app.command()
def explore(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
) -> None:
    """Start the explorer (Streamlit) on the store."""
    from euaigraph.graph.store.embedded import default_home

    env = dict(os.environ)
    c: Ctx = ctx.obj
    env["EUAIGRAPH_HOME"] = str((c.store_path or default_home()).resolve())
    if c.endpoint_id:
        env["EUAIGRAPH_ENDPOINT"] = c.endpoint_id
    # The security settings are passed explicitly as well as kept in .streamlit/config.toml, so they hold
    # wherever the explorer is started from. The launcher computes what the first page needs, then runs
    # `streamlit run explorer/app.py` in the same process.
    command = [sys.executable, "-m", "euaigraph.explorer.serve", "--server.address", address,
               "--server.port", str(port), "--browser.gatherUsageStats", "false",
               "--server.enableXsrfProtection", "true", "--server.enableCORS", "true",
               "--client.showErrorDetails", "none", "--client.toolbarMode", "viewer", "--server.headless", "true"]
    # The launcher replaces this process (no child left serving on the port when this one is stopped).
    sys.stdout.flush()
    os.execve(sys.executable, command, env)


@app.command()
def analyse(
    ctx: typer.Context,
    metric: Annotated[str, typer.Argument(help="upstream, concentration, what-if, languages or profile.")],
    model: Annotated[str | None, typer.Option(help="Model id or IRI (upstream, profile).")] = None,
    remove: Annotated[list[str] | None, typer.Option(help="Node to remove, kind:id or IRI, repeatable (what-if).")] = None,
    dimension: Annotated[str, typer.Option(help="provider, dataset, facility or vendor (concentration).")] = "provider",
    european_only: Annotated[bool, typer.Option(help="Only models whose provider is in the bloc (concentration).")] = False,
    bloc: Annotated[str, typer.Option(help="eu, eea, efta or horizon-associated.")] = "eu",
    on: Annotated[str | None, typer.Option(help="Date for bloc membership and control, YYYY-MM-DD (default today).")] = None,
    top_k: Annotated[int, typer.Option(help="k of the top-k share (concentration).")] = 5,
    threshold: Annotated[int, typer.Option(help="Flag languages with fewer models (languages).")] = 2,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
) -> None:
    """Dependency metrics (networkx): upstream closure, concentration, what-if, language coverage, profile."""
    from datetime import date

    from euaigraph.graph.cli import analyse as analysis_cli

    if fmt not in ("table", "csv", "json"):
        raise fail(f"unknown format {fmt!r}: use table, csv or json", 2)
    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        raise fail(f"--on expects a date YYYY-MM-DD, got {on!r}", 2) from None
    try:
        known_bloc(bloc)
    except KeyError as exc:
        raise fail(f"--bloc: {exc.args[0]}", 2) from None
    options = analysis_cli.Options(model=model, remove=list(remove or []), dimension=dimension, bloc=bloc, on=day,
                                   top_k=top_k, threshold=threshold, european_only=european_only)

    def action(c: Ctx):
        with c.open() as store:
            report = analysis_cli.run(store, metric, options)
        if fmt == "csv":
            sys.stdout.write(analysis_cli.to_csv(report))
        elif fmt == "json":
            sys.stdout.write(analysis_cli.to_json(report) + "\n")
        else:
            table = Table(*map(shown, report.rows[0] if report.rows else ["(no rows)"]), title=shown(report.title))
            for row in report.rows:
                table.add_row(*("" if v is None else shown(v) for v in row.values()))
            console.print(table)
            for line in report.summary:
                console.print(shown(line), highlight=False)
    try:
        _guarded(ctx, action)
    except analysis_cli.AnalysisError as exc:
        raise fail(str(exc), 2) from None


@app.command()
def version() -> None:
    """Print the version."""
    console.print(__version__)

