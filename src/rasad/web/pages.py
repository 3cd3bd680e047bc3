"""Server-rendered pages: dashboard, event table, report with highlighted evidence, review forms."""

from __future__ import annotations

import hmac
import json
import secrets
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from rasad.export import WRITERS
from rasad.geo.api import suggest
from rasad.geo.boundaries import admin1_names
from rasad.ingest.fields import web_url
from rasad.model import TAXONOMY
from rasad.store import incidents as stored_incidents
from rasad.store import summaries
from rasad.store.db import ROLES, SESSION_HOURS, SORTABLE, EventFilter
from rasad.web import drawing, service
from rasad.web.deps import (
    WRITING_ROLES,
    Services,
    admin,
    csrf_token,
    in_write_thread,
    reader,
    same_origin,
    services,
    session_token,
    writer,
)

MAX_PAGE = 10**6  # far past any table's end, and an offset every database takes
router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters["http_url"] = lambda url: url if web_url(url) else None  # only http(s) is ever a link
Svc = Annotated[Services, Depends(services)]
PAGE = 50
FIELD_CLASSES = {"location": "place", "actor1": "actor", "actor2": "actor", "event_date": "date",
                 "fatalities": "number", "injured": "number", "weapons": "weapon", "reported_by": "source",
                 "event_type": "trigger"}


FILTER_FIELDS = ("since", "until", "admin1", "actor", "event_type", "civilian_targeting", "status", "source",
                 "min_fatalities", "max_fatalities", "max_confidence", "geo_precision")
STATUSES = ("machine", "accepted", "edited", "added", "rejected")


def _filters(request: Request) -> tuple[EventFilter, dict]:
    q = request.query_params
    form = {k: q.get(k, "")[:100] for k in FILTER_FIELDS}
    f = EventFilter(since=form["since"] or None, until=form["until"] or None, admin1=form["admin1"] or None,
                    actor=form["actor"] or None, event_type=form["event_type"] or None,
                    civilian_targeting={"yes": True, "no": False}.get(form["civilian_targeting"]),
                    include_background=False, status=form["status"] if form["status"] in STATUSES else None,
                    source=form["source"].strip() or None, min_fatalities=_number(form["min_fatalities"], int),
                    max_fatalities=_number(form["max_fatalities"], int),
                    max_confidence=_number(form["max_confidence"], float),
                    geo_precision=_number(form["geo_precision"], int))
    return f, form


def _number(text: str, kind: type) -> int | float | None:
    """A filter's number, or None for an empty or unreadable one (a filter never fails a page)."""
    try:
        value = kind(text)
    except ValueError:
        return None
    return value if 0 <= value < 10**9 else None


def _common(request: Request, svc: Services) -> dict:
    return {"request": request, "actors": svc.profile.actor_labels(), "taxonomy": TAXONOMY,
            "formats": [(w.name, w.label) for w in WRITERS.values()],
            "admin1s": admin1_names(_paths(svc)),
            **_person(svc, request), "csrf": csrf_token(session_token(request))}


def _person(svc: Services, request: Request) -> dict:
    """Who the page is for: their name, and whether they may review or manage users."""
    who = svc.store.session_user(session_token(request))
    role = who[1] if who else None
    return {"user": who[0] if who else None, "role": role, "can_review": role in WRITING_ROLES,
            "is_admin": role == "admin"}


def _paths(svc: Services) -> tuple[str, ...] | None:
    paths = svc.settings.gazetteer_paths
    return tuple(paths) if paths else None


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, svc: Svc, _: str | None = Depends(reader)) -> HTMLResponse:
    """Totals, the timeline and the newest events, summed in the database; the map draws itself from
    data requests (/api/boundaries, /api/map), so the page weighs the same with 100 events or 100,000."""
    f, form = _filters(request)
    count, killed = summaries.totals(svc.store, f)
    incidents, incident_killed = summaries.incident_totals(svc.store, f)
    box = svc.profile.country.map_box
    return templates.TemplateResponse(request, "dashboard.html", {
        **_common(request, svc), "form": form, "count": count, "killed": killed, "incidents": incidents,
        "incident_killed": incident_killed, "layer": "incidents" if incidents else "events",
        "events": svc.store.events(f, limit=20, sort="event_date", descending=True),
        "box": ",".join(str(v) for v in box), "timeline": drawing.timeline(summaries.per_day(svc.store, f)),
        "query": urlencode({k: v for k, v in form.items() if v})})


