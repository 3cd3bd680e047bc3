"""Discourse: how a sentence stands to the news a report brings. History told in passing, the
report's own day, the actor it is about, and sentences that point back at an incident told before.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from rasad.annotate.mentions import ActorMention
from rasad.extract.frames import Frame, clauses, role
from rasad.extract.reading import Reading
from rasad.lang.ar.words import alternation, normed, table
from rasad.model import Event
from rasad.text.dates import DateMention, follows_elapsed_time

BACKGROUND_DAYS = 5  # a day named this long before publication is history
RECAP_DAYS = 1  # a recap ("وكان ... قد") dated this close to publication tells the report's news
FOLLOW_UP_SENTENCES = 5  # how far a sentence with no place of its own may tell more of the last incident


@lru_cache(maxsize=1)
def _words() -> dict:
    d = table("discourse.yaml")
    return {
        "markers": tuple(normed(d["background_markers"])),
        "recap": tuple(normed(d["recap_markers"])),
        "likewise": re.compile(rf"(?<!\w)[وف]?(?:{alternation(d['likewise'])})(?!\w)"),
        "demonstrative": re.compile(rf"(?<!\w)(?:{alternation(d['demonstratives'])})\s*$"),
        "another": re.compile(rf"\s+(?:{alternation(d['another'])})(?!\w)"),
        "relative": re.compile(rf"(?:{alternation(d['relative_pronouns'])})\s"),
        "instance": re.compile(rf"(?<!\w)(?:{alternation(d['instance_openers'])})(?!\w)"),
    }


def lede_date(dates: list[DateMention], sents: list, published: date | None) -> DateMention | None:
    """The report's own date: the first day named in its opening sentences, else publication."""
    lede_end = sents[min(3, len(sents) - 1)].end if sents else 0
    for d in dates:
        if d.start <= lede_end and d.day and d.precision == 1 and not d.past_reference:
            if published is None or timedelta(0) <= published - d.day <= timedelta(days=BACKGROUND_DAYS):
                return d
    if published:
        return DateMention(-1, -1, published, relative=True)
    return None


def dominant_actors(text: str, actors: list[ActorMention], triggers: list) -> dict[str, list[str]]:
    """The perpetrators a report is about, for frames that do not name one: per trigger kind ("who
    flies the aircraft in this report"), and overall under "*"."""
    counts: dict[str, dict[str, float]] = {"*": {}}
    for a in actors:
        if a.actor in ("CIV", "UNKNOWN") or role(text, a) != "perpetrator":
            continue
        near = [t for t in triggers if abs(t.start - a.start) < 80]
        weight = (2.0 if near else 1.0) + (1.0 if a.start < 300 else 0.0)
        for kind in ["*", *{t.info.kind for t in near}]:
            per = counts.setdefault(kind, {})
            per[a.actor] = per.get(a.actor, 0) + weight
    return {kind: [a for a, _ in sorted(c.items(), key=lambda kv: -kv[1])] for kind, c in counts.items()}


def frame_date(frame: Frame, s_dates: list[DateMention], text: str = "") -> DateMention | None:
    """The day a frame names (in a clause with its attack word first: "استهدفت سيارة قرب X - المستهدف
    كان مع التنظيم قبل 7 سنوات" is today's), else the last day named before it in its sentence."""
    own = [d for d in s_dates if frame.start <= d.start < frame.end and d.day]
    if text and own:
        own = _by_clause(frame, own, text)
    if own:
        return own[0]
    before = [d for d in s_dates if d.start < frame.start and d.day]
    return before[-1] if before else None


def tells_the_day(text: str, frame: Frame) -> bool:
    """Whether the frame's day is the attack's, not that of a thing a relative clause describes
    ("التسجيل، الذي بث أمس، ..."): such a day is not carried on."""
    d = frame.date
    return d is not None and not any(cs <= d.start < ce and _words()["relative"].match(text, cs)
                                     for cs, ce in clauses(text, frame.start, frame.end))


