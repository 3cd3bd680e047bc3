"""Casualty figures: who was killed, injured or missing, how many, and who they were.

Reads figures before or after the casualty word ("مقتل 9 مدنيين", "75 جريحا", "قتيل وجرحى",
"مقتل طفلين"), breakdowns ("بينهم 3 أطفال وامرأة"), combatants by side ("103 عناصر من قوات
النظام"), updates ("ارتفع عدد القتلى إلى 9" is 9, not 9 more), and vague amounts ("عشرات"),
which are kept apart from exact figures. Killed, injured and missing are never mixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rasad.annotate.lexicons import Lexicons
from rasad.annotate.mentions import ActorMention
from rasad.lang.ar.morphology import strip_one
from rasad.lang.ar.words import alternation, normed, stop_words, table
from rasad.text.dates import follows_elapsed_time
from rasad.text.numbers import Quantity, quantities

_WORD = re.compile(r"\w+")
_G = table("casualties.yaml")["grammar"]
_QUALIFIER_WORDS = frozenset(normed(_G["qualifier_words"]))


@dataclass
class Casualty:
    kind: str  # killed, injured, missing
    start: int  # normalised offsets of the figure (or the word carrying it)
    end: int
    value: int | None
    qualifier: str = "exact"
    vague: bool = False
    category: str = "person"  # civilian, child, woman, combatant, person
    side: str | None = None  # actor id for combatants
    update: bool = False
    breakdown: dict[str, int] = field(default_factory=dict)  # children, women, civilians
    breakdown_only: bool = False  # "3 أطفال وامرأة كانوا من بين القتلى": details of a figure given before
    rule: str = ""  # the construction that read it (CONSTRUCTIONS)


_YEAR_CONTEXT = re.compile(rf"(?:{alternation(_G['year_context'])})\s*$")


_AGE = re.compile(rf"\s*\)?\s*(?:{alternation(_G['age_words'])})(?!\w)")
_BETWEEN = re.compile(rf"\s*(?:من\s+)?بين\s+(?:ال)?(?:{alternation(_G['between_killed'])})\s*(?:و|او)")
_PARTS = re.compile(r"\s*(?:من\s+)?بين\s+(\w+)\s*(?:و|او)\s*(\w+)")


def _between_parts(sent: _Sentence, c: Casualty) -> list[Casualty]:
    """The parts of a killed-and-injured figure when they add up to it ("3 أشخاص بين شهيد وإصابتين"
    is 1 killed and 2 injured); none when they do not ("عدد من المدنيين بين شهيد وجريح")."""
    m = _PARTS.match(sent.text, c.end)
    if m is None:
        return []
    parts = []
    for g in (1, 2):
        word = m.group(g)
        hits = sent.lex.casualty_words.find(word)
        form = sent.person(word)
        if not hits or not form or form[1] not in ("singular", "dual"):
            return []
        parts.append(Casualty(hits[0].value[0], m.start(g), m.end(g), 1 if form[1] == "singular" else 2,
                              update=c.update, rule="between_parts"))
    return parts if c.value == sum(x.value or 0 for x in parts) else []


def _is_year(text: str, q: Quantity) -> bool:
    """"منذ عام 2011", "في 2019": a year, not a count."""
    return (q.value is not None and 1900 <= q.value <= 2100 and q.end - q.start == 4
            and bool(_YEAR_CONTEXT.search(text[max(0, q.start - 8):q.start]) or text[q.end:q.end + 1] in "/م"))


_POSSESSIVES = ("هما", "هم", "ها", "ه")  # his, her, their: "سائقها", "مرافقه", "حراسهم"


def _bare(word: str) -> str:
    return strip_one(word, "وبلف")


class _Sentence:
    def __init__(self, text: str, start: int, end: int, lex: Lexicons, actors: list[ActorMention]) -> None:
        self.text, self.start, self.end, self.lex = text, start, end, lex
        self.qty = [q for q in quantities(text[start:end])
                    if not _is_year(text[start:end], q) and not _AGE.match(text, start + q.end)]
        for q in self.qty:
            q.start += start
            q.end += start
        self.words = [(m.start() + start, m.end() + start, m.group()) for m in _WORD.finditer(text[start:end])]
        self.actors = [a for a in actors if start <= a.start < end]

    def word_at(self, pos: int) -> int | None:
        for i, (s, _e, _w) in enumerate(self.words):
            if s >= pos:
                return i
        return None

    def noun(self, pos: int) -> tuple[str, str, int, int] | None:
        """(category, number, start, end) of a person noun starting at or right after pos."""
        i = self.word_at(pos)
        if i is None or self.words[i][0] - pos > 2:
            return None
        for j in (i, i + 1):  # allow one connecting word: "9 من المدنيين"
            if j >= len(self.words):
                break
            s, e, w = self.words[j]
            # two-word forms first ("قتلى في صفوف")
            if j + 1 < len(self.words):
                two = f"{w} {self.words[j + 1][2]}"
                if two in self.lex.persons:
                    return (*self.lex.persons[two], s, self.words[j + 1][1])
            form = self.person(w)
            if form:
                return (*form, s, e)
            if w not in ("من", "في"):
                break
        return None

    def person(self, word: str) -> tuple[str, str] | None:
        """(category, number) of a person noun, with a proclitic or the article ("وامرأة", "السيدة"),
        or with a possessive pronoun ("سائقها": its driver)."""
        persons = self.lex.persons
        bare = _bare(word)
        found = persons.get(word) or persons.get(bare) or persons.get(bare[2:] if bare.startswith("ال") else bare)
        if found is None:
            base = next((bare[:-len(p)] for p in _POSSESSIVES if bare.endswith(p) and len(bare) - len(p) >= 3), None)
            found = persons.get(base) if base else None
            return found if found and found[1] in ("singular", "plural") else None
        return found

    def antecedent(self, pos: int) -> str:
        """The category of the people named before pos: civilians when they are named at all
        ("المدنيين (بينهم نساء وأطفال) ... استشهاد 7 منهم" is 7 civilians, not 7 children)."""
        found = [form[0] for _s, _e, w in self.words if _e <= pos for form in [self.person(w)] if form]
        if "civilian" in found:
            return "civilian"
        return found[-1] if found else "person"

    def quantity_after(self, pos: int, window: int = 30) -> Quantity | None:
        for q in self.qty:
            if pos <= q.start <= pos + window:
                gap = {_bare(w) for w in _WORD.findall(self.text[pos:q.start])}
                if gap <= _QUALIFIER_WORDS:
                    return q
                return None
        return None

    def quantity_before(self, pos: int) -> Quantity | None:
        for q in self.qty:
            if 0 <= pos - q.end <= 2:
                return q
        return None

    def side(self, pos: int) -> str | None:
        """The side of combatants counted at pos: "103 عناصر من قوات النظام", "4 جنود روس"."""
        for a in self.actors:
            if pos <= a.start <= pos + 50 and a.actor != "CIV":
                return a.actor
        return None


def _count_noun(number: str) -> tuple[int | None, bool]:
    if number == "singular":
        return 1, False
    if number == "dual":
        return 2, False
    return None, True


# The constructions a casualty figure is read by; each has its examples in
# lang/ar/corpus/casualties.yaml, which the tests run.
CONSTRUCTIONS = {
    "figure_after": "a figure after the casualty word: مقتل 9 مدنيين",
    "victims_listed": "victims listed after the word, summed: مقتل طفلين وامرأة",
    "counted_noun": "a singular or dual noun after the word counts itself: مقتل طفل، إصابة شابين",
    "subject_before": "the counted subject before a verb: إن 4 أطفال قتلوا",
    "numeral_after_noun": "a plural noun counted by the numeral after it: مقتل مدنيين اثنين",
    "figure_before": "a figure before a casualty noun: 9 قتلى، 75 جريحا",
    "self_counting_noun": "a singular or dual casualty noun alone: قتيل وجرحى، شهيدين",
    "plural_noun": "a plural casualty noun alone gives no number: سقوط قتلى",
    "rising_toll": "a toll rising to a new total: ارتفع عدد القتلى إلى 9",
    "between_parts": "a figure split into killed and injured: 3 أشخاص بين شهيد وإصابتين",
    "listed_figures": "figures listed after the word with no word of their own: الشهداء هم: 4، و3",
    "among": "details of a figure given before: 3 أطفال كانوا من بين القتلى",
    "family_members": "a family counted by its members: مقتل عائلة مؤلفة من 6 أشخاص",
    "circumstance_before_subject": "how or when between a verb and its subject: وقتل خلال الغارة شخصان",
    "named_victims": "victims named in quotes right after the word (or its plural noun, or كل من), one each: "
                     "مقتل \"سامر\" و\"محمد\"، جرح كل من \"سمير، وعلي\"",
    "none_stated": "nobody hurt, a figure of 0: دون وقوع خسائر بشرية، لم تسفر عن إصابات",
}

_NONE_NOUNS = {kinds: alternation(_G[key]) for key, kinds in (
    ("none_both", ("killed", "injured")), ("none_killed", ("killed",)), ("none_injured", ("injured",)))}
_NONE = re.compile(
    rf"(?<!\w)(?:{alternation(_G['none_negations'])})((?:\s+\w+){{0,4}}?)\s+(?:[وبل]?(?:ال)?(?:ا?ي|أي)\s+)?"
    rf"[بل]?(?:ال)?(?:(?P<both>{_NONE_NOUNS[('killed', 'injured')]})|(?P<killed>{_NONE_NOUNS[('killed',)]})"
    rf"|(?P<injured>{_NONE_NOUNS[('injured',)]}))(?!\w)(?!\s+(?:{alternation(_G['none_rest'])})(?!\w))")
_NONE_OPEN = frozenset(normed(_G["none_open"]))


def _none_stated(text: str, start: int, end: int) -> list[Casualty]:
    """"دون وقوع خسائر بشرية": killed and injured are 0 (unless a count is left open: "دون معرفة
    عدد الضحايا")."""
    out: list[Casualty] = []
    for m in _NONE.finditer(text, start, end):
        if any(_bare(w) in _NONE_OPEN for w in _WORD.findall(m.group(1))):
            continue
        group = next(g for g in ("both", "killed", "injured") if m.group(g))
        kinds = ("killed", "injured") if group == "both" else (group,)
        out += [Casualty(k, m.start(group), m.end(group), 0, rule="none_stated") for k in kinds]
    return out


class _Read:
    """One sentence's reading: the figures found, and the quantities already used."""

    def __init__(self, sent: _Sentence) -> None:
        self.sent = sent
        self.seg = sent.text[sent.start:sent.end]
        self.out: list[Casualty] = []
        self.used: set[int] = set()  # quantity starts already read
        self.nouns_at: dict[int, str] = {}  # where a casualty noun read after its figure starts -> its kind
        self.is_update = bool({_bare(w) for w in _WORD.findall(self.seg)} & sent.lex.update_words)


def find_casualties(text: str, start: int, end: int, lex: Lexicons, actors: list[ActorMention]) -> list[Casualty]:
    """Casualty figures in the normalised sentence text[start:end]. Each casualty word is read by
    the construction its position calls for (see CONSTRUCTIONS); figures listed after it and
    breakdowns "من بين القتلى" are read last."""
    none = _none_stated(text, start, end)
    hits = [h for h in lex.casualty_words.find(text[start:end])
            if not any(c.start <= h.start + start < c.end for c in none)]
    if not hits and not _AMONG.search(text, start, end):
        return none  # no casualty word: nothing to read, and the sentence's numbers need not be scanned
    rd = _Read(_Sentence(text, start, end, lex, actors))
    rd.nouns_at = {h.start + start: h.value[0] for h in hits if h.value[1] == "before"}
    rd.out += none
    for h in hits:
        kind = "killed" if h.value[0] == "missing" and _LIVES.match(rd.seg, h.end) else h.value[0]
        hs, he = h.start + start, h.end + start  # "فقد أربعة أطفال حياتهم": lost their lives, killed
        if _not_a_figure(rd, h, hs):
            continue
        read = _word_after if h.value[1] == "after" else _word_before
        c = read(rd, h, kind, hs, he)
        if c is not None:
            _keep(rd, c, kind, he)
    rd.out += _listed_figures(rd.sent, rd.out, rd.used)
    among = _among(rd)
    if among is not None:
        rd.out.append(among)
    return rd.out


def _not_a_figure(rd: _Read, h, hs: int) -> bool:  # h: a phrase hit
    """A casualty word that gives no figure of its own."""
    if any(x.start <= hs < x.end for x in rd.out):
        return True  # the noun of a figure already read: "77 شهيدا"
    if follows_elapsed_time(rd.sent.text, hs, rd.sent.start):
        return True  # "بعد أقل من 24 ساعة من مقتل خمسة": the toll of an earlier incident
    # "مقتل وإصابة 10 مدنيين": killed and injured together, neither figure known
    return bool(_PAIRED_NOUN.search(rd.seg, 0, h.word_start) and rd.seg[h.word_start:h.start] == "و")


def _word_after(rd: _Read, h, kind: str, hs: int, he: int) -> Casualty | None:
    """A word whose figure follows: "مقتل 9", "مقتل طفلين", "مقتل طفل وامرأة"; a verb's subject
    may stand before it instead: "إن 4 أطفال قتلوا", or after how or when: "وقتل خلال الغارة شخصان"."""
    past = he if h.key in rd.sent.lex.verbal_nouns else _past_circumstance(rd.sent, he)
    if past != he:
        c = _read_after(rd, h, kind, hs, past)
        if c is not None:
            c.rule = "circumstance_before_subject"
            return c
    return _read_after(rd, h, kind, hs, he)


def _read_after(rd: _Read, h, kind: str, hs: int, he: int) -> Casualty | None:  # h: a phrase hit
    sent = rd.sent
    q = sent.quantity_after(he)
    if q is not None and q.start not in rd.used:
        if _other_kinds_noun(rd, q, kind):
            return None  # "سقوط ثلاثة جرحى": the noun after the figure says what it counts
        return _rule("figure_after", _figure(sent, kind, q, rd.used, rd.is_update))
    noun = sent.noun(he)
    if noun and h.key.endswith("ات") and _bare(sent.text[noun[2]:noun[3]]) in _ANOTHER:
        noun = None  # "إصابات أخرى": an adjective after a plural; "وأصيبت أخرى", "وإصابة آخر" count one
    counted = _numeral_after_noun(rd, kind, noun)
    if counted is not None:
        return counted
    if noun and noun[1] == "plural":  # "استشهاد المدنيين "سامر، وعلي"": the names count them
        quoted = _quoted_list(sent, kind, noun[3], noun[0])
        if quoted is not None:
            return _rule("named_victims", quoted)
    if noun and (noun[0] != "person" or noun[1] != "plural"):
        listed = _listed(sent, kind, noun[2], rd.used)
        if listed is not None:
            return _rule("victims_listed", listed)
        value, vague = _count_noun(noun[1])
        return _rule("counted_noun", Casualty(kind, noun[2], noun[3], value, "exact" if value else "at_least", vague,
                                             category=noun[0]))
    named = _named_victims(sent, kind, he)
    if named is not None:
        return _rule("named_victims", named)
    family = _family(rd, kind, he)
    if family is not None:
        return _rule("family_members", family)
    if h.key in sent.lex.verbal_nouns:
        return None
    return _rule("subject_before", _subject_before(sent, kind, hs, rd.used))


_CIRCUMSTANCE_LEADS = frozenset(normed(_G["circumstance_leads"]))
CIRCUMSTANCE_WORDS = 3  # words after the lead word a how-or-when phrase may have


def _past_circumstance(sent: _Sentence, pos: int) -> int:
    """Past a phrase saying how or when ("خلال الغارة", "جراء القصف المدفعي", "بجروح") between a verb at
    pos and its subject, when a figure or a person noun follows it; else pos unchanged."""
    i = sent.word_at(pos)
    word = sent.words[i][2] if i is not None else ""
    if i is None or sent.words[i][0] - pos > 2 or not {word, _bare(word)} & _CIRCUMSTANCE_LEADS:
        return pos
    for k in range(i, min(len(sent.words), i + CIRCUMSTANCE_WORDS + 1)):
        end = sent.words[k][1]
        q = sent.quantity_after(end, window=2)
        if q is not None or sent.noun(end) is not None:
            return end
    return pos


_NAMED = re.compile(r'\s*"[^"\n\d]{2,40}"')
_NAMED_NEXT = re.compile(r'\s*(?:,|و)\s*(?=")')
_ALONG = re.compile(rf"[^.,\n]{{0,40}}?\s(?:{alternation(_G['along'])})\s+")


_QUOTED_LIST = re.compile(r'\s*(?:كل من\s*)?"([^"\n]{2,240})"')
_LIST_SEP = re.compile(r"\s*[،,]\s*(?:و\s*)?|\s+و(?=\S)")
_NAME_AGE = re.compile(r"\s*[/(-]?\s*\d+\s*\S*\s*\)?\s*$")  # "سمير خليل/ 41 عاما": the age after a name


def _quoted_list(sent: _Sentence, kind: str, pos: int, category: str = "person") -> Casualty | None:
    """Several names inside one pair of quotes (after "كل من" or a plural noun), one victim each:
    "وجرح كل من "منير داود/ 30 عاما، وسمير خليل/ 41 عاما"". One name alone is no list here."""
    m = _QUOTED_LIST.match(sent.text, pos)
    if m is None:
        return None
    names = [n for n in (_NAME_AGE.sub("", part) for part in _LIST_SEP.split(m.group(1)))
             if re.search(r"[^\W\d_]", n)]
    if len(names) < 2:
        return None
    start = m.start(1) - 1
    return Casualty(kind, start, m.end(), len(names), "exact", category=category)


def _after_spaces(m: re.Match) -> int:
    """Where a match starts once the spaces it opened with are passed."""
    return m.start() + len(m.group()) - len(m.group().lstrip())


def _named_victims(sent: _Sentence, kind: str, pos: int) -> Casualty | None:
    """Names in quotes right after the word, each one victim ("مقتل "سامر العبدالله" و"محمد""), or
    several names in one pair of quotes ("جرح كل من "سمير، وعلي"")."""
    listed = _quoted_list(sent, kind, pos)
    if listed is not None:
        return listed
    m = _NAMED.match(sent.text, pos)
    if m is None:
        return None
    start, count, end = _after_spaces(m), 0, pos
    while m is not None:
        count, end = count + 1, m.end()
        more = _NAMED_NEXT.match(sent.text, end)
        m = _NAMED.match(sent.text, more.end()) if more else None
    along = _ALONG.match(sent.text, end)  # "... برفقة 3 أشخاص", "بالإضافة إلى اثنين من أبنائه"
    if along:
        q = sent.quantity_after(along.end(), window=2)
        noun = sent.noun(along.end()) if q is None else None
        extra = q.value if q is not None and not q.vague else _count_noun(noun[1])[0] if noun else None
        if extra:
            count, end = count + extra, (q.end if q is not None else noun[3])  # type: ignore[index]
    return Casualty(kind, start, end, count, "exact", category="person")


def _other_kinds_noun(rd: _Read, q: Quantity, kind: str) -> bool:
    """Whether a casualty noun of another kind follows the figure ("سقوط ثلاثة جرحى": injured)."""
    return any(0 < pos - q.end <= 2 and other != kind for pos, other in rd.nouns_at.items())


_DEFINITE_NUMERAL = re.compile(r"\s+ال(\w+)")


def _definite_numeral(sent: _Sentence, pos: int) -> Quantity | None:
    """"أطفالها الثلاثة", "المدنيين الخمسة": a number word with the article after a plural noun (from
    three up: "الاثنين" is also Monday, and a date is no count)."""
    m = _DEFINITE_NUMERAL.match(sent.text, pos)
    if m is None:
        return None
    found = [q for q in quantities(m.group(1)) if q.start == 0 and q.end == len(m.group(1))]
    if not found or found[0].value is None or found[0].value < 3:
        return None
    return Quantity(m.start(1) - 2, m.end(1), found[0].value, "exact")


def _numeral_after_noun(rd: _Read, kind: str, noun: tuple[str, str, int, int] | None) -> Casualty | None:
    """A plural noun counted by the numeral after it: "مقتل مدنيين اثنين", "إصابة أطفال ثلاثة",
    "مقتل امرأة وأطفالها الثلاثة"."""
    if noun is None or noun[1] != "plural":
        return None
    text = rd.sent.text
    q = next((q for q in rd.sent.qty if 0 <= q.start - noun[3] <= 1 and not text[noun[3]:q.start].strip()
              and q.start not in rd.used), None) or _definite_numeral(rd.sent, noun[3])
    if q is None or q.vague or q.value is None or q.value < 2:
        return None
    rd.used.add(q.start)
    return _rule("numeral_after_noun", Casualty(kind, noun[2], q.end, q.value, q.qualifier, category=noun[0],
                                                update=rd.is_update))


def _word_before(rd: _Read, h, kind: str, hs: int, he: int) -> Casualty | None:
    """A noun after its figure: "9 قتلى", "75 جريحا"; alone, a singular or dual counts itself
    ("قتيل وجرحى", "قتيلين") and a plural gives no number."""
    sent, seg = rd.sent, rd.seg
    q = sent.quantity_before(hs)
    counted = q is not None or seg[:h.word_start].rstrip().endswith("بين")
    if (kind == "killed" and counted and _combined(seg, h.end)
            or kind == "injured" and _COMBINED_BEFORE.search(seg, 0, h.word_start)):
        return None  # "40 قتيلا وجريحا": killed and injured together, neither figure known
    if q is not None and q.start not in rd.used:
        rd.used.add(q.start)
        return _rule("figure_before", Casualty(kind, q.start, he, q.value, q.qualifier, q.vague, update=rd.is_update))
    form = sent.lex.persons.get(h.key)
    if form and form[1] in ("singular", "dual"):
        return _rule("self_counting_noun", Casualty(kind, hs, he, _count_noun(form[1])[0]))
    if form:
        return _rule("plural_noun", Casualty(kind, hs, he, None, "at_least", vague=True))
    return None


def _keep(rd: _Read, c: Casualty, kind: str, he: int) -> None:
    """Finish a figure: the new total of an update, the parts of a killed-and-injured figure, the
    side of combatants, the breakdown after it."""
    sent = rd.sent
    if rd.is_update and (c.value is None or c.vague):
        q = _update_figure(sent, he, kind)
        if q is not None:
            c = _rule("rising_toll", _figure(sent, kind, q, rd.used, True))
    if c.update and c.rule in ("figure_after", "figure_before", "subject_before"):
        c.rule = "rising_toll"
    if any(x.kind == c.kind and x.start == c.start for x in rd.out):
        return  # one subject read by two words ("استشهد المواطن هاني خلف": a name, not "خلف")
    if c.rule == "subject_before" and any(x.start <= c.start < x.end for x in rd.out):
        return  # "استشهد مدني وأصيب آخرون": the civilian was killed, not injured too
    if _BETWEEN.match(sent.text, c.end):
        rd.out += _between_parts(sent, c)  # "3 أشخاص بين شهيد وإصابتين": killed and injured together
        return
    if c.category == "combatant":
        c.side = sent.side(c.start)
    _breakdown(sent, c, rd.used)
    rd.out.append(c)


_AMONG_INJURED = re.compile(alternation(_G["among_injured"]))
_AMONG = re.compile(rf"(?:من\s+)?بين\s+(?:ال)?(?:{alternation(_G['among_killed'] + _G['among_injured'])})")


def _among(rd: _Read) -> Casualty | None:
    """"3 أطفال وامرأة كانوا من بين القتلى": details of a figure given before."""
    m = _AMONG.search(rd.seg)
    if m is None:
        return None
    sent = rd.sent
    kind = "injured" if _AMONG_INJURED.search(m.group()) else "killed"
    stop = m.start() + sent.start
    items = next((found for q in sent.qty if q.start < stop and q.start not in rd.used
                  for found in [_list_items(sent, q.start, stop, rd.used)] if found), [])
    if not items:
        return None
    c = Casualty(kind, items[0][1], items[-1][2], None, breakdown_only=True, rule="among")
    _add_breakdown(c, items)
    return c if c.breakdown else None


def _rule(name: str, c: Casualty | None) -> Casualty | None:
    """Name the construction that read a figure (kept on the figure, checked by the corpus)."""
    if c is not None and not c.rule:
        c.rule = name
    return c


def _figure(sent: _Sentence, kind: str, q: Quantity, used: set[int], update: bool) -> Casualty:
    """A figure and its noun; a list after it is added up: "ستة أطفال وامرأة ورجل" is 8."""
    listed = _listed(sent, kind, q.start, used)
    if listed is not None:
        listed.qualifier, listed.vague, listed.update = q.qualifier, q.vague, update
        return listed
    used.add(q.start)
    c = Casualty(kind, q.start, q.end, q.value, q.qualifier, q.vague, update=update)
    noun = sent.noun(q.end)
    if noun:
        c.category, c.end = noun[0], noun[3]
    elif re.match(r"\s*(?:من)?(?:هم|هن|بينهم)(?!\w)", sent.text[q.end:q.end + 8]):
        c.category = sent.antecedent(q.start)  # "استشهاد 7 منهم": of the civilians named before
    return c


def _listed(sent: _Sentence, kind: str, pos: int, used: set[int]) -> Casualty | None:
    """Two or more listed victims from pos ("طفلين وامرأة", "3 أطفال ورجل"), summed; None otherwise."""
    items = _list_items(sent, pos, sent.end, set(used))
    if len(items) < 2 or any(_bare(w) in sent.lex.casualty_words for _c, s, e, _v in items
                             for w in _WORD.findall(sent.text[s:e])):
        return None  # "9 قتلى و31 جريحا" are two figures, not a list of victims
    for _cat, s, _e, _v in items:
        used.add(s)
    c = Casualty(kind, items[0][1], items[-1][2], sum(v or 0 for *_x, v in items))
    cats = {cat for cat, *_x in items}
    c.category = "civilian" if cats <= {"child", "woman", "civilian"} else "combatant" if cats == {"combatant"} \
        else "person"  # "مقتل قيادي وعنصر": fighters, counted apart from the civilians of the sentence
    _add_breakdown(c, items, with_civilians=False)  # the civilians are the whole figure here
    return c


def _subject_before(sent: _Sentence, kind: str, pos: int, used: set[int]) -> Casualty | None:
    """Victims named before the verb: "إن 4 أطفال قتلوا", "أن مدنيا قتل"; with a breakdown between,
    the figure before it: "إن 13 شخصا على الأقل بينهم ستة أطفال قتلوا" is 13."""
    whole = _figure_before_breakdown(sent, pos, used)
    if whole is not None:
        return _figure(sent, kind, whole, used, False)
    words, pos = _words_before_verb(sent, pos)
    for s, e, w in reversed(words):
        if pos - e > 2 and (s, e, w) == words[-1]:
            return None
        c = _subject_word(sent, kind, s, e, w, used)
        if c is not None:
            return c
    return None


_APPROXIMATE = frozenset(normed(_G["approximate"]))  # "13 شخصا على الأقل قتلوا"


def _words_before_verb(sent: _Sentence, pos: int) -> tuple[list[tuple[int, int, str]], int]:
    """The three words before the verb at pos, past an approximation ("على الأقل"), and where
    the subject must end."""
    words = [w for w in sent.words if w[1] <= pos]
    while words and _bare(words[-1][2]) in _APPROXIMATE and pos - words[-1][1] <= 12:
        pos = words.pop()[0]
    return words[-3:], pos


def _subject_word(sent: _Sentence, kind: str, s: int, e: int, w: str, used: set[int]) -> Casualty | None:
    """A figure, or a singular or dual person noun (with a figure right before it), as a subject."""
    q = next((q for q in sent.qty if q.start == s and q.start not in used), None)
    if q is not None:
        return _figure(sent, kind, q, used, False)
    form = sent.person(w)
    if not form or form[1] == "plural" or form[0] == "person":
        return None
    prev = next((q for q in sent.qty if 0 <= s - q.end <= 1 and q.start not in used), None)
    if prev is not None:
        return _figure(sent, kind, prev, used, False)
    return Casualty(kind, s, e, 1 if form[1] == "singular" else 2, category=form[0])


def _figure_before_breakdown(sent: _Sentence, pos: int, used: set[int]) -> Quantity | None:
    """The figure a breakdown shortly before pos belongs to ("13 شخصا على الأقل بينهم ستة أطفال")."""
    lo = max(sent.start, pos - 60)
    hits = sent.lex.breakdown_words.find(sent.text[lo:pos])
    if not hits:
        return None
    b_start = lo + hits[-1].word_start
    for q in reversed(sent.qty):
        if q.end <= b_start and b_start - q.end <= 25 and q.start not in used:
            between = _WORD.findall(sent.text[q.end:b_start])
            noun = sent.noun(q.end)
            rest = between[1:] if noun else between
            return q if all(_bare(w) in _QUALIFIER_WORDS for w in rest) else None
    return None


_PAIRED_NOUN = re.compile(rf"(?<!\w)(?:{alternation(_G['paired_nouns'])})\s+$")
_COMBINED = re.compile(rf"\s*(?:و|او|بين)\s*(?:ال)?(?:{alternation(_G['injured_after_killed'])})(?!\w)")


_LIVES = re.compile(rf"[^.،,]{{0,50}}?(?<!\w)ل?(?:{alternation(_G['lives'])})(?!\w)")  # "لحياتهما"
_COMBINED_BEFORE = re.compile(rf"(?:\d+\s*(?:{alternation(_G['killed_before_injured'])})"
                              rf"|بين\s+(?:{alternation(_G['killed_between'])}))\s*(?:و|او)?\s*$")


def _combined(seg: str, end: int) -> bool:
    return bool(_COMBINED.match(seg, end))


def _update_figure(sent: _Sentence, pos: int, kind: str) -> Quantity | None:
    """The new total in "ارتفع عدد القتلى ... إلى 9"; with several ("إلى 9 شهداء وأكثر من 30 إصابة")
    the one whose noun says `kind`."""
    after = [q for q in sent.qty if pos <= q.start <= pos + 120]
    lead = next((i for i, q in enumerate(after)
                 if re.search(r"(?:الي|ل)\s*(?:\w+\s+){0,3}$", sent.text[max(pos, q.start - 20):q.start])), None)
    if lead is None:
        return None
    for q in after[lead:]:
        hits = sent.lex.casualty_words.find(sent.text[q.end:q.end + 12])
        if hits and hits[0].word_start <= 1:
            if hits[0].value[0] == kind:
                return q
        elif kind == "killed" and q is after[lead]:
            return q
    return None


_LIST_LEAD = re.compile(r"(?:[:,]\s*|(?<!\w)و\s*)$")  # "هم: 43", "، و21"


def _listed_figures(sent: _Sentence, found: list[Casualty], used: set[int]) -> list[Casualty]:
    """Figures listed after a casualty word with no word of their own: "الشهداء هم: 43 بينهم ...، و21
    بينهم ...، و13 مدني بينهم ..." — each takes the kind of the casualty word before it."""
    out: list[Casualty] = []
    for q in sent.qty:
        if q.start in used or q.vague or not _LIST_LEAD.search(sent.text[max(sent.start, q.start - 4):q.start]):
            continue
        before = [c for c in found if c.end <= q.start and not c.breakdown_only]
        if not before:
            continue
        noun = sent.noun(q.end)
        tail = sent.text[q.end:q.end + 8]
        if noun is None and not sent.lex.breakdown_words.find(tail):
            continue
        if noun is not None and noun[0] == "person" and noun[1] == "singular":
            continue  # "3 آخرين" after an injured figure was read with it already
        c = Casualty(before[-1].kind, q.start, noun[3] if noun else q.end, q.value, q.qualifier,
                     category=noun[0] if noun else "person", rule="listed_figures")
        used.add(q.start)
        if c.category == "combatant":
            c.side = sent.side(c.start)
        _breakdown(sent, c, used)
        out.append(c)
        found = found + [c]
    return out


_QUOTED_NAME = re.compile(r'"[^"\n]{1,40}"')
_NAME_STOPS = frozenset(normed(stop_words()))
_ANOTHER = frozenset(normed(_G["another"]))


Item = tuple[str, int, int, int | None]  # (category, start, end, value) of one listed victim


def _list_items(sent: _Sentence, start: int, end: int, used: set[int]) -> list[Item]:
    """The items of "3 أطفال وامرأة وطفلين" from start on: figures with their noun, or bare singular
    and dual nouns, joined by و or commas; stops at anything else."""
    items: list[Item] = []
    pos = start
    while pos < end:
        pos = _past_separators(sent.text, pos, end)
        quoted = _QUOTED_NAME.match(sent.text, pos, end)
        if items and quoted:  # a victim's name after the noun: "السيدة "حفيظة ..." والشاب ..."
            pos = quoted.end()
            continue
        item = _figure_item(sent, pos, used) or _noun_item(sent, pos, items)
        if item is None and items and items[-1][3] == 1:
            item = _after_name(sent, pos, end, items)  # "الطفلة روعة نصر الزين وامرأة ..."
        if item is None:
            break
        items.append(item)
        pos = item[2]
    return items


NAME_WORDS = 4  # the longest name read between two victims listed one by one


def _after_name(sent: _Sentence, pos: int, end: int, items: list[Item]) -> Item | None:
    """The next victim after the unquoted name of the last one: up to NAME_WORDS words that are no
    function, casualty, attack or person words, then "و" and a person noun."""
    i = sent.word_at(pos)
    for j in range(i if i is not None else len(sent.words), min(len(sent.words), (i or 0) + NAME_WORDS + 1)):
        s, e, w = sent.words[j]
        if e > end:
            return None
        if w.startswith("و") and sent.person(w):
            return _noun_item(sent, s, items)
        if _bare(w) in _NAME_STOPS or sent.person(w) or sent.lex.casualty_words.find(w) or sent.lex.triggers.find(w) \
                or w.isdigit():
            return None
    return None


def _past_separators(text: str, pos: int, end: int) -> int:
    """Past spaces, commas, and a و before a figure ("و3")."""
    while pos < end and (text[pos] in " ,\n" or (text[pos] == "و" and pos + 1 < end and not text[pos + 1].isalpha())):
        pos += 1
    return pos


def _figure_item(sent: _Sentence, pos: int, used: set[int]) -> Item | None:
    """A figure at pos with its person noun ("3 أطفال")."""
    q = next((q for q in sent.qty if q.start == pos and q.start not in used), None)
    noun = sent.noun(q.end) if q is not None else None
    if q is None or noun is None:
        return None
    used.add(q.start)
    return (noun[0], q.start, noun[3], q.value)


def _noun_item(sent: _Sentence, pos: int, items: list[Item]) -> Item | None:
    """A singular or dual person noun at pos ("وامرأة", "وطفلين"), or a plural one with its numeral
    ("وأطفالها الثلاثة"), joined to the list by و or a comma."""
    if next((q for q in sent.qty if q.start == pos), None) is not None:
        return None  # a figure with no person noun after it ends the list
    i = sent.word_at(pos)
    if i is None or sent.words[i][0] != pos:
        return None
    s, e, w = sent.words[i]
    if items and not w.startswith("و") and "," not in sent.text[items[-1][2]:s]:
        return None  # "وطفل آخر": an adjective, not another victim
    form = sent.person(w)
    if form and form[1] == "plural":  # "وأطفالها الثلاثة": a plural counted by the numeral after it
        q = _definite_numeral(sent, e) if items else None
        return (form[0], s, q.end, q.value) if q is not None else None
    if not form:
        return None
    return (form[0], s, e, 1 if form[1] == "singular" else 2)


_FAMILY_WORDS = frozenset(normed(_G["family_words"]))
_FAMILY = re.compile(rf"\s*(?:{alternation(_G['family_nouns'])})(?:\s+(?:{alternation(_G['family_words'])}))?"
                     rf"\s+(?:{alternation(_G['family_of'])})\s+")


def _family(rd: _Read, kind: str, pos: int) -> Casualty | None:
    """A family counted by its members: "مقتل عائلة كاملة مؤلفة من 6 أشخاص"."""
    m = _FAMILY.match(rd.sent.text, pos)
    q = rd.sent.quantity_after(m.end(), window=2) if m else None
    if q is None or q.vague or q.value is None or q.start in rd.used:
        return None
    rd.used.add(q.start)
    noun = rd.sent.noun(q.end)
    return Casualty(kind, _after_spaces(m), noun[3] if noun else q.end, q.value, q.qualifier,
                    category=noun[0] if noun else "person")


def _breakdown(sent: _Sentence, c: Casualty, used: set[int]) -> None:
    """"بينهم 3 أطفال وامرأة" right after a figure (the family's words may stand between: "4 أفراد من
    عائلة واحدة بينهم طفلان")."""
    tail = sent.text[c.end:min(sent.end, c.end + 50)]
    hits = sent.lex.breakdown_words.find(tail)
    if not hits or not all(sent.person(w) or w in _FAMILY_WORDS or _bare(w) in _QUALIFIER_WORDS | _FAMILY_WORDS
                           for w in _WORD.findall(tail[:hits[0].word_start])):
        return  # "9 مدنيين بينهم", "13 شخصا على الأقل بينهم"
    b_end = c.end + hits[0].end
    stop = min(sent.end, b_end + 60)
    _add_breakdown(c, _list_items(sent, b_end, stop, used))


def _add_breakdown(c: Casualty, items: list[tuple[str, int, int, int | None]], with_civilians: bool = True) -> None:
    """Count listed victims into the figure's breakdown (children, women, and civilians among others)."""
    keys = {"child": "children", "woman": "women", **({"civilian": "civilians"} if with_civilians else {})}
    for cat, _s, _e, value in items:
        if cat in keys and value:
            c.breakdown[keys[cat]] = c.breakdown.get(keys[cat], 0) + value
