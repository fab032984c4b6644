"""Every saved question's summary and description is written for an analyst: no vocabulary terms (``eai:…``,
``rdf:…``), no query-language words, no unexplained abbreviations. The SPARQL and the glossary hold the formal
names; the header says what the answer means."""

from __future__ import annotations

import re

import pytest

from euaigraph.graph.query.saved import catalogue

QUESTIONS = catalogue()
#: What an analyst should not have to read: prefixed terms, and words of the query language or the store.
JARGON = re.compile(r"\b(?:eai|rdf|rdfs|skos|owl|prov|dcat|xsd|id|spdx):[A-Za-z]\w*|\b(?:IRI|URI|SPARQL|GROUP_CONCAT|"
                    r"OPTIONAL|FILTER|named graph|literal|triples?|closure|subquery)\b")
#: Abbreviations allowed once their words are written out in the same header.
SPELLED_OUT = {"HHI": "Herfindahl", "FLOP": "compute", "JU": "Joint Undertaking"}


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_the_header_speaks_plainly(name):
    saved = QUESTIONS[name]
    text = f"{saved.summary}\n{saved.description}"
    assert not JARGON.findall(text), f"{name}: {sorted(set(JARGON.findall(text)))}"
    for short, words in SPELLED_OUT.items():
        if re.search(rf"\b{short}\b", text):
            assert words in text, f"{name} uses {short} without saying what it is ({words}…)"


def test_the_check_sees_jargon():
    assert JARGON.findall("a result of a project (eai:resultOf) in the closure")
