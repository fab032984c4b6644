"""A store and a folder of saved questions whose every data field is hostile Markdown, for the rendering tests.

Each hostile value carries a marker (``HX1`` ... ``HX7``) that survives any escaping, so a test can find where it
was shown and check that the whole value is shown as text there. Values go into labels (models, organisations, a
licence), a literal fact, a source's title, homepage, live URL, a record's page, the feed's URL and version string,
rejected records and unresolved names, a failed run's error, and a saved question's summary, description, tags and
parameter label and help; the URL parameters of the pages carry them too. IRIs (homepage, feed URL) carry the
Markdown that an IRI may hold (``HX8``, ``HX9``).
"""

from __future__ import annotations

import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from euaigraph.graph.load.pipeline import IngestError, ingest, ingest_many
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ingest import registry
from euaigraph.ingest.base import Feed, FeedError, SourceSpec
from euaigraph.ontology.iri import country_iri, licence_iri, model_iri, org_iri
from euaigraph.ontology.vocab import EAI

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "explorer"))
from explorer_support import REFERENCE  # noqa: E402

#: {port} is the recording server's: an image or link to it that the browser fetched would be recorded.
TEMPLATES = (
    "HX1 ![x](http://127.0.0.1:{port}/p.png) end",
    "HX2 <img src=http://127.0.0.1:{port}/i.png> end",
    "HX3 `v1` ``v2`` code end",
    "HX4 [link](javascript:alert(1)) and [t](http://127.0.0.1:{port}/l) end",
    "HX5 [bold red]rich[/] **b** _i_ ~~s~~ $x^2$ :red[c] :smile: :material/home: end",
    "HX6 # heading http://127.0.0.1:{port}/auto www.example.org me@example.org end",
    "HX7 &lt;b&gt; | a | b | > q end",
)
MODELS = [model_iri(f"hostile/md-{n}") for n in range(1, len(TEMPLATES) + 1)]
ORG = org_iri("hostile-md-org")
LICENCE = licence_iri("Apache-2.0")


def values(port: int) -> list[str]:
    return [template.format(port=port) for template in TEMPLATES]


def _spec(source_id: str, port: int, parse) -> SourceSpec:
    hostile = values(port)
    return SourceSpec(id=source_id, title=hostile[2], homepage=f"https://example.org/{source_id}/HX8_**b**_:smile:",
                      data_licence="CC0-1.0", parse=parse, min_triples=1, priority=1,
                      live_url=f"https://example.org/{source_id}/live")


def build(home: Path, port: int) -> Path:
    """The reference sources and a hostile source (one successful run with rejections and unresolved names), then
    a failed run of a second hostile source whose error message is hostile."""
    hostile = values(port)
    triples = [(ORG, RDF.type, EAI.Organisation), (ORG, RDFS.label, Literal(hostile[1])),
               (ORG, EAI.jurisdiction, country_iri("FRA")), (LICENCE, SKOS.altLabel, Literal(hostile[4]))]
    for n, (model, label) in enumerate(zip(MODELS, hostile)):
        triples += [(model, RDF.type, EAI.AIModel), (model, RDFS.label, Literal(label)),
                    (model, EAI.providedBy, ORG), (model, EAI.licence, LICENCE),
                    (model, RDFS.comment, Literal(hostile[(n + 1) % len(hostile)]))]
        if n:
            triples.append((model, EAI.derivedFrom, MODELS[0]))
    # A source record whose page URL is an IRI holding Markdown: the AI Act panel cites it under "Sources".
    record = URIRef("https://w3id.org/euaigraph/id/record/hostile-md/md-1")
    triples += [(record, EAI.describes, MODELS[0]),
                (record, EAI.recordUrl, URIRef("https://example.org/record/HX8_:smile:_www.example.org/x"))]

    def parse(feed, report):
        report.read(len(triples) + 1)  # every triple a record, and one more that is rejected
        report.reject(hostile[0], hostile[5])
        report.unresolved_name(hostile[6], "country", hostile[3])
        report.ingested(len(triples))
        return iter(triples)

    def broken(feed, report):
        raise FeedError("hostile-md-failing", hostile[6], hostile[0])

    feed_file = home.parent / f"{home.name}-feed.txt"
    feed_file.write_text("hostile feed\n", encoding="utf-8")
    feed = Feed(path=feed_file, url=f"https://example.org/feed/HX9_~~s~~_*i*_:red",
                retrieved_at=datetime(2025, 1, 2, tzinfo=UTC), version=hostile[2])
    jobs = [(registry.get(sid), Feed.from_path(registry.get(sid).shipped_path())) for sid in REFERENCE]
    with EmbeddedStore(home, writable=True) as store:
        outcomes = ingest_many(store, [*jobs, (_spec("hostile-md", port, parse), feed)], all_or_nothing=True)
        assert all(o.ok for o in outcomes), [o.message for o in outcomes]
        try:
            ingest(store, _spec("hostile-md-failing", port, broken), Feed.from_path(feed_file))
        except IngestError:
            pass
    return home


def questions(root: Path, port: int) -> Path:
    """A saved question whose header is hostile, with a hostile parameter label and help."""
    hostile = values(port)
    path = root / "hostile" / "markdown.rq"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(f"""\
        #+ summary: "{hostile[0]}"
        #+ description: "{hostile[3]}"
        #+ tags: ["{hostile[2]}"]
        #+ params:
        #+   - {{name: who, type: string, default: "x", label: "{hostile[4]}", description: "{hostile[5]}"}}
        SELECT ?model ?label WHERE {{ ?model a eai:AIModel ; rdfs:label ?label . FILTER(?label != ?who) }}
        """), encoding="utf-8")
    return root
