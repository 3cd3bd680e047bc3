"""Assembly: a frame becomes events, one per place, with ACLED's type and sub-type, who acted on
whom, the weapons, the day and the evidence for each field."""

from __future__ import annotations

from rasad.annotate.mentions import ActorMention
from rasad.extract.discourse import is_background
from rasad.extract.event_places import event_places
from rasad.extract.evidence import frame_evidence, location_evidence
from rasad.extract.frames import REMOTE, Frame, civilian_target
from rasad.extract.reading import Reading
from rasad.model import Event
from rasad.text.dates import DateMention

CONTROL = frozenset({"control_gain", "control_loss"})
VIOLENT = frozenset({"Explosions/Remote violence", "Battles", "Violence against civilians"})
WIDE = 3  # a frame naming this many regions and governorates, and nothing more precise, tells no incident


def _ordered_ids(mentions: list[ActorMention]) -> list[str]:
    return list(dict.fromkeys(m.actor for m in mentions if m.actor not in ("CIV",)))


def _at_trigger(actor: ActorMention, frame: Frame) -> bool:
    """"الطائرات الروسية", "غارات روسية", "طائرات النظام": the actor named with the weapon acted."""
    return any(actor.start - 12 <= t.end and t.start <= actor.end + 12 for t in frame.triggers)


def _control(r: Reading, frame: Frame, perps: list[str], targets: list[str]) -> tuple[str, list[str], list[str]]:
    """A change of control is a battle: who won, who lost, and whether the state regained ground."""
    if "control_loss" in frame.kinds and "control_gain" not in frame.kinds:
        # "انسحاب الفصائل": the side named is the loser; the winner is whoever else is named.
        losers = perps[:1]
        winners = [a for a in _ordered_ids(frame.perpetrators + frame.targets) if a not in losers]
        winners = winners or [a for a in r.report_actor["*"] if a not in losers][:1]
        perps, targets = winners, losers
    sub = ("Government regains territory" if perps and perps[0] in r.profile.country.government_side
           else "Non-state actor overtakes territory")
    return sub, perps, targets


def typed_actors(r: Reading, frame: Frame) -> tuple[str, str, list[str], list[str]]:
    """(event type, sub-event type, perpetrators, targets) under ACLED's rules: a change of control
    is a battle; an authority's detentions are arrests."""
    info = frame.main()
    perps = _ordered_ids(sorted(frame.perpetrators, key=lambda a: (not _at_trigger(a, frame), a.start)))
    targets = _ordered_ids(frame.targets)
    if not perps:
        perps = [frame.told_actor] if frame.told_actor else (r.report_actor.get(info.kind) or r.report_actor["*"])[:1]
    event_type, sub = info.event_type, info.sub_event_type
    if not perps and event_type in VIOLENT:
        perps = ["UNKNOWN"]  # ACLED's unidentified armed group: nobody named anywhere in the report
    perps += [a for a in _ordered_ids(frame.supporters) if a not in perps]  # backers are associated
    if frame.kinds & CONTROL and not frame.kinds & set(REMOTE):
        event_type = "Battles"
        sub, perps, targets = _control(r, frame, perps, targets)
    if event_type == "Violence against civilians" and info.kind == "abduction" and perps and \
            perps[0] in r.profile.country.authorities:
        event_type, sub = "Strategic developments", "Arrests"
    return event_type, sub, perps, targets


def weapons_of(frame: Frame, weapons: list) -> list[str]:
    found = [t.info.weapon for t in frame.triggers if t.info.weapon]
    found += [w.tag for w in weapons if frame.start <= w.start < frame.end]
    return list(dict.fromkeys(found))


def set_date(ev: Event, d: DateMention | None) -> None:
    if d is None or d.day is None:
        return
    if d.last and d.last != d.day:
        ev.date_range = [d.day.isoformat(), d.last.isoformat()]
        ev.event_date = d.day.isoformat() if d.precision == 3 else d.last.isoformat()
        ev.time_precision = d.precision if d.precision > 1 else 2
    else:
        ev.event_date = d.day.isoformat()
        ev.time_precision = d.precision


