"""What the openness indexes (OSAI Index, Opening up ChatGPT, Model Openness Tool) share: YAML read with line
numbers, links and Hugging Face ids, resolving model and organisation names without guessing, and live mode from a
GitHub repository tarball.

A name resolves through the reviewed alias tables, or through a Hugging Face id in a link whose repository name
contains the stated name; anything else gets an IRI scoped to the source (``<source>/<slug>``) and is reported.

>>> hf_id("https://huggingface.co/TildeAI/TildeOpen-30b/tree/main"), hf_id("https://huggingface.co/datasets/x/y")
('TildeAI/TildeOpen-30b', None)
>>> hf_id("https://huggingface.co/xverse/XVERSE-65B-Chat-GGUF · Hugging Face"), hf_id("mistralai/Mixtral-8x7B-v0.1")
('xverse/XVERSE-65B-Chat-GGUF', 'mistralai/Mixtral-8x7B-v0.1')
>>> names_match("Teuken-7B-instruct", "openGPT-X/Teuken-7B-instruct-commercial-v0.4")
True
>>> names_match("CodeGemma-2B", "google/codegemma-7b")
False
>>> str(url("tilde.ai")), url("hhttps://github.com/x"), is_name("Unknown"), is_name("Command A?")
('https://tilde.ai', None, False, False)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from euaigraph.ontology import iri
from euaigraph.ontology.vocab import EAI

from .aliases import aliases
from .base import Feed, Report, Triple
from .fetch import extract_tarball, fetch
from .normalise import fold
from . import safe_yaml

#: Values that say a name is not known rather than naming something.
NOT_NAMES = {"", "-", "unknown", "undisclosed", "unclear", "unspecified", "none", "n/a", "na", "various",
             "international", "other"}
_HF_RESERVED = {"datasets", "spaces", "docs", "papers", "collections", "blog", "models", "organizations", "tasks",
                "learn", "settings", "join", "login", "pricing"}
_HF = re.compile(r"^https?://(?:www\.)?huggingface\.co/([^/\s#?]+)/([^/\s#?]+)")
_BARE_REPO = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$", re.I)
_PARTS = re.compile(r"\s*(?:,|&|\band\b)\s*")


# -- small readers ----------------------------------------------------------------------------------------------
def hf_id(link: Any) -> str | None:
    """The ``owner/name`` of a Hugging Face model URL (or a bare ``owner/name``); None for datasets, docs, pages."""
    text = str(link or "").split(" · ")[0].strip()  # some feeds paste the page title after the URL
    if _BARE_REPO.match(text):
        return text
    match = _HF.match(text)
    return None if not match or match.group(1).lower() in _HF_RESERVED else f"{match.group(1)}/{match.group(2)}"


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def names_match(name: str, repo_id: str, *, reverse: bool = False) -> bool:
    """A repository belongs to a stated name if its name part contains the name (ignoring case and punctuation);
    with ``reverse``, if the name contains the repository's whole name part (the name spells the model out).

    >>> names_match("Mistral", "mistralai/mistral-7b-v0.1", reverse=True), names_match("gemma-2b", "google/gemma-2b")
    (False, True)
    """
    inner, outer = _squash(name), _squash(repo_id.split("/")[-1])
    if reverse:
        inner, outer = outer, inner
    return bool(inner) and inner in outer


def url(value: Any) -> URIRef | None:
    """An http(s) URL as given, a bare domain as https; None for anything else (kept as text by the caller)."""
    text = str(value or "").split(" · ")[0].strip()
    if not text or any(c in text for c in ' <>"{}|\\^`'):
        return None
    if _DOMAIN.match(text):
        text = f"https://{text}"
    parsed = urlparse(text)
    return URIRef(text) if parsed.scheme in ("http", "https") and parsed.netloc else None


def links(value: Any) -> list[str]:
    """A link field that may be empty, a string or a list, as a list of non-empty strings."""
    items = value if isinstance(value, list) else [value]
    return [str(item).strip() for item in items if item is not None and str(item).strip()]


def is_name(value: Any) -> bool:
    """Whether a value names something (not empty, not 'unknown', not a guess ending in '?')."""
    return value is not None and fold(str(value)) not in NOT_NAMES and "?" not in str(value)


def split_names(text: str) -> list[str]:
    """'LLaMA & BLOOMZ', 'AI Sweden, RISE' -> their parts."""
    return [part.strip() for part in _PARTS.split(text) if part.strip()]


def load_with_lines(text: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse YAML and record the line of every key (and list item) three levels deep. Raises yaml.YAMLError."""
    root, data = safe_yaml.load_with_node(text)
    lines: dict[tuple[Any, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[Any, ...]) -> None:
        if len(path) > 3:
            return
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[(*path, key.value)] = key.start_mark.line + 1
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for n, item in enumerate(node.value):
                lines[(*path, n)] = item.start_mark.line + 1
                walk(item, (*path, n))

    if root is not None:
        walk(root, ())
    return data, lines


def yaml_problem(exc: yaml.YAMLError) -> tuple[int, str]:
    """The line and the message of a YAML error."""
    return safe_yaml.problem(exc)


# -- identity ---------------------------------------------------------------------------------------------------
def resolve_model(source_id: str, report: Report, name: str, candidates: list[Any], where: str,
                  *, scoped: bool = True) -> tuple[URIRef | None, list[Triple]]:
    """A model by reviewed alias, else by a matching Hugging Face id among ``candidates``, else a scoped IRI.

    An unresolved name is reported; with ``scoped=False`` it gets no node at all (for fields too loose to name one).
    """
    table = aliases("models")
    known = table.resolve(name)
    if known:
        node = iri.model_iri(known)
        return node, [(node, RDF.type, EAI.AIModel)]
    for link in candidates:
        repo = hf_id(link)
        if repo and names_match(name, repo):
            known = table.by_identifier("hf", repo) or table.resolve(repo)
            node = iri.model_iri(known or repo)
            extra = [] if known else [(node, RDFS.label, Literal(name)), (node, EAI.huggingFaceId, Literal(repo))]
            return node, [(node, RDF.type, EAI.AIModel), *extra]
    report.unresolved_name(name, "model", where)
    if not scoped:
        return None, []
    node = iri.model_iri(f"{source_id}/{iri.slug(name)}")
    return node, [(node, RDF.type, EAI.AIModel), (node, RDFS.label, Literal(name))]


def resolve_orgs(source_id: str, report: Report, name: str, where: str) -> tuple[list[URIRef], list[Triple]]:
    """The organisations a name stands for: one reviewed alias, or parts that all are; else one scoped IRI."""
    if not is_name(name):
        return [], []
    table = aliases("organisations")
    whole = table.resolve(name)
    ids = [whole] if whole else [table.resolve(part) for part in split_names(name)]
    if ids and all(ids):
        nodes = [iri.org_iri(i) for i in dict.fromkeys(ids)]
        return nodes, [(node, RDF.type, EAI.Organisation) for node in nodes]
    report.unresolved_name(name, "organisation", where)
    node = iri.org_iri(f"{source_id}/{iri.slug(name)}")
    return [node], [(node, RDF.type, EAI.Organisation), (node, RDFS.label, Literal(name))]


def link_triples(subject: URIRef, value: Any, predicate: URIRef | None = None) -> list[Triple]:
    """Links as ``predicate`` (default: repository for Hugging Face / GitHub, else homepage); other text as a note."""
    out: list[Triple] = []
    for text in links(value):
        target = url(text)
        if target is None:
            out.append((subject, EAI.note, Literal(f"link: {text}")))
        elif predicate is not None:
            out.append((subject, predicate, target))
        else:
            host = urlparse(str(target)).netloc
            out.append((subject, EAI.repository if host.endswith(("huggingface.co", "github.com")) else EAI.homepage,
                        target))
    return out


# -- live mode --------------------------------------------------------------------------------------------------
def tarball_url(repo: str) -> str:
    """The GitHub API URL of the default branch's tarball of ``owner/name``."""
    return f"https://api.github.com/repos/{repo}/tarball"


def fetch_github(source_id: str, repo: str, cache_dir: Path, *, tarball: str | None = None) -> Feed:
    """Download the repository tarball (cached, conditional), extract it, and name its commit as the version."""
    entry = fetch(source_id, tarball or tarball_url(repo), Path(cache_dir))
    tree = extract_tarball(source_id, entry)
    tops = [p for p in tree.iterdir() if p.is_dir()]
    root = tops[0] if len(tops) == 1 else tree
    feed = entry.feed(root)
    sha = root.name.rsplit("-", 1)[-1]  # GitHub names the folder <owner>-<repo>-<sha>
    if len(tops) == 1 and re.fullmatch(r"[0-9a-f]{7,40}", sha):
        return Feed(path=feed.path, url=feed.url, retrieved_at=feed.retrieved_at, version=f"git:{sha}")
    return feed
