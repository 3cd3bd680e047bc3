"""Enumerations: a header ending in a colon ("توزعت الضربات كالتالي:") and the items listed under it,
one per line ("- قرية X", "2- محيط بلدة Y"). An item naming a place and no attack word of its own is
one more event of the header's kind, by the header's actor, on the header's day."""

from __future__ import annotations

import re

from rasad.extract.assemble import events_for_frame
from rasad.extract.frames import Frame
from rasad.extract.reading import Reading, SentenceView
from rasad.model import Event

_ITEM = re.compile(r"(?:[-•*]|\d{1,3}\s*[-.)])")


def is_item(text: str, start: int) -> bool:
    """A line opening with a bullet or a number ("- ", "3- ", "3) ")."""
    return bool(_ITEM.match(text, start))


def opens_list(text: str, end: int) -> bool:
    """A sentence ending in a colon heads what is listed under it."""
    return text[end - 1:end] == ":"


def item_events(r: Reading, v: SentenceView) -> list[Event] | None:
    """The events of a list item told by its header's frame, or None when the sentence is not such
    an item; a sentence that is no item ends the list."""
    head = r.list_head
    if head is None or not is_item(r.text, v.start):
        r.list_head = None
        return None
    if v.triggers or not v.places:
        return None
    frame = Frame(triggers=head.triggers, places=[loc for _p, loc in v.places], perpetrators=head.perpetrators,
                  targets=head.targets, date=head.date, start=head.start, end=head.end)
    return events_for_frame(r, frame, v.start, v.end, False)
