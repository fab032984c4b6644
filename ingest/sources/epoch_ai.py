"""Epoch AI: notable AI models, GPU clusters and data centres (CSV), with the ML hardware table for vendors.

A feed is a folder (or one file) of Epoch CSV exports, sub-folders included, each recognised by its header
(:mod:`euaigraph.ingest.epoch_read`); every other file is skipped with the reason, and every row is one record.

- A model row -> ``eai:AIModel``, identified by evidence (:mod:`euaigraph.ingest.evidence`): a Hugging Face link
  of its own name, a reviewed alias, a curated record of the same developer and name; else a node scoped to this
  source and its first organisation. It is developed by its organisations (comma list; the first provides it),
  with ``eai:parameterCount``, ``eai:trainingComputeFLOP``, ``eai:releaseDate`` (the publication date),
  ``eai:accessLevel`` and, from ``Base model``, ``eai:derivedFrom`` the models it names: a row of this feed, a
  reviewed alias, or for a single name a node of its own. A list ("various (a, b)") links only models that exist
  and never mints one; a hedged list is ``eai:dependsOn``. Two rows naming each other as base write no lineage.
  Training hardware and its quantity go on an ``eai:TrainingRun``.
- ``Country (of organization)`` is Epoch's lookup of each organisation's country, in organisation order: one
  organisation takes every country listed; several take one each when the counts match; otherwise none (noted).
- A cluster row -> a compute facility: the curated one by reviewed alias, else an ``eai:GPUCluster`` scoped to its
  owner; with jurisdiction, owners, primary chip and its manufacturer, chip count, first operational date and
  status. Rows Epoch anonymises ("Anonymized Chinese System") are each a facility of their own.
- A data-centre row -> a compute facility named by its title, operated by the owners Epoch tags as confident or
  likely (speculative ones are counted in a note).

Numbers are read as floats; an empty cell is no value. A malformed row is rejected with ``file:line``.
"""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_THIRD_PARTY, Feed, Report, SourceSpec, Triple
from ..emit import date_literal, double, integer
from ..epoch_read import DATA, SOURCE_ID, TABLES, ParseState, names, number, rows, tables
from ..epoch_sites import cluster, data_centre, facility
from ..evidence import FeedIndex, FeedNames, Identified, identify, note_refusals, refer
from ..fetch import fetch
from ..identity import country_id, developer_key, entity, hf_repo_from_url, names_match, org_id, org_node, scoped, \
    web_url
from ..model_names import model_list
from ..normalise import fold

LIVE = {"models": f"{DATA}/notable_ai_models.csv", "clusters": f"{DATA}/gpu_clusters.csv",
        "hardware": f"{DATA}/ml_hardware.csv"}


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    root = feed.path
    base = root.parent if root.is_file() else root
    found = tables(root, base, report)
    state = ParseState(feed, report)

    def read(kind: str) -> list[tuple[Path, str, dict[str, str]]]:
        return [(path, here, row) for path in found[kind]
                for here, row in rows(path, str(path.relative_to(base)), kind, report)]

    vendors: dict[str, str] = {}
    hardware = read("hardware")
    for _path, _here, row in hardware:  # a lookup for the clusters: each row is read into it
        if row["Manufacturer"].strip():
            vendors[fold(row["Hardware name"])] = row["Manufacturer"].strip()
        report.ingested()
    if hardware:
        report.note(f"{len(hardware)} ML-hardware rows were read as the table of chip manufacturers that gives "
                    "clusters their accelerator vendor; they describe no entity of their own")
    model_rows = read("models")
    identified, index, model_names = _identify_models(model_rows, state)
    for path, here, row in model_rows:
        facts = _model(here, row, identified[here], index, model_names, state)
        link = [u for u in map(web_url, names(row.get("Link", ""))[:1]) if u]
        yield from state.ledger.record(key=here.replace(":", "/"), where=here, identified=identified[here],
                                       facts=facts, urls=[TABLES["models"].page, *link], path=path)
    yield from state.lineage.write(report)
    sites = [("clusters", *item) for item in read("clusters")] + [("data_centers", *item) for item in
                                                                   read("data_centers")]
    facility_names = FeedNames(row[TABLES[kind].name_column].strip() for kind, _p, _h, row in sites)
    anonymous: Counter[str] = Counter()
    for kind, path, here, row in sites:
        found_at = facility(kind, here, row, facility_names, anonymous, state)
        facts = (cluster if kind == "clusters" else data_centre)(found_at, here, row, vendors, state)
        sources = [u for u in (web_url(row.get(f"Source {n}")) for n in range(1, 6)) if u]
        yield from state.ledger.record(key=here.replace(":", "/"), where=here, identified=found_at, facts=facts,
                                       urls=[TABLES[kind].page, *sources], path=path)
    _notes(state)


