"""The SPARQL 1.1 Protocol and Graph Store Protocol as every tested engine accepts them (Oxigraph server, Virtuoso
7.2, Jena), for the remote store.

- Queries are form-encoded POSTs (``application/x-www-form-urlencoded``): Virtuoso never answers a query POSTed as
  ``application/sparql-query``. The dataset goes in ``default-graph-uri``/``named-graph-uri`` parameters.
- Updates are ``application/sparql-update`` bodies with a Content-Length (Virtuoso answers a chunked update body
  "200 Commit -- done" and inserts nothing).
- Loads and per-graph reads use the Graph Store Protocol (``?graph=IRI``), with N-Triples bodies.
- HTTP basic or digest authentication, when the endpoint has credentials, on every request.

Answers stream; a server's own refusal, time limit or truncation becomes :class:`StoreError` or
:class:`QueryCancelled` naming the endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
import requests
import urllib3
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from euaigraph.graph.store.base import QueryCancelled, QueryResult, StoreError, capped_solutions, capped_triples
from euaigraph.graph.store.config import Endpoint

#: How servers word a query they stopped (Oxigraph: "The SPARQL operation has been cancelled"; Virtuoso:
#: "estimated execution time ... exceeds the limit"; the Jena front: "Query cancelled").
_CANCELLED = re.compile(r"cancell?ed|timed? ?out|execution time", re.IGNORECASE)
_PROLOGUE = re.compile(r"\s+|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>", re.IGNORECASE)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
#: Tokens that may hold a "FROM" or a brace that is not one: comments, strings, IRIs; then words and brackets.
_TOKEN = re.compile(r"""#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>\s]*>"""
                    r"|(?P<word>[A-Za-z_]\w*)|(?P<bracket>[{}()])", re.DOTALL)
SOLUTIONS = "application/sparql-results+json"
TRIPLES = "application/n-triples, text/turtle;q=0.9"
_RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML,
            "text/tab-separated-values": ox.QueryResultsFormat.TSV}
_GRAPHS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
           "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML}
#: What reading a cut-off or malformed answer raises (the parsers' errors and the HTTP client's).
BROKEN = (SyntaxError, ValueError, OSError, urllib3.exceptions.HTTPError, requests.RequestException)


@dataclass(frozen=True)
class Shape:
    """What the remote store needs to know of a query before sending it."""

    form: str  # select | ask | construct | describe
    own_dataset: bool  # the query names its dataset itself (FROM / FROM NAMED)


def shape(text: str) -> Shape:
    """The query's form and whether it has FROM clauses; StoreError for anything but a read query.

    >>> shape("PREFIX ex: <http://x/#a> # note\\nSELECT * FROM <http://g> WHERE { ?s ?p 'FROM' }")
    Shape(form='select', own_dataset=True)
    >>> shape("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o != 'from') }")
    Shape(form='construct', own_dataset=False)
    >>> shape("DROP ALL")
    Traceback (most recent call last):
    ...
    euaigraph.graph.store.base.StoreError: only read queries (SELECT, ASK, CONSTRUCT, DESCRIBE) are sent to a query ...
    """
    at = 0
    while match := _PROLOGUE.match(text, at):
        at = match.end()
    form = _FORM.match(text, at)
    if form is None:
        raise StoreError("only read queries (SELECT, ASK, CONSTRUCT, DESCRIBE) are sent to a query endpoint")
    kind = form.group(1).lower()
    return Shape(form=kind, own_dataset="from" in text.lower() and _names_dataset(text[form.end():], kind))


def _names_dataset(rest: str, kind: str) -> bool:
    """Whether FROM comes before the WHERE group (a CONSTRUCT template's braces come first)."""
    depth, template_done = 0, kind != "construct"
    for match in _TOKEN.finditer(rest):
        word, bracket = match.group("word"), match.group("bracket")
        if word and depth == 0:
            if word.upper() == "FROM":
                return True
            if word.upper() == "WHERE":
                return False
        elif bracket in ("(", "{"):
            if bracket == "{" and depth == 0 and template_done:
                return False
            depth += 1
        elif bracket in (")", "}"):
            depth -= 1
            template_done = template_done or depth == 0
    return False


def _auth(endpoint: Endpoint) -> AuthBase | None:
    credentials = endpoint.credentials()
    if credentials is None:
        return None
    return HTTPDigestAuth(*credentials) if endpoint.auth == "digest" else HTTPBasicAuth(*credentials)


def first_line(text: str, limit: int = 300) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0][:limit] if lines else ""


