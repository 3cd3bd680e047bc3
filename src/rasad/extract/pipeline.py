"""The extractor: one report in, event records and aggregate figures out.

The report becomes a Doc; the annotators fill its layers (sentences, places, actors, triggers,
weapons, sources, dates, casualties); then each sentence is read in turn: cut into frames, one
per clause with a trigger, each frame giving one event per place (assemble), figures going to
their events or to the reports output (tolls), history marked and follow-ups joined to the
incident they continue (discourse). Events of one place, day and type are merged last.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

from rasad.annotate.layers import Knowledge, annotate
from rasad.annotate.lexicons import Lexicons, load
from rasad.doc import Doc
from rasad.extract import aggregates as agg
from rasad.extract import lists, tolls
from rasad.extract.assemble import continued, events_for_frame
from rasad.extract.discourse import (
    FOLLOW_UP_SENTENCES,
    anaphoric,
    dominant_actors,
    elsewhen,
    frame_date,
    history_marker,
    instance_start,
    lede_date,
    likewise,
    recent,
    related,
    tells_the_day,
)
from rasad.extract.event_places import dateline, drop_elsewhere, drop_source_clauses, in_person_name, inside_actor
from rasad.extract.frames import Frame, segment
from rasad.extract.merge import merge_events
from rasad.extract.reading import Reading, Result, SentenceView
from rasad.extract.windows import windows
from rasad.geo.gazetteer import Gazetteer
from rasad.model import Event, Report
from rasad.text.dates import DateMention
from rasad.text.sentences import Sentence

TALLY_APART = frozenset({"control_gain", "control_loss", "agreement"})  # never given a neighbour's toll

__all__ = ["Result", "extract_report"]


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def extract_report(report: Report, gaz: Gazetteer, lex: Lexicons | None = None) -> Result:
    """Events and aggregate figures from one ingested report, read with the gazetteer's profile;
    never raises on odd text. A report longer than a window is read window by window (whole
    paragraphs), so its cost grows with its length, and its events are merged as one report's."""
    lex = lex or load(gaz.profile)
    events: list[Event] = []
    result = Result()
    headline: set[int] = set()
    sides: Counter[str] = Counter()
    for k, (start, end) in enumerate(windows(report.text)):
        part = report if start == 0 and end == len(report.text) else replace(report, text=report.text[start:end])
        r = _read(part, gaz, lex)
        if start:
            _shift(r.events, r.result.reports, start)
        if k == 0:
            headline = r.headline
        events += r.events
        result.reports += r.result.reports
        sides += _stance_words(r.text, lex)
    result.events = merge_events(events, headline)
    side = sides.most_common(1)[0][0] if sides else "neutral"
    for ev in result.events:
        ev.stance = side
    return result


def _read(report: Report, gaz: Gazetteer, lex: Lexicons) -> Reading:
    """One text read sentence by sentence: its events before merging, its aggregate figures."""
    doc = annotate(Doc.of(report, _parse_date(report.published)), Knowledge(gaz, lex))
    r = Reading(doc, lex, gaz.profile, lede_date(doc.dates, doc.sentences, doc.published),
                list(dict.fromkeys(s.tag for s in doc.sources)),
                dominant_actors(doc.text, doc.actors, doc.triggers))
    for index, sent in enumerate(doc.sentences):
        _read_sentence(r, _view(r, index, sent))
    return r


def _shift(events: list[Event], aggregates: list, by: int) -> None:
    """A window's offsets moved into the whole report's text (new objects: evidence may be shared)."""
    for ev in events:
        ev.evidence = [replace(x, start=x.start + by, end=x.end + by) for x in ev.evidence]
    for a in aggregates:
        if a.span is not None:
            a.span = replace(a.span, start=a.span.start + by, end=a.span.end + by)


def _stance_words(normalised: str, lex: Lexicons) -> Counter[str]:
    """Each side's vocabulary counted in a text ("ميليشيا أسد" is opposition usage, "المجموعات
    الإرهابية" government usage): the report's stance is the side counted most, else neutral."""
    return Counter(h.value for h in lex.stances.find(normalised))


