import json
import re

import pytest
from fastapi.testclient import TestClient

from conftest import FIXTURES
from rasad.web.app import create_app
from rasad.web.deps import Settings

CAMP = (FIXTURES / "reports" / "camp.txt").read_text(encoding="utf-8")


@pytest.fixture
def client(tmp_path, gaz_dir):
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'web.db'}", gazetteer_paths=[str(gaz_dir)],
                              read_requires_token=False, max_body_bytes=200_000))
    c = TestClient(app)
    c.token = app.state.services.store.add_user("amal")
    c.hdr = {"Authorization": f"Bearer {c.token}"}
    c.store = app.state.services.store
    return c


def _post_camp(client, **extra):
    r = client.post("/api/reports", json={"id": "camp", "text": CAMP, "published": "2022-11-06", **extra},
                    headers=client.hdr)
    assert r.status_code == 201, r.text
    return r.json()["results"][0]


def test_post_report_runs_extraction_and_stores(client):
    res = _post_camp(client)
    assert res["article_id"] == "camp" and res["events"]
    events = client.get("/api/events").json()
    assert events["total"] == len(res["events"])
    rep = client.get("/api/reports/camp").json()
    assert rep["text"] == CAMP
    assert all(CAMP[s["start"]:s["end"]] == s["text"] for s in rep["spans"])


def test_a_report_id_with_its_folder_is_served(client):
    res = _post_camp(client, id="f1/camp.txt")
    assert client.get("/api/reports/f1/camp.txt").json()["text"] == CAMP
    page = client.get("/reports/f1/camp.txt")
    assert page.status_code == 200 and res["events"][0]["event_id"] in page.text
    assert client.get("/api/reports/f2/camp.txt").status_code == 404


def test_batch_and_errors_per_item(client):
    r = client.post("/api/reports", headers=client.hdr, json={"reports": [
        {"id": "a", "text": CAMP}, {"id": "b", "text": "English only, nothing Arabic in this text at all here."}]})
    results = r.json()["results"]
    assert results[0]["article_id"] == "a" and "not Arabic" in results[1]["error"]


