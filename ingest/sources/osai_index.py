"""European Open Source AI Index (osai-index.eu) and its predecessor Opening up ChatGPT: openness grades per model.

Both keep one YAML file per assessed system: a block naming the system and its organisation, then one ``{class,
link, notes}`` mapping per openness dimension. Their layouts changed over time; each file is read by the meaning of
its own generation (:mod:`euaigraph.ingest.openness_generations`: 2023 for Opening up ChatGPT, 2024 and 2025 for the
Index), and a file of no known generation is rejected with what was expected. Older snapshots kept in sub-folders
are read as records of their own (their record key is their path), never merged into the current files.

A grade is exactly ``open``, ``partial`` or ``closed``; anything else rejects that assessment (file:line), never
a zero. A block may nest a further grade (2024's ``api: {metaprompt: closed}``), read as a dimension of its own.
Records are one per file, one per graded dimension and one per nested grade; a row of a derived table (Opening up
ChatGPT's ``docs/df.csv``) is merged into the file it was derived from. Models and organisations resolve through
the reviewed alias tables, or through a Hugging Face id in a link whose repository name contains the stated model
name; a name that does neither gets an IRI scoped to this source and is reported, never merged by guess. Every
record cites its file at the recorded commit (see :mod:`euaigraph.ingest.openness_files`).

>>> [spec.id for spec in SOURCES]
['osai-index', 'opening-up-chatgpt']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from euaigraph.ontology import iri
from euaigraph.ontology import reference
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_THIRD_PARTY, Feed, FeedError, Report, SourceSpec, Triple
from ..emit import source_record
from ..normalise import fold, resolve_licence
from ..openness import fetch_github, is_name, link_triples, links, resolve_model, resolve_orgs, split_names, tarball_url
from ..openness import url as as_url
from ..openness_files import (
    Loaded, account_tables, dimension_table, feed_commit, is_assessment, load, record_url, split_feed,
)
from ..openness_generations import (
    CURRENT, GEN_2024, GENERATIONS, LEGACY, Generation, Unrecognised, cut_short, graded, is_template, recognise,
    release_date,
)
from ..osai_claims import header_triples
from ..osai_derived import read_derived_tables

#: The Index grades with our grade codes (open, partial, closed): its words are the ontology's codes.
GRADES = {g.code: g.iri for g in reference.grades()}
#: The recorded layout of each source: its folder, repository and the repository path of that folder.
FEEDS = {"osai-index": ("models", "Language-Technology-Assessment/main-database", ""),
         "opening-up-chatgpt": ("projects", "opening-up-chatgpt/opening-up-chatgpt.github.io", "projects/")}
#: Where each source defines its dimensions, when the feed has no dimension table to cite ({commit} filled in).
CRITERIA = {"osai-index": "https://github.com/Language-Technology-Assessment/main-database/blob/{commit}/readme.md",
            "opening-up-chatgpt": "https://github.com/opening-up-chatgpt/opening-up-chatgpt.github.io/blob/{commit}/"
                                  "projects/readme.md"}


@dataclass
class _Record:
    """The context of one system file while it is read."""

    gen: Generation
    file: Loaded
    key: str
    url: str
    feed: Feed
    report: Report
    dims: dict[str, list]

    @property
    def sid(self) -> str:
        return self.gen.source_id

    @property
    def rel(self) -> str:
        return self.file.rel

    @property
    def node(self) -> URIRef:
        return iri.record_iri(self.sid, self.key)

    def where(self, *path: Any) -> str:
        lines = self.file.lines
        return f"{self.rel}:{lines.get(tuple(path), lines.get(tuple(path[:1]), 1))}"


def record_key(feed_folder: str, rel: str) -> str:
    """A file directly in the feed's folder (or at its root) is keyed by its name; a file in another folder (an
    older snapshot) by its path, so the two never share a record.

    >>> record_key("models", "models/EuroLLM.yaml"), record_key("models", "2024-06/EuroLLM.yaml")
    ('eurollm', '2024-06/eurollm')
    """
    path = Path(rel)
    if len(path.parts) == 1 or path.parent.as_posix() == feed_folder:
        return iri.slug(path.stem)
    return "/".join(iri.slug(part) for part in path.with_suffix("").parts)


# -- one file ---------------------------------------------------------------------------------------------------
def _model_facts(rec: _Record, model: URIRef, head: dict) -> Iterator[Triple]:
    get = {fold(k).replace(" ", ""): v for k, v in head.items()}.get  # one file spells it 'endmodel license'
    text = get(rec.gen.licence_field)
    if text is not None and str(text).strip():
        licence = resolve_licence(str(text))
        if licence.status == "unknown":
            rec.report.unresolved_name(str(text).strip(), "licence", rec.where(rec.gen.head, rec.gen.licence_field))
        for licence_id in licence.ids:
            yield model, EAI.licence, iri.licence_iri(licence_id)
            yield model, EAI.weightsLicence, iri.licence_iri(licence_id)
    stamp = release_date(get("releasedate")) if get("releasedate") else None
    if stamp is not None:
        yield model, EAI.releaseDate, stamp
    elif str(get("releasedate") or "").strip():
        rec.report.note(f"{rec.where(rec.gen.head, 'releasedate')}: release date {str(get('releasedate'))[:40]!r} "
                        f"is not a date; not written")
    if str(get("type") or "").strip():
        yield model, EAI.modality, Literal(str(get("type")).strip())
    notes = {"notes": "", "performanceclass": "performance class: "} | {k: f"{v}: " for k, v in rec.gen.data_fields.items()}
    for key, prefix in notes.items():
        if str(get(key) or "").strip():
            yield model, EAI.note, Literal(f"{prefix}{str(get(key)).strip()}")
    yield from link_triples(model, head.get("link"))


def _grade(rec: _Record, model: URIRef, dim: str, value: Any, where: str) -> Iterator[Triple]:
    """One graded dimension (or nested grade): a record read, ingested or rejected."""
    rec.report.read()
    grade = value.get("class") if isinstance(value, dict) else value
    if not isinstance(grade, str) or grade not in GRADES:
        rec.report.reject(where, f"{dim}: grade {grade!r} is not one of open|partial|closed")
        return
    rec.report.ingested()
    node = iri.node_iri("assessment", rec.sid, rec.key, dim)
    yield model, EAI.openness, node
    yield node, RDF.type, EAI.OpennessAssessment
    yield node, EAI.dimension, iri.concept_iri(rec.gen.scheme, dim)
    yield node, EAI.grade, GRADES[grade]
    yield rec.node, EAI.describes, node
    if isinstance(value, dict):
        yield from link_triples(node, value.get("link"), EAI.evidence)
        if str(value.get("notes") or "").strip():
            yield node, EAI.note, Literal(str(value["notes"]).strip())


def _assessments(rec: _Record, data: dict, model: URIRef) -> Iterator[Triple]:
    for key in graded(data):
        value = data[key]
        if key not in rec.dims:
            rec.report.read()
            rec.report.reject(rec.where(key), f"{key}: not a dimension of the {rec.gen.key} generation "
                                              f"({', '.join(rec.dims)})")
            continue
        yield from _grade(rec, model, key, value, rec.where(key, "class"))
        for inner, nested in value.items():  # a further grade nested in the block (2024: api.metaprompt)
            if inner in ("class", "link", "notes") or nested in (None, ""):
                continue
            if isinstance(nested, dict) and "class" not in nested:
                continue
            dim = f"{key}/{inner}"
            rec.dims.setdefault(dim, [f"{rec.dims[key][0]}: {inner}", rec.dims[key][1], None])
            yield from _grade(rec, model, dim, nested, rec.where(key, inner))


def record_triples(rec: _Record, data: dict) -> Iterator[Triple]:
    gen, head = rec.gen, data[rec.gen.head]
    end, base_text = (str(head.get(k) or "").strip() for k in (gen.model_field, gen.base_field))
    if gen is CURRENT:
        name = end if is_name(end) else base_text if is_name(base_text) else str(head["name"])
    else:
        name = str(head["name"])
    block = lambda key: data.get(key) if isinstance(data.get(key), dict) else {}  # noqa: E731
    model, facts = resolve_model(rec.sid, rec.report, name, [head.get("link"), *links(block(gen.weight_links[0]).get("link"))],
                                 rec.where(gen.head, gen.model_field))
    yield from facts
    if name != str(head["name"]).strip() and (model, RDFS.label, Literal(name)) in facts:
        yield model, SKOS.altLabel, Literal(str(head["name"]).strip())
    yield from source_record(rec.sid, rec.key, model, urls=[rec.url, *(str(u) for u in [as_url(head.get("link"))] if u)],
                             accessed=rec.feed.retrieved_at, locator=rec.where(gen.head))
    base = None
    for base_name in (split_names(base_text) if gen.base_lists else [base_text]):
        if not is_name(base_name):
            if "?" in base_name:
                rec.report.unresolved_name(base_name, "model", rec.where(gen.head, gen.base_field))
            continue
        node, facts = resolve_model(rec.sid, rec.report, base_name, links(block(gen.weight_links[1]).get("link")),
                                    rec.where(gen.head, gen.base_field))
        base = base or node
        if node != model:  # a system that is its own base model has no lineage edge
            yield from facts
            yield model, EAI.derivedFrom, node
            yield rec.node, EAI.describes, node
    org = block("org")
    orgs, facts = resolve_orgs(rec.sid, rec.report, str(org.get("name") or "").strip(), rec.where("org", "name"))
    yield from facts
    if len(orgs) == 1:  # the link and notes describe the named organisation, not each of several
        yield from link_triples(orgs[0], org.get("link"), EAI.homepage)
        if str(org.get("notes") or "").strip():
            yield orgs[0], EAI.note, Literal(str(org["notes"]).strip())
    for n, node in enumerate(orgs):
        yield model, EAI.developedBy, node
        yield rec.node, EAI.describes, node
        if n == 0:
            yield model, EAI.providedBy, node
    yield from _model_facts(rec, model, head)
    yield from _assessments(rec, data, model)
    yield from header_triples(rec, rec.file.text, orgs, model, base)


def _checked(gen_or_reason: Generation | Unrecognised, wanted: Generation | None, loaded: Loaded,
             order: list[str] | None) -> tuple[int, str] | None:
    """(line, why) this record file cannot be read by this source, or None."""
    if isinstance(gen_or_reason, Unrecognised):
        return 1, str(gen_or_reason)
    gen, data, lines = gen_or_reason, loaded.data, loaded.lines
    if (wanted is LEGACY) != (gen is LEGACY):
        other = "the opening-up-chatgpt source" if gen is LEGACY else "the osai-index source"
        return 1, f"this is the {gen.key} generation ({gen.head}: block), read by {other}"
    if not str(data[gen.head].get("name") or "").strip():
        return lines.get((gen.head, "name"), 1), f"{gen.head}.name is empty"
    order_in_file = graded(data)
    reason = cut_short(data, order_in_file, order or list(gen.dimensions))
    if reason:
        return lines.get((order_in_file[-1],), 1) if order_in_file else 1, f"the file looks cut short: {reason}"
    return None


def parse(source_id: str, feed: Feed, report: Report) -> Iterator[Triple]:
    """Every assessment file of the feed; a feed with no file of this source's generations is broken (FeedError)."""
    folder, repo, prefix = FEEDS[source_id]
    yamls, tables = split_feed(feed, report, derived=source_id == "opening-up-chatgpt")
    cache: dict[tuple[str, Path], tuple[dict, list | None]] = {}
    used: dict[str, tuple[Generation, dict[str, list]]] = {}
    accepted: dict[str, str] = {}
    for path, rel in yamls:
        loaded = load(path, rel, report)
        if loaded is None:
            report.file_read(rel)
            continue
        if not is_assessment(loaded.data):
            report.file_skipped(rel, "not an assessment file: no 'system' or 'project' block and no graded dimension")
            continue
        gen = recognise(loaded.data, loaded.text)
        if isinstance(gen, Generation) and is_template(loaded.data, gen.head):
            report.file_skipped(rel, "an empty submission template (every field of the head and org blocks empty)")
            continue
        report.file_read(rel)
        report.read()
        dims, order = dimension_table(gen, path.parent, feed, report, cache) if isinstance(gen, Generation) else ({}, None)
        refused = _checked(gen, LEGACY if source_id == LEGACY.source_id else None, loaded, order)
        if refused:
            report.reject(f"{rel}:{refused[0]}", refused[1])
            continue
        report.ingested()
        key = record_key(folder, rel)
        accepted[rel] = key
        table = used.setdefault(gen.key, (gen, {}))[1]
        for dim, entry in dims.items():  # older snapshots may carry tables of their own
            table.setdefault(dim, entry)
        rec = _Record(gen, loaded, key, record_url(feed, rel, repo=repo, folder=folder, prefix=prefix, report=report),
                      feed, report, table)
        yield from record_triples(rec, loaded.data)
    yield from read_derived_tables(source_id, tables, accepted, feed, report)
    account_tables(feed, report)
    if not accepted:
        last = report.rejected[-1] if report.rejected else None
        raise FeedError(source_id, str(feed.path), f"no file in the {source_id} schema"
                        + (f" ({last.where}: {last.reason})" if last else " (no assessment files)"))
    for gen, dims in used.values():
        yield from concept_triples(gen, dims, feed, report)