@router.get("/events", response_class=HTMLResponse)
async def table(request: Request, svc: Svc, _: str | None = Depends(reader)) -> HTMLResponse:
    """(On the event loop, like the API's reads: two indexed reads that never wait for a lock and a
    small template; a thread hop costs more under load than it saves.)"""
    f, form = _filters(request)
    sort = request.query_params.get("sort", "event_date")
    sort = sort if sort in SORTABLE else "event_date"
    descending = request.query_params.get("desc", "1") == "1"  # newest first unless asked
    try:
        page = min(MAX_PAGE, max(1, int(request.query_params.get("page", "1"))))
    except ValueError:
        page = 1
    total = svc.store.count_events(f)
    rows = svc.store.events(f, limit=PAGE, offset=(page - 1) * PAGE, sort=sort, descending=descending)
    facets = svc.store.facets(f)
    query = {k: v for k, v in form.items() if v}
    return templates.TemplateResponse(request, "events.html", {
        **_common(request, svc), "form": form, "rows": rows, "total": total, "page": page,
        "pages": max(1, -(-total // PAGE)), "sort": sort, "desc": descending, "query": urlencode(query),
        "sortable": list(SORTABLE), "facets": facets, "statuses": STATUSES,
        "titles": svc.store.titles(r["article_id"] for r in rows)})


def highlighted(text: str, events: list[dict]) -> list[tuple[str, list[str], list[str]]]:
    """The text cut at every evidence boundary: (piece, classes, event ids) for each piece."""
    spans = [(e["start"], e["end"], FIELD_CLASSES.get(e["field"], "other"), ev["event_id"])
             for ev in events for e in ev.get("evidence") or [] if 0 <= e["start"] < e["end"] <= len(text)]
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        cover = [(cls, eid) for s, e, cls, eid in spans if s <= a and b <= e]
        out.append((text[a:b], sorted({c for c, _ in cover}), sorted({i for _, i in cover})))
    return out


@router.get("/reports/{article_id:path}", response_class=HTMLResponse)
async def report(article_id: str, request: Request, svc: Svc, _: str | None = Depends(reader)) -> HTMLResponse:
    row = svc.store.get_report(article_id)
    if row is None:
        raise HTTPException(404, f"no report {article_id}")
    events = svc.store.events(EventFilter(article_id=article_id, include_rejected=True))
    return templates.TemplateResponse(request, "report.html", {
        **_common(request, svc), "report": row, "events": events, "pieces": highlighted(row.raw_text, events),
        "audit": {e["event_id"]: svc.store.audit(e["event_id"]) for e in events},
        "tallies": svc.store.aggregates(article_id),
        "refused": request.query_params.get("refused"), "refused_at": request.query_params.get("at")})


SNIPPET_CHARS = 160  # text shown around a source's evidence on an incident page


def evidence_snippet(text: str, event: dict) -> list[tuple[str, list[str], list[str]]]:
    """The stretch of a report its event's evidence covers (with some text around it), cut like
    `highlighted`, so an incident page shows each source's own words."""
    spans = [e for e in event.get("evidence") or [] if 0 <= e["start"] < e["end"] <= len(text)]
    if not spans:
        return [(text[:SNIPPET_CHARS], [], [])]
    a = max(0, min(e["start"] for e in spans) - SNIPPET_CHARS // 2)
    b = min(len(text), max(e["end"] for e in spans) + SNIPPET_CHARS // 2)
    shifted = {**event, "evidence": [{**e, "start": e["start"] - a, "end": e["end"] - a} for e in spans]}
    return [(("…" if a else "") + t if i == 0 else t, c, ids)
            for i, (t, c, ids) in enumerate(highlighted(text[a:b], [shifted]))]


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, svc: Svc, q: str = "", _: str | None = Depends(reader)) -> HTMLResponse:
    """Reports, places and events for one query: reports by their words (insensitive to spelling
    variants), places by the start of a name in Arabic or English or a P-code, and the reports and
    events of those places, so an English name finds the Arabic reports that name the place."""
    q = q.strip()[:100]
    places = suggest(svc.gazetteer, q, 10) if len(q) >= 2 else []
    reports: dict[str, tuple[str, str | None, str]] = {}
    for term in [q, *dict.fromkeys(p.name_ar for p in places[:3] if p.name_ar)] if q else []:
        for hit in svc.store.search(term, 20):
            reports.setdefault(hit[0], hit)
    events = svc.store.events_at([p.pcode for p in places if p.pcode], 50)
    return templates.TemplateResponse(request, "search.html", {
        **_common(request, svc), "q": q, "places": places, "reports": list(reports.values())[:40], "events": events})


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(event_id: str, request: Request, svc: Svc, _: str | None = Depends(reader)) -> HTMLResponse:
    """One event: every field, the words it came from, its report and its audit trail."""
    ev = svc.store.get_event(event_id)
    if ev is None:
        raise HTTPException(404, f"no event {event_id}")
    row = svc.store.get_report(ev["article_id"])
    return templates.TemplateResponse(request, "event.html", {
        **_common(request, svc), "ev": ev, "report": row, "audit": svc.store.audit(event_id),
        "snippet": evidence_snippet(row.raw_text, ev) if row else []})


QUEUE = 50  # cards on the review queue page


@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request, svc: Svc, _: str | None = Depends(reader)) -> HTMLResponse:
    """The review queue: unreviewed events, what most needs a person first, each with the words it
    came from and why it is here; reviewed with the keyboard (j/k, a, r, e)."""
    events = svc.store.queue(QUEUE)
    texts = {r.article_id: r.raw_text for r in svc.store.iter_reports({e["article_id"] for e in events})}
    done, total = svc.store.review_progress()
    cards = [{"ev": e, "snippet": evidence_snippet(texts.get(e["article_id"], ""), e), "why": _why(e)}
             for e in events]
    incidents = [{"inc": r, "why": _incident_why(r)} for r in stored_incidents.to_review(svc.store, 10)]
    return templates.TemplateResponse(request, "queue.html", {**_common(request, svc), "cards": cards,
                                                              "done": done, "total": total, "incidents": incidents})


def _incident_why(rec: dict) -> str:
    """Why an incident waits for a person, in a few words: contradicting sources, a spread of tolls."""
    killed = rec.get("killed") or {}
    parts = [{"Contested": "مصادر متعارضة", "Weak": "مصدر واحد أو ضعيف", "Fair": "مصادر متفقة"}.get(
        rec.get("grade") or "", rec.get("grade") or "")]
    if killed.get("min") is not None and killed.get("max") is not None and killed["min"] != killed["max"]:
        parts.append(f"القتلى بين {killed['min']} و{killed['max']}")
    parts.append(f"{len(rec.get('members') or [])} تقارير")
    return " · ".join(p for p in parts if p)


def _why(ev: dict) -> str:
    """Why an event is in the queue where it is, in a few words."""
    parts = [f"ثقة {ev.get('confidence')}"]
    killed = (ev.get("fatalities") or {}).get("total")
    if killed:
        parts.append(f"{killed} قتلى")
    if not ev.get("location") or (ev.get("location") or {}).get("latitude") is None:
        parts.append("بلا إحداثيات")
    if ev.get("background"):
        parts.append("خلفية")
    return " · ".join(parts)


@router.get("/incidents", response_class=HTMLResponse)
def incident_list(request: Request, svc: Svc, _: str | None = Depends(reader)) -> HTMLResponse:
    rows = stored_incidents.incidents(svc.store, limit=1000)
    return templates.TemplateResponse(request, "incidents.html", {**_common(request, svc), "rows": rows,
                                                                  "total": stored_incidents.count_incidents(svc.store)})


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(incident_id: str, request: Request, svc: Svc, _: str | None = Depends(reader)) -> HTMLResponse:
    """Every source of an incident side by side, each with its own words highlighted, its figures,
    date and attribution; the grade with its reason, and where the sources disagree."""
    rec = stored_incidents.get_incident(svc.store, incident_id)
    if rec is None:
        raise HTTPException(404, f"no incident {incident_id}")
    sources = []
    for m in rec["members"]:
        ev, row = svc.store.get_event(m["event_id"]), svc.store.get_report(m["article_id"])
        if ev is None or row is None:
            continue
        sources.append({"member": m, "event": ev, "title": row.title, "pieces": evidence_snippet(row.raw_text, ev)})
    return templates.TemplateResponse(request, "incident.html", {**_common(request, svc), "inc": rec,
                                                                 "sources": sources,
                                                                 "audit": svc.store.audit(incident_id)})


@router.post("/incidents/{incident_id}/review")
async def incident_form(incident_id: str, request: Request, svc: Svc, user: str = Depends(writer)) -> RedirectResponse:
    """A reviewer's merge, split, confirmation or discounting made in the incident page."""
    from rasad.process import review_incident

    raw = await request.form()
    form = dict(raw)
    _check_form(request, form)
    try:
        await in_write_thread(review_incident, svc.store, svc.profile, incident_id, user, str(form.get("action")),
                              str(form.get("other") or "").strip() or None, [str(e) for e in raw.getlist("event_ids")])
    except KeyError as exc:
        raise HTTPException(404, str(exc).strip("'\"")) from None
    return RedirectResponse(f"/incidents/{incident_id}", status_code=303)


UNKNOWN = frozenset({"?", "؟", "unknown", "غير معروف"})  # a figure set back to unknown


def _form_changes(form: dict) -> dict:
    """The review form's fields as an edit, as the API takes it: empty fields change nothing, "?" sets a
    figure back to unknown, the selected words come as evidence spans."""
    changes: dict = {}
    for key in ("event_type", "sub_event_type", "event_date", "actor1", "actor2", "place", "pcode", "notes",
                "reason"):
        if str(form.get(key, "")).strip():
            changes[key] = str(form[key]).strip()
    if _figure(form.get("injured")) is not None:
        changes["injured"] = _figure(form["injured"])
    fat = {k: _figure(form[f"fatalities_{k}"]) for k in ("total", "civilians", "children", "women")
           if _figure(form.get(f"fatalities_{k}")) is not None}
    if fat:
        changes["fatalities"] = {k: (None if v == "unknown" else v) for k, v in fat.items()}
    if changes.get("injured") == "unknown":
        changes["injured"] = None
    for key in ("civilian_targeting", "background"):
        if key in form:
            changes[key] = form[key] == "yes"
    if str(form.get("weapons", "")).strip():
        changes["weapons"] = [w.strip() for w in str(form["weapons"]).replace("،", ",").split(",") if w.strip()]
    if form.get("evidence"):
        changes["evidence"] = _spans(str(form["evidence"]))
    new = _new_place(form, changes.get("place"))
    if new:
        changes["new_place"] = new
        changes.pop("place", None), changes.pop("pcode", None)
    return changes


def _new_place(form: dict, name: str | None) -> dict | None:
    """A point picked on the form's map for a name the gazetteer lacks (new_lat, new_lon, new_kind)."""
    lat, lon = _number(str(form.get("new_lat", "")), float), _number(str(form.get("new_lon", "")), float)
    if not name or lat is None or lon is None:
        return None
    return {"name": name, "latitude": lat, "longitude": lon, "kind": str(form.get("new_kind") or "community")}


def _figure(value: object) -> int | str | None:
    """A figure field: a number, "unknown" for "?", None for an empty or unreadable field."""
    text = str(value or "").strip()
    if text in UNKNOWN:
        return "unknown"
    return int(text) if text.isdigit() and len(text) < 10 else None


def _spans(raw: str) -> list[dict]:
    """The evidence spans the page's script put in the form (JSON: [{field, start, end}, ...])."""
    try:
        spans = json.loads(raw)
    except json.JSONDecodeError:
        raise HTTPException(422, "evidence must be JSON spans") from None
    if not isinstance(spans, list) or len(spans) > 50 or not all(isinstance(x, dict) for x in spans):
        raise HTTPException(422, "evidence must be a list of spans")
    return spans


@router.post("/reports/{article_id:path}/events/{event_id}")
async def review_form(article_id: str, event_id: str, request: Request, svc: Svc,
                      user: str = Depends(writer)) -> RedirectResponse:
    form = dict(await request.form())
    _check_form(request, form)
    try:
        await in_write_thread(_review_form, svc, article_id, event_id, form, user)
    except HTTPException as exc:
        if exc.status_code != 422:
            raise
        return _refused(article_id, event_id, str(exc.detail))
    if form.get("next") == "queue":  # reviewed from the queue: on to the next one
        return RedirectResponse("/queue", status_code=303)
    return RedirectResponse(f"/reports/{article_id}#{event_id}", status_code=303)


def _refused(article_id: str, anchor: str, message: str) -> RedirectResponse:
    """Back to the report with the reason the edit was refused shown beside the event (nothing saved)."""
    return RedirectResponse(f"/reports/{article_id}?{urlencode({'refused': message[:300], 'at': anchor})}#{anchor}",
                            status_code=303)


def _review_form(svc: Services, article_id: str, event_id: str, form: dict, user: str) -> None:
    """A reviewer's form applied as the API applies a PATCH: field by field, in the write."""
    action = form.get("action")
    current = svc.store.get_event(event_id)
    if current is None or current["article_id"] != article_id or action not in ("accept", "reject", "edit"):
        raise HTTPException(404, "no such event or action")
    changes = _form_changes(form)
    reason = changes.pop("reason", None)
    text = service.report_text(svc, article_id) if changes.get("evidence") else None
    change = (lambda rec: service.edited(svc, rec, changes, text)) if action == "edit" else None
    try:
        if action == "edit":
            service.learn_place(svc, changes, article_id, user)
        svc.store.review(event_id, user, action, change=change, reason=reason)
    except service.InvalidEdit as exc:
        raise HTTPException(422, str(exc)) from None


@router.post("/reports/{article_id:path}/events")
async def add_form(article_id: str, request: Request, svc: Svc, user: str = Depends(writer)) -> RedirectResponse:
    form = dict(await request.form())
    _check_form(request, form)
    try:
        event_id = await in_write_thread(_add_form, svc, article_id, _form_changes(form), user)
    except HTTPException as exc:
        if exc.status_code != 422:
            raise
        return _refused(article_id, "add", str(exc.detail))
    return RedirectResponse(f"/reports/{article_id}#{event_id}", status_code=303)


def _add_form(svc: Services, article_id: str, changes: dict, user: str) -> str:
    if svc.store.get_report(article_id) is None:
        raise HTTPException(404, f"no report {article_id}")
    reason = changes.pop("reason", None)
    try:
        rec = service.new_event(svc, article_id, changes, user)
    except service.InvalidEdit as exc:
        raise HTTPException(422, str(exc)) from None
    svc.store.review(rec["event_id"], user, "add", rec, reason=reason)
    return rec["event_id"]


def _check_form(request: Request, form: dict) -> None:
    """A form post from this site, carrying the session's CSRF token."""
    if not same_origin(request) or not hmac.compare_digest(
            str(form.get("csrf", "")), csrf_token(session_token(request))):
        raise HTTPException(403, "the form did not come from this site's page (CSRF check)")


def _login_page(request: Request, svc: Services, error: bool, status: int = 200) -> HTMLResponse:
    """The login form, with a fresh login CSRF token in the form and in a cookie (double submit), so
    another site cannot log a browser in under its own token."""
    nonce = secrets.token_urlsafe(16)
    resp = templates.TemplateResponse(request, "login.html", {**_common(request, svc), "error": error,
                                                              "login_csrf": nonce}, status_code=status)
    resp.set_cookie("rasad_login_csrf", nonce, httponly=True, samesite="strict", secure=_https(request))
    return resp


def _https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, svc: Svc) -> HTMLResponse:
    return _login_page(request, svc, False)


@router.post("/login")
async def login(request: Request, svc: Svc) -> HTMLResponse:
    form = await request.form()
    nonce = request.cookies.get("rasad_login_csrf", "")
    if not same_origin(request) or not nonce or not hmac.compare_digest(str(form.get("csrf", "")), nonce):
        raise HTTPException(403, "the login form did not come from this site's page (CSRF check)")
    who = await run_in_threadpool(svc.store.who, str(form.get("token", "")))
    if who is None:
        return _login_page(request, svc, True, 401)
    session = await in_write_thread(svc.store.open_session, who[0])  # the browser never holds the API token
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie("rasad_token", session, httponly=True, samesite="strict", secure=_https(request),
                    max_age=int(SESSION_HOURS * 3600))
    resp.delete_cookie("rasad_login_csrf")
    return resp


@router.post("/logout")
async def logout(request: Request, svc: Svc) -> RedirectResponse:
    """End the browser's session: it opens nothing any more (the user's API token stays valid)."""
    form = dict(await request.form())
    _check_form(request, form)
    await in_write_thread(svc.store.close_session, session_token(request))
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie("rasad_token")
    return resp


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, svc: Svc, _: str = Depends(admin)) -> HTMLResponse:
    """Admins see every user with their role, and change a role or revoke a user."""
    return templates.TemplateResponse(request, "users.html", {**_common(request, svc), "users": svc.store.users(),
                                                              "roles": ROLES})


@router.post("/admin/users")
async def users_change(request: Request, svc: Svc, me: str = Depends(admin)) -> RedirectResponse:
    form = dict(await request.form())
    _check_form(request, form)
    name, action = str(form.get("name", "")), str(form.get("action", ""))
    if name == me:
        raise HTTPException(422, "an admin cannot change or revoke themselves here (use rasad users)")
    if action == "revoke":
        await in_write_thread(svc.store.revoke_user, name)
    elif action in ROLES:
        await in_write_thread(svc.store.set_role, name, action)
    else:
        raise HTTPException(422, f"action must be revoke or one of {ROLES}")
    return RedirectResponse("/admin/users", status_code=303)
