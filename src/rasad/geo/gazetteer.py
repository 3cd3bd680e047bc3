"""The gazetteer: places from every configured source, merged, indexed by normalised name, cached.

Sources, in order: paths given by the caller, RASAD_GAZETTEER (paths separated by os.pathsep),
the data directory that `rasad data install` fills, and the profile's places_extra.csv. A gazetteer
is built for one profile (its place words shape the index) and carries it.
The built gazetteer is pickled in the user cache directory, keyed by the sources' sizes and
modification times, so later runs load it in a fraction of a second.
"""

from __future__ import annotations

import csv
import hashlib
import os
import pickle
import re
import warnings
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from platformdirs import user_cache_dir, user_data_dir
from rapidfuzz import fuzz, process

from rasad.geo.latin import LatinIndex, is_latin
from rasad.geo.loaders import load_path
from rasad.geo.places import KINDS_ADMIN, Place, compact, distance_km, distances_km
from rasad.lang.ar.morphology import readings
from rasad.lang.ar.words import alternation
from rasad.profile import Country, Profile
from rasad.text.normalise import norm
from rasad.text.phrases import PhraseMatcher

CACHE_VERSION = "17"
FUZZY_CUTOFF = 85  # the least rapidfuzz ratio at which a name is a close spelling of a community's
FUZZY_MEMO_MAX = 100_000  # close-spelling lookups remembered before the memo starts again
FUZZY_NEAR_MAX = 2_000  # towns whose surrounding names are kept
_AL = "ال"


NO_GAZETTEER = ("no gazetteer installed: only the profile's own places are known, so most events get no "
                "coordinates. Install one: rasad data install PATH (OCHA's files from data.humdata.org) and "
                "rasad data install geonames; or pass --gazetteer PATH / set RASAD_GAZETTEER")


class GazetteerWarning(UserWarning):
    """The gazetteer has only the profile's own places."""


def data_dir() -> Path:
    return Path(os.environ.get("RASAD_DATA_DIR") or user_data_dir("rasad")) / "gazetteer"


def source_paths(extra: list[str] | None = None, profile: Profile | None = None,
                 layers: list[str] | None = None) -> list[Path]:
    """Gazetteer files from arguments, RASAD_GAZETTEER, the data directory and the profile, then
    `layers` (files read whatever the sources: a store's learned places)."""
    specs = list(extra or [])
    env = os.environ.get("RASAD_GAZETTEER")
    if env:
        specs += [s for s in env.split(os.pathsep) if s]
    if extra is None and not env and data_dir().is_dir():
        specs.append(str(data_dir()))
    files: list[Path] = []
    for spec in specs:
        p = Path(spec).expanduser()
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        elif p.is_file():
            files.append(p)
    extra_csv = (profile or Profile.load()).path("places_extra.csv")
    if extra_csv.is_file():
        files.append(extra_csv)
    return files + [Path(p) for p in layers or [] if Path(p).is_file()]


def place_words(profile: Profile) -> dict:
    """places.yaml: the words around place names."""
    return profile.data("places.yaml")


@lru_cache(maxsize=8)
def ambiguous_names(profile: Profile) -> frozenset[str]:
    from rasad.text.lexicon import calendar_words, number_words

    names = {norm(x) for x in profile.lines("ambiguous_places.txt")}
    for words in place_words(profile)["type_words"].values():  # "بقرية" is not the village called "قرية"
        for w in words:
            names.update(norm(c + w) for c in ("", "ب", "و", "ل", "ف", "وب"))
    for w in calendar_words() | number_words():
        names.add(w)
        names.add(_AL + w if not w.startswith(_AL) else w)
    return frozenset(names)


