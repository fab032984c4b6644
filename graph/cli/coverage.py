"""``euaigraph coverage``: how many entities of each kind have each key property, from the graph in the store."""

from __future__ import annotations

import csv
import sys
from typing import Annotated

import typer
from rich.table import Table

from euaigraph.graph.cli.commands import Ctx, _guarded, app, console, shown
from euaigraph.graph.coverage import coverage_of, gaps
from euaigraph.ingest.sources.blocs import known_bloc


@app.command("coverage")
def coverage_command(
    ctx: typer.Context,
    bloc: Annotated[str, typer.Option(help="European means a member of this bloc today (eu, eea, efta, ...).")] = "eu",
    missing: Annotated[str, typer.Option(
        help='List the entities of one kind that lack one property, as "KIND:PROPERTY" '
             '(e.g. "european models:release date").', show_default=False)] = "",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or csv (the --missing list: IRI, label).")] = "table",
) -> None:
    """Per kind of entity, how many have each key property (licence, languages, jurisdiction, compute, funding,
    sources), and the share of European models whose licence class is unknown; with --missing, which entities
    lack one property."""
    if fmt not in ("table", "csv"):
        raise typer.BadParameter(f"{fmt!r} is not one of table, csv", param_hint="--format")
    try:
        known_bloc(bloc)
    except KeyError as exc:
        raise typer.BadParameter(exc.args[0], param_hint="--bloc") from None

    def action(c: Ctx):
        if missing:
            kind, _, prop = missing.partition(":")
            with c.open() as store:
                try:
                    rows = gaps(store, kind=kind.strip(), prop=prop.strip(), bloc=bloc)
                except KeyError as exc:
                    raise typer.BadParameter(exc.args[0], param_hint="--missing") from None
            if fmt == "csv":
                out = csv.writer(sys.stdout, lineterminator="\n")
                out.writerow(("entity", "label"))
                out.writerows(rows)
                return
            table = Table("entity", "label", title=shown(f"{kind.strip()} without {prop.strip()}: {len(rows)}"))
            table.columns[0].overflow = table.columns[1].overflow = "fold"  # an IRI is never cut: it is the id to fix
            for iri, label in rows:
                table.add_row(shown(iri), shown(label))
            console.print(table)
            return
        with c.open() as store:
            report = coverage_of(store, bloc=bloc)
        table = Table("kind", "total", "property", "have it", "share %")
        for kind in report.kinds:
            for n, (prop, count) in enumerate(kind.counts):
                table.add_row(kind.kind if n == 0 else "", str(kind.total) if n == 0 else "", prop, str(count),
                              f"{kind.share(prop):.1f}")
        console.print(table)
        console.print(f"European models ({bloc}): {report.european_models}; licence class unknown: "
                      f"{report.unknown_licence_class} ({report.unknown_share:.1f} %); licence status recorded "
                      f"instead of a licence: {report.licence_status_recorded}")
    _guarded(ctx, action)
