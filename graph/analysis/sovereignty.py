"""The sovereignty profile of one model: six explained components, each with its value, status and sources.

Components: developer jurisdiction, control chain, upstream foreign share, compute location, licence openness,
data openness. There is deliberately no overall score: the components answer different questions and an
analyst weighs them. Where the model and its upstream stand for the bloc (inside | outside | unknown) is the
derived graph's answer (the rule of decisions/0010-european-rule.md), never worked out here; licence openness uses
the licence classes of the ontology; data openness is open | partial | closed | unknown.
"""

from __future__ import annotations

from datetime import date

import networkx as nx
from rdflib import URIRef

from euaigraph.graph.analysis.metrics import upstream
from euaigraph.graph.analysis.profile import SPARQL_PREFIXES, Component, Profile, class_code, sources_of
from euaigraph.graph.analysis.read import (
    alpha3,
    control_chain,
    control_on,
    control_standings,
    dependency_graph,
    standings,
    today,
)
from euaigraph.graph.load import rules
from euaigraph.graph.store.base import Store
from euaigraph.graph.store.terms import nt_term
from euaigraph.ontology import reference

_GRADES = {str(g.iri): g.code for g in reference.grades()}
#: The grade codes from most to least open (open, partial, closed), and the most open licence class.
_OPEN, _PARTIAL, _CLOSED = (g.code for g in reference.grades())
_OPEN_CLASS = str(reference.licence_classes()[0].iri)


def _merged(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({source for group in groups for source in group}))


def _worst(statuses: list[str]) -> str:
    """outside beats unknown beats inside: one foreign facility is enough to matter."""
    for status in (rules.OUTSIDE, rules.UNKNOWN, rules.INSIDE):
        if status in statuses:
            return status
    return rules.UNKNOWN


def _rows(store: Store, model: str, variables: str, body: str) -> list[tuple]:
    """Rows of ``SELECT variables`` over ``body``, with ``?m`` bound to the model."""
    query = f"SELECT {variables} WHERE {{ BIND({nt_term(URIRef(model))} AS ?m) {body} }}"
    return store.execute(SPARQL_PREFIXES + query).rows


def _label(store: Store, node: str) -> str:
    query = f"SELECT (MIN(STR(?l)) AS ?label) WHERE {{ {nt_term(URIRef(node))} rdfs:label ?l }}"
    rows = store.execute(SPARQL_PREFIXES + query).rows
    return str(rows[0][0]) if rows and rows[0][0] is not None else node.rsplit("/", 1)[-1]


def _developers(store: Store, g: nx.DiGraph, model: str, standing: str, ctx: str) -> tuple[Component, list[str]]:
    developers = sorted({str(r[0]) for r in _rows(store, model, "?d",
                                                  "{ ?m eai:providedBy ?d } UNION { ?m eai:developedBy ?d }")})
    named = ", ".join(f"{_label(store, d)} ({' '.join(g.nodes[d]['seats']) if d in g and g.nodes[d]['seats'] else 'seat unknown'})"
                      for d in developers) or "none recorded"
    explanation = (f"Developers: {named}. A seat is the preferred jurisdiction chosen by the resolution rule "
                   "(curated > official register > self-declared > third-party index); a person or account counts "
                   "with the organisation it is affiliated with. The model is inside when at least one developer is "
                   "seated in a member country, outside when every seat is known and none is, unknown otherwise; "
                   f"{ctx}.")
    sources = _merged(sources_of(store, {model}, tuple(r.name for r in reference.relations(group="development"))),
                      sources_of(store, set(developers), ("jurisdiction",)))
    return Component("developer jurisdiction", named, standing, explanation, sources), developers


def _control(store: Store, model: str, developers: list[str], bloc: str, day: date, ctx: str) -> Component:
    control = control_on(store, on=day)
    parts, urls = [], []
    for developer in developers:
        chain = control_chain(developer, control)
        ultimate = chain[-1]["controller"] if chain else developer
        steps = [f"{_label(store, s['controller'])} ({s['kind'] or 'control'} since {s['since'] or '?'})"
                 for s in chain]
        parts.append(" → ".join([_label(store, developer), *steps]) + f"; ultimate controller {_label(store, ultimate)}")
        urls += [s["url"] for s in chain if s["url"]]
    value = "; ".join(parts) or "no developer recorded"
    status = control_standings(store, bloc=bloc, on=day).get(model, rules.UNKNOWN)
    explanation = (f"Control relations in force on {day}, followed to the ultimate controller; an organisation "
                   f"nobody controls is its own ultimate controller; {ctx}.")
    controllers = {s["controller"] for d in developers for s in control_chain(d, control)}
    sources = _merged(tuple(urls), sources_of(store, controllers | set(developers), ("control", "jurisdiction")))
    return Component("control chain", value, status, explanation, sources)


