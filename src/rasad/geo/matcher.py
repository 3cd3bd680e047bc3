"""Find place mentions in the normalised view of a text.

Names are found with one Aho-Corasick pass over every gazetteer key, then checked at word
boundaries, allowing proclitics (و ف ب ل ك and their pairs, "بـ" before a quoted name). Names
that are also common words need place context: a place-type word before them, a list of places
around them, or an attack or control word governing them. Names the gazetteer lacks are still
found after place-type words and inside lists of places, so none is silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rasad.geo.gazetteer import Gazetteer, ambiguous_names, place_words
from rasad.lang.ar.morphology import proclitic_stacks, strip_known, strip_one
from rasad.lang.ar.words import normed, person_nouns, stop_words
from rasad.profile import Profile
from rasad.text.normalise import Normalised, norm

QUOTES = "\"'()[]"
_WORD = re.compile(r"\w+")


@dataclass
class PlaceMention:
    start: int  # offsets in the normalised view, name only (no clitic)
    end: int
    key: str
    pids: list[int]
    type_word: str | None = None  # قرية, حي, مخيم, ...
    type_kind: str | None = None
    area_word: str | None = None  # ريف, بادية, محيط ...
    direction: str | None = None  # شمال, جنوب غربي ...
    near: bool = False
    known: bool = True
    list_group: int | None = None
    extra: dict = field(default_factory=dict)


class PlaceVocab:
    """The profile's words around place names (places.yaml), normalised once per profile."""

    def __init__(self, w: dict) -> None:
        self.type_kind: dict[str, str] = {}
        for kind, words in w["type_words"].items():
            for word in words:
                self.type_kind.setdefault(norm(word), kind)
        self.directions = normed(w["direction_words"])
        self.dir_adj = normed(w["direction_adjectives"])
        self.areas = set(normed(w["region_words"]))
        self.near = normed(w["near_words"])
        self.governing = set(normed(w["governing_words"]))
        self.preps = set(normed(w["governing_prepositions"]))
        self.compound = set(normed(w["compound_prefixes"]))
        # one pattern for "a direction word ending the text before a name": "شمالي ", "وجنوب غربي "
        self.direction_re = re.compile(r"(?<!\w)[وفب]?(" + "|".join(map(re.escape, self.directions)) + r")\s*$")
        self.dir_adj_re = re.compile(r"\s+(" + "|".join(map(re.escape, self.dir_adj)) + r")(?!\w)")
        self.bearings = {norm(k): float(v) for k, v in (w.get("bearings") or {}).items()}
        self.offset_re = _offset_pattern(self.bearings, w) if self.bearings else None
        self.between = set(normed(w.get("between_words", [])))
        self.adjectives = set(normed(w["adjectives"]))
        self.plural_places = set(normed(w["plural_places"]))
        self.unknown_after = set(normed(w["unknown_after"]))
        self.dual = set(normed(w["dual_type_words"]))
        self.foreign = set(normed(w["foreign_adjectives"]))
        self.around = set(normed(w.get("around_words", [])))
        self.plural_areas = set(normed(w.get("plural_region_words", [])))
        self.enclosing = set(normed(w.get("enclosing_region_words", [])))
        self.list_closers = set(normed(w.get("list_closers", [])))
        # a name right after one of these is a person's ("طفلتيه فاطمة", "الشاب عمر", "المدعو خالد")
        self.person_words = (person_nouns() | set(normed(w.get("person_name_words", [])))) - self.compound
        # the words that can be a type word before an unlisted name, with any proclitic
        self.maybe_type = {c + t for t in self.unknown_after for c in ("", *proclitic_stacks())}
        self.link = (set(normed(w["link_words"])) | set(self.type_kind) | self.areas
                     | {part for d in self.directions for part in d.split()}
                     | {part for x in self.near for part in x.split()}
                     | {part for d in self.dir_adj for part in d.split()})
        self._bare: dict[str, str] = {}
        self._strippable = set(self.type_kind) | self.areas | self.governing | self.preps | set(self.directions)

    def bare(self, word: str) -> str:
        """A word with one proclitic stripped when the rest is a known vocabulary word."""
        got = self._bare.get(word)
        if got is None:
            got = self._bare[word] = self._strip(word)
        return got

    def _strip(self, word: str) -> str:
        if word in self.type_kind or word in self.areas or word in self.governing:
            return word
        return strip_known(word, self._strippable)


