"""The words the explorer uses, explained for an analyst: one entry per term, each with an anchor that help icons
link to (``/glossary#hhi``). Lists that are reference data (relation groups, licence classes) are read from the
ontology, never written here.

>>> [e.anchor for e in ENTRIES][:3]
['bloc', 'provider', 'developer']
>>> link("hhi")
'[glossary](/glossary#hhi)'
"""

from __future__ import annotations

from dataclasses import dataclass

from euaigraph.ontology import reference


@dataclass(frozen=True)
class Entry:
    anchor: str
    term: str
    text: str


def _classes() -> str:
    return "; ".join(f"**{c.label}** ({c.code}{', counts as open' if c.counts_as_open else ''})"
                     for c in reference.licence_classes())


def _groups() -> str:
    out = []
    for group in reference.relation_groups():
        names = ", ".join(r.label for r in reference.relations(group=group.code))
        out.append(f"**{group.code}**: {names}")
    return "; ".join(out)


ENTRIES = (
    Entry("bloc", "Bloc", "A group of countries with dated memberships: the EU, the EEA, EFTA, or the countries "
          "associated with Horizon Europe. Membership is taken on a day (today unless you choose another), so a "
          "country that joined or left counts accordingly."),
    Entry("provider", "Provider", "The organisation that publishes a model (for example on a model hub) and answers "
          "for it. Often also its developer; a hub account or a person counts with the organisation it belongs to."),
    Entry("developer", "Developer", "An organisation that built the model, alone or with others. A model can have "
          "several developers, each with its own seat."),
    Entry("jurisdiction", "Jurisdiction and seat", "The country whose law an organisation is established under: its "
          "seat. Where the sources disagree, the claim of the most trusted source is used and every claim stays "
          "visible on the entity page."),
    Entry("standing", "Inside, outside, unknown", "A model is **inside** a bloc when at least one developer is seated "
          "in a member country; **outside** when every developer's seat is known and none is in a member country; "
          "**unknown** when no seat is in the bloc and some seat is not known. Unknown is reported as its own answer, "
          "never read as outside. **Controlled from** applies the same three answers to the organisations that "
          "ultimately control the developers."),
    Entry("lineage", "Lineage", "How one model was built from another: fine-tuned, further pretrained, distilled, "
          "merged, quantised or adapted. An **ancestor** is any model reached by following these steps back, at any "
          "depth; **upstream** is everything a model depends on (ancestors, training data, compute, developers), "
          "**downstream** everything that depends on it."),
    Entry("relations", "Relation groups", "The graph view can follow only some kinds of relation from a focus, so a "
          "model's family tree does not wander through a university two models share. The groups: " + _groups() + "."),
    Entry("openness", "Openness class", "How open a licence is, in four classes from most to least open: "
          + _classes() + ". A model's class is that of its preferred licence (the weights' licence)."),
    Entry("hhi", "HHI (Herfindahl-Hirschman index)", "A measure of concentration: each developer's share of the models "
          "that depend on it, in percent, squared and summed. It runs from near 0 (dependence spread over many "
          "developers) to 10,000 (one developer behind everything); above 2,500 is highly concentrated, below 1,500 "
          "unconcentrated (the thresholds competition authorities use)."),
    Entry("what-if", "What-if", "Remove or restrict a licence, a developer or a facility and see which models are "
          "affected: those with a dependency path to it, each shown with one shortest path."),
    Entry("data-version", "Data version", "A short code that names the exact content of the graph. It changes whenever "
          "a source is loaded again; quote it with any figure, so that the figure can be reproduced. Every export "
          "and citation carries it."),
    Entry("source", "Source", "Where a fact comes from: a public register, an index or the project's own curated "
          "records, each with its licence, version and retrieval date (see the Sources page). Every fact keeps its "
          "source."),
)


def link(anchor: str) -> str:
    """A Markdown link to an entry (for help texts)."""
    return f"[glossary](/glossary#{anchor})"


__all__ = ["ENTRIES", "Entry", "link"]
