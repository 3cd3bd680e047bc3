"""Tolls: the casualty figures of a sentence go to the event of their clause, to the incident a
rising toll updates, or, when they tally a period or a list of places, to the reports output."""

from __future__ import annotations

from rasad.annotate.casualties import Casualty
from rasad.extract import aggregates as agg
from rasad.extract.frames import REMOTE, clauses
from rasad.extract.reading import Reading
from rasad.model import Event, Fatalities

CIVILIAN_CATEGORIES = ("civilian", "child", "woman")


def _exact_killed(casualties: list[Casualty]) -> dict[str, Casualty]:
    """The figure for each category of the killed (civilians, each side's combatants): an update
    wins, else the largest."""
    by_cat: dict[str, Casualty] = {}
    for c in casualties:
        if c.kind != "killed" or c.vague or c.value is None or c.breakdown_only:
            continue
        key = f"combatant:{c.side}" if c.category == "combatant" else "civil"
        if key not in by_cat or c.update or (c.value or 0) > (by_cat[key].value or 0) and not by_cat[key].update:
            by_cat[key] = c
    return by_cat


def _fill(fat: Fatalities, key: str, c: Casualty) -> None:
    if key.startswith("combatant"):
        fat.combatants[c.side or "UNKNOWN"] = c.value  # type: ignore[assignment]
    else:
        fat.civilians = c.value if c.category in CIVILIAN_CATEGORIES else None
        if c.category == "child":
            fat.children = c.value
        if c.category == "woman":
            fat.women = c.value
        fat.qualifier = c.qualifier
    for k, v in c.breakdown.items():
        setattr(fat, k, v)


def fatalities(casualties: list[Casualty]) -> tuple[Fatalities, int | None, list[Casualty]]:
    """Fatalities and injured from a sentence's figures; the figures used, for evidence."""
    fat = Fatalities()
    by_cat = _exact_killed(casualties)
    used: list[Casualty] = list(by_cat.values())
    for key, c in by_cat.items():
        _fill(fat, key, c)
    fat.total = sum(c.value or 0 for c in by_cat.values()) if by_cat else None  # "دون خسائر بشرية": 0
    if fat.total is not None and not fat.qualifier:
        fat.qualifier = "exact"
    for c in casualties:
        if c.kind == "killed" and c.breakdown_only:
            used.append(c)
            for k, v in c.breakdown.items():
                setattr(fat, k, v)
    injured: int | None = None
    inj = [c for c in casualties if c.kind == "injured" and not c.vague and c.value is not None]
    if inj:
        best = max(inj, key=lambda c: (c.update, c.value))
        injured = best.value
        used.append(best)
    return fat, injured, used


def apply(r: Reading, ev: Event, fat: Fatalities, injured: int | None, used: list[Casualty]) -> None:
    """Give an event a toll: fields it lacks, or all of them when the toll is an update."""
    update = any(c.update for c in used)
    cur = ev.fatalities
    for attr in ("total", "civilians", "children", "women", "qualifier"):
        new = getattr(fat, attr)
        if new is not None and (getattr(cur, attr) is None or update or attr == "qualifier"):
            setattr(cur, attr, new)
    cur.combatants.update(fat.combatants)
    if cur.total is None and cur.civilians:
        cur.total = cur.civilians
    if injured is not None and (ev.injured is None or update):
        ev.injured = injured
    for c in used:
        ev.evidence.append(r.doc.evidence("injured" if c.kind == "injured" else "fatalities", c.start, c.end))
    ev.confidence = min(0.95, ev.confidence + 0.05)


def update_told_toll(r: Reading, casualties: list[Casualty], triggers: list = (), places: list = ()) -> list[Casualty]:
    """"وبذلك يرتفع عدد ضحايا القصف إلى 3", shortly after an incident's toll: a rising toll updates the
    incident whose toll the report told last, whatever place the sentence goes on to name, unless
    the sentence tells an attack of its own elsewhere ("وارتفاع الحصيلة إلى 13 إثر غارات على مدينة
    Y"); the figures left are returned."""
    updates = [c for c in casualties if c.update and c.value is not None and not c.vague]
    told = next((ev for ev in reversed(r.events)
                 if not ev.background and (not ev.fatalities.is_empty() or ev.injured is not None)), None)
    if told is None or not updates or _smaller(told, updates) or _attack_elsewhere(told, updates, triggers, places):
        return casualties  # a smaller figure is not this toll rising
    fat, injured, used = fatalities(updates)
    was = told.fatalities
    if fat.civilians is None and not fat.combatants and was.civilians is not None and was.civilians == was.total:
        fat.civilians = fat.total  # a toll of civilians rising: "الشهداء" are still civilians
    apply(r, told, fat, injured, used)
    return [c for c in casualties if c not in updates]


def _attack_elsewhere(told: Event, updates: list[Casualty], triggers: list, places: list) -> bool:
    """After the new total the sentence tells the attack that caused it, at places none of which is
    the told incident's ("إلى 13 إثر غارات على مدينة Y"); an attack word before it is the toll's
    own ("ضحايا القصف")."""
    after = min(c.end for c in updates)
    trigger = next((t for t in triggers if t.start >= after), None)
    if trigger is None:
        return False
    keys = {loc.pcode or loc.name for p, loc in places if p > trigger.start}
    return bool(keys) and _place_key(told) not in keys