def test_writes_need_a_token(client):
    assert client.post("/api/reports", json={"text": CAMP}).status_code == 401
    assert client.post("/api/reports", json={"text": CAMP},
                       headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.patch("/api/events/x", json={"injured": 1}).status_code == 401


def test_malformed_json_and_bad_fields_get_422(client):
    r = client.post("/api/reports", content=b'{"text": ', headers={**client.hdr, "content-type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.text
    assert client.post("/api/reports", json={"title": "no text"}, headers=client.hdr).status_code == 422
    _post_camp(client)
    eid = client.get("/api/events").json()["events"][0]["event_id"]
    r = client.patch(f"/api/events/{eid}", json={"event_type": "Picnic"}, headers=client.hdr)
    assert r.status_code == 422 and "event_type" in r.text
    assert client.get("/api/events?since=yesterday").status_code == 422
    assert client.get("/api/events?bbox=1,2,3").status_code == 422


def test_body_over_the_cap_gets_413(client):
    r = client.post("/api/reports", json={"text": "ق" * 150_000}, headers=client.hdr)
    assert r.status_code == 413


def test_filters_cannot_inject_sql(client):
    _post_camp(client)
    total = client.get("/api/events").json()["total"]
    for evil in ("Idleb' OR '1'='1", "x'; DROP TABLE events; --"):
        r = client.get("/api/events", params={"admin1": evil, "actor": evil})
        assert r.status_code == 200 and r.json()["total"] == 0
    assert client.get("/api/events").json()["total"] == total
    assert client.get("/events", params={"sort": "event_date; DROP TABLE events"}).status_code == 200


def test_filters_bbox_paging_geojson(client):
    _post_camp(client)
    all_events = client.get("/api/events").json()
    idleb = client.get("/api/events", params={"admin1": "Idleb"}).json()
    assert 0 < idleb["total"] <= all_events["total"]
    inside = client.get("/api/events", params={"bbox": "36.4,35.8,36.8,36.1"}).json()
    assert inside["total"] >= 1
    assert all(36.4 <= e["location"]["longitude"] <= 36.8 for e in inside["events"])
    assert client.get("/api/events", params={"bbox": "40,30,41,31"}).json()["total"] == 0
    kafrzita = (FIXTURES / "reports" / "kafrzita.txt").read_text(encoding="utf-8")
    client.post("/api/reports", json={"id": "kz", "text": kafrzita, "published": "2019-08-08"}, headers=client.hdr)
    first = client.get("/api/events", params={"limit": 1, "offset": 0}).json()
    second = client.get("/api/events", params={"limit": 1, "offset": 1}).json()
    assert first["total"] >= 2 and len(second["events"]) == 1 and second["offset"] == 1
    assert first["events"][0]["event_id"] != second["events"][0]["event_id"]
    geo = client.get("/api/events", params={"format": "geojson"}).json()
    assert geo["type"] == "FeatureCollection" and geo["features"][0]["geometry"]["type"] == "Point"


def test_review_edit_accept_reject_add_with_audit(client):
    _post_camp(client)
    ev = next(e for e in client.get("/api/events").json()["events"] if e["location"]["name"] == "مرام")
    eid = ev["event_id"]
    r = client.patch(f"/api/events/{eid}", json={"fatalities": {"total": 10}, "place": "كفر جالس", "pcode": "C3945"},
                     headers=client.hdr)
    assert r.status_code == 200 and r.json()["fatalities"]["total"] == 10 and r.json()["status"] == "edited"
    assert r.json()["location"]["pcode"] == "C3945"
    audit = client.get(f"/api/events/{eid}/audit").json()
    assert audit[0]["user"] == "amal" and audit[0]["before"]["fatalities"]["total"] == 9
    assert audit[0]["after"]["fatalities"]["total"] == 10
    # re-extraction of the same report keeps the human edit
    _post_camp(client)
    assert client.get(f"/api/events/{eid}").json()["fatalities"]["total"] == 10
    kafrzita = (FIXTURES / "reports" / "kafrzita.txt").read_text(encoding="utf-8")
    client.post("/api/reports", json={"id": "kz", "text": kafrzita, "published": "2019-08-08"}, headers=client.hdr)
    other = next(e for e in client.get("/api/events").json()["events"] if e["event_id"] != eid)
    assert client.post(f"/api/events/{other['event_id']}/reject", headers=client.hdr).json()["status"] == "rejected"
    assert other["event_id"] not in {e["event_id"] for e in client.get("/api/events").json()["events"]}
    assert client.post(f"/api/events/{eid}/accept", headers=client.hdr).json()["status"] == "accepted"
    added = client.post("/api/events", headers=client.hdr, json={
        "article_id": "camp", "event_type": "Battles", "sub_event_type": "Armed clash", "place": "سراقب",
        "event_date": "2022-11-06"})
    assert added.status_code == 201 and added.json()["status"] == "added"
    assert added.json()["location"]["pcode"] == "C4040"
    assert client.post("/api/events", headers=client.hdr, json={
        "article_id": "nope", "event_type": "Battles", "sub_event_type": "Armed clash"}).status_code == 404
    assert [a["action"] for a in client.store.audit()] == ["edit", "reject", "accept", "add"]


def test_exports(client):
    _post_camp(client)
    csv_text = client.get("/api/export", params={"format": "acled-csv"}).text
    assert csv_text.startswith("event_id_cnty,event_date")
    geo = json.loads(client.get("/api/export", params={"format": "geojson", "admin1": "Idleb"}).text)
    assert geo["features"]
    assert client.get("/api/export", params={"format": "parquet"}).content[:4] == b"PAR1"


def test_pages_escape_report_html(client):
    evil = CAMP + "\n<script>alert('x')</script><img src=x onerror=alert(1)>"
    client.post("/api/reports", json={"id": "evil", "text": evil}, headers=client.hdr)
    page = client.get("/reports/evil").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_pages_render_with_filters_and_sorting(client):
    _post_camp(client)
    dash = client.get("/", params={"admin1": "Idleb", "civilian_targeting": "yes"}).text
    assert 'id="map"' in dash and 'data-admin1="Idleb"' in dash and "civilian_targeting=yes" in dash
    assert int(re.search(r'id="event-count">(\d+)<', dash).group(1)) > 0
    assert client.get("/", params={"admin1": "Aleppo"}).text.count('id="event-count">0<') == 1
    table = client.get("/events", params={"sort": "fatalities", "desc": "1"}).text
    assert "events-table" in table and "camp" in table
    report = client.get("/reports/camp").text
    assert '<mark class="ev' in report and "place" in report


def test_read_token_mode(tmp_path, gaz_dir):
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'r.db'}", gazetteer_paths=[str(gaz_dir)],
                              read_requires_token=True))
    c = TestClient(app)
    token = app.state.services.store.add_user("x")
    assert c.get("/api/events").status_code == 401
    assert c.get("/api/events", headers={"X-API-Token": token}).status_code == 200


