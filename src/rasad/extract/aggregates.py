"""Figures that are not one incident: weekly tolls, strike counts, campaign totals, displacement.

They go to the `reports` output with their span and sources, never into an event's fatalities.
"""

from __future__ import annotations

import re

from rasad.annotate.casualties import Casualty
from rasad.annotate.mentions import ActorMention
from rasad.extract.reading import Reading
from rasad.lang.ar.words import alternation, table
from rasad.model import Aggregate
from rasad.text.numbers import quantities

_T = table("tallies.yaml")
_PERIOD = re.compile(rf"(?<!\w)(?:{alternation(_T['period_openers'])})\s+"
                     rf"(?:(?:{alternation(_T['period_qualifiers'])})\s+)?"
                     rf"(?:ال\s*)?(?:\d+\s+)?(?:{alternation(_T['period_nouns'])})"
                     rf"|(?<!\w)(?:{alternation(_T['totals'])})(?!\w)")
_COUNTED = {label: f"(?:{alternation(words)})" for label, words in _T["counted"].items()}
_POPULATION = re.compile(rf"\s*(?:{alternation(_T['population'])})")
_PERCENT = re.compile(rf"\s*(?:{alternation(_T['percent'])})")


def is_aggregate_sentence(text: str) -> bool:
    """A sentence that tallies over a period rather than telling one incident."""
    return bool(_PERIOD.search(text))


def several_strikes(text: str, start: int, end: int) -> bool:
    """"الشهر الأول، 3 استهدافات تسببت بسقوط 3 قتلى": strikes counted in the plural with no place of
    their own sum several incidents; their toll is a tally."""
    return any(what == "strikes" and value >= 2 for what, _s, _e, value, _q in counted_figures(text, start, end))


def counted_figures(text: str, start: int, end: int) -> list[tuple[str, int, int, int, str]]:
    """(what, start, end, value, qualifier) for "313 غارة", "3380 قذيفة", "نزوح 450 ألف شخص",
    and populations in the thousands ("أكثر من 4 ملايين شخص")."""
    seg = text[start:end]
    out = []
    for q in quantities(seg):
        if q.vague or q.value is None:
            continue
        after = seg[q.end:q.end + 25]
        before = seg[max(0, q.start - 25):q.start]
        what = None
        for label, pattern in _COUNTED.items():
            if re.match(rf"\s*(?:ال)?{pattern}(?!\w)", after) or (label == "displaced" and re.search(pattern, before)):
                what = label
                break
        if what is None and q.value >= 1000 and _POPULATION.match(after):
            what = "people"
        if what is None and _PERCENT.match(after):
            what = "percent"
        if what:
            out.append((what, q.start + start, q.end + start, q.value, q.qualifier))
    return out


def casualty_label(c: Casualty) -> str:
    who = {"child": "children", "woman": "women", "civilian": "civilians", "combatant": "combatants"}.get(
        c.category, "people")
    return f"{who} {c.kind}"


def make(r: Reading, what: str, start: int, end: int, value: int, qualifier: str, actors: list[ActorMention],
         s: int, e: int, actor: str | None = None) -> Aggregate:
    """An aggregate figure of sentence [s, e) with its span, actor and sources."""
    perps = [a.actor for a in actors if a.actor not in ("CIV",)]
    return Aggregate(article_id=r.doc.report.article_id, what=what, value=value, qualifier=qualifier,
                     actor=actor or (perps[0] if perps else None), span=r.doc.span(start, end),
                     reported_by=list(dict.fromkeys(r.sources_in(s, e))))
