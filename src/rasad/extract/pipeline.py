"""The extraction pipeline: one report in, event records and aggregate figures out.

normalise -> mentions (places, actors, triggers, casualties, dates, sources) -> frames per
sentence -> events (one per place, day and type) -> background and aggregates -> evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta

from rasad.extract import aggregates as agg
from rasad.extract.casualties import Casualty, find_casualties
from rasad.extract.event_places import dateline, drop_elsewhere, drop_source_clauses, inside_actor
from rasad.extract.frames import REMOTE, Frame, civilian_target, clauses, role, segment
from rasad.extract.lexicons import Lexicons, load
from rasad.extract.mentions import ActorMention, find_actors, find_sources, find_triggers, find_weapons
from rasad.extract.merge import merge_events
from rasad.geo.gazetteer import Gazetteer
from rasad.geo.resolver import Resolver
from rasad.model import Aggregate, Event, Evidence, Fatalities, Location, Report
from rasad.profile import Profile
from rasad.text.dates import DateMention, find_dates, follows_elapsed_time
from rasad.text.normalise import Normalised, norm, normalise
from rasad.text.sentences import sentences

BACKGROUND_DAYS = 5
TALLY_APART = frozenset({"control_gain", "control_loss", "agreement"})  # never given a neighbour's toll
FOLLOW_UP_SENTENCES = 5  # how far a sentence with no place of its own may tell more of the last incident
_BACKGROUND_MARKERS = ("في وقت سابق", "وقت سابق", "سابقا", "يذكر ان", "يشار الي ان", "كان قد", "كانت قد",
                       "كانوا قد", "وكانت", "وكان", "نستذكر", "تستذكر", "يستذكر")


@dataclass
class Result:
    events: list[Event] = field(default_factory=list)
    reports: list[Aggregate] = field(default_factory=list)


@dataclass
class _Ctx:
    report: Report
    nv: Normalised
    lex: Lexicons
    profile: Profile
    published: date | None
    default_date: DateMention | None
    report_sources: list[str]
    report_actor: dict[str, list[str]]  # trigger kind (or "*") -> actors, most likely first


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def extract_report(report: Report, gaz: Gazetteer, lex: Lexicons | None = None) -> Result:
    """Events and aggregate figures from one ingested report, read with the gazetteer's profile;
    never raises on odd text."""
    profile = gaz.profile
    lex = lex or load(profile)
    nv = normalise(report.text)
    text = nv.text
    published = _parse_date(report.published)
    places = [(bisect_left(nv.starts, loc.span.start), loc) for loc in Resolver(gaz, nv).resolve() if loc.span]
    actors = find_actors(text, lex)
    triggers = find_triggers(text, lex)
    weapons = find_weapons(text, lex)
    sources = find_sources(text, lex)
    dates = find_dates(text, published)
    sents = sentences(text)
    ctx = _Ctx(report, nv, lex, profile, published, _lede_date(dates, sents, published),
               list(dict.fromkeys(s.tag for s in sources)), _dominant_actors(text, actors, triggers))
    result = Result()
    last_event: Event | None = None
    events: list[Event] = []
    history_paragraphs: set[int] = set()  # paragraphs telling earlier history ("وكانت ... منذ حزيران")
    last_at = -99  # index of the sentence that made the last event
    headline: set[int] = set()  # events of the first sentence (the headline, for .txt and most pages)
    for index, sent in enumerate(sents):
        near_last = index - last_at <= FOLLOW_UP_SENTENCES
        s, e = sent.start, sent.end
        in_s = [t for t in triggers if s <= t.start < e]
        s_places = [(p, loc) for p, loc in places
                    if s <= p < e and not inside_actor(p, actors) and not dateline(text, p, s)]
        s_places = drop_elsewhere(text, drop_source_clauses(text, s, e, s_places, in_s), profile)
        s_actors = [a for a in actors if s <= a.start < e]
        casualties = find_casualties(text, s, e, lex, s_actors)
        s_dates = [d for d in dates if s <= d.start < e]
        aggregate = agg.is_aggregate_sentence(text[s:e])
        if not aggregate and near_last:
            casualties = _update_told_toll(ctx, events, casualties)
        for what, qs, qe, value, qual in agg.counted_figures(text, s, e):
            result.reports.append(_aggregate(ctx, what, qs, qe, value, qual, s_actors, sources, s, e))
        frames = segment(text, s, e, in_s, s_places, s_actors)
        made: list[Event] = []
        producing: list[tuple[Frame, list[Event]]] = []
        for i, frame in enumerate(frames):
            frame.date = _frame_date(frame, s_dates)
            tally = agg.is_aggregate_sentence(text[frame.start:frame.end])
            if lex.not_events.find(text[frame.start:frame.end]):
                continue
            # "هذا القصف" (whatever else the clause names), or "ويواصلان قصفهم يومياً" with no place here
            # nor further on in the sentence: the incident the report is telling, at the place it named.
            anaphoric = bool(_DEMONSTRATIVE.search(text, max(s, frame.triggers[0].start - 6), frame.triggers[0].start)
                             and not any(_ANOTHER.match(text, t.end) for t in frame.triggers))
            placed_later = any(f.places for f in frames[i + 1:])
            inherit = not tally and (anaphoric or (not frame.places and near_last and not placed_later))
            related = _related(events + made, frame, first=anaphoric) if inherit else None
            if related is not None:
                frame.places = [related.location]
            framed = _events_for_frame(ctx, frame, s, e, weapons, sources, tally)
            if framed and framed[0].background and frame.date is not None or _history_marker(ctx, s, e):
                history_paragraphs.add(sent.paragraph)
            elif sent.paragraph in history_paragraphs and frame.date is None:
                for ev in framed:  # no date of its own, in a paragraph of history: history too
                    ev.background = True
            own = [c for c in casualties if frame.start <= c.start < frame.end]
            if own and (framed or tally):
                _attach_casualties(ctx, framed, own, tally or not framed, sources, s, e, result, s_places)
                casualties = [c for c in casualties if c not in own]
            if framed:
                producing.append((frame, framed))
            made += framed
        if not made and last_event is not None and near_last and casualties and s_places and not in_s:
            # "وأصيبت الطفلة الرابعة في بلدة دركوش": the same incident reaching another place.
            made = _continued(ctx, last_event, s_places, s_dates, s, e)
        if index == 0:
            headline.update(id(ev) for ev in made)
        if made:
            # Figures left over belong to a clause that named no place of its own: the toll of a
            # continued incident (no trigger here), or of the one attack the sentence places
            # ("مقتل 3 بقصف، استهدف قرية X"); anything else is a tally.
            if frames and len(producing) == 1 and not any(f.kinds & TALLY_APART for f in frames):
                made_for = producing[0][1]
            else:
                made_for = made if not frames else []
            _attach_casualties(ctx, made_for, casualties, aggregate, sources, s, e, result, s_places)
            events += made
            last_event = made[-1]
            last_at = index
        elif last_event is not None and near_last and (casualties or in_s) and not _elsewhen(last_event, s_dates):
            # A sentence telling more of the last incident: "وقال الدفاع المدني إن 3 أطفال ...".
            _enrich(ctx, last_event, casualties, in_s, weapons, s, e, aggregate, sources, result)
    result.events = merge_events(events, headline)
    return result


def _update_told_toll(ctx: _Ctx, events: list[Event], casualties: list[Casualty]) -> list[Casualty]:
    """"وبذلك يرتفع عدد ضحايا القصف إلى 3", shortly after an incident's toll: a rising toll updates the
    incident whose toll the report told last, whatever place the sentence goes on to name; the
    figures left are returned."""
    updates = [c for c in casualties if c.update and c.value is not None and not c.vague]
    told = next((ev for ev in reversed(events)
                 if not ev.background and (not ev.fatalities.is_empty() or ev.injured is not None)), None)
    if told is None or not updates:
        return casualties
    killed = max((c.value for c in updates if c.kind == "killed"), default=None)
    injured = max((c.value for c in updates if c.kind == "injured"), default=None)
    smaller = (killed < (told.fatalities.total or 0) if killed is not None
               else injured is not None and injured < (told.injured or 0))
    if smaller:
        return casualties  # a smaller figure is not this toll rising
    fat, injured, used = _fatalities(updates)
    was = told.fatalities
    if fat.civilians is None and not fat.combatants and was.civilians is not None and was.civilians == was.total:
        fat.civilians = fat.total  # a toll of civilians rising: "الشهداء" are still civilians
    _apply(ctx, told, fat, injured, used)
    return [c for c in casualties if c not in updates]


def _elsewhen(ev: Event, s_dates: list[DateMention]) -> bool:
    """A sentence dated to history or to another day than the event's tells of something else
    ("حيث فقد حوالي 900 طفل حياتهم العام الماضي")."""
    return any(d.past_reference or (d.day is not None and ev.event_date and d.precision == 1
                                    and d.day.isoformat() != ev.event_date) for d in s_dates)


def _related(events: list[Event], frame: Frame, first: bool = False) -> Event | None:
    """The latest news event by the same side as the frame's perpetrators (any, when it names none);
    with `first`, the report's first such event ("هذا القصف" points at the incident the report is about)."""
    ids = {a.actor for a in frame.perpetrators}
    for ev in (events if first else reversed(events)):
        if not ev.background and ev.location and ids <= {ev.actor1, *ev.assoc_actor_1}:
            return ev
    return None


