"""Conversions between rdflib terms (used everywhere above the store) and pyoxigraph terms (used on hot paths).

>>> from rdflib import Literal, URIRef
>>> to_rdflib(to_oxigraph(Literal("7.24e9", datatype=XSD.double))) == Literal("7.24e9", datatype=XSD.double)
True
>>> to_rdflib(to_oxigraph(URIRef("http://example.org/a")))
rdflib.term.URIRef('http://example.org/a')
>>> nt_term(Literal('say "hi"\\n', lang="en"))
'"say \\\\"hi\\\\"\\\\n"@en'
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# Characters the SPARQL and N-Triples grammars forbid inside <...>; an IRI with one of them could break out.
_FORBIDDEN_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class UnsafeIriError(ValueError):
    """An IRI contains characters that cannot appear inside ``<...>``."""


def check_iri(iri: str) -> str:
    """Return ``iri`` if it can be written between angle brackets, else raise :class:`UnsafeIriError`.

    >>> check_iri("https://example.org/x")
    'https://example.org/x'
    >>> check_iri("http://x> } ; DROP ALL ; #")
    Traceback (most recent call last):
    ...
    euaigraph.graph.store.terms.UnsafeIriError: IRI contains a character not allowed in <...>: 'http://x> } ; DROP ALL ; #'
    """
    if not iri or _FORBIDDEN_IN_IRI.search(iri):
        raise UnsafeIriError(f"IRI contains a character not allowed in <...>: {iri!r}")
    return iri


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(check_iri(str(term)))
    if isinstance(term, BNode):
        return ox.BlankNode(_bnode_id(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph | None) -> Node | None:
    if type(term) is ox.NamedNode:  # most terms are IRIs: one type check (pyoxigraph's classes are final)
        return URIRef(term.value)
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def _bnode_id(node: BNode) -> str:
    # Oxigraph blank node ids must be valid N-Triples labels.
    return re.sub(r"[^A-Za-z0-9_]", "_", str(node)) or "b"


def nt_term(term: Node) -> str:
    """The N-Triples (and SPARQL) text of a term, with every character that could end it escaped."""
    if isinstance(term, URIRef):
        return f"<{check_iri(str(term))}>"
    if isinstance(term, BNode):
        return f"_:{_bnode_id(term)}"
    if isinstance(term, Literal):
        text = (
            str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        )
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f'"{text}"^^<{check_iri(str(term.datatype))}>'
        return f'"{text}"'
    raise TypeError(f"cannot write {term!r} as N-Triples")


def nt_line(s: Node, p: Node, o: Node) -> str:
    """One N-Triples line, newline included."""
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n"
