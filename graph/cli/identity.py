"""``euaigraph identity``: the identity decisions in the graph, for review.

- **Merges**: every ``eai:MergeRecord`` of the current source graphs: which entity a source record was joined to,
  by which rule and on which key, and the records it joined (written by the model feeds, see
  :mod:`euaigraph.ingest.ledger`).
- **Near-misses**: entities of one kind whose names are the same once case, spaces and punctuation are set aside,
  but whose developers differ (no developer in common, developers compared by their names the same way): kept
  apart by the evidence rules, listed so that a reviewer can add an alias when they are in fact one thing.

>>> normalised("Mistral-7B v0.1"), normalised("mistral 7b V0.1")
('mistral7bv01', 'mistral7bv01')
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated

import typer
from rich.table import Table

from euaigraph.ingest.model_names import name_form
from euaigraph.ontology.vocab import EAI

from euaigraph.graph.cli.commands import Ctx, _guarded, app, console, fail
from euaigraph.graph.store.base import Store, graph_source
from euaigraph.graph.store.terms import UnsafeIriError, check_iri

#: Kinds of entity compared for near-misses, with the properties that name who made or keeps them.
NEAR_MISS_KINDS = {str(EAI.AIModel): "model", str(EAI.Dataset): "dataset", str(EAI.Deployment): "deployment"}
MAKERS = (EAI.developedBy, EAI.curatedBy)


@dataclass(frozen=True)
class MergeRow:
    source: str
    entity: str
    label: str
    rule: str
    key: str
    where: str
    records: tuple[str, ...]


@dataclass(frozen=True)
class NearMiss:
    kind: str
    name: str
    entities: tuple[tuple[str, str, tuple[str, ...]], ...]  # (IRI, label, developers)


def normalised(text: str) -> str:
    """A name with case, white space and punctuation set aside: what a near-miss has in common."""
    return re.sub(r"[\W_]+", "", name_form(text).casefold())


def merges(store: Store, *, source: str | None = None, entity: str | None = None) -> list[MergeRow]:
    """The merges written in the current source graphs, by source, entity and place."""
    current = set(store.current_graphs().values())
    focus = f"VALUES ?entity {{ <{check_iri(entity)}> }}" if entity else ""
    rows = store.execute(f"""SELECT ?g ?entity ?rule ?key ?where (SAMPLE(?l) AS ?label)
        (GROUP_CONCAT(DISTINCT STR(?record); separator=" ") AS ?records) WHERE {{
      {focus}
      GRAPH ?g {{ ?entity <{EAI.mergeRecord}> ?merge . ?merge <{EAI.mergeRule}> ?rule ; <{EAI.locator}> ?where .
                  OPTIONAL {{ ?merge <{EAI.mergeKey}> ?key }} OPTIONAL {{ ?merge <{EAI.mergedRecord}> ?record }} }}
      OPTIONAL {{ ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?l }}
    }} GROUP BY ?g ?entity ?rule ?key ?where""").rows
    out = []
    for g, node, rule, key, where, label, records in rows:
        found = graph_source(str(g))
        if str(g) not in current or (source and found != source):
            continue
        out.append(MergeRow(found or str(g), str(node), str(label or ""), str(rule), str(key or ""), str(where),
                            tuple(sorted(str(records or "").split()))))
    return sorted(out, key=lambda m: (m.source, m.label.casefold(), m.entity, m.where))


def near_misses(store: Store) -> list[NearMiss]:
    """Entities of one kind with the same normalised name and no developer in common."""
    kinds = " ".join(f"<{k}>" for k in NEAR_MISS_KINDS)
    named: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for node, kind, label in store.execute(f"""SELECT DISTINCT ?e ?t ?l WHERE {{ VALUES ?t {{ {kinds} }}
            ?e a ?t ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }}""").rows:
        key = normalised(str(label))
        if key:
            named[(NEAR_MISS_KINDS[str(kind)], key)].setdefault(str(node), str(label))
    makers: dict[str, set[str]] = defaultdict(set)
    maker_names: dict[str, set[str]] = defaultdict(set)
    paths = "|".join(f"<{p}>" for p in MAKERS)
    for node, maker, label in store.execute(f"""SELECT DISTINCT ?e ?o ?l WHERE {{ ?e {paths} ?o
            OPTIONAL {{ ?o <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}""").rows:
        makers[str(node)].add(str(maker))
        maker_names[str(node)].add(normalised(str(label)) if label else str(maker))
    out = []
    for (kind, _key), nodes in named.items():
        made = [node for node in sorted(nodes) if makers.get(node)]
        if len(made) > 1 and _disjoint([maker_names[node] for node in made]):
            out.append(NearMiss(kind, sorted(nodes.values())[0], tuple(
                (node, nodes[node], tuple(sorted(makers[node]))) for node in made)))
    return sorted(out, key=lambda n: (n.kind, n.name.casefold()))


def _disjoint(groups: list[set[str]]) -> bool:
    """Some two of the entities share no developer."""
    return any(not a & b for i, a in enumerate(groups) for b in groups[i + 1:])


def _short(iri: str) -> str:
    return iri.split("/id/", 1)[-1]


@app.command()
def identity(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option(help="Only the merges of this source.")] = None,
    entity: Annotated[str | None, typer.Option(help="Only the merges into this entity (an IRI).")] = None,
    show: Annotated[str, typer.Option(help="merges, near-misses or both.")] = "both",
    limit: Annotated[int, typer.Option(help="List at most this many rows of each table.")] = 200,
) -> None:
    """List identity decisions: merges (which records, which rule) and near-misses (same name, other developer)."""
    if show not in ("merges", "near-misses", "both"):
        raise fail(f"--show {show!r}: use merges, near-misses or both", 2)
    if entity:
        try:
            check_iri(entity)
        except UnsafeIriError as exc:
            raise fail(f"--entity: {exc}", 2) from None

    def action(c: Ctx):
        with c.open() as store:
            if show in ("merges", "both"):
                found = merges(store, source=source, entity=entity)
                table = Table("source", "entity", "rule", "key", "record", "joined records",
                              title=f"Merges ({len(found)})")
                for m in found[:limit]:
                    table.add_row(m.source, f"{m.label or _short(m.entity)}\n{_short(m.entity)}", m.rule, m.key,
                                  m.where, "\n".join(_short(r) for r in m.records))
                console.print(table)
                if len(found) > limit:
                    console.print(f"and {len(found) - limit} more merges (--limit)")
            if show in ("near-misses", "both"):
                missed = near_misses(store)
                table = Table("kind", "name", "entities and their developers", title=f"Near-misses ({len(missed)})")
                for n in missed[:limit]:
                    table.add_row(n.kind, n.name, "\n".join(
                        f"{_short(node)} ({label}): {', '.join(_short(d) for d in devs)}"
                        for node, label, devs in n.entities))
                console.print(table)
                if len(missed) > limit:
                    console.print(f"and {len(missed) - limit} more near-misses (--limit)")
    _guarded(ctx, action)
