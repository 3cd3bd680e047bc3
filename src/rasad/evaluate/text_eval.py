"""Extraction against a complete hand annotation (`rasad-gold/2`), as `spec/evaluation.md` defines it.

Every news event of each report is annotated from the text alone. A predicted news event matches a
gold event when their places match: the normalised names are equal or one contains the other
(diacritics and tatweel removed, hamza forms, ى and ة folded, type words removed, spaces removed, a
leading ال removed), against the gold `location` or any `alt.location`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from rasad.evaluate.common import Extractor, pct, read_jsonl
from rasad.model import Event
from rasad.text.normalise import norm

# Type words that are not part of a place's name (spec: "type words such as قرية/بلدة/مدينة/حي/مخيم").
_TYPE_WORDS = re.compile(r"(?<!\w)(?:قريه|بلده|مدينه|حي|مخيم|ناحيه|منطقه|محافظه|مزرعه)(?!\w)")
FIGURES = ("total", "civilians", "children", "women")


def place_key(name: str | None) -> str:
    """A place name as the measure compares it."""
    if not name:
        return ""
    n = _TYPE_WORDS.sub(" ", norm(name))
    n = "".join(n.split())
    return n[2:] if n.startswith("ال") and len(n) > 4 else n


def _keys_match(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or a in b or b in a)


def _gold_places(g: dict) -> list[str]:
    names = [g.get("location")] + list((g.get("alt") or {}).get("location") or [])
    return [k for k in (place_key(n) for n in names) if k]


def _pred_places(ev: Event) -> list[str]:
    loc = ev.location
    return [k for k in (place_key(loc.name), place_key(loc.name_ar)) if k] if loc else []


def _same_place(ev: Event, gold_keys: list[str]) -> bool:
    return any(_keys_match(p, g) for p in _pred_places(ev) for g in gold_keys)


def _type_ok(ev: Event, g: dict) -> bool:
    types = [[g["event_type"], g["sub_event_type"]], *((g.get("alt") or {}).get("type") or [])]
    return [ev.event_type, ev.sub_event_type] in [list(t) for t in types]


def _family_ok(ev: Event, g: dict) -> bool:
    types = [[g["event_type"], g["sub_event_type"]], *((g.get("alt") or {}).get("type") or [])]
    return ev.event_type in {t[0] for t in types}


def _day_ok(ev: Event, g: dict) -> bool:
    days = [d for d in {g.get("event_date")} | _flat((g.get("alt") or {}).get("event_date") or []) if d]
    if ev.event_date in days:
        return True
    if ev.date_range and days:
        lo, hi = ev.date_range
        return any(lo <= d <= hi for d in days)
    span = g.get("date_range")
    return bool(span and ev.event_date and span[0] <= ev.event_date <= span[1])


def _flat(values: list) -> set:
    """Alternatives given as single values or as lists of values, flattened."""
    out: set = set()
    for v in values:
        out |= set(v) if isinstance(v, list) else {v}
    return out


def _perp_ok(ev: Event, g: dict) -> bool:
    gold = _flat(g.get("actor1") or []) | _flat((g.get("alt") or {}).get("actor1") or [])
    return bool({ev.actor1, *ev.assoc_actor_1} & gold)


def _figure_ok(ev: Event, g: dict, key: str) -> bool:
    want = {(g.get("fatalities") or {}).get(key)} | _flat((g.get("alt") or {}).get(f"fatalities.{key}") or [])
    return getattr(ev.fatalities, key) in want


def _injured_ok(ev: Event, g: dict) -> bool:
    return ev.injured in {g.get("injured")} | _flat((g.get("alt") or {}).get("injured") or [])


@dataclass
class TextScore:
    gold_events: int = 0  # non-optional, located
    found: int = 0
    found_place_type_day: int = 0
    type_right: int = 0
    day_right: int = 0
    perpetrator_right: int = 0
    figures: int = 0
    figures_right: int = 0
    injured: int = 0
    injured_right: int = 0
    predicted: int = 0
    predicted_at_gold_place: int = 0
    predicted_place_and_type: int = 0
    background_leaks: int = 0
    misses: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "gold_events": self.gold_events, "recall_pct": pct(self.found, self.gold_events),
            "recall_place_type_day_pct": pct(self.found_place_type_day, self.gold_events),
            "type_right_pct": pct(self.type_right, self.found), "day_right_pct": pct(self.day_right, self.found),
            "perpetrator_right_pct": pct(self.perpetrator_right, self.found),
            "fatality_figures": self.figures, "fatality_figures_right_pct": pct(self.figures_right, self.figures),
            "injured_figures": self.injured, "injured_right_pct": pct(self.injured_right, self.injured),
            "predicted_news_events": self.predicted,
            "precision_place_pct": pct(self.predicted_at_gold_place, self.predicted),
            "precision_place_type_pct": pct(self.predicted_place_and_type, self.predicted),
            "background_leaks": self.background_leaks,
        }


def _score_gold(score: TextScore, article: str, g: dict, news: list[Event]) -> None:
    """One gold event against the report's predicted news events."""
    keys = _gold_places(g)
    if g.get("optional") or not g.get("location"):
        return
    score.gold_events += 1
    matches = [ev for ev in news if _same_place(ev, keys)]
    if not matches:
        score.misses.append({"article": article, "why": "not found", "place": g["location"], "type":
                             g["sub_event_type"], "date": g.get("event_date")})
        return
    best = max(matches, key=lambda ev: (_type_ok(ev, g), _day_ok(ev, g), _perp_ok(ev, g)))
    type_ok, day_ok, perp_ok = _type_ok(best, g), _day_ok(best, g), _perp_ok(best, g)
    score.found += 1
    score.found_place_type_day += type_ok and day_ok
    score.type_right += type_ok
    score.day_right += day_ok
    score.perpetrator_right += perp_ok
    wrong = [] if perp_ok else [f"actor1 {best.actor1} not {g.get('actor1')}"]
    wrong += [] if type_ok else [f"type {best.sub_event_type} not {g.get('sub_event_type')}"]
    wrong += [] if day_ok else [f"day {best.event_date} not {g.get('event_date')}"]
    for key in FIGURES:
        if (g.get("fatalities") or {}).get(key) is not None:
            right = _figure_ok(best, g, key)
            score.figures += 1
            score.figures_right += right
            if not right:
                wrong.append(f"{key} {getattr(best.fatalities, key)} not {g['fatalities'][key]}")
    if g.get("injured") is not None:
        right = _injured_ok(best, g)
        score.injured += 1
        score.injured_right += right
        if not right:
            wrong.append(f"injured {best.injured} not {g['injured']}")
    if wrong:
        score.misses.append({"article": article, "why": "; ".join(wrong), "place": g["location"]})


