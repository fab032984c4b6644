"""Labels in the analyst's language (``graph.labels``) and finding an entity by a name in any language, on the
shipped graph (country and language names from the iso-codes translations, the project's terms from the ontology)
and on the query fixture (an EU Vocabularies preferred label beside an alternative one)."""

from __future__ import annotations

import pytest

from euaigraph.graph import labels as L
from euaigraph.graph.query.run import run_saved
from euaigraph.graph.query.saved import find
from euaigraph.graph.query.worker import QueryWorkers, StoreRef
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.store.terms import UnsafeIriError, check_iri
from euaigraph.ontology.iri import country_iri, language_iri, model_iri
from euaigraph.ontology.vocab import EAI

DEU, GERMAN, EUROLLM = str(country_iri("DEU")), str(language_iri("DEU")), str(model_iri("utter-project/eurollm-9b"))


@pytest.fixture(scope="module")
def shipped(shipped_home):
    with EmbeddedStore(shipped_home) as store:
        yield store


@pytest.mark.parametrize(("language", "country", "term"), [
    ("en", "Germany", "open with restrictions"),
    ("fr", "Allemagne", "ouverte avec restrictions"),
    ("de", "Deutschland", "offen mit Einschränkungen"),
    ("ga", "An Ghearmáin", "open with restrictions"),  # no Irish label for the term: English
])
def test_labels_come_in_the_language_asked_for_with_english_as_the_fallback(shipped, language, country, term):
    found = L.labels(shipped, [DEU, str(EAI.OpenRestrictedLicence), EUROLLM], language)
    assert found[DEU] == country and found[str(EAI.OpenRestrictedLicence)] == term
    assert found[EUROLLM] == "EuroLLM-9B"  # a name without a language is the same in every language


def test_every_iri_asked_for_gets_a_label_and_hostile_text_is_never_sent(shipped, monkeypatch):
    assert L.labels(shipped, ["https://w3id.org/euaigraph/id/nothing/here"], "fr") == {
        "https://w3id.org/euaigraph/id/nothing/here": "here"}
    hostile = "http://x> } ; DROP ALL ; #"
    with pytest.raises(UnsafeIriError):  # the IRI cannot be written into a query ...
        check_iri(hostile)
    sent = []
    real = type(shipped).execute
    monkeypatch.setattr(type(shipped), "execute", lambda self, q, **kw: sent.append(q) or real(self, q, **kw))
    named = L.labels(shipped, [hostile, DEU], "fr")  # ... so it is named by its last segment and never sent
    assert named == {hostile: hostile, DEU: "Allemagne"}  # plain text; pages escape what they show
    assert sent and not any("DROP" in q for q in sent)
    assert L.labels(shipped, [hostile], "fr") == {hostile: hostile}


def test_a_preferred_label_wins_over_an_alternative_one_in_the_same_language(tmp_path_factory):
    from queries.fixture_store import build_fixture_store

    with EmbeddedStore(build_fixture_store(tmp_path_factory.mktemp("labels-fixture"))) as store:
        assert L.labels(store, [DEU], "de")[DEU] == "Deutschland"  # not "Bundesrepublik Deutschland"
        assert L.labels(store, [GERMAN], "de")[GERMAN] == "Deutsch"  # the only German name is alternative


@pytest.fixture(scope="module")
def answer(shipped_home):
    with QueryWorkers(StoreRef(home=str(shipped_home)), size=1) as workers:
        yield lambda question, params: run_saved(workers, find(question), params, timeout_s=60)


@pytest.mark.parametrize(("text", "entity", "language"), [
    ("Allemagne", DEU, "fr"), ("DEUTSCHLAND", DEU, "de"), ("allemand", GERMAN, "fr"), ("Γερμανία", DEU, "el"),
    ("Saksa", DEU, "fi"), ("germany", DEU, "en")])
def test_an_entity_is_found_by_its_name_in_any_language(answer, text, entity, language):
    matches = L.find_by_label(answer, text)
    assert any(m.entity == entity and m.language == language for m in matches), matches
    assert all(text.lower() in m.matched.lower() for m in matches)
    assert {m.label for m in matches if m.entity == DEU} <= {"Germany"}  # shown by its English name


def test_a_search_is_plain_text(answer):
    assert L.find_by_label(answer, 'x" } ; DROP ALL ; #') == []
    with pytest.raises(ValueError, match="type part of a name"):
        L.find_by_label(answer, "   ")