def _continued(ctx: _Ctx, last: Event, s_places: list, s_dates: list[DateMention], s: int, e: int) -> list[Event]:
    """Events like `last` at the places a trigger-less casualty sentence names."""
    frame = Frame(triggers=[], places=[loc for _p, loc in s_places], start=s, end=e)
    out = []
    for loc in _event_places(ctx, frame):
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
            _set_date(ev, own[0])
        else:
            ev.event_date, ev.date_range, ev.time_precision = last.event_date, last.date_range, last.time_precision
        if loc.span:
            ev.evidence.append(Evidence("location", loc.span.start, loc.span.end, loc.span.text))
        out.append(ev)
    return out


_DEMONSTRATIVE = re.compile(r"(?<!\w)(?:هذا|هذه|ذلك|تلك|هذين|هاتين)\s*$")
_ANOTHER = re.compile(r"\s+(?:اخر|اخري|جديد|جديده|ثان|ثانيه)(?!\w)")  # "هذا القصف سبقه قصف آخر": a new one
def _lede_date(dates: list[DateMention], sents: list, published: date | None) -> DateMention | None:
    """The report's own date: the first day named in its opening sentences, else publication."""
    lede_end = sents[min(3, len(sents) - 1)].end if sents else 0
    for d in dates:
        if d.start <= lede_end and d.day and d.precision == 1 and not d.past_reference:
            if published is None or timedelta(0) <= published - d.day <= timedelta(days=BACKGROUND_DAYS):
                return d
    if published:
        return DateMention(-1, -1, published, relative=True)
    return None


