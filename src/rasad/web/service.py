"""Operations shared by the API and the pages: take reports in, review events."""

from __future__ import annotations

import hashlib

from rasad import process
from rasad.geo.api import candidates, nearest
from rasad.ingest.readers import IngestError
from rasad.model import TAXONOMY, Location
from rasad.store import learned
from rasad.web.deps import Services

EDITABLE = ("event_type", "sub_event_type", "event_date", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2",
            "civilian_targeting", "injured", "weapons", "background", "notes")


def take_reports(svc: Services, records: list[dict]) -> list[dict]:
    """Ingest, extract and store each record ({text|html|url, id, title, published, source});
    one result per record: its article id and events, or its error."""
    out = []
    for i, rec in enumerate(records, 1):
        item = process.read_record(rec, f"item {i}", svc.profile)
        if isinstance(item, IngestError):
            out.append({"item": i, "error": item.message})
            continue
        if rec.get("published") and not item.published:
            item.published = str(rec["published"])[:10]
        done = process.extract_one(item, svc.gazetteer)
        if done.error:
            out.append({"item": i, "error": done.error})
            continue
        res = process.store_one(svc.store, done)
        out.append({"item": i, "article_id": res.article_id, "status": res.status, "copy_of": res.copy_of,
                    "events": done.events})
    return out


class InvalidEdit(ValueError):
    """An edit that would leave the event outside ACLED's taxonomy (a 422 for the API and the form)."""


def _check_types(rec: dict) -> None:
    """The event type and sub-type an edit leaves must be ACLED's, the sub-type one of the type's,
    whether the edit names both or only one of them."""
    kind = rec.get("event_type")
    if kind not in TAXONOMY:
        raise InvalidEdit(f"event_type must be one of {sorted(TAXONOMY)}")
    if rec.get("sub_event_type") not in TAXONOMY[kind]:
        raise InvalidEdit(f"sub_event_type must be one of {list(TAXONOMY[kind])}")


def place_from_gazetteer(svc: Services, name: str | None, pcode: str | None = None) -> dict:
    """A location for a reviewer's place: the gazetteer place with that P-code (the name then is the
    reviewer's words for it: a camp, a farm), else the name's first candidate. A name the gazetteer
    does not know with no P-code, or a place without coordinates, is refused: an edit never erases a point."""
    cands = candidates(svc.gazetteer, name) if name else []
    chosen = _with_pcode(cands, pcode) or _with_pcode(svc.gazetteer.places, pcode) or (cands[0] if cands else None)
    if chosen is None:
        raise InvalidEdit(f"no place {name or pcode!r} in the gazetteer: pick one of the suggestions "
                          "(an Arabic or English name, or a P-code)")
    if chosen.latitude is None or chosen.longitude is None:
        raise InvalidEdit(f"the gazetteer has no coordinates for {name or pcode!r}: pick a place that has them")
    return Location(name=name or chosen.name_ar or chosen.name_en or "", name_ar=chosen.name_ar,
                    name_en=chosen.name_en, pcode=chosen.pcode, admin1=chosen.admin1, admin2=chosen.admin2,
                    admin3=chosen.admin3, latitude=chosen.latitude, longitude=chosen.longitude,
                    geo_precision=1 if chosen.kind == "community" else 3).to_record()


def learn_place(svc: Services, changes: dict, article_id: str | None, user: str) -> None:
    """A place the reviewer set for a name the gazetteer lacks (`changes["new_place"]`: name, latitude,
    longitude, kind), kept as a learned place before the edit is written (never inside the edit's
    write), so that later reports find it; the edit then places the event there."""
    new = changes.pop("new_place", None)
    if not new:
        return
    name, lat, lon = (new.get("name") or "").strip(), new.get("latitude"), new.get("longitude")
    box = svc.profile.country.map_box
    if not name or not isinstance(lat, int | float) or not isinstance(lon, int | float) \
            or not (box[1] <= lat <= box[3] and box[0] <= lon <= box[2]):
        raise InvalidEdit("a new place needs its name and a point inside the country's map")
    town = next((p for p, _km in nearest(svc.gazetteer, lat, lon, 1)), None)
    place = {"name_ar": name, "name_en": new.get("name_en"), "latitude": round(lat, 6), "longitude": round(lon, 6),
             "kind": new.get("kind") or "community", "admin1": town.admin1 if town else None,
             "admin2": town.admin2 if town else None, "parent": (town.name_ar or town.name_en) if town else None}
    try:
        kept = learned.teach(svc.store, place, user, article_id)
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    svc.relearn()
    changes["learned_location"] = Location(
        name=name, name_ar=name, name_en=kept.get("name_en"), admin1=kept["admin1"], admin2=kept["admin2"],
        latitude=kept["latitude"], longitude=kept["longitude"], geo_precision=1).to_record()


