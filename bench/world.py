"""The world around the lineage forest: organisations (with control relations), datasets, projects, facilities,
reference data and anchors, drawn from the tables in :mod:`bench.shape` with one seeded random generator."""

from __future__ import annotations

import random
from bisect import bisect
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from euaigraph.ingest.curated import records
from euaigraph.ingest.normalise import resolve_language
from euaigraph.ontology import iri

from . import entities as E
from . import shape as S
from .reference import reference

EU = frozenset(S.EU27)


class Weighted:
    """Draw keys by weight (cumulative table + bisect; the table can grow)."""

    def __init__(self, weights: Mapping | None = None):
        self.keys: list = []
        self.cum: list[float] = []
        for key, weight in (weights or {}).items():
            self.add(key, weight)

    def add(self, key, weight: float) -> None:
        self.keys.append(key)
        self.cum.append((self.cum[-1] if self.cum else 0.0) + weight)

    def draw(self, rng: random.Random):
        return self.keys[bisect(self.cum, rng.random() * self.cum[-1])]


def _nal(code: str) -> str:
    found = resolve_language(code)
    if found is None:
        raise ValueError(f"language {code!r} is not known to the languages source")
    return found


def _country(value) -> str | None:
    """A curated record's country: a code, or the first value of a list of cited claims."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        value = value[0].get("value")
    return value if isinstance(value, str) else None


class World:
    """The generator's state and everything but the models themselves (see :class:`bench.generate.Generator`)."""

    def __init__(self, out: Path, *, seed: int, anchors: Mapping[str, Sequence[str]] | None = None):
        self.rng = random.Random(seed)
        self.sink = E.Sink(out)
        self.anchors = {k: list(v) for k, v in (anchors or {}).items()}
        self.models: list[E.Model] = []
        self.roots: list[int] = []
        self.root_pick = Weighted()
        self.children: Counter[int] = Counter()
        self.family_urn: dict[int, list[int]] = {}  # per base model: derivatives that can be parents,
        #                                                 once more for every child they already have
        self.orgs: list[E.Org] = []
        self.by_key: dict[str, E.Org] = {}
        self.org_urn: list[E.Org] = []      # publishers of derivatives, once per model they published
        self.root_orgs: list[E.Org] = []
        self.last_root_of: dict[str, int] = {}
        self.family_of: dict[str, object] = {}
        self.datasets: list = []
        self.projects: list = []
        self.claimed: set[str] = set()  # organisations an index has placed already
        self.projects_of: dict[str, list] = {}   # organisation key -> projects it takes part in
        self.eu_orgs: list[E.Org] = []
        licences = dict(S.ROOT_LICENCES)
        for extra in self.anchors.get("licence", []):
            licences.setdefault(extra, 2)
        self.root_licences = Weighted(licences)
        self.licences = set(licences) | set(S.DERIVATIVE_LICENCES) | set(S.DATASET_LICENCES)
        self.languages = {c: _nal(c) for c in (*S.EU_LANGUAGES, *S.OTHER_LANGUAGES)}
        self.single = Weighted(S.SINGLE_LANGUAGE)
        self.org_country, self.root_country = Weighted(S.ORG_COUNTRIES), Weighted(S.ROOT_COUNTRIES)
        self.org_type, self.relation = Weighted(S.ORG_TYPES), Weighted(S.RELATION_WEIGHTS)
        self.derivative_licence, self.dataset_licence = Weighted(S.DERIVATIVE_LICENCES), Weighted(S.DATASET_LICENCES)
        self.grade = Weighted(S.GRADES)
        self.programme = Weighted({k: v[2] for k, v in S.PROGRAMMES.items()})
        self.known_countries = {str(r["id"]): _country(r.get("country")) for r in records("organisations")}

    # -- organisations -----------------------------------------------------------------------------------------
    def new_org(self, *, country: str | None = None, kind: str | None = None, key: str | None = None,
                resolved: bool = True) -> E.Org:
        if key is not None and key in self.by_key:
            return self.by_key[key]
        n = len(self.orgs)
        kind = kind or self.org_type.draw(self.rng)
        if not resolved:  # a Hub user: no curated record, no register entry, so no jurisdiction
            org = E.Org(key=f"user{n}", hf=f"user{n}", country=None, kind="person", source="huggingface")
            E.organisation(self.sink, org)
        else:
            country = country or self.org_country.draw(self.rng)
            research = kind in ("university", "research-organisation") and country in EU and key is None
            pic = f"{900000000 + n}"  # EU research organisations are known from CORDIS by their PIC
            org = E.Org(key=key or (f"pic-{pic}" if research else f"org-{n:06d}"), hf=key or f"org{n}",
                        country=country, kind=kind, source="cordis" if research else "curated-organisations")
            E.organisation(self.sink, org, pic=pic)
            if country in EU:
                self.eu_orgs.append(org)
                if kind == "company" and self.root_orgs and self.rng.random() < S.CONTROLLED:
                    self._controlled(org)
        self.orgs.append(org)
        self.by_key[org.key] = org
        return org

    def _controlled(self, org: E.Org) -> None:
        foreign = [o for o in self.root_orgs if o.country not in EU]
        if foreign:
            since = f"{self.rng.randint(2015, 2025)}-{self.rng.randint(1, 12):02d}"
            until = f"{self.rng.randint(int(since[:4]), 2025)}-12-31" if self.rng.random() < S.CONTROL_ENDED else None
            E.control(self.sink, org, self.rng.choice(foreign), since=since, until=until)

    def publisher(self) -> E.Org:
        if not self.org_urn or self.rng.random() < S.NEW_ORG:
            org = self.new_org(resolved=self.rng.random() >= S.UNRESOLVED_ORG)
        else:
            org = self.rng.choice(self.org_urn)
        self.org_urn.append(org)
        return org

    # -- datasets, projects, facilities ---------------------------------------------------------------------------
    def new_dataset(self):
        n = len(self.datasets)
        curator = self.rng.choice(self.orgs)
        licence = self.dataset_licence.draw(self.rng) if self.rng.random() < 0.4 else None
        langs = tuple(self.languages[self.single.draw(self.rng)] for _ in range(self.rng.randint(1, 3)))
        node = E.dataset(self.sink, f"{curator.hf}/corpus-{n}", curator, licence=licence,
                         languages=tuple(dict.fromkeys(langs)))
        self.datasets.append(node)
        return node

    def pick_dataset(self):
        if not self.datasets or self.rng.random() < S.NEW_DATASET / S.TRAINED_ON:
            return self.new_dataset()
        return self.datasets[min(int(self.rng.paretovariate(0.9)) - 1, len(self.datasets) - 1)]

    def new_project(self, key: str | None = None, *, coordinator: E.Org | None = None):
        grant = 101000000 + len(self.projects)
        node = iri.project_iri(key or f"grant-{grant}")
        members = self.eu_orgs or [self.new_org(country="DEU", kind="university")]
        chosen = [self.rng.choice(members) for _ in range(self.rng.randint(2, 8))]
        participants = list(dict.fromkeys([coordinator, *chosen] if coordinator else chosen))
        for org in participants:
            self.projects_of.setdefault(org.key, []).append(node)
        start = self.rng.randint(2016, 2025)
        E.project(self.sink, node, grant, programme=self.programme.draw(self.rng), participants=participants,
                  start=f"{start}-{self.rng.randint(1, 12):02d}-01", end=f"{start + self.rng.randint(2, 4)}-12-31",
                  contribution=self.rng.randint(5, 300) * 50_000)
        self.projects.append(node)
        return node

    def funders(self) -> None:
        """The public bodies that fund the programmes (the curated programmes name them as eai:funder)."""
        for key, country in (("european-commission", "BEL"), ("eurohpc-ju", "LUX")):
            self.new_org(country=country, kind="public-body", key=key)

    def project_for(self, org: E.Org):
        """A project the organisation takes part in (a new one it coordinates if it has none yet)."""
        mine = self.projects_of.get(org.key)
        if mine and self.rng.random() < 0.8:
            return self.rng.choice(mine)
        return self.new_project(coordinator=org)

    def facilities(self) -> None:
        vendors = {k: self.new_org(country=c, kind="company", key=k) for k, (c, _) in S.ACCELERATOR_VENDORS.items()}
        vendor = Weighted({k: w for k, (_, w) in S.ACCELERATOR_VENDORS.items()})
        names = self.anchors.get("facility", [])
        self.facility = Weighted()
        for n, (country, kind, eurohpc, weight) in enumerate(S.FACILITY_SITES):
            key = names[n] if n < len(names) else f"facility-{n:03d}"
            operator = self.new_org(country=country, kind="research-organisation" if eurohpc else "company")
            node = E.facility(self.sink, key, country=country, kind=kind, eurohpc=eurohpc, operator=operator,
                              vendor=vendors[vendor.draw(self.rng)])
            self.facility.add(node, weight)

    # -- reference data and anchors ----------------------------------------------------------------------------------
    def reference(self) -> None:
        countries = {*S.ORG_COUNTRIES, *S.ROOT_COUNTRIES, *S.EU27, *(c for c, *_ in S.FACILITY_SITES),
                     *(c for c, _ in S.ACCELERATOR_VENDORS.values()), *self._anchor_countries().values()}
        for source, triples in reference(countries=sorted(countries), languages=sorted(self.languages.values()),
                                         licences=sorted(self.licences), programmes=list(S.PROGRAMMES)).items():
            self.sink.extend(source, triples)

    def _anchor_countries(self) -> dict[str, str]:
        out = {}
        for key in self.anchors.get("organisation", []):
            out[key] = self.known_countries.get(key) or self.root_country.draw(random.Random(key))
        return out

    def seed_anchors(self) -> None:
        """Give the anchor ids to entities that make the questions about them answer.

        Anchor organisations publish base models (and keep the control relations their curated record gives);
        anchor models sit three steps below the first base model, published in the EU, and are made popular
        parents so that they have both an upstream and a downstream.
        """
        for key, country in self._anchor_countries().items():
            org = self.new_org(country=country, kind="company", key=key)
            self._curated_control(org)
            self.root_model(org)
        for repo in self.anchors.get("model", []):
            parent = self.roots[0]
            for _ in range(2):
                self.derivative(parent=parent)
                parent = len(self.models) - 1
            self.derivative(repo=repo, org=self.new_org(country=self.rng.choice(S.EU27), kind="company"), parent=parent)
            self.family_urn[0].extend([len(self.models) - 1] * 20)
        for key in self.anchors.get("project", []):
            self.new_project(key)

    def _curated_control(self, org: E.Org) -> None:
        """The control relations of a real curated organisation, with its controllers as organisations."""
        record = next((r for r in records("organisations") if r["id"] == org.key), None)
        for item in (record or {}).get("controlled_by") or []:
            controller = self.new_org(country=self.known_countries.get(item["org"]) or org.country, kind="company",
                                      key=item["org"])
            self.root_orgs.append(controller)
            E.control(self.sink, org, controller, since=str(item.get("since") or "2020"),
                      until=str(item["until"]) if item.get("until") else None)
