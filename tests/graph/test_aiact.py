"""The AI Act indicators, one rule at a time, then materialised by the derived graph on small hand-made inputs whose
answers are worked out in the comments (decisions/0014-ai-act-indicators.md)."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Literal
from rdflib import namespace as ns

from euaigraph.graph.load import aiact
from euaigraph.graph.load.aiact import NO, UNKNOWN, YES
from euaigraph.graph.load.derived import Inputs, compute
from euaigraph.ontology import reference
from euaigraph.ontology.indicators import answers, indicator, indicators, modality
from euaigraph.ontology.iri import licence_iri, model_iri, node_iri, org_iri
from euaigraph.ontology.vocab import EAI

TEXT, AUDIO, IMAGE, VIDEO = (modality(c).iri for c in ("text", "audio", "image", "video"))
OPEN_CLASS = indicator("open-source-exemption").licence_class
OPEN, PARTIAL, CLOSED = (g.iri for g in reference.grades())


def test_the_thresholds_and_the_licence_class_are_the_ontology_s():
    assert indicator("systemic-risk").compute_threshold == 1e25  # Article 51(2)
    assert indicator("general-purpose").compute_threshold == 1e23  # the Commission's guidelines
    assert indicator("general-purpose").parameter_threshold == 1e9  # recital 98
    assert OPEN_CLASS == reference.licence_classes()[0].iri  # the most open class: OSI/FSF, no use restrictions
    assert all(i.definition for i in indicators()), "every indicator states its rule"


# -- modality ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "inputs", "outputs"), [
    ("text; text", {TEXT}, {TEXT}),
    ("text", {TEXT}, {TEXT}),  # one list: the model's type, both sides
    ("language", {TEXT}, {TEXT}),  # the Model Openness Framework's word
    ("text,code", {TEXT}, {TEXT}),
    ("image, text; text", {IMAGE, TEXT}, {TEXT}),
    ("Text; Image", {TEXT}, {IMAGE}),  # case does not matter
    ("audio, text; audio", {AUDIO, TEXT}, {AUDIO}),
    ("text; audio, video", {TEXT}, {AUDIO, VIDEO}),
])
def test_a_modality_text_is_read_as_inputs_and_outputs(text, inputs, outputs):
    assert aiact.read_modality(text) == (frozenset(inputs), frozenset(outputs))


@pytest.mark.parametrize("text", ["text; protein sequence", "molecules, tasks", "image; 3D", "", "text; unknown"])
def test_outputs_no_modality_names_are_not_read(text):
    assert aiact.read_modality(text) is None


# -- general-purpose -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("inputs", "outputs", "compute", "parameters", "answer"), [
    ({TEXT}, {TEXT}, 2e23, None, YES),  # generates text, compute above 10^23
    ({TEXT}, {TEXT}, 1e23, 7e9, NO),  # at the threshold is not above it; compute decides before parameters
    ({TEXT}, {TEXT}, None, 7e9, YES),  # no compute: at least 10^9 parameters
    ({TEXT}, {TEXT}, None, 1e9, YES),  # "at least" a billion
    ({TEXT}, {TEXT}, None, 3.5e8, NO),
    ({TEXT}, {TEXT}, None, None, UNKNOWN),  # size unknown
    ({TEXT}, {IMAGE}, 5e23, None, YES),  # text-to-image
    ({IMAGE}, {IMAGE}, 5e23, None, NO),  # image-to-image generates no language and nothing from text
    ({AUDIO}, {AUDIO}, 5e23, None, YES),  # language in the form of audio
    ({TEXT}, {VIDEO}, None, 2e9, YES),
    (set(), set(), 5e25, None, UNKNOWN),  # modality unknown, however large
    (set(), set(), 5e22, None, NO),  # too small whatever it generates
])
def test_general_purpose(inputs, outputs, compute, parameters, answer):
    assert aiact.general_purpose(inputs=inputs, outputs=outputs, compute=compute, parameters=parameters) == answer


# -- systemic risk ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("compute", "answer"), [(3.8e25, YES), (1.0000001e25, YES), (1e25, NO), (2.1e23, NO),
                                                 (None, UNKNOWN)])
def test_systemic_risk_presumption_is_strictly_above_ten_to_the_25(compute, answer):
    assert aiact.systemic_risk(compute) == answer


# -- the exemption ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("repository", "grades", "answer"), [
    (True, [], YES), (False, [OPEN], YES), (False, [PARTIAL], YES), (False, [CLOSED, PARTIAL], YES),
    (False, [CLOSED], NO), (True, [CLOSED], YES), (False, [], UNKNOWN)])
def test_a_publication_requirement(repository, grades, answer):
    assert aiact.published(repository=repository, grades=grades) == answer


OTHER_CLASS = reference.licence_classes()[1].iri  # open with restrictions: not free and open-source


@pytest.mark.parametrize(("licence_class", "parts", "systemic", "answer"), [
    (OPEN_CLASS, (YES, YES, YES), NO, YES),
    (OPEN_CLASS, (YES, YES, YES), UNKNOWN, UNKNOWN),  # systemic risk cannot be ruled out
    (OPEN_CLASS, (YES, YES, YES), YES, NO),  # presumed systemic: no exemption
    (OTHER_CLASS, (YES, YES, YES), NO, NO),
    (None, (YES, YES, YES), NO, UNKNOWN),  # no licence class known
    (OPEN_CLASS, (YES, NO, YES), NO, NO),
    (OPEN_CLASS, (YES, UNKNOWN, YES), NO, UNKNOWN),
])
def test_open_source_exemption(licence_class, parts, systemic, answer):
    weights, architecture, usage = parts
    assert aiact.open_source_exemption(licence_class=licence_class, weights=weights, architecture=architecture,
                                       usage=usage, systemic=systemic) == answer


# -- placed on the market before the obligations (Art. 111(3)) ------------------------------------------------------
@pytest.mark.parametrize(("released", "bound", "answer"), [
    ("2025-08-01", None, YES), ("2025-08-02", None, NO),  # the cut-off day itself is not before it
    ("2025-07", None, YES), ("2025-08", None, UNKNOWN), ("2025", None, UNKNOWN), ("2024", None, YES),
    ("2026", None, NO), (None, "2025-08-01", YES), (None, "2025-08-02", UNKNOWN),  # a bound never says no
    (None, "2025-07", YES), ("2025", "2025-03-04", YES), (None, None, UNKNOWN),
])
def test_a_model_is_placed_before_the_obligations_by_its_release_or_a_bound(released, bound, answer):
    assert aiact.placed_before_obligations(released=released, bound=bound) == answer


# -- Code of Practice ------------------------------------------------------------------------------------------------
def test_the_signature_counts_for_the_provider_or_its_controllers():
    control = {"lab": "group", "group": "holding", "a": "b", "b": "a"}
    assert aiact.signatory(["lab"], signed={"holding"}, control=control) == "holding"
    assert aiact.signatory(["lab"], signed={"lab", "holding"}, control=control) == "lab"  # the nearest
    assert aiact.signatory(["other", "lab"], signed={"group"}, control=control) == "group"  # any provider
    assert aiact.signatory(["a"], signed=set(), control=control) is None  # a cycle ends
    assert aiact.code_of_practice(None) == UNKNOWN  # never read as a refusal
    assert aiact.code_of_practice("lab") == YES


# -- materialised ----------------------------------------------------------------------------------------------------
BASE, TUNE, SMALL, BIG = (model_iri(f"test/{n}") for n in ("base", "tune", "small", "big"))
LAB, GROUP = org_iri("lab"), org_iri("group")
APACHE, RESTRICTED = licence_iri("Apache-2.0"), licence_iri("LicenseRef-Restricted")


def derived(claims) -> set[tuple]:
    inputs = Inputs()
    for claim in claims:
        inputs.add(*claim)
    return set(compute(inputs, today=date(2026, 1, 1)))


def answers_of(out: set[tuple], model) -> dict[str, str]:
    profile = next(o for s, p, o in out if s == model and p == EAI.aiActProfile)
    codes = {i.iri: i.code for i in indicators()}
    props = {EAI.answersYes: YES, EAI.answersNo: NO, EAI.answersUnknown: UNKNOWN}
    return {codes[o]: props[p] for s, p, o in out if s == profile and p in props}


def flop(value: float) -> Literal:
    return Literal(value, datatype=ns.XSD.double)


CLAIMS = [
    *((m, ns.RDF.type, EAI.AIModel, 1) for m in (BASE, TUNE, SMALL, BIG)),
    # BASE: text generator, 2e23 FLOP (index) and 9e22 (a worse-priority feed); open licence; on the Hub.
    (BASE, EAI.modality, Literal("text; text"), 4), (BASE, EAI.trainingComputeFLOP, flop(2e23), 2),
    (BASE, EAI.trainingComputeFLOP, flop(9e22), 4), (BASE, EAI.licence, APACHE, 1),
    (APACHE, EAI.opennessClass, OPEN_CLASS, 1), (BASE, EAI.huggingFaceId, Literal("test/base"), 3),
    (BASE, EAI.providedBy, LAB, 1), (LAB, EAI.control, node_iri("control", "lab", "group"), 1),
    (node_iri("control", "lab", "group"), EAI.controller, GROUP, 1),
    (GROUP, EAI.codeOfPracticeSignature, node_iri("signature", "group"), 1),
    # TUNE: a fine-tune of BASE stating no modality, with 8e9 parameters and a restricted licence.
    (TUNE, EAI.fineTunedFrom, BASE, 1), (TUNE, EAI.parameterCount, Literal(8e9, datatype=ns.XSD.double), 1),
    (TUNE, EAI.licence, RESTRICTED, 1), (RESTRICTED, EAI.opennessClass, OTHER_CLASS, 1),
    # SMALL: 3e8 parameters, nothing else. BIG: 5e25 FLOP, weights graded closed by an index.
    (SMALL, EAI.parameterCount, Literal(3e8, datatype=ns.XSD.double), 1),
    (BIG, EAI.trainingComputeFLOP, flop(5e25), 4), (BIG, EAI.openness, node_iri("assessment", "big", "w"), 4),
    (node_iri("assessment", "big", "w"), EAI.dimension, node_iri("concept", "index", "weights_endmodel"), 4),
    (node_iri("assessment", "big", "w"), EAI.grade, CLOSED, 4),
    # Releases: BASE in May 2024 (curated) though a feed says September 2025; TUNE only seen public on a dated page
    # of 30 July 2025; BIG released on 15 August 2025; SMALL has no date.
    (BASE, EAI.releaseDate, Literal("2024-05", datatype=ns.XSD.gYearMonth), 1),
    (BASE, EAI.releaseDate, Literal("2025-09-01", datatype=ns.XSD.date), 4),
    (TUNE, EAI.releasedNoLaterThan, Literal("2025-09-10", datatype=ns.XSD.date), 1),
    (TUNE, EAI.releasedNoLaterThan, Literal("2025-07-30", datatype=ns.XSD.date), 1),
    (BIG, EAI.releaseDate, Literal("2025-08-15", datatype=ns.XSD.date), 4),
]


def test_every_model_gets_its_answers_and_the_facts_they_used():
    out = derived(CLAIMS)
    # BASE: preferred compute is the priority-2 figure, 2e23: general-purpose, not systemic; open, published:
    # a candidate; its provider's controller signed.
    assert (BASE, EAI.preferredTrainingCompute, flop(2e23)) in out
    assert answers_of(out, BASE) == {"general-purpose": YES, "systemic-risk": NO, "open-source-exemption": YES,
                                     "weights-public": YES, "architecture-public": YES,
                                     "usage-information-public": YES, "code-of-practice": YES,
                                     "placed-before-obligations": YES}
    assert (BASE, EAI.codeOfPracticeSignatory, GROUP) in out
    assert (BASE, EAI.preferredReleaseDate, Literal("2024-05", datatype=ns.XSD.gYearMonth)) in out  # the curated
    # TUNE takes BASE's modality; 8e9 parameters make it general-purpose; its licence (and the effective class,
    # the stricter of its own and BASE's) is not free and open-source; it has no provider recorded.
    assert (TUNE, EAI.outputModality, TEXT) in out
    assert answers_of(out, TUNE) == {"general-purpose": YES, "systemic-risk": UNKNOWN, "open-source-exemption": NO,
                                     "weights-public": UNKNOWN, "architecture-public": UNKNOWN,
                                     "usage-information-public": UNKNOWN, "code-of-practice": UNKNOWN,
                                     "placed-before-obligations": YES}  # the earliest dated page bounds it
    # SMALL: too small to be general-purpose whatever it generates; no release date.
    assert answers_of(out, SMALL)["general-purpose"] == NO
    assert answers_of(out, SMALL)["placed-before-obligations"] == UNKNOWN
    # BIG: presumed systemic; weights graded closed and no repository.
    assert answers_of(out, BIG) == {"general-purpose": UNKNOWN, "systemic-risk": YES, "open-source-exemption": NO,
                                    "weights-public": NO, "architecture-public": UNKNOWN,
                                    "usage-information-public": UNKNOWN, "code-of-practice": UNKNOWN,
                                    "placed-before-obligations": NO}


def test_models_with_the_same_answers_share_one_profile():
    out = derived([*CLAIMS, (model_iri("test/small2"), ns.RDF.type, EAI.AIModel, 1),
                   (model_iri("test/small2"), EAI.parameterCount, Literal(2e8, datatype=ns.XSD.double), 1)])
    profile = {s: o for s, p, o in out if p == EAI.aiActProfile}
    assert profile[SMALL] == profile[model_iri("test/small2")]
    assert len(set(profile.values())) == 4
    for node in set(profile.values()):  # every profile answers every indicator once
        assert len({o for s, p, o in out if s == node and p in answers()}) == len(indicators())