@lru_cache(maxsize=8)
def vocab(profile: Profile) -> PlaceVocab:
    return PlaceVocab(place_words(profile))


def _raw_hits(nv: Normalised, gaz: Gazetteer, v: PlaceVocab) -> list[PlaceMention]:
    """Gazetteer names in the text; a compound prefix standing alone before another word ("عين سليمو",
    "تل مصطيف") is the start of a longer name, not the place called "عين" or "تل"."""
    text = nv.text
    return [PlaceMention(h.start, h.end, h.key, list(gaz.keys[h.key]), extra={"word_start": h.word_start})
            for h in gaz.matcher.find(text)
            if not (h.key in v.compound and h.end + 1 < len(text) and text[h.end] == " " and text[h.end + 1].isalpha())]


def _prev_words(text: str, pos: int, n: int = 4) -> list[str]:
    """Up to n words before pos, nearest first; stops at a sentence break."""
    seg = text[max(0, pos - 80):pos]
    cut = max(seg.rfind(c) for c in ".!?;\n")
    if cut >= 0:
        seg = seg[cut + 1:]
    return list(reversed(_WORD.findall(seg)))[:n]


def _offset_pattern(bearings: dict[str, float], w: dict) -> re.Pattern[str]:
    """"على بعد 30 كم جنوب شرق (مدينة) " ending right before a name: the distance and the direction."""
    def alt(words: list[str]) -> str:
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    dirs, units = alt(list(bearings)), alt(normed(w.get("distance_units", [])))
    leads = alt(normed(w.get("distance_leads", [])))
    types = alt([norm(t) for ts in w["type_words"].values() for t in ts])
    return re.compile(rf"(?:(?<!\w)(?:{leads})\s*)?(?<![\w.])(\d+(?:[.,]\d+)?)\s*(?:{units})\s+(?:الي\s+)?(?:ال)?"
                      rf"({dirs})\s*(?:من\s+|ل)?(?:[بل]?(?:{types})\s+)?$")


def _annotate_context(m: PlaceMention, text: str, v: PlaceVocab) -> None:
    ws = m.extra["word_start"]
    offset = v.offset_re.search(text, max(0, ws - 70), ws) if v.offset_re else None
    if offset:  # "30 كم جنوب شرق X": (km, bearing, the direction as normalised, where the phrase starts)
        m.extra["offset"] = (float(offset.group(1).replace(",", ".")), v.bearings[offset.group(2)],
                             offset.group(2), offset.start())
    before = text[max(0, ws - 40):ws]
    words = _prev_words(text, ws)
    if words:
        w0 = v.bare(words[0])
        if w0 in v.type_kind:
            m.type_word, m.type_kind = w0, v.type_kind[w0]
        elif w0 in v.areas:
            m.area_word = w0
    lead = words[1:2] if m.type_word else words[:1]  # "بين X وY", "بين قريتي X وY"
    if lead and lead[0] in v.between:  # where the phrase starts
        m.extra["between"] = text.rfind(lead[0], max(0, ws - 40), ws)
    if not m.type_word and any(v.bare(w) in v.plural_places for w in words[:3]):
        m.extra["plural_places"] = True
    tail = " " + " ".join(before.split()).rstrip("#_ ")  # "شمالي #إدلب": a hashtag is the name
    found = v.direction_re.search(tail)
    if found:
        m.direction = found.group(1)
    if m.area_word in v.around:  # an area word that puts the place near, not in
        m.near = True
    tail = tail.rstrip()
    if any(tail.endswith(nw) or tail.endswith("ب" + nw) for nw in v.near):
        m.near = True
    adj = v.dir_adj_re.match(text, m.end, m.end + 30)
    if adj:
        m.extra["direction_after"] = adj.group(1)
        m.extra["after_end"] = adj.end()


def qualifies(a: PlaceMention, b: PlaceMention, text: str, v: PlaceVocab) -> bool:
    """Whether b, right after a, says where a is: only place words stand between them ("مزرعة تشرين
    شمالي الضفة", "X بالريف الغربي لبلدة Y", "X قرب مدينة Y"); a "و" makes b another list item."""
    start = b.extra["word_start"]
    if not 0 <= start - a.end <= 60:
        return False
    return bool(_WORD.search(text, a.end, start)) and place_words_only(text[a.end:start], v)


