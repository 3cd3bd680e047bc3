"""Places a sentence names that are not where its event happened: a dateline, a reporting
clause's seat, a victim's hometown, the hospital the wounded were taken to, a place inside an
actor's name."""

from __future__ import annotations

import re
from functools import lru_cache

from rasad.annotate.mentions import ActorMention
from rasad.extract.frames import Frame, clauses
from rasad.geo.gazetteer import place_words
from rasad.geo.matcher import place_words_only, vocab
from rasad.lang.ar.words import alternation, table
from rasad.link.compare import place_key
from rasad.model import Location
from rasad.profile import Profile
from rasad.text.normalise import norm

_DATELINE = re.compile(r"[^\w]*\w+(?:\s\w+)?\s*(?::|-|–|—|/)")
_REPORTING = re.compile(rf"(?<!\w)[وف]?(?:{alternation(table('discourse.yaml')['reporting'])})(?!\w)")


def dateline(text: str, pos: int, sent_start: int) -> bool:
    """"وادي النور- نورث برس", "المدينة الكبرى::": the place a report was filed from, not where anything happened."""
    m = _DATELINE.match(text, sent_start)
    return bool(m) and sent_start <= pos < m.end()


def drop_source_clauses(text: str, s: int, e: int, s_places: list, triggers: list) -> list:
    """"وذكر المركز الإعلامي في وادي النور، أن ...": places in a reporting clause before the first
    trigger say where the source sits."""
    first = min((t.start for t in triggers), default=e)
    drop = [(cs, ce) for cs, ce in clauses(text, s, e) if ce <= first and _REPORTING.search(text, cs, ce)]
    return [(p, loc) for p, loc in s_places if not any(cs <= p < ce for cs, ce in drop)]


_POSTS = rf"(?:{alternation(table('discourse.yaml')['post_words'])})(?:ها|هم)?(?:\s+(?:في|ب))?"


@lru_cache(maxsize=8)
def _elsewhere_res(profile: Profile) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Text ending right before a place a victim came from, and before one the wounded were taken to,
    the fire came from, or that stands for who holds an area ("تحت سيطرة دمشق")."""
    words = place_words(profile)
    types = alternation([w for ws in words["type_words"].values() for w in ws])
    origin = rf"(?<!\w)(?:{alternation(words['origin_words'])})\s+(?:من\s+)?(?:[وب]?(?:{types})\s+)?[وبلف]?$"
    taken = rf"(?<!\w)(?:الي|نحو)\s+(?:{alternation(words['hospital_words'])})(?:\s+\w+){{0,4}}?\s+[\"'(]?[وبلف]?$"
    bases = alternation(table("discourse.yaml")["base_words"])
    areas = alternation(words["region_words"])
    base = rf"(?<!\w)(?:{bases})\s*(?:{_POSTS}\s+)?(?:[وب]?(?:{areas})\s+)?(?:(?:{types})\s+)?[وبلف]?$"
    held = rf"(?<!\w)[لب]?(?:{alternation(table('discourse.yaml')['control_nouns'])})\s+$"
    return re.compile(origin), re.compile(f"{taken}|{base}|{held}")


def drop_elsewhere(text: str, s_places: list, profile: Profile) -> list:
    """"نقلوا إلى مشافي مدينة تل الورد": where the wounded were taken is not where it happened; nor,
    unless the sentence names nowhere else, where victims came from ("أحدهما من بلدة كفر نبو")."""
    origin, taken = _elsewhere_res(profile)
    v = vocab(profile)
    s_places = [(p, loc) for p, loc in s_places if not taken.search(text, max(0, p - 60), p)]
    kept, after_origin = [], None  # end of the last origin place: "من بلدة كفر نبو بريف عين الصفا" is one origin
    for p, loc in s_places:
        if origin.search(text, max(0, p - 40), p) or after_origin is not None and \
                0 <= p - after_origin <= 30 and place_words_only(text[after_origin:p], v):
            after_origin = p + len(norm(loc.name))
        else:
            kept.append((p, loc))
    return kept or s_places


_NAME_WORD = re.compile(r"[\"'(]?(\w+)[\"')]?\s*$")
NAME_WORDS = 4  # the longest personal name a place may sit in after a person noun


@lru_cache(maxsize=1)
def _not_in_names() -> frozenset[str]:
    """Words that end a personal name: prepositions, type and area words ("قتل شاب في بلدة X")."""
    d = table("discourse.yaml")
    return frozenset(norm(w) for w in [*d["container_prepositions"], *d["container_areas"], *d["name_enders"]])


def in_person_name(text: str, pos: int, persons: dict) -> bool:
    """"المواطن محمد المطرود", "الشاب (أحمد أكرم ريمة)": a place name inside a person's name after a
    person noun is no place."""
    seg = text[max(0, pos - 60):pos]
    words = re.findall(r"[\w\"'()]+", seg)
    for k in range(1, min(NAME_WORDS, len(words)) + 1):
        w = words[-k].strip("\"'()")
        if w in _not_in_names() or not w:
            return False
        bare = w[1:] if w[:1] in "وبل" and w[1:] in persons else w
        if k > 1 and persons.get(bare, ("", ""))[1] == "singular" and bare not in _not_in_names():
            return True
    return _closes_a_name(text, pos)


_PAREN_NAME = re.compile(r"\((\w+(?:\s+\w+){1,2})\s+$")  # "(" and the name's first words, up to the place
_PAREN_END = re.compile(r"\w+\s*\)")


def _closes_a_name(text: str, pos: int) -> bool:
    """"أحد عناصر الميليشيا (أحمد أكرم ريمة)": the last word of a name of three or four words in
    brackets is no place (a place in brackets comes with its area: "(ريف إدلب)")."""
    m = _PAREN_NAME.search(text, max(0, pos - 50), pos)
    end = _PAREN_END.match(text, pos)
    if m is None or end is None:
        return False
    words = [*m.group(1).split(), end.group().rstrip(") ")]
    return not any(w in _not_in_names() for w in words)


def inside_actor(pos: int, actors: list[ActorMention]) -> bool:
    """A place inside an actor's name ("مجلس الرابية العسكري") is not where anything happened."""
    return any(a.start <= pos < a.end for a in actors)


