"""The annotators, in the order they run: each fills one layer of the Doc from the earlier ones.

A new finder is one `Annotator` here (or in a profile's own list): what it needs, what it writes,
and a function of the Doc. Assembly (frames, events) starts only when every layer is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rasad.annotate.casualties import find_casualties
from rasad.annotate.lexicons import Lexicons
from rasad.annotate.mentions import find_actors, find_sources, find_triggers, find_weapons
from rasad.annotate.tags import in_runs, tag_runs
from rasad.annotate.victim_lists import victim_lists
from rasad.doc import Doc
from rasad.geo.gazetteer import Gazetteer
from rasad.geo.resolver import Resolver
from rasad.text.dates import find_dates
from rasad.text.sentences import sentences


@dataclass(frozen=True)
class Knowledge:
    """What the annotators read with: the gazetteer (and its profile) and the profile's lexicons."""

    gaz: Gazetteer
    lex: Lexicons


@dataclass(frozen=True)
class Annotator:
    writes: str
    needs: tuple[str, ...]
    run: Callable[[Doc, Knowledge], None]


def _sentences(doc: Doc, k: Knowledge) -> None:
    doc.sentences = sentences(doc.text)


def _places(doc: Doc, k: Knowledge) -> None:
    runs = tag_runs(doc.report.text)
    doc.places = sorted(((pos, loc) for pos, loc in Resolver(k.gaz, doc.nv).resolve_at()
                         if loc.span and not in_runs(loc.span.start, runs)), key=lambda pl: pl[0])
    # "مدينة دير الزور" anywhere in the report says its bare "دير الزور" means the city too.
    named_town = {loc.pcode for _p, loc in doc.places if loc.kind == "community" and not loc.names_area}
    for _p, loc in doc.places:
        loc.names_area = loc.names_area and loc.pcode not in named_town


def _actors(doc: Doc, k: Knowledge) -> None:
    doc.actors = find_actors(doc.text, k.lex)


def _triggers(doc: Doc, k: Knowledge) -> None:
    doc.triggers = find_triggers(doc.text, k.lex)


def _weapons(doc: Doc, k: Knowledge) -> None:
    doc.weapons = find_weapons(doc.text, k.lex)


def _sources(doc: Doc, k: Knowledge) -> None:
    doc.sources = find_sources(doc.text, k.lex)


def _dates(doc: Doc, k: Knowledge) -> None:
    doc.dates = find_dates(doc.text, doc.published)


def _casualties(doc: Doc, k: Knowledge) -> None:
    doc.casualties = [find_casualties(doc.text, s.start, s.end, k.lex, doc.within("actors", s.start, s.end))
                      for s in doc.sentences]
    victim_lists(doc.text, doc.sentences, doc.casualties)


ANNOTATORS: tuple[Annotator, ...] = (
    Annotator("sentences", (), _sentences),
    Annotator("places", (), _places),
    Annotator("actors", (), _actors),
    Annotator("triggers", (), _triggers),
    Annotator("weapons", (), _weapons),
    Annotator("sources", (), _sources),
    Annotator("dates", (), _dates),
    Annotator("casualties", ("sentences", "actors"), _casualties),
)


def annotate(doc: Doc, k: Knowledge, annotators: Iterable[Annotator] = ANNOTATORS) -> Doc:
    """Run the annotators in order; one whose layers are not yet written is a wiring error."""
    for a in annotators:
        missing = [n for n in a.needs if n not in doc.done]
        if missing:
            raise ValueError(f"annotator '{a.writes}' needs {missing} first")
        a.run(doc, k)
        doc.done.add(a.writes)
    return doc
