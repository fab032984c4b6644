"""Reading the names the model feeds write: size qualifiers, lists of models, placeholders, anonymised entries.

Pure text rules, no look-ups: :mod:`euaigraph.ingest.identity` uses them to decide what may be matched to what.

>>> sorted(sizes("Llama 3.1 405B")), sorted(sizes("mistralai/Mixtral-8x7B-v0.1")), sorted(sizes("Qwen3-30B-A3B"))
(['405b'], ['8x7b'], ['30b'])
>>> sizes_conflict("Llama 3.1 405B", "meta-llama/Llama-3.1-8B"), sizes_conflict("Llama 3.1 405B", "Llama 3.1")
(True, False)
>>> model_list("various (pythia, flan, OPT)")
ModelList(names=('pythia', 'flan', 'OPT'), hedged=True, problem=None)
>>> model_list("Llama 2-13B,CLIP (ViT L/14@336px)").names
('Llama 2-13B', 'CLIP (ViT L/14@336px)')
>>> model_list("GPT-4o (Jan 2025)").names, model_list("unknown").names
(('GPT-4o (Jan 2025)',), ())
>>> is_placeholder("Unknown"), is_placeholder("n/a"), is_anonymised("Anonymized Chinese System")
(True, True, True)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")
#: A parameter count in a name: 405B, 1.3b, 350M, 1.6T, 8x7B (mixture of experts). Not A3B (active parameters),
#: not the 4k of a context length, not a version (v0.1).
_SIZE = re.compile(r"(?<![a-z0-9.])(\d+(?:\.\d+)?(?:x\d+(?:\.\d+)?)?)\s?([bmt])(?![a-z0-9])")
#: Text that stands where a name should be and names nothing.
PLACEHOLDERS = frozenset({"", "-", "?", "unknown", "none", "n/a", "na", "tbd", "unspecified", "not specified",
                          "undisclosed", "various", "several", "multiple", "other", "others", "in-house",
                          "proprietary", "internal"})
#: Words in front of a list that say the record does not name one model ("various (pythia, flan, OPT)").
_HEDGES = ("various", "several", "multiple", "many", "mixture of", "mix of", "including", "such as", "e.g.", "eg",
           "among others", "a combination of", "combination of")
_ANONYMISED = re.compile(r"\banonymi[sz]ed\b|\banonymous\b|\bundisclosed\b", re.I)
_TRAILING_ETC = re.compile(r"[,;\s]*(?:etc\.?|and others|and more|\.\.\.|…)\s*$", re.I)
#: Longer text is not a list of model names (and is not searched, so no pattern runs over a whole field).
MAX_LIST_TEXT = 1000


def name_form(text: object) -> str:
    """A name as written, with Unicode compatibility forms and runs of white space made one; case is kept.

    >>> name_form("  GPT-J \\u00a0 6B "), name_form("gpt-j 6b") == name_form("GPT-J 6B")
    ('GPT-J 6B', False)
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", str(text))).strip()


def sizes(text: object) -> frozenset[str]:
    """The parameter-count qualifiers in a name or repository id, lower case."""
    found = _SIZE.findall(unicodedata.normalize("NFKC", str(text)).casefold())
    return frozenset(f"{number}{unit}" for number, unit in found)


def sizes_conflict(name: object, *targets: object) -> bool:
    """Whether ``name`` states a size and the targets state only other sizes: 405B is never 8B."""
    own = sizes(name)
    theirs = frozenset().union(*(sizes(t) for t in targets if t)) if targets else frozenset()
    return bool(own and theirs and not own & theirs)


def is_placeholder(text: object) -> bool:
    return name_form(text).casefold() in PLACEHOLDERS


def is_anonymised(text: object) -> bool:
    """A name that says the record's subject is withheld: every such record is its own thing."""
    return bool(_ANONYMISED.search(str(text)))


@dataclass(frozen=True)
class ModelList:
    """What a lineage or dependency text names: model names, whether it hedges ("various ..."), or why it
    cannot be read as names at all."""

    names: tuple[str, ...]
    hedged: bool = False
    problem: str | None = None


def model_list(text: object) -> ModelList:
    """The model names in free text: one name, a comma/semicolon/"and" list, or a hedged list ("various (a, b)",
    "a, b etc."). Parentheses that qualify one name ("GPT-4o (Jan 2025)") stay with it.

    >>> model_list("Qwen2-72B,InternViT-6B")
    ModelList(names=('Qwen2-72B', 'InternViT-6B'), hedged=False, problem=None)
    >>> model_list("pythia, flan and OPT etc.")
    ModelList(names=('pythia', 'flan', 'OPT'), hedged=True, problem=None)
    >>> model_list("GPT (3, 4)").problem
    "'GPT (3, 4)' lists several things in parentheses after a name: which model it names cannot be told"
    >>> model_list("(unclosed, list").problem
    "'(unclosed, list' has unbalanced parentheses"
    >>> model_list("a," * 600).problem.endswith("characters long, not a list of model names")
    True
    """
    raw = name_form(text)
    if is_placeholder(raw):
        return ModelList(())
    if len(raw) > MAX_LIST_TEXT:
        return ModelList((), problem=f"{raw[:60]!r}... is {len(raw)} characters long, not a list of model names")
    body, hedged = _TRAILING_ETC.sub("", raw), bool(_TRAILING_ETC.search(raw))
    if body.count("(") != body.count(")"):
        return ModelList((), problem=f"{raw[:120]!r} has unbalanced parentheses")
    lowered = body.casefold()
    hedge = next((h for h in _HEDGES if lowered.startswith(h)), None)
    if hedge:
        hedged, body = True, body[len(hedge):].strip(" :")
        if body.startswith("(") and body.endswith(")"):
            body = body[1:-1]
    names: list[str] = []
    for part in _split_outside_parentheses(body):
        inner = re.fullmatch(r"(.*?)\s*\((.*)\)", part)
        if inner and len(_split_outside_parentheses(inner.group(2))) > 1:
            if inner.group(1).casefold() not in _HEDGES:
                return ModelList((), problem=f"{part[:120]!r} lists several things in parentheses after a name: "
                                             "which model it names cannot be told")
            hedged = True
            names += _split_outside_parentheses(inner.group(2))
        elif not is_placeholder(part):
            names.append(part)
    return ModelList(tuple(dict.fromkeys(names)), hedged=hedged)


def _split_outside_parentheses(text: str) -> list[str]:
    """Parts of a list separated by ``,``, ``;``, `` and `` or `` & `` at parenthesis depth 0."""
    parts, depth, start = [], 0, 0
    separators = re.compile(r",|;|\s+and\s+|\s+&\s+", re.I)
    position = 0
    while position < len(text):
        char = text[position]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            match = separators.match(text, position)
            if match:
                parts.append(text[start:position])
                start = position = match.end()
                continue
        position += 1
    parts.append(text[start:])
    return [name_form(p) for p in parts if name_form(p)]
