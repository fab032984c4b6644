"""Hostile and broken inputs through ingest/safe_parse.py. Every input is written here; the ones that try to reach
out point at a real HTTP server on 127.0.0.1 that records requests, and each test asserts it received none."""

from __future__ import annotations

import doctest
import json
import resource
import time

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL

from euaigraph.ingest import locate, safe_parse
from euaigraph.ingest.base import FeedError
from euaigraph.ingest.safe_parse import MalformedInput, UnsafeInput, parse_json, parse_rdf, parse_xml

from .recording_server import Reply

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
{root}
"""
RDF_ROOT = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"><rdf:Description rdf:about="http://example.org/x">'
            '<rdfs:label>{text}</rdfs:label></rdf:Description></rdf:RDF>')
TTL = "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_module_doctests():
    for module in (safe_parse, locate):
        assert doctest.testmod(module).failed == 0, module.__name__


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", ["xml", "rdfxml"])
def test_billion_laughs_is_refused_at_once_with_bounded_memory(tmp_path, kind):
    root = "<project><id>&lol9;</id></project>" if kind == "xml" else RDF_ROOT.format(text="&lol9;")
    path = tmp_path / ("laughs.xml" if kind == "xml" else "laughs.rdf")
    path.write_text(LAUGHS.format(root=root))
    before, started = _max_rss_mb(), time.monotonic()
    with pytest.raises(UnsafeInput) as error:
        parse_xml("cordis", path) if kind == "xml" else parse_rdf("eu-vocabularies", path)
    assert time.monotonic() - started < 1.0
    assert _max_rss_mb() - before < 50  # a single expansion would take gigabytes
    assert "laughs" in error.value.where and ":2" in error.value.where  # the file, at the DOCTYPE line
    assert "DTD" in error.value.message


@pytest.mark.parametrize("declaration", [
    '<!DOCTYPE x [<!ENTITY secret SYSTEM "{url}">]>',
    '<!DOCTYPE x SYSTEM "{url}">',
    '<!DOCTYPE x [<!ENTITY % remote SYSTEM "{url}"> %remote;]>',
])
@pytest.mark.parametrize("kind", ["xml", "rdfxml"])
def test_external_entities_and_dtds_are_never_fetched(http_server, tmp_path, declaration, kind):
    url = http_server.route("/secret", Reply(200, b"<!ENTITY x 'leaked'>"))
    root = "<x>&secret;</x>" if kind == "xml" else RDF_ROOT.format(text="&secret;")
    path = tmp_path / f"external.{'xml' if kind == 'xml' else 'rdf'}"
    path.write_text(f'<?xml version="1.0"?>\n{declaration.format(url=url)}\n{root}\n')
    with pytest.raises(UnsafeInput):
        parse_xml("cordis", path) if kind == "xml" else parse_rdf("eu-vocabularies", path)
    assert http_server.requests == []


@pytest.mark.parametrize("shape", ["string", "list", "scoped", "import"])
def test_remote_jsonld_context_is_refused_and_never_fetched(http_server, tmp_path, shape):
    url = http_server.route("/context.jsonld", Reply(200, json.dumps({"@context": {"title": "http://purl.org/dc/terms/title"}}).encode()))
    context = {"string": url, "list": [url, {"x": "http://example.org/x"}],
               "scoped": {"dcat": "http://www.w3.org/ns/dcat#", "dataset": {"@id": "dcat:dataset", "@context": url}},
               "import": {"@import": url}}[shape]
    path = tmp_path / "record.jsonld"
    path.write_text(json.dumps({"@context": context, "@id": "http://example.org/d", "title": "T"}))
    with pytest.raises(UnsafeInput, match="never fetched"):
        parse_rdf("data-europa", path)
    assert http_server.requests == []


def test_a_remote_context_with_a_vouched_local_copy_is_read_locally(http_server, tmp_path):
    url = http_server.route("/context.jsonld", Reply(500))
    local = tmp_path / "local-context.jsonld"
    local.write_text(json.dumps({"@context": {"title": "http://purl.org/dc/terms/title"}}))
    path = tmp_path / "record.jsonld"
    path.write_text(json.dumps({"@context": url, "@id": "http://example.org/d", "title": "Bees"}))
    graph = parse_rdf("data-europa", path, contexts={url: local})
    assert str(graph.value(URIRef("http://example.org/d"), URIRef("http://purl.org/dc/terms/title"))) == "Bees"
    assert http_server.requests == []


def test_a_relative_context_must_stay_beside_the_document(tmp_path):
    (tmp_path / "ctx.jsonld").write_text(json.dumps({"@context": {"t": "http://purl.org/dc/terms/title"}}))
    inner = tmp_path / "feed"
    inner.mkdir()
    (inner / "ok.jsonld").write_text(json.dumps({"@context": "ctx.jsonld", "@id": "http://e.org/a", "t": "x"}))
    (inner / "ctx.jsonld").write_text(json.dumps({"@context": {"t": "http://purl.org/dc/terms/title"}}))
    (inner / "escape.jsonld").write_text(json.dumps({"@context": "../ctx.jsonld", "@id": "http://e.org/a", "t": "x"}))
    assert len(parse_rdf("data-europa", inner / "ok.jsonld")) == 1
    with pytest.raises(UnsafeInput):
        parse_rdf("data-europa", inner / "escape.jsonld")


def test_owl_imports_are_never_followed(http_server, tmp_path):
    url = http_server.route("/ontology.ttl", Reply(200, b"<http://e.org/a> <http://e.org/b> <http://e.org/c> ."))
    path = tmp_path / "table.ttl"
    path.write_text(f"{TTL}<http://example.org/scheme> owl:imports <{url}> .\n")
    graph = parse_rdf("eu-vocabularies", path)
    assert set(graph) == {(URIRef("http://example.org/scheme"), OWL.imports, URIRef(url))}
    assert safe_parse.unfollowed_imports(graph, "table.ttl") == [f"table.ttl: owl:imports <{url}> not followed"]
    assert http_server.requests == []


@pytest.mark.parametrize(("name", "text", "line"), [
    ("cut.ttl", f"{TTL}<http://e.org/a> owl:imports <http://e.org/b> ;\n  owl:versionInfo \"1", 3),
    ("cut.xml", '<?xml version="1.0"?>\n<project>\n  <id>1</id>\n  <acronym>X', 4),
    ("cut.jsonld", '{\n "@id": "http://e.org/a",\n "http://e.org/p": "v', 3),
])
def test_a_truncated_file_is_malformed_with_its_line(tmp_path, name, text, line):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(MalformedInput) as error:
        parse_xml("cordis", path) if name.endswith(".xml") else parse_rdf("data-europa", path)
    assert error.value.where == f"{path}:{line}"


@pytest.mark.parametrize("name", ["served.ttl", "body"])
def test_html_served_as_turtle_is_named_as_html(tmp_path, name):
    path = tmp_path / name
    path.write_text("<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not found</body></html>\n")
    with pytest.raises(MalformedInput, match="HTML page") as error:
        parse_rdf("data-europa", path)
    assert error.value.where.endswith(":1")


def test_broken_utf8_is_reported_with_its_line(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_bytes(TTL.encode() + b'<http://e.org/a> <http://e.org/b> "ok" .\n'
                     b'<http://e.org/a> <http://e.org/b> "\xff\xfe" .\n')
    with pytest.raises(MalformedInput, match="not valid UTF-8") as error:
        parse_rdf("data-europa", path)
    assert error.value.where == f"{path}:3"


def test_broken_utf8_in_xml_is_malformed(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<project>\n<title>\xc3\x28</title>\n</project>\n')
    with pytest.raises(MalformedInput) as error:
        parse_xml("cordis", path)
    assert error.value.where == f"{path}:3"


@pytest.mark.parametrize("reader", [parse_xml, parse_rdf, parse_json])
def test_a_file_over_the_cap_is_refused_before_it_is_read(tmp_path, reader):
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"x": "y" * 500}))
    with pytest.raises(UnsafeInput, match="over the cap of 100"):
        reader("spdx", path, max_bytes=100)


def test_a_turtle_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "example.ttl"
    path.write_text("@prefix ex: <https://e.org/> .\n\nex:a ex:b <ex:c/d>, ex:c/d .\n")
    with pytest.raises(MalformedInput, match="turtle syntax error") as error:
        parse_rdf("data-europa", path, name="examples/example.ttl")
    assert error.value.where == "examples/example.ttl:3"
    assert isinstance(error.value, FeedError) and error.value.source == "data-europa"
