"""The shape of the synthetic graph: weighted tables and rates, in one place so they can be read and argued with.

Weights are relative (they need not sum to 100). Countries are ISO 3166-1 alpha-3 codes, languages ISO 639-1
codes, licences SPDX ids or ``LicenseRef-*`` ids from ``data/curated/licences.yaml``.

>>> round(sum(ORG_COUNTRIES.values()))
100
>>> set(RELATION_WEIGHTS) <= {"fine-tune", "quantisation", "adapter", "merge", "continued-pretraining", "distillation"}
True
"""

from __future__ import annotations

from euaigraph.ontology import reference

#: Where the organisations that publish derivatives sit (Hugging Face users are mostly in the US and the EU).
ORG_COUNTRIES: dict[str, float] = {
    "USA": 27, "CHN": 7, "GBR": 6, "CAN": 2, "CHE": 2, "NOR": 1, "KOR": 2, "JPN": 2, "IND": 2, "ISR": 1,
    "ARE": 1, "SGP": 1, "RUS": 1, "TUR": 0.5, "UKR": 0.5, "BRA": 1, "AUS": 1,
    "DEU": 9, "FRA": 8, "NLD": 3, "ESP": 3, "ITA": 3, "SWE": 2, "POL": 2, "FIN": 1.5, "BEL": 1, "AUT": 1,
    "DNK": 1, "IRL": 1, "PRT": 1, "CZE": 1, "GRC": 1, "ROU": 0.5, "HUN": 0.5, "BGR": 0.3, "HRV": 0.3,
    "SVK": 0.3, "SVN": 0.3, "LTU": 0.3, "LVA": 0.3, "EST": 0.3, "LUX": 0.2, "CYP": 0.1, "MLT": 0.1,
}
#: Where the developers of base models sit (a few large labs, mostly outside the EU).
ROOT_COUNTRIES: dict[str, float] = {
    "USA": 45, "CHN": 20, "FRA": 8, "DEU": 6, "GBR": 4, "ARE": 3, "CAN": 2, "ESP": 2, "ITA": 2, "NLD": 2,
    "SWE": 2, "FIN": 1, "POL": 1, "CHE": 1, "KOR": 1,
}
EU27 = ("AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA",
        "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE")

ORG_TYPES: dict[str, float] = {"company": 55, "university": 15, "research-organisation": 10, "person": 12,
                               "non-profit": 4, "foundation": 2, "public-body": 2}

ROOT_LICENCES: dict[str, float] = {
    "Apache-2.0": 30, "MIT": 10, "LicenseRef-Llama-3-Community": 8, "LicenseRef-Llama-3.1-Community": 6,
    "LicenseRef-Llama-2-Community": 5, "LicenseRef-Gemma-Terms": 6, "LicenseRef-Qwen": 5, "CC-BY-NC-4.0": 5,
    "CC-BY-4.0": 4, "LicenseRef-OpenRAIL-M": 3, "LicenseRef-Mistral-Research": 2, "BSD-3-Clause": 2,
    "CC-BY-SA-4.0": 2, "LicenseRef-DeepSeek-Model": 2, "GPL-3.0-only": 1, "AGPL-3.0-only": 1, "EUPL-1.2": 1,
    "LicenseRef-Falcon-180B-TII": 1, "LicenseRef-BigScience-OpenRAIL-M": 1, "CC-BY-NC-SA-4.0": 1,
}
#: A derivative that does not keep its parent's licence picks one of these.
DERIVATIVE_LICENCES: dict[str, float] = {"Apache-2.0": 45, "MIT": 20, "CC-BY-NC-4.0": 12, "CC-BY-4.0": 8,
                                         "LicenseRef-OpenRAIL-M": 5, "GPL-3.0-only": 3, "CC-BY-SA-4.0": 4,
                                         "LicenseRef-Llama-3.1-Community": 3}
DATASET_LICENCES: dict[str, float] = {"CC-BY-4.0": 30, "ODC-By-1.0": 15, "Apache-2.0": 20, "CC-BY-SA-4.0": 10,
                                      "CC0-1.0": 10, "MIT": 10, "CC-BY-NC-4.0": 5}

EU_LANGUAGES = ("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv",
                "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv")
OTHER_LANGUAGES = ("zh", "ja", "ko", "ru", "ar", "hi", "tr", "uk", "no", "is", "vi", "id", "th", "he", "fa",
                   "sr", "ca", "eu", "gl", "sq", "mk", "bs")
#: A single-language derivative speaks one of these (English first, then large EU and world languages).
SINGLE_LANGUAGE: dict[str, float] = {"en": 40, "de": 6, "fr": 6, "es": 5, "zh": 6, "it": 3, "nl": 3, "pl": 2,
                                     "pt": 3, "ja": 3, "ko": 2, "ru": 3, "sv": 1, "fi": 1, "el": 1, "cs": 1,
                                     "ar": 2, "hi": 2, "tr": 1, "uk": 1, "ro": 1, "hu": 1, "da": 1}