@dataclass
class Gazetteer:
    places: list[Place]
    profile: Profile = field(default_factory=Profile.load)
    keys: dict[str, list[int]] = field(default_factory=dict)  # normalised key -> place ids
    weak_keys: frozenset[str] = frozenset()  # keys only reached by adding "ال": need place context
    partial: frozenset[tuple[str, int]] = frozenset()  # (key, place id) from a shortened name
    admin_by_name: dict[str, list[int]] = field(default_factory=dict)
    _matcher: PhraseMatcher | None = None
    _fuzzy: list | None = None
    _fuzzy_by_admin1: dict | None = None
    _seats: dict | None = None
    # (compact unknown name, where it was looked for) -> the community it spells, or None (bounded)
    fuzzy_memo: dict = field(default_factory=dict, repr=False)
    _fuzzy_near: dict = field(default_factory=dict, repr=False)  # (town pid, km) -> names around it
    _latin: LatinIndex | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.keys:
            self._index()

    # ---- building ----------------------------------------------------------------------------
    def _index(self) -> None:
        shapes = name_shapes(self.profile)
        prefixes = shapes.prefixes
        keys: dict[str, set[int]] = defaultdict(set)
        with_article: dict[str, set[int]] = defaultdict(set)
        partial: set[tuple[str, int]] = set()
        for place in self.places:
            for name in place.names():
                for key in name_variants(name, shapes):
                    keys[key].add(place.pid)
                    if not key.startswith(_AL) and " " not in key and len(key) >= 3:
                        # "الجبين" in reports, "جبين" in the gazetteer.
                        with_article[_AL + key].add(place.pid)
                for key in shortened_names(name, place, shapes):
                    key = shapes.type_prefix.sub("", key)
                    if key in prefixes:
                        continue  # "ناحية عين الشرقية" shortened is not a place called "عين"
                    keys[key].add(place.pid)
                    partial.add((key, place.pid))
        self.weak_keys = frozenset(k for k in with_article if k not in keys)
        for k, pids in with_article.items():
            keys[k] |= pids
            partial.update((k, p) for p in pids)
        self.keys = {k: sorted(v) for k, v in keys.items()}
        self.partial = frozenset(partial)
        admin = defaultdict(list)
        for p in self.places:
            if p.kind in KINDS_ADMIN:
                for name in p.names():
                    admin[norm(name)].append(p.pid)
        self.admin_by_name = dict(admin)

    @property
    def matcher(self) -> PhraseMatcher:
        if self._matcher is None:
            self._matcher = PhraseMatcher(((k, k) for k in self.keys), normalised=True)
        return self._matcher

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_matcher"] = None
        state["_fuzzy"] = None
        state["_fuzzy_by_admin1"] = None
        state["_seats"] = None
        state["fuzzy_memo"] = {}
        state["_fuzzy_near"] = {}
        return state

    # ---- lookup ------------------------------------------------------------------------------
    def lookup(self, name: str) -> list[Place]:
        """Places whose name (or a spelling variant, clitics stripped) is `name`."""
        key = " ".join(norm(name).split())
        for cand in strip_clitics(key):
            pids = self.keys.get(cand) or self.keys.get(cand.replace(" ", ""))
            if pids:
                return [self.places[i] for i in pids]
        return []

    def lookup_latin(self, name: str) -> dict[int, float]:
        """Places (by id) whose English name or a Latin alias is `name` or a close transliteration of
        it, with the closeness of the spelling (100: the same)."""
        if self._latin is None:
            self._latin = LatinIndex((n, p.pid) for p in self.places for n in p.latin_names())
        return self._latin.find(name)

    @property
    def fuzzy_names(self) -> tuple[list[tuple[str, int, str | None]], np.ndarray, np.ndarray]:
        """Every community name part as (compact name, place id, admin1), with latitude and longitude
        arrays alongside for a quick box search: for spellings the index lacks."""
        if self._fuzzy is None:
            rows = [(compact(part), p.pid, p.admin1, p.latitude, p.longitude)
                    for p in self.places if p.kind == "community" and p.latitude is not None
                    for name in p.names() for part in re.split(r"[_/]", name) if part.strip()]
            self._fuzzy = ([r[:3] for r in rows], np.array([r[3] for r in rows]), np.array([r[4] for r in rows]))
        return self._fuzzy

    def close_spelling(self, key: str, anchor: Place | None, admin1: str | None = None) -> Place | None:
        """The community whose name `key` (compact) spells a little differently: one within 40 km of
        the anchor town, else in governorate `admin1`. Remembered: reports repeat their villages."""
        where = ("near", anchor.pid) if anchor is not None else ("in", admin1)
        pid = _remembered(self.fuzzy_memo, (key, where), FUZZY_MEMO_MAX, lambda: self._close_pid(key, anchor, admin1))
        return None if pid is None else self.places[pid]

    def _close_pid(self, key: str, anchor: Place | None, admin1: str | None) -> int | None:
        choices = self.fuzzy_names_near(anchor) if anchor is not None else self.fuzzy_names_in(admin1 or "")
        best = process.extractOne(key, [n for n, _ in choices], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return choices[best[2]][1] if best else None

    def fuzzy_names_near(self, anchor: Place, km: float = 40) -> list[tuple[str, int]]:
        """The fuzzy-match names of the communities within `km` of a town, as (compact name, place
        id); kept per town, since the unlisted villages of a report sit around a few towns."""
        def around() -> list[tuple[str, int]]:
            names, lats, lons = self.fuzzy_names
            near = np.flatnonzero(distances_km(lats, lons, anchor.latitude, anchor.longitude) < km)
            return [names[i][:2] for i in near]

        return _remembered(self._fuzzy_near, (anchor.pid, km), FUZZY_NEAR_MAX, around)

    def fuzzy_names_in(self, admin1: str) -> list[tuple[str, int]]:
        """The fuzzy-match names of one governorate's communities as (compact name, place id)."""
        if self._fuzzy_by_admin1 is None:
            by: dict[str | None, list[tuple[str, int]]] = defaultdict(list)
            for name, pid, a1 in self.fuzzy_names[0]:
                by[a1].append((name, pid))
            self._fuzzy_by_admin1 = dict(by)
        return self._fuzzy_by_admin1.get(admin1, [])

    def seat(self, admin: Place) -> Place | None:
        """The town an admin unit is named after and governed from (its capital community)."""
        if admin.kind not in KINDS_ADMIN:
            return None
        if self._seats is None:
            seats: dict[tuple, Place] = {}
            for p in self.places:
                if p.kind == "community" and p.prior > 0:
                    for level in KINDS_ADMIN:  # admin1 / admin2 / admin3 name on each community
                        key = (level, getattr(p, level), p.admin1)
                        if key not in seats or p.prior > seats[key].prior:
                            seats[key] = p
            self._seats = seats
        return self._seats.get((admin.kind, getattr(admin, admin.kind) or admin.name_en, admin.admin1))



_MISSING = object()


def _remembered(memo: dict, key: object, limit: int, make: Callable[[], Any]) -> Any:
    """memo[key], made once; the memo starts again when it holds `limit` entries, so a long batch
    keeps flat memory."""
    value = memo.get(key, _MISSING)
    if value is _MISSING:
        if len(memo) >= limit:
            memo.clear()
        value = memo[key] = make()
    return value


@dataclass(frozen=True)
class NameShapes:
    """How the profile's gazetteer writes names (places.yaml): compound prefixes written glued or
    apart, type words before a name, size and direction words after it."""

    prefixes: list[str]  # longest first
    type_prefix: re.Pattern[str]
    qualifiers: frozenset[str]


@lru_cache(maxsize=8)
def name_shapes(profile: Profile) -> NameShapes:
    w = place_words(profile)
    types = alternation(w.get("name_type_prefixes", [])) or "(?!)"  # no type words: a prefix never matches
    return NameShapes(sorted((norm(p) for p in w["compound_prefixes"]), key=len, reverse=True),
                      re.compile(rf"^({types}) "), frozenset(norm(q) for q in w.get("name_qualifiers", [])))


def name_variants(name: str, shapes: NameShapes) -> set[str]:
    """Normalised keys for a name: as written, with spaces removed, and a glued compound split.
    A leading type word ("محافظة وادي النور") is dropped: the matcher reads it as context."""
    key = " ".join(norm(name).split())
    key = re.sub(r"[\"'()]", "", key).strip()
    key = shapes.type_prefix.sub("", key)
    if len(key) < 2:
        return set()
    out = {key}
    glued = key.replace(" ", "")
    out.add(glued)
    split = _split_compound(glued, shapes.prefixes)
    if split:
        out.update((split, split.replace(" ", "")))
    return out


def _split_compound(glued: str, prefixes: list[str]) -> str | None:
    """"كفرنبو" -> "كفر نبو"; a construct ة is written ت when glued: "معرتنبو" -> "معره نبو"."""
    for pre in prefixes:
        forms = (pre, pre[:-1] + "ت") if pre.endswith("ه") else (pre,)
        for form in forms:
            if glued.startswith(form) and len(glued) - len(form) >= 3:
                return f"{pre} {glued[len(form):]}"
    return None


def shortened_names(name: str, place: Place, shapes: NameShapes) -> set[str]:
    """Shorter names reports use for an OCHA name: the parts of "معارة النعسان_معارة الحاسك", and the
    name without a size or direction word ("عرب حسن كبير") or its district ("مريمين الزيتونة")."""
    out: set[str] = set()
    parts = [p for p in re.split(r"\s*[_/]\s*|\s+-\s*|-\s+", name) if p.strip()]
    if len(parts) > 1:
        out.update(" ".join(norm(p).split()) for p in parts)
    words = " ".join(norm(parts[0] if parts else name).split()).split(" ")
    admin_words = {norm(a) for a in (place.admin1_ar, place.admin2_ar, place.admin3_ar) if a}
    if len(words) >= 2 and (words[-1] in shapes.qualifiers or words[-1] in admin_words):
        out.add(" ".join(words[:-1]))
    return {k for k in out if len(k.replace(" ", "")) >= 3}


def strip_clitics(word: str) -> list[str]:
    """The word and its readings with a proclitic removed (longest first)."""
    return readings(word, rare=True, min_rest=3)


def identity(paths: list[str] | None = None, profile: Profile | None = None) -> str:
    """What `load` would read, as a short hash: the same identity, the same gazetteer and profile."""
    profile = profile or Profile.load()
    return _fingerprint(source_paths(paths, profile), profile)


def _fingerprint(files: list[Path], profile: Profile) -> str:
    h = hashlib.sha1(CACHE_VERSION.encode())
    h.update(str(profile.folder).encode())
    for f in files + profile.fingerprint_files():
        st = f.stat()
        h.update(f"{f.resolve()}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


def build(files: list[Path], profile: Profile | None = None) -> Gazetteer:
    """Read, merge and index the given files for a profile."""
    profile = profile or Profile.load()
    raw: list[Place] = []
    for f in files:
        raw.extend(load_path(f))
    places = [p for p in merge(raw, profile.country) if not (p.layer and _generic(p.name_ar, profile))]
    for i, p in enumerate(places):
        p.pid = i
    add_aliases(places, profile_aliases(profile))
    return Gazetteer(places, profile)


def _generic(name: str, profile: Profile) -> bool:
    """A lower layer's name that is a word around place names or a common word ("مدينة", "قرى",
    "محطة"): GeoNames has such records; a report's word is never taken for them."""
    return compact(name) in _generic_words(profile)


@lru_cache(maxsize=8)
def _generic_words(profile: Profile) -> frozenset[str]:
    from rasad.lang.ar.words import stop_words

    words: set[str] = set(ambiguous_names(profile)) | {norm(w) for w in stop_words()}
    for value in place_words(profile).values():
        words.update(norm(w) for w in _words_of(value))
    return frozenset(compact(w) for w in words)


def _words_of(value: object) -> list[str]:
    """The words of one places.yaml entry: a list, lists by kind, or words with their bearings."""
    if isinstance(value, list):
        return [w for w in value if isinstance(w, str)]
    if isinstance(value, dict):
        return [w for k, v in value.items() for w in (_words_of(v) if isinstance(v, list) else [str(k)])]
    return []


def profile_aliases(profile: Profile) -> list[tuple[str, str]]:
    """place_aliases.csv: (alternate name, P-code) rows: Kurdish, former and common spellings."""
    path = profile.path("place_aliases.csv")
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [(row["alias"].strip(), row["pcode"].strip()) for row in csv.DictReader(f)
                if (row.get("alias") or "").strip() and (row.get("pcode") or "").strip()]


def add_aliases(places: list[Place], aliases: list[tuple[str, str]]) -> None:
    """Give each alias to the place of its P-code (Arabic names to the matcher, Latin ones to search);
    a P-code this gazetteer lacks is passed over."""
    by_pcode = {p.pcode: p for p in places if p.pcode}
    for alias, pcode in aliases:
        place = by_pcode.get(pcode)
        if place is None:
            continue
        names = place.latin if is_latin(alias) else place.aliases
        if alias not in names and norm(alias) != norm(place.name_ar):
            names.append(alias)


def merge(raw: list[Place], country: Country) -> list[Place]:
    """One place per P-code (admin units come from several sources); others kept as they are."""
    by_pcode: dict[str, Place] = {}
    out: list[Place] = []
    for p in raw:
        if p.pcode and p.pcode in by_pcode:
            keep = by_pcode[p.pcode]
            for attr in ("name_ar", "name_en", "admin1", "admin2", "admin3", "admin1_ar", "admin2_ar",
                         "latitude", "longitude", "parent"):
                if getattr(keep, attr) in (None, "") and getattr(p, attr) not in (None, ""):
                    setattr(keep, attr, getattr(p, attr))
            keep.aliases = list(dict.fromkeys(keep.aliases + [p.name_ar] + p.aliases))
            continue
        if p.pcode:
            by_pcode[p.pcode] = p
        out.append(p)
    _fill_admin_names(out, by_pcode, country)
    out = _fold_layers(out, by_pcode)
    for i, p in enumerate(out):
        p.pid = i
        p.aliases = [a for a in dict.fromkeys(p.aliases) if a and norm(a) != norm(p.name_ar)]
    return out


TWIN_KM = 5  # a lower layer's place this close to a primary place of the same name is that place


def _fold_layers(places: list[Place], by_pcode: dict[str, Place]) -> list[Place]:
    """A lower layer's place (GeoNames) that a primary place (OCHA) already lists, same name within a
    few km, is that one place with both ids (not with the other layer's alternate names: GeoNames
    gives some towns generic ones such as "مدينة"); the rest stay, named in the primary layer's admin
    terms."""
    primary: dict[str, list[Place]] = defaultdict(list)
    for p in places:
        if p.layer == 0 and p.kind == "community" and p.latitude is not None:
            for n in p.names():
                primary[compact(n)].append(p)
    out = []
    for p in places:
        if p.layer:
            for attr in ("admin1", "admin2"):  # codes ("SY07"): named as the primary layer names them
                unit = by_pcode.get(getattr(p, attr) or "")
                setattr(p, attr, (getattr(unit, attr) or unit.name_en) if unit else None)
            twin = _twin(p, primary) if p.latitude is not None else None
            if twin is not None:
                twin.geonames_id = twin.geonames_id or p.geonames_id
                continue
        out.append(p)
    return out


def _twin(p: Place, primary: dict[str, list[Place]]) -> Place | None:
    for n in p.names():
        for q in primary.get(compact(n), ()):
            if distance_km(q.latitude, q.longitude, p.latitude, p.longitude) <= TWIN_KM:
                return q
    return None


def _fill_admin_names(places: list[Place], by_pcode: dict[str, Place], country: Country) -> None:
    for p in places:
        if p.kind in KINDS_ADMIN and p.pcode:
            a1 = by_pcode.get(country.admin_pcode(p.pcode, 1))
            a2 = by_pcode.get(country.admin_pcode(p.pcode, 2))
            if a1 and not p.admin1:
                p.admin1 = a1.name_en
            if a2 and p.kind != "admin1" and not p.admin2:
                p.admin2 = a2.name_en


_LOADED: dict[str, Gazetteer] = {}
LOADED_MAX = 6


def load(paths: list[str] | None = None, use_cache: bool = True, profile: Profile | None = None,
         layers: list[str] | None = None) -> Gazetteer:
    """The gazetteer for these sources and profile (and `layers`, read whatever the sources: a store's
    learned places), from memory, the disk cache, or built afresh."""
    profile = profile or Profile.load()
    files = source_paths(paths, profile, layers)
    if all(f.parent == profile.folder or str(f) in (layers or []) for f in files):
        warnings.warn(NO_GAZETTEER, GazetteerWarning, stacklevel=2)
    fp = _fingerprint(files, profile)
    if fp in _LOADED:
        return _LOADED[fp]
    use_cache = use_cache and not layers  # a layer reviewers rewrite would leave a stale cache file per change
    cache = Path(os.environ.get("RASAD_CACHE_DIR") or user_cache_dir("rasad")) / f"gazetteer-{fp}.pickle"
    gaz = None
    if use_cache and cache.exists():
        try:
            gaz = pickle.loads(cache.read_bytes())
        except Exception:  # a stale or broken cache is rebuilt
            gaz = None
    if gaz is None:
        gaz = build(files, profile)
        if use_cache:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(gaz, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(cache)
    if len(_LOADED) >= LOADED_MAX:  # a server relearning places keeps the newest, not every one it built
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[fp] = gaz
    return gaz