def _smaller(told: Event, updates: list[Casualty]) -> bool:
    killed = max((c.value for c in updates if c.kind == "killed" and c.value is not None), default=None)
    injured = max((c.value for c in updates if c.kind == "injured" and c.value is not None), default=None)
    if killed is not None:
        return killed < (told.fatalities.total or 0)
    return injured is not None and injured < (told.injured or 0)


def _place_key(ev: Event) -> str | None:
    return (ev.location.pcode or ev.location.name) if ev.location else None


def attach(r: Reading, made: list[Event], casualties: list[Casualty], aggregate: bool, s: int, e: int,
           s_places: list = ()) -> None:
    """A sentence's figures to its events: each clause's to the place it names, the rest to the
    place named first after the trigger; over a period or more than two places, to the reports."""
    if not aggregate:
        casualties = _clause_tolls(r, made, casualties, list(s_places), s, e)
    fat, injured, used = fatalities(casualties)
    if fat.is_empty() and injured is None and not any(c.breakdown_only for c in used):
        return
    if all(c.value == 0 for c in used):  # "دون وقوع خسائر بشرية": nobody hurt at any place told
        for ev in made:
            apply(r, ev, fat, injured, used)
        return
    places = list(dict.fromkeys(_place_key(ev) for ev in made if ev.location))
    if aggregate or not made or len(places) > 2:
        _tally(r, made, used, s, e)  # one figure over a period or a list of places
        return
    target = _toll_place(made, places)
    for ev in made:
        if ev.location and _place_key(ev) == target:
            _give(r, ev, fat, injured, used)


def _give(r: Reading, ev: Event, fat: Fatalities, injured: int | None, used: list[Casualty]) -> None:
    apply(r, ev, fat, injured, used)
    cur = ev.fatalities
    if ev.actor2 == "CIV" and cur.total and cur.civilians is None and not cur.combatants:
        cur.civilians = cur.total  # "استشهد شخص باستهداف المدنيين": people killed in an attack on civilians
    if fat.civilians and ev.event_type != "Battles" and ev.actor2 != "CIV":
        # Civilians killed: they are the side acted on; who else was there stays associated.
        ev.assoc_actor_2 = [a for a in [ev.actor2, *ev.assoc_actor_2] if a]
        ev.actor2, ev.civilian_targeting = "CIV", True


def _tally(r: Reading, made: list[Event], used: list[Casualty], s: int, e: int) -> None:
    """Figures that tally a period or a list of places go to the reports, not to an incident."""
    for c in used:
        if c.value:
            r.result.reports.append(agg.make(r, agg.casualty_label(c), c.start, c.end, c.value, c.qualifier,
                                             [], s, e, made[0].actor1 if made else None))


def _clause_tolls(r: Reading, made: list[Event], casualties: list[Casualty], s_places: list,
                  s: int, e: int) -> list[Casualty]:
    """Figures whose own clause names one of the events' places go to that event ("رجل قضى أمس في
    مدينة عين الصفا، ومواطنة استشهدت اليوم بناحية الجبل"); the figures left are returned."""
    left = list(casualties)
    by_place = {_place_key(ev): ev for ev in made if ev.location}
    for cs, ce in clauses(r.text, s, e):
        own = [c for c in left if cs <= c.start < ce]
        named = {key for p, loc in s_places if cs <= p < ce for key in [loc.pcode or loc.name] if key in by_place}
        if own and len(named) == 1:
            fat, injured, used = fatalities(own)
            apply(r, by_place[named.pop()], fat, injured, used)
            left = [c for c in left if c not in own]
    return left


def _toll_place(made: list[Event], places: list) -> str:
    """With two places, the toll goes to the one named first after the trigger ("قصف ... على مدينة X")."""
    trig = min((ev.evidence[0].start for ev in made if ev.evidence and ev.evidence[0].field == "event_type"),
               default=0)
    after = [ev for ev in made if ev.location and ev.location.span and ev.location.span.start >= trig]
    if after:
        first = min(after, key=lambda ev: ev.location.span.start)  # type: ignore[union-attr]
        return _place_key(first)  # type: ignore[return-value]
    return places[0]


def enrich(r: Reading, ev: Event, casualties: list[Casualty], triggers: list, s: int, e: int,
           aggregate: bool) -> None:
    """Add what a follow-up sentence says to the incident it continues: its toll and weapons."""
    if ev.background:
        return
    if casualties and not aggregate:
        apply(r, ev, *fatalities(casualties))
    elif casualties:
        attach(r, [ev], casualties, True, s, e)
    found = [(t.info.weapon, t) for t in triggers if t.info.weapon and t.info.kind in REMOTE]
    found += [(w.tag, w) for w in r.doc.weapons if s <= w.start < e]
    for weapon, m in found:
        if weapon not in ev.weapons:
            ev.weapons.append(weapon)
            ev.evidence.append(r.doc.evidence("weapons", m.start, m.end))
