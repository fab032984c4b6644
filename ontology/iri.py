"""Minting instance IRIs. Every IRI in the graph that names one of our things is made here.

Keys are normalised so that the same thing seen by different feeds gets the same IRI:

>>> str(model_iri("utter-project/EuroLLM-9B"))
'https://w3id.org/euaigraph/id/model/utter-project/eurollm-9b'
>>> str(org_iri("mistral-ai"))
'https://w3id.org/euaigraph/id/org/mistral-ai'
>>> str(country_iri("fra"))
'http://publications.europa.eu/resource/authority/country/FRA'
>>> str(licence_iri("Apache-2.0"))
'http://spdx.org/licenses/Apache-2.0'
>>> str(licence_iri("LicenseRef-Llama-2-Community"))
'https://w3id.org/euaigraph/id/licence/LicenseRef-Llama-2-Community'
>>> slug("Tilde.ai  Open (30B)")
'tilde.ai-open-30b'
>>> source_graph_iri("osai-index", "20261127T053000Z-1a2b")
rdflib.term.URIRef('https://w3id.org/euaigraph/graph/osai-index/20261127T053000Z-1a2b')
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from rdflib import URIRef

from .namespaces import COUNTRY, GRAPH, ID, LANGUAGE, SPDX_LICENCE

_SLUG_DROP = re.compile(r"[^a-z0-9._/-]+")
_DASHES = re.compile(r"-{2,}")
_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9._-]+)?$")
_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def slug(text: str) -> str:
    """A lowercase ASCII key made of letters, digits, ``.``, ``_``, ``-`` and ``/``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    lowered = _SLUG_DROP.sub("-", ascii_text.strip().lower())
    return _DASHES.sub("-", lowered).strip("-/")


def _kind_iri(kind: str, key: str) -> URIRef:
    return URIRef(f"{ID}{kind}/{quote(key, safe='/._-')}")


def model_key(repo_or_slug: str) -> str:
    """The model key: a Hugging Face repo id, or ``developer/name``, lowercased and slugged.

    >>> model_key(" Mistralai/Mistral-7B-v0.1 ")
    'mistralai/mistral-7b-v0.1'
    """
    return "/".join(slug(part) for part in repo_or_slug.strip().split("/") if part.strip())


def model_iri(repo_or_slug: str) -> URIRef:
    return _kind_iri("model", model_key(repo_or_slug))


def org_iri(key: str) -> URIRef:
    return _kind_iri("org", slug(key))


def person_iri(key: str) -> URIRef:
    return _kind_iri("person", slug(key))


def family_iri(key: str) -> URIRef:
    return _kind_iri("family", slug(key))


def dataset_iri(key: str) -> URIRef:
    return _kind_iri("dataset", model_key(key))


def facility_iri(key: str) -> URIRef:
    return _kind_iri("facility", slug(key))


def programme_iri(key: str) -> URIRef:
    return _kind_iri("programme", slug(key))


def project_iri(key: str) -> URIRef:
    return _kind_iri("project", slug(key))


def policy_iri(key: str) -> URIRef:
    return _kind_iri("policy", slug(key))


def software_iri(key: str) -> URIRef:
    return _kind_iri("software", slug(key))


def deployment_iri(key: str) -> URIRef:
    return _kind_iri("deployment", model_key(key))


def licence_family_iri(name: str) -> URIRef:
    """A licence family ("Llama": every version of the Llama community licence).

    >>> str(licence_family_iri("Llama"))
    'https://w3id.org/euaigraph/id/licence-family/llama'
    """
    return _kind_iri("licence-family", slug(name))


def bloc_iri(key: str) -> URIRef:
    return _kind_iri("bloc", slug(key))


def source_iri(source_id: str) -> URIRef:
    """The IRI of a registered source (``id/source/<id>``)."""
    return _kind_iri("source", check_source_id(source_id))


