"""Stanford CRFM Ecosystem Graphs: asset cards (models, datasets, applications) and their dependencies.

A feed is a folder (or one file) holding ``assets/*.yaml``, each a YAML **list** of cards, and the collated CSV
``resources/*.csv`` with the same fields (reading them: :mod:`euaigraph.ingest.eg_read`). A table row repeating a
card of the YAML files is merged into it as a collated copy; other rows are cards of their own. Field values may be
``{explanation, value}`` mappings: the value is used.

- ``type`` model / dataset / application -> ``eai:AIModel`` / ``eai:Dataset`` / ``eai:Deployment``. Models and
  datasets are identified by evidence (:mod:`euaigraph.ingest.evidence`): their Hugging Face URL (``model_card``,
  ``url``, ``datasheet``) when it is the card's own name and size, a reviewed alias, a curated record of the same
  developer and name; otherwise a node scoped to this source and the card's first organisation, reported as
  unresolved. Two cards of one name by two developers are two things.
- ``dependencies`` (asset names) -> ``eai:dependsOn``, plus ``eai:trainedOn`` for a model on a dataset and
  ``eai:deploys`` for an application on a model. The source does not say how a model depends on a model, so that
  stays ``eai:dependsOn``. A name no card here defines is resolved by alias, else it becomes a node scoped to this
  source (typed only as ``prov:Entity``, since its kind is unknown) and is reported; a dependency that lists several
  models links only those that exist, and a placeholder ("unknown") names nothing.
- ``organization`` -> organisations through the reviewed aliases (a comma list is several organisations);
  ``nationality`` -> ``eai:jurisdiction`` of the card's organisation, as this source's claim. Values that name no
  single country (``International``, ``unknown``, ``Canada/Switzerland``) are reported, never guessed; the
  nationality of a card naming several organisations is not given to any one of them.
- ``license`` -> ``eai:licence`` via :func:`~euaigraph.ingest.normalise.resolve_licence`; ``access`` ->
  ``eai:accessLevel``; ``created_date`` -> ``eai:releaseDate``; ``modality`` -> ``eai:modality``.

Each card is cited by its asset page and, where the commit is known, its file at that commit.
"""

from __future__ import annotations

import re
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF

from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_THIRD_PARTY, Feed, Report, SourceSpec, Triple
from ..eg_read import SOURCE_ID, Card, read_cards, split_organisations, text, value
from ..emit import date_literal
from ..evidence import RULE_COPY, FeedIndex, FeedNames, Identified, identify, note_refusals, refer
from ..fetch import extract_tarball, fetch
from ..identity import country_id, developer_key, entity, hf_repo_from_url, licence, name_key, names_match, \
    org_id, org_node, scoped, web_url
from ..ledger import Ledger
from ..model_names import model_list
from ..normalise import fold

REPOSITORY = "https://github.com/stanford-crfm/ecosystem-graphs"
LIVE_URL = "https://codeload.github.com/stanford-crfm/ecosystem-graphs/tar.gz/refs/heads/main"
ASSET_PAGE = "https://crfm.stanford.edu/ecosystem-graphs/index.html?asset="
KINDS = {"model": EAI.AIModel, "dataset": EAI.Dataset, "application": EAI.Deployment}
_COMMIT = re.compile(r"^[0-9a-f]{40}$")


