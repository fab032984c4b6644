"""The OWL ontology: it parses, the generated vocabulary matches it, every term is documented and aligned as
the ontology's header plans, nothing in it can merge distinct things, and HermiT finds it consistent."""

from __future__ import annotations

import importlib
import shutil

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from euaigraph.ontology import gen_vocab, ontology_path
from euaigraph.ontology.namespaces import EAI_NS, ORG, SCHEMA

EURIO = "http://data.europa.eu/s66#"
SPDX3 = "https://spdx.org/rdf/3.0.1/terms/"
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


def ours(graph: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(EAI_NS)))


def test_parses_into_an_owl_ontology(onto):
    assert (URIRef("https://w3id.org/euaigraph/ontology"), RDF.type, OWL.Ontology) in onto
    assert len(ours(onto, OWL.Class)) >= 30
    assert sum(len(ours(onto, kind)) for kind in PROPERTY_TYPES) >= 100


def test_vocab_module_is_what_the_generator_writes(onto):
    """A vocabulary left stale after an ontology change fails here: rerun ``python -m euaigraph.ontology.gen_vocab``."""
    assert gen_vocab.vocab_path().read_text(encoding="utf-8") == gen_vocab.render(onto)


def test_generator_sees_a_new_term(onto):
    changed = Graph()
    changed += onto
    changed.add((EAI_NS.BrandNewClass, RDF.type, OWL.Class))
    assert "BrandNewClass: URIRef" in gen_vocab.render(changed)
    assert gen_vocab.render(changed) != gen_vocab.render(onto)


def test_vocab_is_closed():
    vocab = importlib.import_module("euaigraph.ontology.vocab")
    assert vocab.EAI.derivedFrom == EAI_NS.derivedFrom
    with pytest.raises(AttributeError, match="AIModle"):
        _ = vocab.EAI.AIModle
    with pytest.raises(AttributeError):
        _ = vocab.EAI.developedby  # case matters


def test_every_vocab_term_is_defined(onto):
    from euaigraph.ontology.vocab import EAI

    defined = set(gen_vocab.defined_terms(onto))
    annotated = set(EAI.__annotations__)
    assert annotated == defined


def test_every_class_and_property_has_label_and_comment(onto):
    missing = []
    for kind in (OWL.Class, *PROPERTY_TYPES):
        for term in ours(onto, kind):
            for annotation in (RDFS.label, RDFS.comment):
                values = [v for v in onto.objects(term, annotation) if isinstance(v, Literal) and str(v).strip()]
                if not any(v.language == "en" for v in values):
                    missing.append(f"{term.fragment} lacks an English {annotation.fragment}")
    assert not missing, "\n".join(missing)


# The ontology's key properties: the domain and range each one implies.
IMPLIED = {
    "derivedFrom": ("AIModel", "AIModel"),
    "fineTunedFrom": ("AIModel", "AIModel"),
    "continuedPretrainingOf": ("AIModel", "AIModel"),
    "distilledFrom": ("AIModel", "AIModel"),
    "mergedFrom": ("AIModel", "AIModel"),
    "quantisedFrom": ("AIModel", "AIModel"),
    "adapterOf": ("AIModel", "AIModel"),
    "hasAncestor": ("AIModel", "AIModel"),
    "usesTokenizerOf": ("AIModel", "AIModel"),
    "trainedOn": ("AIModel", "Dataset"),
    "providedBy": ("AIModel", None),
    "licence": (None, "Licence"),
    "weightsLicence": (None, "Licence"),
    "codeLicence": (None, "Licence"),
    "dataLicence": (None, "Licence"),
    "resultOf": (None, "Project"),
    "underProgramme": ("Project", "FundingProgramme"),
    "awardedTo": ("Project", "Organisation"),
    "trainedAt": (None, "ComputeFacility"),
    "acceleratorVendor": ("ComputeFacility", "Organisation"),
    "jurisdiction": (None, "Country"),
    "controlledBy": ("Organisation", "Organisation"),
    "supportsLanguage": (None, "Language"),
    "versionOf": ("AIModel", "AIModel"),
    "supersedes": ("AIModel", "AIModel"),
    "parameterCount": ("AIModel", None),
    "membership": ("Country", "Membership"),
    "inBlocToday": ("Country", "Bloc"),
}
XSD_RANGES = {"gated": "boolean", "gpuHours": "decimal", "trainingComputeFLOP": "double",
              "retrievedAt": "dateTime", "triplesWritten": "integer"}


