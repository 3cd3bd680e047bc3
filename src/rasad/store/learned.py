"""Places that learn: a place a reviewer set for a name the gazetteer lacks (a camp, a farm, a
hamlet) is kept with the report it was set for and who set it, and written out as a user layer
(the gazetteer's user CSV) beside the store, which later extractions read like any gazetteer file and
a team can share.

Functions over a `Store` (its sessions), like store.incidents: the geo stage only ever reads the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import select
from sqlalchemy.engine import make_url

from rasad.geo.places import distance_km
from rasad.store.schema import LearnedPlaceRow

COLUMNS = ("name_ar", "name_en", "latitude", "longitude", "kind", "parent", "admin1", "aliases", "admin2",
           "article_id", "reviewer", "created_at")  # the user CSV's columns first, then where each came from
KINDS = ("community", "camp", "neighbourhood", "landmark")
SAME_PLACE_KM = 1.0  # the same name set again this close is the same place, moved


def teach(store, place: dict, reviewer: str, article_id: str | None = None) -> dict:  # store: db.Store
    """Keep a place a reviewer set (name_ar, latitude, longitude, kind; name_en, admin1, admin2, parent
    when known) and rewrite the store's layer file. The same name set again within a kilometre moves
    that place instead of adding a second. Returns the place as kept."""
    if place.get("kind") not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    with store.writing.begin() as s:
        same = [r for r in s.scalars(select(LearnedPlaceRow).where(LearnedPlaceRow.name_ar == place["name_ar"]))
                if distance_km(r.latitude, r.longitude, place["latitude"], place["longitude"]) <= SAME_PLACE_KM]
        row = same[0] if same else LearnedPlaceRow(name_ar=place["name_ar"], reviewer=reviewer)
        for key in ("name_en", "kind", "latitude", "longitude", "admin1", "admin2", "parent"):
            setattr(row, key, place.get(key))
        row.reviewer, row.article_id = reviewer, article_id
        s.add(row)
        s.flush()
        kept = _record(row)
    write_layer(store)
    return kept


def learned(store) -> list[dict]:  # store: db.Store
    """Every place reviewers set, oldest first."""
    with store.session() as s:
        return [_record(r) for r in s.scalars(select(LearnedPlaceRow).order_by(LearnedPlaceRow.id))]


def _record(r: LearnedPlaceRow) -> dict:
    return {"name_ar": r.name_ar, "name_en": r.name_en, "latitude": r.latitude, "longitude": r.longitude,
            "kind": r.kind, "parent": r.parent, "admin1": r.admin1, "admin2": r.admin2, "aliases": "",
            "article_id": r.article_id, "reviewer": r.reviewer,
            "created_at": r.created_at.isoformat() if r.created_at else None}


def as_csv(places: list[dict]) -> str:
    """The places as the gazetteer's user CSV (name_ar, name_en, latitude, longitude, kind, parent,
    admin1, aliases), with the report and reviewer of each after them."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for p in places:
        w.writerow({k: "" if p.get(k) is None else p[k] for k in COLUMNS})
    return out.getvalue()


def layer_path(db_url: str) -> Path:
    """Where a store's learned places are written as a gazetteer layer: beside a SQLite file, else in
    the user's data directory under a name made from the database's address (never in the gazetteer
    folder every store reads)."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database + ".places.csv")
    key = hashlib.sha1(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return Path(user_data_dir("rasad")) / "learned" / f"{key}.csv"


def write_layer(store) -> Path:  # store: db.Store
    """Rewrite the store's layer file from its table (written whole, then moved into place)."""
    path = layer_path(store.url)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(as_csv(learned(store)), encoding="utf-8")
    tmp.replace(path)
    return path


def existing_layer(db_url: str) -> list[str]:
    """The store's layer file as a gazetteer source, when reviewers have set any place."""
    path = layer_path(db_url)
    return [str(path)] if path.is_file() else []