def test_places_endpoint_and_openapi(client):
    rows = client.get("/api/places", params={"q": "وكفرزيتا"}).json()
    assert rows[0]["pcode"] == "C3463"
    spec = client.get("/openapi.json").json()
    assert {"/api/reports", "/api/events", "/api/events/{event_id}", "/api/export"} <= set(spec["paths"])


def test_users_cli_prints_a_token_and_stores_a_hash(tmp_path, capsys):
    from rasad.cli import main
    from rasad.store import Store

    db = tmp_path / "u.db"
    assert main(["users", "add", "rana", "--db", str(db)]) == 0
    token = capsys.readouterr().out.strip()
    store = Store(f"sqlite:///{db}")
    assert store.user_for_token(token) == "rana"
    with store.session() as s:
        from rasad.store.schema import UserRow

        assert token not in s.query(UserRow).one().token_hash


def test_load_bench_smoke(tmp_path):
    """The load benchmark itself works: its figures come from `rasad bench serve` (see the README)."""
    from rasad.evaluate.loadbench import bench_serve

    figures = bench_serve(clients=4, seconds=1.5, n_events=300)
    assert figures["requests"] > 0 and figures["errors"] == 0 and figures["lost_writes"] == 0


@pytest.mark.seeded_events
def test_page_bench_smoke():
    """The pages benchmark works: its figures come from `rasad bench pages` (see the closing notes)."""
    from rasad.evaluate.pagebench import PAGES, bench_pages

    figures = bench_pages(n_events=200, requests=2)
    assert figures["dashboard_kb"] > 100  # the page, the map's script and its stylesheet
    assert all(figures[f"{name}_p95_ms"] > 0 for name in PAGES)


def test_map_markers_are_points_or_cells_with_the_same_totals(client, monkeypatch):
    """A view with few events gets one marker each (with what its popup shows); one with more than the
    map draws gets grid cells whose counts and tolls add up to the same totals."""
    from rasad.store import summaries

    _post_camp(client)
    events = [e for e in client.get("/api/events", params={"include_background": "false"}).json()["events"]
              if e["location"].get("latitude") is not None]
    params = {"bbox": "35,32,42,37.5", "include_background": "false", "zoom": 6}
    points = client.get("/api/map", params=params).json()
    assert points["kind"] == "points" and len(points["features"]) == len(events) > 0
    props = points["features"][0]["properties"]
    assert props["href"].startswith("/events/") and {"date", "actor", "killed", "precision", "place"} <= set(props)
    monkeypatch.setattr(summaries, "POINTS", 0)
    cells = client.get("/api/map", params=params).json()
    assert cells["kind"] == "cells" and all(f["properties"]["cluster"] for f in cells["features"])
    assert sum(f["properties"]["count"] for f in cells["features"]) == len(events)
    assert sum(f["properties"]["killed"] for f in cells["features"]) == \
        sum((e["fatalities"] or {}).get("total") or 0 for e in events)
    # a view elsewhere holds nothing; a bad box is refused
    assert client.get("/api/map", params={**params, "bbox": "0,0,1,1"}).json()["features"] == []
    assert client.get("/api/map", params={**params, "bbox": "x"}).status_code == 422


