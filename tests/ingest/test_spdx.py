"""SPDX licence list and MOF licence list: a golden slice, facts from the full recorded lists (an absent isFsfLibre
writes nothing), an older list written here, bad input, idempotence, and live mode against a local HTTP server."""

from __future__ import annotations

import doctest
import json
import os

import pytest
from rdflib import Literal
from rdflib.namespace import RDF

from euaigraph.ingest.base import Feed, FeedError, Report
from euaigraph.ingest.safe_parse import MalformedInput
from euaigraph.ingest.sources import licences, spdx
from euaigraph.ontology.iri import licence_iri
from euaigraph.ontology.vocab import EAI

from .conftest import FIXED, assert_golden, parse_source
from .recording_server import Reply

SPEC, MOF = spdx.SOURCE, spdx.MOF_SOURCE
SLICE = ("3D-Slicer-1.0", "Apache-2.0", "CC-BY-NC-4.0", "GPL-2.0+")


def test_module_doctests():
    assert doctest.testmod(spdx).failed == 0


def _slice(shared_data, tmp_path):
    lists = shared_data / "licenses" / "spdx"
    data = json.loads((lists / "licenses.json").read_text())
    data["licenses"] = [e for e in data["licenses"] if e["licenseId"] in SLICE]
    (tmp_path / "licenses.json").write_text(json.dumps(data, indent=2))
    exceptions = json.loads((lists / "exceptions.json").read_text())
    exceptions["exceptions"] = [e for e in exceptions["exceptions"] if e["licenseExceptionId"] == "LLVM-exception"]
    (tmp_path / "exceptions.json").write_text(json.dumps(exceptions, indent=2))


def test_golden_slice(shared_data, tmp_path):
    """FSF status stated true (Apache-2.0), stated false (CC-BY-NC-4.0) and absent (3D-Slicer-1.0); a deprecated
    id (GPL-2.0+); one exception (LLVM-exception)."""
    _slice(shared_data, tmp_path)
    for name in ("licenses.json", "exceptions.json"):
        os.utime(tmp_path / name, (FIXED, FIXED))  # the retrieval date every record carries
    graph, report = parse_source(SPEC, tmp_path)
    assert (report.records_read, report.records_rejected, report.version) == (5, 0, "SPDX licence list 3.27.0")
    assert_golden(graph, "spdx_slice")


@pytest.fixture(scope="module")
def full(shared_data):
    return parse_source(SPEC, shared_data / "licenses" / "spdx")


def test_absent_fsf_libre_writes_no_triple(full, shared_data):
    graph, _ = full
    entries = json.loads((shared_data / "licenses/spdx/licenses.json").read_text())["licenses"]
    absent = [e["licenseId"] for e in entries if "isFsfLibre" not in e]
    stated = {e["licenseId"]: e["isFsfLibre"] for e in entries if "isFsfLibre" in e}
    assert absent and False in stated.values()
    assert not [i for i in absent if (licence_iri(i), EAI.fsfLibre, None) in graph]
    assert all((licence_iri(i), EAI.fsfLibre, Literal(v)) in graph for i, v in stated.items())
    assert len(set(graph.subjects(EAI.fsfLibre, None))) == len(stated)


def test_every_licence_and_exception_of_the_lists(full, shared_data):
    graph, report = full
    lists = shared_data / "licenses" / "spdx"
    licences_ = json.loads((lists / "licenses.json").read_text())["licenses"]
    exceptions = json.loads((lists / "exceptions.json").read_text())["exceptions"]
    assert set(graph.subjects(RDF.type, EAI.Licence)) == {licence_iri(e["licenseId"]) for e in licences_}
    assert set(graph.subjects(RDF.type, EAI.LicenceException)) == {
        licence_iri(e["licenseExceptionId"]) for e in exceptions}
    assert report.records_read == len(licences_) + len(exceptions) and report.records_rejected == 0
    assert (licence_iri("MIT"), EAI.osiApproved, Literal(True)) in graph


