"""Resolve place mentions to locations: pick among same-name places by the report's context and
set the precision the wording implies (a town, near/part of a town, a region)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from rasad.geo.gazetteer import Gazetteer
from rasad.geo.matcher import PlaceMention, find_places, qualifies, vocab
from rasad.geo.places import Place, compact, distance_km, offset_point
from rasad.model import Location, Span
from rasad.text.normalise import Normalised, normalise

_COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
OFFSET_FROM = ("community", "neighbourhood", "landmark", "camp")  # not a road or an area: "3 كم جنوب الطريق"
BETWEEN_MAX_KM = 40  # "بين X وY" of places farther apart is no one point
TOWN_KINDS = ("community", "populated")  # OCHA's communities, GeoNames' populated places
ANCHOR_KINDS = (*TOWN_KINDS, "landmark", "camp", "neighbourhood")  # not a road or an area
SUPPORT_KM = 40  # a GeoNames-only place needs a place the report names this close
NEAR_STATED_KM = 30  # "X بريف الرابية": X's candidates this close to the named town are preferred
FAR_FROM_STATED_KM = 50  # ... and none this close means X is a place the gazetteer lacks


def _admin1_of(p: Place) -> str | None:
    return p.admin1 or (p.name_en if p.kind == "admin1" else None)


class Resolver:
    """Resolves all mentions of one text together, so each informs the others."""

    def __init__(self, gaz: Gazetteer, nv: Normalised) -> None:
        self.gaz = gaz
        self.nv = nv
        self.mentions = find_places(nv, gaz)
        self.vocab = vocab(gaz.profile)
        self._index = {id(m): i for i, m in enumerate(self.mentions)}

    def _candidates(self, m: PlaceMention) -> list[Place]:
        return [self.gaz.places[i] for i in m.pids]

    def _context_admin1(self) -> Counter:
        """Governorates the text points to: admin names, regions, and unambiguous towns."""
        c: Counter = Counter()
        for m in self.mentions:
            cands = [p for p in self._candidates(m) if not p.layer]
            a1 = {_admin1_of(p) for p in cands if _admin1_of(p)}
            if len(a1) == 1:
                weight = 2.0 if (m.area_word or m.direction or m.type_kind == "admin1") else 1.0
                c[a1.pop()] += weight
        return c

    def resolve(self) -> list[Location]:
        """Every place mention of the text, resolved, in reading order."""
        return [loc for _pos, loc in self.resolve_at()]

    def resolve_at(self) -> list[tuple[int, Location]]:
        """Every resolved place with where its phrase starts in the normalised view. Known names
        first, so that an unlisted name can be placed beside the towns they became."""
        for m in self.mentions:
            if m.known and not self._can_be_where_stated(m):
                m.known, m.pids = False, []  # "الغدير التابعة لمدينة عين الصفا": not the homonym in another governorate
        admin_ctx = self._context_admin1()
        anchors = []
        for m in self.mentions:
            cands = [p for p in self._candidates(m) if p.latitude is not None and p.kind == "community"]
            if len(cands) == 1 and not cands[0].layer:
                anchors.append((m, cands[0]))
        self._supported_only(anchors)
        resolved: dict[int, Location] = {}
        firmness: dict[int, float] = {}
        for i, m in enumerate(self.mentions):
            if m.known:
                loc = self._resolve_one(m, admin_ctx, anchors)
                if loc is not None:
                    resolved[i] = loc
        for i, m in enumerate(self.mentions):
            if not m.known:
                resolved[i], firmness[i] = self._unknown(i, self._span(m), admin_ctx, resolved)
        _same_name_same_place([(self.mentions[i], resolved[i], firmness[i]) for i in sorted(firmness)])
        self._between(resolved)
        return [(self.mentions[i].extra.get("span_start", self.mentions[i].start), resolved[i])
                for i in sorted(resolved)]

    def _supported_only(self, anchors: list) -> None:
        """A lower layer's place (GeoNames) is meant only where the report supports it: a primary
        place it names lies within SUPPORT_KM, or the phrase after the name states its governorate or
        town. Otherwise it is dropped from the candidates, and a name only such places bear is kept as
        one the gazetteer lacks, placed by the text (never thrown across the country)."""
        for m in self.mentions:
            cands = self._candidates(m)
            if not m.known or not any(p.layer for p in cands):
                continue
            stated, town = self._stated_governorate(m), self._stated_town(m)
            kept = [p for p in cands if not p.layer or p.latitude is not None and (
                any(_km(p, ap) <= SUPPORT_KM for am, ap in anchors if am is not m)
                or (town is not None and _km(p, town) <= NEAR_STATED_KM)
                or (stated is not None and town is None and p.admin1 == stated))]
            m.pids = [p.pid for p in kept]
            m.known = bool(kept)

    def _span(self, m: PlaceMention) -> Span:
        s, e = self.nv.to_original(m.start, m.end)
        return Span(s, e, self.nv.original[s:e])

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

    def _qualifier(self, m: PlaceMention, of_list: bool = True) -> PlaceMention | None:
        """The known place named right after m, or after the list m belongs to, that locates it
        ("X بريف الجولانية", "قريتي A وB بالريف الغربي لبلدة Y")."""
        i = self._index[id(m)]
        if of_list and m.list_group is not None:
            i = max(j for j, x in enumerate(self.mentions) if x.list_group == m.list_group)
        last = self.mentions[i]
        nxt = self.mentions[i + 1] if i + 1 < len(self.mentions) else None
        if nxt is None or not nxt.known:
            return None
        return nxt if qualifies(last, nxt, self.nv.text, self.vocab) else None

    def _stated_governorate(self, m: PlaceMention) -> str | None:
        q = self._qualifier(m)
        if q is None:
            return None
        cands = self._candidates(q)
        pool = [p for p in cands if p.kind in ("admin1", "admin2", "admin3")] or cands
        a1 = {_admin1_of(p) for p in pool} - {None}
        return a1.pop() if len(a1) == 1 else None

    def _stated_town(self, m: PlaceMention) -> Place | None:
        """The town (or district's town) a qualifier names, when it is not a governorate's name."""
        q = self._qualifier(m)
        if q is None:
            return None
        cands = self._candidates(q)
        if any(p.kind == "admin1" for p in cands):
            return None
        admins = [p for p in cands if p.kind in ("admin2", "admin3")]
        if admins and (q.area_word or q.type_kind in ("admin2", "admin3")):
            return self.gaz.seat(min(admins, key=lambda p: p.kind))
        towns = sorted((p for p in cands if p.kind == "community" and p.latitude is not None),
                       key=lambda p: -p.prior)
        if len(towns) == 1 or len(towns) > 1 and towns[0].prior > towns[1].prior:
            return towns[0]
        return None

    def _can_be_where_stated(self, m: PlaceMention) -> bool:
        """False when the text puts the name where the gazetteer has no place of that name: in
        another governorate, or far from the town it names beside it."""
        cands = self._candidates(m)
        stated = self._stated_governorate(m)
        governorates = {_admin1_of(p) for p in cands} - {None}
        if stated and governorates and stated not in governorates:
            return False
        town = self._stated_town(m)
        located = [p for p in cands if p.latitude is not None and p.kind == "community"]
        return town is None or not located or any(_km(p, town) <= FAR_FROM_STATED_KM for p in located)

    def _enclosing_town(self, m: PlaceMention, best: Place) -> Place | None:
        """"حي الهلالية في تل الورد": the town named right after a neighbourhood encloses it,
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
        span = self._span(m)
        cands = self._candidates(m)
        if "offset" in m.extra:  # "30 كم شمال حلب" is a point from the city, not the province
            return self._offset(m, self._best(m, cands, admin_ctx, anchors), span)
        provinces = m.extra.get("plural_places") and any(p.kind == "admin1" for p in cands)
        regional = bool(m.area_word or m.direction or m.type_kind in ("admin1", "admin2", "admin3") or provinces)
        if regional:
            region = self._region(m, cands, m.extra["word_start"], span.end)
            if region is not None:
                return region
        best = self._best(m, cands, admin_ctx, anchors)
        town = self._enclosing_town(m, best) if m.type_kind == "neighbourhood" else None
        if town is not None and best.kind != "neighbourhood":
            loc = _location(town, span, precision=2, kind="neighbourhood")
            loc.name_ar, loc.name_en = span.text, f"part of {town.name_en}"
            return loc
        precision = 2 if (regional or m.near or best.kind in ("neighbourhood", "landmark", "road", "region")) else 1
        if best.kind in ("road", "admin1", "admin2", "admin3"):
            precision = 3
        loc = _location(best, span, precision=precision, kind=best.kind)
        loc.names_area = best.kind == "community" and not m.type_kind and any(
            p.kind == "admin1" and self.gaz.seat(p) is best for p in cands)
        return loc

    def _between(self, resolved: dict[int, Location]) -> None:
        """"بين X وY": one point halfway between the two places (precision 2) in place of both, when
        both are placed and no farther apart than a strike's surroundings. As ACLED codes it, the
        place is the first one named (its name and P-code); the phrase is the evidence."""
        for i, m in enumerate(self.mentions[:-1]):
            a, b = resolved.get(i), resolved.get(i + 1)
            nxt = self.mentions[i + 1]
            if "between" not in m.extra or a is None or b is None or a.latitude is None \
                    or b.latitude is None or self.nv.text[m.end:nxt.start].strip() != "و":
                continue
            if distance_km(a.latitude, a.longitude, b.latitude, b.longitude) > BETWEEN_MAX_KM:
                continue
            m.extra["span_start"] = m.extra["between"]
            s, _ = self.nv.to_original(m.extra["between"], m.end)
            phrase = Span(s, b.span.end, self.nv.original[s:b.span.end])
            mid = replace(a, span=phrase, name_en=f"between {a.name_en} and {b.name_en}", geo_precision=2,
                          latitude=round((a.latitude + b.latitude) / 2, 6),
                          longitude=round((a.longitude + b.longitude) / 2, 6),
                          offset={"between": [a.span.text, b.span.text], "pcodes": [a.pcode, b.pcode]})
            resolved[i] = mid
            del resolved[i + 1]

    def _offset(self, m: PlaceMention, best: Place, span: Span) -> Location:
        """"على بعد 30 كم جنوب شرق X": the point that far from X that way, precision 2; the phrase is
        the span, and the distance and bearing go into the record."""
        km, bearing, word, start = m.extra["offset"]
        if best.latitude is None or best.kind not in OFFSET_FROM:
            return _location(best, span, precision=2 if best.kind == "community" else 3, kind=best.kind)
        m.extra["span_start"] = start
        s, _ = self.nv.to_original(start, m.end)
        phrase = Span(s, span.end, self.nv.original[s:span.end])
        loc = _location(best, phrase, precision=2, kind=best.kind)
        loc.name = span.text  # as ACLED codes it: the named place, precision 2, at the stated point
        loc.latitude, loc.longitude = offset_point(best.latitude, best.longitude, km, bearing)
        loc.name_en = f"{km:g} km {_COMPASS[round(bearing / 45) % 8]} of {best.name_en}"
        loc.offset = {"km": km, "bearing": bearing, "direction": word, "from": span.text}
        return loc

    def _best(self, m: PlaceMention, cands: list[Place], admin_ctx: Counter, anchors: list) -> Place:
        """The candidate the text means: in the governorate or near the town a phrase after the
        name states, else the best scored by the report's context."""
        pool = [p for p in cands if p.kind not in ("admin1", "admin2", "admin3")] or cands
        stated = self._stated_governorate(m)  # "بلدة الحميدية بريف الجولانية" outweighs the rest of the text
        if stated:
            pool = [p for p in pool if _admin1_of(p) == stated] or pool
        town = self._stated_town(m)  # "قرية الحميدية بريف الرابية": the one near the named town
        if town is not None:
            pool = [p for p in pool if _km(p, town) <= NEAR_STATED_KM] or pool
        if m.type_kind == "neighbourhood":
            pool = sorted(pool, key=lambda p: p.kind != "neighbourhood")
        best = max(pool, key=lambda p: (self._score(p, m, admin_ctx, anchors), -p.pid))
        if best.kind in ("admin2", "admin3"):
            best = self.gaz.seat(best) or best  # "كوباني" names the district's town
        return best

    def _region(self, m: PlaceMention, cands: list[Place], ws: int, e: int) -> Location | None:
        """A region phrase: a governorate's countryside or a named admin unit is a region
        (precision 3); the surroundings of a town are near that town (precision 2)."""
        admin = self._admin_for(m, cands)
        towns = [p for p in cands if p.kind == "community"]
        if admin is None or (admin.kind != "admin1" and towns and not m.type_kind):
            return None
        m.extra["span_start"] = self._region_start(m, ws)  # the phrase starts at its area word
        rs, _ = self.nv.to_original(m.extra["span_start"], m.end)
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
        """The admin unit a region phrase means: "ريف وادي النور" -> the governorate of that name."""
        admins = [p for p in cands if p.kind in ("admin1", "admin2", "admin3")]
        if m.type_kind == "admin3":
            admins = [p for p in admins if p.kind == "admin3"] or admins
        if m.type_kind == "admin2":
            admins = [p for p in admins if p.kind == "admin2"] or admins
        if admins:
            return min(admins, key=lambda p: p.kind)
        return None

    def _unknown(self, i: int, span: Span, admin_ctx: Counter,
                 resolved: dict[int, Location]) -> tuple[Location, float]:
        """A name the gazetteer lacks as written, and how firmly it is placed (lower is firmer; the
        firmest reading of a name holds for all its mentions):
        0 a close spelling of a place nearby; 1 beside the town the text ties it to or lists it with;
        2 near the district's town a region phrase after it names ("في ريف السهل"); 3 near the
        closest-written town (firmer the closer); 4 in the governorate a region phrase after it
        names ("بالا ... غرب المدينة الكبرى"); 5 in the report's governorate; 6 nowhere known."""
        m = self.mentions[i]
        nearby = [x for x in self.mentions if x.known and abs(x.start - m.start) < 160 and x is not m]
        anchor, gap = self._nearest_town(m, nearby, resolved) or (None, 0)
        fuzzy = self._fuzzy(m, anchor, admin_ctx)
        if fuzzy is not None:
            return _location(fuzzy, span, precision=1, kind="community"), 0
        loc = Location(name=span.text, name_ar=span.text, geo_precision=3, span=span,
                       kind=m.type_kind or "unknown")
        town = self._neighbour(i, resolved)
        if town is not None:
            return _near(loc, town), 1
        # a camp or neighbourhood goes by the town written beside it, not by a wider area
        area = None if m.type_kind in ("camp", "neighbourhood") and anchor else self._area_after(m, nearby)
        if area is not None and area.kind == "community":
            return _near(loc, _location(area, span, precision=2, kind="community")), 2
        if area is None and anchor is not None:
            return _near(loc, _location(anchor, span, precision=2, kind="community")), 3 + gap / 1000
        return self._in_area(loc, area, admin_ctx)

    def _in_area(self, loc: Location, area: Place | None, admin_ctx: Counter) -> tuple[Location, float]:
        """An unlisted place at the area a region phrase names (4), else in the report's governorate
        (5), else nowhere known (6)."""
        firmness = 4
        if area is None and admin_ctx:
            name = admin_ctx.most_common(1)[0][0]
            area, firmness = next((p for p in self.gaz.places if p.kind == "admin1" and _admin1_of(p) == name),
                                  None), 5  # OCHA's spelling ("Al-Hasakeh"), which name_en may not be
        if area is None:
            return loc, 6
        loc.admin1 = _admin1_of(area)
        loc.admin2 = area.admin2 if area.kind != "admin1" else None
        loc.latitude, loc.longitude = area.latitude, area.longitude
        return loc, firmness

    def _area_after(self, m: PlaceMention, nearby: list[PlaceMention]) -> Place | None:
        """The area a region phrase after the name names ("بالا ... غرب المدينة الكبرى" -> its governorate);
        a district's or sub-district's countryside is near its town ("في ريف السهل")."""
        for x in nearby:
            if x.start > m.end and (x.area_word in self.vocab.enclosing or x.direction or x.type_kind == "admin1"):
                encl = self._admin_for(x, self._candidates(x))
                if encl is not None:
                    return encl if encl.kind == "admin1" else (self.gaz.seat(encl) or encl)
        return None

    def _neighbour(self, i: int, resolved: dict[int, Location]) -> Location | None:
        """Where the text puts an unlisted place: at the town said to locate it ("X قرب مدينة Y"),
        else at the nearest-written town listed with it ("قرى A وX"), else at the town said to
        locate the whole list ("قريتي X وB بالريف الغربي لبلدة Y")."""
        m = self.mentions[i]
        own, of_list = self._qualifier(m, of_list=False), self._qualifier(m)
        siblings = [j for j, x in enumerate(self.mentions)
                    if m.list_group is not None and x.list_group == m.list_group and x.known]
        for j in ([self._index[id(own)]] if own else []) + sorted(siblings, key=lambda j: abs(j - i)) + (
                [self._index[id(of_list)]] if of_list else []):
            if _pinpoint(resolved.get(j)):
                return resolved[j]
        return None

    def _nearest_town(self, m: PlaceMention, nearby: list[PlaceMention],
                      resolved: dict[int, Location]) -> tuple[Place, int] | None:
        """The closest-written community in the same stretch of text ("قرية X بريف الرابية"), with
        how many characters away it is written: the one that name was resolved to, else its likeliest."""
        for x in sorted(nearby, key=lambda x: abs(x.start - m.start)):
            placed = [p for p in self._candidates(x) if p.latitude is not None]
            towns = [p for p in placed if p.kind in TOWN_KINDS]
            regional = ((x.area_word or x.direction or x.type_kind == "admin1")
                        and any(p.kind == "admin1" for p in self._candidates(x)))
            got = resolved.get(self._index[id(x)])
            at = (got.latitude, got.longitude) if got is not None else None
            same = [p for p in placed if (p.latitude, p.longitude) == at and p.kind in ANCHOR_KINDS]
            if (same or towns) and not regional:  # a landmark it was resolved to is a good anchor too
                return (same or sorted(towns, key=lambda p: -p.prior))[0], abs(x.start - m.start)
        return None

    def _fuzzy(self, m: PlaceMention, anchor: Place | None, admin_ctx: Counter) -> Place | None:
        """A gazetteer community spelled a little differently, near the anchor or in the governorate."""
        key = compact(m.key)
        if len(key) < 4 or (anchor is None and not admin_ctx):
            return None
        return self.gaz.close_spelling(key, anchor, None if anchor is not None else admin_ctx.most_common(1)[0][0])


def _km(a: Place, b: Place) -> float:
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _pinpoint(loc: Location | None) -> bool:
    """A located town or part of one, not a region: something an unlisted place can sit beside."""
    return (loc is not None and loc.latitude is not None and loc.geo_precision <= 2
            and loc.kind in ("community", "neighbourhood", "camp", "landmark"))


def _near(loc: Location, town: Location) -> Location:
    """An unlisted place put beside a town: the town's point and areas, precision 2."""
    loc.pcode, loc.name_en = town.pcode, f"near {town.name_en}"
    loc.admin1, loc.admin2, loc.admin3 = town.admin1, town.admin2, town.admin3
    loc.latitude, loc.longitude, loc.geo_precision = town.latitude, town.longitude, 2
    return loc


def _same_name_same_place(found: list[tuple[PlaceMention, Location, float]]) -> None:
    """An unlisted name said twice in one report is one place: every mention takes the most firmly
    placed reading ("مخيم الأمل شمالي وادي النور" ... "مخيم الأمل قرب كفر نبو")."""
    best: dict[str, tuple[float, Location]] = {}
    for m, loc, firmness in found:
        key = compact(m.key)
        if key not in best or firmness < best[key][0]:
            best[key] = (firmness, loc)
    for m, loc, _ in found:
        b = best[compact(m.key)][1]
        if b is not loc:
            for f in ("name_ar", "name_en", "pcode", "admin1", "admin2", "admin3", "latitude", "longitude",
                      "geo_precision"):
                setattr(loc, f, getattr(b, f))


def _close(a: PlaceMention, b: PlaceMention, chars: int = 250) -> bool:
    return abs(a.start - b.start) < chars


def _location(p: Place, span: Span, precision: int, kind: str) -> Location:
    return Location(
        name=span.text, name_ar=p.name_ar, name_en=p.name_en, pcode=p.pcode,
        admin1=_admin1_of(p), admin2=p.admin2 if p.kind != "admin1" else None,
        admin3=p.admin3 if p.kind not in ("admin1", "admin2") else None,
        latitude=p.latitude, longitude=p.longitude, geo_precision=precision, span=span, kind=kind,
        geonames_id=p.geonames_id,
    )


def locate(text: str, gaz: Gazetteer) -> list[Location]:
    """Every place mention in `text`, resolved, with spans into `text`."""
    return Resolver(gaz, normalise(text)).resolve()
