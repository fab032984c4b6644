"""An answer as an analyst reads it: one column per variable with a readable title, IRIs as their labels linking to
their entity pages, numbers, money, percentages and dates as such (see :mod:`euaigraph.explorer.names`).

A variable ``<v>Label`` next to an IRI variable ``<v>`` is not repeated: the IRI's column shows the label already.

>>> from rdflib import Literal, URIRef
>>> from euaigraph.graph import QueryResult
>>> m = URIRef("https://w3id.org/euaigraph/id/model/a/b")
>>> r = QueryResult(kind="select", variables=["model", "modelLabel", "params"], rows=[(m, Literal("B"), Literal(7))])
>>> t = labelled(r, lambda iris: {i: "Model B" for i in iris})
>>> list(t.frame.columns), t.frame.iloc[0, 0], int(t.frame.iloc[0, 1]), t.entities[0]
(['Model', 'Params'], 'Model B', 7, [('Model', 'https://w3id.org/euaigraph/id/model/a/b', 'Model B')])
>>> linked(t).frame.iloc[0, 0]
'entity?iri=https%3A%2F%2Fw3id.org%2Feuaigraph%2Fid%2Fmodel%2Fa%2Fb#Model B'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import streamlit as st
from rdflib import BNode, Literal, URIRef

from euaigraph.graph import QueryResult
from euaigraph.ontology.namespaces import EAI_NS

from . import names

Namer = Callable[[Iterable[str]], Mapping[str, str]]


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame  # plain values: labels for IRIs (charts read this)
    config: dict = field(default_factory=dict)  # column title -> st.column_config
    entities: list[list[tuple[str, str, str]]] = field(default_factory=list)  # per row: (title, IRI, label)
    links: tuple[str, ...] = ()  # titles of the columns that hold entity IRIs


def _rows(result: QueryResult) -> tuple[list[str], list[tuple]]:
    if result.kind == "graph":
        return ["subject", "predicate", "object"], [tuple(t) for t in result.triples]
    return list(result.variables), [tuple(r) for r in result.rows]


def _value(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool | int | float | date | datetime):
            return value
        if isinstance(value, Decimal):
            return float(value)
        return str(term)
    return str(term)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, datetime):
        return "datetime"
    return "date" if isinstance(value, date) else "text"


def _uniform(values: list) -> list:
    """A column of one kind of value: mixed ones (a year here, a day there) become text, dates as days."""
    if len({_kind(v) for v in values if v is not None}) <= 1:
        return values
    return [None if v is None else names.day(v) if isinstance(v, date) else str(v) for v in values]


def _column_config(column: str, variable: str, values: list) -> object | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    if all(isinstance(v, bool) for v in present):
        return st.column_config.CheckboxColumn(column)
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        if names.is_money(variable):
            return st.column_config.NumberColumn(column, format="euro")
        if names.is_share(variable, present):
            return st.column_config.NumberColumn(column, format="percent")
        return st.column_config.NumberColumn(column, format="localized")
    if all(isinstance(v, datetime) for v in present):
        return st.column_config.DatetimeColumn(column, format="YYYY-MM-DD HH:mm")
    if all(isinstance(v, date) for v in present):
        return st.column_config.DateColumn(column, format="YYYY-MM-DD")
    return None


def labelled(result: QueryResult, namer: Namer, *, columns: Mapping[str, str] | None = None) -> Table:
    """The answer with labels for IRIs and typed values for literals, under readable titles."""
    variables, rows = _rows(result)
    iri_vars = {v for i, v in enumerate(variables) if any(isinstance(r[i], URIRef) for r in rows)}
    shown = [(i, v) for i, v in enumerate(variables)
             if not (v.endswith(("Label", "_label")) and v.removesuffix("Label").removesuffix("_label") in iri_vars)]
    label = namer({str(t) for r in rows for t in r if isinstance(t, URIRef)})
    titles: dict[str, str] = {}
    for _, v in shown:
        text = names.title(v, columns)
        while text in titles.values():
            text += " "  # two variables with the same words keep two columns
        titles[v] = text
    data = {titles[v]: _uniform([label.get(str(r[i]), str(r[i])) if isinstance(r[i], URIRef) else _value(r[i])
                                 for r in rows]) for i, v in shown}
    entities = [[(titles[v], str(r[i]), label.get(str(r[i]), str(r[i]))) for i, v in shown
                 if isinstance(r[i], URIRef) and not str(r[i]).startswith(str(EAI_NS))] for r in rows]
    config = {}
    for i, v in shown:
        made = _column_config(titles[v], v, data[titles[v]]) if v not in iri_vars else None
        if made is not None:
            config[titles[v]] = made
    links = tuple(titles[v] for i, v in shown if v in iri_vars and all(
        isinstance(r[i], URIRef) and not str(r[i]).startswith(str(EAI_NS)) for r in rows if r[i] is not None))
    return Table(frame=pd.DataFrame(data, columns=list(titles.values())), config=config, entities=entities,
                 links=links)


def linked(table: Table) -> Table:
    """The table for ``st.dataframe``: entity columns as links to entity pages, showing the labels."""
    frame = table.frame.copy()
    config = dict(table.config)
    for column in table.links:
        per_row = [next((iri for t, iri, _ in row if t == column), None) for row in table.entities]
        frame[column] = [names.entity_url(iri, str(text)) if iri else None
                         for iri, text in zip(per_row, table.frame[column])]
        config[column] = st.column_config.LinkColumn(column, display_text=names.LINK_TEXT)
    return replace(table, frame=frame, config=config)


__all__ = ["Table", "labelled", "linked"]
