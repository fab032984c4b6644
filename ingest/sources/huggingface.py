"""Hugging Face: model cards and Hub API responses -> models with typed lineage, licences, languages, datasets.

A feed is a file or a folder, searched recursively, holding any of:

- a **card folder**: ``README.md`` with YAML front matter (``license``, ``license_name``, ``language``,
  ``datasets``, ``base_model``, ``base_model_relation``, ``quantized_by``, ``extra_gated_*``), optionally
  ``manifest.yaml`` (Hub metadata: ``parent_id``, ``owned_by``, ``licence``, Hub ``tags``, and ``variants`` whose
  artifacts live in a quantisation repository) and ``config.json`` (``architectures``). Without a manifest the
  folder is named ``<owner>__<name>`` after the repository;
- a **Hub API response** (``/api/models/<id>``): a JSON object with ``id``, ``author``, ``tags``
  (``base_model:<relation>:<id>``, ``license:``, ``language:``, ``dataset:``), ``cardData``, ``gated`` and
  ``safetensors.total``.

Lineage is typed by relation (finetune, adapter, quantized, merge) and always also written as ``eai:derivedFrom``.
The repository that holds a manifest's GGUF artifacts is a quantisation of the card's model. Model IRIs are
``model_iri(<repo id>)``, equal to the curated ids; the Hub treats repository ids without regard to case, and so
does this source. Organisations resolve by Hub org id or reviewed alias (:mod:`euaigraph.ingest.identity`);
anything unmatched is scoped to this source and reported. Reading the files is :mod:`euaigraph.ingest.hf_cards`.

Each card folder and each API response is one record, about the repository it describes: it is merged into the
curated record with that Hub id, or into an earlier record of the same repository; a file of it that cannot be read
rejects the record when nothing else in it could be, and is noted otherwise. Every other file is skipped with the
reason. Two repositories naming each other as base write no lineage.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Literal, URIRef

from euaigraph.ontology import iri
from euaigraph.ontology import reference
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_SELF_DECLARED, Feed, FeedError, Rejection, Report, SourceSpec, Triple
from ..curated import records
from ..emit import boolean, double
from ..aliases import aliases
from ..evidence import RULE_HF, Identified, shared_target
from ..fetch import fetch
from ..hf_cards import CARD_FILES, HUB, Facts, api_facts, folder_facts, read_json
from ..identity import dataset_for_hf, entity, is_repo_id, language_id, licence, model_for_hf, org_node
from ..ledger import Ledger, Lineage

SOURCE_ID = "huggingface"
#: The Hub's base_model_relation words -> our relation codes (the properties come from the ontology).
HUB_RELATIONS = {"finetune": "fine-tune", "adapter": "adapter", "quantized": "quantisation", "merge": "merge"}
RELATIONS = {word: reference.relation(code).iri for word, code in HUB_RELATIONS.items()}
FETCH_ERRORS = "fetch-errors.json"


# -- facts -> triples ------------------------------------------------------------------------------------------------
def facts_triples(facts: Facts, report: Report, lineage: Lineage) -> Iterator[Triple]:
    node, curated = model_for_hf(facts.repo)
    yield from entity(node, EAI.AIModel, facts.repo, curated)
    yield node, EAI.huggingFaceId, Literal(facts.repo)
    owner = facts.repo.split("/")[0] if "/" in facts.repo else None
    if owner or facts.author_name:
        org, triples = org_node(facts.author_name or owner, source_id=SOURCE_ID, report=report, where=facts.where,
                                hf_org=owner)
        yield from triples
        yield node, EAI.providedBy, org
        yield node, EAI.developedBy, org
    yield from _licences(node, facts, report)
    for code in facts.languages:
        nal = language_id(code)
        if nal:
            yield node, EAI.supportsLanguage, iri.language_iri(nal)
        else:
            report.unresolved_name(code, "language", facts.where)
    for name in facts.datasets:
        yield from _dataset(node, name, facts.where, report)
    for relation, base in facts.bases:
        yield from _lineage(node, relation, base, facts.where, report, lineage)
    if facts.gated is not None:
        yield node, EAI.gated, boolean(facts.gated)
    if facts.architecture:
        yield node, EAI.architecture, Literal(facts.architecture)
    if facts.parameters:
        yield node, EAI.parameterCount, double(facts.parameters)


def _licences(node: URIRef, facts: Facts, report: Report) -> Iterator[Triple]:
    for text in facts.licences:
        found = licence(text)
        if found.status == "unknown":
            report.unresolved_name(text, "licence", facts.where)
        for licence_id in found.ids:
            yield node, EAI.licence, iri.licence_iri(licence_id)


def _dataset(model: URIRef, name: str, where: str, report: Report) -> Iterator[Triple]:
    if not is_repo_id(name):
        report.unresolved_name(name, "dataset", where)
        return
    node, curated = dataset_for_hf(name)
    yield from entity(node, EAI.Dataset, name, curated)
    yield model, EAI.trainedOn, node


def _lineage(model: URIRef, relation: str | None, base: str, where: str, report: Report, lineage: Lineage
             ) -> Iterator[Triple]:
    if not is_repo_id(base) or "/" not in base:
        report.unresolved_name(base, "model", where)
        return
    parent, curated = model_for_hf(base)
    if parent == model:  # a repository is never its own base (a tag repeating the repo's own id)
        return
    yield from entity(parent, EAI.AIModel, base, curated)
    yield parent, EAI.huggingFaceId, Literal(base)
    edge = [(model, EAI.derivedFrom, parent)]
    if relation in RELATIONS:
        edge.append((model, RELATIONS[relation], parent))
    elif relation:
        report.unresolved_name(relation, "lineage relation", where)
    lineage.add(model, parent, edge, where)


# -- the feed ------------------------------------------------------------------------------------------------------
def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    root = feed.path
    base = root.parent if root.is_file() else root
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    folders = sorted({p.parent for p in files if p.name.lower() == "readme.md" or p.name == "manifest.yaml"})
    responses = [p for p in files if p.suffix == ".json" and p.parent not in folders]
    if not folders and not responses:
        raise FeedError(SOURCE_ID, str(root), "no model card (README.md, manifest.yaml) and no Hub API response "
                        "(*.json)")
    _file_outcomes(files, set(folders), base, report)
    ledger, lineage = Ledger(SOURCE_ID, feed, report), Lineage()
    for folder in folders:
        report.read()
        problems: list[Rejection] = []
        found = folder_facts(folder, _rel(folder, base), problems)
        readme = next((p for p in folder.iterdir() if p.name.lower() == "readme.md"), folder / "manifest.yaml")
        yield from _record(found, problems, _rel(folder, base), readme, report, ledger, lineage)
    for path in responses:
        yield from _response(path, _rel(path, base), report, ledger, lineage)
    yield from lineage.write(report)


def _file_outcomes(files: list[Path], folders: set[Path], base: Path, report: Report) -> None:
    for path in files:
        where = _rel(path, base)
        if path.parent in folders:
            if path.name.lower() in CARD_FILES:
                report.file_read(where)
            else:
                report.file_skipped(where, "a file of a card folder this source does not read (only README.md, "
                                           "manifest.yaml and config.json)")
        elif path.suffix == ".json":
            report.file_read(where)
        else:
            report.file_skipped(where, "neither a model card folder's file nor a Hub API response (*.json)")


def _record(found: list[Facts], problems: list[Rejection], key: str, path: Path, report: Report, ledger: Ledger,
            lineage: Lineage) -> Iterator[Triple]:
    """One record (a card folder or an API response) about the repository its first facts describe."""
    if not found:
        first = problems[0] if problems else Rejection(key, "no facts about any repository")
        report.reject(first.where, first.reason)
        for other in problems[1:]:
            report.note(f"{other.where}: {other.reason}")
        return
    for problem in problems:
        report.note(f"{problem.where}: {problem.reason}; the rest of the record was read")
    repo = found[0].repo
    node, curated = model_for_hf(repo)
    target = shared_target("models", aliases("models").resolve(repo) or repo, curated=curated)
    identified = Identified(node, curated, RULE_HF if curated else None, repo, target)
    facts = [t for item in found for t in facts_triples(item, report, lineage)]
    urls = list(dict.fromkeys(u for item in found for u in item.urls))
    yield from ledger.record(key=key, where=found[0].where, identified=identified, facts=facts, urls=urls,
                             path=path, rule=RULE_HF)


def _response(path: Path, where: str, report: Report, ledger: Ledger, lineage: Lineage) -> Iterator[Triple]:
    problems: list[Rejection] = []
    data = read_json(path, where, problems)
    if isinstance(data, dict) and isinstance(data.get("fetch_errors"), list):  # written by fetch_live
        for item in data["fetch_errors"]:
            report.read()
            report.reject(str(item.get("url") if isinstance(item, dict) else item)[:300],
                          f"not fetched: {item.get('error') if isinstance(item, dict) else item}"[:300])
        return
    report.read()
    if isinstance(data, dict) and (data.get("id") or data.get("modelId")) and isinstance(data.get("tags"), list):
        yield from _record([api_facts(data, where)], problems, where, path, report, ledger, lineage)
    elif data is not None:
        report.reject(where, "not a Hub API model response (needs 'id' and a 'tags' list)")
    else:
        yield from _record([], problems, where, path, report, ledger, lineage)


def _rel(path: Path, base: Path) -> str:
    return str(path.relative_to(base)) if path != base else path.name


# -- live mode -----------------------------------------------------------------------------------------------------
def known_model_ids() -> list[str]:
    """The Hub ids of the models the graph knows (curated models with an ``hf_id``)."""
    return sorted({str(r["hf_id"]) for r in records("models") if r.get("hf_id")})


def fetch_live(cache_dir: Path, *, base_url: str = HUB, ids: Iterable[str] | None = None, timeout: float = 30.0,
               retries: int = 3, backoff: float = 1.0) -> Feed:
    """Fetch ``/api/models/<id>`` for every known model into the cache; the responses form the feed folder.

    A model the Hub does not answer for (404, removed) is listed in ``fetch-errors.json`` and reported as a
    rejected record; if no model can be fetched at all the feed is broken.
    """
    cache_dir = Path(cache_dir)
    out = cache_dir / "responses"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    digest, errors = hashlib.sha256(), []
    for repo in list(ids or known_model_ids()):
        url = f"{base_url.rstrip('/')}/api/models/{repo}"
        try:
            entry = fetch(SOURCE_ID, url, cache_dir / "http", timeout=timeout, retries=retries, backoff=backoff,
                          progress=False)
        except FeedError as exc:
            errors.append({"id": repo, "url": url, "error": exc.message})
            continue
        shutil.copyfile(entry.path, out / f"{repo.replace('/', '__')}.json")
        digest.update(entry.sha256.encode())
    if errors and not any(out.iterdir()):
        raise FeedError(SOURCE_ID, base_url, f"no model could be fetched; first error: {errors[0]['error']}")
    if errors:
        (out / FETCH_ERRORS).write_text(json.dumps({"fetch_errors": errors}, indent=1))
    return Feed(path=out, url=f"{base_url.rstrip('/')}/api/models", version=f"sha256:{digest.hexdigest()[:16]}",
                retrieved_at=datetime.now(UTC).replace(microsecond=0))


SOURCE = SourceSpec(
    id=SOURCE_ID,
    title="Hugging Face model cards and Hub API",
    homepage="https://huggingface.co/docs/hub/model-cards",
    data_licence=None,
    licence_note="Card metadata as published by each model's authors on the Hugging Face Hub (licence per card).",
    parse=parse,
    min_triples=5,
    priority=PRIORITY_SELF_DECLARED,
    live_url=f"{HUB}/api/models",
    recorded_folder="hf_model_cards",
    fetch=fetch_live,
    description="Model cards (YAML front matter, Hub metadata manifests) and /api/models responses: typed lineage, "
                "licences, languages, datasets, gating, developer.",
)