def concept_iri(scheme: str, key: str) -> URIRef:
    """A concept of one of our schemes (openness dimensions, MOF components)."""
    return _kind_iri(f"concept/{slug(scheme)}", slug(key))


def record_iri(source_id: str, key: str) -> URIRef:
    """A source record: one file, row or response of a source."""
    return _kind_iri(f"record/{check_source_id(source_id)}", model_key(key))


def node_iri(kind: str, *parts: str) -> URIRef:
    """An IRI for an n-ary node (a participation, a membership, an assessment) from its defining parts."""
    return _kind_iri(slug(kind), "/".join(slug(p) for p in parts))


def licence_iri(licence_id: str) -> URIRef:
    """SPDX ids map to the SPDX licence IRI; ``LicenseRef-*`` ids to ours. Case is kept as written."""
    licence_id = licence_id.strip()
    if licence_id.startswith("LicenseRef-"):
        return URIRef(f"{ID}licence/{quote(licence_id, safe='._-+')}")
    return SPDX_LICENCE[quote(licence_id, safe="._-+")]


def country_iri(alpha3: str) -> URIRef:
    """EU Vocabularies country IRI from an ISO 3166-1 alpha-3 (= EU NAL authority) code."""
    code = alpha3.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{3}", code):
        raise ValueError(f"not an alpha-3 country code: {alpha3!r}")
    return COUNTRY[code]


def language_iri(nal_code: str) -> URIRef:
    """EU Vocabularies language IRI from its authority code (``FIN``, ``ELL``)."""
    code = nal_code.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"not a language authority code: {nal_code!r}")
    return LANGUAGE[code]


def check_source_id(source_id: str) -> str:
    """Source ids are short lowercase words joined by hyphens; anything else is refused."""
    if not _SOURCE_ID.fullmatch(source_id):
        raise ValueError(f"not a valid source id: {source_id!r}")
    return source_id


def source_graph_iri(source_id: str, run_id: str) -> URIRef:
    """The named graph holding one run of one source."""
    if not re.fullmatch(r"[A-Za-z0-9-]+", run_id):
        raise ValueError(f"not a valid run id: {run_id!r}")
    return GRAPH[f"{check_source_id(source_id)}/{run_id}"]


def is_valid_key(key: str) -> bool:
    """Whether a curated id is already in normal form.

    >>> is_valid_key("utter-project/eurollm-9b"), is_valid_key("EuroLLM 9B")
    (True, False)
    """
    return bool(_KEY.fullmatch(key))


#: kind code (see ``ontology.reference.kinds``) -> how an id of that kind becomes an IRI; ``org`` is short for
#: ``organisation``.
MAKERS = {"model": model_iri, "organisation": org_iri, "org": org_iri, "person": person_iri, "family": family_iri,
          "dataset": dataset_iri, "facility": facility_iri, "programme": programme_iri, "project": project_iri,
          "policy": policy_iri, "software": software_iri, "licence": licence_iri,
          "licence-family": licence_family_iri, "bloc": bloc_iri, "country": country_iri}


def from_reference(text: str, *, default_kind: str | None = None) -> URIRef:
    """An IRI from ``kind:id`` (``org:meta``, ``licence-family:Llama``), from an IRI of ours, or from a bare id of
    ``default_kind``. Raises ValueError naming the kinds it knows.

    >>> str(from_reference("licence-family:Llama")), str(from_reference("org:meta"))
    ('https://w3id.org/euaigraph/id/licence-family/llama', 'https://w3id.org/euaigraph/id/org/meta')
    >>> str(from_reference("Apache-2.0", default_kind="licence"))
    'http://spdx.org/licenses/Apache-2.0'
    """
    text = text.strip()
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    kind, sep, key = text.partition(":")
    if sep and kind in MAKERS and key.strip():
        return MAKERS[kind](key.strip())
    if default_kind in MAKERS and text:
        return MAKERS[default_kind](text)
    raise ValueError(f"{text!r} is neither an IRI nor kind:id (kinds: {', '.join(sorted(MAKERS))})")