def test_boundaries_are_simplified_polygons_with_names(client):
    geo = client.get("/api/boundaries").json()
    levels = {f["properties"]["level"] for f in geo["features"]}
    assert levels and levels <= {1, 2}
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in geo["features"])
    assert any(f["properties"]["name_en"] == "Idleb" for f in geo["features"])


def test_post_report_by_url(client, monkeypatch):
    monkeypatch.setenv("RASAD_FETCH_ALLOW", "127.0.0.1")  # an operator allows the local server
    import http.server
    import threading

    page = f"<html><head><title>خبر</title></head><body><article><p>{CAMP}</p></article></body></html>"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            body = page.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/report.html"
        r = client.post("/api/reports", json={"url": url, "published": "2022-11-06"}, headers=client.hdr)
    finally:
        server.shutdown()
    result = r.json()["results"][0]
    assert r.status_code == 201 and result["events"], result


def test_every_registered_format_reaches_the_cli_the_api_and_the_pages(client):
    import csv as _csv
    import io

    from rasad.cli import build_parser
    from rasad.export import WRITERS

    _post_camp(client)
    parser = build_parser()
    extract_choices = parser._subparsers._group_actions[0].choices["extract"]._option_string_actions["--format"].choices
    assert set(WRITERS) <= set(extract_choices) and "csv" in WRITERS  # flat CSV: one module, export/flat_csv.py
    spec = client.get("/openapi.json").json()
    param = next(p for p in spec["paths"]["/api/export"]["get"]["parameters"] if p["name"] == "format")
    schema = spec["components"]["schemas"][param["schema"]["$ref"].rsplit("/", 1)[1]]
    assert set(schema["enum"]) == set(WRITERS)
    page = client.get("/").text
    assert all(f"format={name}" in page for name in WRITERS)
    r = client.get("/api/export?format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(_csv.DictReader(io.StringIO(r.text)))
    assert rows and {"event_id", "location", "fatalities", "civilians_killed", "actor1_name"} <= set(rows[0])
    assert client.get("/api/export?format=nope").status_code == 422


def test_read_token_setting_from_flag_or_environment(monkeypatch):
    import uvicorn

    from rasad.cli import main

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.setdefault("app", app))
    monkeypatch.setenv("RASAD_READ_TOKEN", "1")
    assert main(["serve"]) == 0
    assert seen.pop("app").state.services.settings.read_requires_token  # the env is not overridden
    monkeypatch.setenv("RASAD_READ_TOKEN", "0")
    main(["serve"])
    assert not seen.pop("app").state.services.settings.read_requires_token
    main(["serve", "--read-token"])
    assert seen.pop("app").state.services.settings.read_requires_token


def test_only_web_addresses_are_links_and_pages_forbid_inline_script(client):
    r = client.post("/api/reports", headers=client.hdr, json={
        "id": "x", "text": CAMP, "url": "https://example.org/a"})
    assert r.status_code == 201
    from rasad.ingest.readers import from_record

    rep = from_record({"id": "j", "text": CAMP, "url": "javascript:alert(document.cookie)"}, "t", None)
    assert rep.url is None  # a javascript: address read from JSONL or CSV is not kept
    page = client.get("/reports/x")
    assert 'href="https://example.org/a"' in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in \
        csp.split("script-src")[1].split(";")[0]
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["referrer-policy"] == "same-origin"
    # an address stored before this rule is still never rendered as a link
    from sqlalchemy import update

    from rasad.store.schema import ReportRow

    with client.store.session.begin() as s:
        s.execute(update(ReportRow).where(ReportRow.article_id == "x").values(url="javascript:alert(1)"))
    page = client.get("/reports/x").text
    assert 'href="javascript:' not in page  # never a link


