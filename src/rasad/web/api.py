"""The REST API (OpenAPI at /docs and /openapi.json)."""

from __future__ import annotations

import json
from datetime import date
from enum import Enum
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rasad.export import WRITERS, write_events
from rasad.export.geojson import geojson_feature
from rasad.geo.api import nearest, place_record, suggest
from rasad.geo.boundaries import outlines_geojson
from rasad.ingest.fields import parse_published
from rasad.link.as_events import as_event_record
from rasad.model import TAXONOMY
from rasad.store import incidents as stored_incidents
from rasad.store import learned, summaries
from rasad.store.db import Conflict, EventFilter
from rasad.web import mapdata, service
from rasad.web.deps import Services, in_write_thread, reader, services, writer

router = APIRouter(prefix="/api")


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(None, max_length=200)
    text: str | None = None
    html: str | None = None
    url: str | None = Field(None, pattern=r"^https?://")
    title: str | None = None
    published: str | None = Field(None, max_length=40)
    source: str | None = None

    @field_validator("published")
    @classmethod
    def readable_date(cls, value: str | None) -> str | None:
        return parse_published(value)  # one rule for a publication date, as ingest reads it

    @model_validator(mode="after")
    def has_content(self) -> ReportIn:
        if not (self.text or self.html or self.url):
            raise ValueError("a report needs text, html or url")
        return self


class ReportsIn(BaseModel):
    reports: list[ReportIn] = Field(..., min_length=1, max_length=500)


MAX_INT = 2**31 - 1  # figures and versions fit a 32-bit column on every database
MAX_OFFSET = 10**9


class FatalitiesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    total: int | None = Field(None, ge=0, le=MAX_INT)
    civilians: int | None = Field(None, ge=0, le=MAX_INT)
    children: int | None = Field(None, ge=0, le=MAX_INT)
    women: int | None = Field(None, ge=0, le=MAX_INT)


class EvidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str = Field(..., max_length=32)
    start: int = Field(..., ge=0, le=MAX_OFFSET)
    end: int = Field(..., ge=1, le=MAX_OFFSET)


