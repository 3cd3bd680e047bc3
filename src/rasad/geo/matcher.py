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


@lru_cache(maxsize=1)
def _vocab() -> dict:
    w = place_words()
    type_kind = {}
    for kind, words in w["type_words"].items():
        for word in words:
            type_kind.setdefault(norm(word), kind)
    directions = sorted((norm(d) for d in w["direction_words"]), key=len, reverse=True)
    return {
        "type_kind": type_kind,
        "areas": {norm(x) for x in w["region_words"]},
        "directions": directions,
        "dir_adj": sorted((norm(d) for d in w["direction_adjectives"]), key=len, reverse=True),
        "near": sorted((norm(x) for x in w["near_words"]), key=len, reverse=True),
        "governing": {norm(x) for x in w["governing_words"]},
        "preps": {norm(x) for x in w["governing_prepositions"]},
        "compound": {norm(x) for x in w["compound_prefixes"]},
        # one pattern for "a direction word ending the text before a name": "شمالي ", "وجنوب غربي "
        "direction_re": re.compile(r"(?<!\w)[وفب]?(" + "|".join(re.escape(d) for d in directions) + r")\s*$"),
        "dir_adj_re": re.compile(r"\s+(" + "|".join(
            re.escape(norm(d)) for d in sorted(w["direction_adjectives"], key=len, reverse=True)) + r")(?!\w)"),
        "adjectives": {norm(x) for x in w["adjectives"]},
        "plural_places": {norm(x) for x in w["plural_places"]},
        "unknown_after": {norm(x) for x in w["unknown_after"]},
        "dual": {norm(x) for x in w["dual_type_words"]},
        "foreign": {norm(x) for x in w["foreign_adjectives"]},
        "link": ({norm(x) for x in w["link_words"]} | set(type_kind) | {norm(x) for x in w["region_words"]}
                 | {part for d in directions for part in d.split()} | {part for x in w["near_words"]
                                                                     for part in norm(x).split()}
                 | {part for d in w["direction_adjectives"] for part in norm(d).split()}),
    }


@lru_cache(maxsize=50_000)
def _bare(word: str) -> str:
    """A word with one proclitic stripped when the rest is a known vocabulary word."""
    v = _vocab()
    if word in v["type_kind"] or word in v["areas"] or word in v["governing"]:
        return word
    for c in ("وب", "ول", "فب", "و", "ف", "ب", "ل"):
        rest = word[len(c):]
        if word.startswith(c) and (rest in v["type_kind"] or rest in v["areas"] or rest in v["governing"]
                                   or rest in v["preps"] or rest in v["directions"]):
            return rest
    return word


def _raw_hits(nv: Normalised, gaz: Gazetteer) -> list[PlaceMention]:
    """Gazetteer names in the text; a compound prefix standing alone before another word ("عين سليمو",
    "تل مصطيف") is the start of a longer name, not the place called "عين" or "تل"."""
    compound = _vocab()["compound"]
    text = nv.text
    return [PlaceMention(h.start, h.end, h.key, list(gaz.keys[h.key]), extra={"word_start": h.word_start})
            for h in gaz.matcher.find(text)
            if not (h.key in compound and h.end + 1 < len(text) and text[h.end] == " " and text[h.end + 1].isalpha())]


def _prev_words(text: str, pos: int, n: int = 4) -> list[str]:
    """Up to n words before pos, nearest first; stops at a sentence break."""
    seg = text[max(0, pos - 80):pos]
    cut = max(seg.rfind(c) for c in ".!?;\n")
    if cut >= 0:
        seg = seg[cut + 1:]
    return list(reversed(_WORD.findall(seg)))[:n]


def _annotate_context(m: PlaceMention, text: str) -> None:
    v = _vocab()
    ws = m.extra["word_start"]
    before = text[max(0, ws - 40):ws]
    words = _prev_words(text, ws)
    if words:
        w0 = _bare(words[0])
        if w0 in v["type_kind"]:
            m.type_word, m.type_kind = w0, v["type_kind"][w0]
        elif w0 in v["areas"]:
            m.area_word = w0
    if not m.type_word and any(_bare(w) in v["plural_places"] for w in words[:3]):
        m.extra["plural_places"] = True
    tail = " " + " ".join(before.split())
    found = v["direction_re"].search(tail)
    if found:
        m.direction = found.group(1)
    if m.area_word in {"محيط", "اطراف", "ضواحي", "ضاحيه"}:
        m.near = True
    for nw in v["near"]:
        if tail.rstrip().endswith(nw) or tail.rstrip().endswith("ب" + nw):
            m.near = True
    adj = v["dir_adj_re"].match(text, m.end, m.end + 30)
    if adj:
        m.extra["direction_after"] = adj.group(1)
        m.extra["after_end"] = adj.end()


def qualifies(a: PlaceMention, b: PlaceMention, text: str) -> bool:
    """Whether b, right after a, says where a is: only place words stand between them ("مزرعة تشرين
    شمالي الرقة", "X بالريف الغربي لبلدة Y", "X قرب مدينة Y"); a "و" makes b another list item."""
    start = b.extra["word_start"]
    if not 0 <= start - a.end <= 60:
        return False
    return bool(_WORD.search(text, a.end, start)) and place_words_only(text[a.end:start])


def place_words_only(gap: str) -> bool:
    """Whether a stretch between two places holds only words that tie the second to the first
    ("بريف", "شرق ناحية", "قرب مدينة"), no sentence break and no "و" starting another item."""
    link = _vocab()["link"]
    if re.search(r"[.!?;\n]", gap):
        return False
    return all(w in link or w in ("ب", "ل") or (w[0] in "بل" and w[1:] in link) for w in _WORD.findall(gap))


def _governed(m: PlaceMention, text: str) -> bool:
    """An attack or control word shortly before the mention ("السيطرة على قريتي ...")."""
    v = _vocab()
    words = [_bare(w) for w in _prev_words(text, m.extra["word_start"], 4)]
    for i, w in enumerate(words):
        if w in v["governing"]:
            return all(x in v["preps"] or x in v["type_kind"] for x in words[:i])
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
    ambiguous = ambiguous_names()
    hits = _raw_hits(nv, gaz)
    for m in hits:
        _annotate_context(m, text)
    accepted: list[PlaceMention] = []
    pending: list[PlaceMention] = []
    for m in hits:
        strong = any(gaz.places[p].prior > 0 or gaz.places[p].kind == "road" for p in m.pids)
        glued = text[m.extra["word_start"]:m.start] != ""
        short = len(m.key.replace(" ", "").removeprefix("ال"))
        risky = (m.key in ambiguous or m.key in gaz.weak_keys or (short <= 3 and not strong)
                 or (glued and short <= 4 and not strong))  # "وزارة" is not و + "زارة"
        typed = m.type_word and m.key not in _vocab()["adjectives"]
        if not risky or typed or m.area_word or (m.direction and m.key not in ambiguous) or _governed(m, text):
            accepted.append(m)
        else:
            pending.append(m)
    changed = True
    while changed and pending:  # ambiguous names inside lists of accepted places
        changed = False
        for m in list(pending):
            if any(_joined(a, m, text) or _joined(m, a, text) for a in accepted):
                accepted.append(m)
                pending.remove(m)
                changed = True
    accepted.sort(key=lambda m: m.start)
    accepted += _unknown_places(text, accepted)
    accepted.sort(key=lambda m: m.start)
    _group_lists(accepted, text)
    return accepted


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    words = """في من على الى عن مع بين خلال بعد قبل منذ حيث التي الذي الذين وقد قد كان كانت ان انه
        لها له هذا هذه ذلك تلك عند حتى او ثم كل اخرى اخر جراء اثر بسبب نتيجه بريف ريف مدينه بلده قريه
        المدينه البلده القريه الحي المخيم شمال جنوب شرق غرب شمالي جنوبي شرقي غربي محيط اطراف المنطقه
        المناطق الواقعه الخاضعه الخاضع التابعه التابع القريبه الواقع عدد عده بعض معظم جميع قرب بالقرب
        شمالي جنوبي ضمن داخل خارج عبر اليوم امس صباح مساء فجر ليل المحافظه المحافظات بذلك لذلك كذلك
        ريفها ريفه محيطها محيطه اطرافها اطرافه غيرها غيره اضاف اضافت قتلوا جرحوا اصيبوا السبت الاحد
        الاثنين الثلاثاء الاربعاء الخميس الجمعه سكاني سكني السكني ادت ادي لتربيه""".split()
    return frozenset(norm(w) for w in words)


def _unknown_places(text: str, known: list[PlaceMention]) -> list[PlaceMention]:
    """Names the gazetteer lacks: after a place-type word, or as an item in a list of places."""
    v = _vocab()
    stop = _stop_words()
    occupied = [(m.extra["word_start"], m.end) for m in known]
    list_ends = [m.end for m in known]  # ends of places a list item may follow
    pair_ends = {m.end for m in known if m.type_word in v["dual"]}  # "قريتي A": a "وB" follows

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in occupied)

    def usable(word: str) -> bool:
        return not (word in stop or word.isdigit() or len(word) < 2 or word in v["adjectives"]
                    or _bare(word) in v["type_kind"] or word in v["directions"] or word in v["dir_adj"]
                    or word in v["governing"])

    out: list[PlaceMention] = []
    words = list(_WORD.finditer(text))
    for i, w in enumerate(words):
        bare = _bare(w.group())
        kind = v["type_kind"].get(bare) if bare in v["unknown_after"] else None
        if kind is not None:
            j, list_item = i + 1, False
            if j >= len(words) or text[w.end():words[j].start()].strip(" " + QUOTES):
                continue
        else:
            skip = _list_item(i, words, text, list_ends, pair_ends)
            if skip is None:
                continue
            j, list_item = i, True
        nxt = words[j]
        name_start = nxt.start() + (skip if list_item else 0)
        first = text[name_start:nxt.end()]
        if (not usable(first) and first not in v["compound"]) or (not list_item and first[:1] == "و") \
                or first.startswith("لل") or not free(name_start, nxt.end()):
            continue  # "قرية تل الذهب": "تل" is a type word and the start of a name; "مخيم للنازحين"
        name_end = nxt.end()
        if j + 1 < len(words) and words[j + 1].start() - name_end <= 1:
            second = words[j + 1].group()
            # "تل مصطيف", "عون الدادات", "كويت الرحمة": a compound prefix, or a noun in construct
            if (first in v["compound"] or second.startswith("ال")) and usable(second):
                name_end = words[j + 1].end()
        if not free(name_start, name_end) or text[name_start:name_end].split(" ")[-1] in v["foreign"]:
            continue  # "مدينة كلس التركية" is abroad
        m = PlaceMention(name_start, name_end, text[name_start:name_end], [], known=False,
                         type_word=None if list_item else bare, type_kind=None if list_item else kind,
                         extra={"word_start": nxt.start()})
        out.append(m)
        occupied.append((nxt.start(), name_end))
        list_ends.append(name_end)
        if not list_item and bare in v["dual"]:
            pair_ends.add(name_end)
    return out


def _list_item(i: int, words: list[re.Match], text: str, list_ends: list[int], pair_ends: set[int]) -> int | None:
    """How many letters to skip when word i is an item of a list of places ("كل من X", or "وX"
    right after a place with the list going on after it: "A وX وB", ending it: "A وX بريف Y", or
    after the first of a pair: "قريتي A وX"); None when it is not."""
    w = words[i]
    if i >= 2 and words[i - 1].group() == "من" and _bare(words[i - 2].group()) == "كل":
        # "قصف على كل من X وY", not "تعليقات كل من روسيا وتركيا" nor "قتل كل من الشقيقين"
        before = [_bare(x.group()) for x in words[max(0, i - 6):i - 2]]
        v = _vocab()
        return 0 if any(b in v["governing"] or b in v["plural_places"] or b in v["preps"] and b != "من"
                        for b in before[-2:]) or any(b in v["governing"] for b in before) else None
    if not w.group().startswith("و") or len(w.group()) < 4:
        return None
    if not any(0 <= w.start() - e <= 2 for e in list_ends):
        return None
    after = text[w.end():w.end() + 3]
    goes_on = i + 1 < len(words) and (
        words[i + 1].group().startswith("و") and words[i + 1].start() - w.end() <= 2
        or after.lstrip().startswith(","))
    paired = any(0 <= w.start() - e <= 2 for e in pair_ends)
    return 1 if goes_on or paired or (i + 1 < len(words) and _locating(words[i + 1].group())) else None


def _locating(word: str) -> bool:
    """A region, direction or nearness word, as ends a list of places: "قرى A وB بريف منبج"."""
    v = _vocab()
    bare = word[1:] if word[0] in "بل" and len(word) > 3 else word
    return bare in v["areas"] or bare in v["directions"] or bare in v["near"] or bare == "الريف"


_PLURAL_AREAS = frozenset({"ارياف", "ريفي"})


def _group_lists(mentions: list[PlaceMention], text: str) -> None:
    """Number lists of places; "أرياف حماة وإدلب": a plural area word covers the whole list."""
    group = 0
    for prev, cur in zip(mentions, mentions[1:], strict=False):
        if _joined(prev, cur, text):
            if prev.list_group is None:
                group += 1
                prev.list_group = group
            cur.list_group = prev.list_group
            if prev.area_word in _PLURAL_AREAS and not (cur.area_word or cur.direction or cur.type_word):
                cur.area_word = prev.area_word
            if prev.extra.get("plural_places") and not cur.type_word:
                cur.extra["plural_places"] = True