def test_incidents_are_served_as_json_and_geojson(client):
    from rasad import process

    _post_camp(client)
    r = client.post("/api/reports", headers=client.hdr, json={
        "id": "camp2", "text": CAMP.replace("9 مدنيين", "11 مدنيا"), "published": "2022-11-06", "source": "other"})
    assert r.status_code == 201, r.text
    done = process.link_stored(client.store, client.app.state.services.profile)
    assert done.new_members >= 2
    page = client.get("/api/incidents").json()
    assert page["total"] == done.incidents and page["incidents"]
    camp = next(r for r in page["incidents"] if len(r["members"]) == 2)
    assert {m["article_id"] for m in camp["members"]} == {"camp", "camp2"}
    assert client.get(f"/api/incidents/{camp['incident_id']}").json()["incident_id"] == camp["incident_id"]
    assert client.get("/api/incidents/INC-none").status_code == 404
    geo = client.get("/api/incidents", params={"format": "geojson"}).json()
    assert geo["type"] == "FeatureCollection" and camp["incident_id"] in {f["id"] for f in geo["features"]}
    assert all(f["geometry"] is None or f["geometry"]["type"] == "Point" for f in geo["features"])
    # the same features the command line exports
    import io

    from rasad.export.geojson import write_geojson
    from rasad.link.as_events import as_event_record
    from rasad.store import incidents as stored

    out = io.StringIO()
    write_geojson([as_event_record(r) for r in stored.incidents(client.store)], out, client.app.state.services.profile)
    assert geo["features"] == json.loads(out.getvalue())["features"]


def test_incident_page_shows_every_source_with_its_evidence(client):
    from rasad import process

    _post_camp(client)
    r = client.post("/api/reports", headers=client.hdr, json={
        "id": "camp2", "text": CAMP.replace("9 مدنيين", "11 مدنيا"), "published": "2022-11-06", "source": "other"})
    assert r.status_code == 201
    process.link_stored(client.store, client.app.state.services.profile)
    listing = client.get("/incidents")
    assert listing.status_code == 200 and "/incidents/INC-" in listing.text
    inc = next(i for i in client.get("/api/incidents").json()["incidents"] if len(i["members"]) == 2)
    page = client.get(f"/incidents/{inc['incident_id']}").text
    assert page.count('class="source"') == 2 and 'data-article="camp2"' in page
    assert '<mark class="ev place">' in page and "مرام" in page  # each source's own words, highlighted
    assert inc["grade"] in page and "9–<strong>11</strong>–11" in page
    assert client.get("/incidents/INC-none").status_code == 404
    # the dashboard counts incidents, and its total is the sum of their best figures
    records = client.get("/api/incidents").json()["incidents"]
    dash = client.get("/").text
    assert f'id="incident-count">{len(records)}<' in dash
    assert f'id="incident-killed">{sum(r["killed"]["best"] or 0 for r in records)}<' in dash
    assert 'data-layer="incidents"' in dash  # the map shows incidents once there are any
    # the review queue lists incidents no one reviewed, the contested (9 against 11 killed) first
    queue = client.get("/queue").text
    assert f'href="/incidents/{inc["incident_id"]}"' in queue and "القتلى بين 9 و11" in queue
    located = [r for r in records if r["location"].get("latitude")]
    markers = client.get("/api/map", params={"layer": "incidents", "bbox": "35,32,42,37.5"}).json()
    assert sorted(f["properties"]["href"] for f in markers["features"]) == \
        sorted(f"/incidents/{r['incident_id']}" for r in located)


