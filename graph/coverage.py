"""How complete the graph is: per kind of entity, how many have each key property, computed by SPARQL over the
store (never from the curated files), so that gaps are visible and can be seen to shrink release by release.

The kinds and properties are a table (:data:`KINDS`): each kind is a graph pattern binding ``?s``, each property
a pattern over ``?s``. "European" is what the saved questions read: the derived standing inside the bloc today
(``eai:jurisdictionProfile``/``eai:insideBloc``, decisions/0010-european-rule.md). A European model's licence class is unknown when its
preferred licence has no openness class and no licence status (``eai:licenceStatus``, e.g. unpublished, stated
with its source) is recorded either.

>>> [k.name for k in KINDS][:3]
['european models', 'upstream models', 'all models']
>>> round(Coverage(kinds=(), bloc="eu", european_models=200, unknown_licence_class=19,
...                licence_status_recorded=4).unknown_share, 1)
9.5
"""

from __future__ import annotations

from dataclasses import dataclass

from euaigraph.ingest.sources.blocs import known_bloc
from euaigraph.ontology.iri import bloc_iri

from euaigraph.graph.query.run import with_prefixes
from euaigraph.graph.store.base import Store


@dataclass(frozen=True)
class Kind:
    name: str
    #: Binds ?s to each entity of the kind; ``{bloc}`` is the bloc IRI.
    pattern: str
    #: (property label, pattern over ?s that holds when the entity has it)
    properties: tuple[tuple[str, str], ...]


#: European and not: the derived standings (decisions/0010-european-rule.md), never the rule again.
_EUROPEAN = "?s a eai:AIModel ; eai:jurisdictionProfile/eai:insideBloc {bloc} ."
_LICENCE_CLASS = "?s eai:preferredLicence/eai:opennessClass ?cls ."
_SOURCES = ("sources", "?rec eai:describes ?s ; eai:recordUrl ?url .")
_MODEL_PROPERTIES = (
    ("developer", "?s eai:developedBy ?dev ."),
    ("release date", "?s eai:releaseDate ?released ."),
    # A dated page showing the model already public bounds an unknown release date (decisions/0018-release-bounds.md).
    ("release date or a bound", "{ ?s eai:releaseDate ?released . } UNION { ?s eai:releasedNoLaterThan ?bound . }"),
    ("licence", "?s eai:weightsLicence|eai:licence ?lic ."),
    ("licence class", _LICENCE_CLASS),
    ("licence class or status", f"{{ {_LICENCE_CLASS} }} UNION {{ ?s eai:licenceStatus ?status . }}"),
    ("languages", "?s eai:supportsLanguage ?lang ."),
    ("base models", "?s eai:derivedFrom ?base ."),
    ("compute", "?s eai:trainedAt ?facility ."),
    ("funding", "?s eai:fundedBy|eai:resultOf ?project ."),
    _SOURCES,
)

KINDS: tuple[Kind, ...] = (
    Kind("european models", _EUROPEAN, _MODEL_PROPERTIES),
    Kind("upstream models",
         "?e a eai:AIModel ; eai:jurisdictionProfile/eai:insideBloc {bloc} ; "
         "eai:hasAncestor ?s . FILTER NOT EXISTS { ?s eai:jurisdictionProfile/eai:insideBloc {bloc} }",
         (("developer jurisdiction", "?s eai:jurisdictionProfile ?profile . "
                                     "FILTER NOT EXISTS { ?profile eai:blocUnknown {bloc} }"),
          ("licence", "?s eai:weightsLicence|eai:licence ?lic ."),
          ("licence class", _LICENCE_CLASS), _SOURCES)),
    Kind("all models", "?s a eai:AIModel .", _MODEL_PROPERTIES),
    Kind("developers", "?m eai:developedBy ?s .",
         (("jurisdiction", "?s eai:preferredJurisdiction ?country ."),
          ("seat, own or through an affiliation", "?s eai:affiliatedWith?/eai:preferredJurisdiction ?country ."),
          ("control recorded", "?s eai:control ?control ."),
          ("foreign controller", "?s eai:controllingCountry ?cc . ?s eai:preferredJurisdiction ?own . "
                                 "FILTER(?cc != ?own)"),
          _SOURCES)),
    Kind("consortia", "?s a eai:Consortium .", (("members", "?s org:hasMember ?member ."), _SOURCES)),
    Kind("compute facilities", "?s a eai:ComputeFacility .",
         (("jurisdiction", "?s eai:preferredJurisdiction ?country ."),
          ("operator", "?s eai:operatedBy ?operator ."),
          ("accelerator vendor", "?s eai:acceleratorVendor ?vendor ."),
          ("accelerator", "?s eai:accelerator ?acc ."),
          ("models trained", "?m eai:trainedAt ?s ."), _SOURCES)),
    Kind("EuroHPC machines", "?s a eai:ComputeFacility ; eai:euroHPC true . FILTER NOT EXISTS { ?s a eai:AIFactory }",
         (("host country", "?s eai:preferredJurisdiction ?country ."),
          ("host (operator)", "?s eai:operatedBy ?operator ."),
          ("accelerator vendor", "?s eai:acceleratorVendor ?vendor ."),
          ("accelerator", "?s eai:accelerator ?acc ."),
          ("AI Factory", "?factory a eai:AIFactory ; eai:builtAround ?s ."),
          ("models trained", "?m eai:trainedAt ?s ."), _SOURCES)),
    Kind("AI Factories", "?s a eai:AIFactory .",
         (("machine", "?s eai:builtAround ?machine ."), ("jurisdiction", "?s eai:preferredJurisdiction ?country ."),
          _SOURCES)),
    Kind("projects", "?s a eai:Project .",
         (("grant number", "?s eai:grantNumber ?grant ."), ("programme", "?s eai:underProgramme ?programme ."),
          ("EC contribution", "?s eai:ecContribution ?ec ."), ("coordinator", "?s eai:coordinator ?coordinator ."),
          ("models funded", "?m eai:fundedBy ?s ."), _SOURCES)),
)