def _view(r: Reading, index: int, sent: Sentence) -> SentenceView:
    """The sentence's share of every layer; places that are not where anything happened left out
    (inside an actor's or a victim's name, a dateline, a source's seat, a hometown, a hospital)."""
    doc, text, s, e = r.doc, r.text, sent.start, sent.end
    triggers = doc.within("triggers", s, e)
    names = [(c.start, c.end) for c in doc.casualties[index] if c.rule == "named_victims"]  # victims' names
    places = [(p, loc) for p, loc in doc.within("places", s, e)
              if not inside_actor(p, doc.actors) and not dateline(text, p, s)
              and not in_person_name(text, p, r.lex.persons) and not any(a <= p < b for a, b in names)]
    places = drop_elsewhere(text, drop_source_clauses(text, s, e, places, triggers), r.profile)
    tally = agg.is_aggregate_sentence(text[s:e]) or (not places and agg.several_strikes(text, s, e))
    return SentenceView(index, sent.paragraph, s, e, index - r.last_at <= FOLLOW_UP_SENTENCES, triggers, places,
                        doc.within("actors", s, e), doc.within("dates", s, e), doc.casualties[index], tally)


def _read_sentence(r: Reading, v: SentenceView) -> None:
    listed = lists.item_events(r, v)
    if listed is not None:
        _add_made(r, v, listed)
        return
    if not v.aggregate and v.near_last:
        v.casualties = tolls.update_told_toll(r, v.casualties, v.triggers, v.places)
    for what, qs, qe, value, qual in agg.counted_figures(r.text, v.start, v.end):
        r.result.reports.append(agg.make(r, what, qs, qe, value, qual, v.actors, v.start, v.end))
    frames = segment(r.text, v.start, v.end, v.triggers, v.places, v.actors)
    made, producing = _sentence_events(r, v, frames)
    if frames and lists.opens_list(r.text, v.end) and not v.aggregate:  # a tally's list tallies too
        r.list_head = frames[-1]
    if made:
        _leftover_tolls(r, v, frames, producing, made)
        _add_made(r, v, made)
    elif r.last_event is not None and v.near_last and (v.casualties or v.triggers) \
            and not elsewhen(r.last_event, v.dates):
        # A sentence telling more of the last incident: "وقال الدفاع المدني إن 3 أطفال ...".
        tolls.enrich(r, r.last_event, v.casualties, v.triggers, v.start, v.end, v.aggregate)


def _sentence_events(r: Reading, v: SentenceView, frames: list[Frame]) -> tuple[list[Event], list]:
    """The sentence's events, with the frames that produced them; a sentence with no attack word
    whose places took a casualty or suffered "likewise" continues the last incident."""
    made: list[Event] = []
    producing: list[tuple[Frame, list[Event]]] = []
    for i, frame in enumerate(frames):
        framed = _frame_events(r, v, frames, i, made)
        if framed:
            producing.append((frame, framed))
        made += framed
    if not made and r.last_event is not None and v.near_last and v.places and not v.triggers and \
            (v.casualties or likewise(r.text, v.start, v.end)) and _same_sides(r.last_event, v.actors):
        made = continued(r, r.last_event, v.places, v.dates, v.start, v.end)
    return made, producing


def _same_sides(last: Event, actors: list) -> bool:
    """A sentence naming other armed sides than the last incident's tells of something else."""
    return all(a.actor in ("CIV", "UNKNOWN", last.actor1, last.actor2, *last.assoc_actor_1, *last.assoc_actor_2)
               for a in actors)


def _add_made(r: Reading, v: SentenceView, made: list[Event]) -> None:
    if v.index == 0:
        r.headline.update(id(ev) for ev in made)
    if made:
        r.events += made
        r.last_event, r.last_at = made[-1], v.index