def place_words_only(gap: str, v: PlaceVocab) -> bool:
    """Whether a stretch between two places holds only words that tie the second to the first
    ("بريف", "شرق ناحية", "قرب مدينة"), no sentence break and no "و" starting another item."""
    if re.search(r"[.!?;\n]", gap):
        return False
    link = v.link
    return all(w in ("ب", "ل") or strip_known(w, link, "بل") in link for w in _WORD.findall(gap))


def _governed(m: PlaceMention, text: str, v: PlaceVocab, ambiguous: bool = False) -> bool:
    """An attack or control word shortly before the mention ("السيطرة على قريتي ..."). A name that
    is also a common word needs a preposition or type word after it: "قصف بري" is ground shelling."""
    words = [v.bare(w) for w in _prev_words(text, m.extra["word_start"], 4)]
    for i, w in enumerate(words):
        if w in v.governing:
            return (i > 0 or not ambiguous) and all(x in v.preps or x in v.type_kind for x in words[:i])
    return False


def _joined(a: PlaceMention, b: PlaceMention, text: str) -> bool:
    """Two mentions side by side in a list: "A وB", "A، B", "A و B"."""
    if a.end > b.extra["word_start"]:
        return False
    gap = text[a.end:b.extra["word_start"]]
    prefix = text[b.extra["word_start"]:b.start]
    return (gap.strip() in ("", ",", "و") and (prefix.startswith("و") or "," in gap or gap.strip() == "و")
            and len(gap) <= 4)


def find_places(nv: Normalised, gaz: Gazetteer) -> list[PlaceMention]:
    """Place mentions (known and unknown) in reading order."""
    text = nv.text
    v = vocab(gaz.profile)
    hits = _raw_hits(nv, gaz, v)
    for m in hits:
        _annotate_context(m, text, v)
    accepted: list[PlaceMention] = []
    pending: list[PlaceMention] = []
    ambiguous = ambiguous_names(gaz.profile)
    for m in hits:
        (accepted if _standalone(m, text, gaz, v, ambiguous) else pending).append(m)
    _accept_listed(accepted, pending, text)
    accepted.sort(key=lambda m: m.start)
    accepted += _unknown_places(text, accepted, v)
    accepted.sort(key=lambda m: m.start)
    _group_lists(accepted, text, v)
    return accepted


def _standalone(m: PlaceMention, text: str, gaz: Gazetteer, v: PlaceVocab, ambiguous: frozenset[str]) -> bool:
    """A name that is a place on its own, or has place context (a type, area or direction word, or
    an attack word governing it); risky names (common words, short ones) need that context. An
    adjective after a type word is no name, even where a village bears it."""
    if m.type_word and m.key in v.adjectives:
        return False  # "قرية صغيرة": the word describes the village the text goes on to name
    if not m.type_word and _named_person(m, text, v):
        return False
    # a name only a lower layer (GeoNames) knows needs place words, as a common word does: a type
    # word, or an attack word with its preposition ("قصف على X", not "اشتباكات عنيفة")
    lower = all(gaz.places[p].layer for p in m.pids)
    return bool((not _risky(m, text, gaz, ambiguous) and not lower) or m.type_word or m.area_word
                or (m.direction and m.key not in ambiguous) or _governed(m, text, v, m.key in ambiguous or lower))


def _risky(m: PlaceMention, text: str, gaz: Gazetteer, ambiguous: frozenset[str]) -> bool:
    """A common word, a name reached only by adding "ال", or a short name that is no big place."""
    strong = any(gaz.places[p].prior > 0 or gaz.places[p].kind == "road" for p in m.pids)
    glued = text[m.extra["word_start"]:m.start] != ""
    short = len(m.key.replace(" ", "").removeprefix("ال"))
    return (m.key in ambiguous or m.key in gaz.weak_keys or (short <= 3 and not strong)
            or (glued and short <= 4 and not strong))  # "وزارة" is not و + "زارة"


def _named_person(m: PlaceMention, text: str, v: PlaceVocab) -> bool:
    """The name follows a person noun, or a name that does: "وطفلتيه فاطمة وعائشة" names two girls,
    not two villages."""
    ws = m.extra["word_start"]
    prev = _prev_words(text, ws, 2)
    listed = text[ws:m.start] == "و" and len(prev) == 2
    return any(w in v.person_words or v.bare(w) in v.person_words for w in prev[:2 if listed else 1])


