"""A normalised view of Arabic text for matching, with a map back to the original.

Matching runs on the normalised string; every span found there maps back to the
exact characters of the original through `Normalised.to_original`, so evidence
offsets always point into the article as given.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

_DROP = {
    "\u0640",  # tatweel
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
}
_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ی": "ي", "ک": "ك", "ۀ": "ه",
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",",
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‟": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‹": "'", "›": "'", "`": "'",
    "–": "-", "—": "-", "‐": "-", "‑": "-",
    "_": " ",  # hashtags: "#معرة_الورد" reads as "معرة الورد"
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic
    _MAP[chr(0x06F0 + _i)] = str(_i)  # Persian / Urdu


def _is_diacritic(ch: str) -> bool:
    cp = ord(ch)
    return 0x064B <= cp <= 0x065F or cp == 0x0670 or 0x06D6 <= cp <= 0x06ED or 0x08D3 <= cp <= 0x08FF


def normalise_char(ch: str) -> str:
    """Normalised form of one character ('' when it is dropped)."""
    if ch in _DROP or _is_diacritic(ch):
        return ""
    if ch in _MAP:
        return _MAP[ch]
    if ch.isspace():
        return " " if ch not in "\n\r" else "\n"
    if ord(ch) < 128:
        return ch.lower()
    out = unicodedata.normalize("NFKC", ch)
    if out != ch:
        return "".join(normalise_char(c) for c in out if not unicodedata.combining(c) or c == out)
    return ch.lower()


@dataclass(frozen=True)
class Normalised:
    """The normalised string and, per normalised character, the original span it came from."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to the original span it came from."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def original_text(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]


_CACHE: dict[str, str] = {}  # character -> its normalised form ('' when dropped)
_TABLE: dict[int, str | None] = {}  # the same, for str.translate
_LENGTH: dict[int, str] = {}  # code point -> its normalised length as a character (255: take the slow path)
_WS_RUN = re.compile(r"[ \n]{2,}")


def _learn(text: str) -> None:
    """Fill the caches for the characters of `text` not seen before (once per character)."""
    for ch in set(text).difference(_CACHE):
        n = _CACHE[ch] = normalise_char(ch)
        _TABLE[ord(ch)] = n or None
        # an expansion with white space inside ("ﷺ") would join runs the per-character rule keeps apart
        _LENGTH[ord(ch)] = chr(255 if len(n) > 1 and any(c in " \n" for c in n) else min(len(n), 254))


def _mapped(text: str) -> list[str]:
    """Each character's normalised form."""
    _learn(text)
    cache = _CACHE
    return [cache[ch] for ch in text]


def _run_char(run: str) -> str:
    return "\n" if "\n" in run else " "  # a run of spaces and breaks reads as one break


_AR = "\u0621-\u063a\u0641-\u064a"  # Arabic letters, tatweel apart
# Spellings broken against moderation: marks inside a word next to a tatweel ("مقـ.ـتل", "مـ ـقـ ـتـ ـل"),
# a star or bullet between letters ("قـ*ـصف", "ق*صف"), and a word spelled out letter by letter with
# full stops ("د.ا.عش"; two letters, "م.د", stay an abbreviation).
_BROKEN = re.compile(rf"(?<=[{_AR}\u064b-\u0652])"
                     rf"(?:\u0640+\s+\u0640+|\u0640+[.*•·]+\u0640*|\u0640*[.*•·]+\u0640+|[*•·]+)(?=[{_AR}\u0640])")
_SPELLED = re.compile(rf"(?<![{_AR}])[{_AR}](?:\.[{_AR}]){{2,}}(?![{_AR}])")


_MAYBE_BROKEN = re.compile(rf"[\u0640*•·]|[{_AR}]\.[{_AR}]")
_DOT_IN_WORD = re.compile(rf"(?<![{_AR}])([{_AR}]+)\.([{_AR}]+)(?![{_AR}])")


def unbreak(text: str) -> str:
    """`text` with the marks of a broken spelling turned to tatweel (which normalising drops), so
    "مقـ.ـتل" reads "مقتل" and "صار.وخ" "صاروخ"; one character for one, so offsets stay those of
    `text`."""
    if not _MAYBE_BROKEN.search(text):
        return text
    text = _BROKEN.sub(lambda m: "\u0640" * len(m.group()), text)
    text = _SPELLED.sub(lambda m: m.group().replace(".", "\u0640"), text)
    return _DOT_IN_WORD.sub(_rejoin, text)


