"""European Open Source AI Index (osai-index.eu) and its predecessor Opening up ChatGPT: openness grades per model.

Both generations keep one YAML file per assessed system, with a block naming the system and its organisation,
then one ``{class, link, notes}`` mapping per openness dimension:

- ``osai-index`` (current schema; ``models/*.yaml`` in recordings, the repository root live):
  ``system: {name, link, type, performanceclass, basemodelname, endmodelname, endmodellicense, releasedate, notes}``
  and ``org: {name, link, notes}``; header comments carry ``National origin``, ``Contributor type`` and training
  compute estimates, read as low-confidence claims.
- ``opening-up-chatgpt`` (2023 schema, ``projects/*.yaml``): ``project: {name, link, notes, llmbase, rlbase,
  license}`` and ``org``, with the 14 older dimensions.

A grade is exactly ``open``, ``partial`` or ``closed``; anything else rejects that assessment (file:line), never
a zero. Records are one per file and one per graded dimension. Models and organisations resolve through the
reviewed alias tables, or through a Hugging Face id in a link whose repository name contains the stated model name;
a name that does neither gets an IRI scoped to this source and is reported, never merged by guess.

>>> parse_compute("~5.28e+23 FLOP +- 0.5 OoM (param count & dataset size)"), parse_compute(">= 1.18e+22 FLOP")
(5.28e+23, None)
>>> [spec.id for spec in SOURCES]
['osai-index', 'opening-up-chatgpt']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from euaigraph.ontology import iri
from euaigraph.ontology import reference
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_THIRD_PARTY, Feed, FeedError, Report, SourceSpec, Triple
from ..emit import cited_claim, date_literal, double, source_record
from ..normalise import fold, resolve_country, resolve_licence
from ..openness import (
    feed_files, fetch_github, is_name, link_triples, links, load_with_lines, resolve_model, resolve_orgs, split_names,
    tarball_url, url, yaml_problem,
)
from .. import safe_yaml

#: The Index grades with our grade codes (open, partial, closed): its words are the ontology's codes.
GRADES = {g.code: g.iri for g in reference.grades()}

_HEADER = re.compile(r"^#\s*-\s*(national origin|contributor type|base model training compute|end model training "
                     r"compute)\s*:\s*(.*?)\s*$", re.I)
_COMPUTE = re.compile(r"^~?\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(?:flop)?\s*(?:\+-|±|\(|$)", re.I)
#: Contributor types of the index (the part in brackets) that map to our organisation types.
CONTRIBUTOR_TYPES = {"company": "company", "american big tech": "company", "chinese big tech": "company",
                     "european big tech": "company", "big tech": "company", "chinese ai tiger": "company",
                     "university": "university", "research institution": "research-organisation",
                     "research lab": "research-organisation"}


@dataclass(frozen=True)
class Schema:
    """One generation of the index: where its files are, what its blocks are called, its dimensions."""

    source_id: str
    head: str
    folder: str
    repo: str
    repo_prefix: str
    #: dimension key -> (label, group); ``_parameters.yml`` overrides these where present
    dimensions: dict[str, tuple[str, str]]
    #: (end model name, base model name, licence) keys of the head block
    fields: tuple[str, str, str]
    #: dimensions whose links may hold the end / base model's weights
    weight_links: tuple[str, str]
    close_match: dict[str, str] = field(default_factory=dict)


_A, _D, _X = "Availability", "Documentation", "Access"
CURRENT = Schema(
    "osai-index", "system", "models", "Language-Technology-Assessment/main-database", "",
    {"datasources_basemodel": ("Base Model Data", _A), "datasources_endmodel": ("End User Model Data", _A),
     "weights_basemodel": ("Base Model Weights", _A), "weights_endmodel": ("End User Model Weights", _A),
     "trainingcode": ("Training Code", _A), "code": ("Code Documentation", _D),
     "hardware_architecture": ("Hardware Architecture", _D), "preprint": ("Preprint", _D), "paper": ("Paper", _D),
     "modelcard": ("Modelcard", _D), "datasheet": ("Datasheet", _D), "package": ("Package", _X), "api": ("API", _X),
     "licenses": ("Licenses", _X)},
    ("endmodelname", "basemodelname", "endmodellicense"), ("weights_endmodel", "weights_basemodel"))
LEGACY = Schema(
    "opening-up-chatgpt", "project", "projects", "opening-up-chatgpt/opening-up-chatgpt.github.io", "projects/",
    {"opencode": ("Open code", _A), "llmdata": ("LLM data", _A), "llmweights": ("LLM weights", _A),
     "rldata": ("RL data", _A), "rlweights": ("RL weights", _A), "license": ("Licence", _A), "code": ("Code", _D),
     "architecture": ("Architecture", _D), "preprint": ("Preprint", _D), "paper": ("Paper", _D),
     "modelcard": ("Model card", _D), "datasheet": ("Data sheet", _D), "package": ("Package", _X), "api": ("API", _X)},
    ("name", "llmbase", "license"), ("rlweights", "llmweights"),
    # The closest dimension of the current index, by our reading of both criteria texts (skos:closeMatch only).
    {"opencode": "trainingcode", "llmdata": "datasources_basemodel", "llmweights": "weights_basemodel",
     "rldata": "datasources_endmodel", "rlweights": "weights_endmodel", "license": "licenses", "code": "code",
     "architecture": "hardware_architecture", "preprint": "preprint", "paper": "paper", "modelcard": "modelcard",
     "datasheet": "datasheet", "package": "package", "api": "api"})


def parse_compute(text: str) -> float | None:
    """A point estimate in FLOP; None for unknown values, ranges and bounds."""
    match = _COMPUTE.match(text.strip())
    return float(match.group(1)) if match and " to " not in text else None


# -- one file ---------------------------------------------------------------------------------------------------
@dataclass
class _Record:
    """The context of one system file while it is read."""

    schema: Schema
    path: Path
    rel: str
    lines: dict[tuple[Any, ...], int]
    feed: Feed
    report: Report

    @property
    def sid(self) -> str:
        return self.schema.source_id

    @property
    def stem(self) -> str:
        return iri.slug(self.path.stem)

    @property
    def blob(self) -> str:
        return f"https://github.com/{self.schema.repo}/blob/HEAD/{self.schema.repo_prefix}{quote(self.path.name)}"

    def where(self, *path: Any) -> str:
        return f"{self.rel}:{self.lines.get(tuple(path), self.lines.get(tuple(path[:1]), 1))}"


def _load(schema: Schema, path: Path, rel: str, report: Report) -> tuple[dict, dict] | None:
    """The file's mapping and key lines, or None after rejecting it with file:line and why."""
    try:
        data, lines = load_with_lines(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        report.reject(f"{rel}:1", f"not UTF-8 text: {exc.reason}")
        return None
    except yaml.YAMLError as exc:
        line, problem = yaml_problem(exc)
        report.reject(f"{rel}:{line}", f"not valid YAML: {problem}")
        return None
    if not isinstance(data, dict):
        report.reject(f"{rel}:1", "expected a mapping of blocks at the top level")
        return None
    head = data.get(schema.head)
    if not isinstance(head, dict):
        other = "project" if schema.head == "system" else "system"
        hint = f" (it has '{other}:', the other generation of the index)" if other in data else ""
        report.reject(f"{rel}:{lines.get((schema.head,), 1)}", f"no '{schema.head}' mapping{hint}")
        return None
    if not str(head.get("name") or "").strip():
        report.reject(f"{rel}:{lines.get((schema.head, 'name'), 1)}", f"{schema.head}.name is empty")
        return None
    return data, lines


def _model_facts(rec: _Record, model: URIRef, head: dict) -> Iterator[Triple]:
    get = {fold(k).replace(" ", ""): v for k, v in head.items()}.get  # one file spells it 'endmodel license'
    text = get(rec.schema.fields[2])
    if text is not None and str(text).strip():
        licence = resolve_licence(str(text))
        if licence.status == "unknown":
            rec.report.unresolved_name(str(text).strip(), "licence", rec.where(rec.schema.head, rec.schema.fields[2]))
        for licence_id in licence.ids:
            yield model, EAI.licence, iri.licence_iri(licence_id)
            yield model, EAI.weightsLicence, iri.licence_iri(licence_id)
    stamp = date_literal(get("releasedate")) if get("releasedate") else None
    if stamp is not None:
        yield model, EAI.releaseDate, stamp
    if str(get("type") or "").strip():
        yield model, EAI.modality, Literal(str(get("type")).strip())
    for key, prefix in (("notes", ""), ("performanceclass", "performance class: "), ("rlbase", "instruction data: ")):
        if str(get(key) or "").strip():
            yield model, EAI.note, Literal(f"{prefix}{str(get(key)).strip()}")
    yield from link_triples(model, head.get("link"))


def _assessments(rec: _Record, data: dict, model: URIRef, dims: dict[str, list]) -> Iterator[Triple]:
    for key, value in data.items():
        if key in (rec.schema.head, "org"):
            continue
        if not (isinstance(value, dict) and "class" in value):
            if key in dims:
                rec.report.read()
                rec.report.reject(rec.where(key), f"{key}: expected a mapping with class, link and notes")
            elif f"ignored key {key!r}" not in rec.report.notes:
                rec.report.notes.append(f"ignored key {key!r}")
            continue
        rec.report.read()
        grade = value.get("class")
        if not isinstance(grade, str) or grade not in GRADES:
            rec.report.reject(rec.where(key, "class"), f"{key}: grade {grade!r} is not one of open|partial|closed")
            continue
        dims.setdefault(str(key), [str(key), None, None])
        node = iri.node_iri("assessment", rec.sid, rec.stem, str(key))
        yield model, EAI.openness, node
        yield node, RDF.type, EAI.OpennessAssessment
        yield node, EAI.dimension, iri.concept_iri(rec.sid, str(key))
        yield node, EAI.grade, GRADES[grade]
        yield from link_triples(node, value.get("link"), EAI.evidence)
        if str(value.get("notes") or "").strip():
            yield node, EAI.note, Literal(str(value["notes"]).strip())
        yield iri.record_iri(rec.sid, rec.stem), EAI.describes, node


# -- header comments: low-confidence claims ---------------------------------------------------------------------
def _header(rec: _Record, text: str, orgs: list[URIRef], model: URIRef, base: URIRef | None) -> Iterator[Triple]:
    found = [(n + 1, m.group(1).lower(), m.group(2)) for n, line in enumerate(text.splitlines())
             if (m := _HEADER.match(line.strip()))]
    if not found:
        return
    record = iri.record_iri(rec.sid, f"{rec.stem}/header")
    yield from source_record(rec.sid, f"{rec.stem}/header", orgs[0] if orgs else model, urls=[rec.blob],
                             accessed=rec.feed.retrieved_at, locator=f"{rec.rel}:{found[0][0]}", confidence="low")
    yield record, EAI.describes, model
    for line, kind, value in found:
        yield record, EAI.note, Literal(f"{kind}: {value}")
        yield from _header_claim(rec, line, kind, value, orgs, model, base)


def _header_claim(rec: _Record, line: int, kind: str, value: str, orgs: list[URIRef], model: URIRef,
                  base: URIRef | None) -> Iterator[Triple]:
    where = f"{rec.rel}:{line}"
    claim = partial(_low_claim, rec, line)
    if kind == "national origin" and is_name(value):
        code = resolve_country(value)
        if code is None:
            rec.report.unresolved_name(value, "country", where)
        elif len(orgs) == 1:  # a shared origin of several organisations says nothing about each one
            yield from claim(orgs[0], EAI.jurisdiction, iri.country_iri(code), "jurisdiction")
    elif kind == "contributor type":
        inner = re.search(r"\(([^)]*)\)", value)
        mapped = CONTRIBUTOR_TYPES.get(fold(inner.group(1))) if inner else None
        if mapped is None:
            rec.report.unresolved_name(value, "organisation type", where)
        elif len(orgs) == 1:
            yield from claim(orgs[0], EAI.organisationType, Literal(mapped), "type")
    elif kind.endswith("training compute"):
        flop = parse_compute(value)
        target = base if kind.startswith("base") and base is not None else model
        if flop is not None:
            yield from claim(target, EAI.trainingComputeFLOP, double(flop), kind.split()[0] + "-compute")


def _low_claim(rec: _Record, line: int, subject: Node, predicate: Node, value: Node, key: str) -> Iterator[Triple]:
    """A header claim: the fact, plus a statement citing the file and line, marked low confidence."""
    claim_key = f"{rec.stem}/{key}"
    yield from cited_claim(subject, predicate, value, url=rec.blob, accessed=rec.feed.retrieved_at, key=claim_key,
                           source_id=rec.sid)
    statement = iri.record_iri(rec.sid, f"claim/{claim_key}")
    yield statement, EAI.confidence, Literal("low")
    yield statement, EAI.locator, Literal(f"{rec.rel}:{line}")


# -- the whole file ---------------------------------------------------------------------------------------------
def _base_names(schema: Schema, text: str) -> list[str]:
    if schema is CURRENT:
        return [text]
    return split_names(text)


def record_triples(rec: _Record, data: dict, text: str, dims: dict[str, list]) -> Iterator[Triple]:
    schema, head = rec.schema, data[rec.schema.head]
    end, base_text = (str(head.get(k) or "").strip() for k in schema.fields[:2])
    name = end if is_name(end) else base_text if is_name(base_text) and schema is CURRENT else str(head["name"])
    block = lambda key: data.get(key) if isinstance(data.get(key), dict) else {}  # noqa: E731
    model, facts = resolve_model(rec.sid, rec.report, name, [head.get("link"), *links(block(schema.weight_links[0]).get("link"))],
                          rec.where(schema.head, schema.fields[0]))
    yield from facts
    if name != str(head["name"]).strip() and (model, RDFS.label, Literal(name)) in facts:
        yield model, SKOS.altLabel, Literal(str(head["name"]).strip())
    base = None
    for base_name in _base_names(schema, base_text):
        if not is_name(base_name):
            if "?" in base_name:
                rec.report.unresolved_name(base_name, "model", rec.where(schema.head, schema.fields[1]))
            continue
        node, facts = resolve_model(rec.sid, rec.report, base_name, links(block(schema.weight_links[1]).get("link")),
                             rec.where(schema.head, schema.fields[1]))
        base = base or node
        if node != model:  # a system that is its own base model has no lineage edge
            yield from facts
            yield model, EAI.derivedFrom, node
    org = block("org")
    orgs, facts = resolve_orgs(rec.sid, rec.report, str(org.get("name") or "").strip(), rec.where("org", "name"))
    yield from facts
    if len(orgs) == 1:  # the link and notes describe the named organisation, not each of several
        yield from link_triples(orgs[0], org.get("link"), EAI.homepage)
        if str(org.get("notes") or "").strip():
            yield orgs[0], EAI.note, Literal(str(org["notes"]).strip())
    for n, org in enumerate(orgs):
        yield model, EAI.developedBy, org
        if n == 0:
            yield model, EAI.providedBy, org
    yield from _model_facts(rec, model, head)
    urls = [rec.blob, *(str(u) for u in [url(head.get("link"))] if u is not None)]
    yield from source_record(rec.sid, rec.stem, model, urls=urls, accessed=rec.feed.retrieved_at,
                             locator=rec.where(schema.head))
    for org in orgs:
        yield iri.record_iri(rec.sid, rec.stem), EAI.describes, org
    yield from _assessments(rec, data, model, dims)
    yield from _header(rec, text, orgs, model, base)


def _dimensions(schema: Schema, root: Path, report: Report) -> dict[str, list]:
    """key -> [label, group, definition]: the built-in table, overridden by ``_parameters*.yml`` where present."""
    dims = {key: [label, group, None] for key, (label, group) in schema.dimensions.items()}
    for folder in (root, root.parent):
        params, texts = folder / "_parameters.yml", folder / "_parameters-descriptions.yml"
        if not params.exists():
            continue
        try:
            for group in safe_yaml.load(params.read_text(encoding="utf-8")) or []:
                for item in group.get("params") or []:
                    dims[str(item["ref"])] = [str(item.get("name") or item["ref"]).strip(), group.get("name"), None]
            if texts.exists():
                for key, text in (safe_yaml.load(texts.read_text(encoding="utf-8")) or {}).items():
                    if key in dims and isinstance(text, dict) and text.get("en"):
                        dims[key][2] = str(text["en"]).strip()
        except (yaml.YAMLError, AttributeError, KeyError, TypeError) as exc:
            report.notes.append(f"{params.name} not used: {exc}")
        break
    return dims


def concept_triples(schema: Schema, dims: dict[str, list]) -> Iterator[Triple]:
    """The dimension concepts (and their groups) of one generation of the index."""
    for key, (label, group, definition) in dims.items():
        node = iri.concept_iri(schema.source_id, key)
        yield node, RDF.type, EAI.OpennessDimension
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.inScheme, EAI.OpennessDimensionScheme
        yield node, SKOS.prefLabel, Literal(label, lang="en")
        yield node, SKOS.notation, Literal(key)
        if definition:
            yield node, SKOS.definition, Literal(definition, lang="en")
        if key in schema.close_match:
            yield node, SKOS.closeMatch, iri.concept_iri(CURRENT.source_id, schema.close_match[key])
        if group:
            parent = iri.concept_iri(schema.source_id, f"group/{iri.slug(str(group))}")
            yield node, SKOS.broader, parent
            yield parent, RDF.type, SKOS.Concept
            yield parent, SKOS.inScheme, EAI.OpennessDimensionScheme
            yield parent, SKOS.prefLabel, Literal(str(group), lang="en")


def parse(schema: Schema, feed: Feed, report: Report) -> Iterator[Triple]:
    """Every system file of the feed; a feed with no file in this schema is broken (FeedError)."""
    root, files = feed_files(feed, schema.folder, (".yaml", ".yml"))
    if not files:
        raise FeedError(schema.source_id, str(feed.path), f"no {schema.folder}/*.yaml files")
    dims, accepted = _dimensions(schema, root, report), 0
    for path in files:
        rel = path.relative_to(root).as_posix()
        report.read()
        loaded = _load(schema, path, rel, report)
        if loaded is None:
            continue
        accepted += 1
        rec = _Record(schema, path, rel, loaded[1], feed, report)
        yield from record_triples(rec, loaded[0], path.read_text(encoding="utf-8"), dims)
    if not accepted:
        last = report.rejected[-1] if report.rejected else None
        raise FeedError(schema.source_id, str(feed.path), f"no file in the {schema.source_id} schema"
                        + (f" ({last.where}: {last.reason})" if last else ""))
    yield from concept_triples(schema, dims)


def _spec(schema: Schema, title: str, homepage: str, recorded: str, description: str) -> SourceSpec:
    return SourceSpec(
        id=schema.source_id, title=title, homepage=homepage, data_licence="CC-BY-4.0",
        parse=partial(parse, schema),
        # One valid system file yields far more (its dimension concepts alone are over 60 triples).
        min_triples=40, priority=PRIORITY_THIRD_PARTY, live_url=tarball_url(schema.repo), recorded_folder=recorded,
        fetch=partial(fetch_github, schema.source_id, schema.repo), description=description,
    )


SOURCES = (
    _spec(CURRENT, "European Open Source AI Index", "https://osai-index.eu/", "osai_index",
          "Openness of generative AI systems: 14 dimensions graded open, partial or closed, with evidence links."),
    _spec(LEGACY, "Opening up ChatGPT (predecessor of the European Open Source AI Index)",
          "https://opening-up-chatgpt.github.io/", "opening_up_chatgpt",
          "The 2023 openness index of instruction-tuned text generators, in its older 14-dimension schema."),
)
