"""``euaigraph diff A B``: what changed between two data versions of the store, or between a snapshot zip and the
current graph (decisions/0015-what-changed.md). A and B are ``current``, ``previous``, a kept data version id
(``euaigraph diff --list``) or the path of a snapshot zip."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from euaigraph.graph import diff as changes
from euaigraph.graph import versions
from euaigraph.graph.cli.commands import Ctx, _guarded, app, console, err, fail
from euaigraph.graph.query.run import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT_S


def _kept(c: Ctx) -> None:
    table = Table("data version", "published", "sources", title="Kept data versions (oldest first)")
    for item in versions.kept_versions(c.ref()):
        table.add_row(item.version, item.published, str(len(item.graphs)))
    console.print(table)


def _print(result: changes.Diff, show: int) -> None:
    for line in result.summary():
        console.print(line, highlight=False, markup=False)
    entities = Table("change", "kind", "entity", "label", title=f"Entities added and removed ({len(result.entities)})")
    for e in result.entities[:show]:
        entities.add_row(e.change, e.kind, changes.shown(e.iri), e.label)
    console.print(entities)
    facts = Table("change", "subject", "property", "value", "source", "record",
                  title=f"Facts added and removed ({len(result.facts)})")
    for f in result.facts[:show]:
        facts.add_row(f.change, changes.shown(f.subject), changes.shown(f.predicate), changes.shown(f.value), f.source,
                      " ".join(f.record_urls[:1]))
    console.print(facts)
    if result.questions:
        asked = Table("saved question", "rows added", "rows removed", "note",
                      title="Saved questions (default parameters)")
        for q in result.questions:
            if q.changed:
                asked.add_row(q.name, str(len(q.added)), str(len(q.removed)), q.error)
        console.print(asked)
    if len(result.entities) > show or len(result.facts) > show:
        err.print(f"[dim]showing at most {show} entities and facts; --show N for more, --format json for all[/]")


@app.command("diff")
def diff_command(
    ctx: typer.Context,
    before: Annotated[str | None, typer.Argument(
        help="current, previous, a kept data version id or a snapshot zip.")] = None,
    after: Annotated[str, typer.Argument(help="The same kinds of name (default: current).")] = versions.CURRENT,
    questions: Annotated[bool, typer.Option("--questions/--no-questions",
                                            help="Also compare every saved question's rows.")] = True,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    show: Annotated[int, typer.Option(help="List at most this many entities and facts (table).")] = 20,
    timeout: Annotated[float, typer.Option(help="Time limit per question and version, seconds.")] = DEFAULT_TIMEOUT_S,
    list_: Annotated[bool, typer.Option("--list", help="List the data versions the store keeps.")] = False,
) -> None:
    """What changed between two data versions: sources, entities, facts with their sources, saved-question rows."""
    if fmt not in ("table", "json"):
        raise fail(f"unknown format {fmt!r}: use table or json", 2)

    def action(c: Ctx):
        if list_ or before is None:
            _kept(c)
            return
        with versions.opened(versions.check(before), ref=c.ref()) as a, \
                versions.opened(versions.check(after), ref=c.ref()) as b:
            result = changes.compare(a, b, questions=questions, timeout_s=timeout, row_cap=DEFAULT_ROW_CAP,
                                     progress=lambda m: err.print(f"[dim]{m}[/]", highlight=False))
        if fmt == "json":
            sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=1) + "\n")
        else:
            _print(result, show)

    try:
        _guarded(ctx, action)
    except versions.VersionError as exc:
        raise fail(str(exc)) from None
