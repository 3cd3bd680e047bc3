"""One event per place, day and type: later mentions of an incident add to its first, a region
event folds into the town event inside it, and each event gets a stable id."""

from __future__ import annotations

import hashlib

from rasad.extract.frames import SUB_RANK
from rasad.link.compare import blamed, family, place_key
from rasad.model import Event, Fatalities

VERSION = "1"  # part of every event id: bump when extraction changes what an id stands for


def merge_events(events: list[Event], headline: set[int] | None = None) -> list[Event]:
    """One event per place, day and type: later mentions add to the first. An event whose clause
    names no actor joins the one told at its place, day and type by whoever did it; one naming a
    side that event blames too is that event."""
    merged: dict[tuple, Event] = {}
    by_place: dict[tuple, list[Event]] = {}
    for ev in sorted(events, key=lambda e: not _named_actor(e)):  # stable: named ones first
        loc = ev.location
        where = (place_key(loc), ev.event_date, ev.background) + family(ev)
        key = where + (ev.actor1,)
        keep = merged.get(key) or _retold(ev, by_place.get(where, []))
        if keep is None:
            merged[key] = ev
            by_place.setdefault(where, []).append(ev)
            continue
        _add_telling(keep, ev)
    kept = {id(m) for m in merged.values()}
    out = _fold_regions([ev for ev in events if id(ev) in kept], headline or set())
    for ev in out:
        ev.event_id = _event_id(ev)
    return out


def _retold(ev: Event, here: list[Event]) -> Event | None:
    """The event at ev's place, day and kind that ev tells again: the first, when ev's clause names
    no actor; else one blaming a side ev blames too."""
    if not _named_actor(ev):
        return here[0] if here else None
    sides = blamed(ev.actor1, ev.assoc_actor_1)
    return next((x for x in here if blamed(x.actor1, x.assoc_actor_1) & sides), None)


def _named_actor(ev: Event) -> bool:
    return any(x.field == "actor1" for x in ev.evidence)


def _add_telling(keep: Event, ev: Event) -> None:
    """A later telling of the incident adds what the first lacked."""
    if SUB_RANK.get(ev.sub_event_type, 0) > SUB_RANK.get(keep.sub_event_type, 0):
        keep.sub_event_type = ev.sub_event_type
    for attr in ("actor1", "actor2", "date_range", "time_precision", "injured"):
        if getattr(keep, attr) is None and getattr(ev, attr) is not None:
            setattr(keep, attr, getattr(ev, attr))
    keep.assoc_actor_1 = list(dict.fromkeys(keep.assoc_actor_1 + [a for a in ([ev.actor1] + ev.assoc_actor_1)
                                                                    if a and a != keep.actor1]))
    keep.weapons = list(dict.fromkeys(keep.weapons + ev.weapons))
    keep.reported_by = list(dict.fromkeys(keep.reported_by + ev.reported_by))
    keep.fatalities = _same_toll(keep.fatalities, ev.fatalities)
    keep.civilian_targeting = keep.civilian_targeting or ev.civilian_targeting
    keep.evidence += ev.evidence
    keep.confidence = max(keep.confidence, ev.confidence)


def _same_toll(first: Fatalities, later: Fatalities) -> Fatalities:
    """One incident's toll told twice: the first telling, with the breakdown ("بينهم 3 أطفال") a
    later telling of the same figure adds."""
    if first.is_empty():
        return later
    if later.total in (None, first.total):
        for f in ("civilians", "children", "women"):
            if getattr(first, f) is None:
                setattr(first, f, getattr(later, f))
    return first


def _fold_regions(events: list[Event], headline: set[int]) -> list[Event]:
    """A lede's "قصف على ريف المدينة الكبرى" and the body's "قصف على قرية X" in that countryside, same day and
    type, are one incident: the region event's details go to the town's, and it is dropped. A headline
    region event folds into the body's first town event of that day whatever its wording of the type."""
    out = []
    for ev in events:
        town = _town_inside(ev, events, headline)
        if town is None:
            out.append(ev)
        else:
            _fold_into(town, ev)
    return out


def _town_inside(ev: Event, events: list[Event], headline: set[int]) -> Event | None:
    """The first news event at a town in the region `ev` names, same day (and type, unless `ev` is
    the headline's); for a headline event at a town, the event at a village the body says lies in
    that town's land ("مجزرة في عين عيسى" over "قرية X التابعة لريف عين عيسى")."""
    loc = ev.location
    if not loc or ev.background or not (loc.broad or id(ev) in headline):
        return None
    same_type = id(ev) not in headline
    key = None if loc.broad else place_key(loc)
    for t in events:
        if t is ev or t.background or not t.location or t.location.broad or t.event_date != ev.event_date:
            continue
        if key is not None:
            if t.location.within == key:
                return t
        elif t.location.admin1 == loc.admin1 and (not same_type or t.event_type == ev.event_type):
            return t
    return None


def _fold_into(town: Event, ev: Event) -> None:
    """The region event's details to the town's. The lede's toll usually sums the incident; the
    body may tell part of it."""
    if (ev.fatalities.total or 0) > (town.fatalities.total or 0):
        body = town.fatalities
        town.fatalities = ev.fatalities
        for f in ("civilians", "children", "women"):  # the body's breakdown of part of the toll stays
            if getattr(town.fatalities, f) is None:
                setattr(town.fatalities, f, getattr(body, f))
    if (ev.injured or 0) > (town.injured or 0):
        town.injured = ev.injured
    town.weapons = list(dict.fromkeys(town.weapons + ev.weapons))
    if town.actor1 is None:
        town.actor1, town.assoc_actor_1 = ev.actor1, ev.assoc_actor_1
    town.evidence += [e for e in ev.evidence if e.field != "location"]


def _event_id(ev: Event) -> str:
    key = "|".join(str(x) for x in (VERSION, ev.article_id, ev.event_type, ev.sub_event_type,
                                     place_key(ev.location), ev.event_date, ev.background, ev.actor1))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