def _notes(state: ParseState) -> None:
    report = state.report
    if state.unattributed:
        report.note(f"{len(state.unattributed)} model rows list more or fewer countries than organisations, so no "
                    f"country was given to any of them (first: {', '.join(state.unattributed[:5])})")
    if state.speculative:
        report.note(f"{state.speculative} data-centre owners Epoch tags as speculative were not written")
    note_refusals(report, state.refused)
    for name, kind, where in state.later:
        report.unresolved_name(name, kind, where)


# -- models --------------------------------------------------------------------------------------------------------
def _identify_models(model_rows: list[tuple[Path, str, dict[str, str]]], state: ParseState
                     ) -> tuple[dict[str, Identified], FeedIndex, FeedNames]:
    """Each row's node, and an index of the rows by name for the base models other rows name."""
    all_names = FeedNames(row["Model"].strip() for _p, _h, row in model_rows)
    identified, index = {}, FeedIndex()
    for _path, here, row in model_rows:
        name, orgs = row["Model"].strip(), names(row["Organization"])
        hf_org = (row.get("Hugging Face developer id") or "").strip() or None if len(orgs) <= 1 else None
        stated = frozenset(filter(None, [*(org_id(o) for o in orgs), org_id(None, hf_org=hf_org) if hf_org else None]))
        developer = developer_key(orgs[0] if orgs else None, hf_org=hf_org)
        hub = next((h[1] for h in map(hf_repo_from_url, names(row.get("Link", "")))
                    if h and h[0] == "model" and names_match(name, h[1])), None)
        refusals: list = []
        found = identify("models", name, source_id=SOURCE_ID, stated=stated, developer=developer, names=all_names,
                         hub=hub, refusals=refusals)
        state.refused += [r.text(here) for r in refusals]
        if found.rule is None:
            state.later.append((name, "model", here))
        identified[here] = found
        index.add(name, developer=developer, node=found.node, kind="model")
    return identified, index, all_names


def _model(here: str, row: dict[str, str], found: Identified, index: FeedIndex, model_names: FeedNames,
           state: ParseState) -> Iterator[Triple]:
    node, name = found.node, row["Model"].strip()
    yield from entity(node, EAI.AIModel, name, found.curated)
    orgs = names(row["Organization"])
    hf_org = (row.get("Hugging Face developer id") or "").strip() or None if len(orgs) == 1 else None
    made = [org_node(org, source_id=SOURCE_ID, report=state.report, where=here, hf_org=hf_org) for org in orgs]
    for n, (org, triples) in enumerate(made):
        yield from triples
        yield node, EAI.developedBy, org
        if n == 0:
            yield node, EAI.providedBy, org
    yield from _jurisdictions([org for org, _ in made], row.get("Country (of organization)", ""), here, state)
    for column, predicate in (("Parameters", EAI.parameterCount), ("Training compute (FLOP)", EAI.trainingComputeFLOP)):
        amount = number(row.get(column, ""))
        if amount is not None:
            yield node, predicate, double(amount)
    stamp = date_literal(row.get("Publication date", ""))
    if stamp is not None:
        yield node, EAI.releaseDate, stamp
    if row.get("Model accessibility", "").strip():
        yield node, EAI.accessLevel, Literal(row["Model accessibility"].strip())
    yield from _training_run(node, row)
    developer = developer_key(orgs[0] if orgs else None, hf_org=hf_org)
    yield from _bases(node, row.get("Base model", ""), here, developer, index, model_names, state)


