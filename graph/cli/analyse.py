"""What ``euaigraph analyse METRIC`` runs: one function per metric returning a title, summary lines and rows.

Nodes are given as IRIs or as ``kind:id`` (``model:utter-project/eurollm-9b``, ``org:meta``,
``licence:LicenseRef-Llama-3-Community``, ``licence-family:Llama``, ``facility:lumi``, ``dataset:hplt/hplt-v2``);
a bare id is read as the kind the option expects.

>>> node_iri("org:meta")
'https://w3id.org/euaigraph/id/org/meta'
>>> node_iri("utter-project/EuroLLM-9B", default="model")
'https://w3id.org/euaigraph/id/model/utter-project/eurollm-9b'
>>> node_iri("licence:Apache-2.0")
'http://spdx.org/licenses/Apache-2.0'
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date

from euaigraph.ontology import iri

from euaigraph.graph.analysis import (
    concentration,
    dependency_graph,
    foreign_ancestry,
    language_coverage,
    sovereignty_profile,
    standings,
    upstream,
    what_if,
)
from euaigraph.graph.analysis.read import derivation_codes
from euaigraph.graph.load import rules
from euaigraph.graph.store.base import Store
from euaigraph.graph.store.terms import check_iri

METRICS = ("upstream", "concentration", "what-if", "foreign-ancestors", "languages", "profile")


class AnalysisError(ValueError):
    """Bad options for a metric (missing model, unknown node); the message says which."""


def node_iri(value: str, *, default: str | None = None) -> str:
    """An IRI from an IRI, a ``kind:id`` or (with ``default``) a bare id."""
    try:
        return check_iri(str(iri.from_reference(value, default_kind=default)))
    except ValueError as exc:
        raise AnalysisError(str(exc)) from None


@dataclass
class Options:
    model: str | None = None
    remove: list[str] = field(default_factory=list)
    dimension: str = "provider"
    bloc: str = "eu"
    on: date | None = None
    top_k: int = 5
    threshold: int = 2
    european_only: bool = False


@dataclass
class Report:
    title: str
    summary: list[str]
    rows: list[dict[str, object]]


def run(store: Store, metric: str, options: Options) -> Report:
    """Compute one metric. Raises :class:`AnalysisError` for bad options."""
    if metric not in METRICS:
        raise AnalysisError(f"unknown metric {metric!r}: use one of {', '.join(METRICS)}")
    if metric == "languages":
        result = language_coverage(store, bloc=options.bloc, on=options.on, threshold=options.threshold)
        below = [c.code for c in result if c.below_threshold]
        return Report("EU-controlled open models per official EU language",
                      [f"below {options.threshold}: {', '.join(below) or 'none'}"],
                      [row for c in result for row in c.as_rows()])
    if metric == "profile":
        model = _required_model(options)
        try:
            profile = sovereignty_profile(store, model, bloc=options.bloc, on=options.on)
        except KeyError as exc:
            raise AnalysisError(str(exc.args[0])) from None
        return Report(f"Sovereignty profile of {profile.label}", [f"bloc {profile.bloc} on {profile.on}"],
                      profile.as_rows())
    g = dependency_graph(store)
    where = standings(store, g, bloc=options.bloc, on=options.on)
    try:
        return _graph_metric(g, metric, options, where)
    except KeyError as exc:
        raise AnalysisError(str(exc.args[0])) from None


def _graph_metric(g, metric: str, options: Options, where: dict[str, str]) -> Report:
    if metric == "upstream":
        up = upstream(g, _required_model(options), standing=where)
        share = "unknown" if up.foreign_share is None else f"{up.foreign_share:.1%}"
        summary = (f"foreign share {up.foreign}/{up.known} = {share} (bloc {options.bloc}); "
                   f"{up.unknown} upstream nodes of unknown jurisdiction")
        return Report(f"Upstream of {up.model}", [summary], up.as_rows())
    if metric == "foreign-ancestors":
        found = foreign_ancestry(g, where, lineage=derivation_codes())
        counts = {s: sum(1 for n, k in g.nodes(data="kind") if k == "model" and where.get(n) == s)
                  for s in (rules.INSIDE, rules.OUTSIDE, rules.UNKNOWN)}
        summary = [f"{len(found)} of {counts[rules.INSIDE]} models inside {options.bloc} have an ancestor outside it; "
                   f"jurisdiction known for {counts[rules.INSIDE] + counts[rules.OUTSIDE]} of {sum(counts.values())} "
                   f"models ({counts[rules.UNKNOWN]} unknown, not counted)"]
        rows = [{"model": n, "label": g.nodes[n]["label"], "seats": " ".join(g.nodes[n]["seats"])} for n in sorted(found)]
        return Report(f"Models inside {options.bloc} with an ancestor outside it", summary, rows)
    if metric == "concentration":
        models = None
        if options.european_only:
            models = european_models(g, where)
        try:
            c = concentration(g, dimension=options.dimension, models=models, top_k=options.top_k)
        except ValueError as exc:
            raise AnalysisError(str(exc)) from None
        return Report(f"Concentration of upstream {options.dimension}s",
                      [f"HHI {c.hhi:.0f} (0-10,000); top-{c.top_k} share {c.top_k_share:.1f}%; "
                       f"{c.covered} of {c.models} models have one"], c.as_rows())
    if not options.remove:
        raise AnalysisError("what-if needs at least one --remove NODE")
    removed = [node_iri(r) for r in options.remove]
    affected = what_if(g, removed)
    models = [a for a in affected if a.kind == "model"]
    counts = {s: sum(1 for a in models if where.get(a.node) == s) for s in (rules.INSIDE, rules.OUTSIDE, rules.UNKNOWN)}
    summary = [f"{len(models)} models affected: {counts[rules.INSIDE]} inside {options.bloc}, "
               f"{counts[rules.OUTSIDE]} outside, {counts[rules.UNKNOWN]} of unknown jurisdiction",
               f"{len(affected) - len(models)} other things affected (licences, datasets, organisations, ...)"]
    rows = [{**row, "standing": where.get(a.node)} for a in affected for row in a.as_rows()]
    return Report(f"Affected if {', '.join(removed)} is removed", summary, rows)


def european_models(g, where: dict[str, str]) -> list[str]:
    """Models inside the bloc (the derived standing), the set every European figure counts."""
    return sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "model" and where.get(n) == rules.INSIDE)


def _required_model(options: Options) -> str:
    if not options.model:
        raise AnalysisError("this metric needs --model MODEL")
    return node_iri(options.model, default="model")


def to_csv(report: Report) -> str:
    out = io.StringIO()
    if report.rows:
        writer = csv.DictWriter(out, fieldnames=list(report.rows[0]), lineterminator="\r\n")  # RFC 4180, as graph.formats
        writer.writeheader()
        writer.writerows(report.rows)
    return out.getvalue()


def to_json(report: Report) -> str:
    return json.dumps({"title": report.title, "summary": report.summary, "rows": report.rows}, indent=1,
                      ensure_ascii=False, default=str)