@dataclass(frozen=True)
class KindCoverage:
    kind: str
    total: int
    #: (property, how many of the kind have it), in the order of :data:`KINDS`
    counts: tuple[tuple[str, int], ...]

    def lacking(self, prop: str) -> int:
        """How many of the kind lack ``prop``."""
        return self.total - dict(self.counts)[prop]

    def share(self, prop: str) -> float:
        """Percentage of the kind that has ``prop`` (0 for an empty kind)."""
        count = dict(self.counts)[prop]
        return 100.0 * count / self.total if self.total else 0.0


@dataclass(frozen=True)
class Coverage:
    kinds: tuple[KindCoverage, ...]
    bloc: str
    european_models: int
    #: European models with neither a licence class nor a recorded licence status
    unknown_licence_class: int
    #: European models whose licence status (e.g. unpublished) is recorded instead of a licence
    licence_status_recorded: int

    @property
    def unknown_share(self) -> float:
        """Percentage of European models whose licence class is unknown."""
        return 100.0 * self.unknown_licence_class / self.european_models if self.european_models else 0.0

    def kind(self, name: str) -> KindCoverage:
        return next(k for k in self.kinds if k.kind == name)


def _count(store: Store, pattern: str) -> int:
    result = store.execute(with_prefixes(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}"))
    return int(result.rows[0][0]) if result.rows else 0


def _cell(pattern: str, prop: str, bloc_term: str, *, lacking: bool) -> str:
    """The entities of one cell of the report: those of the kind (``pattern``) that have ``prop``, or lack it."""
    return (f"{{ SELECT DISTINCT ?s WHERE {{ {pattern} }} }} "
            f"FILTER {'NOT ' if lacking else ''}EXISTS {{ {prop.replace('{bloc}', bloc_term)} }}")


def _kind_named(name: str) -> Kind:
    for kind in KINDS:
        if kind.name == name:
            return kind
    raise KeyError(f"no kind {name!r}; the kinds are: {', '.join(k.name for k in KINDS)}")


def gaps(store: Store, *, kind: str, prop: str, bloc: str = "eu",
         limit: int | None = None) -> list[tuple[str, str]]:
    """The entities of ``kind`` that lack ``prop``, as (IRI, label) sorted by label (all of them, or the first
    ``limit``): the list behind one cell of the report, so a curator sees which records to complete.

    Raises :class:`KeyError` naming the kinds, properties or blocs when ``kind``, ``prop`` or ``bloc`` is not one.
    """
    known_bloc(bloc)
    spec = _kind_named(kind)
    props = dict(spec.properties)
    if prop not in props:
        raise KeyError(f"kind {kind!r} has no property {prop!r}; its properties are: {', '.join(props)}")
    bloc_term = f"<{bloc_iri(bloc)}>"
    cell = _cell(spec.pattern.replace("{bloc}", bloc_term), props[prop], bloc_term, lacking=True)
    result = store.execute(with_prefixes(
        f"SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{ {cell} OPTIONAL {{ ?s rdfs:label ?l }} }} GROUP BY ?s"))
    rows = sorted(((str(s), str(label) if label is not None else str(s)) for s, label in result.rows),
                  key=lambda row: (row[1].casefold(), row[0]))
    return rows if limit is None else rows[:limit]


#: The front's name for :func:`gaps` (``from euaigraph.graph import coverage_gaps``).
coverage_gaps = gaps


def coverage_of(store: Store, *, bloc: str = "eu") -> Coverage:
    """The coverage of the graph in ``store``; European means a member of ``bloc`` today (:class:`KeyError` for a
    bloc the reference data does not have)."""
    known_bloc(bloc)
    bloc_term = f"<{bloc_iri(bloc)}>"
    kinds = []
    for kind in KINDS:
        pattern = kind.pattern.replace("{bloc}", bloc_term)
        counts = tuple((label, _count(store, _cell(pattern, prop, bloc_term, lacking=False)))
                       for label, prop in kind.properties)
        kinds.append(KindCoverage(kind.name, _count(store, pattern), counts))
    european = _EUROPEAN.replace("{bloc}", bloc_term)
    unknown = _count(store, f"{european} FILTER NOT EXISTS {{ {_LICENCE_CLASS} }} "
                            "FILTER NOT EXISTS { ?s eai:licenceStatus ?status }")
    status = _count(store, f"{european} ?s eai:licenceStatus ?status .")
    return Coverage(kinds=tuple(kinds), bloc=bloc, european_models=kinds[0].total, unknown_licence_class=unknown,
                    licence_status_recorded=status)
