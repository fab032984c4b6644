"""The generations of the openness index files and how to tell them apart; each is read with its own meaning.

The European Open Source AI Index keeps one YAML file per assessed system, and its layout changed twice:

- ``2023`` (Opening up ChatGPT, ``projects/*.yaml``): ``project: {name, link, notes, llmbase, rlbase, license}``
  and 14 dimensions (``opencode``, ``llmdata``, ``llmweights``, ``rldata``, ``rlweights``, ``license``, ``code``,
  ``architecture``, ``preprint``, ``paper``, ``modelcard``, ``datasheet``, ``package``, ``api``). ``rlbase`` names
  the instruction (RL) training data.
- ``2024`` (the index's first files, converted from 2023 and still pointing at its criteria): ``system: {name,
  link, type, basemodelname, endmodelname, endmodellicense, releasedate, notes}`` and 14 dimensions with
  ``architecture`` (not ``hardware_architecture``), ``package`` and ``api``, whose block nests a second grade
  (``metaprompt: closed``). ``endmodelname`` holds what ``rlbase`` held: the end model's training data
  (``dolly, anthropic``), never a model, and ``basemodelname`` the base model (or its maker). The model is ``name``.
- ``2025`` (current): ``system`` adds ``performanceclass``; ``endmodelname`` names the end model and
  ``basemodelname`` the base model; ``hardware_architecture`` replaces ``architecture``; ``package`` and ``api``
  were dropped later in 2025 (files of either kind are this generation). Header comments add organisation tags
  and training compute.

:func:`recognise` names the generation of a file from its graded dimensions, or says why it cannot: a file is never
read with another generation's meaning.

>>> recognise({"system": {}, "hardware_architecture": {"class": "open"}}).key
'2025'
>>> recognise({"system": {}, "architecture": {"class": "open"}, "api": {"class": "closed"}}).key
'2024'
>>> recognise({"system": {}, "paper": {"class": "open"}}, "# Organization tags:").key
'2025'
>>> recognise({"project": {}, "opencode": {"class": "open"}}).key
'2023'
>>> print(recognise({"system": {}, "watermark": {"class": "open"}}))
not a known generation of the index: a 'system' file needs an 'architecture' grade or a header naming the Opening up ChatGPT criteria (2024), or a 'hardware_architecture' grade or the osai-index.eu header (2025); found blocks system, watermark
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .emit import date_literal

_A, _D, _X = "Availability", "Documentation", "Access"
_MONTHS = {m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), 1)}


@dataclass(frozen=True)
class Generation:
    """One generation of the index files: its blocks, its dimensions and what its head fields mean."""

    key: str
    #: the source whose files these are, and the scheme its dimension concepts live in
    source_id: str
    scheme: str
    head: str
    #: dimension key -> (label, group), in the files' order
    dimensions: dict[str, tuple[str, str]]
    #: head field naming the model; fields naming its base model(s), and the end model (None: no such field)
    model_field: str
    base_field: str
    end_field: str | None
    licence_field: str
    #: head fields that name training data, with the note they become (never a model)
    data_fields: dict[str, str]
    #: dimensions whose links may hold the end / base model's weights
    weight_links: tuple[str, str]
    #: dimension key -> the closest dimension of the current generation (skos:closeMatch)
    close_match: dict[str, str] = field(default_factory=dict)
    #: whether a base-model field may list several models ("LLaMA & BLOOMZ")
    base_lists: bool = False


CURRENT = Generation(
    "2025", "osai-index", "osai-index", "system",
    {"datasources_basemodel": ("Base Model Data", _A), "datasources_endmodel": ("End User Model Data", _A),
     "weights_basemodel": ("Base Model Weights", _A), "weights_endmodel": ("End User Model Weights", _A),
     "trainingcode": ("Training Code", _A), "code": ("Code Documentation", _D),
     "hardware_architecture": ("Hardware Architecture", _D), "preprint": ("Preprint", _D), "paper": ("Paper", _D),
     "modelcard": ("Modelcard", _D), "datasheet": ("Datasheet", _D), "package": ("Package", _X), "api": ("API", _X),
     "licenses": ("Licenses", _X)},
    "endmodelname", "basemodelname", "endmodelname", "endmodellicense", {}, ("weights_endmodel", "weights_basemodel"))

GEN_2024 = Generation(
    "2024", "osai-index", "osai-index-2024", "system",
    {"datasources_basemodel": ("Base model data", _A), "datasources_endmodel": ("End model (instruction) data", _A),
     "weights_basemodel": ("Base model weights", _A), "weights_endmodel": ("End model weights", _A),
     "trainingcode": ("Training code", _A), "code": ("Code documentation", _D), "architecture": ("Architecture", _D),
     "preprint": ("Preprint", _D), "paper": ("Paper", _D), "modelcard": ("Model card", _D),
     "datasheet": ("Datasheet", _D), "package": ("Package", _X), "api": ("API", _X), "licenses": ("Licences", _X)},
    "name", "basemodelname", None, "endmodellicense", {"endmodelname": "end model training data"},
    ("weights_endmodel", "weights_basemodel"),
    # Our reading of both criteria texts: 2024's architecture covered the system, 2025's hardware architecture too.
    {"datasources_basemodel": "datasources_basemodel", "datasources_endmodel": "datasources_endmodel",
     "weights_basemodel": "weights_basemodel", "weights_endmodel": "weights_endmodel",
     "trainingcode": "trainingcode", "code": "code", "architecture": "hardware_architecture",
     "preprint": "preprint", "paper": "paper", "modelcard": "modelcard", "datasheet": "datasheet",
     "package": "package", "api": "api", "licenses": "licenses"},
    base_lists=True)

LEGACY = Generation(
    "2023", "opening-up-chatgpt", "opening-up-chatgpt", "project",
    {"opencode": ("Open code", _A), "llmdata": ("LLM data", _A), "llmweights": ("LLM weights", _A),
     "rldata": ("RL data", _A), "rlweights": ("RL weights", _A), "license": ("Licence", _A), "code": ("Code", _D),
     "architecture": ("Architecture", _D), "preprint": ("Preprint", _D), "paper": ("Paper", _D),
     "modelcard": ("Model card", _D), "datasheet": ("Data sheet", _D), "package": ("Package", _X), "api": ("API", _X)},
    "name", "llmbase", None, "license", {"rlbase": "instruction data"}, ("rlweights", "llmweights"),
    # The closest dimension of the current index, by our reading of both criteria texts (skos:closeMatch only).
    {"opencode": "trainingcode", "llmdata": "datasources_basemodel", "llmweights": "weights_basemodel",
     "rldata": "datasources_endmodel", "rlweights": "weights_endmodel", "license": "licenses", "code": "code",
     "architecture": "hardware_architecture", "preprint": "preprint", "paper": "paper", "modelcard": "modelcard",
     "datasheet": "datasheet", "package": "package", "api": "api"},
    base_lists=True)

GENERATIONS = (CURRENT, GEN_2024, LEGACY)


class Unrecognised(str):
    """Why a file is no known generation (a message naming what was expected)."""


def graded(data: dict) -> list[str]:
    """The top-level keys of a file that hold a grade (a mapping with ``class``)."""
    return [str(k) for k, v in data.items() if isinstance(v, dict) and "class" in v]


def recognise(data: dict, text: str = "") -> Generation | Unrecognised:
    """The generation of one file (its top-level mapping and its text, whose header comments say which criteria it
    follows), or why it is none. A file with signs of both 2024 and 2025 is refused."""
    dims = set(graded(data))
    if isinstance(data.get("project"), dict) and "system" not in data:
        return LEGACY
    header = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#")).lower()
    if isinstance(data.get("system"), dict):
        new = "hardware_architecture" in dims or "osai-index.eu" in header or "organization tags" in header \
            or "training compute" in header
        old = "architecture" in dims or "opening-up-chatgpt" in header
        if new and not old:
            return CURRENT
        if old and not new:
            return GEN_2024
        if old and new:
            return Unrecognised("mixes the 2024 generation (an 'architecture' grade or the Opening up ChatGPT criteria) "
                                "with the 2025 one (a 'hardware_architecture' grade or the osai-index.eu header)")
    return Unrecognised(
        "not a known generation of the index: a 'system' file needs an 'architecture' grade or a header naming the "
        "Opening up ChatGPT criteria (2024), or a 'hardware_architecture' grade or the osai-index.eu header "
        "(2025); found blocks " + (", ".join(str(k) for k in data) or "none"))


def is_template(data: dict, head: str) -> bool:
    """A submission template: every field of the head block and of the organisation block is empty.

    >>> is_template({"system": {"name": None, "link": ""}, "org": {"name": None}, "code": {"class": "closed"}}, "system")
    True
    """
    blocks = [data.get(head), data.get("org")]
    return all(isinstance(b, dict) and not any(str(v or "").strip() for v in b.values()) for b in blocks)


def cut_short(data: dict, order: list[str], expected: list[str]) -> str | None:
    """Why a file looks cut short, or None: its last graded block lacks the keys every other block has, or the
    dimensions it should have stop before the end of the generation's list (``order``: the file's graded keys in
    file order; ``expected``: the generation's dimensions, in order).

    >>> block = {"class": "open", "link": "", "notes": ""}
    >>> print(cut_short({"a": block, "b": {"class": "open"}}, ["a", "b"], ["a", "b"]))
    the last grade (b) has no link, notes, which every other grade has
    >>> print(cut_short({"a": block}, ["a"], ["a", "b", "c"]))
    it ends before the dimensions b, c
    >>> cut_short({"a": block, "c": block}, ["a", "c"], ["a", "b", "c"]) is None
    True
    """
    if len(order) > 1:
        last, others = data[order[-1]], [data[k] for k in order[:-1]]
        common = set.intersection(*(set(b) for b in others))
        missing = sorted(common - set(last))
        if missing:
            return f"the last grade ({order[-1]}) has no {', '.join(missing)}, which every other grade has"
    present = [k for k in expected if k in order]
    if present:
        tail = expected[expected.index(present[-1]) + 1:]
        if tail and not any(k in order for k in tail) and len(tail) >= 1 and present == expected[:len(present)]:
            return f"it ends before the dimensions {', '.join(tail)}"
    return None


def release_date(value: Any):
    """A release date as the files write it: ISO (``2024-12``) or the 2024 form ``2024 NOV``; None otherwise.

    >>> str(release_date("2024 NOV")), str(release_date("2023-03")), release_date("soon")
    ('2024-11', '2023-03', None)
    """
    text = str(value or "").strip()
    match = re.fullmatch(r"(\d{4})[ -]([A-Za-z]{3})[a-z]*", text)
    if match and match.group(2).lower() in _MONTHS:
        text = f"{match.group(1)}-{_MONTHS[match.group(2).lower()]:02d}"
    return date_literal(text) if text else None
