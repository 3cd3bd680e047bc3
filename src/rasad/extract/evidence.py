"""Evidence: the words behind each field of an event, as spans of the text as given (through
`Doc.evidence`, the one road back from the normalised view)."""

from __future__ import annotations

from rasad.doc import Doc
from rasad.extract.frames import Frame
from rasad.model import Event, Evidence, Location


def location_evidence(loc: Location) -> Evidence:
    """A resolved place's span (the resolver gives it in the text as given)."""
    assert loc.span is not None
    return Evidence("location", loc.span.start, loc.span.end, loc.span.text)


def frame_evidence(doc: Doc, ev: Event, frame: Frame, loc: Location, perps: list[str], actor2: list[str],
                   s: int, e: int) -> None:
    """The trigger, place, actors, day, weapons and sources of a frame's event."""
    ev.evidence.append(doc.evidence("event_type", frame.triggers[0].start, frame.triggers[0].end))
    if loc.span:
        ev.evidence.append(location_evidence(loc))
    ev.evidence += [doc.evidence("actor1", a.start, a.end) for a in frame.perpetrators if a.actor in perps]
    ev.evidence += [doc.evidence("actor2", a.start, a.end) for a in frame.targets if a.actor in actor2]
    if frame.date is not None:
        ev.evidence.append(doc.evidence("event_date", frame.date.start, frame.date.end))
    ev.evidence += [doc.evidence("weapons", t.start, t.end) for t in frame.triggers if t.info.weapon]
    ev.evidence += [doc.evidence("reported_by", t.start, t.end) for t in doc.sources if s <= t.start < e]
