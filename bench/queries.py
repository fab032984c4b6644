"""The analyst questions the benchmark times: the ones the store was chosen on (decisions/0002-store.md), then every saved query.

The lineage question comes three times: as first written (a ``derivedFrom+`` property path over the ingested
facts only, bloc membership read from the dated memberships), over the derived closure (``eai:hasAncestor`` with
the preferred jurisdictions and bloc flags), and as the project answers it (the derived
``eai:hasAncestorOutsideBloc`` flag: one join). The last two give the same rows; the first differs where a provider
has several claimed jurisdictions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote

from rdflib.term import Node

from euaigraph.graph.query.run import bind, with_prefixes
from euaigraph.graph.query.saved import SavedQuery, catalogue
from euaigraph.ontology.iri import bloc_iri
from euaigraph.ontology.namespaces import ID

EU = f"<{bloc_iri('eu')}>"

LINEAGE_PATH = f"""
SELECT DISTINCT ?model WHERE {{
  ?model eai:providedBy ?provider . ?provider eai:jurisdiction ?country .
  ?country eai:membership ?ms . ?ms eai:bloc {EU} . FILTER NOT EXISTS {{ ?ms eai:endDate ?end }}
  ?model eai:derivedFrom+ ?ancestor .
  ?ancestor eai:providedBy ?ancestorProvider . ?ancestorProvider eai:jurisdiction ?ancestorCountry .
  FILTER NOT EXISTS {{ ?ancestorCountry eai:membership ?ams . ?ams eai:bloc {EU} .
                      FILTER NOT EXISTS {{ ?ams eai:endDate ?aend }} }}
}}"""

# Written from the bloc outwards: Oxigraph joins in the order written here, and starting from the ~40% of models
# with the flag instead of the bloc's countries took 3 times as long at 10^6 triples (280 ms against 90 ms).
LINEAGE_DERIVED = f"""
SELECT DISTINCT ?model WHERE {{
  ?country eai:inBlocToday {EU} . ?provider eai:preferredJurisdiction ?country . ?model eai:providedBy ?provider .
  ?model eai:hasAncestorOutsideBloc {EU} .
}}"""

#: The same answer from the closure without the per-bloc flag (what the derived question was before the flag).
LINEAGE_CLOSURE = f"""
SELECT DISTINCT ?model WHERE {{
  ?model eai:providedBy ?provider . ?provider eai:preferredJurisdiction ?country . ?country eai:inBlocToday {EU} .
  ?model eai:hasAncestor ?ancestor .
  ?ancestor eai:providedBy ?ancestorProvider . ?ancestorProvider eai:preferredJurisdiction ?ancestorCountry .
  FILTER NOT EXISTS {{ ?ancestorCountry eai:inBlocToday {EU} }}
}}"""

BY_COUNTRY = """
SELECT ?country (COUNT(DISTINCT ?model) AS ?models) WHERE {
  ?model a eai:AIModel ; eai:providedBy ?provider . ?provider eai:jurisdiction ?country .
} GROUP BY ?country ORDER BY DESC(?models)"""

EU_LANGUAGES_20 = """
SELECT ?model (COUNT(DISTINCT ?language) AS ?languages) WHERE {
  ?model a eai:AIModel ; eai:supportsLanguage ?language . ?language eai:euOfficialLanguage true .
} GROUP BY ?model HAVING (COUNT(DISTINCT ?language) >= 20)"""


def family_closure(base: str, *, path: bool) -> str:
    """Every model below the largest family's base model (decisions/0017-performance-targets.md: under 200 ms)."""
    step = "eai:derivedFrom+" if path else "eai:hasAncestor"
    return f"SELECT DISTINCT ?model WHERE {{ ?model {step} <{base}> }}"


@dataclass(frozen=True)
class Question:
    """One timed question: its text (prefixes added, parameters bound) and, for saved queries, the query."""

    name: str
    text: str
    summary: str
    saved: SavedQuery | None = None
    row_cap: int | None = None
    tags: tuple[str, ...] = field(default=())


def design_questions(manifest: dict) -> list[Question]:
    base = manifest["largest_family_base"]
    items = [
        ("design/lineage-path", LINEAGE_PATH, "EU models with a non-EU ancestor, derivedFrom+ path (decisions/0002-store.md)"),
        ("design/lineage-closure", LINEAGE_CLOSURE, "EU models with a non-EU ancestor, eai:hasAncestor (derived closure)"),
        ("design/lineage-derived", LINEAGE_DERIVED,
         "EU models with a non-EU ancestor, eai:hasAncestorOutsideBloc (derived flag)"),
        ("design/models-by-country", BY_COUNTRY, "count models by provider country"),
        ("design/models-20-eu-languages", EU_LANGUAGES_20, "models with >= 20 EU languages"),
        ("design/largest-family-path", family_closure(base, path=True), "all models below the largest base, derivedFrom+"),
        ("design/largest-family-derived", family_closure(base, path=False), "all models below the largest base, hasAncestor"),
    ]
    return [Question(name, with_prefixes(text), summary, tags=("design",)) for name, text, summary in items]


def saved_questions(*, row_cap: int) -> list[Question]:
    """Every saved query with its default parameters, bound exactly as :func:`run_saved` binds them."""
    out = []
    for name, query in catalogue().items():
        params: dict[str, Node] = query.terms({})
        text = with_prefixes(query.body)
        out.append(Question(f"saved/{name}", bind(text, params) if params else text, query.summary, saved=query,
                            row_cap=row_cap, tags=("saved",)))
    return out


#: IRI parameters under our id space name an entity of one of these kinds (``id/<kind>/<key>``).
_IRI_KINDS = {"model": "model", "org": "organisation", "facility": "facility", "project": "project"}


def anchors() -> dict[str, list[str]]:
    """The ids the saved queries use as default parameters, by kind, for the generator to give to entities.

    Typed parameters (model, organisation, licence, facility, project) give their default id; ``iri``
    parameters whose default is one of our entity IRIs give the key in it.
    """
    out: dict[str, list[str]] = defaultdict(list)
    for query in catalogue().values():
        for param in query.params:
            if not param.default:
                continue
            kind, key = param.type, str(param.default)
            if kind == "iri" and key.startswith(str(ID)):
                head, _, rest = key[len(str(ID)):].partition("/")
                kind, key = _IRI_KINDS.get(head, ""), unquote(rest)
            if kind in (*_IRI_KINDS.values(), "licence") and key and key not in out[kind]:
                out[kind].append(key)
    return {kind: sorted(values) for kind, values in sorted(out.items())}