def _accept_listed(accepted: list[PlaceMention], pending: list[PlaceMention], text: str) -> None:
    """Ambiguous names inside lists of accepted places are places too (until no more join)."""
    # _joined allows at most 4 characters between two items: look only at mentions ending or
    # starting that close, instead of at every accepted one
    by_end = {a.end: a for a in accepted}
    by_start = {a.extra["word_start"]: a for a in accepted}
    changed = True
    while changed and pending:
        changed = False
        for m in list(pending):
            ws = m.extra["word_start"]
            before = (by_end.get(e) for e in range(ws - 4, ws + 1))
            after = (by_start.get(st) for st in range(m.end, m.end + 5))
            if any(a is not None and _joined(a, m, text) for a in before) or \
                    any(a is not None and _joined(m, a, text) for a in after):
                accepted.append(m)
                by_end[m.end], by_start[ws] = m, m
                pending.remove(m)
                changed = True


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return frozenset(norm(w) for w in stop_words())


class _Unknowns:
    """State of the scan for names the gazetteer lacks: what is taken, where lists may go on."""

    def __init__(self, text: str, known: list[PlaceMention], v: PlaceVocab) -> None:
        self.text, self.v = text, v
        self.stop = _stop_words()
        self.occupied = [(m.extra["word_start"], m.end) for m in known]
        self.list_ends = {m.end for m in known}  # ends of places a list item may follow
        self.pair_ends = {m.end for m in known if m.type_word in v.dual}  # "قريتي A": a "وB" follows
        self.words = list(_WORD.finditer(text))

    def free(self, s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in self.occupied)

    def usable(self, word: str) -> bool:
        v = self.v
        return not (word in self.stop or word.isdigit() or len(word) < 2 or word in v.adjectives
                    or v.bare(word) in v.type_kind or word in v.directions or word in v.dir_adj
                    or word in v.governing)

    def candidates(self) -> list[int]:
        """The words a name may start after: a type word, "وX" or "، X" in a list, or "من X" (a cheap
        test for all words at once; start_of_name reads only these)."""
        maybe, text = self.v.maybe_type, self.text
        strings = [w.group() for w in self.words]
        return [i for i, (w, word) in enumerate(zip(self.words, strings, strict=True))
                if word[0] == "و" or word in maybe or (i >= 2 and strings[i - 1] == "من")
                or "," in text[max(0, w.start() - 2):w.start()]]

    def start_of_name(self, i: int) -> tuple[int, int, bool, str, str | None] | None:
        """(word index, letters to skip, list item?, type word, kind) for a name starting after word i,
        one of the `candidates`."""
        w = self.words[i]
        bare = self.v.bare(w.group())
        kind = self.v.type_kind.get(bare) if bare in self.v.unknown_after else None
        if kind is not None:
            j = i + 1
            if j >= len(self.words) or self.text[w.end():self.words[j].start()].strip(" :" + QUOTES):
                return None  # "قرى: X، وY" names them after a colon too
            return j, 0, False, bare, kind
        skip = _list_item(i, self.words, self.text, self.list_ends, self.v)
        return None if skip is None else (i, skip, True, bare, None)

    def goes_on(self, i: int, name_end: int) -> bool:
        """Whether a list of places goes on after a name ending at name_end ("A وX وB", "A، X، B"), is
        ended by an area word ("A وX بريف Y"), or pairs it with the first ("قريتي A وX")."""
        w = self.words[i]
        if any(0 <= w.start() - e <= 2 for e in self.pair_ends):
            return True
        rest = self.text[name_end:name_end + 40]
        nxt = _WORD.search(rest)
        return bool(_LIST_GOES_ON.match(rest) or nxt and not rest[:nxt.start()].strip()
                    and _locating(nxt.group(), self.v))

    def name_at(self, j: int, skip: int, list_item: bool) -> tuple[int, int] | None:
        """The span of the name starting at word j, one or two words; None when it cannot be one."""
        text, v, words = self.text, self.v, self.words
        nxt = words[j]
        name_start = nxt.start() + skip
        first = text[name_start:nxt.end()]
        if (not self.usable(first) and first not in v.compound) or (not list_item and first[:1] == "و") \
                or first.startswith("لل") or not self.free(name_start, nxt.end()):
            return None  # "قرية تل الذهب": "تل" is a type word and the start of a name; "مخيم للنازحين"
        name_end = nxt.end()
        if j + 1 < len(words) and words[j + 1].start() - name_end <= 1:
            second = words[j + 1].group()
            # "تل مصطيف", "عون الدادات", "كويت الرحمة": a compound prefix, or a noun in construct
            # in a list, only after a compound prefix ("والشيخ سليمان"; "، وأعقب التسجيل" is a verb)
            if (first in v.compound or second.startswith("ال") and not list_item) and self.usable(second):
                name_end = words[j + 1].end()
        if not self.free(name_start, name_end) or text[name_start:name_end].split(" ")[-1] in v.foreign:
            return None  # "مدينة كلس التركية" is abroad
        return name_start, name_end


