"""Reference data for a synthetic graph: the real reference sources (countries, languages, SPDX licences, blocs,
curated model licences and programmes), parsed by their own parsers and cut down to the entities the synthetic
graph uses, so the vocabulary and IRIs are exactly those of a real build.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from rdflib import URIRef
from rdflib.namespace import RDF

from euaigraph.ingest import registry
from euaigraph.ingest.base import Feed, Report, Triple
from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

#: Reference sources taken whole (small, and every row matters for bloc questions).
WHOLE = ("blocs",)


def _feed(source_id: str) -> Feed:
    spec = registry.get(source_id)
    path = spec.shipped_path()
    return Feed(path=path, url=path.as_uri(), retrieved_at=datetime(2026, 11, 27, tzinfo=UTC), version="bench")


def _keep(triples: list[Triple], used: set[URIRef]) -> list[Triple]:
    """Triples about a used entity, or about a record or statement that describes one."""
    helpers = {s for s, p, o in triples if p in (EAI.describes, RDF.subject) and o in used}
    return [t for t in triples if t[0] in used or t[0] in helpers]


def reference(*, countries: Iterable[str], languages: Iterable[str], licences: Iterable[str],
              programmes: Iterable[str]) -> dict[str, list[Triple]]:
    """source id -> its triples about the given countries (alpha-3), languages (NAL codes), licence ids and
    programme keys (plus the whole bloc table)."""
    used = {
        "countries": {iri.country_iri(c) for c in countries},
        "languages": {iri.language_iri(c) for c in languages},
        "licences": {iri.licence_iri(i) for i in licences if not i.startswith("LicenseRef-")},
        "curated-licences": {iri.licence_iri(i) for i in licences if i.startswith("LicenseRef-")},
        "curated-programmes": {iri.programme_iri(p) for p in programmes},
    }
    out: dict[str, list[Triple]] = {}
    for source_id in (*used, *WHOLE):
        spec = registry.get(source_id)
        triples = list(dict.fromkeys(spec.parse(_feed(source_id), Report(source_id))))
        out[source_id] = triples if source_id in WHOLE else _keep(triples, used[source_id])
    return out
