"""Pieces every page uses: the empty state, errors that say where and why, link values that could not be used,
choosing an entity with the choice kept in the URL, links to entity pages, and :func:`plain`, the one
way a string from data or from a user goes into anything Streamlit reads as Markdown (decision 0007)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import streamlit as st

from euaigraph.graph import formats
from euaigraph.graph import ConfigError
from euaigraph.graph import QueryRefused
from euaigraph.graph import SavedQueryError
from euaigraph.graph import QueryCancelled, StoreError
from euaigraph.ontology.namespaces import PREFIXES

from .state import BUILD_HINT, Context

ENTITY_PAGE = "views/entity.py"
ERRORS = (QueryRefused, QueryCancelled, SavedQueryError, StoreError, ConfigError)
#: What starts or ends a construct of Streamlit's Markdown anywhere in a line: code, emphasis, links and images,
#: HTML, headings, tables, strike-through, maths, entities, and ``:`` before a word (emoji shortcodes, icons,
#: coloured text); at the start, list items, quotes and ordered lists. Other characters are left as they are.
_MARKDOWN = re.compile(r"[\\`*_\[\]<>#|~$&]|:(?=[\w+\-/])|^[-+=]|^\d+(?=[.)])")
#: Where remark-gfm would turn plain text into a link after parsing (escapes do not stop it): before ``//`` after a
#: colon, before the dot of ``www.``, before ``@``. A word joiner (U+2060, invisible) goes there.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=[Ww]{3})(?=\.)|(?=@)")


def plain(value: object, *, limit: int = 2_000) -> str:
    r"""``value`` as Markdown that shows exactly its text, on one line: for labels, names, versions, messages and
    errors that come from data or from a user, wherever Streamlit reads Markdown (``st.markdown``, headers,
    captions, alerts, widget and page-link labels, help texts). Select-box options and table cells are plain text
    already and take the value itself. Long values are cut at ``limit`` characters.

    >>> print(plain("![x](javascript:y)  `v1`\n# [b] - EuroLLM-9B, v2: **ok**"))
    !\[x\](javascript\:y) \`v1\` \# \[b\] - EuroLLM-9B, v2: \*\*ok\*\*
    >>> print(plain("1. first")), print(plain("- item"))
    1\. first
    \- item
    (None, None)
    >>> plain("see http://127.0.0.1:9/p.png or www.example.org").count("\u2060")
    2
    """
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MARKDOWN.sub(_escaped, _AUTOLINK.sub("\u2060", text))


def _escaped(match: re.Match) -> str:
    found = match.group()
    return found + "\\" if found[0].isdigit() else "\\" + found  # "1." -> "1\." (the dot is what counts)


_STORE_NAME = re.compile(r"^(embedded store at \S+|endpoint \S+|[^:]*store[^:]*?) (?=could|did|is|was|has)")
_WHAT = {"SavedQueryError": "This question cannot run with these values", "ConfigError": "Configuration"}


def require_graph(ctx: Context) -> None:
    """Stop the page with instructions when the store holds nothing yet."""
    if ctx.empty:
        st.info(f"**The graph is empty** ({plain(ctx.label)}). Build it from the shipped data, then reload this page:")
        st.code(BUILD_HINT, language="bash")
        st.caption("`euaigraph build --feeds ../shared/data` also loads the recorded feeds; "
                   "`make explore` builds and opens the explorer in one step.")
        st.stop()


def show_error(exc: Exception, *, text: str | None = None) -> None:
    """An error in words; for syntax errors the line and column, and the line itself with a caret under the place.
    Cancelled queries say that nothing is shown."""
    if isinstance(exc, QueryRefused):
        st.error(f"This query cannot run: {plain(exc)}")
        lines = (text or "").splitlines()
        if exc.line and exc.line <= len(lines):
            caret = " " * (len(str(exc.line)) + 3 + max((exc.column or 1) - 1, 0)) + "^"
            st.code(f"{exc.line} | {lines[exc.line - 1]}\n{caret}", language=None)
    elif isinstance(exc, QueryCancelled):
        st.error(f"Cancelled: {plain(exc)}. No partial result is shown.")
    elif isinstance(exc, StoreError):  # the store's own words, without where the store lives
        st.error("The graph could not answer: " + plain(_STORE_NAME.sub("", str(exc)), limit=600))
    else:
        st.error(f"{_WHAT.get(type(exc).__name__, 'Problem')}: {plain(exc, limit=600)}")


def replaced(param: str, given: str, used: str, why: str = "") -> None:
    """Say that a value from the link could not be used, which value it was and what is shown instead."""
    reason = f" ({plain(why, limit=300)})" if why else ""
    st.warning(f"The link's value {plain(param)}={plain(given, limit=200)} cannot be used here{reason}; "
               f"showing {plain(used or 'the default')} instead.", icon=":material/link_off:")


def check_link(problems: list[tuple[str, str, str, str]]) -> None:
    """Take the link's unusable values out of the URL (the widgets then show their defaults) and say so."""
    for param, given, used, why in problems:
        kept = [v for v in st.query_params.get_all(param) if v != given]
        if kept:
            st.query_params[param] = kept
        else:
            st.query_params.pop(param, None)
            st.session_state.pop(param, None)
        replaced(param, given, used, why)


def limits(timeout_s: float, row_cap: int) -> None:
    st.caption(f"Read-only · time limit {timeout_s:g} s · row cap {row_cap:,}")


def display(term: object) -> str:
    return formats.short(term, PREFIXES) if term is not None else ""


def choose_iri(label: str, options: Mapping[str, str], *, param: str, placeholder: str = "Choose…") -> str | None:
    """A select box over IRIs (shown by label) whose choice is kept in the URL as ``?<param>=<IRI>``."""
    current = st.query_params.get(param)
    keys = list(options)
    index = keys.index(current) if current in options else None
    chosen = st.selectbox(label, keys, index=index, format_func=lambda k: options.get(k, k), placeholder=placeholder)
    if chosen != current:
        if chosen is None:
            st.query_params.pop(param, None)
        else:
            st.query_params[param] = chosen
    return chosen


def choose_one(label: str, options: Mapping[str, str], *, param: str, help: str | None = None) -> str:
    """A select box over ``options`` (value -> words shown) kept in the URL as ``?<param>=<value>``.

    The first option is the default and leaves the URL clean. Streamlit's own URL binding keeps the words shown, not
    the value, so a link written with the value (as the graph page's share link and the export page read it) would
    be dropped; this keeps the value."""
    keys = list(options)
    current = st.query_params.get(param)
    index = keys.index(current) if current in options else 0
    chosen = st.selectbox(label, keys, index=index, format_func=lambda k: options.get(k, k), help=help)
    if chosen == keys[0]:
        st.query_params.pop(param, None)
    elif chosen != current:
        st.query_params[param] = chosen
    return chosen


def entity_link(iri: str, label: str) -> None:
    """A link to an entity's page; ``label`` is data (shown as text)."""
    st.page_link(ENTITY_PAGE, label=plain(label), query_params={"iri": iri}, icon=":material/arrow_forward:")


def choose_iris(label: str, options: Mapping[str, str], *, param: str, placeholder: str = "Choose…") -> list[str]:
    """A multi-select over IRIs (shown by label), kept in the URL as repeated ``?<param>=<IRI>``."""
    current = [v for v in st.query_params.get_all(param) if v in options]
    chosen = st.multiselect(label, list(options), default=current, format_func=lambda k: options.get(k, k),
                            placeholder=placeholder)
    if chosen != current:
        st.query_params[param] = chosen
    return chosen
