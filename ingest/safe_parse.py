"""The one place where feeds in XML, RDF and JSON are parsed, so that no feed can reach out or blow up.

- every file is read through a size cap (:data:`DEFAULT_MAX_BYTES`, or the caller's);
- XML goes through defusedxml: a DTD, an entity declaration or an external reference is refused before anything
  is expanded or fetched, so billion-laughs and external-entity files fail at once with bounded memory;
- RDF/XML is checked the same way before rdflib sees it;
- JSON-LD keeps a local context only: every ``@context`` / ``@import`` that names a URL is replaced by a local file
  the caller vouches for, or the file is refused; nothing is fetched;
- ``owl:imports`` are data like any other triple: nothing here follows them;
- syntax errors name the file and the line.

Two kinds of error, both :class:`~euaigraph.ingest.base.FeedError`: :class:`UnsafeInput` (hostile or oversized:
the source aborts) and :class:`MalformedInput` (not well-formed: a source reading many files may skip that one).

>>> fmt = rdf_format(Path("a.ttl"), b"")
>>> fmt, rdf_format(Path("body"), b'  {"@id": "x"}'), rdf_format(Path("body"), b"<?xml version='1.0'?><rdf:RDF/>")
('turtle', 'json-ld', 'xml')
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import xml.sax
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import defusedxml
import defusedxml.ElementTree as DET
import pyoxigraph
from defusedxml.expatreader import create_parser
from rdflib import Graph
from rdflib.namespace import OWL
from rdflib.plugins.parsers.notation3 import BadSyntax

from .base import FeedError
from .locate import line_at
from . import safe_json

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
#: How deep local JSON-LD contexts may pull in further contexts (a loop stops here, too).
MAX_CONTEXT_DEPTH = 8
_SUFFIX_FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".n3": "n3", ".rdf": "xml", ".owl": "xml",
                   ".xml": "xml", ".jsonld": "json-ld", ".json-ld": "json-ld", ".nq": "nquads", ".trig": "trig"}
#: rdflib format -> Oxigraph format, used to locate a syntax error when rdflib's message has no line.
_OXIGRAPH_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
                     "nquads": pyoxigraph.RdfFormat.N_QUADS, "trig": pyoxigraph.RdfFormat.TRIG,
                     "n3": pyoxigraph.RdfFormat.N3, "xml": pyoxigraph.RdfFormat.RDF_XML}
_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_BOM = b"\xef\xbb\xbf"

#: Resolves a context reference (an absolute URL) to a local file the caller vouches for, or None.
ContextResolver = Callable[[str], Path | None]


class UnsafeInput(FeedError):
    """The input is hostile or too large (DTD, entities, external references, remote contexts, over the cap)."""


class MalformedInput(FeedError):
    """The input is not well-formed in its format; ``where`` names the file and line."""


def _where(path: Path, name: str | None, line: int | None = None) -> str:
    shown = name or str(path)
    return f"{shown}:{line}" if line else shown


def read_capped(source: str, path: Path, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a file, refusing files over ``max_bytes`` before reading them."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise UnsafeInput(source, _where(path, name), f"file is {size} bytes, over the cap of {max_bytes}")
    with path.open("rb") as handle:
        # Ask for what stat promised plus one byte: read(n) allocates n bytes up front, so never the whole cap.
        data = handle.read(size + 1)
    if len(data) > size:  # the file grew while we looked: what we hold may not be all of it
        raise UnsafeInput(source, _where(path, name), f"file grew beyond {size} bytes while it was read")
    return data


def decode_utf8(source: str, path: Path, data: bytes, *, name: str | None = None) -> str:
    """Strict UTF-8 (a leading BOM is dropped); a bad byte is reported with its line."""
    try:
        return data.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = line_at(data, exc.start)
        raise MalformedInput(source, _where(path, name, line),
                             f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def _refuse_html(source: str, path: Path, data: bytes, name: str | None, expected: str) -> None:
    if _HTML.match(data[:4096]):
        raise MalformedInput(source, _where(path, name, 1), f"an HTML page, not {expected}")


# -- XML --------------------------------------------------------------------------------------------------------
def _defused(source: str, path: Path, name: str | None, exc: Exception, line: int | None) -> UnsafeInput:
    kind = {"DTDForbidden": "a DTD", "EntitiesForbidden": "an entity declaration",
            "ExternalReferenceForbidden": "an external reference"}.get(type(exc).__name__, "a forbidden construct")
    return UnsafeInput(source, _where(path, name, line),
                       f"XML with {kind} is refused (nothing was expanded or fetched)")


def check_xml(source: str, path: Path, data: bytes, *, name: str | None = None) -> None:
    """Stream the bytes through a defused SAX parser: refuse DTDs, entities, external references; check syntax."""
    reader = create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    reader.setContentHandler(xml.sax.handler.ContentHandler())
    try:
        for start in range(0, len(data), 1 << 16):
            reader.feed(data[start:start + (1 << 16)])
        reader.close()
    except defusedxml.DefusedXmlException as exc:
        raise _defused(source, path, name, exc, reader.getLineNumber()) from None
    except xml.sax.SAXParseException as exc:
        raise MalformedInput(source, _where(path, name, exc.getLineNumber()),
                             f"XML is not well-formed: {exc.getMessage()}") from None


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DET.DefusedXMLParser | None = None
        self.lines: dict[ET.Element, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[element] = self.parser.parser.CurrentLineNumber
        return element


@dataclass
class XmlDocument:
    """A parsed XML file: its root and the line of every element."""

    root: ET.Element
    lines: dict[ET.Element, int] = field(default_factory=dict)

    def line(self, element: ET.Element) -> int | None:
        return self.lines.get(element)


def parse_xml(source: str, path: Path, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> XmlDocument:
    """Parse an XML file with defusedxml into an element tree that knows its line numbers."""
    data = read_capped(source, path, name=name, max_bytes=max_bytes)
    _refuse_html(source, path, data, name, "XML")
    builder = _LineBuilder()
    parser = DET.DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except defusedxml.DefusedXmlException as exc:
        raise _defused(source, path, name, exc, parser.parser.CurrentLineNumber) from None
    except ET.ParseError as exc:
        raise MalformedInput(source, _where(path, name, exc.position[0]), f"XML is not well-formed: {exc}") from None
    return XmlDocument(root, builder.lines)


# -- JSON -------------------------------------------------------------------------------------------------------
def parse_json(source: str, path: Path, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Parse a JSON file; a syntax error names the line."""
    data = read_capped(source, path, name=name, max_bytes=max_bytes)
    _refuse_html(source, path, data, name, "JSON")
    text = decode_utf8(source, path, data, name=name)
    try:
        return safe_json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedInput(source, _where(path, name, exc.lineno), f"not valid JSON: {exc.msg}") from None


