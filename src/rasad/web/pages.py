"""Server-rendered pages: dashboard, event table, report with highlighted evidence, review forms."""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from rasad.export import WRITERS
from rasad.geo.boundaries import outlines
from rasad.ingest.fields import web_url
from rasad.model import TAXONOMY
from rasad.store.db import SORTABLE, EventFilter
from rasad.web import drawing, service
from rasad.web.deps import Services, csrf_token, in_write_thread, reader, same_origin, services, writer

MAX_PAGE = 10**6  # far past any table's end, and an offset every database takes
router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters["http_url"] = lambda url: url if web_url(url) else None  # only http(s) is ever a link
Svc = Annotated[Services, Depends(services)]
PAGE = 50
FIELD_CLASSES = {"location": "place", "actor1": "actor", "actor2": "actor", "event_date": "date",
                 "fatalities": "number", "injured": "number", "weapons": "weapon", "reported_by": "source",
                 "event_type": "trigger"}


def _filters(request: Request) -> tuple[EventFilter, dict]:
    q = request.query_params
    form = {k: q.get(k, "") for k in ("since", "until", "admin1", "actor", "event_type", "civilian_targeting")}
    f = EventFilter(since=form["since"] or None, until=form["until"] or None, admin1=form["admin1"] or None,
                    actor=form["actor"] or None, event_type=form["event_type"] or None,
                    civilian_targeting={"yes": True, "no": False}.get(form["civilian_targeting"]),
                    include_background=False)
    return f, form


def _common(request: Request, svc: Services) -> dict:
    return {"request": request, "actors": svc.profile.actor_labels(), "taxonomy": TAXONOMY,
            "formats": [(w.name, w.label) for w in WRITERS.values()],
            "admin1s": sorted({o.name_en for o in outlines(_paths(svc)) if o.level == 1}),
            "user": svc.store.user_for_token(request.cookies.get("rasad_token")),
            "csrf": csrf_token(request.cookies.get("rasad_token"))}


def _paths(svc: Services) -> tuple[str, ...] | None:
    paths = svc.settings.gazetteer_paths
    return tuple(paths) if paths else None


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, svc: Svc, _: str | None = Depends(reader)) -> HTMLResponse:
    f, form = _filters(request)
    events = svc.store.events(f)
    killed = sum((e.get("fatalities") or {}).get("total") or 0 for e in events)
    box = svc.profile.country.map_box
    return templates.TemplateResponse(request, "dashboard.html", {
        **_common(request, svc), "form": form, "events": events, "killed": killed,
        "outlines": drawing.outline_paths(outlines(_paths(svc)), box), "dots": drawing.dots(events, box),
        "width": drawing.WIDTH, "height": round(drawing.height(box)), "timeline": drawing.timeline(events),
        "query": urlencode({k: v for k, v in form.items() if v})})


