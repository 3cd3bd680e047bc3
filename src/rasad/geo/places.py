"""The gazetteer's plain data: one `Place` per community, admin unit, neighbourhood, camp or road."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from rasad.text.normalise import norm

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
    latin: list[str] = field(default_factory=list)  # other names in Latin letters ("Derik", "Kobani")
    # 0: the primary layer (OCHA's P-coded places, the profile's and the user's); 1: GeoNames, whose
    # places count only where the report's other places support them (geo/resolver.py)
    layer: int = 0
    geonames_id: str | None = None

    def names(self) -> list[str]:
        """Its Arabic names: what the matcher looks for in a report."""
        return [self.name_ar, *self.aliases]

    def latin_names(self) -> list[str]:
        """Its names in Latin letters: what a user may type to find it."""
        return [n for n in (self.name_en, *self.latin) if n]


def compact(name: str) -> str:
    """A name reduced for comparison: normalised, no spaces or hyphens, no article."""
    n = norm(name).replace(" ", "").replace("-", "")
    return n[2:] if n.startswith("ال") and len(n) > 4 else n


_KM_PER_DEGREE = 6371.0 * math.pi / 180


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on the equirectangular approximation: within a country it is off by well under 1%,
    and it is several times cheaper than the haversine in the resolver's inner loops."""
    x = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(x, lat2 - lat1) * _KM_PER_DEGREE


def offset_point(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point `km` from (lat, lon) towards `bearing` (degrees from north), on the same flat
    approximation as `distance_km` (a few tens of km inside one country)."""
    rad = math.radians(bearing)
    dlat = km * math.cos(rad) / _KM_PER_DEGREE
    dlon = km * math.sin(rad) / (_KM_PER_DEGREE * math.cos(math.radians(lat + dlat / 2)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def distances_km(lats: np.ndarray, lons: np.ndarray, lat: float, lon: float) -> np.ndarray:
    """`distance_km` from one point to many at once."""
    x = (lons - lon) * np.cos(np.radians((lats + lat) / 2))
    return np.hypot(x, lats - lat) * _KM_PER_DEGREE
