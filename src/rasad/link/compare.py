"""Whether two events can be one incident: the same place, the same day, the same ACLED family.

Merging within a report keys events by these; linking across reports and scoring against
analysts compare by them, so that "the same incident" means one thing everywhere.
"""

from __future__ import annotations

from datetime import date

from rasad.geo.places import compact, distance_km
from rasad.model import Event, Location

SAME_PLACE_KM = {1: 2.0, 2: 10.0, 3: 40.0}  # how far apart two places of this precision may be one


def place_key(loc: Location | None) -> tuple | None:
    """A place's identity: its P-code and gazetteer name, so that an unlisted village placed near a
    town (which borrows the town's P-code) stays a place of its own."""
    return identity(loc.pcode, loc.name_ar, loc.name) if loc else None


def identity(pcode: str | None, name_ar: str | None, name: str) -> tuple[str | None, str]:
    """(P-code, compact name): a place's identity, for a Location and for a stored location alike."""
    return pcode, compact(name_ar or name)


def blamed(actor1: str | None, assoc: list[str]) -> set[str]:
    """The sides a telling blames: its perpetrator and those with it, not "UNKNOWN" ("قوات النظام
    وروسيا" and "روسيا وقوات النظام" blame the same sides)."""
    return {a for a in [actor1, *assoc] if a and a != "UNKNOWN"}


def family(ev: Event) -> tuple:
    """What makes two events at one place and day the same kind: remote violence is one family
    (an airstrike told with shelling is one incident), other types keep their sub-type."""
    if ev.event_type == "Explosions/Remote violence":
        return (ev.event_type,)
    return (ev.event_type, ev.sub_event_type)


def same_place(a: Location | None, b: Location | None, km: float | None = None) -> bool:
    """One place: the same identity, or points closer than the looser precision allows."""
    if a is None or b is None:
        return False
    if place_key(a) == place_key(b):
        return True
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return False
    limit = km if km is not None else SAME_PLACE_KM.get(max(a.geo_precision, b.geo_precision), 2.0)
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude) <= limit  # type: ignore[arg-type]


def day_span(ev: Event) -> tuple[date, date] | None:
    """The first and last day an event may have happened on."""
    return span_of(ev.date_range, ev.event_date)


def span_of(date_range: list[str] | None, event_date: str | None) -> tuple[date, date] | None:
    """(first, last) day from an event's span or day, as an Event or a stored record gives them."""
    if date_range:
        lo, hi = (date.fromisoformat(x) for x in date_range)
        return lo, hi
    if event_date:
        d = date.fromisoformat(event_date)
        return d, d
    return None


def on_day(ev: Event, day: date, slack: int = 1) -> bool:
    """Whether the event's day (or span) comes within `slack` days of `day`."""
    span = day_span(ev)
    return span is not None and (span[0] - day).days <= slack and (day - span[1]).days <= slack


def same_day(a: Event, b: Event, slack: int = 1) -> bool:
    sa, sb = day_span(a), day_span(b)
    return sa is not None and sb is not None and (sa[0] - sb[1]).days <= slack and (sb[0] - sa[1]).days <= slack


def same_incident(a: Event, b: Event, slack: int = 1) -> bool:
    """Same place, day (within `slack`) and family: the candidates linking starts from."""
    return family(a) == family(b) and same_day(a, b, slack) and same_place(a.location, b.location)
