"""Public calls of the geo stage: rank candidates for a name, list a text's places, install data."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from rasad.geo.gazetteer import Gazetteer, data_dir
from rasad.geo.latin import is_latin
from rasad.geo.places import Place, distances_km
from rasad.geo.resolver import locate
from rasad.ingest.fetch import fetch_url
from rasad.model import Location
from rasad.profile import Profile
from rasad.text.normalise import norm

T = TypeVar("T")
_KIND_ORDER = {"community": 0, "admin1": 1, "admin2": 2, "admin3": 3, "neighbourhood": 4}


def candidates(gaz: Gazetteer, name: str) -> list[Place]:
    """Places a bare name may mean, most likely first: exact names, towns, capitals."""
    if is_latin(name):  # "Kafr Zeita", "Kobani": English names and transliterations
        close = gaz.lookup_latin(name)
        return sorted((gaz.places[i] for i in close),
                      key=lambda p: (_KIND_ORDER.get(p.kind, 5), -close[p.pid], -p.prior, p.pid))
    key = " ".join(norm(name).split())
    places = gaz.lookup(name)
    return sorted(places, key=lambda p: ((key, p.pid) in gaz.partial, _KIND_ORDER.get(p.kind, 5),
                                         -p.prior, p.pid))


_BUILT: dict[tuple[str, int], tuple[Gazetteer, Any]] = {}  # (index, id of its gazetteer) -> (it, the index)


def _for(index: str, gaz: Gazetteer, build: Callable[[Gazetteer], T]) -> T:
    """An index over a gazetteer, built once per gazetteer object (a server holds one; tests make
    many, so only a few are kept)."""
    held = _BUILT.get((index, id(gaz)))
    if held is None or held[0] is not gaz:
        if len(_BUILT) >= 8:
            _BUILT.clear()
        held = _BUILT[(index, id(gaz))] = (gaz, build(gaz))
    return held[1]


def suggest(gaz: Gazetteer, typed: str, limit: int = 20) -> list[Place]:
    """Places for an autocomplete: the name's candidates first, then places whose Arabic or English
    name (or a P-code) begins with what was typed, towns and bigger places before the rest."""
    out = {p.pid: p for p in candidates(gaz, typed)} if len(typed) >= 2 else {}
    rows, keys = _prefix_index(gaz)
    key = typed.strip().lower() if is_latin(typed) else " ".join(norm(typed).split())
    if len(key) >= 2:
        hits = [gaz.places[pid] for k, pid in rows[bisect_left(keys, key):bisect_right(keys, key + "\uffff")]]
        for p in sorted(hits, key=lambda p: (_KIND_ORDER.get(p.kind, 5), -p.prior, p.pid)):
            out.setdefault(p.pid, p)
            if len(out) >= limit * 3:
                break
    return [p for p in out.values() if p.latitude is not None][:limit]


def _prefix_index(gaz: Gazetteer) -> tuple[list[tuple[str, int]], list[str]]:
    return _for("prefixes", gaz, _prefixes)


def _prefixes(gaz: Gazetteer) -> tuple[list[tuple[str, int]], list[str]]:
    """Every (name or P-code, pid), sorted, and the names alone: what a prefix is looked up in."""
    rows = sorted({(k, pid) for k, pids in gaz.keys.items() for pid in pids}
                  | {(n.lower(), p.pid) for p in gaz.places for n in p.latin_names()}
                  | {(p.pcode.lower(), p.pid) for p in gaz.places if p.pcode})
    return rows, [k for k, _ in rows]


def _points(gaz: Gazetteer) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pids, latitudes, longitudes) of the located towns, villages and neighbourhoods."""
    located = [p for p in gaz.places if p.latitude is not None and p.kind in ("community", "neighbourhood")]
    return (np.array([p.pid for p in located], dtype=np.int64), np.array([p.latitude for p in located]),
            np.array([p.longitude for p in located]))


def nearest(gaz: Gazetteer, lat: float, lon: float, limit: int = 5) -> list[tuple[Place, float]]:
    """The gazetteer's places nearest a point picked on a map, with their distance in km: towns and
    villages (communities) and neighbourhoods, not the governorates and districts that contain it."""
    pids, lats, lons = _for("points", gaz, _points)
    if not len(pids):
        return []
    km = distances_km(lats, lons, lat, lon)
    order = np.argsort(km)[:limit]
    return [(gaz.places[int(pids[i])], round(float(km[i]), 2)) for i in order]


def place_record(p: Place) -> dict:
    return {"pcode": p.pcode, "name_ar": p.name_ar, "name_en": p.name_en, "kind": p.kind,
            "admin1": p.admin1, "admin2": p.admin2, "admin3": p.admin3,
            "latitude": p.latitude, "longitude": p.longitude, "source": p.source}


def mention_record(loc: Location) -> dict:
    rec = loc.to_record()
    rec["kind"] = loc.kind
    if loc.span:
        rec.update(start=loc.span.start, end=loc.span.end, text=loc.span.text)
    return rec


def places_in(text: str, gaz: Gazetteer) -> list[Location]:
    return locate(text, gaz)


def install(spec: str, max_bytes: int = 500 * 1024 * 1024, profile: Profile | None = None) -> list[Path]:
    """Copy a gazetteer file or folder (or download a URL, or a source the profile names: "geonames")
    into the data directory; a .zip is unpacked."""
    dest = data_dir()
    dest.mkdir(parents=True, exist_ok=True)
    named = (profile or Profile.load()).data("country.yaml").get("data_sources", {}).get(spec)
    if named is not None and not Path(spec).exists():
        url = os.environ.get(f"RASAD_{spec.upper()}_URL") or named.get("url")  # a mirror may be named
        if not url:
            raise RuntimeError(" ".join(str(named.get("note", "no URL for it")).split()))
        spec = url
    if spec.startswith(("http://", "https://")):
        body, _ = fetch_url(spec, max_bytes=max_bytes)
        name = Path(spec.split("?", 1)[0]).name or "gazetteer.json"
        if body[:2] == b"PK":
            return _unzip(body, dest, max_bytes)
        target = dest / name
        target.write_bytes(body)
        return [target]
    src = Path(spec).expanduser()
    if src.is_dir():
        out = []
        for f in sorted(src.rglob("*")):
            if f.is_file() and not f.name.startswith("."):
                target = dest / f.relative_to(src)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, target)
                out.append(target)
        return out
    if src.is_file():
        if src.suffix.lower() == ".zip":
            return _unzip(src.read_bytes(), dest, max_bytes)
        target = dest / src.name
        shutil.copyfile(src, target)
        return [target]
    raise FileNotFoundError(f"{spec}: no such file or directory")


_GAZETTEER_SUFFIXES = (".txt", ".json", ".geojson", ".csv", ".xlsx", ".topojson")


def _unzip(body: bytes, dest: Path, max_bytes: int) -> list[Path]:
    """The gazetteer files of a zip (GeoNames' SY.zip holds SY.txt and a readme), flat in dest."""
    out = []
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        for info in zf.infolist():
            name = Path(info.filename).name
            if info.is_dir() or not name.endswith(_GAZETTEER_SUFFIXES) or name.lower().startswith("readme"):
                continue
            if info.file_size > max_bytes:
                raise RuntimeError(f"{name} in the zip is over {max_bytes // 2**20} MB unpacked")
            target = dest / name
            with zf.open(info) as fh:
                target.write_bytes(fh.read())
            out.append(target)
    if not out:
        raise RuntimeError("the zip holds no gazetteer file")
    return out
