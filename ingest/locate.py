"""Finding where in a feed file a record is, so reports and source records can say ``file:line``.

>>> line_at(b"one\\ntwo\\nthree", 5), line_of(b"one\\ntwo", "two")
(2, 2)
"""

from __future__ import annotations

from rdflib import Graph


def line_at(data: bytes, offset: int) -> int:
    """The 1-based line of a byte offset."""
    return data.count(b"\n", 0, max(offset, 0)) + 1


def line_of(data: bytes, needle: str) -> int | None:
    """The 1-based line where ``needle`` first occurs in the file's bytes, or None."""
    at = data.find(needle.encode("utf-8"))
    return None if at < 0 else line_at(data, at)


def subject_line(data: bytes, graph: Graph, subject: str) -> int | None:
    """Where an RDF file describes ``subject``: the first line that starts with its IRI or one of its prefixed
    names (Turtle), or where it is an ``rdf:about`` / ``"@id"`` value; else the first line naming it at all."""
    names = [f"<{subject}>", f'"{subject}"'] + [f"{prefix}:{subject[len(ns):]}" for prefix, ns in graph.namespaces()
                                                 if prefix and subject.startswith(str(ns)) and len(subject) > len(ns)]
    first: int | None = None
    for name in names:
        needle = name.encode("utf-8")
        at = data.find(needle)
        while at >= 0:
            after = data[at + len(needle):at + len(needle) + 1]
            if not (after and (after.isalnum() or after in b"_:/.-")):  # a whole name, not a prefix of another
                first = at if first is None else min(first, at)
                before = data[max(0, at - 200):at]
                line_head = before.rsplit(b"\n", 1)[-1]
                if (b"\n" in before or at <= 200) and not line_head.strip():
                    return line_at(data, at)
                if line_head.rstrip().endswith((b"about=", b'"@id":')):
                    return line_at(data, at)
            at = data.find(needle, at + 1)
    return line_at(data, first) if first is not None else None
