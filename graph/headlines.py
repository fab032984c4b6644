"""The Overview's headline findings, each computed from the answer of the saved question it links to.

A headline never has a computation of its own beside its question: its value is read off the linked answer
(distinct rows, a count by standing, a column), so an analyst who opens the question with the same parameters sees
the same number. ``tests/consistency`` re-derives every figure from a fresh run of the linked question and fails on
any difference.

>>> [h.key for h in HEADLINES]
['foreign-ancestors', 'provider-hhi', 'thin-languages']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from euaigraph.graph.load import rules
from euaigraph.graph.store.base import QueryResult

#: (saved question, parameters) -> its answer; the explorer passes its cached runner, tests a fresh one.
Answer = Callable[[str, Mapping[str, str]], QueryResult]


@dataclass(frozen=True)
class Link:
    """A saved question and the parameters that reproduce a figure."""

    question: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One headline: its value, an explanation in words, the formula, and the questions that give it."""

    key: str
    title: str
    value: str
    detail: str
    formula: str
    links: tuple[Link, ...]
    figures: Mapping[str, float | int | None]


def _distinct(result: QueryResult, column: str) -> set[str]:
    return {str(v) for v in result.column(column) if v is not None}


def standing_counts(result: QueryResult) -> dict[str, int]:
    """Models by standing (inside, outside, unknown) from the answer of ``sovereignty/jurisdiction-known``."""
    counts = {rules.INSIDE: 0, rules.OUTSIDE: 0, rules.UNKNOWN: 0}
    for row in result.records():
        counts[str(row["standing"])] = int(row["models"].toPython())
    return counts


def _foreign_ancestors(answer: Answer, bloc: str) -> Finding:
    params = {"bloc": bloc}
    models = _distinct(answer("dependency/non-bloc-ancestors", params), "model")
    counts = standing_counts(answer("sovereignty/jurisdiction-known", params))
    inside, unknown = counts[rules.INSIDE], counts[rules.UNKNOWN]
    share = f"{len(models) / inside:.0%}" if inside else "–"
    name = bloc.upper()
    return Finding(
        key="foreign-ancestors", title=f"{name} models with a non-{name} ancestor", value=share,
        detail=(f"{len(models)} of {inside} models with a developer seated in the {name} derive, at some depth, from a "
                f"model developed entirely outside it. Jurisdiction known for "
                f"{inside + counts[rules.OUTSIDE]} of {sum(counts.values())} models: {unknown} have no known seat "
                "and are not counted."),
        formula=(f"share = {name} models with an ancestor from outside the {name} / {name} models; a model is in the "
                 f"{name} when at least one developer is seated there, outside when every seat is known and none is"),
        links=(Link("dependency/non-bloc-ancestors", params), Link("sovereignty/jurisdiction-known", params)),
        figures={"models": len(models), "european": inside, "seat_unknown": unknown})


def _provider_hhi(answer: Answer, bloc: str) -> Finding:
    params = {"bloc": bloc}
    result = answer("dependency/upstream-provider-concentration", params)
    rows = result.records()
    hhi = float(rows[0]["hhi"].toPython()) if rows else None
    leaders = ", ".join(f"{row['providerLabel']} {float(row['share'].toPython()):.0f}%" for row in rows[:3])
    return Finding(
        key="provider-hhi", title="Concentration on upstream developers (HHI)",
        value=f"{hhi:,.0f}" if hhi is not None else "–",
        detail=(f"How much {bloc.upper()} models depend on a few developers upstream; largest: {leaders or 'none'}. "
                "The index runs from near 0 (spread over many) to 10,000 (one developer behind everything); above "
                "2,500 is highly concentrated, below 1,500 unconcentrated."),
        formula="share of a developer = models whose upstream reaches it / the sum over all developers; HHI = the sum "
                "of the squared shares (in percent)",
        links=(Link("dependency/upstream-provider-concentration", params),),
        figures={"hhi": hhi, "developers": len(rows)})


def _thin_languages(answer: Answer, bloc: str, threshold: int = 2) -> Finding:
    params = {"bloc": bloc}
    thin = answer("languages/languages-below-threshold", {**params, "threshold": str(threshold)}).records()
    coverage = answer("languages/language-coverage", params).records()
    fewest = min(coverage, key=lambda r: int(r["controlledOpenModels"].toPython()), default=None)
    detail = ("Languages: " + ", ".join(f"{r['languageLabel']} ({r['controlledOpenModels']})" for r in thin) if thin else
              f"Every official EU language has at least {threshold} open models controlled from the {bloc.upper()} "
              f"(fewest: {fewest['languageLabel'] if fewest else '–'}, "
              f"{fewest['controlledOpenModels'] if fewest else 0}).")
    return Finding(
        key="thin-languages", title=f"EU languages with fewer than {threshold} open {bloc.upper()} models",
        value=f"{len(thin)} of {len(coverage)}", detail=detail,
        formula=("per language: models that declare it, whose licence counts as open and that are controlled from the "
                 f"{bloc.upper()} (a developer's ultimate controller is seated there); flagged below {threshold}"),
        links=(Link("languages/languages-below-threshold", {**params, "threshold": str(threshold)}),
               Link("languages/language-coverage", params)),
        figures={"thin": len(thin), "languages": len(coverage)})


def jurisdiction_note(answer: Answer, bloc: str) -> str:
    """What every answer that depends on jurisdiction says beside it: how many models were of unknown jurisdiction
    (from ``sovereignty/jurisdiction-known``). Quoted by the CLI and the explorer for any question with a bloc."""
    counts = standing_counts(answer("sovereignty/jurisdiction-known", {"bloc": bloc}))
    known = counts[rules.INSIDE] + counts[rules.OUTSIDE]
    return (f"Jurisdiction known for {known} of {sum(counts.values())} models: {counts[rules.UNKNOWN]} have no known "
            f"seat and are counted neither inside nor outside {bloc.upper()}.")


def depends_on_jurisdiction(params: Iterable[object]) -> str | None:
    """The name of a question's bloc parameter, if it has one (its answer then depends on jurisdiction)."""
    return next((p.name for p in params if getattr(p, "type", None) == "bloc"), None)


def findings(answer: Answer, *, bloc: str = "eu") -> list[Finding]:
    """The Overview's headlines for ``bloc``, each from the answers of its linked questions."""
    return [headline.compute(answer, bloc) for headline in HEADLINES]


@dataclass(frozen=True)
class Headline:
    key: str
    compute: Callable[[Answer, str], Finding]


HEADLINES = (Headline("foreign-ancestors", _foreign_ancestors), Headline("provider-hhi", _provider_hhi),
             Headline("thin-languages", _thin_languages))

__all__ = ["HEADLINES", "Answer", "Finding", "Headline", "Link", "depends_on_jurisdiction", "findings",
           "jurisdiction_note", "standing_counts"]