def _bases(node: URIRef, text: str, here: str, developer: str | None, index: FeedIndex, model_names: FeedNames,
           state: ParseState) -> Iterator[Triple]:
    """The base models a row names: lineage to models that exist; a single unknown name gets a node of its own."""
    listed = model_list(text)
    if listed.problem:
        state.report.note(f"{here}: base model {listed.problem}; no lineage written")
        state.report.unresolved_name(text.strip(), "model list", here)
    single = len(listed.names) == 1 and not listed.hedged
    for base in listed.names:
        found = index.find(base, developer=developer)
        if found == "ambiguous":
            state.report.note(f"{here}: base model {base!r} names rows of several developers; no lineage written")
            state.report.unresolved_name(base, "model", here)
            continue
        if found:
            parent = found[0]
        elif curated := refer("models", base, names=model_names):
            parent = iri.model_iri(curated)
            yield parent, RDF.type, EAI.AIModel
        elif single:
            state.later.append((base, "model", here))
            parent = scoped(iri.model_iri, SOURCE_ID, base, cased=model_names.clashes(base))
            yield from entity(parent, EAI.AIModel, base, False)
        else:  # a name in a list is a reference to a model that exists, never a new model
            state.report.note(f"{here}: {base!r} in the base-model list {text.strip()[:120]!r} names no row of this "
                              "feed and no reviewed alias; not linked")
            state.report.unresolved_name(base, "model in a list", here)
            continue
        if parent == node:
            continue
        if listed.hedged:
            yield node, EAI.dependsOn, parent
        else:
            state.lineage.add(node, parent, [(node, EAI.derivedFrom, parent)], here)


def _jurisdictions(orgs: list[URIRef], cell: str, here: str, state: ParseState) -> Iterator[Triple]:
    countries = []
    for name in names(cell):
        code = country_id(name)
        if code is None:
            state.report.unresolved_name(name, "country", here)
        countries.append(code)
    if len(orgs) == 1:
        pairs = [(orgs[0], code) for code in countries]
    elif len(orgs) == len(countries):
        pairs = list(zip(orgs, countries, strict=True))
    else:
        pairs = []
        if orgs and countries:
            state.unattributed.append(here)
    for org, code in pairs:
        if code:
            yield org, EAI.jurisdiction, iri.country_iri(code)


def _training_run(node: URIRef, row: dict[str, str]) -> Iterator[Triple]:
    chips = names(row.get("Training hardware", ""))
    if not chips:
        return
    run = iri.node_iri("training-run", SOURCE_ID, str(node).rsplit("/model/", 1)[-1])
    yield node, EAI.trainingRun, run
    yield run, RDF.type, EAI.TrainingRun
    for chip in chips:
        yield run, EAI.accelerator, Literal(chip)
    quantity = number(row.get("Hardware quantity", ""))
    if quantity is not None and len(chips) == 1 and quantity == int(quantity):
        yield run, EAI.acceleratorCount, integer(quantity)


# -- live mode -----------------------------------------------------------------------------------------------------
def fetch_live(cache_dir: Path, *, base_url: str = DATA, timeout: float = 60.0, retries: int = 3) -> Feed:
    """Download the three CSV exports (each cached by ETag) into one feed folder."""
    cache_dir = Path(cache_dir)
    out = cache_dir / "tables"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    digest = hashlib.sha256()
    for url in LIVE.values():
        name = url.rsplit("/", 1)[-1]
        entry = fetch(SOURCE_ID, f"{base_url.rstrip('/')}/{name}", cache_dir / "http", timeout=timeout, retries=retries)
        shutil.copyfile(entry.path, out / name)
        digest.update(entry.version.encode())
    return Feed(path=out, url=base_url, retrieved_at=datetime.now(UTC).replace(microsecond=0),
                version=f"sha256:{digest.hexdigest()[:16]}")


SOURCE = SourceSpec(
    id=SOURCE_ID,
    title="Epoch AI (notable AI models, GPU clusters, data centres, ML hardware)",
    homepage="https://epoch.ai/data",
    data_licence="CC-BY-4.0",
    parse=parse,
    min_triples=5,
    priority=PRIORITY_THIRD_PARTY,
    live_url=LIVE["models"],
    recorded_folder="epoch_ai",
    fetch=fetch_live,
    description="Notable AI models (organisation, country, parameters, training compute, hardware, base model, "
                "accessibility), GPU clusters and data centres as compute facilities (country, owner, accelerators).",
)
