"""Resolve place mentions to locations: pick among same-name places by the report's context and
set the precision the wording implies (a town, near/part of a town, a region)."""

from __future__ import annotations

from collections import Counter

import numpy as np
from rapidfuzz import fuzz, process

from rasad.geo.gazetteer import Gazetteer
from rasad.geo.matcher import PlaceMention, find_places
from rasad.geo.places import Place, compact, distance_km
from rasad.model import Location, Span
from rasad.text.normalise import Normalised, normalise

FUZZY_CUTOFF = 85
ENCLOSING_AREAS = frozenset({"ريف", "ارياف", "ريفي", "باديه"})  # not "محيط": around a town, not enclosing


def _admin1_of(p: Place) -> str | None:
    return p.admin1 or (p.name_en if p.kind == "admin1" else None)


class Resolver:
    """Resolves all mentions of one text together, so each informs the others."""

    def __init__(self, gaz: Gazetteer, nv: Normalised) -> None:
        self.gaz = gaz
        self.nv = nv
        self.mentions = find_places(nv, gaz)

    def _candidates(self, m: PlaceMention) -> list[Place]:
        return [self.gaz.places[i] for i in m.pids]

    def _context_admin1(self) -> Counter:
        """Governorates the text points to: admin names, regions, and unambiguous towns."""
        c: Counter = Counter()
        for m in self.mentions:
            cands = self._candidates(m)
            a1 = {_admin1_of(p) for p in cands if _admin1_of(p)}
            if len(a1) == 1:
                weight = 2.0 if (m.area_word or m.direction or m.type_kind == "admin1") else 1.0
                c[a1.pop()] += weight
        return c

    def resolve(self) -> list[Location]:
        admin_ctx = self._context_admin1()
        anchors = []
        for m in self.mentions:
            cands = [p for p in self._candidates(m) if p.latitude is not None and p.kind == "community"]
            if len(cands) == 1:
                anchors.append((m, cands[0]))
        out = []
        for m in self.mentions:
            loc = self._resolve_one(m, admin_ctx, anchors)
            if loc is not None:
                out.append(loc)
        return out

    def _score(self, p: Place, m: PlaceMention, admin_ctx: Counter, anchors: list) -> float:
        score = p.prior
        a1 = _admin1_of(p)
        if a1:
            score += 1.5 * admin_ctx.get(a1, 0)
            # The governorate of places named close by counts most.
            score += 3.0 * len({ap.pid for am, ap in anchors if ap.admin1 == a1 and _close(am, m)})
        if p.latitude is not None:
            # Nearness to other places the report names; big cities say little about a village.
            for ap in {ap.pid: ap for am, ap in anchors if am is not m and ap.prior < 3}.values():
                if ap.pid == p.pid:
                    continue
                d = distance_km(p.latitude, p.longitude, ap.latitude, ap.longitude)
                score += 2.0 if d < 15 else 1.0 if d < 40 else 0.0
        if p.kind == "community":
            score += 0.5
        if (m.key, p.pid) in self.gaz.partial:
            score -= 1.0  # an exact name beats a shortened one
        return score

    def _enclosing_town(self, m: PlaceMention, best: Place) -> Place | None:
        """"حي الهلالية في القامشلي": the town named right after a neighbourhood encloses it,
        unless the gazetteer's homonym is already inside that town."""
        nxt = next((x for x in self.mentions if x.known and 0 < x.start - m.end < 40), None)
        if nxt is None:
            return None
        towns = [p for p in self._candidates(nxt) if p.kind == "community" and p.latitude is not None]
        if not towns:
            return None
        town = max(towns, key=lambda p: p.prior)
        if best.latitude is not None and distance_km(best.latitude, best.longitude,
                                                     town.latitude, town.longitude) < 10:
            return None
        return town

    def _resolve_one(self, m: PlaceMention, admin_ctx: Counter, anchors: list) -> Location | None:
        s, e = self.nv.to_original(m.start, m.end)
        region_start = m.extra["word_start"]
        name_text = self.nv.original[s:e]
        span = Span(s, e, name_text)
        if not m.known:
            return self._unknown(m, span, admin_ctx)
        cands = self._candidates(m)
        provinces = m.extra.get("plural_places") and any(p.kind == "admin1" for p in cands)
        regional = bool(m.area_word or m.direction or m.type_kind in ("admin1", "admin2", "admin3") or provinces)
        if regional:
            region = self._region(m, cands, region_start, e)
            if region is not None:
                return region
        pool = [p for p in cands if p.kind not in ("admin1", "admin2", "admin3")] or cands
        if m.type_kind == "neighbourhood":
            pool = sorted(pool, key=lambda p: p.kind != "neighbourhood")
        best = max(pool, key=lambda p: (self._score(p, m, admin_ctx, anchors), -p.pid))
        if best.kind in ("admin2", "admin3"):
            best = self.gaz.seat(best) or best  # "كوباني" names the district's town
        town = self._enclosing_town(m, best) if m.type_kind == "neighbourhood" else None
        if town is not None and best.kind != "neighbourhood":
            loc = _location(town, span, precision=2, kind="neighbourhood")
            loc.name_ar, loc.name_en = span.text, f"part of {town.name_en}"
            return loc
        precision = 2 if (regional or m.near or best.kind in ("neighbourhood", "landmark", "road", "region")) else 1
        if best.kind in ("road", "admin1", "admin2", "admin3"):
            precision = 3
        return _location(best, span, precision=precision, kind=best.kind)

    def _region(self, m: PlaceMention, cands: list[Place], ws: int, e: int) -> Location | None:
        """A region phrase: a governorate's countryside or a named admin unit is a region
        (precision 3); the surroundings of a town are near that town (precision 2)."""
        admin = self._admin_for(m, cands)
        towns = [p for p in cands if p.kind == "community"]
        if admin is None or (admin.kind != "admin1" and towns and not m.type_kind):
            return None
        rs, _ = self.nv.to_original(self._region_start(m, ws), m.end)
        if "after_end" in m.extra:
            _, e = self.nv.to_original(m.start, m.extra["after_end"])
        return _location(admin, Span(rs, e, self.nv.original[rs:e]), precision=3, kind="region")

    def _region_start(self, m: PlaceMention, ws: int) -> int:
        text = self.nv.text
        for word in (m.direction, m.area_word, m.type_word):
            if word:
                pos = text.rfind(word, max(0, ws - 40), ws)
                if pos >= 0:
                    return pos
        return m.start  # no marker word before the name: the phrase is the name, without its proclitic

    def _admin_for(self, m: PlaceMention, cands: list[Place]) -> Place | None:
        """The admin unit a region phrase means: "ريف إدلب" -> Idleb governorate."""
        admins = [p for p in cands if p.kind in ("admin1", "admin2", "admin3")]
        if m.type_kind == "admin3":
            admins = [p for p in admins if p.kind == "admin3"] or admins
        if m.type_kind == "admin2":
            admins = [p for p in admins if p.kind == "admin2"] or admins
        if admins:
            return min(admins, key=lambda p: p.kind)
        return None

    def _unknown(self, m: PlaceMention, span: Span, admin_ctx: Counter) -> Location:
        """A name the gazetteer lacks as written: a close spelling of a place nearby, else the
        name with the nearest enclosing area the text gives ("بالا ... غرب حلب" -> Aleppo)."""
        nearby = [x for x in self.mentions if x.known and abs(x.start - m.start) < 160 and x is not m]
        after = [x for x in nearby if x.start > m.end]
        anchor = self._nearest_town(m, nearby)
        fuzzy = self._fuzzy(m, anchor, admin_ctx)
        if fuzzy is not None:
            return _location(fuzzy, span, precision=1, kind="community")
        loc = Location(name=span.text, name_ar=span.text, geo_precision=3, span=span,
                       kind=m.type_kind or "unknown")
        encl: Place | None = None
        for x in after:  # "بالا ... غرب حلب": a region phrase after the name encloses it
            if m.type_kind in ("camp", "neighbourhood") and anchor is not None:
                break  # a camp or neighbourhood is placed by the town named beside it
            if x.area_word in ENCLOSING_AREAS or x.direction or x.type_kind == "admin1":
                encl = self._admin_for(x, self._candidates(x))
                if encl and encl.kind != "admin1":  # "في ريف جرابلس": near the district's town
                    town = self.gaz.seat(encl)
                    if town is not None:
                        encl, loc.geo_precision = town, 2
                        loc.pcode, loc.admin3, loc.name_en = town.pcode, town.admin3, f"near {town.name_en}"
                if encl:
                    break
        if encl is None and anchor is not None:
            encl = anchor
            loc.geo_precision = 2
            loc.pcode, loc.admin3, loc.name_en = anchor.pcode, anchor.admin3, f"near {anchor.name_en}"
        if encl is None and admin_ctx:
            name = admin_ctx.most_common(1)[0][0]
            encl = next((p for p in self.gaz.places if p.kind == "admin1" and p.name_en == name), None)
        if encl is not None:
            loc.admin1 = _admin1_of(encl)
            loc.admin2 = encl.admin2 if encl.kind != "admin1" else None
            loc.latitude, loc.longitude = encl.latitude, encl.longitude
        return loc

    def _nearest_town(self, m: PlaceMention, nearby: list[PlaceMention]) -> Place | None:
        """The closest-written community in the same stretch of text ("قرية X بريف منبج")."""
        for x in sorted(nearby, key=lambda x: abs(x.start - m.start)):
            towns = [p for p in self._candidates(x) if p.kind == "community" and p.latitude is not None]
            regional = (x.area_word or x.direction) and any(p.kind == "admin1" for p in self._candidates(x))
            if towns and not regional:
                return max(towns, key=lambda p: p.prior)
        return None

    def _fuzzy(self, m: PlaceMention, anchor: Place | None, admin_ctx: Counter) -> Place | None:
        """A gazetteer community spelled a little differently, near the anchor or in the governorate."""
        if len(compact(m.key)) < 4:
            return None
        names, lats, lons = self.gaz.fuzzy_names
        if anchor is not None:
            box = np.flatnonzero((np.abs(lats - anchor.latitude) < 0.4) & (np.abs(lons - anchor.longitude) < 0.5))
            choices = [names[i][:2] for i in box
                       if distance_km(lats[i], lons[i], anchor.latitude, anchor.longitude) < 40]
        elif admin_ctx:
            top = admin_ctx.most_common(1)[0][0]
            choices = [(n, pid) for n, pid, a1 in names if a1 == top]
        else:
            return None
        best = process.extractOne(compact(m.key), [n for n, _ in choices], scorer=fuzz.ratio,
                                  score_cutoff=FUZZY_CUTOFF)
        return self.gaz.places[choices[best[2]][1]] if best else None


def _close(a: PlaceMention, b: PlaceMention, chars: int = 250) -> bool:
    return abs(a.start - b.start) < chars


def _location(p: Place, span: Span, precision: int, kind: str) -> Location:
    return Location(
        name=span.text, name_ar=p.name_ar, name_en=p.name_en, pcode=p.pcode,
        admin1=_admin1_of(p), admin2=p.admin2 if p.kind != "admin1" else None,
        admin3=p.admin3 if p.kind not in ("admin1", "admin2") else None,
        latitude=p.latitude, longitude=p.longitude, geo_precision=precision, span=span, kind=kind,
    )


def locate(text: str, gaz: Gazetteer) -> list[Location]:
    """Every place mention in `text`, resolved, with spans into `text`."""
    return Resolver(gaz, normalise(text)).resolve()
