"""The explicit registry of sources. A source exists when its module is listed here; a test checks that every
module in ``ingest/sources`` is listed and that every listed module declares a valid :class:`SourceSpec`.

>>> "curated-models" in source_ids()
True
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from pathlib import Path

from .base import Feed, SourceSpec

#: Modules of ``euaigraph.ingest.sources``, in build order (reference data first, then curated facts, then feeds).
MODULES: tuple[str, ...] = (
    "ontology",
    "countries",
    "languages",
    "translations",
    "licences",
    "blocs",
    "curated",
    "osai_index",
    "model_openness_tool",
    "cordis",
    "data_europa",
    "eu_vocabularies",
    "spdx",
    "ecosystem_graphs",
    "epoch_ai",
    "huggingface",
)


class UnknownSourceError(KeyError):
    """No registered source has this id."""

    def __str__(self) -> str:
        return f"no source {self.args[0]!r}; known sources: {', '.join(source_ids())}"


@cache
def sources() -> dict[str, SourceSpec]:
    """Every registered source by id, in registry order."""
    out: dict[str, SourceSpec] = {}
    for name in MODULES:
        module = import_module(f"euaigraph.ingest.sources.{name}")
        specs = getattr(module, "SOURCES", None) or (module.SOURCE,)
        for spec in specs:
            if spec.id in out:
                raise ValueError(f"source id {spec.id!r} is declared twice (second time in {name})")
            out[spec.id] = spec
    return out


def source_ids() -> list[str]:
    return list(sources())


def get(source_id: str) -> SourceSpec:
    try:
        return sources()[source_id]
    except KeyError:
        raise UnknownSourceError(source_id) from None


def shipped() -> list[SourceSpec]:
    """The sources ``euaigraph build`` loads from files shipped with the package."""
    return [spec for spec in sources().values() if spec.shipped]


def build_jobs(*, feeds: Path | None = None, only: tuple[str, ...] | None = None) -> list[tuple[SourceSpec, Feed]]:
    """What ``euaigraph build`` ingests: every shipped source from its shipped file, then, given the folder of
    recorded feeds (``../shared/data``), every source whose recording is in it (``only``: just these source ids).

    Raises FileNotFoundError when ``feeds`` is not a folder.
    """
    jobs = [(spec, Feed.from_path(spec.shipped_path())) for spec in shipped()]
    if feeds is not None:
        if not Path(feeds).is_dir():
            raise FileNotFoundError(f"no such folder: {feeds}")
        jobs += [(spec, Feed.from_path(Path(feeds) / spec.recorded_folder)) for spec in sources().values()
                 if spec.recorded_folder and (only is None or spec.id in only)
                 and (Path(feeds) / spec.recorded_folder).exists()]
    return jobs