def test_reviewers_merge_split_confirm_and_relinking_keeps_them(client):
    from rasad import process

    _post_camp(client)
    for rid, text in (("camp2", CAMP.replace("9 مدنيين", "11 مدنيا")), ("camp3", CAMP.replace("9 مدنيين", "12 مدنيا"))):
        assert client.post("/api/reports", headers=client.hdr, json={
            "id": rid, "text": text, "published": "2022-11-06", "source": rid}).status_code == 201
    profile = client.app.state.services.profile
    process.link_stored(client.store, profile)
    camp = next(i for i in client.get("/api/incidents").json()["incidents"] if len(i["members"]) == 3)
    iid = camp["incident_id"]
    moved = [m["event_id"] for m in camp["members"] if m["article_id"] == "camp3"]
    assert client.post(f"/api/incidents/{iid}/split", json={"event_ids": moved}).status_code == 401  # a writer's
    r = client.post(f"/api/incidents/{iid}/split", json={"event_ids": moved}, headers=client.hdr)
    assert r.status_code == 200 and len(r.json()["members"]) == 2 and r.json()["reviewed"]
    split_off = next(i for i in client.get("/api/incidents").json()["incidents"]
                     if [m["event_id"] for m in i["members"]] == moved)
    process.link_stored(client.store, profile)  # relinking keeps the reviewer's split
    assert len(client.get(f"/api/incidents/{iid}").json()["members"]) == 2
    r = client.post(f"/api/incidents/{iid}/merge", json={"other": split_off["incident_id"]}, headers=client.hdr)
    assert len(r.json()["members"]) == 3
    assert client.get(f"/api/incidents/{split_off['incident_id']}").status_code == 404
    r = client.post(f"/api/incidents/{iid}/confirm", headers=client.hdr)
    assert r.json()["grade"] == "Confirmed" and "amal" in r.json()["grade_reason"]
    assert [a["action"] for a in client.get(f"/api/incidents/{iid}/audit").json()] == \
        ["incident-split", "incident-merge", "incident-confirm"]
    assert client.post(f"/api/incidents/{iid}/merge", json={"other": "INC-none"}, headers=client.hdr).status_code == 404


def test_ids_and_dates_keep_their_order_in_arabic_pages(client):
    _post_camp(client, id="f1/camp.txt")
    for page in ("/events", "/"):
        html = client.get(page).text
        assert '<bdi dir="ltr">2022-11-06</bdi>' in html, page
    assert '<bdi dir="ltr">f1/camp.txt</bdi>' in client.get("/").text
    assert "<bdi>قوات النظام تقصف مخيما للنازحين شمالي إدلب</bdi>" in client.get("/events").text  # headline as link
    assert '<bdi dir="ltr">2022-11-06</bdi>' in client.get("/reports/f1/camp.txt").text


def test_event_table_newest_first_and_undated_last(client):
    _post_camp(client)
    for rid, published, town in (("old", "2019-03-01", "كفر جالس"), ("undated", None, "كفر زيتا")):
        r = client.post("/api/reports", headers=client.hdr, json={
            "id": rid, "published": published, "text": f"قصفت الطائرات الحربية الروسية بلدة {town} بعدة غارات جوية."})
        assert r.status_code == 201 and r.json()["results"][0]["events"], r.text
    dates = [d for d in re.findall(r'<td><bdi dir="ltr">([^<]*)</bdi></td>', client.get("/events").text)]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates[-1] == "" and dates.index("") > dates.index(dated[-1])
    up = [d for d in re.findall(r'<td><bdi dir="ltr">([^<]*)</bdi></td>', client.get("/events?desc=0").text)]
    assert [d for d in up if d] == sorted(dated) and up[-1] == ""


def test_timeline_bins_a_long_span_into_weeks_or_months_from_first_to_last_day():
    from datetime import date, timedelta

    from rasad.web import drawing

    def rows(days):
        return [("2020-01-01", "RUS", 1, 0)] + [(d, a, 2, 1) for d in days for a in ("RUS", None)]

    short = [(date(2020, 1, 2) + timedelta(days=i)).isoformat() for i in range(30)]
    assert drawing.timeline(rows(short))["unit"] == "day"
    year = [(date(2020, 1, 2) + timedelta(days=i)).isoformat() for i in range(0, 400, 3)]
    t = drawing.timeline(rows(year))
    assert t["unit"] == "week" and len({b["x"] for b in t["bars"]}) <= drawing.MAX_BARS
    decade = [(date(2012, 1, 1) + timedelta(days=i)).isoformat() for i in range(0, 3650, 5)]
    t = drawing.timeline(sorted(rows(decade), key=lambda r: r[0]))
    assert t["unit"] == "month" and len({b["x"] for b in t["bars"]}) <= drawing.MAX_BARS
    assert t["days"] == ["2012-01-01", decade[-1]] and {b["title"][:7] for b in t["bars"]} >= {"2012-01", "2021-12"}
    assert drawing.timeline([("not a day", "RUS", 1, 0)])["bars"] == []