@lru_cache(maxsize=1)
def _container_gap() -> re.Pattern[str]:
    """What may stand between a place and the area right after it that encloses it."""
    d = table("discourse.yaml")
    preps, areas = alternation(d["container_prepositions"]), alternation(d["container_areas"])
    links = alternation(d.get("container_links", []))
    # a name may be quoted
    return re.compile(rf"^[\s,\"'()]*(?:(?:{links})\s+)?(?:(?:{preps})\s+|ب|ل)?(?:(?:{areas})\s*){{0,2}}$")


_COORDINATED = re.compile(r"[,،]|(?<!\w)و")


def _written_inside(text: str, prev: Location | None, p: Location) -> bool:
    """"قرية X في ريف Y", "X بجبل Z", "X التابعة لمدينة Y": p, written right after prev, encloses it."""
    if prev is None or not prev.span or not p.span:
        return False
    gap = norm(text[prev.span.end:p.span.start])  # "A، B" lists two towns; "A، ريف Y" places A
    return prev.geo_precision <= p.geo_precision and p.span.start - prev.span.end <= 20 \
        and bool(_container_gap().match(gap)) and bool(gap.strip(" ,") or p.geo_precision == 3)


def _contained(text: str, prev: Location | None, p: Location) -> bool:
    """p is written inside prev's description: it encloses prev (`_written_inside`), or it is the town an
    unlisted place was put beside, written after it and not listed with it ("مخيم X في منطقة
    المخيمات بY", but not "قرى X، وY")."""
    if _written_inside(text, prev, p):
        return True
    if prev is None or not prev.span or not p.span:
        return False
    gap = norm(text[prev.span.end:p.span.start])
    beside = (prev.pcode is not None and prev.pcode == p.pcode) or \
        (prev.latitude is not None and (prev.latitude, prev.longitude) == (p.latitude, p.longitude))
    return beside and prev.geo_precision > p.geo_precision and len(gap) <= 40 and not _COORDINATED.search(gap)


def event_places(text: str, frame: Frame) -> list[Location]:
    """One event per place of a frame (`text` is the report as given, where location spans point).
    Not separate events: a region when a town inside it is named, a road beside a town, and the
    enclosing area written right after a place."""
    towns = [p for p in frame.places if p.geo_precision < 3]
    out: list[Location] = []
    prev: Location | None = None
    for p in frame.places:
        within_region = p.geo_precision == 3 and p.kind == "region" and any(t.admin1 == p.admin1 for t in towns)
        if _written_inside(text, prev, p) and prev is not None:
            prev.within = place_key(p)
        elif not _contained(text, prev, p) and not within_region and not (p.kind == "road" and towns):
            out.append(p)
        prev = p
    seen: set[tuple | None] = set()
    unique = []
    for p in out:
        key = place_key(p)  # two unlisted villages beside one town stay two places
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique
