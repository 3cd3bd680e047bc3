"""One model of Arabic clitics and inflection, shared by every matcher.

Proclitics stack in a fixed order, conjunction then preposition then article (و + ب + ال). Every
matcher that strips or allows them asks this module, with the stack it needs, so the rule is
written once. A lexicon entry may be a lemma (a masculine singular noun or adjective, or a phrase
of them); `inflect` gives its surface forms: feminine, dual, sound and broken plurals, nisba
adjectives (كيماوي → الكيماوية، كيميائية), with the article on all its words or on none, so the data
lists a word once. The word lists behind the model are data files in `data/`.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from functools import lru_cache
from itertools import product

from rasad.lang.ar.words import table
from rasad.text.normalise import norm

MAX_FORMS = 5000  # a phrase of lemmas whose forms would pass this is refused as a data error


@lru_cache(maxsize=1)
def _clitics() -> dict:
    return table("clitics.yaml")


ARTICLE = "ال"


@lru_cache(maxsize=4)
def proclitic_stacks(rare: bool = False) -> tuple[str, ...]:
    """Every proclitic stack (conjunction, preposition, both), longest first; `rare` adds the
    prepositions left out before names (ك)."""
    c = _clitics()
    preps = [p for p in c["prepositions"] if rare or p not in c["rare_prepositions"]]
    stacks = list(c["conjunctions"]) + preps + [a + b for a in c["conjunctions"] for b in preps]
    return tuple(sorted(stacks, key=len, reverse=True))


def strip_known(word: str, known: Container[str], stacks: Iterable[str] | None = None) -> str:
    """The word without the proclitic stack whose rest is a known word ("وبريف" -> "ريف" when
    "ريف" is known); the word itself when it is known or no stripping makes it so."""
    if word in known:
        return word
    for c in stacks if stacks is not None else proclitic_stacks():
        if word.startswith(c) and word[len(c):] in known:
            return word[len(c):]
    return word


def strip_one(word: str, letters: str = "وفبل", min_length: int = 4) -> str:
    """The word without one leading proclitic letter, for words long enough to carry one: a
    cheap reading where no list of known words decides ("والمدنيين" -> "المدنيين")."""
    return word[1:] if len(word) >= min_length and word[:1] and word[0] in letters else word


def readings(word: str, rare: bool = True, min_rest: int = 3) -> list[str]:
    """The word and its readings with a proclitic stack removed, longest stack first; after a
    lam the article's alef comes back ("للاتارب" -> "الاتارب")."""
    out = [word]
    for c in proclitic_stacks(rare):
        if word.startswith(c) and len(word) - len(c) >= min_rest:
            rest = word[len(c):]
            out.append(rest)
            if c.endswith("ل") and not rest.startswith(ARTICLE):
                out.append("ا" + rest)
    return out


# ---- inflection ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _inflection() -> dict:
    data = table("inflection.yaml")
    return {k: tuple(norm(str(s)) if s else "" for s in v) for k, v in data.items()}


@lru_cache(maxsize=1)
def _plurals() -> dict[str, tuple[str, ...]]:
    return {norm(k): tuple(norm(p) for p in v) for k, v in table("plurals.yaml").items()}


@lru_cache(maxsize=1)
def _variants() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for family in table("variants.yaml"):
        forms = tuple(dict.fromkeys(norm(w) for w in family))
        for w in forms:
            out[w] = forms
    return out


def word_forms(lemma: str) -> set[str]:
    """The inflected forms of one normalised lemma without the article: its spelling variants,
    each with its sound suffixes (nisba, feminine or plain), and its broken plurals."""
    out: set[str] = set()
    suffixes = _inflection()
    for stem in _variants().get(lemma, (lemma,)):
        if stem.endswith("ي") and len(stem) >= 4:
            out.update(stem[:-1] + s for s in suffixes["nisba_suffixes"])
        elif stem.endswith("ه"):
            out.update(stem[:-1] + s for s in suffixes["feminine_suffixes"])
        else:
            out.update(stem + s for s in suffixes["noun_suffixes"])
        out.update(_plurals().get(stem, ()))
    return out


def inflect(phrase: str) -> set[str]:
    """Every surface form of a phrase of lemmas ("قصف كيماوي" -> "القصف الكيماوي", "قصفا كيماويا",
    ...). Words written with the article keep it (a construct, "غاز السارين"); otherwise the article
    is on every word or on none, as an adjective agrees with its noun."""
    words = norm(phrase).split()
    if not words:
        return set()
    fixed = any(w.startswith(ARTICLE) for w in words)
    per_word = [{w} if w.startswith(ARTICLE) else word_forms(w) for w in words]
    count = 1
    for forms in per_word:
        count *= len(forms)
    if count > MAX_FORMS:
        raise ValueError(f"lemma phrase '{phrase}' has {count} forms (more than {MAX_FORMS})")
    out = {" ".join(combo) for combo in product(*per_word)}
    if not fixed:
        out |= {" ".join(ARTICLE + w for w in combo) for combo in product(*per_word)}
    return out
