"""What assembly knows of a whole report while it reads it sentence by sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasad.annotate.lexicons import Lexicons
from rasad.doc import Doc
from rasad.model import Aggregate, Event
from rasad.profile import Profile
from rasad.text.dates import DateMention


@dataclass
class Result:
    events: list[Event] = field(default_factory=list)
    reports: list[Aggregate] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """The events as plain event records (the contract's dicts, ready for json.dumps)."""
        return [e.to_record() for e in self.events]


@dataclass
class Reading:
    doc: Doc
    lex: Lexicons
    profile: Profile
    default_date: DateMention | None  # the report's own day
    report_sources: list[str]  # who the report cites anywhere
    report_actor: dict[str, list[str]]  # trigger kind (or "*") -> actors, most likely first
    result: Result = field(default_factory=Result)
    events: list[Event] = field(default_factory=list)  # news and history told so far, before merging
    last_event: Event | None = None
    last_at: int = -99  # index of the sentence that made the last event
    history_paragraphs: set[int] = field(default_factory=set)  # paragraphs telling earlier history
    headline: set[int] = field(default_factory=set)  # ids of the first sentence's events
    list_head: Any = None  # the frame of a header ending in a colon, while its list goes on
    carried: Any = None  # the day the last news attack that named one was told on (DateMention)

    @property
    def text(self) -> str:
        return self.doc.text

    def sources_in(self, s: int, e: int) -> list[str]:
        """The sources cited in [s, e), else those the report cites anywhere."""
        return [t.tag for t in self.doc.sources if s <= t.start < e] or self.report_sources


@dataclass
class SentenceView:
    """One sentence with its share of every layer, places filtered to where things can happen."""

    index: int
    paragraph: int
    start: int
    end: int
    near_last: bool  # close enough to the last event to tell more of it
    triggers: list
    places: list
    actors: list
    dates: list
    casualties: list
    aggregate: bool  # the sentence tallies over a period