def _dominant_actors(text: str, actors: list[ActorMention], triggers: list) -> dict[str, list[str]]:
    """The perpetrators a report is about, for frames that do not name one: per trigger kind ("who
    flies the aircraft in this report"), and overall under "*"."""
    counts: dict[str, dict[str, float]] = {"*": {}}
    for a in actors:
        if a.actor in ("CIV", "UNKNOWN") or role(text, a) != "perpetrator":
            continue
        near = [t for t in triggers if abs(t.start - a.start) < 80]
        weight = (2.0 if near else 1.0) + (1.0 if a.start < 300 else 0.0)
        counts["*"][a.actor] = counts["*"].get(a.actor, 0) + weight
        for kind in {t.info.kind for t in near}:
            counts.setdefault(kind, {})
            counts[kind][a.actor] = counts[kind].get(a.actor, 0) + weight
    return {kind: [a for a, _ in sorted(c.items(), key=lambda kv: -kv[1])] for kind, c in counts.items()}


def _frame_date(frame: Frame, s_dates: list[DateMention]) -> DateMention | None:
    own = [d for d in s_dates if frame.start <= d.start < frame.end and d.day]
    if own:
        return own[0]
    before = [d for d in s_dates if d.start < frame.start and d.day]
    return before[-1] if before else None


