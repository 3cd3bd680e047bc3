"""The profile's knowledge files, loaded once into phrase matchers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rasad.lang.ar.morphology import inflect
from rasad.lang.ar.words import normed, table
from rasad.profile import Profile
from rasad.text.normalise import norm
from rasad.text.phrases import PhraseMatcher


@dataclass(frozen=True)
class TriggerInfo:
    kind: str
    event_type: str
    sub_event_type: str
    weapon: str | None


@dataclass(frozen=True)
class Lexicons:
    actors: PhraseMatcher  # value: actor id
    actor_context: PhraseMatcher  # value: (candidate ids, default), resolved by who else the report names
    nationality: PhraseMatcher  # value: actor id
    military_nouns: frozenset[str]
    triggers: PhraseMatcher  # value: TriggerInfo
    weapon_words: PhraseMatcher  # value: weapon
    sources: PhraseMatcher  # value: source id
    persons: dict[str, tuple[str, str]]  # normalised noun -> (category, number: singular/dual/plural)
    casualty_words: PhraseMatcher  # value: (kind, position)
    update_words: frozenset[str]
    breakdown_words: PhraseMatcher
    verbal_nouns: frozenset[str]  # casualty words that never take a subject before them
    not_events: PhraseMatcher  # intent, threat, preparation: the clause tells no event
    not_before_toll: frozenset[str]  # triggers that are none when a toll or munitions follow
    not_triggers: PhraseMatcher  # phrases whose trigger words tell no event ("وقف إطلاق النار")
    stances: PhraseMatcher  # value: the side whose media use the words (stances.yaml)


_NO_WEAPON = frozenset({"shelling", "control", "agreement", "protest", "abduction"})  # tactics, not weapons


def _trigger_info(kind: str, spec: dict, weapon: str) -> TriggerInfo:
    return TriggerInfo(kind, spec["event_type"], spec["sub_event_type"], None if weapon in _NO_WEAPON else weapon)


def _inflected(lemmas: list[str]) -> list[str]:
    """Every surface form of a list of lemmas, in a stable order."""
    return sorted({form for lemma in lemmas for form in inflect(lemma)})


def _actor_entries(profile: Profile) -> tuple[list, list]:
    names, adjectives = [], []
    for aid, spec in profile.actors.items():
        names += [(n, aid) for n in spec.get("names", [])]
        adjectives += [(a, aid) for a in spec.get("adjectives", [])]
    return names, adjectives


def _trigger_entries(triggers: dict) -> list[tuple[str, TriggerInfo]]:
    """Trigger words as written, and every form of trigger lemmas."""
    trig = []
    for kind, spec in triggers["triggers"].items():
        for weapon, words in spec["words"].items():
            trig += [(word, _trigger_info(kind, spec, weapon)) for word in words]
        for weapon, lemmas in (spec.get("lemmas") or {}).items():
            trig += [(form, _trigger_info(kind, spec, weapon)) for form in _inflected(lemmas)]
    return trig


def _weapon_entries(triggers: dict) -> list[tuple[str, str]]:
    words = [(w, weapon) for weapon, ws in triggers.get("weapon_words", {}).items() for w in ws]
    return words + [(f, weapon) for weapon, lemmas in (triggers.get("weapon_lemmas") or {}).items()
                    for f in _inflected(lemmas)]


@lru_cache(maxsize=1)
def _persons() -> dict[str, tuple[str, str]]:
    """Person nouns (lang/ar/data/persons.yaml): normalised form -> (category, number)."""
    persons: dict[str, tuple[str, str]] = {}
    for cat, forms in table("persons.yaml")["nouns"].items():
        for number, words in forms.items():
            for w in words:
                persons.setdefault(norm(w), (cat, number))
    return persons


def _context(spec: list | dict) -> tuple[tuple[str, ...], str | None]:
    """A context name's candidates in order of preference, and the actor it means when none is named."""
    if isinstance(spec, dict):
        return tuple(spec.get("prefer") or ()), spec.get("default")
    return tuple(spec), None


def _flags(words: list[str]) -> PhraseMatcher:
    return PhraseMatcher((w, True) for w in words)


@lru_cache(maxsize=8)
def load(profile: Profile) -> Lexicons:
    """The profile's lexicons (and the language's casualty words), built once per profile."""
    actors = profile.data("actors.yaml")
    names, adjectives = _actor_entries(profile)
    triggers = profile.data("triggers.yaml")
    cas = table("casualties.yaml")
    cas_words = [(w, (kind, pos)) for kind in ("killed", "injured", "missing") for pos, ws in cas[kind].items()
                 for w in ws]
    return Lexicons(
        actors=PhraseMatcher(names, hashtags=True),
        actor_context=PhraseMatcher((k, _context(v)) for k, v in actors.get("context_names", {}).items()),
        nationality=PhraseMatcher(adjectives),
        military_nouns=frozenset(normed(actors.get("military_nouns", []))),
        triggers=PhraseMatcher(_trigger_entries(triggers)),
        weapon_words=PhraseMatcher(_weapon_entries(triggers)),
        sources=PhraseMatcher((w, sid) for sid, words in profile.data("sources.yaml")["sources"].items()
                              for w in words),
        persons=_persons(),
        casualty_words=PhraseMatcher(cas_words),
        update_words=frozenset(normed(cas["update"])),
        breakdown_words=_flags(cas["breakdown"]),
        verbal_nouns=frozenset(normed(cas["verbal_nouns"])),
        not_events=_flags(triggers.get("not_events", [])),
        not_before_toll=frozenset(normed(triggers.get("not_before_toll", []))),
        not_triggers=_flags(triggers.get("not_triggers", [])),
        stances=PhraseMatcher((w, side) for side, words in profile.data("stances.yaml").get("stances", {}).items()
                              for w in words),
    )
