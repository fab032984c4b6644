"""The project's domain rules, as pure functions: the one implementation the derived graph materialises for
today and the analysis applies for any other day (decisions/0010-european-rule.md,
decisions/0011-one-home-per-rule.md).

- **Dated facts** (memberships, control): a start given as a year or month counts from its first day, an end
  from its last day; a fact holds on every day from its first to its last.
- **Preferred value** of a disputed fact: the claim of the source with the best priority (1 curated, 2 official
  register, 3 self-declared, 4 third-party index), then the value most graphs assert, then the smallest IRI.
- **Seat** of a developer: its preferred jurisdiction; for a person or an account without one, the seats of the
  organisations it is affiliated with; else unknown.
- **Where a thing stands for a bloc** (a model through its developers, a dataset through its curators, an
  organisation or facility through itself): *inside* when at least one seat is a member; *unknown* when none
  is and some seat is unknown (or nobody is recorded); *outside* when every seat is known and none is a member.
  The strict variant, *wholly inside*, needs every seat known and a member.
- **Controlled from**: a developer's ultimate controller (control relations in force, followed to the top,
  stopping at a cycle), whose seat counts instead of the developer's; the same three statuses follow.

>>> day_span("1995", None), day_span("2020-01", "2020-01")
((datetime.date(1995, 1, 1), None), (datetime.date(2020, 1, 1), datetime.date(2020, 1, 31)))
>>> holds("1973-01-01", "2020-01-31", date(2020, 2, 1)), holds("2015", "2018", date(2018, 12, 31))
(False, True)
>>> standing({"FRA", "USA"}, unknown=False, members={"FRA", "DEU"})
'inside'
>>> standing({"USA"}, unknown=True, members={"FRA"}), standing({"USA"}, unknown=False, members={"FRA"})
('unknown', 'outside')
>>> standing(set(), unknown=False, members={"FRA"})  # nobody recorded
'unknown'
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from euaigraph.ontology import reference
from euaigraph.ontology.vocab import EAI

#: The three answers to "is it in the bloc?" (codes from the ontology); unknown is an answer, never read as "no".
INSIDE, OUTSIDE, UNKNOWN = (reference.standings()[p] for p in (EAI.insideBloc, EAI.outsideBloc, EAI.blocUnknown))


def _day(value: object | None, *, first: bool) -> date | None:
    if value is None:
        return None
    parts = [int(x) for x in str(value)[:10].split("-") if x.isdigit()]
    if not parts:
        return None
    if len(parts) == 1:
        return date(parts[0], 1, 1) if first else date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], 1 if first else calendar.monthrange(parts[0], parts[1])[1])
    return date(*parts[:3])


def day_span(start: object | None, end: object | None) -> tuple[date | None, date | None]:
    """The first and last day of a dated fact (None: open at that end)."""
    return _day(start, first=True), _day(end, first=False)


def holds(start: object | None, end: object | None, day: date) -> bool:
    """Whether a dated fact holds on ``day``."""
    first, last = day_span(start, end)
    return (first is None or first <= day) and (last is None or day <= last)


def preferred(claims: Iterable[tuple[object, object, int]]) -> dict:
    """subject -> the value chosen by priority, then support, then IRI order, from (subject, value, priority).

    >>> preferred([("o", "USA", 4), ("o", "FRA", 1), ("o", "DEU", 1), ("o", "FRA", 1)])
    {'o': 'FRA'}
    """
    first: dict[object, tuple[object, int]] = {}
    more: dict[object, list[tuple[object, int]]] = defaultdict(list)  # most things have one claim: kept apart
    for subject, value, priority in claims:
        if subject in first:
            more[subject].append((value, priority))
        else:
            first[subject] = (value, priority)
    chosen = {subject: value for subject, (value, _) in first.items()}
    for subject, values in more.items():
        values.append(first[subject])
        best = min(p for _, p in values)
        support = Counter(v for v, p in values if p == best)
        chosen[subject] = min(support, key=lambda v: (-support[v], str(v)))
    return chosen


@dataclass(frozen=True)
class Seats:
    """Where some developers (or curators) are seated and controlled from; ``unknown``: some have no seat."""

    seats: frozenset
    unknown: bool
    controlled_from: frozenset
    control_unknown: bool


def seats_of(holders: Iterable[object], *, seat: Mapping[object, object],
             affiliations: Mapping[object, Iterable[object]], control: Mapping[object, object]) -> Seats:
    """The seats of some developers (or curators), and the seats of their ultimate controllers.

    A developer with no seat of its own acts through the organisations it is affiliated with; one that has
    neither is unknown. A developer's ultimate controller without a seat leaves the developer's own seat.

    >>> s = seats_of(["lab", "alice", "bob"], seat={"lab": "FRA", "uni": "DEU", "amd": "USA"},
    ...              affiliations={"alice": ["uni"]}, control={"lab": "amd"})
    >>> sorted(s.seats), s.unknown, sorted(s.controlled_from), s.control_unknown
    (['DEU', 'FRA'], True, ['DEU', 'USA'], True)
    """
    seats, controlled, unknown, any_holder = set(), set(), False, False
    for holder in holders:
        any_holder = True
        acting = [holder] if holder in seat else [org for org in affiliations.get(holder, ()) if org in seat]
        unknown |= not acting
        for org in acting:
            seats.add(seat[org])
            controlled.add(seat.get(ultimate(org, control), seat[org]))
    unknown |= not any_holder
    return Seats(frozenset(seats), unknown, frozenset(controlled), unknown)


def standing(seats: Iterable[object], *, unknown: bool, members: set | frozenset) -> str:
    """Inside, outside or unknown for one bloc (module docstring)."""
    seats = set(seats)
    if seats & members:
        return INSIDE
    if unknown or not seats:
        return UNKNOWN
    return OUTSIDE


def wholly_inside(seats: Iterable[object], *, unknown: bool, members: set | frozenset) -> bool:
    """The strict variant: every seat known and a member (and at least one seat)."""
    seats = set(seats)
    return bool(seats) and not unknown and seats <= members


def ultimate(org: object, control: Mapping[object, object]) -> object:
    """The top of ``org``'s control chain (``control``: organisation -> its controller in force), or ``org``.

    >>> ultimate("silo", {"silo": "amd"}), ultimate("a", {"a": "b", "b": "a"})
    ('amd', 'b')
    """
    seen = {org}
    while org in control and control[org] not in seen:
        org = control[org]
        seen.add(org)
    return org


def controls_in_force(relations: Iterable[tuple[object, object, object | None, object | None, int]],
                      day: date) -> dict:
    """organisation -> controller, from (organisation, controller, start, end, priority) relations in force on
    ``day``; of several, the best priority, then the smallest controller IRI."""
    out: dict = {}
    for org, controller, start, end, _ in sorted(relations, key=lambda r: (r[4], str(r[1]))):
        if holds(start, end, day):
            out.setdefault(org, controller)
    return out


__all__ = ["INSIDE", "OUTSIDE", "UNKNOWN", "Seats", "controls_in_force", "day_span", "holds", "preferred", "seats_of",
           "standing", "ultimate", "wholly_inside"]