def _span(ctx: _Ctx, start: int, end: int) -> tuple[int, int, str]:
    s, e = ctx.nv.to_original(start, end)
    return s, e, ctx.report.text[s:e]


def _evidence(ctx: _Ctx, fieldname: str, start: int, end: int) -> Evidence:
    s, e, t = _span(ctx, start, end)
    return Evidence(fieldname, s, e, t)


def _history_marker(ctx: _Ctx, s: int, e: int) -> bool:
    head = ctx.nv.text[s:e][:40]
    return any(m in head for m in _BACKGROUND_MARKERS)


def _is_background(ctx: _Ctx, frame: Frame, s: int, e: int) -> bool:
    if follows_elapsed_time(ctx.nv.text, frame.triggers[0].start, s):
        return True  # "يأتي بعد يوم من مجزرة مماثلة في قرية X"
    d = frame.date
    if d is not None and d.past_reference:
        return True
    if d is not None and d.day and ctx.published:
        last = d.last or d.day
        if ctx.published - last > timedelta(days=BACKGROUND_DAYS):
            return True
    return _history_marker(ctx, s, e)


def _events_for_frame(ctx: _Ctx, frame: Frame, s: int, e: int, weapons: list, sources: list,
                      aggregate: bool) -> list[Event]:
    info = frame.main()
    places = _event_places(ctx, frame)
    if aggregate:
        places = [p for p in places if p.geo_precision < 3]
    if not places:
        return []
    kinds = frame.kinds
    perps = _ordered_ids(sorted(frame.perpetrators, key=lambda a: (not _at_trigger(a, frame), a.start)))
    targets = _ordered_ids(frame.targets)
    if not perps:
        perps = (ctx.report_actor.get(info.kind) or ctx.report_actor["*"])[:1]
    event_type, sub = info.event_type, info.sub_event_type
    if kinds & {"control_gain", "control_loss"} and not kinds & set(REMOTE):
        event_type = "Battles"
        if "control_loss" in kinds and not kinds & {"control_gain"}:
            # "انسحاب الفصائل": the side named is the loser; the winner is whoever else is named.
            losers = perps[:1]
            winners = [a for a in _ordered_ids(frame.perpetrators + frame.targets) if a not in losers]
            winners = winners or [a for a in ctx.report_actor["*"] if a not in losers][:1]
            perps, targets = winners, losers
        sub = ("Government regains territory" if perps and perps[0] in ctx.profile.country.government_side
               else "Non-state actor overtakes territory")
    if event_type in ("Violence against civilians",) and info.kind == "abduction" and perps and \
            perps[0] in ctx.profile.country.authorities:
        event_type, sub = "Strategic developments", "Arrests"
    victims_civil = "CIV" in targets or civilian_target(ctx.nv.text, s, e)
    actor2_list = [t for t in targets if t not in perps[:1]]
    if victims_civil and "CIV" not in actor2_list and event_type != "Battles":
        actor2_list = ["CIV"] + actor2_list
    w = _weapons(frame, weapons)
    date_m = frame.date or ctx.default_date
    background = _is_background(ctx, frame, s, e)
    src = [t.tag for t in sources if s <= t.start < e] or ctx.report_sources
    out = []
    for loc in places:
        ev = Event(event_id="", article_id=ctx.report.article_id, event_type=event_type, sub_event_type=sub,
                   location=loc, weapons=w, background=background, reported_by=list(dict.fromkeys(src)),
                   source=ctx.report.source, url=ctx.report.url)
        ev.actor1 = perps[0] if perps else None
        ev.assoc_actor_1 = [a for a in perps[1:] if a != ev.actor1]
        ev.actor2 = actor2_list[0] if actor2_list else None
        ev.assoc_actor_2 = actor2_list[1:]
        ev.civilian_targeting = ev.actor2 == "CIV" and event_type != "Battles"
        _set_date(ev, date_m)
        ev.evidence.append(_evidence(ctx, "event_type", frame.triggers[0].start, frame.triggers[0].end))
        if loc.span:
            ev.evidence.append(Evidence("location", loc.span.start, loc.span.end, loc.span.text))
        for a in frame.perpetrators:
            if a.actor in perps:
                ev.evidence.append(_evidence(ctx, "actor1", a.start, a.end))
        for a in frame.targets:
            if a.actor in actor2_list:
                ev.evidence.append(_evidence(ctx, "actor2", a.start, a.end))
        if frame.date is not None:
            ev.evidence.append(_evidence(ctx, "event_date", frame.date.start, frame.date.end))
        for t in frame.triggers:
            if t.info.weapon:
                ev.evidence.append(_evidence(ctx, "weapons", t.start, t.end))
        for t in sources:
            if s <= t.start < e:
                ev.evidence.append(_evidence(ctx, "reported_by", t.start, t.end))
        ev.confidence = _confidence(ev, frame, bool(frame.perpetrators))
        out.append(ev)
    return out