@pytest.mark.parametrize("name", sorted(IMPLIED))
def test_key_property_has_the_domain_and_range_design_implies(onto, name):
    domain, range_ = IMPLIED[name]
    term = EAI_NS[name]
    assert any((term, RDF.type, kind) in onto for kind in PROPERTY_TYPES), f"{name} is not a property"
    if domain:
        assert (term, RDFS.domain, EAI_NS[domain]) in onto, f"{name} should have domain eai:{domain}"
    if range_:
        assert (term, RDFS.range, EAI_NS[range_]) in onto, f"{name} should have range eai:{range_}"


@pytest.mark.parametrize("name", sorted(XSD_RANGES))
def test_datatype_property_has_its_xsd_range(onto, name):
    term = EAI_NS[name]
    assert (term, RDF.type, OWL.DatatypeProperty) in onto
    assert onto.value(term, RDFS.range) == URIRef(f"http://www.w3.org/2001/XMLSchema#{XSD_RANGES[name]}")


def test_lineage_is_direct_and_aligned_to_prov(onto):
    assert (EAI_NS.derivedFrom, RDFS.subPropertyOf, PROV.wasDerivedFrom) in onto
    assert (EAI_NS.derivedFrom, RDF.type, OWL.TransitiveProperty) not in onto
    for sub in ("fineTunedFrom", "continuedPretrainingOf", "distilledFrom", "mergedFrom", "quantisedFrom", "adapterOf"):
        assert (EAI_NS[sub], RDFS.subPropertyOf, EAI_NS.derivedFrom) in onto, sub


# The ontology's class table: class -> (superclasses, skos:closeMatch targets).
ALIGNMENTS = {
    "AIModel": ({PROV.Entity, SCHEMA.CreativeWork}, {f"{SPDX3}AI/AIPackage", "https://w3id.org/airo#AIModel",
                                                     "https://w3id.org/fair4ml#MLModel"}),
    "ModelFamily": ({SKOS.Concept}, set()),
    "Dataset": ({ns.DCAT.Dataset}, {f"{SPDX3}Dataset/DatasetPackage", str(SCHEMA.Dataset)}),
    "Licence": ({ns.DCTERMS.LicenseDocument}, {"http://spdx.org/rdf/terms#License"}),
    "Organisation": ({ORG.Organization}, {f"{EURIO}Organisation", str(SCHEMA.Organization)}),
    "Consortium": ({ORG.OrganizationalCollaboration, EAI_NS.Organisation}, set()),
    "FundingProgramme": (set(), {f"{EURIO}FundingScheme"}),
    "Grant": ({SCHEMA.Grant}, {"http://purl.org/cerif/frapo/Grant"}),
    "Project": (set(), {f"{EURIO}Project"}),
    "ComputeFacility": ({PROV.Entity}, {"https://w3id.org/aiod#ComputeAsset"}),
    "TrainingRun": ({PROV.Activity}, {"http://www.w3.org/ns/mls#Run"}),
    "Deployment": ({PROV.Entity}, set()),
    "SoftwarePackage": ({SCHEMA.SoftwareApplication}, {f"{SPDX3}Software/Package"}),
    "OpennessAssessment": ({PROV.Entity}, set()),
}


@pytest.mark.parametrize("name", sorted(ALIGNMENTS))
def test_class_is_aligned_as_design_plans(onto, name):
    supers, matches = ALIGNMENTS[name]
    term = EAI_NS[name]
    assert (term, RDF.type, OWL.Class) in onto
    assert supers <= set(onto.objects(term, RDFS.subClassOf)), f"{name}: missing superclasses"
    assert matches <= {str(o) for o in onto.objects(term, SKOS.closeMatch)}, f"{name}: missing alignments"