def confidence(ev: Event, frame: Frame, actor_in_sentence: bool) -> float:
    c = 0.35
    c += 0.2 if ev.location and ev.location.pcode else 0.05
    c += 0.15 if actor_in_sentence else 0.05 if ev.actor1 else 0.0
    c += 0.1 if frame.date is not None else 0.0
    c += 0.1 if any(t.info.weapon for t in frame.triggers) else 0.0
    c -= 0.15 if ev.background else 0.0
    return max(0.05, min(0.95, c))


def _incident_places(r: Reading, frame: Frame, aggregate: bool) -> list:
    """The frame's event places; none when it only names several regions and governorates ("مناطق
    من ريف دمشق وحلب وإدلب ودرعا": a statement about the country, no incident)."""
    places = event_places(r.doc.report.text, frame)
    if aggregate:
        places = [p for p in places if p.geo_precision < 3]
    if len(places) >= WIDE and all(p.broad for p in places):
        return []
    return places


def events_for_frame(r: Reading, frame: Frame, s: int, e: int, aggregate: bool) -> list[Event]:
    """One event per place the frame names, typed, with its actors, day, weapons and evidence."""
    places = _incident_places(r, frame, aggregate)
    if not places:
        return []
    event_type, sub, perps, targets = typed_actors(r, frame)
    victims_civil = "CIV" in targets or civilian_target(r.text, s, e)
    actor2_list = [t for t in targets if t not in perps[:1]]
    if victims_civil and "CIV" not in actor2_list and event_type != "Battles":
        actor2_list = ["CIV"] + actor2_list
    background = is_background(r, frame, s, e)
    src = r.sources_in(s, e)
    # One list for the frame's events: a weapon a follow-up sentence names reaches all its places.
    weapons = weapons_of(frame, r.doc.weapons)
    out = []
    for loc in places:
        ev = Event(event_id="", article_id=r.doc.report.article_id, event_type=event_type, sub_event_type=sub,
                   location=loc, weapons=weapons, background=background,
                   reported_by=list(dict.fromkeys(src)), source=r.doc.report.source, url=r.doc.report.url)
        ev.actor1 = perps[0] if perps else None
        ev.assoc_actor_1 = [a for a in perps[1:] if a != ev.actor1]
        ev.actor2 = actor2_list[0] if actor2_list else None
        ev.assoc_actor_2 = actor2_list[1:]
        ev.civilian_targeting = ev.actor2 == "CIV" and event_type != "Battles"
        set_date(ev, frame.date or r.carried or r.default_date)
        frame_evidence(r.doc, ev, frame, loc, perps, actor2_list, s, e)
        ev.confidence = confidence(ev, frame, bool(frame.perpetrators))
        out.append(ev)
    return out


def continued(r: Reading, last: Event, s_places: list, s_dates: list[DateMention], s: int, e: int) -> list[Event]:
    """Events like `last` at the places a trigger-less casualty sentence names ("وأصيبت الطفلة
    الرابعة في بلدة X": the same incident reaching another place)."""
    frame = Frame(triggers=[], places=[loc for _p, loc in s_places], start=s, end=e)
    out = []
    for loc in event_places(r.doc.report.text, frame):
        if last.location and (loc.pcode or loc.name) == (last.location.pcode or last.location.name):
            continue
        ev = Event(event_id="", article_id=last.article_id, event_type=last.event_type,
                   sub_event_type=last.sub_event_type, location=loc, weapons=list(last.weapons),
                   actor1=last.actor1, assoc_actor_1=list(last.assoc_actor_1), actor2=last.actor2,
                   assoc_actor_2=list(last.assoc_actor_2), civilian_targeting=last.civilian_targeting,
                   background=last.background, reported_by=list(last.reported_by), source=last.source,
                   url=last.url, confidence=max(0.05, last.confidence - 0.1))
        own = [d for d in s_dates if d.day]
        if own:
            set_date(ev, own[0])
        else:
            ev.event_date, ev.date_range, ev.time_precision = last.event_date, last.date_range, last.time_precision
        if loc.span:
            ev.evidence.append(location_evidence(loc))
        out.append(ev)
    return out