def _frame_events(r: Reading, v: SentenceView, frames: list[Frame], i: int, made: list[Event]) -> list[Event]:
    """The events of frame i (`made`: those of the sentence's earlier frames), with the figures of
    its own clause."""
    frame = frames[i]
    text = r.text
    frame.date = frame_date(frame, v.dates, text)
    tally = agg.is_aggregate_sentence(text[instance_start(text, frame):frame.end])
    if r.lex.not_events.find(text[frame.start:frame.end]):
        return []
    _inherit_place(r, v, frames, i, tally, made)
    _inherit_actor(r, v, frames, i)
    framed = events_for_frame(r, frame, v.start, v.end, tally)
    _mark_history(r, v, frame, framed)
    if frame.date and framed and not framed[0].background and not tally and tells_the_day(text, frame):
        r.carried = frame.date  # later undated attacks happened on this day
    own = [c for c in v.casualties if frame.start <= c.start < frame.end]
    if own and (framed or tally):
        tolls.attach(r, framed, own, tally or not framed, v.start, v.end, v.places)
        v.casualties = [c for c in v.casualties if c not in own]
    return framed


def _inherit_actor(r: Reading, v: SentenceView, frames: list[Frame], i: int) -> None:
    """A clause naming no side shares the subject of the clause before it ("كثفت ميليشيا أسد قصفها على X،
    كما استهدفت Y"); a definite attack word is the attack just told ("وأضافت المصادر أن القصف طال قرى X")."""
    frame, last = frames[i], r.last_event
    if frame.perpetrators:
        return
    before = next((f for f in reversed(frames[:i]) if f.perpetrators), None)
    if before is not None:
        frame.told_actor = before.perpetrators[0].actor
    elif v.near_last and last is not None and not last.background and \
            last.event_type == frame.main().event_type and r.text.startswith("ال", frame.triggers[0].start):
        frame.told_actor = last.actor1


def _inherit_place(r: Reading, v: SentenceView, frames: list[Frame], i: int, tally: bool,
                   made: list[Event]) -> None:
    """"هذا القصف" (whatever else the clause names), or "ويواصلان قصفهم يومياً" with no place here
    nor further on in the sentence: the incident the report is telling, at the place it named."""
    frame = frames[i]
    points_back = anaphoric(r.text, v.start, frame)
    placed_later = any(f.places for f in frames[i + 1:])
    if tally or not (points_back or (not frame.places and v.near_last and not placed_later)):
        return
    earlier = related(r.events + made, frame, first=points_back)
    if earlier is not None:
        frame.places = [earlier.location]  # type: ignore[list-item]
        if frame.date is None and earlier.event_date:  # that incident, on its day
            frame.date = DateMention(-1, -1, date.fromisoformat(earlier.event_date), relative=True)


def _mark_history(r: Reading, v: SentenceView, frame: Frame, framed: list[Event]) -> None:
    """A dated event of history makes its paragraph history; an undated one in such a paragraph is
    history too ("وكانت ... منذ حزيران")."""
    if framed and framed[0].background and frame.date is not None or \
            history_marker(r.text, v.start, v.end, recent(frame.date, r.doc.published)):
        r.history_paragraphs.add(v.paragraph)
    elif v.paragraph in r.history_paragraphs and frame.date is None:
        for ev in framed:
            ev.background = True


def _leftover_tolls(r: Reading, v: SentenceView, frames: list[Frame], producing: list, made: list[Event]) -> None:
    """Figures left over belong to a clause that named no place of its own: the toll of a continued
    incident (no trigger here), or of the one attack the sentence places ("مقتل 3 بقصف، استهدف قرية
    X"); anything else is a tally."""
    if frames and len(producing) == 1 and not any(f.kinds & TALLY_APART for f in frames):
        made_for = producing[0][1]
    else:
        made_for = made if not frames else []
    tally = v.aggregate and (not frames or
                             agg.is_aggregate_sentence(r.text[instance_start(r.text, frames[0]):v.end]))
    tolls.attach(r, made_for, v.casualties, tally, v.start, v.end, v.places)
