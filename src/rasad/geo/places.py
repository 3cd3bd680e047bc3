"""The gazetteer's plain data: one `Place` per community, admin unit, neighbourhood, camp or road."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

KINDS_ADMIN = ("admin1", "admin2", "admin3")


@dataclass
class Place:
    pid: int
    name_ar: str
    name_en: str
    kind: str  # community, admin1, admin2, admin3, neighbourhood, landmark, camp, road, populated
    pcode: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    admin1_ar: str | None = None
    admin2_ar: str | None = None
    admin3_ar: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    prior: float = 0.0  # a priori weight: capitals and admin centres first
    aliases: list[str] = field(default_factory=list)
    source: str = ""
    parent: str | None = None

    def names(self) -> list[str]:
        return [self.name_ar, *self.aliases]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))
