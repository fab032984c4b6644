"""``euaigraph`` maintenance commands: sources, export, backup, restore, validate, warm, and the curated-file
formatter.

They register on the Typer app of :mod:`euaigraph.graph.cli.commands`; :mod:`euaigraph.graph.cli` imports both.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from euaigraph.ingest import registry

from euaigraph.graph.cli.commands import Ctx, _guarded, app, console, err, fail, shown
from euaigraph.graph.store.safe_files import create_new, remove
from euaigraph.graph.store.ledger import Ledger, read_ledger



def _print_ledger(ledger: Ledger) -> None:
    """Every part of the ledger as plain text (feed values are never read as markup)."""
    def table(title: str, header: tuple[str, ...], rows) -> None:
        if not rows:
            return
        out = Table(*header, title=title, title_justify="left")
        for row in rows:
            out.add_row(*(Text(str(value)) for value in row))
        console.print(out)

    table(f"Ledger of the last run of {ledger.source}", ("", "value"), ledger.summary())
    table("Files skipped and read", ("file", "status", "reason"), ledger.files)
    table("Rejected records (where, why)", ("where", "why"), ledger.rejected)
    table("Merged records (which, into what, by which rule)", ("record", "into", "rule", "where"), ledger.merges)
    table("Names no alias table resolves", ("name", "kind", "where"), ledger.unresolved)
    table("Notes", ("note",), [(note,) for note in ledger.notes])


@app.command()
def export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="trig, nquads or snapshot (zip: all formats, manifest).")] = "trig",
) -> None:
    """Export the whole dataset (current graphs and provenance)."""
    if fmt not in ("trig", "nquads", "snapshot"):
        raise fail(f"unknown format {fmt!r}: use trig, nquads or snapshot", 2)

    def action(c: Ctx):
        if fmt == "snapshot":
            from euaigraph.graph.export import write_snapshot

            with c.open() as store:
                manifest = write_snapshot(store, output, progress=lambda m: err.print(f"[dim]{shown(m)}[/]"))
            console.print(f"wrote {shown(output)}: "
                          f"{len(manifest['files'])} files, {manifest['counts']['quads']} quads, "
                          f"data version {shown(manifest['data_version'])}")
            return
        # Through F.partial, so a killed export leaves no half file at F; a link planted at F.partial is removed,
        # never written through, and F itself is replaced by a rename (a link at F is replaced, not followed).
        partial = output.with_name(output.name + ".partial")
        try:
            with c.open() as store, create_new(partial) as handle:
                store.export(handle, format=fmt)
            os.replace(partial, output)
        except BaseException:
            remove(partial)
            raise
        console.print(f"wrote {shown(output)}")
    _guarded(ctx, action)


@app.command()
def backup(ctx: typer.Context, target: Annotated[Path, typer.Argument(help="New folder (embedded) or file (remote).")]) -> None:
    """Back up the store."""
    def action(c: Ctx):
        with c.open() as store:
            console.print(f"backup written to {shown(store.backup(target))}")
    _guarded(ctx, action)


@app.command()
def restore(ctx: typer.Context, source: Annotated[Path, typer.Argument(help="A backup made by `euaigraph backup`.")]) -> None:
    """Replace the whole store with a backup."""
    def action(c: Ctx):
        with c.open(writable=True) as store:
            store.restore(source)
            console.print(f"restored {shown(source)}: {store.count()} quads")
    _guarded(ctx, action)


@app.command()
def validate(
    ctx: typer.Context,
    strict: Annotated[bool, typer.Option(help="Fail on warnings (incomplete data) too, not only violations.")] = False,
    show: Annotated[int, typer.Option(help="List at most this many findings.")] = 30,
) -> None:
    """Check the whole graph against the SHACL shapes (and every graph's provenance)."""
    from euaigraph.graph.load.validate import validate_store

    def action(c: Ctx):
        with c.open() as store:
            report = validate_store(store)
        table = Table("severity", "count", "message")
        for (severity, message), n in sorted(report.summary().items()):
            table.add_row(shown(severity), str(n), shown(message))
        console.print(table)
        for finding in (report.violations + (report.warnings if strict else []))[:show]:
            err.print(shown(f"  {finding.severity}: {finding.focus} {finding.path}: {finding.message}"),
                      highlight=False)
        console.print(f"{report.quads} quads checked: {len(report.violations)} violations, "
                      f"{len(report.warnings)} warnings")
        if not report.ok(strict=strict):
            raise fail("the graph does not conform" + (" (strict)" if strict else ""))
    _guarded(ctx, action)


curated_app = typer.Typer(help="The curated data files (data/curated).", no_args_is_help=True)
app.add_typer(curated_app, name="curated")


@curated_app.command("fmt")
def curated_fmt(
    files: Annotated[list[Path] | None, typer.Argument(help="Curated YAML files (default: all).")] = None,
    check: Annotated[bool, typer.Option("--check", help="Change nothing; fail if a file is not normal.")] = False,
) -> None:
    """Rewrite curated files in normal form: records sorted, keys in schema order, dates quoted."""
    from euaigraph.ingest.curated import CuratedError
    from euaigraph.ingest.curated_format import curated_files, format_file

    paths = files or curated_files()
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise fail(f"no such file: {', '.join(missing)}", 2)
    changed, errors = [], []
    for path in paths:
        try:
            if format_file(path, check=check):
                changed.append(path)
        except CuratedError as exc:
            errors.append(str(exc))
    for path in changed:
        console.print(f"{'not in normal form' if check else 'reformatted'}: {shown(path)}", highlight=False)
    for message in errors:
        err.print(f"[bold red]error:[/] {shown(message)}", highlight=False)
    if errors:
        raise fail(f"{len(errors)} file(s) could not be formatted")
    if check and changed:
        raise fail(f"{len(changed)} file(s) not in normal form; `euaigraph curated fmt` rewrites them")
    console.print(f"{len(paths)} file(s) checked, {len(changed)} reformatted", highlight=False)


@app.command()
def warm(
    ctx: typer.Context,
    timeout: Annotated[float, typer.Option(help="Time limit per question in seconds.")] = 30.0,
) -> None:
    """Answer every saved question (default parameters) for the current data version and keep the answers."""
    from euaigraph.graph.query.warm import warm as warm_answers

    def action(c: Ctx):
        table = Table("question", "kept", "rows", "seconds", "message")
        for item in warm_answers(c.ref(), timeout_s=timeout):
            table.add_row(shown(item.name), "yes" if item.ok else "[red]no[/]", str(item.rows), f"{item.seconds:.2f}",
                          shown(item.message))
        console.print(table)
    _guarded(ctx, action)


@app.command()
def sources(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="List every registered source, loaded or not.")] = False,
    details: Annotated[str | None, typer.Option("--details", metavar="SOURCE",
                                                help="Print the ledger of this source's last run.")] = None,
) -> None:
    """Sources in the store with their last run, counts and freshness; with --details, one source's ledger."""
    def action(c: Ctx):
        if details is not None:
            registry.get(details)  # an unknown id names the known ones
            with c.open() as store:
                found = read_ledger(store, details)
            if found is None:
                raise fail(f"{details} has never been loaded into this store")
            _print_ledger(found)
            return
        with c.open() as store:
            loaded = {s.source: s for s in store.sources()}
        table = Table("source", "status", "last run", "retrieved", "version", "triples", "read", "rejected")
        ids = list(dict.fromkeys([*(registry.source_ids() if all_ else []), *loaded]))
        for source_id in ids:
            s = loaded.get(source_id)
            if s is None:
                table.add_row(shown(source_id), "not loaded", "", "", "", "", "", "")
                continue
            table.add_row(*map(shown, (s.source, s.status or "", (s.last_run or "")[:19], (s.retrieved_at or "")[:19],
                                       (s.version or "")[:24], s.triples or "", s.records_read or "",
                                       s.records_rejected or "")))
        console.print(table)
    _guarded(ctx, action)
