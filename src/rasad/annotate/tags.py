"""Tag lines: a run of hashtags ("#سوريا #منبج #دير_الزور #الرقة") labels a post for search; the
places in it are not where anything happened. A hashtag inside prose ("قصف على #كفرعمة و #الأبزمو")
is a word of the sentence and stays."""

from __future__ import annotations

import re

_RUN = re.compile(r"#[^\s#]+(?:\s*#[^\s#]+){2,}")  # three hashtags or more with nothing but spaces between


def tag_runs(text: str) -> list[tuple[int, int]]:
    """Spans of the tag lines in `text`."""
    return [m.span() for m in _RUN.finditer(text)] if "#" in text else []


def in_runs(pos: int, runs: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in runs)