class _Parse:
    def __init__(self, feed: Feed, report: Report, cards: list[Card]):
        self.feed, self.report = feed, report
        self.ledger = Ledger(SOURCE_ID, feed, report)
        self.names = FeedNames(c.name for c in cards)
        self.index = FeedIndex()
        self.later: list[tuple[str, str, str]] = []  # unmatched asset names, itemised after organisations and countries
        self.refused: list[str] = []
        self.placeholders = 0


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    cards = read_cards(feed.path, report)
    state = _Parse(feed, report, cards)
    identified = {id(card): _identify(card, state) for card in cards if not card.copy_of}
    for card in cards:
        if not card.copy_of:
            state.index.add(card.name, developer=_developer(card), node=identified[id(card)].node, kind=card.kind)
    shared = 0
    base = feed.path.parent if feed.path.is_file() else feed.path
    for card in cards:
        original = card.copy_of or card
        found = identified[id(original)]
        facts = [] if card.copy_of else _card_triples(card, found, state)
        yield from state.ledger.record(key=card.where.replace(":", "/"), where=card.where, identified=found,
                                       facts=facts, urls=_urls(card, feed, base), path=card.path,
                                       rule=RULE_COPY if card.copy_of else None)
        shared += not card.copy_of and len(_organisations(card)) > 1 and bool(text(card.fields.get("nationality")))
    if shared:
        report.note(f"{shared} cards name several organisations: their nationality is not given to any one")
    if state.placeholders:
        report.note(f"{state.placeholders} dependencies name no asset ('unknown' and the like) and were not linked")
    note_refusals(report, state.refused)
    for name, kind, where in state.later:
        report.unresolved_name(name, kind, where)


def _urls(card: Card, feed: Feed, base: Path) -> list[str]:
    urls = [f"{ASSET_PAGE}{quote(card.name)}"] + [u for u in [web_url(text(card.fields.get("url")))] if u]
    if feed.version and _COMMIT.match(feed.version):  # a repository tarball names its commit
        path = "/".join(card.path.relative_to(base).parts[-2:])
        urls.append(f"{REPOSITORY}/blob/{feed.version}/{quote(path)}")
    return urls


def _organisations(card: Card) -> list[str]:
    return split_organisations(card.organisation) if card.organisation else []


def _developer(card: Card) -> str | None:
    orgs = _organisations(card)
    return developer_key(orgs[0]) if orgs else None


def _identify(card: Card, state: _Parse) -> Identified:
    developer = _developer(card)
    if card.kind == "application":
        node = scoped(iri.deployment_iri, SOURCE_ID, card.name, developer=developer,
                      cased=state.names.clashes(card.name))
        return Identified(node, False, key=card.name)
    hub = [hf_repo_from_url(text(card.fields.get(k))) for k in ("model_card", "url", "datasheet")]
    repo = next((h[1] for h in hub if h and h[0] == card.kind and names_match(card.name, h[1])), None)
    refusals: list = []
    found = identify(f"{card.kind}s", card.name, source_id=SOURCE_ID, developer=developer, names=state.names,
                     stated=frozenset(filter(None, map(org_id, _organisations(card)))), hub=repo, refusals=refusals)
    state.refused += [r.text(card.where) for r in refusals]
    if found.rule is None:
        state.later.append((card.name, card.kind, card.where))
    return found


# -- cards -> triples ----------------------------------------------------------------------------------------------
def _card_triples(card: Card, found: Identified, state: _Parse) -> Iterator[Triple]:
    node, fields, where = found.node, card.fields, card.where
    yield from entity(node, KINDS[card.kind], card.name, found.curated)
    orgs = [org_node(name, source_id=SOURCE_ID, report=state.report, where=where) for name in _organisations(card)]
    for n, (org, triples) in enumerate(orgs):
        yield from triples
        yield node, EAI.curatedBy if card.kind == "dataset" else EAI.developedBy, org
        if n == 0 and card.kind == "model":
            yield node, EAI.providedBy, org
    nationality = text(fields.get("nationality"))
    if nationality:
        code = country_id(nationality)
        if code is None:
            state.report.unresolved_name(nationality, "country", where)
        elif len(orgs) == 1:
            yield orgs[0][0], EAI.jurisdiction, iri.country_iri(code)
    yield from _facts(node, fields, where, state.report)
    for listed in value(fields.get("dependencies")) or []:
        yield from _dependencies(card, node, str(value(listed)).strip(), state)