@router.get("/events", response_class=HTMLResponse)
async def table(request: Request, svc: Svc, _: str | None = Depends(reader)) -> HTMLResponse:
    """(On the event loop, like the API's reads: two indexed reads that never wait for a lock and a
    small template; a thread hop costs more under load than it saves.)"""
    f, form = _filters(request)
    sort = request.query_params.get("sort", "event_date")
    sort = sort if sort in SORTABLE else "event_date"
    descending = request.query_params.get("desc") == "1"
    try:
        page = min(MAX_PAGE, max(1, int(request.query_params.get("page", "1"))))
    except ValueError:
        page = 1
    total = svc.store.count_events(f)
    rows = svc.store.events(f, limit=PAGE, offset=(page - 1) * PAGE, sort=sort, descending=descending)
    query = {k: v for k, v in form.items() if v}
    return templates.TemplateResponse(request, "events.html", {
        **_common(request, svc), "form": form, "rows": rows, "total": total, "page": page,
        "pages": max(1, -(-total // PAGE)), "sort": sort, "desc": descending, "query": urlencode(query),
        "sortable": list(SORTABLE)})


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


@router.get("/reports/{article_id}", response_class=HTMLResponse)
async def report(article_id: str, request: Request, svc: Svc, _: str | None = Depends(reader)) -> HTMLResponse:
    row = svc.store.get_report(article_id)
    if row is None:
        raise HTTPException(404, f"no report {article_id}")
    events = svc.store.events(EventFilter(article_id=article_id, include_rejected=True))
    return templates.TemplateResponse(request, "report.html", {
        **_common(request, svc), "report": row, "events": events, "pieces": highlighted(row.raw_text, events),
        "audit": {e["event_id"]: svc.store.audit(e["event_id"]) for e in events}})


def _form_changes(form: dict) -> dict:
    changes: dict = {}
    for key in ("event_type", "sub_event_type", "event_date", "actor1", "actor2", "place", "pcode", "notes"):
        if form.get(key):
            changes[key] = form[key]
    for key in ("injured",):
        if str(form.get(key, "")).isdigit():
            changes[key] = int(form[key])
    fat = {k: int(form[f"fatalities_{k}"]) for k in ("total", "civilians", "children", "women")
           if str(form.get(f"fatalities_{k}", "")).isdigit()}
    if fat:
        changes["fatalities"] = fat
    if "civilian_targeting" in form:
        changes["civilian_targeting"] = form["civilian_targeting"] == "yes"
    return changes


@router.post("/reports/{article_id}/events/{event_id}")
async def review_form(article_id: str, event_id: str, request: Request, svc: Svc,
                      user: str = Depends(writer)) -> RedirectResponse:
    form = dict(await request.form())
    _check_form(request, form)
    await in_write_thread(_review_form, svc, article_id, event_id, form, user)
    return RedirectResponse(f"/reports/{article_id}#{event_id}", status_code=303)


def _review_form(svc: Services, article_id: str, event_id: str, form: dict, user: str) -> None:
    """A reviewer's form applied as the API applies a PATCH: field by field, in the write."""
    action = form.get("action")
    current = svc.store.get_event(event_id)
    if current is None or current["article_id"] != article_id or action not in ("accept", "reject", "edit"):
        raise HTTPException(404, "no such event or action")
    changes = _form_changes(form)
    change = (lambda rec: service.edited(svc, rec, changes)) if action == "edit" else None
    try:
        svc.store.review(event_id, user, action, change=change)
    except service.InvalidEdit as exc:
        raise HTTPException(422, str(exc)) from None


@router.post("/reports/{article_id}/events")
async def add_form(article_id: str, request: Request, svc: Svc, user: str = Depends(writer)) -> RedirectResponse:
    form = dict(await request.form())
    _check_form(request, form)
    event_id = await in_write_thread(_add_form, svc, article_id, _form_changes(form), user)
    return RedirectResponse(f"/reports/{article_id}#{event_id}", status_code=303)


def _add_form(svc: Services, article_id: str, changes: dict, user: str) -> str:
    if svc.store.get_report(article_id) is None:
        raise HTTPException(404, f"no report {article_id}")
    try:
        rec = service.new_event(svc, article_id, changes)
    except service.InvalidEdit as exc:
        raise HTTPException(422, str(exc)) from None
    svc.store.review(rec["event_id"], user, "add", rec)
    return rec["event_id"]


def _check_form(request: Request, form: dict) -> None:
    """A form post from this site, carrying the session's CSRF token."""
    if not same_origin(request) or not hmac.compare_digest(
            str(form.get("csrf", "")), csrf_token(request.cookies.get("rasad_token"))):
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
    token = str(form.get("token", ""))
    if await run_in_threadpool(svc.store.user_for_token, token) is None:
        return _login_page(request, svc, True, 401)
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie("rasad_token", token, httponly=True, samesite="strict", secure=_https(request))
    resp.delete_cookie("rasad_login_csrf")
    return resp
