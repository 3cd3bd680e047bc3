"""The dashboard's timeline, drawn on the server as SVG from per-day sums (no script, no CDN).

At most MAX_BARS bars whatever the span: days are grouped into weeks or months when there are more,
so the page's size does not grow with the store.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

WIDTH = 760
MAX_BARS = 120
ACTOR_COLOURS = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#f39c12"]


def _bin(day: str, unit: str) -> str:
    """The first day of the day's week (from Monday) or month; the day itself for "day"."""
    if unit == "month":
        return day[:8] + "01"
    if unit == "week":
        d = date.fromisoformat(day)
        return date.fromordinal(d.toordinal() - d.weekday()).isoformat()
    return day


def _unit(first: str, last: str) -> str:
    span = (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
    return "day" if span <= MAX_BARS else "week" if span <= MAX_BARS * 7 else "month"


def timeline(rows: list[tuple[str, str | None, int, int]], height: int = 160) -> dict:
    """Events plus fatalities per day (or week, or month), stacked by perpetrator, as SVG bars, from
    (day, perpetrator, events, killed) rows in day order."""
    rows = [r for r in rows if _iso(r[0])]
    if not rows:
        return {"bars": [], "width": WIDTH, "height": height, "legend": [], "days": [], "unit": "day"}
    unit = _unit(rows[0][0], rows[-1][0])
    per_bin: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counts: dict[str, int] = defaultdict(int)
    for day, actor, n, killed in rows:
        key = _bin(day, unit)
        per_bin[key][actor or "?"] += n + killed
        counts[key] += n
    bins = sorted(per_bin)
    actors = sorted({a for d in per_bin.values() for a in d})
    colour = {a: ACTOR_COLOURS[i % len(ACTOR_COLOURS)] for i, a in enumerate(actors)}
    top = max(sum(d.values()) for d in per_bin.values())
    bar_w = max(2.0, (WIDTH - 20) / len(bins))
    bars = []
    for i, key in enumerate(bins):
        y = height - 20
        for actor, value in sorted(per_bin[key].items()):
            h = (height - 30) * value / top
            y -= h
            bars.append({"x": round(10 + i * bar_w, 1), "y": round(y, 1), "w": round(bar_w * 0.8, 1),
                         "h": round(h, 1), "colour": colour[actor],
                         "title": f"{key} {actor}: {counts[key]} events, weight {value}"})
    return {"bars": bars, "width": WIDTH, "height": height, "days": [rows[0][0], rows[-1][0]], "unit": unit,
            "legend": [{"actor": a, "colour": c} for a, c in colour.items()]}


def _iso(day: str | None) -> bool:
    try:
        date.fromisoformat(day or "")
    except ValueError:
        return False
    return True
