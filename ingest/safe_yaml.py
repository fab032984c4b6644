r"""YAML from feeds and curated files, read so that no file can blow up: the one YAML loader of the project.

PyYAML's safe loader still expands aliases: a 2.6 kB file of nested ``*a`` references (a "billion laughs")
builds gigabytes of lists. Real feeds never use aliases (none of the recorded Index, Ecosystem Graphs, Model
Openness Tool, Hugging Face or curated files has one), so an alias is refused where it stands, before anything
is built. Nesting is bounded too (a deep ``[[[[...`` otherwise ends in a RecursionError inside the composer). A
repeated key is refused: PyYAML would keep its last value and lose the first without a word (no recorded file
repeats one).

Refusals are :class:`yaml.MarkedYAMLError` subclasses, so every ingester's existing ``except yaml.YAMLError``
reports them like any syntax error: source, file, line, message.

>>> load("a: [1, 2]")
{'a': [1, 2]}
>>> def refusal(text):
...     try:
...         load(text)
...     except RefusedYaml as exc:
...         return problem(exc)
>>> refusal("a: &x [1]\nb: *x")
(2, 'a YAML alias (*x) is refused: feeds may not repeat a node by reference')
>>> refusal("[" * 100 + "]" * 100)
(1, 'YAML nested deeper than 64 levels is refused')
>>> refusal("id: a\nreleased: 2024\nreleased: 2025")
(3, "the key 'released' is repeated (first on line 2): one of its values would be lost")
"""

from __future__ import annotations

from typing import Any

import yaml

#: Deepest nesting of mappings and lists accepted (real feeds nest at most 5 levels).
MAX_DEPTH = 64


class RefusedYaml(yaml.MarkedYAMLError):
    """A construct refused for safety (an alias, or nesting past :data:`MAX_DEPTH`), with its place."""

    def __init__(self, problem: str, mark: yaml.Mark):
        super().__init__(problem=problem, problem_mark=mark)


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing aliases and deep nesting while it composes (before anything is built)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise RefusedYaml(f"a YAML alias (*{event.anchor}) is refused: feeds may not repeat a node by reference",
                              event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise RefusedYaml(f"YAML nested deeper than {MAX_DEPTH} levels is refused", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _refuse_duplicate_keys(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    """A mapping whose key repeats is refused: PyYAML keeps the last value and drops the first without a word."""
    first: dict[tuple[str, str], yaml.Mark] = {}
    for key_node, _ in node.value:
        # Scalar keys compared as written, with their resolved tag (every key feeds use); not built twice.
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        earlier = first.setdefault((key_node.tag, key_node.value), key_node.start_mark)
        if earlier is not key_node.start_mark:
            raise RefusedYaml(f"the key {key_node.value[:80]!r} is repeated (first on line {earlier.line + 1}): one "
                              f"of its values would be lost", key_node.start_mark)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _refuse_duplicate_keys)


def load_with_node(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (for line numbers) and its value, from one parse. Raises yaml.YAMLError."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def load(text: str) -> Any:
    """The value of one YAML document. Raises yaml.YAMLError (:class:`RefusedYaml` for what is refused)."""
    return load_with_node(text)[1]


def problem(exc: yaml.YAMLError) -> tuple[int, str]:
    """The 1-based line and the message of a YAML error (line 1 when the error has no place).

    >>> try:
    ...     load("a: b: c")
    ... except yaml.YAMLError as exc:
    ...     problem(exc)
    (1, 'mapping values are not allowed here')
    """
    mark = getattr(exc, "problem_mark", None)
    return (mark.line + 1 if mark else 1), str(getattr(exc, "problem", None) or exc)


__all__ = ["MAX_DEPTH", "RefusedYaml", "load", "load_with_node", "problem"]