def concept_triples(gen: Generation, dims: dict[str, list], feed: Feed, report: Report) -> Iterator[Triple]:
    """The dimension concepts (and their groups) of one generation, cited by its dimension table or criteria."""
    tables = [f.path for f in report.files if f.path.rsplit("/", 1)[-1] == "_parameters.yml" and f.status == "read"]
    folder, repo, prefix = FEEDS[gen.source_id]
    urls = [record_url(feed, t, repo=repo, folder=folder, prefix=prefix, report=report) for t in tables] \
        if gen is CURRENT else []
    record = iri.record_iri(gen.source_id, f"dimensions/{gen.key}")
    yield from source_record(gen.source_id, f"dimensions/{gen.key}", iri.concept_iri(gen.scheme, next(iter(dims))),
                             urls=urls or [CRITERIA[gen.source_id].format(commit=feed_commit(feed) or "HEAD")],
                             accessed=feed.retrieved_at,
                             locator=", ".join(tables) or f"the {gen.key} generation's dimensions")
    for key, (label, group, definition) in dims.items():
        node = iri.concept_iri(gen.scheme, key)
        yield record, EAI.describes, node
        yield node, RDF.type, EAI.OpennessDimension
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.inScheme, EAI.OpennessDimensionScheme
        yield node, SKOS.prefLabel, Literal(label, lang="en")
        yield node, SKOS.notation, Literal(key)
        if definition:
            yield node, SKOS.definition, Literal(definition, lang="en")
        if key in gen.close_match:
            yield node, SKOS.closeMatch, iri.concept_iri(CURRENT.scheme, gen.close_match[key])
        if "/" in key:
            yield node, SKOS.broader, iri.concept_iri(gen.scheme, key.split("/")[0])
        elif group:
            parent = iri.concept_iri(gen.scheme, f"group/{iri.slug(str(group))}")
            yield record, EAI.describes, parent
            yield node, SKOS.broader, parent
            yield parent, RDF.type, SKOS.Concept
            yield parent, SKOS.inScheme, EAI.OpennessDimensionScheme
            yield parent, SKOS.prefLabel, Literal(str(group), lang="en")


