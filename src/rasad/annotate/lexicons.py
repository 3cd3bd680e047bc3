"""The profile's knowledge files, loaded once into phrase matchers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from rasad.lang.ar.morphology import inflect
from rasad.profile import Profile
from rasad.text.normalise import norm
from rasad.text.phrases import PhraseMatcher

_TEXT_DATA = Path(__file__).resolve().parents[1] / "text" / "data"


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@dataclass(frozen=True)
class TriggerInfo:
    kind: str
    event_type: str
    sub_event_type: str
    weapon: str | None


@dataclass(frozen=True)
class Lexicons:
    actors: PhraseMatcher  # value: actor id
    actor_context: PhraseMatcher  # value: candidate ids, resolved by who else the report names
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


_NO_WEAPON = frozenset({"shelling", "control", "agreement", "protest", "abduction"})  # tactics, not weapons


def _trigger_info(kind: str, spec: dict, weapon: str) -> TriggerInfo:
    return TriggerInfo(kind, spec["event_type"], spec["sub_event_type"], None if weapon in _NO_WEAPON else weapon)


def _inflected(lemmas: list[str]) -> list[str]:
    """Every surface form of a list of lemmas, in a stable order."""
    return sorted({form for lemma in lemmas for form in inflect(lemma)})


@lru_cache(maxsize=8)
def load(profile: Profile) -> Lexicons:
    """The profile's lexicons, built once per profile."""
    actors = profile.data("actors.yaml")
    names, adjectives = [], []
    for aid, spec in profile.actors.items():
        names += [(n, aid) for n in spec.get("names", [])]
        adjectives += [(a, aid) for a in spec.get("adjectives", [])]
    triggers = profile.data("triggers.yaml")
    trig = []
    for kind, spec in triggers["triggers"].items():
        for weapon, words in spec["words"].items():
            trig += [(word, _trigger_info(kind, spec, weapon)) for word in words]
        for weapon, lemmas in (spec.get("lemmas") or {}).items():
            trig += [(form, _trigger_info(kind, spec, weapon)) for form in _inflected(lemmas)]
    weapon_words = [(w, weapon) for weapon, words in triggers.get("weapon_words", {}).items() for w in words]
    weapon_words += [(f, weapon) for weapon, lemmas in (triggers.get("weapon_lemmas") or {}).items()
                     for f in _inflected(lemmas)]
    sources = profile.data("sources.yaml")["sources"]
    persons = {}
    for cat, forms in _yaml(_TEXT_DATA / "persons.yaml")["nouns"].items():
        for number, words in forms.items():
            for w in words:
                persons.setdefault(norm(w), (cat, number))
    cas = _yaml(_TEXT_DATA / "casualties.yaml")
    cas_words = [(w, (kind, pos)) for kind in ("killed", "injured", "missing") for pos, ws in cas[kind].items()
                 for w in ws]
    return Lexicons(
        actors=PhraseMatcher(names),
        actor_context=PhraseMatcher(actors.get("context_names", {}).items()),
        nationality=PhraseMatcher(adjectives),
        military_nouns=frozenset(norm(w) for w in actors.get("military_nouns", [])),
        triggers=PhraseMatcher(trig),
        weapon_words=PhraseMatcher(weapon_words),
        sources=PhraseMatcher((w, sid) for sid, words in sources.items() for w in words),
        persons=persons,
        casualty_words=PhraseMatcher(cas_words),
        update_words=frozenset(norm(w) for w in cas["update"]),
        breakdown_words=PhraseMatcher((w, True) for w in cas["breakdown"]),
        verbal_nouns=frozenset(norm(w) for w in cas["verbal_nouns"]),
        not_events=PhraseMatcher((w, True) for w in triggers.get("not_events", [])),
        not_before_toll=frozenset(norm(w) for w in triggers.get("not_before_toll", [])),
        not_triggers=PhraseMatcher((w, True) for w in triggers.get("not_triggers", [])),
    )