def _at_trigger(actor: ActorMention, frame: Frame) -> bool:
    """"الطائرات الروسية", "غارات روسية", "طائرات النظام": the actor named with the weapon acted."""
    return any(actor.start - 12 <= t.end and t.start <= actor.end + 12 for t in frame.triggers)


def _ordered_ids(mentions: list[ActorMention]) -> list[str]:
    return list(dict.fromkeys(m.actor for m in mentions if m.actor not in ("CIV",)))


_CONTAINER_GAP = re.compile(r"^[\s,]*(?:(?:في|من|ضمن|داخل)\s+|ب)?(?:ريف|ارياف|منطقه|مدينه|بلده|ناحيه|محافظه|جبل|سهل|"
                            r"محيط|اطراف|بادي[هة])?\s*$")


def _event_places(ctx: _Ctx, frame: Frame) -> list[Location]:
    """One event per place. Not separate events: a region when a town inside it is named, and the
    enclosing area written right after a place ("قرية المحسنلي في ريف السهل", "بلشون بجبل الزاوية")."""
    places = frame.places
    towns = [p for p in places if p.geo_precision < 3]
    out: list[Location] = []
    prev: Location | None = None
    for p in places:
        contained = (prev is not None and prev.span and p.span and prev.geo_precision <= p.geo_precision
                     and p.span.start - prev.span.end <= 12
                     and _CONTAINER_GAP.match(norm(ctx.report.text[prev.span.end:p.span.start])))
        within_region = p.geo_precision == 3 and p.kind == "region" and any(t.admin1 == p.admin1 for t in towns)
        if not contained and not within_region and not (p.kind == "road" and towns):
            out.append(p)
        prev = p
    seen, unique = set(), []
    for p in out:
        key = p.pcode or p.name_ar or p.name
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def _weapons(frame: Frame, weapons: list) -> list[str]:
    found = [t.info.weapon for t in frame.triggers if t.info.weapon]
    found += [w.tag for w in weapons if frame.start <= w.start < frame.end]
    return list(dict.fromkeys(found))


def _set_date(ev: Event, d: DateMention | None) -> None:
    if d is None or d.day is None:
        return
    if d.last and d.last != d.day:
        ev.date_range = [d.day.isoformat(), d.last.isoformat()]
        ev.event_date = d.day.isoformat() if d.precision == 3 else d.last.isoformat()
        ev.time_precision = d.precision if d.precision > 1 else 2
    else:
        ev.event_date = d.day.isoformat()
        ev.time_precision = d.precision