def _upstream(store: Store, g: nx.DiGraph, model: str, where: dict[str, str], ctx: str) -> Component:
    up = upstream(g, model, standing=where)
    if up.foreign_share is None:
        value, status = "no upstream node inside or outside the bloc", rules.UNKNOWN
    else:
        value = f"{up.foreign} of {up.known} = {up.foreign_share:.0%}"
        status = rules.OUTSIDE if up.foreign else rules.INSIDE
    foreign = [f"{n.label} ({' '.join(n.seats)}, {n.relation}, depth {n.depth})" for n in up.nodes if n.outside]
    explanation = (f"Share of the upstream nodes (base models at any depth, tokenizers, training data, compute, "
                   f"accelerator vendors, developers and their controllers) inside or outside the bloc that are "
                   f"outside: |F| / |K| with K = {up.known}, F = {up.foreign}; {up.unknown} upstream nodes of unknown "
                   f"jurisdiction are not counted; {ctx}. "
                   f"Outside: {', '.join(foreign[:8]) or 'none'}{' …' if len(foreign) > 8 else ''}.")
    lineage = {model} | {n.node for n in up.nodes if n.kind == "model"}
    predicates = tuple(r.name for r in reference.relations(dependency=True))
    return Component("upstream foreign share", value, status, explanation, sources_of(store, lineage, predicates))


def _compute(store: Store, model: str, where: dict[str, str], ctx: str) -> Component:
    # Each row: the model or ancestor trained, the facility, its host country, its vendor and the vendor's country.
    rows = _rows(store, model, "?trained ?f ?host ?v ?vc",
                 # The branch binds ?m itself: a BIND alone in a UNION branch would not see the outer ?m.
                 "{ ?m eai:trainedAt ?f . BIND(?m AS ?trained) } "
                 "UNION { ?m eai:hasAncestor ?trained . ?trained eai:trainedAt ?f } "
                 "OPTIONAL { ?f eai:preferredJurisdiction ?host } "
                 "OPTIONAL { ?f eai:acceleratorVendor ?v . OPTIONAL { ?v eai:preferredJurisdiction ?vc } }")
    own = [r for r in rows if str(r[0]) == model]
    used = own or rows  # a derivative that names no facility inherits its ancestors' compute
    facilities = sorted({str(r[1]) for r in used})
    hosts = {str(r[1]): alpha3(r[2]) for r in used}
    vendors = sorted({f"{_label(store, str(r[3]))} ({alpha3(r[4]) or '?'})" for r in used if r[3] is not None})
    named = ", ".join(f"{_label(store, f)} ({hosts[f] or 'host unknown'})" for f in facilities)
    value = (named + (f"; accelerators: {', '.join(vendors)}" if vendors else "")) or "no training facility recorded"
    if used and not own:
        value += " (ancestors' training: the model names no facility of its own)"
    statuses = [where.get(f, rules.UNKNOWN) for f in facilities] or [rules.UNKNOWN]
    explanation = (f"Facilities the model was trained at (eai:trainedAt; those of its ancestors when it names none), "
                   f"their host country (preferred jurisdiction) and accelerator vendor; the status follows the host "
                   f"countries; {ctx}.")
    trained = {str(r[0]) for r in used} or {model}
    return Component("compute location", value, _worst(statuses), explanation,
                     _merged(sources_of(store, trained, ("trainedAt",)),
                             sources_of(store, set(facilities), ("jurisdiction", "acceleratorVendor"))))


