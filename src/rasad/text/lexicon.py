"""Language data (number words, month and weekday names) from lang/ar/data, normalised."""

from __future__ import annotations

from functools import lru_cache

from rasad.lang.ar.words import table
from rasad.text.normalise import norm


def _load(name: str) -> dict:
    return table(name)


def _normed(table: dict | list) -> dict | list:
    """Keys (or list entries) normalised."""
    if isinstance(table, list):
        return [norm(str(w)) for w in table]
    return {norm(str(k)): v for k, v in table.items()}


@lru_cache(maxsize=1)
def numbers() -> dict[str, dict]:
    return {section: _normed(table) for section, table in _load("numbers.yaml").items()}


@lru_cache(maxsize=1)
def dates() -> dict[str, dict]:
    return {section: _normed(table) for section, table in _load("dates.yaml").items()}


@lru_cache(maxsize=1)
def number_words() -> frozenset[str]:
    n = numbers()
    return frozenset(k for s in ("units", "tens", "hundreds") for k in n[s])


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    d = dates()
    words = set(d["weekdays"])
    for m in d["months"]:
        words.add(m)
        words.update(m.split())
    words.discard("اب")
    return frozenset(words)