#: How a derivative relates to its parent, as the Hugging Face tree types it (curated relations are rarer).
RELATION_WEIGHTS: dict[str, float] = {"fine-tune": 45, "quantisation": 30, "adapter": 15, "merge": 5,
                                      "continued-pretraining": 3, "distillation": 2}

ACCELERATOR_VENDORS: dict[str, tuple[str, float]] = {  # curated org key -> (country, share of facilities)
    "nvidia": ("USA", 78), "amd": ("USA", 12), "intel": ("USA", 5), "graphcore": ("GBR", 3), "cerebras": ("USA", 2)}

#: Facilities at start: (country, kind, EuroHPC?) with a weight of how often models are trained there.
FACILITY_SITES: tuple[tuple[str, str, bool, float], ...] = (
    ("FIN", "supercomputer", True, 6), ("ITA", "supercomputer", True, 5), ("ESP", "supercomputer", True, 5),
    ("DEU", "supercomputer", True, 5), ("FRA", "supercomputer", False, 4), ("CZE", "supercomputer", True, 1),
    ("POL", "ai-factory", True, 1), ("SWE", "supercomputer", False, 2), ("NLD", "gpu-cluster", False, 1),
    ("LUX", "supercomputer", True, 1), ("SVN", "supercomputer", True, 1), ("BGR", "supercomputer", True, 1),
    ("PRT", "supercomputer", True, 1), ("DEU", "ai-factory", True, 1), ("GRC", "ai-factory", True, 1),
    ("USA", "cloud-region", False, 20), ("USA", "cloud-region", False, 15), ("USA", "gpu-cluster", False, 10),
    ("USA", "cloud-region", False, 8), ("CHN", "gpu-cluster", False, 8), ("CHN", "cloud-region", False, 5),
    ("GBR", "supercomputer", False, 2), ("CAN", "gpu-cluster", False, 2), ("ARE", "gpu-cluster", False, 2),
    ("CHE", "supercomputer", False, 2), ("JPN", "supercomputer", False, 1), ("KOR", "cloud-region", False, 1),
)

#: Programmes (real keys from data/curated/programmes.yaml): (parent, country of a national programme, weight).
PROGRAMMES: dict[str, tuple[str | None, str | None, float]] = {
    "horizon-europe": (None, None, 45), "horizon-2020": (None, None, 25), "digital-europe": (None, None, 10),
    "eurohpc-ju-programme": (None, None, 5), "eurohpc-ai-factories": ("eurohpc-ju-programme", None, 4),
    "nextgenerationeu": (None, None, 3), "spain-alia": (None, "ESP", 3), "gaia-x-bmwk": (None, "DEU", 3),
    "frontier-ai-grand-challenge": (None, None, 2),
}

#: Openness dimensions an index grades (an osai-index-like source grades a few models on each).
OPENNESS_DIMENSIONS = ("datasources_basemodel", "datasources_endmodel", "weights_basemodel", "weights_endmodel",
                       "trainingcode", "code", "paper", "modelcard", "datasheet", "licenses")
GRADES: dict[str, float] = dict(zip((g.code for g in reference.grades()), (45, 30, 25), strict=True))

# -- rates (per model created) ----------------------------------------------------------------------------------
ROOT_SHARE = 0.012            # a new model is a base model
ROOT_POPULARITY = 1.1         # Pareto shape of base models' popularity (smaller: a heavier tail)
ROOT_PICK = 0.6               # a derivative's parent is its base model (else another derivative of that family)
URN_ENTRY = 0.3               # a derivative can be chosen as a parent at all (most never are)
MAX_DEPTH = 10                # lineage depth cap (the Hugging Face tree rarely goes deeper)
KEEP_LICENCE = 0.78           # a derivative keeps its parent's licence
NEW_ORG = 0.14                # a derivative's publisher is new (else an existing one, by popularity)
UNRESOLVED_ORG = 0.15         # a new publisher is a Hub user no reviewed alias maps (no jurisdiction known)
CURATED_MODEL = 0.01          # a derivative also has a curated record (family, funding, compute)
NEW_DATASET = 0.02
TRAINED_ON = 0.15
FUNDED = 0.03                 # an EU derivative is the result of a project
ASSESSED = 0.01               # an index grades the model's openness
INDEX_DISAGREES = 0.2         # the index places the provider elsewhere than the curated record
CONTROLLED = 0.04             # an EU company is controlled from outside the EU
CONTROL_ENDED = 0.25          # of those, the control has ended
MULTILINGUAL_ROOT = 0.3       # a base model supports many languages