def _confidence(ev: Event, frame: Frame, actor_in_sentence: bool) -> float:
    c = 0.35
    c += 0.2 if ev.location and ev.location.pcode else 0.05
    c += 0.15 if actor_in_sentence else 0.05 if ev.actor1 else 0.0
    c += 0.1 if frame.date is not None else 0.0
    c += 0.1 if any(t.info.weapon for t in frame.triggers) else 0.0
    c -= 0.15 if ev.background else 0.0
    return max(0.05, min(0.95, c))


def _fatalities(casualties: list[Casualty]) -> tuple[Fatalities, int | None, list[Casualty]]:
    """Fatalities and injured from a sentence's figures; the figures used, for evidence."""
    fat = Fatalities()
    injured: int | None = None
    used: list[Casualty] = []
    killed = [c for c in casualties if c.kind == "killed"]
    exact = [c for c in killed if not c.vague and c.value is not None and not c.breakdown_only]
    by_cat: dict[str, Casualty] = {}
    for c in exact:
        key = f"combatant:{c.side}" if c.category == "combatant" else "civil"
        if key not in by_cat or c.update or (c.value or 0) > (by_cat[key].value or 0) and not by_cat[key].update:
            by_cat[key] = c
    for key, c in by_cat.items():
        used.append(c)
        if key.startswith("combatant"):
            fat.combatants[c.side or "UNKNOWN"] = c.value
        else:
            fat.civilians = c.value if c.category in ("civilian", "child", "woman") else None
            if c.category == "child":
                fat.children = c.value
            if c.category == "woman":
                fat.women = c.value
            fat.qualifier = c.qualifier
        for k, v in c.breakdown.items():
            setattr(fat, k, v)
    total = sum(c.value for c in by_cat.values() if c.value)
    fat.total = total or None
    if fat.total and not fat.qualifier:
        fat.qualifier = "exact"
    for c in killed:
        if c.breakdown_only:
            used.append(c)
            for k, v in c.breakdown.items():
                setattr(fat, k, v)
    inj = [c for c in casualties if c.kind == "injured" and not c.vague and c.value is not None]
    if inj:
        best = max(inj, key=lambda c: (c.update, c.value))
        injured = best.value
        used.append(best)
    return fat, injured, used


def _attach_casualties(ctx: _Ctx, made: list[Event], casualties: list[Casualty], aggregate: bool,
                       sources: list, s: int, e: int, result: Result, s_places: list = ()) -> None:
    if not aggregate:
        casualties = _clause_tolls(ctx, made, casualties, s_places, s, e)
    fat, injured, used = _fatalities(casualties)
    if fat.is_empty() and injured is None and not any(c.breakdown_only for c in used):
        return
    if not made:
        aggregate = True
    places = list(dict.fromkeys(ev.location.pcode or ev.location.name for ev in made if ev.location))
    if aggregate or len(places) > 2:
        # One figure over a period or a list of places: a tally, not an incident's toll.
        for c in used:
            if c.value:
                result.reports.append(_aggregate(ctx, agg.casualty_label(c), c.start, c.end, c.value, c.qualifier,
                                                 [], sources, s, e, made[0].actor1 if made else None))
        return
    # With two places the toll goes to the one named first after the trigger ("قصف ... على مدينة الزيتونة").
    target = _toll_place(ctx, made, places)
    for ev in made:
        if ev.location and (ev.location.pcode or ev.location.name) == target:
            _apply(ctx, ev, fat, injured, used)
            if fat.civilians and ev.event_type != "Battles" and ev.actor2 != "CIV":
                # Civilians killed: they are the side acted on; who else was there stays associated.
                ev.assoc_actor_2 = [a for a in [ev.actor2, *ev.assoc_actor_2] if a]
                ev.actor2, ev.civilian_targeting = "CIV", True