def _rejoin(m: re.Match) -> str:
    """A word broken by a dot, when the joined word is one posts are known to break."""
    from rasad.lang.ar.morphology import ARTICLE, proclitic_stacks

    joined = _fold(m.group(1) + m.group(2))
    stems = _broken_words()
    rests = [joined] + [joined[len(c):] for c in proclitic_stacks() if joined.startswith(c)]
    if any(w in stems or w.startswith(ARTICLE) and w[len(ARTICLE):] in stems for w in rests):
        return m.group(1) + "\u0640" + m.group(2)
    return m.group()


def _fold(word: str) -> str:
    _learn(word)
    return word.translate(_TABLE)


@lru_cache(maxsize=1)
def _broken_words() -> frozenset[str]:
    from rasad.lang.ar.words import word_list

    return frozenset(_fold(w) for w in word_list("broken_words.txt"))


def normalise(text: str) -> Normalised:
    """Build the normalised view of `text`: each original char gives zero or more chars, and a
    run of white space gives one, so "كفر  زيتا" and "كفر زيتا" read alike. The character maps are
    applied by str.translate and the offsets computed with numpy; text with a character that
    expands to several words ("ﷺ") takes the per-character path."""
    original, text = text, unbreak(text)
    _learn(text)
    lengths = np.frombuffer(text.translate(_LENGTH).encode("latin-1"), dtype=np.uint8)
    if lengths.size and lengths.max() == 255:
        return _normalise_each(original)
    mapped = text.translate(_TABLE)
    src = np.repeat(np.arange(len(text)), lengths)  # the original index of every normalised character
    ends = src + 1
    keep = np.ones(len(mapped), dtype=bool)
    parts: list[str] = []
    prev = 0
    for m in _WS_RUN.finditer(mapped):
        a, b = m.span()
        keep[a + 1:b] = False
        ends[a] = src[b - 1] + 1
        parts += [mapped[prev:a], _run_char(m.group())]
        prev = b
    parts.append(mapped[prev:])
    return _unglue(Normalised(original, "".join(parts), tuple(src[keep].tolist()), tuple(ends[keep].tolist())))


def _normalise_each(original: str) -> Normalised:
    """`normalise`, one character at a time (for text where a character expands to several)."""
    text = unbreak(original)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    prev_ws = False
    for i, n in enumerate(_mapped(text)):
        if not n:
            continue
        if n == " " or n == "\n":
            if prev_ws:
                if n == "\n":
                    out[-1] = "\n"
                ends[-1] = i + 1
                continue
            prev_ws = True
        else:
            prev_ws = False
        out.extend(n)
        starts.extend([i] * len(n))
        ends.extend([i + 1] * len(n))
    return _unglue(Normalised(original, "".join(out), tuple(starts), tuple(ends)))


def norm(text: str) -> str:
    """Normalised string only (for lexicon keys and queries): the same text `normalise` gives."""
    text = unbreak(text)
    _learn(text)
    out = _WS_RUN.sub(lambda m: _run_char(m.group()), text.translate(_TABLE))
    return _glued().sub(r"\g<0> ", out) if "ال" in out else out


# A page's heading glued to the post's first word ("مستجدات القصف اليوم السبتمقتل مدني"): a weekday
# right before a word that opens news is two words ("الأحداث" is one word, not "الأحد" and "اث").
@lru_cache(maxsize=1)
def _glued() -> re.Pattern[str]:
    from rasad.lang.ar.words import table

    d = table("discourse.yaml")
    days = "|".join(sorted({w.translate(_TABLE) for w in d["glued_heading_ends"]}, key=len, reverse=True))
    openers = "|".join(sorted({w.translate(_TABLE) for w in d["news_openers"]}, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{days})(?=[وف]?(?:{openers}))")


def _unglue(nv: Normalised) -> Normalised:
    """A space between a glued heading and the post; the space maps to the letter before it."""
    cuts = [m.end() for m in _glued().finditer(nv.text)] if "ال" in nv.text else []
    if not cuts:
        return nv
    text, starts, ends = list(nv.text), list(nv.starts), list(nv.ends)
    for k in reversed(cuts):
        text.insert(k, " ")
        starts.insert(k, starts[k - 1])
        ends.insert(k, ends[k - 1])
    return Normalised(nv.original, "".join(text), tuple(starts), tuple(ends))