class NewPlaceIn(BaseModel):
    """A place the gazetteer lacks, set by the reviewer: kept as a learned place for later reports."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., min_length=1, max_length=200, description="the name as the report writes it")
    name_en: str | None = Field(None, max_length=200)
    latitude: float = Field(..., ge=-90, le=90)
    longitude: float = Field(..., ge=-180, le=180)
    kind: Literal["community", "camp", "neighbourhood", "landmark"] = "community"


class EventEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    event_type: str | None = None
    sub_event_type: str | None = None
    event_date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    actor1: str | None = None
    actor2: str | None = None
    assoc_actor_1: list[str] | None = None
    assoc_actor_2: list[str] | None = None
    civilian_targeting: bool | None = None
    injured: int | None = Field(None, ge=0, le=MAX_INT)
    weapons: list[str] | None = None
    background: bool | None = None
    notes: str | None = Field(None, max_length=2000)
    fatalities: FatalitiesIn | None = None
    place: str | None = Field(None, max_length=200, description="a place name, resolved through the gazetteer")
    version: int | None = Field(None, ge=1, le=MAX_INT, description="the version read: 409 if it changed since")
    pcode: str | None = Field(None, max_length=20, description="pick this P-code among the place's candidates")
    new_place: NewPlaceIn | None = Field(None, description="a place the gazetteer lacks, with its point: "
                                         "learned for later reports (instead of place/pcode)")
    evidence: list[EvidenceIn] | None = Field(None, max_length=50,
                                              description="spans of the report's text behind the edited fields")
    reason: str | None = Field(None, max_length=2000, description="why: kept in the audit trail")

    @field_validator("event_date")
    @classmethod
    def real_day(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value)  # 2022-02-31 is no day
        return value

    @model_validator(mode="after")
    def known_type(self) -> EventEdit:
        if self.event_type and self.event_type not in TAXONOMY:
            raise ValueError(f"event_type must be one of {sorted(TAXONOMY)}")
        if self.event_type and self.sub_event_type and self.sub_event_type not in TAXONOMY[self.event_type]:
            raise ValueError(f"sub_event_type must be one of {list(TAXONOMY[self.event_type])}")
        return self

    def changes(self) -> dict:
        out = self.model_dump(exclude_unset=True)
        if self.new_place is not None:
            out["new_place"] = self.new_place.model_dump()
        if self.fatalities is not None:
            out["fatalities"] = self.fatalities.model_dump(exclude_unset=True)
        return out


class EventNew(EventEdit):
    article_id: str
    event_type: str
    sub_event_type: str


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    events: list[dict]


Svc = Annotated[Services, Depends(services)]


async def event_filter(
    since: str | None = Query(None, pattern=r"^\d{4}-\d{2}-\d{2}$"),
    until: str | None = Query(None, pattern=r"^\d{4}-\d{2}-\d{2}$"),
    admin1: str | None = None, actor: str | None = None, event_type: str | None = None,
    civilian_targeting: bool | None = None, article_id: str | None = None,
    bbox: str | None = Query(None, description="min_lon,min_lat,max_lon,max_lat"),
    include_background: bool = True,
    status: Literal["machine", "accepted", "edited", "added", "rejected"] | None = None,
    source: str | None = Query(None, max_length=100), min_fatalities: int | None = Query(None, ge=0, le=MAX_INT),
    max_fatalities: int | None = Query(None, ge=0, le=MAX_INT), max_confidence: float | None = Query(None, ge=0, le=1),
    geo_precision: int | None = Query(None, ge=1, le=3),
) -> EventFilter:
    box = None
    if bbox:
        try:
            box = tuple(float(x) for x in bbox.split(","))
        except ValueError:
            box = ()
        if len(box) != 4:
            raise HTTPException(422, "bbox must be four numbers: min_lon,min_lat,max_lon,max_lat")
    return EventFilter(since=since, until=until, admin1=admin1, actor=actor, event_type=event_type,
                       civilian_targeting=civilian_targeting, article_id=article_id, bbox=box,
                       include_background=include_background, status=status, source=source,
                       min_fatalities=min_fatalities, max_fatalities=max_fatalities, max_confidence=max_confidence,
                       geo_precision=geo_precision)


Filter = Annotated[EventFilter, Depends(event_filter)]


@router.post("/reports", status_code=201)
def post_reports(body: ReportIn | ReportsIn, svc: Svc, user: str = Depends(writer)) -> dict:
    """Take one report (text, HTML or URL) or a batch; extraction runs on each and the events are stored."""
    items = body.reports if isinstance(body, ReportsIn) else [body]
    return {"results": service.take_reports(svc, [r.model_dump() for r in items]), "by": user}


@router.get("/events", response_model=EventPage)
async def get_events(svc: Svc, f: Filter, _: str | None = Depends(reader),
                     limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                     sort: str = "event_date", descending: bool = False,
                     format: Literal["json", "geojson"] = "json") -> Response:
    """Events, filtered and paged; `format=geojson` gives a FeatureCollection. (On the event loop:
    the indexed read takes well under a millisecond and never waits for a lock, WAL on SQLite and
    MVCC on PostgreSQL; writes, which wait for locks, run in threads of their own.)"""
    if format == "geojson":
        events = svc.store.events(f, limit=limit, offset=offset, sort=sort, descending=descending)
        body = json.dumps({"type": "FeatureCollection", "features": [geojson_feature(e, svc.profile) for e in events]},
                          ensure_ascii=False)
        return Response(body, media_type="application/geo+json")
    # Records go out as the store holds them (JSON text), without a decode/encode round trip.
    rows = svc.store.events_json(f, limit=limit, offset=offset, sort=sort, descending=descending)
    total = svc.store.count_events(f)
    body = f'{{"total": {total}, "limit": {limit}, "offset": {offset}, "events": [{",".join(rows)}]}}'
    return Response(body, media_type="application/json")


@router.get("/events/{event_id}")
async def get_event(event_id: str, svc: Svc, _: str | None = Depends(reader)) -> dict:
    ev = svc.store.get_event(event_id)
    if ev is None:
        raise HTTPException(404, f"no event {event_id}")
    return ev


@router.get("/events/{event_id}/audit")
def get_audit(event_id: str, svc: Svc, _: str | None = Depends(reader)) -> list[dict]:
    return svc.store.audit(event_id)


@router.patch("/events/{event_id}")
async def patch_event(event_id: str, body: EventEdit, svc: Svc, user: str = Depends(writer)) -> dict:
    """Change the fields the body names, on the event as it is when the edit is written (another
    reviewer's change to other fields stays); with `version`, 409 if the event changed since."""
    changes = body.changes()
    version, reason = changes.pop("version", None), changes.pop("reason", None)
    current = svc.store.get_event(event_id) if changes.get("evidence") or changes.get("new_place") else None
    text = service.report_text(svc, current["article_id"]) if current and changes.get("evidence") else None
    try:
        if changes.get("new_place"):
            if current is None:
                raise KeyError(f"no event {event_id}")
            await in_write_thread(service.learn_place, svc, changes, current["article_id"], user)
        return await in_write_thread(svc.store.review, event_id, user, "edit", None,
                                     lambda rec: service.edited(svc, rec, changes, text), version, reason)
    except KeyError as exc:
        raise HTTPException(404, str(exc)) from None
    except Conflict as exc:
        raise HTTPException(409, str(exc)) from None
    except service.InvalidEdit as exc:
        raise HTTPException(422, str(exc)) from None


@router.post("/events/{event_id}/{action}")
async def review_event(event_id: str, action: Literal["accept", "reject"], svc: Svc,
                       user: str = Depends(writer)) -> dict:
    try:
        return await in_write_thread(svc.store.review, event_id, user, action)
    except KeyError as exc:
        raise HTTPException(404, str(exc)) from None


@router.post("/events", status_code=201)
def add_event(body: EventNew, svc: Svc, user: str = Depends(writer)) -> dict:
    if svc.store.get_report(body.article_id) is None:
        raise HTTPException(404, f"no report {body.article_id}")
    changes = body.changes()
    reason = changes.pop("reason", None)
    try:
        rec = service.new_event(svc, body.article_id, changes, user)
    except service.InvalidEdit as exc:
        raise HTTPException(422, str(exc)) from None
    try:
        return svc.store.review(rec["event_id"], user, "add", rec, reason=reason)
    except KeyError as exc:
        raise HTTPException(409, str(exc)) from None


@router.get("/map")
def map_markers(svc: Svc, f: Filter, _: str | None = Depends(reader), zoom: int = Query(6, ge=0, le=22),
                layer: Literal["events", "incidents"] = "events") -> Response:
    """The dashboard map's markers in `bbox` as GeoJSON: one per event (or incident) when the view
    holds at most 800, else one per grid cell (`cluster`, `count`, `killed`) about 64 pixels wide at
    `zoom`. Events take every event filter; incidents the days, governorate, perpetrator and type."""
    kind, rows = summaries.markers(svc.store, f, zoom, incidents=layer == "incidents")
    actors = svc.profile.actor_labels()
    features = [mapdata.point(r, actors) for r in rows] if kind == "points" else [mapdata.cell(*r) for r in rows]
    return Response(json.dumps({"type": "FeatureCollection", "kind": kind, "features": features},
                               ensure_ascii=False), media_type="application/geo+json")


@router.get("/boundaries")
def boundaries(svc: Svc, _: str | None = Depends(reader)) -> Response:
    """Governorate and district outlines from the gazetteer, simplified (the map's background; no tiles)."""
    paths = svc.settings.gazetteer_paths
    body = outlines_geojson(tuple(paths) if paths else None)
    return Response(body, media_type="application/geo+json", headers={"cache-control": "private, max-age=3600"})


@router.get("/incidents")
def get_incidents(svc: Svc, _: str | None = Depends(reader), since: date | None = None, until: date | None = None,
                  limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                  format: Literal["json", "geojson"] = "json") -> Response:
    """Incidents (each report's events linked by `rasad link`), by day; `format=geojson` gives a
    FeatureCollection at their most precise places, as the command line exports them."""
    records = stored_incidents.incidents(svc.store, since=since and since.isoformat(),
                                         until=until and until.isoformat(), limit=limit, offset=offset)
    if format == "geojson":  # the features `rasad link --format geojson` writes
        features = [geojson_feature(as_event_record(r), svc.profile) for r in records]
        return Response(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                        media_type="application/geo+json")
    body = {"total": stored_incidents.count_incidents(svc.store), "limit": limit, "offset": offset,
            "incidents": records}
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")


@router.get("/incidents/{incident_id}")
def get_incident(incident_id: str, svc: Svc, _: str | None = Depends(reader)) -> dict:
    rec = stored_incidents.get_incident(svc.store, incident_id)
    if rec is None:
        raise HTTPException(404, f"no incident {incident_id}")
    return rec


class IncidentReview(BaseModel):
    model_config = ConfigDict(extra="forbid")
    other: str | None = Field(None, max_length=32, description="merge: the incident merged into this one")
    event_ids: list[str] | None = Field(None, max_length=1000, description="split: the events moved out")


@router.post("/incidents/{incident_id}/{action}")
async def review_incident(incident_id: str, action: Literal["merge", "split", "confirm", "discount"],
                          svc: Svc, body: IncidentReview | None = None, user: str = Depends(writer)) -> dict:
    """A reviewer merges another incident into this one, splits events out of it, or confirms or
    discounts it; audited, and kept by later linking."""
    from rasad.process import review_incident as review

    body = body or IncidentReview()
    try:
        return await in_write_thread(review, svc.store, svc.profile, incident_id, user, action, body.other,
                                     body.event_ids)
    except KeyError as exc:
        raise HTTPException(404, str(exc).strip("'\"")) from None


@router.get("/incidents/{incident_id}/audit")
def incident_audit(incident_id: str, svc: Svc, _: str | None = Depends(reader)) -> list[dict]:
    return svc.store.audit(incident_id)


@router.get("/reports/{article_id:path}")
def get_report(article_id: str, svc: Svc, _: str | None = Depends(reader)) -> dict:
    row = svc.store.get_report(article_id)
    if row is None:
        raise HTTPException(404, f"no report {article_id}")
    events = svc.store.events(EventFilter(article_id=article_id), sort="event_date")
    spans = [{**e, "event_id": ev["event_id"]} for ev in events for e in ev.get("evidence") or []]
    return {"article_id": row.article_id, "title": row.title, "url": row.url, "published": row.published,
            "source": row.source, "text": row.raw_text, "clean_text": row.clean_text, "events": events,
            "spans": spans, "aggregates": svc.store.aggregates(article_id)}


ExportFormat = Enum("ExportFormat", {name.replace("-", "_"): name for name in WRITERS}, type=str)  # type: ignore[misc]


@router.get("/export")
def export(svc: Svc, f: Filter, _: str | None = Depends(reader),
           format: ExportFormat = "acled-csv") -> Response:  # type: ignore[assignment]
    """Stored events in any registered format (the registry names them)."""
    import tempfile

    writer = WRITERS[ExportFormat(format).value]
    events = svc.store.events(f)
    with tempfile.NamedTemporaryFile(suffix=f".{writer.extension}") as tmp:
        write_events(events, writer.name, tmp.name, svc.profile)
        data = open(tmp.name, "rb").read()
    return Response(data, media_type=writer.media_type,
                    headers={"content-disposition": f'attachment; filename="rasad-events.{writer.extension}"'})


@router.get("/places")
def places(svc: Svc, q: str = Query(..., min_length=1, max_length=100),
           _: str | None = Depends(reader)) -> list[dict]:
    """Gazetteer places for a name or the start of one (Arabic, English, P-code): the review form's
    suggestions."""
    return [place_record(p) for p in suggest(svc.gazetteer, q)]


@router.get("/places/learned")
def places_learned(svc: Svc, _: str | None = Depends(reader),
                   format: Literal["json", "csv"] = "json") -> Response:
    """The places reviewers set for names the gazetteer lacks, with the report and reviewer of each;
    `format=csv` is a gazetteer user layer a team can share (`rasad data install FILE`)."""
    places = learned.learned(svc.store)
    if format == "csv":
        return Response(learned.as_csv(places), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": 'attachment; filename="rasad-learned-places.csv"'})
    return Response(json.dumps(places, ensure_ascii=False), media_type="application/json")


@router.get("/places/near")
def places_near(svc: Svc, lat: float = Query(..., ge=-90, le=90), lon: float = Query(..., ge=-180, le=180),
                limit: int = Query(5, ge=1, le=20), _: str | None = Depends(reader)) -> list[dict]:
    """The gazetteer's towns, villages and neighbourhoods nearest a point (a place picked on the
    review form's map), nearest first, each with `distance_km`."""
    return [{**place_record(p), "distance_km": km} for p, km in nearest(svc.gazetteer, lat, lon, limit)]