def _spec(source_id: str, title: str, homepage: str, recorded: str, description: str) -> SourceSpec:
    repo = FEEDS[source_id][1]
    return SourceSpec(
        id=source_id, title=title, homepage=homepage, data_licence="CC-BY-4.0",
        parse=partial(parse, source_id),
        # One valid system file yields far more (its dimension concepts alone are over 60 triples).
        min_triples=40, priority=PRIORITY_THIRD_PARTY, live_url=tarball_url(repo), recorded_folder=recorded,
        fetch=partial(fetch_github, source_id, repo), description=description,
    )


SOURCES = (
    _spec("osai-index", "European Open Source AI Index", "https://osai-index.eu/", "osai_index",
          "Openness of generative AI systems: 14 dimensions graded open, partial or closed, with evidence links; "
          "the 2024 and 2025 generations of its files, each read with its own meaning."),
    _spec("opening-up-chatgpt", "Opening up ChatGPT (predecessor of the European Open Source AI Index)",
          "https://opening-up-chatgpt.github.io/", "opening_up_chatgpt",
          "The 2023 openness index of instruction-tuned text generators, in its older 14-dimension schema."),
)
__all__ = ["CURRENT", "GEN_2024", "GENERATIONS", "LEGACY", "SOURCES", "parse", "record_key"]