def _unknown_places(text: str, known: list[PlaceMention], v: PlaceVocab) -> list[PlaceMention]:
    """Names the gazetteer lacks: after a place-type word, or as an item in a list of places."""
    scan = _Unknowns(text, known, v)
    out: list[PlaceMention] = []
    for i in scan.candidates():
        found = scan.start_of_name(i)
        if found is None:
            continue
        j, skip, list_item, bare, kind = found
        span = scan.name_at(j, skip, list_item)
        if span is None:
            continue
        name_start, name_end = span
        if list_item and not _each_of(scan, i) and not scan.goes_on(i, name_end):
            continue
        word_start = scan.words[j].start()
        out.append(PlaceMention(name_start, name_end, text[name_start:name_end], [], known=False,
                                type_word=None if list_item else bare, type_kind=kind,
                                extra={"word_start": word_start}))
        scan.occupied.append((word_start, name_end))
        scan.list_ends.add(name_end)
        if not list_item and bare in v.dual:
            scan.pair_ends.add(name_end)
    return out


_LIST_GOES_ON = re.compile(r"\s*(?:,\s*[^\W\d]|و[^\W\d]{2,})")


def _each_of(scan: _Unknowns, i: int) -> bool:
    return i >= 2 and scan.words[i - 1].group() == "من"


def _list_item(i: int, words: list[re.Match], text: str, list_ends: set[int], v: PlaceVocab) -> int | None:
    """How many letters to skip when word i is an item of a list of places: "كل من X", or "وX" or
    "، X" right after a place (whether the list goes on is asked once the name is read); None when
    it is not."""
    w = words[i]
    if i >= 2 and words[i - 1].group() == "من" and v.bare(words[i - 2].group()) == "كل":
        return 0 if _each_of_places(words[max(0, i - 6):i - 2], v) else None
    ws = w.start()
    if w.group().startswith("و") and len(w.group()) >= 4 and any(
            e in list_ends and not text[e:ws].strip(" ,") for e in (ws, ws - 1, ws - 2)):
        return 1  # "A وX" goes on a list; "A. وقالت" starts a sentence
    gap_ok = any(e in list_ends and text[e:ws].strip() == "," for e in (ws - 1, ws - 2, ws - 3))
    return 0 if gap_ok and not w.group().startswith("و") else None


def _each_of_places(before_words: list[re.Match], v: PlaceVocab) -> bool:
    """"قصف على كل من X وY" lists places; "تعليقات كل من روسيا وتركيا", "قتل كل من الشقيقين" do not."""
    before = [v.bare(x.group()) for x in before_words]
    return (any(b in v.governing or b in v.plural_places or b in v.preps and b != "من" for b in before[-2:])
            or any(b in v.governing for b in before))


def _locating(word: str, v: PlaceVocab) -> bool:
    """A region, direction or nearness word, as ends a list of places: "قرى A وB بريف الرابية"."""
    bare = strip_one(word, "بل")
    return bare in v.areas or bare in v.directions or bare in v.near or bare in v.list_closers


def _group_lists(mentions: list[PlaceMention], text: str, v: PlaceVocab) -> None:
    """Number lists of places; "أرياف النواعير ووادي النور": a plural area word covers the whole list."""
    group = 0
    for prev, cur in zip(mentions, mentions[1:], strict=False):
        if _joined(prev, cur, text):
            if prev.list_group is None:
                group += 1
                prev.list_group = group
            cur.list_group = prev.list_group
            if prev.area_word in v.plural_areas and not (cur.area_word or cur.direction or cur.type_word):
                cur.area_word = prev.area_word
            if prev.extra.get("plural_places") and not cur.type_word:
                cur.extra["plural_places"] = True
