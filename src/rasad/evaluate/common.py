"""Helpers shared by the evaluations: locating ../shared, reading the dev set, name matching."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rapidfuzz import fuzz

from rasad.geo.places import compact


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
