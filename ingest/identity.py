"""Matching the things the model feeds (Hugging Face, Ecosystem Graphs, Epoch AI) name to shared ids.

The Hugging Face repository id is tried first, because it is an identifier; then the reviewed alias tables; a name
neither matches gets an IRI scoped to its source and its developer (``<source>/<developer>/<name>``) and is reported
by the caller, never merged by guess. Which match is allowed when (sizes, developers, case) is
:mod:`euaigraph.ingest.evidence`. Nodes of curated things are typed but not labelled (the curated graph names them).

>>> hf_repo_from_url("https://huggingface.co/mistralai/Mistral-7B-v0.1/discussions")
('model', 'mistralai/Mistral-7B-v0.1')
>>> hf_repo_from_url("https://huggingface.co/datasets/allenai/c4")
('dataset', 'allenai/c4')
>>> hf_repo_from_url("https://huggingface.co/spaces/a/b"), hf_repo_from_url("https://huggingface.co/Qwen")
(None, None)
>>> names_match("Mistral", "mistralai/Mistral-7B-v0.1"), names_match("ChatGLM", "THUDM/glm-4-9b")
(True, False)
>>> web_url("https://mistral.ai/news/"), web_url("see https://x.org"), web_url(None)
('https://mistral.ai/news/', None, None)
>>> language_id("fi"), language_id("en-GB"), language_id("yue"), language_id("code")
('FIN', 'ENG', None, None)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import cache
from typing import Any
from urllib.parse import urlparse

import pycountry
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .aliases import aliases
from .base import Report, Triple
from .normalise import LicenceResolution, eu_languages, resolve_country, resolve_language, resolve_licence

#: First path segments of huggingface.co pages that are not repositories.
_NOT_REPOS = {"datasets", "spaces", "collections", "docs", "blog", "papers", "organizations", "models", "api",
              "settings", "join", "login", "tasks", "learn", "posts", "chat", "pricing", "search"}
_HUB_HOSTS = {"huggingface.co", "www.huggingface.co", "hf.co"}
_REPO_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_UNSAFE_IN_IRI = re.compile(r"[\s<>\"{}|\\^`]")


def hf_repo_from_url(url: Any) -> tuple[str, str] | None:
    """``(kind, repo id)`` for a huggingface.co model or dataset repository URL, else None."""
    parsed = urlparse(str(url or "").strip())
    if parsed.scheme not in ("http", "https") or parsed.hostname not in _HUB_HOSTS:
        return None
    parts = [p for p in parsed.path.split("/") if p]
    kind = "model"
    if parts[:1] == ["datasets"]:
        kind, parts = "dataset", parts[1:]
    # Owner-less legacy names (huggingface.co/gpt2, /datasets/c4) cannot be told from organisation pages: skipped.
    if len(parts) < 2 or parts[0] in _NOT_REPOS or not all(_REPO_PART.match(p) for p in parts[:2]):
        return None
    return kind, f"{parts[0]}/{parts[1]}"


def names_match(name: str, repo_id: str) -> bool:
    """Whether a feed's name is part of a repository's name (letters and digits only), so a link is the thing's own."""
    wanted = _squash(name)
    return bool(wanted) and wanted in _squash(repo_id.split("/")[-1])


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).casefold())


def web_url(text: Any) -> str | None:
    """An http(s) URL that can be written as an IRI, else None."""
    candidate = str(text or "").strip()
    parsed = urlparse(candidate)
    ok = parsed.scheme in ("http", "https") and parsed.netloc and not _UNSAFE_IN_IRI.search(candidate)
    return candidate if ok else None


def is_repo_id(text: Any) -> bool:
    """``owner/name`` (or a legacy single name such as ``mc4``) in Hub syntax."""
    parts = str(text).strip().split("/")
    return 1 <= len(parts) <= 2 and all(_REPO_PART.match(p) for p in parts)


def model_for_hf(repo_id: str) -> tuple[URIRef, bool]:
    """The model IRI for a Hub repo id and whether it is curated (a reviewed alias may point elsewhere)."""
    curated = aliases("models").resolve(repo_id)
    return iri.model_iri(curated or repo_id), curated is not None


def dataset_for_hf(repo_id: str) -> tuple[URIRef, bool]:
    curated = aliases("datasets").resolve(repo_id)
    return iri.dataset_iri(curated or repo_id), curated is not None


