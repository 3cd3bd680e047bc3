"""Helpers shared by the evaluations: locating ../shared, reading the dev set, name matching."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz

from rasad.geo.places import compact
from rasad.model import Event

Extractor = Callable[[str, str | None, str], list[Event]]  # (text, published, article id) -> events


def pct(a: int, b: int) -> float | None:
    """a as a share of b, in percent to one decimal; None when b is 0."""
    return round(100 * a / b, 1) if b else None


def shared_dir() -> Path | None:
    """RASAD_SHARED, else ../shared beside the working directory or the checkout."""
    candidates = [os.environ.get("RASAD_SHARED"), "../shared",
                  str(Path(__file__).resolve().parents[4] / "shared")]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return None


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def same_name(a: str, b: str) -> bool:
    ca, cb = compact(a), compact(b)
    return bool(ca and cb) and (ca == cb or fuzz.ratio(ca, cb) >= 85)


def num(v: object) -> float | None:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