def _score_predictions(score: TextScore, article: str, golds: list[dict], background: list[dict],
                       news: list[Event]) -> None:
    """Precision over the report's predicted news events, and background leaks."""
    bg_keys = [k for b in background for k in _gold_places(b)]
    for ev in news:
        score.predicted += 1
        at = [g for g in golds if _same_place(ev, _gold_places(g))]
        score.predicted_at_gold_place += bool(at)
        score.predicted_place_and_type += any(_family_ok(ev, g) for g in at)
        where = ev.location.name if ev.location else None
        if not at and _same_place(ev, bg_keys):
            score.background_leaks += 1
            score.misses.append({"article": article, "why": "background as news", "place": where})
        elif not at:
            score.misses.append({"article": article, "why": "emitted, no news event there", "place": where,
                                 "type": ev.sub_event_type})


def evaluate_text(gold_path: Path, dev_dir: Path, extractor: Extractor) -> dict[str, TextScore]:
    """Scores over all annotated reports, and over web reports and social posts apart."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    rows = {r["id"]: r for f in sorted(dev_dir.glob("*.jsonl")) for r in read_jsonl(f)}
    scores = {"all": TextScore(), "web": TextScore(), "social": TextScore()}
    for art in gold["articles"]:
        row = rows.get(art["article"])
        if row is None:
            continue
        events = extractor(row["text"], art.get("published") or row.get("published"), art["article"])
        news = [ev for ev in events if not ev.background]
        for name in ("all", art.get("source_type", "web")):
            score = scores.setdefault(name, TextScore())
            for g in art["events"]:
                _score_gold(score, art["article"], g, news)
            _score_predictions(score, art["article"], art["events"], art.get("background") or [], news)
    return scores
