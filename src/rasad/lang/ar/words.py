"""Arabic word lists kept as data files in `lang/ar/data/` (one entry a line, or YAML)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"


def word_list(name: str) -> list[str]:
    """A .txt list: one entry a line, blank lines and # comments skipped."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.lstrip().startswith("#")]


@lru_cache(maxsize=32)
def table(name: str) -> dict[str, Any]:
    """A .yaml file of the language data."""
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8")) or {}


def stop_words() -> list[str]:
    """Words that never start a place name the gazetteer lacks."""
    return word_list("stop_words.txt")


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    """Singular and dual nouns for one or two people (persons.yaml), normalised: "الطفلة", "طفلتيه"."""
    from rasad.text.normalise import norm

    data = table("persons.yaml")
    skip = {norm(w) for w in data.get("not_before_names", ())}
    return frozenset(norm(w) for f in data["nouns"].values() for number in ("singular", "dual")
                     for w in f.get(number, ()) if norm(w) not in skip)


def normed(words: list[str]) -> list[str]:
    """Normalised words, longest first (for alternations where the longest must win)."""
    from rasad.text.normalise import norm

    return sorted(dict.fromkeys(norm(w) for w in words), key=len, reverse=True)


def alternation(words: list[str]) -> str:
    """A regex alternation of the normalised words, longest first."""
    import re

    return "|".join(re.escape(w) for w in normed(words))