def _clause_tolls(ctx: _Ctx, made: list[Event], casualties: list[Casualty], s_places: list,
                  s: int, e: int) -> list[Casualty]:
    """Figures whose own clause names one of the events' places go to that event ("رجل قضى أمس في
    مدينة عين الصفا، ومواطنة استشهدت اليوم بناحية الجبل"); the figures left are returned."""
    left = list(casualties)
    by_place = {ev.location.pcode or ev.location.name: ev for ev in made if ev.location}
    for cs, ce in clauses(ctx.nv.text, s, e):
        own = [c for c in left if cs <= c.start < ce]
        named = {key for p, loc in s_places if cs <= p < ce for key in [loc.pcode or loc.name] if key in by_place}
        if own and len(named) == 1:
            fat, injured, used = _fatalities(own)
            _apply(ctx, by_place[named.pop()], fat, injured, used)
            left = [c for c in left if c not in own]
    return left


def _toll_place(ctx: _Ctx, made: list[Event], places: list) -> str:
    trig = min((ev_.evidence[0].start for ev_ in made if ev_.evidence and ev_.evidence[0].field == "event_type"),
               default=0)
    after = [ev for ev in made if ev.location and ev.location.span and ev.location.span.start >= trig]
    if after:
        first = min(after, key=lambda ev: ev.location.span.start)
        return first.location.pcode or first.location.name
    return places[0]


def _apply(ctx: _Ctx, ev: Event, fat: Fatalities, injured: int | None, used: list[Casualty]) -> None:
    cur = ev.fatalities
    for attr in ("total", "civilians", "children", "women", "qualifier"):
        new = getattr(fat, attr)
        if new is not None and (getattr(cur, attr) is None or any(c.update for c in used) or attr == "qualifier"):
            setattr(cur, attr, new)
    cur.combatants.update(fat.combatants)
    if cur.total is None and cur.civilians:
        cur.total = cur.civilians
    if injured is not None and (ev.injured is None or any(c.update for c in used)):
        ev.injured = injured
    for c in used:
        ev.evidence.append(_evidence(ctx, "injured" if c.kind == "injured" else "fatalities", c.start, c.end))
    ev.confidence = min(0.95, ev.confidence + 0.05)


def _enrich(ctx: _Ctx, ev: Event, casualties: list[Casualty], triggers: list, weapons: list,
            s: int, e: int, aggregate: bool, sources: list, result: Result) -> None:
    """Add what a follow-up sentence says to the incident it continues."""
    if ev.background:
        return
    if casualties and not aggregate:
        fat, injured, used = _fatalities(casualties)
        _apply(ctx, ev, fat, injured, used)
    elif casualties:
        _attach_casualties(ctx, [ev], casualties, True, sources, s, e, result)
    for t in triggers:
        if t.info.weapon and t.info.kind in REMOTE and t.info.weapon not in ev.weapons:
            ev.weapons.append(t.info.weapon)
            ev.evidence.append(_evidence(ctx, "weapons", t.start, t.end))
    for w in weapons:
        if s <= w.start < e and w.tag not in ev.weapons:
            ev.weapons.append(w.tag)
            ev.evidence.append(_evidence(ctx, "weapons", w.start, w.end))


def _aggregate(ctx: _Ctx, what: str, start: int, end: int, value: int, qualifier: str,
               actors: list[ActorMention], sources: list, s: int, e: int, actor: str | None = None) -> Aggregate:
    from rasad.model import Span

    os_, oe, t = _span(ctx, start, end)
    perps = [a.actor for a in actors if a.actor not in ("CIV",)]
    src = [x.tag for x in sources if s <= x.start < e] or ctx.report_sources
    return Aggregate(article_id=ctx.report.article_id, what=what, value=value, qualifier=qualifier,
                     actor=actor or (perps[0] if perps else None), span=Span(os_, oe, t),
                     reported_by=list(dict.fromkeys(src)))