def _with_pcode(places: list, pcode: str | None):  # -> Place | None
    return next((p for p in places if p.pcode == pcode), None) if pcode else None


def edited(svc: Services, current: dict, changes: dict, text: str | None = None) -> dict:
    """The record with a reviewer's changes applied (a place by name or P-code, figures by number, a
    figure set to None is unknown again); `changes["evidence"]` spans of the report's `text` the
    reviewer selected are kept as the fields' evidence."""
    rec = {k: v for k, v in current.items() if k != "status"}
    for key in EDITABLE:
        if key in changes:
            rec[key] = changes[key]
    if changes.get("learned_location"):
        rec["location"] = changes["learned_location"]
    elif changes.get("place") or changes.get("pcode"):
        rec["location"] = place_from_gazetteer(svc, changes.get("place"), changes.get("pcode"))
    fat = dict(rec.get("fatalities") or {})
    for key in ("total", "civilians", "children", "women"):
        if key in changes.get("fatalities", {}):
            fat[key] = changes["fatalities"][key]
    rec["fatalities"] = fat
    if "event_type" in changes or "sub_event_type" in changes:
        _check_types(rec)
    if changes.get("evidence"):
        rec["evidence"] = _with_evidence(rec.get("evidence") or [], changes["evidence"], text)
    return rec


EVIDENCE_FIELDS = frozenset({"event_type", "location", "event_date", "actor1", "actor2", "fatalities", "injured",
                             "weapons", "reported_by"})


def _with_evidence(kept: list[dict], spans: list[dict], text: str | None) -> list[dict]:
    """The reviewer's spans, checked against the report's text, in place of the machine's evidence
    for the same fields."""
    if text is None:
        raise InvalidEdit("evidence needs the report's text")
    fresh = []
    for sp in spans:
        field, start, end = sp.get("field"), sp.get("start"), sp.get("end")
        if field not in EVIDENCE_FIELDS or not isinstance(start, int) or not isinstance(end, int) \
                or not 0 <= start < end <= len(text) or end - start > 500:
            raise InvalidEdit(f"evidence must be a field of {sorted(EVIDENCE_FIELDS)} and a span of the report's text")
        fresh.append({"field": field, "start": start, "end": end, "text": text[start:end]})
    fields = {e["field"] for e in fresh}
    return [e for e in kept if e["field"] not in fields] + fresh


def report_text(svc: Services, article_id: str) -> str | None:
    """The report's text as given: what evidence offsets point into."""
    row = svc.store.get_report(article_id)
    return row.raw_text if row is not None else None


def new_event(svc: Services, article_id: str, changes: dict, user: str) -> dict:
    """A missed event `user` adds to a report (at a place they set, learned first, when it is new)."""
    learn_place(svc, changes, article_id, user)
    base = {"article_id": article_id, "event_type": changes.get("event_type", ""),
            "sub_event_type": changes.get("sub_event_type", ""), "event_date": None, "date_range": None,
            "time_precision": 1, "actor1": None, "actor2": None, "assoc_actor_1": [], "assoc_actor_2": [],
            "civilian_targeting": False, "location": None, "fatalities": {}, "injured": None, "weapons": [],
            "background": False, "reported_by": [], "evidence": [], "confidence": 1.0}
    rec = edited(svc, base, changes, report_text(svc, article_id) if changes.get("evidence") else None)
    _check_types(rec)  # an added event always needs a type, named or not
    place = changes.get("place") or (changes.get("learned_location") or {}).get("name")
    key = f"{article_id}|{rec['event_type']}|{rec['sub_event_type']}|{place}|{rec['event_date']}"
    rec["event_id"] = "h" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:15]
    return rec
