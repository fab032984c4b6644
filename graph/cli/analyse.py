"""What ``euaigraph analyse METRIC`` runs: one function per metric returning a title, summary lines and rows.

Nodes are given as IRIs or as ``kind:id`` (``model:utter-project/eurollm-9b``, ``org:meta``,
``licence:LicenseRef-Llama-3-Community``, ``facility:lumi``, ``dataset:hplt/hplt-v2``); a bare id is read as the
kind the option expects.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from euaigraph.ontology import iri

from euaigraph.graph.analysis import (
    bloc_members,
    concentration,
    dependency_graph,
    language_coverage,
    sovereignty_profile,
    upstream,
    what_if,
)
from euaigraph.graph.store.base import Store
from euaigraph.graph.store.terms import check_iri

METRICS = ("upstream", "concentration", "what-if", "languages", "profile")
_MAKERS: dict[str, Callable] = {"model": iri.model_iri, "org": iri.org_iri, "organisation": iri.org_iri,
                                "licence": iri.licence_iri, "facility": iri.facility_iri,
                                "dataset": iri.dataset_iri, "project": iri.project_iri}


class AnalysisError(ValueError):
    """Bad options for a metric (missing model, unknown node); the message says which."""


def node_iri(value: str, *, default: str | None = None) -> str:
    """An IRI from an IRI, a ``kind:id`` or (with ``default``) a bare id."""
    value = value.strip()
    if value.startswith(("http://", "https://")):
        return check_iri(value)
    kind, sep, key = value.partition(":")
    if sep and kind in _MAKERS:
        return str(_MAKERS[kind](key))
    if default:
        return str(_MAKERS[default](value))
    raise AnalysisError(f"{value!r} is neither an IRI nor kind:id (kinds: {', '.join(_MAKERS)})")


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
    members = bloc_members(store, bloc=options.bloc, on=options.on)
    try:
        return _graph_metric(g, metric, options, members)
    except KeyError as exc:
        raise AnalysisError(str(exc.args[0])) from None


def _graph_metric(g, metric: str, options: Options, members: set[str]) -> Report:
    if metric == "upstream":
        up = upstream(g, _required_model(options), bloc=members)
        share = "unknown" if up.foreign_share is None else f"{up.foreign_share:.1%}"
        summary = f"foreign share {up.foreign}/{up.known} = {share} (bloc {options.bloc})"
        return Report(f"Upstream of {up.model}", [summary], up.as_rows())
    if metric == "concentration":
        models = None
        if options.european_only:
            models = [n for n, d in g.nodes(data=True) if d.get("kind") == "model" and d.get("jurisdiction") in members]
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
    return Report(f"Affected if {', '.join(removed)} is removed", [f"{len(affected)} affected"],
                  [row for a in affected for row in a.as_rows()])


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