def test_same_licence_iris_as_the_licences_reference_source(full):
    graph, _ = full
    reference, _report = set(), Report("licences")
    for s, p, o in licences.parse(Feed.from_path(licences.SOURCE.shipped_path()), _report):
        if p == RDF.type and o == EAI.Licence:
            reference.add(s)
    shared = reference & set(graph.subjects(RDF.type, EAI.Licence))
    assert licence_iri("Apache-2.0") in shared and len(shared) > 0.9 * len(reference)


def test_idempotent(full, shared_data):
    again, _ = parse_source(SPEC, shared_data / "licenses" / "spdx")
    assert set(again) == set(full[0])


def test_mof_licence_list(shared_data):
    graph, report = parse_source(MOF, shared_data / "licenses" / "mof")
    entries = json.loads((shared_data / "licenses/mof/mof-licenses.json").read_text())["licenses"]
    assert report.records_read == len(entries) and report.records_rejected == 0
    expected = {(e["licenseId"], spdx.MOF_CONTENT[e["ContentType"]]) for e in entries}
    written = {(str(s).rsplit("/", 1)[-1], str(o)) for s, o in graph.subject_objects(EAI.mofAcceptedFor)}
    assert written == expected
    assert (licence_iri("CC0-1.0"), EAI.mofAcceptedFor, Literal("data")) in graph
    assert not list(graph.triples((None, EAI.osiApproved, None)))  # MOF's copies of SPDX flags are not its claims


OLDER = {"licenseListVersion": "2.6", "licenses": [
    {"reference": "./MIT.html", "isDeprecatedLicenseId": False, "detailsUrl": "http://spdx.org/licenses/MIT.json",
     "referenceNumber": "256", "name": "MIT License", "licenseId": "MIT", "seeAlso": ["http://opensource.org/licenses/MIT"],
     "isOsiApproved": True},
    {"reference": "./X.html", "name": "An entry without an id", "isOsiApproved": False},
    {"reference": "./eCos-2.0.html", "isDeprecatedLicenseId": True, "name": "eCos license version 2.0",
     "licenseId": "eCos-2.0", "isOsiApproved": False}]}


def test_an_older_list(tmp_path):
    (tmp_path / "licenses.json").write_text(json.dumps(OLDER, indent=1))
    graph, report = parse_source(SPEC, tmp_path / "licenses.json")
    assert report.version == "SPDX licence list 2.6"
    assert [(r.where, r.reason.split(" (")[0]) for r in report.rejected] == [
        ("licenses.json[1]", "entry has no valid licenseId / licenseExceptionId")]
    assert (licence_iri("eCos-2.0"), EAI.deprecated, Literal(True)) in graph
    assert (licence_iri("MIT"), EAI.licenceText, None) not in graph  # a relative reference is not a URL
    assert not list(graph.triples((None, EAI.fsfLibre, None)))


def test_a_broken_or_foreign_list_is_a_feed_error(tmp_path):
    (tmp_path / "licenses.json").write_text('{"licenseListVersion": "3.27.0",\n "licenses": [\n {"licenseId": "MIT",')
    with pytest.raises(MalformedInput) as error:
        parse_source(SPEC, tmp_path / "licenses.json")
    assert error.value.where == "licenses.json:3"
    (tmp_path / "licenses.json").write_text(json.dumps({"models": []}))
    with pytest.raises(FeedError, match="no 'licenses' or 'exceptions' array"):
        parse_source(SPEC, tmp_path / "licenses.json")


def test_live_mode_against_a_local_server(http_server, shared_data, tmp_path):
    _slice(shared_data, tmp_path)
    for name in ("licenses.json", "exceptions.json"):
        http_server.route(f"/json/{name}", Reply(200, (tmp_path / name).read_bytes(), {"ETag": f'"{name}-1"'}))
    feed = spdx.fetch(tmp_path / "cache", list_url=http_server.url("/json/{name}"), progress=False)
    graph, report = parse_source(SPEC, feed.path)
    assert report.records_read == 5 and (licence_iri("LLVM-exception"), RDF.type, EAI.LicenceException) in graph
    assert feed.version == '"licenses.json-1"'
