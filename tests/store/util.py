"""Helpers for the store tests: canonical dumps of a store's dataset, loading the demo source."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pyoxigraph as ox

from euaigraph.graph.load.pipeline import Outcome, ingest
from euaigraph.graph.store.base import Store
from euaigraph.ingest.base import Feed
from euaigraph.ontology.namespaces import META_GRAPH

from .demo_source import spec, write_feed

V1 = [("eurollm-9b", "EuroLLM 9B"), ("eurollm-9b-instruct", "EuroLLM 9B Instruct", "eurollm-9b"),
      ("salamandra-7b", "Salamandra 7B")]
V2 = [("poro-34b", "Poro 34B"), ("viking-7b", "Viking 7B"), ("viking-13b", "Viking 13B", "viking-7b"),
      ("teuken-7b", "Teuken 7B")]


def quads(store: Store) -> list[ox.Quad]:
    buffer = io.BytesIO()
    store.export(buffer, format="nquads")
    return list(ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS))


def canonical(quad_list: list[ox.Quad]) -> bytes:
    """Sorted N-Quads: the same dataset always gives the same bytes."""
    return b"".join(sorted(ox.serialize([q], format=ox.RdfFormat.N_QUADS) for q in quad_list))


def canonical_dataset(store: Store) -> bytes:
    return canonical(quads(store))


def data_quads(store: Store) -> bytes:
    """Every quad outside the meta graph (the facts), canonical."""
    return canonical([q for q in quads(store) if q.graph_name != ox.NamedNode(str(META_GRAPH))])


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(store: Store, tmp_path: Path, records, *, source_id: str = "demo", name: str | None = None,
         url: str | None = None, accept_shrink: bool = False) -> Outcome:
    """Ingest ``records`` as the demo source (raises IngestError if the run fails)."""
    path = write_feed(tmp_path / (name or f"{source_id}.tsv"), records)
    return ingest(store, spec(source_id), Feed.from_path(path, url=url), accept_shrink=accept_shrink)


def labels(store: Store, source_id: str = "demo") -> set[str]:
    """Labels of the demo models visible in the store (through the union of current graphs)."""
    result = store.execute(
        "SELECT ?l WHERE { ?m a <https://w3id.org/euaigraph/ontology#AIModel> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l "
        f"FILTER(STRSTARTS(STR(?m), 'https://w3id.org/euaigraph/id/model/{source_id}/')) }}")
    return {str(row[0]) for row in result.rows}