class SparqlHttp:
    """One endpoint's protocol client (a requests session with its authentication)."""

    def __init__(self, endpoint: Endpoint, *, name: str):
        self.endpoint, self.name = endpoint, name
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "euaigraph"
        self.session.auth = _auth(endpoint)

    def _request(self, method: str, url: str, **options) -> requests.Response:
        """A read, sent again once on a fresh connection if the server closed a kept-alive one before it answered
        (Virtuoso drops idle connections after 10 s). A time-out is never sent again."""
        try:
            return self.session.request(method, url, **options)
        except requests.ConnectionError as exc:
            if isinstance(exc, requests.Timeout):
                raise
            return self.session.request(method, url, **options)

    def _timeout(self, timeout: float | None) -> tuple[float, float]:
        return (10.0, float(timeout or self.endpoint.timeout_s))

    def query(self, text: str, *, accept: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
              union: bool = False, timeout: float | None = None) -> requests.Response:
        """POST a query (form-encoded) and return the streaming response, its status checked."""
        form = [("query", text)]
        form += [("default-graph-uri", g) for g in default_graphs] + [("named-graph-uri", g) for g in named_graphs]
        if union:
            form.append(("union-default-graph", "true"))
        try:
            response = self._request("post", self.endpoint.query, data=form, headers={"Accept": accept}, stream=True,
                                         timeout=self._timeout(timeout))
        except requests.RequestException as exc:  # connection refused, timeouts
            raise QueryCancelled(f"{self.name} did not answer: {exc}") from exc
        if response.status_code >= 300:
            said = first_line(_bounded_text(response))
            response.close()
            if response.status_code == 503 or _CANCELLED.search(said):
                raise QueryCancelled(f"{self.name} stopped the query at its time limit: {said}")
            raise StoreError(f"{self.name} refused the query ({response.status_code}): {said}")
        # Virtuoso's "anytime" answers: a time limit reached, the rows found so far sent as a success.
        if response.headers.get("X-SQL-State") == "S1TAT":
            response.close()
            raise QueryCancelled(f"{self.name} stopped the query at its time limit and sent an incomplete answer")
        response.raw.decode_content = True
        return response

    def _writable(self, what: str, url: str | None) -> str:
        if self.endpoint.update is None:
            raise StoreError(f"{self.name} is read-only (no update URL configured)")
        if url is None:
            raise StoreError(f"{self.name} has no {what} URL configured")
        return url

    def update(self, text: str) -> None:
        """One SPARQL Update request (a transaction on the engines that have them)."""
        url = self._writable("update", self.endpoint.update)
        self._send("post", url, text.encode("utf-8"), "application/sparql-update; charset=utf-8", what="update")

    def graph_post(self, graph: str, body: bytes) -> None:
        """Add N-Triples to a graph (Graph Store Protocol POST)."""
        url = self._writable("Graph Store Protocol ('store')", self.endpoint.store)
        self._send("post", url, body, "application/n-triples", what="load", params={"graph": graph})

    def _send(self, method: str, url: str, body: bytes, content_type: str, *, what: str,
              params: dict | None = None) -> None:
        try:
            # A change is never sent again (the first may have been applied): a failure is reported as it is.
            reply = self.session.request(method, url, data=body, params=params,
                                         headers={"Content-Type": content_type},
                                         timeout=(10.0, max(self.endpoint.timeout_s, 600)))
        except requests.RequestException as exc:
            raise StoreError(f"{self.name}: {what} failed: {exc}") from exc
        if reply.status_code >= 300:
            raise StoreError(f"{self.name}: {what} refused ({reply.status_code}): {first_line(reply.text, 500)}")

    def graph_get(self, graph: str) -> requests.Response | None:
        """The triples of one graph as streaming N-Triples (Graph Store Protocol GET); None if it has none."""
        if self.endpoint.store is None:
            raise StoreError(f"{self.name} has no Graph Store Protocol URL ('store') configured")
        try:
            reply = self._request("get", self.endpoint.store, params={"graph": graph}, stream=True,
                                     headers={"Accept": "application/n-triples"},
                                     timeout=(10.0, max(self.endpoint.timeout_s, 600)))
        except requests.RequestException as exc:
            raise StoreError(f"{self.name}: reading graph <{graph}> failed: {exc}") from exc
        if reply.status_code == 404:  # the protocol's answer for a graph that does not exist, i.e. is empty
            reply.close()
            return None
        if reply.status_code >= 300:
            said = first_line(_bounded_text(reply))
            reply.close()
            raise StoreError(f"{self.name}: reading graph <{graph}> refused ({reply.status_code}): {said}")
        reply.raw.decode_content = True
        return reply

    def close(self) -> None:
        self.session.close()


def _bounded_text(response: requests.Response, limit: int = 4096) -> str:
    """At most ``limit`` bytes of an error answer: a hostile or broken server may send much more."""
    try:
        return response.raw.read(limit, decode_content=True).decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - the status code alone is the message then
        return ""


def _media(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def rdf_format(response: requests.Response, default: ox.RdfFormat) -> ox.RdfFormat:
    """The RDF syntax of an answer, from its Content-Type."""
    return _GRAPHS.get(_media(response), default)


def read_solutions(response: requests.Response, row_cap: int | None) -> QueryResult:
    """A SELECT or ASK answer as it streams in; with ``row_cap``, stop after one row more than the cap."""
    return capped_solutions(ox.parse_query_results(response.raw, format=_RESULTS.get(_media(response),
                                                                                      _RESULTS[SOLUTIONS])), row_cap)


def read_triples(response: requests.Response, row_cap: int | None) -> QueryResult:
    """A CONSTRUCT or DESCRIBE answer as it streams in, capped like :func:`read_solutions`."""
    return capped_triples(ox.parse(response.raw, format=rdf_format(response, ox.RdfFormat.TURTLE)), row_cap)
