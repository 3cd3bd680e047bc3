"""Server-drawn SVG: the events map over governorate and district outlines, and the timeline.

Drawn on the server so the pages need no tile server, no CDN and no script to show data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rasad.geo.boundaries import Outline

Box = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat (the profile's map box)
WIDTH = 760
COLOURS = {"Explosions/Remote violence": "#c0392b", "Battles": "#8e44ad", "Violence against civilians": "#d35400",
           "Strategic developments": "#2c3e50", "Protests": "#16a085", "Riots": "#7f8c8d"}
ACTOR_COLOURS = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#f39c12"]


@dataclass
class MapDot:
    x: float
    y: float
    r: float
    colour: str
    title: str
    href: str


def height(box: Box) -> float:
    return WIDTH * (box[3] - box[1]) / (box[2] - box[0]) * 1.2


def project(lon: float, lat: float, box: Box) -> tuple[float, float]:
    x = (lon - box[0]) / (box[2] - box[0]) * WIDTH
    y = (box[3] - lat) / (box[3] - box[1]) * height(box)
    return round(x, 1), round(y, 1)


def outline_paths(outlines: tuple[Outline, ...], box: Box) -> list[dict]:
    out = []
    for o in outlines:
        d = " ".join("M" + " L".join(f"{x},{y}" for x, y in (project(lon, lat, box) for lon, lat in ring)) + " Z"
                     for ring in o.rings)
        out.append({"d": d, "level": o.level, "name": f"{o.name_ar} / {o.name_en}"})
    return out


def dots(events: list[dict], box: Box) -> list[MapDot]:
    """A dot per event, or per incident (sized by its best toll, linked to its page) when given those."""
    out = []
    for ev in events:
        loc = ev.get("location") or {}
        if loc.get("latitude") is None or loc.get("longitude") is None:
            continue
        x, y = project(loc["longitude"], loc["latitude"], box)
        if "incident_id" in ev:
            killed, href = (ev.get("killed") or {}).get("best") or 0, f"/incidents/{ev['incident_id']}"
        else:
            killed = (ev.get("fatalities") or {}).get("total") or 0
            href = f"/reports/{ev['article_id']}#{ev['event_id']}"
        out.append(MapDot(x, y, 3.5 + min(8.0, killed ** 0.5 * 1.5), COLOURS.get(ev["event_type"], "#555"),
                          f"{ev['event_date'] or ''} {ev['sub_event_type']} — {loc.get('name') or ''}", href))
    return out


def timeline(events: list[dict], height: int = 160) -> dict:
    """Events and fatalities per day, stacked by perpetrator, as SVG bars."""
    per_day: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counts: dict[str, int] = defaultdict(int)
    for ev in events:
        day = ev.get("event_date")
        if not day:
            continue
        per_day[day][ev.get("actor1") or "?"] += 1 + ((ev.get("fatalities") or {}).get("total") or 0)
        counts[day] += 1
    days = sorted(per_day)
    if not days:
        return {"bars": [], "width": WIDTH, "height": height, "legend": [], "days": []}
    actors = sorted({a for d in per_day.values() for a in d})
    colour = {a: ACTOR_COLOURS[i % len(ACTOR_COLOURS)] for i, a in enumerate(actors)}
    top = max(sum(d.values()) for d in per_day.values())
    bar_w = max(2.0, (WIDTH - 20) / len(days))
    bars = []
    for i, day in enumerate(days):
        y = height - 20
        for actor, value in sorted(per_day[day].items()):
            h = (height - 30) * value / top
            y -= h
            bars.append({"x": round(10 + i * bar_w, 1), "y": round(y, 1), "w": round(bar_w * 0.8, 1),
                         "h": round(h, 1), "colour": colour[actor],
                         "title": f"{day} {actor}: {counts[day]} events, weight {value}"})
    return {"bars": bars, "width": WIDTH, "height": height, "days": [days[0], days[-1]],
            "legend": [{"actor": a, "colour": c} for a, c in colour.items()]}