def test_places_near_a_point_are_towns_nearest_first(client):
    town = client.get("/api/places", params={"q": "Kafr Zeita"}).json()[0]
    near = client.get("/api/places/near", params={"lat": town["latitude"] + 0.01, "lon": town["longitude"]}).json()
    assert near and near[0]["pcode"] == town["pcode"] and 0.5 < near[0]["distance_km"] < 2
    assert [p["distance_km"] for p in near] == sorted(p["distance_km"] for p in near)
    assert {p["kind"] for p in near} <= {"community", "neighbourhood"}
    assert client.get("/api/places/near", params={"lat": 95, "lon": 0}).status_code == 422


VILLAGE = "قصفت قوات النظام بالمدفعية قرية تل الغزلان في ريف إدلب صباح اليوم، ما أدى إلى مقتل مدني."


def test_a_place_a_reviewer_sets_is_learned_and_later_reports_find_it(client):
    """A name the gazetteer lacks, set at a point in an edit, is kept with its report and reviewer,
    written as a user layer beside the store, and the next report naming it is placed there."""
    from rasad.store import learned

    r = client.post("/api/reports", json={"id": "v1", "text": VILLAGE, "published": "2023-03-01"}, headers=client.hdr)
    ev = r.json()["results"][0]["events"][0]
    assert ev["location"] is None or ev["location"].get("latitude") != 35.91
    refused = client.patch(f"/api/events/{ev['event_id']}", headers=client.hdr,
                           json={"new_place": {"name": "تل الغزلان", "latitude": 10.0, "longitude": 36.7}})
    assert refused.status_code == 422 and not learned.learned(client.store)  # outside the country: nothing kept
    new = {"name": "تل الغزلان", "latitude": 35.91, "longitude": 36.71, "kind": "community"}
    edited = client.patch(f"/api/events/{ev['event_id']}", headers=client.hdr, json={"new_place": new}).json()
    assert edited["location"]["latitude"] == 35.91 and edited["location"]["name"] == "تل الغزلان"
    assert edited["location"]["admin1"] == "Idleb"  # from the nearest town the gazetteer knows
    kept = client.get("/api/places/learned").json()
    assert [(p["name_ar"], p["reviewer"], p["article_id"]) for p in kept] == [("تل الغزلان", "amal", "v1")]
    csv_text = client.get("/api/places/learned", params={"format": "csv"}).text
    assert csv_text.startswith("name_ar,name_en,latitude,longitude,kind,parent,admin1") and "تل الغزلان" in csv_text
    assert learned.layer_path(client.store.url).read_text(encoding="utf-8") == csv_text
    # the same name set again a few hundred metres away moves it, no second place
    client.patch(f"/api/events/{ev['event_id']}", headers=client.hdr,
                 json={"new_place": {**new, "latitude": 35.913}})
    assert [p["latitude"] for p in client.get("/api/places/learned").json()] == [35.913]
    later = client.post("/api/reports", headers=client.hdr, json={
        "id": "v2", "text": VILLAGE.replace("صباح اليوم", "مساء أمس"), "published": "2023-03-09"}).json()
    loc = later["results"][0]["events"][0]["location"]
    assert (loc["latitude"], loc["longitude"], loc["geo_precision"]) == (35.913, 36.71, 1)


def test_an_added_event_can_be_placed_at_a_new_place(client):
    client.post("/api/reports", json={"id": "v3", "text": VILLAGE, "published": "2023-03-01"}, headers=client.hdr)
    r = client.post("/api/events", headers=client.hdr, json={
        "article_id": "v3", "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "new_place": {"name": "مزرعة الراعي", "latitude": 35.8, "longitude": 36.6, "kind": "landmark"}})
    assert r.status_code == 201 and r.json()["location"]["name"] == "مزرعة الراعي"
    assert client.get("/api/places/learned").json()[0]["kind"] == "landmark"
