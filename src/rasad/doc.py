"""The Doc: one report, its normalised view, its sentences and every mention layer, in one
coordinate system.

Every layer holds offsets into the normalised view (`Doc.text`), where matching runs. `Doc.span`
is the only road back to the text as given: evidence is written through it, so offsets in records
always point into the input exactly.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rasad.model import Evidence, Location, Report, Span
from rasad.text.normalise import Normalised, normalise
from rasad.text.sentences import Sentence


@dataclass
class Doc:
    report: Report
    nv: Normalised
    published: date | None = None
    sentences: list[Sentence] = field(default_factory=list)
    # Mention layers, each in reading order, offsets in `text`. `places` pairs a resolved location
    # with where its name starts; `casualties` is per sentence (index into `sentences`).
    places: list[tuple[int, Location]] = field(default_factory=list)
    actors: list[Any] = field(default_factory=list)
    triggers: list[Any] = field(default_factory=list)
    weapons: list[Any] = field(default_factory=list)
    sources: list[Any] = field(default_factory=list)
    dates: list[Any] = field(default_factory=list)
    casualties: list[list[Any]] = field(default_factory=list)
    done: set[str] = field(default_factory=set)  # layers written so far
    _starts: dict[str, list[int]] = field(default_factory=dict, repr=False)  # per layer, for `within`

    @classmethod
    def of(cls, report: Report, published: date | None = None) -> Doc:
        return cls(report, normalise(report.text), published)

    @property
    def text(self) -> str:
        """The normalised view every layer's offsets point into."""
        return self.nv.text

    def span(self, start: int, end: int) -> Span:
        """The original text behind normalised [start, end): offsets into the report as given."""
        s, e = self.nv.to_original(start, end)
        return Span(s, e, self.report.text[s:e])

    def evidence(self, fieldname: str, start: int, end: int) -> Evidence:
        sp = self.span(start, end)
        return Evidence(fieldname, sp.start, sp.end, sp.text)

    def within(self, layer: str, start: int, end: int) -> list[Any]:
        """The mentions of a layer that start inside [start, end)."""
        items = getattr(self, layer)
        starts = self._starts.get(layer)
        if starts is None or len(starts) != len(items):
            starts = self._starts[layer] = [p for p, _ in items] if layer == "places" else [m.start for m in items]
        return items[bisect_left(starts, start):bisect_right(starts, end - 1)] if end > start else []