def _context_file(reference: str, folder: Path, resolver: ContextResolver | None) -> Path | None:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", reference):  # an absolute IRI: only a vouched-for local copy
        return resolver(reference) if resolver else None
    candidate = (folder / reference).resolve()  # a relative reference: a file next to the document only
    return candidate if candidate.is_file() and candidate.is_relative_to(folder.resolve()) else None


@dataclass
class _Contexts:
    source: str
    path: Path
    name: str | None
    resolver: ContextResolver | None
    max_bytes: int

    def load(self, reference: str, depth: int) -> Any:
        local = _context_file(reference, self.path.parent, self.resolver)
        if local is None:
            raise UnsafeInput(self.source, _where(self.path, self.name),
                              f"remote JSON-LD context {reference!r} refused: contexts are never fetched and no "
                              f"local copy is known")
        if depth >= MAX_CONTEXT_DEPTH:
            raise UnsafeInput(self.source, _where(self.path, self.name), f"JSON-LD contexts nest deeper than "
                              f"{MAX_CONTEXT_DEPTH} (at {reference!r})")
        document = parse_json(self.source, local, max_bytes=self.max_bytes)
        inner = document.get("@context", {}) if isinstance(document, dict) else document
        return self.inline(inner, depth + 1)

    def inline(self, context: Any, depth: int) -> Any:
        """A context with every reference replaced by the local context it names."""
        if isinstance(context, str):
            return self.load(context, depth)
        if isinstance(context, list):
            return [self.inline(item, depth) for item in context]
        if isinstance(context, dict):
            out = {key: self.walk(value, depth) for key, value in context.items() if key != "@import"}
            if "@import" in context:
                imported = self.inline(context["@import"], depth)
                out = {**(imported if isinstance(imported, dict) else {}), **out}
            return out
        return context

    def walk(self, node: Any, depth: int) -> Any:
        """The document with every ``@context`` (top-level, embedded, scoped) inlined."""
        if isinstance(node, list):
            return [self.walk(item, depth) for item in node]
        if isinstance(node, dict):
            return {key: (self.inline(value, depth) if key == "@context" else self.walk(value, depth))
                    for key, value in node.items()}
        return node