def instance_start(text: str, frame: Frame) -> int:
    """Where the frame's own telling starts: after an "إذ" or "حيث" that brings an instance of a
    period told before it ("تصعيد خلال الأيام الماضية، إذ قضت امرأة يوم الإثنين بقصف ...")."""
    found = list(_words()["instance"].finditer(text, frame.start, frame.triggers[0].start))
    return found[-1].end() if found else frame.start


def _by_clause(frame: Frame, own: list[DateMention], text: str) -> list[DateMention]:
    """The frame's days, those in a clause with an attack word first; "ago" in a clause of its own
    dates that clause only."""
    spans = [(cs, ce) for cs, ce in clauses(text, frame.start, frame.end)
             if any(cs <= t.start < ce for t in frame.triggers)]
    at_trigger = {id(d) for d in own if any(cs <= d.start < ce for cs, ce in spans)}
    return sorted((d for d in own if id(d) in at_trigger or not (d.past_reference and d.relative)),
                  key=lambda d: id(d) not in at_trigger)


def history_marker(text: str, s: int, e: int, recent: bool = False) -> bool:
    """"يذكر أن" at the head of the sentence: it tells history; so does "وكانت ... قد" unless the
    sentence is dated to the report's own days (`recent`)."""
    head = text[s:e][:40]
    w = _words()
    return any(m in head for m in w["markers"]) or not recent and any(m in head for m in w["recap"])


def likewise(text: str, s: int, e: int) -> bool:
    """"كما تعرضت قرى X وY" with no attack word: the places suffered what was told just before."""
    return bool(_words()["likewise"].search(text, s, e))


def recent(d: DateMention | None, published: date | None) -> bool:
    """Undated, or a day within RECAP_DAYS of publication ("أمس", "اليوم"): a recap ("وكان ...
    قد") so dated retells the report's news."""
    if d is None:
        return True
    return d.day is not None and published is not None and not d.past_reference \
        and timedelta(0) <= published - (d.last or d.day) <= timedelta(days=RECAP_DAYS)


def is_background(r: Reading, frame: Frame, s: int, e: int) -> bool:
    """History rather than news: after an elapsed time ("بعد يوم من مجزرة"), dated in the past or
    more than BACKGROUND_DAYS before publication, or in a sentence that opens as history."""
    if follows_elapsed_time(r.text, frame.triggers[0].start, s):
        return True  # "يأتي بعد يوم من مجزرة مماثلة في قرية X"
    d = frame.date
    if d is not None and d.past_reference:
        return True
    published = r.doc.published
    if d is not None and d.day and published and published - (d.last or d.day) > timedelta(days=BACKGROUND_DAYS):
        return True
    return history_marker(r.text, s, e, recent(d, published))


def elsewhen(ev: Event, s_dates: list[DateMention]) -> bool:
    """A sentence dated to history or to another day than the event's tells of something else
    ("حيث فقد حوالي 900 طفل حياتهم العام الماضي")."""
    return any(d.past_reference or (d.day is not None and ev.event_date and d.precision == 1
                                    and d.day.isoformat() != ev.event_date) for d in s_dates)


def anaphoric(text: str, s: int, frame: Frame) -> bool:
    """"هذا القصف" (whatever else the clause names) points at the incident already told, unless
    it is "another" one ("هذا القصف سبقه قصف آخر")."""
    first = frame.triggers[0].start
    w = _words()
    return bool(w["demonstrative"].search(text, max(s, first - 6), first)
                and not any(w["another"].match(text, t.end) for t in frame.triggers))


def related(events: list[Event], frame: Frame, first: bool = False) -> Event | None:
    """The latest news event by the same side as the frame's perpetrators (any, when it names none);
    with `first`, the report's first such event ("هذا القصف" points at the incident the report is about)."""
    ids = {a.actor for a in frame.perpetrators}
    for ev in (events if first else reversed(events)):
        if not ev.background and ev.location and ids <= {ev.actor1, *ev.assoc_actor_1}:
            return ev
    return None
