"""A seeded generator of synthetic graphs of the project's shape, sized by triple count.

Models are added one at a time until the files hold the target number of triples. Base models are rare (about
1 in 80) and get a heavy-tailed (Pareto) popularity; a derivative picks a base model by popularity or, less
often, an earlier derivative by preferential attachment, so a few base models collect thousands of derivatives
while most models have none, as in the Hugging Face model tree. Publishers, datasets and projects are reused by
preferential attachment too. Lineage is typed (fine-tune, quantisation, adapter, merge, continued pretraining,
distillation) and always also written as ``eai:derivedFrom``; depth is capped at 10.

Usage::

    python -m bench.generate --triples 1e5 --out /tmp/g --seed 1

writes ``<source>.nt`` per source and ``manifest.json`` (counts, the largest families, fan-out statistics).
``anchors`` give chosen ids (for instance the default parameters of the saved queries) to generated entities,
so the saved questions answer on the synthetic graph.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from . import entities as E
from . import shape as S
from .world import EU, World


class Generator(World):
    """Adds models one at a time: base models and derivatives, with their cards, records and grades."""

    def root_model(self, org: E.Org | None = None) -> E.Model:
        i = len(self.models)
        if org is None:
            reuse = self.root_orgs and self.rng.random() < 0.5
            org = self.rng.choice(self.root_orgs) if reuse else self.new_org(country=self.root_country.draw(self.rng), kind="company")
        if org not in self.root_orgs:
            self.root_orgs.append(org)
        langs = self._root_languages()
        model = E.Model(repo=f"{org.hf}/base-{i}", org=org, depth=0, root=len(self.roots),
                        licence=self.root_licences.draw(self.rng), languages=langs,
                        parameters=float(self.rng.choice((0.5, 1, 2, 3, 7, 8, 13, 34, 70, 180)) * 1e9))
        datasets = [self.new_dataset() for _ in range(self.rng.randint(1, 3))]
        E.hf_model(self.sink, model, parents=[], datasets=datasets, gated=self.rng.random() < 0.3,
                   architecture=f"Arch{i % 17}ForCausalLM")
        previous = self.last_root_of.get(org.key)
        family = self.family_of.get(org.key)
        if family is None or self.rng.random() < 0.3:  # a lab starts a new family now and then
            family = self.family_of[org.key] = E.family(self.sink, f"{org.hf}-family-{i}", org)
            previous = None
        tokenizer = self.models[self.rng.choice(self.roots)].node if self.roots and self.rng.random() < 0.3 else None
        facts = {"family": family, "released": f"{self.rng.randint(2019, 2026)}-{self.rng.randint(1, 12):02d}",
                 "trained_at": [self.facility.draw(self.rng)], "tokenizer_of": tokenizer}
        if previous is not None:  # the next version in the same family
            facts["version_of"] = facts["supersedes"] = self.models[previous].node
        if org.country in EU and self.rng.random() < 0.3:
            facts["funded_by"] = [self.project_for(org)]
        E.curated_model(self.sink, model, **facts)
        self.last_root_of[org.key] = i
        self.roots.append(i)
        self.root_pick.add(len(self.roots) - 1, self.rng.paretovariate(S.ROOT_POPULARITY))
        self.models.append(model)
        return model

    def _root_languages(self) -> tuple[str, ...]:
        if self.rng.random() < S.MULTILINGUAL_ROOT:
            if self.rng.random() < 0.4:
                codes = list(S.EU_LANGUAGES)
            else:
                pool = [*S.EU_LANGUAGES, *S.OTHER_LANGUAGES]
                codes = self.rng.sample(pool, self.rng.randint(5, len(pool)))
        else:
            codes = list({self.single.draw(self.rng) for _ in range(self.rng.randint(1, 3))})
        return tuple(sorted(self.languages[c] for c in codes))

    def _parent(self) -> int:
        """A base model by popularity, then (often) a derivative in its family by preferential attachment."""
        root = self.root_pick.draw(self.rng)
        family = self.family_urn.get(root)
        if not family or self.rng.random() < S.ROOT_PICK:
            return self.roots[root]
        parent = self.rng.choice(family)
        return parent if self.models[parent].depth < S.MAX_DEPTH else self.roots[root]

    def derivative(self, *, repo: str | None = None, org: E.Org | None = None, parent: int | None = None) -> E.Model:
        i = len(self.models)
        first = parent if parent is not None else self._parent()
        relation = self.relation.draw(self.rng)
        parents = [first]
        if relation == "merge":
            parents.append(self._parent())
            parents = list(dict.fromkeys(parents))
        base = self.models[first]
        org = org or self.publisher()
        keep = relation in ("quantisation", "merge") or self.rng.random() < 0.15
        r = self.rng.random()
        langs = base.languages if keep else (() if r < 0.45 else (self.languages[self.single.draw(self.rng)],))
        licence = (base.licence if self.rng.random() < S.KEEP_LICENCE
                   else self.derivative_licence.draw(self.rng))
        model = E.Model(repo=repo or f"{org.hf}/{base.repo.split('/')[1][:24]}-{relation[:5]}-{i}", org=org,
                        depth=1 + max(self.models[p].depth for p in parents), root=base.root, licence=licence,
                        languages=langs, parameters=base.parameters)
        datasets = [self.pick_dataset()] if self.rng.random() < S.TRAINED_ON else []
        E.hf_model(self.sink, model, parents=[(relation, self.models[p]) for p in parents], datasets=datasets,
                   gated=self.rng.random() < 0.05, architecture=None)
        if self.rng.random() < S.CURATED_MODEL or (org.country in EU and self.rng.random() < S.FUNDED):
            funded = org.country in EU and self.rng.random() < 0.7
            E.curated_model(self.sink, model, funded_by=[self.project_for(org)] if funded else None,
                            trained_at=[self.facility.draw(self.rng)] if self.rng.random() < 0.3 else None)
        if self.rng.random() < S.ASSESSED:
            self._assess(model)
        family = self.family_urn.setdefault(model.root, [])
        for p in parents:
            self.children[p] += 1
            if self.models[p].depth > 0 and self.models[p].root == model.root:  # rich get richer in the family
                family.append(p)
        if self.rng.random() < S.URN_ENTRY:
            family.append(i)
        self.models.append(model)
        return model

    def _assess(self, model: E.Model) -> None:
        grades = {d: self.grade.draw(self.rng) for d in S.OPENNESS_DIMENSIONS}
        country = model.org.country if model.org.key not in self.claimed else None  # one claim per organisation
        self.claimed.add(model.org.key)
        if country is not None and self.rng.random() < S.INDEX_DISAGREES:
            country = "USA" if country in EU else self.rng.choice(S.EU27)
        E.assessment(self.sink, model, grades, claimed_country=country)

    # -- the whole graph -------------------------------------------------------------------------------------------
    def step(self) -> None:
        if len(self.roots) < 3 or self.rng.random() < S.ROOT_SHARE:
            self.root_model()
        else:
            self.derivative()


def generate(out: Path, *, triples: int | None = None, models: int | None = None, seed: int = 1,
             anchors: Mapping[str, Sequence[str]] | None = None) -> dict:
    """Write a synthetic graph into ``out`` (one ``<source>.nt`` per source) and return its manifest.

    Stops at ``triples`` triples (within one model's worth) or at ``models`` models, whichever is given.
    """
    if not triples and not models:
        raise ValueError("give a target: triples or models")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.nt"):
        old.unlink()
    gen = Generator(out, seed=seed, anchors=anchors)
    gen.reference()
    E.openness_dimensions(gen.sink, S.OPENNESS_DIMENSIONS)
    gen.funders()
    gen.facilities()
    for _ in range(3):
        gen.root_model()
    gen.seed_anchors()
    while (triples and gen.sink.total < triples) or (models and len(gen.models) < models):
        gen.step()
    gen.sink.close()
    manifest = describe(gen, target=triples, seed=seed)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def describe(gen: Generator, *, target: int | None, seed: int) -> dict:
    """Counts and the shape of the lineage forest, for the runner and for the tests."""
    models = gen.models
    family = Counter(m.root for m in models)
    largest = [models[gen.roots[r]] for r, _ in family.most_common(5)]
    eu = [m for m in models if m.org.country in EU]
    foreign_root = [m for m in eu if m.depth > 0 and models[gen.roots[m.root]].org.country not in EU]
    return {
        "seed": seed, "target_triples": target, "triples": gen.sink.total, "triples_by_source": gen.sink.counts,
        "anchors": gen.anchors, "models": len(models), "base_models": len(gen.roots), "organisations": len(gen.orgs),
        "datasets": len(gen.datasets), "projects": len(gen.projects), "eu_models": len(eu),
        "eu_models_with_foreign_base": len(foreign_root),
        "fan_out": {"max_children": max(gen.children.values(), default=0),
                    "models_without_children": sum(1 for i in range(len(models)) if gen.children[i] == 0),
                    "largest_family_sizes": [family[m.root] for m in largest],
                    "median_family_size": sorted(family.values())[len(family) // 2]},
        "depth_histogram": dict(sorted(Counter(m.depth for m in models).items())),
        "largest_family_base": str(largest[0].node), "largest_family_provider": str(largest[0].org.node),
        "example_eu_model_with_foreign_base": str(foreign_root[0].node) if foreign_root else None,
    }


def size_label(n: int) -> str:
    """``1e6`` for powers of ten, else the number.

    >>> size_label(1_000_000), size_label(25_000)
    ('1e6', '25,000')
    """
    exponent = len(str(n)) - 1
    return f"1e{exponent}" if n == 10**exponent else f"{n:,}"


def parse_size(text: str) -> int:
    """``1e5`` or ``100000`` -> 100000.

    >>> parse_size("1e6"), parse_size("25000")
    (1000000, 25000)
    """
    return int(float(text))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate a synthetic euaigraph graph as N-Triples per source.")
    parser.add_argument("--triples", type=parse_size, help="target triple count, e.g. 1e5")
    parser.add_argument("--models", type=parse_size, help="target model count instead")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    manifest = generate(args.out, triples=args.triples, models=args.models, seed=args.seed)
    print(json.dumps({k: manifest[k] for k in ("triples", "models", "base_models", "organisations", "fan_out")}))


if __name__ == "__main__":
    main()