def _facts(node: URIRef, fields: dict[str, Any], where: str, report: Report) -> Iterator[Triple]:
    stated = text(fields.get("license"))
    if stated:
        found = licence(stated)
        if found.status == "unknown":
            report.unresolved_name(stated, "licence", where)
        for licence_id in found.ids:
            yield node, EAI.licence, iri.licence_iri(licence_id)
    created = text(fields.get("created_date"))
    if created and fold(created) not in {"unknown", "none", "n/a"}:
        stamp = date_literal(created)
        if stamp is None:
            report.unresolved_name(created, "date", where)
        else:
            yield node, EAI.releaseDate, stamp
    access = text(fields.get("access"))
    if access:
        yield node, EAI.accessLevel, Literal(access.lower())
    modality = text(fields.get("modality"))
    if modality and fold(modality) != "unknown":
        yield node, EAI.modality, Literal(modality)


def _dependencies(card: Card, node: URIRef, written: str, state: _Parse) -> Iterator[Triple]:
    """The assets one entry of ``dependencies`` names: a card here, a reviewed alias, or for a single name a node
    of its own; a list links only assets that exist; a placeholder names nothing."""
    listed = model_list(written)
    if listed.problem:
        state.report.note(f"{card.where}: dependency {listed.problem}; not linked")
        state.report.unresolved_name(written, "asset list", card.where)
        return
    if not listed.names:
        state.placeholders += 1
    single = len(listed.names) == 1 and not listed.hedged
    for name in listed.names:
        if fold(name) == fold(card.name):
            continue
        found = state.index.find(name, developer=_developer(card))
        if found == "ambiguous":
            state.report.note(f"{card.where}: dependency {name!r} names cards of several developers; not linked")
            state.report.unresolved_name(name, "asset", card.where)
            continue
        if found:
            target, kind = found
        elif curated := refer("models", name, names=state.names):
            target, kind = iri.model_iri(curated), "model"
            yield target, RDF.type, EAI.AIModel
        elif curated := refer("datasets", name, names=state.names):
            target, kind = iri.dataset_iri(curated), "dataset"
            yield target, RDF.type, EAI.Dataset
        elif single:  # a name no card here defines: the source does not say what it is
            state.later.append((name, "asset", card.where))
            target, kind = iri.node_iri("asset", SOURCE_ID, name_key(name, cased=state.names.clashes(name))), None
            yield from entity(target, PROV.Entity, name, False)
        else:
            state.report.note(f"{card.where}: {name!r} in the dependency {written[:120]!r} names no card here and "
                              "no reviewed alias; not linked")
            state.report.unresolved_name(name, "asset in a list", card.where)
            continue
        if target == node:
            continue
        yield node, EAI.dependsOn, target
        if listed.hedged:
            continue
        if card.kind == "model" and kind == "dataset":
            yield node, EAI.trainedOn, target
        elif card.kind == "application" and kind == "model":
            yield node, EAI.deploys, target


# -- live mode -----------------------------------------------------------------------------------------------------
def fetch_live(cache_dir: Path, *, url: str = LIVE_URL, timeout: float = 60.0, retries: int = 3) -> Feed:
    """Download the repository tarball (cached by ETag) and read its extracted tree; the tarball's header names
    the commit (GitHub writes it there), which then versions the feed and cites each file."""
    entry = fetch(SOURCE_ID, url, Path(cache_dir), timeout=timeout, retries=retries)
    feed = entry.feed(extract_tarball(SOURCE_ID, entry))
    try:
        with tarfile.open(entry.path, "r:*") as archive:
            commit = str(archive.pax_headers.get("comment", ""))
    except (tarfile.TarError, OSError):
        commit = ""
    if not _COMMIT.match(commit):
        return feed
    return Feed(path=feed.path, url=feed.url, retrieved_at=feed.retrieved_at, version=commit)


SOURCE = SourceSpec(
    id=SOURCE_ID,
    title="Ecosystem Graphs (Stanford CRFM)",
    homepage="https://crfm.stanford.edu/ecosystem-graphs/",
    data_licence=None,
    licence_note="No licence file in the repository; Stanford CRFM asks users to cite arXiv:2303.15772.",
    parse=parse,
    min_triples=5,
    priority=PRIORITY_THIRD_PARTY,
    live_url=REPOSITORY,
    recorded_folder="ecosystem_graphs",
    fetch=fetch_live,
    description="Asset cards of foundation models, datasets and applications with their dependencies, "
                "licences and the developers' nationality as the source states it.",
)
