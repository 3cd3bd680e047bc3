"""How well place mentions are found and resolved on the analyst-coded dev set."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from rasad.evaluate.common import num, read_jsonl, same_name
from rasad.geo.gazetteer import Gazetteer
from rasad.geo.places import KINDS_ADMIN, distance_km
from rasad.geo.resolver import locate
from rasad.model import Location


@dataclass
class GeoScore:
    reports: int
    found: int
    with_coords: int
    within_5km: int
    errors_km: list[float]
    misses: list[dict]
    in_gazetteer: int = 0  # found, with coordinates, and the gazetteer has the place as written
    in_gazetteer_within_5km: int = 0
    by_layer: dict[str, list[int]] = field(default_factory=dict)  # layer -> [found with coords, within 5 km]
    homonyms: int = 0  # found with coords, and the gazetteer has same-named places over 5 km apart
    homonyms_right: int = 0
    moved_far: int = 0  # resolved to a gazetteer place over 50 km from the analyst's point

    def as_dict(self) -> dict:
        return {
            "reports": self.reports,
            "found_pct": round(100 * self.found / max(1, self.reports), 1),
            "found_with_coords": self.with_coords,
            "within_5km_pct": round(100 * self.within_5km / max(1, self.with_coords), 1),
            "median_error_km": round(statistics.median(self.errors_km), 2) if self.errors_km else None,
            "in_gazetteer": self.in_gazetteer,
            "in_gazetteer_within_5km_pct": round(
                100 * self.in_gazetteer_within_5km / max(1, self.in_gazetteer), 1),
            **{f"{layer}_within_5km": f"{ok}/{n}" for layer, (n, ok) in sorted(self.by_layer.items())},
            "same_name_places_right": f"{self.homonyms_right}/{self.homonyms}",
            "moved_over_50km": self.moved_far,
        }


_SPLIT = re.compile(r"\s*[,،]\s*|\s+و\s+|\s+أو\s+")
# Words before the name in the analyst's field: the kind of place, or where the strike was from it
# ("محيط بلدة الزرزور", "بين أرمناز و كفرتخاريم", "بالقرب من جسر قره قوزاق").
_TYPE = re.compile(r"^(?:(?:قرية|قريتي|بلدة|بلدتي|مدينة|مدينتي|حي|ناحية|مخيم|مزرعة|محيط|أطراف|بين|قرب"
                   r"|بالقرب من)\s+)+")


def gold_place_names(value: str) -> list[str]:
    """An analyst's place field split into names: "نبل و الزهراء", "قرية التوخار", "البارة,ادلب",
    "الجديدة أو اليعقوبية", "محيط بلدة الزرزور"."""
    parts = [_TYPE.sub("", p.strip().strip("\u200e\u200f")) for p in _SPLIT.split(value)]
    return [p for p in parts if p] or [value]


def evaluate_places(dev_path: Path, gaz: Gazetteer) -> GeoScore:
    score = GeoScore(0, 0, 0, 0, [], [])
    for row in read_jsonl(dev_path):
        gold = row["gold"]
        score.reports += 1
        text = "\n".join(x for x in (row.get("title"), row.get("text")) if x)
        names = gold_place_names(gold["location_ar"])
        found = locate(text, gaz)
        locs = [loc for n in names for loc in found if same_name(loc.name, n) or same_name(loc.name_ar or "", n)]
        if not locs:
            score.misses.append({"id": row["id"], "place": gold["location_ar"], "why": "not found"})
            continue
        score.found += 1
        lat, lon = num(gold.get("lat")), num(gold.get("lon"))
        if lat is None or lon is None:
            continue
        score.with_coords += 1
        loc = locs[0]
        listed = _gazetteer_has(gaz, names, lat, lon)
        score.in_gazetteer += listed
        if loc.latitude is None:
            score.misses.append({"id": row["id"], "place": gold["location_ar"], "why": "no coordinates"})
            continue
        err = distance_km(lat, lon, loc.latitude, loc.longitude)
        score.errors_km.append(err)
        _tally_layers(score, gaz, loc, names, err)
        if err <= 5:
            score.within_5km += 1
            score.in_gazetteer_within_5km += listed
        else:
            score.misses.append({"id": row["id"], "place": gold["location_ar"], "why": f"{err:.0f} km off",
                                 "got": f"{loc.pcode} {loc.name_en} {loc.admin1}"})
    return score


def _layer(loc: Location) -> str:
    """Which layer placed it: OCHA's P-coded places, GeoNames, or the text (beside a town it names)."""
    if (loc.name_en or "").startswith("near ") or loc.kind == "unknown":
        return "placed_by_text"
    return "ocha" if loc.pcode else "geonames" if loc.geonames_id else "other_layers"


def _tally_layers(score: GeoScore, gaz: Gazetteer, loc: Location, names: list[str], err: float) -> None:
    layer = _layer(loc)
    n_ok = score.by_layer.setdefault(layer, [0, 0])
    n_ok[0] += 1
    n_ok[1] += err <= 5
    if layer != "placed_by_text" and err > 50:
        score.moved_far += 1
    towns = [p for n in names for p in gaz.lookup(n) if p.latitude is not None and p.kind not in KINDS_ADMIN]
    if any(distance_km(a.latitude, a.longitude, b.latitude, b.longitude) > 5 for a in towns for b in towns):
        score.homonyms += 1
        score.homonyms_right += err <= 5


def _gazetteer_has(gaz: Gazetteer, names: list[str], lat: float, lon: float) -> bool:
    """Whether a gazetteer place of that name lies within 5 km of the analyst's point: when it does
    not, no resolver can land within 5 km, so the figure is also given without those places."""
    return any(p.latitude is not None and distance_km(lat, lon, p.latitude, p.longitude) <= 5
               for n in names for p in gaz.lookup(n))