def test_every_aligned_vocabulary_is_used(onto):
    """PROV-O, DCAT, ORG, schema.org, SPDX and EURIO all appear as superclasses or matches."""
    targets = {str(o) for p in (RDFS.subClassOf, SKOS.closeMatch, RDFS.subPropertyOf) for o in onto.objects(None, p)}
    for namespace in (str(PROV), str(ns.DCAT), str(ORG), str(SCHEMA), "http://spdx.org/rdf/terms#", SPDX3, EURIO):
        assert any(t.startswith(namespace) for t in targets), f"nothing aligned to {namespace}"


def test_the_project_s_terms_are_labelled_in_english_french_and_german(onto):
    """Every class, property and concept the explorer can show has one label in each of the three languages
    (the explorer's language choice reads them through graph.labels)."""
    missing = []
    for kind in (OWL.Class, *PROPERTY_TYPES, SKOS.Concept, SKOS.ConceptScheme):
        for term in ours(onto, kind):
            labels = [v for p in (RDFS.label, SKOS.prefLabel) for v in onto.objects(term, p) if isinstance(v, Literal)]
            for language in ("en", "fr", "de"):
                found = sum(1 for v in labels if v.language == language)
                if found != 1:
                    missing.append(f"{term.fragment}: {found} {language} labels")
    assert not missing, "\n".join(missing)


def test_no_functional_properties(onto):
    """Sources disagree; a functional property would let OWL reasoning merge distinct organisations."""
    assert not list(onto.subjects(RDF.type, OWL.FunctionalProperty))
    assert not list(onto.subjects(RDF.type, OWL.InverseFunctionalProperty))


def test_no_identity_claims_about_outside_things(onto):
    for predicate in (OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty):
        for s, o in onto.subject_objects(predicate):
            assert str(s).startswith(str(EAI_NS)) and str(o).startswith(str(EAI_NS)), f"{s} {predicate} {o}"


# -- owlready2 + HermiT ------------------------------------------------------------------------------------------
def _java_or_skip() -> None:
    if shutil.which("java") is None:
        pytest.skip("HermiT needs a Java runtime and `java` is not on PATH (apt-get install default-jre-headless)")


def _hermit(graph: Graph, tmp_path):
    """Load ``graph`` into a fresh owlready2 world (as N-Triples) and run HermiT on it."""
    import owlready2

    path = tmp_path / "ontology.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load()
    with ontology:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    return world


@pytest.mark.slow
def test_owlready2_loads_it_and_hermit_finds_it_consistent(onto, tmp_path):
    _java_or_skip()
    world = _hermit(onto, tmp_path)
    for term in ours(onto, OWL.Class):
        assert world[str(term)] is not None, f"owlready2 did not load {term}"
    assert list(world.inconsistent_classes()) == []


@pytest.mark.slow
def test_hermit_reports_an_inconsistent_variant(onto, tmp_path):
    """The consistency check can fail: disjoint classes sharing an individual are inconsistent."""
    import owlready2

    _java_or_skip()
    broken = Graph()
    broken += onto
    broken.add((EAI_NS.AIModel, OWL.disjointWith, EAI_NS.Licence))
    thing = URIRef("https://w3id.org/euaigraph/id/model/test/both")
    broken.add((thing, RDF.type, OWL.NamedIndividual))
    broken.add((thing, RDF.type, EAI_NS.AIModel))
    broken.add((thing, RDF.type, EAI_NS.Licence))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(broken, tmp_path)


def test_every_weights_or_data_dimension_the_ingesters_read_has_its_aspect():
    """A new index generation whose weights or data dimension is not listed would drop out of the open-washing
    question and the data part of profiles without a word; so every dimension the readers define whose label
    speaks of weights, parameters or (training) data is listed under its aspect, and nothing else is."""
    from euaigraph.ingest.openness_generations import GENERATIONS
    from euaigraph.ontology import reference

    aspects = reference.openness_aspects()
    for generation in GENERATIONS:
        for code, (label, *_rest) in generation.dimensions.items():
            words = str(label).lower()
            about = ("weights" if "weights" in words or "parameters" in words
                     else "data" if ("data" in words or "sources" in words) and "sheet" not in words else None)
            assert aspects.get(code.lower()) == about, (generation.key, code, label)
    assert set(aspects.values()) == {"weights", "data"}
