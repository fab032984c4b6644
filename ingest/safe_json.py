"""JSON from feeds, read so that nesting cannot blow up: the one ``json.loads`` for feed text.

Python's decoder recurses once per nested array or object, so ``[[[[...`` 200,000 deep ends in a
RecursionError instead of a syntax error with a place, and a document near the interpreter's limit still breaks
every recursive walk after it (JSON-LD context inlining, rdflib's JSON-LD parser). Both are refused here as
:class:`TooDeep`, a :class:`json.JSONDecodeError`, so every ingester's existing ``except json.JSONDecodeError``
reports it with the source, file and line like any syntax error.

>>> loads('{"a": [1, {"b": 2}]}')
{'a': [1, {'b': 2}]}
>>> try:
...     loads("[" * 200_000 + "]" * 200_000)
... except json.JSONDecodeError as exc:
...     exc.msg, exc.lineno
('JSON nested deeper than 100 levels is refused', 1)
"""

from __future__ import annotations

import json
from typing import Any

#: Deepest nesting of arrays and objects accepted (the recorded feeds nest at most 7 levels).
MAX_DEPTH = 100


class TooDeep(json.JSONDecodeError):
    """A JSON document nested deeper than :data:`MAX_DEPTH` (or than the decoder can go)."""


def depth(value: Any) -> int:
    """How deeply arrays and objects nest in a decoded value, walked without recursion.

    >>> depth(1), depth([]), depth({"a": [[1]]})
    (0, 1, 3)
    """
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Decode JSON text (or UTF-8 bytes). Raises json.JSONDecodeError (:class:`TooDeep` past ``max_depth``)."""
    message = f"JSON nested deeper than {max_depth} levels is refused"
    try:
        value = json.loads(text)
    except RecursionError:
        raise TooDeep(message, "", 0) from None
    if depth(value) > max_depth:
        raise TooDeep(message, "", 0)
    return value


__all__ = ["MAX_DEPTH", "TooDeep", "depth", "loads"]