def name_key(name: str, *, cased: bool = False) -> str:
    """A key for a name that keeps names apart which a plain slug would merge (``Command R`` / ``Command R+``);
    ``cased`` also keeps apart names that differ only in case (``GPT-J`` / ``gpt-j``), for a feed that has both.

    >>> name_key("Mistral Large"), name_key("Command R"), name_key("Command R+")
    ('mistral-large', 'command-r', 'command-r-505064')
    >>> name_key("GPT-J", cased=True) != name_key("gpt-j", cased=True), name_key("GPT J", cased=True) == name_key("GPT-J", cased=True)
    (True, True)
    """
    key = iri.slug(name.replace("/", " "))
    plain = re.sub(r"\s+", "-", name.strip().casefold())
    key = key if plain == key else f"{key}-{_short_hash(name.strip())}"
    return f"{key}-{_short_hash(case_signature(name))}" if cased else key


def case_signature(name: str) -> str:
    """The letters and digits of a name, case kept: names with one signature are one name however spaced.

    >>> case_signature("Mistral-Large"), case_signature("mistral large")
    ('MistralLarge', 'mistrallarge')
    """
    return re.sub(r"[\W_]+", "", str(name))


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:6]


def scoped(make_iri: Any, source_id: str, name: str, *, developer: str | None = None, cased: bool = False
           ) -> URIRef:
    """The IRI of a thing only this source names: ``<kind>/<source>/<developer key>/<name key>``, or
    ``<kind>/<source>/<name key>`` when the record names no developer. Two developers' things of one name stay two.

    >>> str(scoped(iri.model_iri, "epoch-ai", "Luminous", developer="aleph-alpha")).rsplit("/id/", 1)[1]
    'model/epoch-ai/aleph-alpha/luminous'
    """
    key = name_key(name, cased=cased)
    return make_iri(f"{source_id}/{developer}/{key}" if developer else f"{source_id}/{key}")


def org_id(name: str | None, *, hf_org: str | None = None) -> str | None:
    """The id of a curated organisation for a Hub org id (an identifier) or a reviewed name, else None."""
    table = aliases("organisations")
    return ((table.by_identifier("hf", hf_org) if hf_org else None) or table.resolve(name)
            or (table.resolve(hf_org) if hf_org else None))


def developer_key(name: str | None, *, hf_org: str | None = None) -> str | None:
    """The developer part of a scoped key: the curated organisation's id, else a key of the name as written.

    >>> developer_key("Mistral AI"), developer_key("Acme Labs"), developer_key("  ")
    ('mistral-ai', 'acme-labs', None)
    """
    found = org_id(name, hf_org=hf_org)
    written = (hf_org or name or "").strip()
    return found or (name_key(written) if written else None)


def org_node(name: str | None, *, source_id: str, report: Report, where: str, hf_org: str | None = None
             ) -> tuple[URIRef, list[Triple]]:
    """An organisation by Hub org id or reviewed alias; otherwise a node scoped to the source, reported."""
    found = org_id(name, hf_org=hf_org)
    if found:
        node = iri.org_iri(found)
        return node, [(node, RDF.type, EAI.Organisation)]
    key = (hf_org or name or "").strip()  # a Hub org id is the identity; a display name only labels it
    report.unresolved_name(key, "organisation", where)
    node = scoped(iri.org_iri, source_id, key)
    triples = [(node, RDF.type, EAI.Organisation), (node, RDFS.label, Literal(key))]
    if hf_org:
        triples.append((node, EAI.huggingFaceId, Literal(hf_org)))
        if name and name.strip() != hf_org:
            triples.append((node, SKOS.altLabel, Literal(name.strip())))
    return node, triples


def entity(node: URIRef, klass: URIRef, label: str | None, curated: bool) -> Iterator[Triple]:
    """Type a node; label it only when it is not curated."""
    yield node, RDF.type, klass
    if label and not curated:
        yield node, RDFS.label, Literal(str(label).strip())


def country_id(text: str) -> str | None:
    """An ISO 3166-1 alpha-3 code the ``countries`` source defines, for a name, code or reviewed alias."""
    code = resolve_country(text)
    return code if code and pycountry.countries.get(alpha_3=code) is not None else None


def language_id(code: Any) -> str | None:
    """A language authority code the ``languages`` source defines (EU languages or ISO 639-1), else None."""
    for text in (str(code).strip(), re.split(r"[-_]", str(code).strip())[0]):
        nal = resolve_language(text)
        if nal and (nal in eu_languages().values() or _has_alpha2(nal)):
            return nal
    return None


def _has_alpha2(nal: str) -> bool:
    language = pycountry.languages.get(alpha_3=nal.lower())
    return bool(language and getattr(language, "alpha_2", None))


@cache
def licence(text: str) -> LicenceResolution:
    """:func:`~euaigraph.ingest.normalise.resolve_licence`, remembered: feeds repeat the same few hundred strings,
    and an SPDX expression parse of an unknown one costs a tenth of a second."""
    return resolve_licence(text)