# -- RDF --------------------------------------------------------------------------------------------------------
def rdf_format(path: Path, data: bytes) -> str:
    """The rdflib format name for a file: by suffix, else by its first bytes (live bodies have no suffix)."""
    by_suffix = _SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if by_suffix:
        return by_suffix
    head = data.removeprefix(_BOM).lstrip()[:200]
    if head[:1] in (b"{", b"["):
        return "json-ld"
    if head.startswith(b"<?xml") or head.startswith(b"<rdf:RDF"):
        return "xml"
    return "turtle"


def parse_rdf(
    source: str,
    path: Path,
    *,
    name: str | None = None,
    rdf_format_name: str | None = None,
    contexts: ContextResolver | Mapping[str, Path] | None = None,
    base: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Graph:
    """Parse an RDF file (Turtle, N-Triples, RDF/XML, JSON-LD...) into a graph, safely. Raises FeedError."""
    path = Path(path)
    data = read_capped(source, path, name=name, max_bytes=max_bytes)
    fmt = rdf_format_name or rdf_format(path, data)
    _refuse_html(source, path, data, name, fmt)
    text = decode_utf8(source, path, data, name=name)
    publicid = base or path.resolve().as_uri()
    if fmt == "xml":
        check_xml(source, path, data, name=name)
    if fmt == "json-ld":
        resolver = contexts.get if isinstance(contexts, Mapping) else contexts
        try:
            document = safe_json.loads(text)
        except json.JSONDecodeError as exc:
            raise MalformedInput(source, _where(path, name, exc.lineno), f"not valid JSON-LD: {exc.msg}") from None
        text = json.dumps(_Contexts(source, path, name, resolver, max_bytes).walk(document, 0))
    graph = Graph()
    try:
        graph.parse(data=text, format=fmt, publicID=publicid)
    except BadSyntax as exc:
        raise MalformedInput(source, _where(path, name, exc.lines + 1), f"{fmt} syntax error: {exc._why}") from None
    except xml.sax.SAXParseException as exc:
        raise MalformedInput(source, _where(path, name, exc.getLineNumber()),
                             f"RDF/XML error: {exc.getMessage()}") from None
    except FeedError:
        raise
    except Exception as exc:  # rdflib's parsers raise many types (even AssertionError): each means malformed
        line, why = _locate_error(data, fmt, publicid)
        raise MalformedInput(source, _where(path, name, line),
                             why or f"{fmt} could not be parsed: {type(exc).__name__}: {exc}") from None
    return graph


def unfollowed_imports(graph: Graph, name: str) -> list[str]:
    """Notes for a run report: the ``owl:imports`` a file declares, which are kept as data and never fetched."""
    return [f"{name}: owl:imports <{target}> not followed" for target in sorted(graph.objects(None, OWL.imports))]


def _locate_error(data: bytes, fmt: str, base: str) -> tuple[int | None, str | None]:
    """Line and message of a syntax error from Oxigraph's parser, which always reports where it stopped."""
    if fmt not in _OXIGRAPH_FORMATS:
        return None, None
    try:
        for _quad in pyoxigraph.parse(data, format=_OXIGRAPH_FORMATS[fmt], base_iri=base):
            pass
    except SyntaxError as exc:
        return exc.lineno, f"{fmt} syntax error: {exc.msg}"
    return None, None
