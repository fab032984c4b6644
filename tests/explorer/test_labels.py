"""Names shown on the English pages: a term labelled in several languages is shown by its English label."""

from __future__ import annotations

from euaigraph.explorer.data import labels_of
from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.ontology.vocab import EAI


def test_a_term_labelled_in_three_languages_is_named_in_english(shipped_home):
    """eai:OpenLicence is "open"@en, "ouverte"@fr, "offen"@de: the entity page showed whichever came first."""
    classes = {str(EAI.OpenLicence), str(EAI.OpenRestrictedLicence), str(EAI.NonCommercialLicence),
               str(EAI.ClosedLicence)}
    with EmbeddedStore(shipped_home) as store:
        names = labels_of(store, classes)
    assert set(names) == classes
    assert names[str(EAI.OpenLicence)] == "open"
    assert all(name.isascii() and name == name.lower() for name in names.values()), names