def _licence(store: Store, model: str) -> Component:
    # Each row: licence, the model carrying it (the model itself or an ancestor), its class, its SPDX id.
    rows = _rows(store, model, "?l ?holder ?c ?id ?effective",
                 "{ ?m eai:preferredLicence ?l . BIND(?m AS ?holder) } UNION "
                 "{ ?m eai:hasAncestor ?holder . ?holder eai:preferredLicence ?l } "
                 "OPTIONAL { ?l eai:opennessClass ?c } OPTIONAL { ?l eai:spdxId ?id } "
                 "OPTIONAL { ?m eai:effectiveLicenceClass ?effective }")
    own = [r for r in rows if str(r[1]) == model]
    own_class = class_code(own[0][2]) if own else None
    effective = class_code(rows[0][4]) if rows else None
    name = lambda r: str(r[3]) if r[3] is not None else str(r[0]).rsplit("/", 1)[-1]  # noqa: E731
    value = f"{name(own[0])} ({own_class or 'class unknown'})" if own else "no licence recorded"
    explanation = "Openness class of the preferred weights licence."
    if effective is not None and effective != own_class:
        carriers = sorted({_label(store, str(r[1])) for r in rows if class_code(r[2]) == effective})
        value += f"; inherits {effective} from {', '.join(carriers)}"
        explanation += (" Lineage makes it stricter: the strictest class among the model's and its ancestors' "
                        "licences binds the derivative (derived as eai:effectiveLicenceClass).")
    return Component("licence openness", value, own_class or rules.UNKNOWN, explanation,
                     sources_of(store, {model}, ("licence", "weightsLicence")))


def _data(store: Store, model: str) -> Component:
    datasets = _rows(store, model, "?d ?c",
                     "?m eai:trainedOn ?d . OPTIONAL { ?d eai:preferredLicence ?l . ?l eai:opennessClass ?c }")
    grades = _rows(store, model, "?dim ?g", "?m eai:openness ?a . ?a eai:dimension ?dim ; eai:grade ?g")
    data_grades = sorted({_GRADES.get(str(g), rules.UNKNOWN) for dim, g in grades
                          if _is_data_dimension(str(dim))})
    open_sets = {str(d) for d, c in datasets if c is not None and str(c) == _OPEN_CLASS}
    all_sets = {str(d) for d, _ in datasets}
    if _CLOSED in data_grades:
        status = _CLOSED
    elif _PARTIAL in data_grades or (all_sets and open_sets and open_sets != all_sets):
        status = _PARTIAL
    elif (data_grades or all_sets) and open_sets == all_sets and set(data_grades) <= {_OPEN}:
        status = _OPEN
    else:
        status = rules.UNKNOWN
    value = (f"{len(open_sets)} of {len(all_sets)} training datasets under an open licence"
             + (f"; index grades on data: {', '.join(data_grades)}" if data_grades else "; no index grade on data"))
    explanation = ("Training datasets (eai:trainedOn) whose preferred licence is in the open class, and the grades "
                   "openness indexes give the model's data dimensions: closed if any grade is closed, partial if a "
                   "grade is partial or only some datasets are open, open if everything known is open.")
    return Component("data openness", value, status, explanation,
                     sources_of(store, {model}, ("trainedOn", "openness")))


def _is_data_dimension(dimension: str) -> bool:
    return reference.openness_aspects().get(reference.dimension_code(dimension)) == "data"


def sovereignty_profile(store: Store, model: str, *, bloc: str = "eu", on: date | None = None,
                        graph: nx.DiGraph | None = None) -> Profile:
    """The explained sovereignty profile of ``model`` relative to ``bloc`` on ``on`` (default today).

    ``graph`` is a dependency graph already built with :func:`dependency_graph` (built here when omitted).
    """
    day = on or today()
    ctx = f"inside means seated in a member of {bloc} on {day}"
    g = graph if graph is not None else dependency_graph(store)
    if model not in g or g.nodes[model].get("kind") != "model":
        raise KeyError(f"{model} is not a model in the graph")
    where = standings(store, g, bloc=bloc, on=day)
    developers, names = _developers(store, g, model, where.get(model, rules.UNKNOWN), ctx)
    components = (developers, _control(store, model, names, bloc, day, ctx), _upstream(store, g, model, where, ctx),
                  _compute(store, model, where, ctx), _licence(store, model), _data(store, model))
    return Profile(model=model, label=_label(store, model), bloc=bloc, on=day, components=components)


__all__ = ["sovereignty_profile"]
