"""Reviewers never revert each other's edits: an edit changes the fields it names on the event as it
is when written, an edit against an older version is refused, and the audit chain is unbroken."""

from __future__ import annotations

import multiprocessing as mp
import threading
import time

import pytest
from fastapi.testclient import TestClient

from conftest import FIXTURES
from rasad.store import Store
from rasad.web.app import create_app
from rasad.web.deps import Settings

CAMP = (FIXTURES / "reports" / "camp.txt").read_text(encoding="utf-8")


@pytest.fixture
def api(tmp_path, gaz_dir):
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'r.db'}", gazetteer_paths=[str(gaz_dir)],
                              read_requires_token=False))
    c = TestClient(app)
    c.hdr = {"Authorization": f"Bearer {app.state.services.store.add_user('amal')}"}
    c.store = app.state.services.store
    c.url = f"sqlite:///{tmp_path / 'r.db'}"
    res = c.post("/api/reports", json={"id": "camp", "text": CAMP, "published": "2022-11-06"}, headers=c.hdr)
    c.event_ids = [e["event_id"] for e in res.json()["results"][0]["events"]]
    return c


def _chain_unbroken(store: Store, event_id: str) -> bool:
    entries = store.audit(event_id)
    return all(b["before"] == a["after"] for a, b in zip(entries, entries[1:], strict=False))


def test_edits_of_other_fields_are_kept_and_stale_versions_refused(api):
    eid = api.event_ids[0]
    v = api.get(f"/api/events/{eid}").json()["version"]
    assert api.patch(f"/api/events/{eid}", json={"injured": 5}, headers=api.hdr).status_code == 200
    assert api.patch(f"/api/events/{eid}", json={"notes": "checked"}, headers=api.hdr).status_code == 200
    ev = api.get(f"/api/events/{eid}").json()
    assert ev["injured"] == 5 and ev["notes"] == "checked" and ev["version"] == v + 2
    r = api.patch(f"/api/events/{eid}", json={"injured": 7, "version": v}, headers=api.hdr)
    assert r.status_code == 409 and api.get(f"/api/events/{eid}").json()["injured"] == 5
    assert api.patch(f"/api/events/{eid}", json={"injured": 7, "version": v + 2}, headers=api.hdr).status_code == 200
    assert _chain_unbroken(api.store, eid)


def test_out_of_range_values_are_422_not_500(api):
    eid = api.event_ids[0]
    for body in ({"fatalities": {"total": 10**20}}, {"injured": 10**20}, {"event_date": "2022-02-31"},
                 {"version": 10**20}, {"event_type": "Battles", "sub_event_type": "Air/drone strike"}):
        assert api.patch(f"/api/events/{eid}", json=body, headers=api.hdr).status_code == 422, body
    assert api.get("/api/events", params={"offset": 2**63}).status_code == 422
    assert api.get("/events", params={"page": 10**20}).status_code == 200
    r = api.post("/api/reports", json={"text": CAMP, "published": "2022-01-01garbage"}, headers=api.hdr)
    assert r.status_code == 422


def test_the_review_form_checks_the_sub_type_against_the_events_type(api):
    eid = api.event_ids[0]
    cookies = {"rasad_token": api.store.open_session("amal")}
    api.cookies.update(cookies)
    ev = api.get(f"/api/events/{eid}").json()
    from rasad.web.deps import csrf_token

    r = api.post(f"/reports/camp/events/{eid}", data={"action": "edit", "sub_event_type": "Armed clash",
                                                      "csrf": csrf_token(cookies["rasad_token"])},
                 follow_redirects=False)
    # refused: nothing saved, and the page says why beside the event
    assert r.status_code == 303 and "refused=" in r.headers["location"] and f"at={eid}" in r.headers["location"]
    assert api.get(f"/api/events/{eid}").json()["sub_event_type"] == ev["sub_event_type"]
    page = api.get(r.headers["location"]).text
    assert 'class="refused"' in page and "sub_event_type must be one of" in page


def _editor(url: str, event_ids: list[str], field: str, n: int, start: float) -> None:
    store = Store(url)
    while time.time() < start:
        time.sleep(0.001)
    for i in range(n):
        eid = event_ids[i % len(event_ids)]
        store.review(eid, field, "edit", change=lambda rec, i=i: {**rec, field: i})


def test_two_processes_editing_the_same_events_lose_nothing(api):
    ids = api.event_ids[:3]
    n = 30
    start = time.time() + 0.5
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_editor, args=(api.url, ids, field, n, start)) for field in ("notes", "injured")]
    threads = [threading.Thread(target=_editor, args=(api.url, ids, "confidence", n, start))]
    for p in procs:
        p.start()
    for t in threads:
        t.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    for t in threads:
        t.join(60)
    store = Store(api.url)
    for k, eid in enumerate(ids):
        rec = store.get_event(eid)
        last = max(i for i in range(n) if i % len(ids) == k)
        assert rec["notes"] == rec["injured"] == rec["confidence"] == last  # no field reverted
        assert _chain_unbroken(store, eid)
        assert len(store.audit(eid)) == 3 * len([i for i in range(n) if i % len(ids) == k])


def test_reads_answer_while_another_process_holds_the_write_lock(api):
    import sqlite3

    lock = sqlite3.connect(api.url.removeprefix("sqlite:///"), isolation_level=None, timeout=1)
    lock.execute("BEGIN IMMEDIATE")
    lock.execute("UPDATE users SET name = name")
    try:
        for path in ("/api/events", f"/api/events/{api.event_ids[0]}", "/events", "/static/style.css"):
            t0 = time.perf_counter()
            assert api.get(path).status_code == 200
            assert time.perf_counter() - t0 < 1.0, path  # the busy timeout is 10 s: nothing waited on it
    finally:
        lock.execute("ROLLBACK")
        lock.close()


def test_csrf_and_origin_checks_on_every_form_and_api_writes_by_header_only(api):
    from rasad.web.deps import csrf_token

    token = api.store.open_session("amal")
    eid = api.event_ids[0]
    api.cookies.set("rasad_token", token)
    # the API never takes the cookie as a write credential
    assert api.post(f"/api/events/{eid}/reject").status_code == 401
    form = {"action": "accept", "csrf": csrf_token(token)}
    url = f"/reports/camp/events/{eid}"
    assert api.post(url, data={"action": "accept"}, follow_redirects=False).status_code == 403  # no token
    assert api.post(url, data=form, headers={"Origin": "http://evil.example:8001"},
                    follow_redirects=False).status_code == 403
    assert api.post(url, data=form, headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False).status_code == 403
    assert api.get(f"/api/events/{eid}").json()["status"] == "machine"
    assert api.post(url, data=form, headers={"Origin": "http://testserver"}, follow_redirects=False).status_code == 303
    assert api.get(f"/api/events/{eid}").json()["status"] == "accepted"


def test_login_csrf_and_secure_cookie(api):
    token = api.hdr["Authorization"].split()[1]
    api.cookies.clear()
    # a login posted from elsewhere (no login nonce) cannot log the browser in as someone else
    assert api.post("/login", data={"token": token}, follow_redirects=False).status_code == 403
    page = api.get("/login")
    nonce = page.text.split('name="csrf" value="')[1].split('"')[0]
    r = api.post("/login", data={"token": token, "csrf": nonce}, headers={"X-Forwarded-Proto": "https"},
                 follow_redirects=False)
    assert r.status_code == 303
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("rasad_token="))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie


def test_a_sub_type_alone_is_checked_against_the_events_type_in_the_api_too(api):
    eid = api.event_ids[0]
    ev = api.get(f"/api/events/{eid}").json()
    r = api.patch(f"/api/events/{eid}", json={"sub_event_type": "Armed clash"}, headers=api.hdr)
    assert r.status_code == 422 and api.get(f"/api/events/{eid}").json()["sub_event_type"] == ev["sub_event_type"]
    r = api.post("/api/events", json={"article_id": "camp", "event_type": "Battles", "sub_event_type": "Grenade"},
                 headers=api.hdr)
    assert r.status_code == 422


def test_an_unknown_place_is_refused_and_the_point_kept(api):
    eid = api.event_ids[0]
    before = api.get(f"/api/events/{eid}").json()["location"]
    for body in ({"place": "Springfield"}, {"place": "مدينة لا وجود لها"}, {"pcode": "C0000000"}):
        r = api.patch(f"/api/events/{eid}", json=body, headers=api.hdr)
        assert r.status_code == 422 and "gazetteer" in r.json()["detail"], body
    assert api.get(f"/api/events/{eid}").json()["location"] == before
    r = api.patch(f"/api/events/{eid}", json={"pcode": "C4040"}, headers=api.hdr)  # a P-code alone picks the place
    assert r.status_code == 200 and r.json()["location"]["pcode"] == "C4040"
    assert r.json()["location"]["latitude"] is not None
    r = api.patch(f"/api/events/{eid}", json={"place": "Saraqab"}, headers=api.hdr)  # an English name too
    assert r.status_code == 200 and r.json()["location"]["pcode"] == "C4040"


def test_figures_reset_to_unknown_and_the_audit_shows_before_after_and_why(api):
    eid = api.event_ids[0]
    assert api.patch(f"/api/events/{eid}", json={"injured": 4, "fatalities": {"total": 6, "children": 2}},
                     headers=api.hdr).status_code == 200
    r = api.patch(f"/api/events/{eid}", json={"injured": None, "fatalities": {"children": None},
                                              "reason": "the report gives no count"}, headers=api.hdr)
    got = r.json()
    assert got["injured"] is None and got["fatalities"]["children"] is None and got["fatalities"]["total"] == 6
    last = api.get(f"/api/events/{eid}/audit").json()[-1]
    assert last["reason"] == "the report gives no count"
    assert {c["field"]: (c["before"], c["after"]) for c in last["changes"]} == {
        "injured": (4, None), "fatalities.children": (2, None)}


def test_selected_words_become_the_fields_evidence(api):
    eid = api.event_ids[0]
    word = "كفر جالس"
    start = CAMP.index(word)
    span = {"field": "location", "start": start, "end": start + len(word)}
    r = api.patch(f"/api/events/{eid}", json={"place": word, "evidence": [span]}, headers=api.hdr)
    assert r.status_code == 200
    places = [e for e in r.json()["evidence"] if e["field"] == "location"]
    assert places == [{**span, "text": word}]  # the reviewer's span replaces the machine's for that field
    for bad in ({"field": "location", "start": 5, "end": 10**6}, {"field": "status", "start": 0, "end": 3}):
        assert api.patch(f"/api/events/{eid}", json={"evidence": [bad]}, headers=api.hdr).status_code == 422
    added = api.post("/api/events", headers=api.hdr, json={
        "article_id": "camp", "event_type": "Battles", "sub_event_type": "Armed clash", "place": "سراقب",
        "evidence": [span]})
    assert added.status_code == 201 and added.json()["evidence"] == [{**span, "text": word}]


def test_the_review_form_takes_every_field_and_resets_figures(api):
    from rasad.web.deps import csrf_token

    eid = api.event_ids[0]
    token = api.store.open_session("amal")
    api.cookies.update({"rasad_token": token})
    word = "كفر جالس"
    start = CAMP.index(word)
    form = {"action": "edit", "csrf": csrf_token(token), "fatalities_children": "؟", "fatalities_women": "1",
            "weapons": "artillery، rocket", "background": "no", "notes": "checked twice",
            "reason": "read again", "evidence": json_spans([{"field": "location", "start": start,
                                                              "end": start + len(word)}])}
    r = api.post(f"/reports/camp/events/{eid}", data=form, follow_redirects=False)
    assert r.status_code == 303 and "refused" not in r.headers["location"]
    ev = api.get(f"/api/events/{eid}").json()
    assert ev["fatalities"]["children"] is None and ev["fatalities"]["women"] == 1
    assert ev["weapons"] == ["artillery", "rocket"] and ev["notes"] == "checked twice"
    assert any(e["field"] == "location" and e["text"] == word for e in ev["evidence"])
    page = api.get("/reports/camp").text
    assert "«read again»" in page and "fatalities.children" in page
    r = api.post(f"/reports/camp/events/{eid}", data={"action": "edit", "csrf": csrf_token(token),
                                                      "place": "Springfield"}, follow_redirects=False)
    assert "refused=" in r.headers["location"]
    assert "Springfield" in api.get(r.headers["location"]).text


def json_spans(spans):
    import json

    return json.dumps(spans)


def test_the_queue_puts_what_most_needs_a_person_first_and_counts_progress(api):
    queued = api.store.queue()
    assert {e["event_id"] for e in queued} == set(api.event_ids)
    keys = [(e["background"], int(e["confidence"] * 10), -((e["fatalities"] or {}).get("total") or 0)) for e in queued]
    assert keys == sorted(keys)
    done, total = api.store.review_progress()
    assert (done, total) == (0, len(api.event_ids))
    assert "لماذا هنا: ثقة" in api.get("/queue").text
    api.post(f"/api/events/{api.event_ids[0]}/accept", headers=api.hdr)
    assert api.event_ids[0] not in {e["event_id"] for e in api.store.queue()}
    assert api.store.review_progress() == (1, total)
    assert 'id="reviewed">1<' in api.get("/queue").text


def test_search_finds_a_report_by_a_places_english_name_and_each_event_has_a_page(api):
    page = api.get("/search", params={"q": "Kafr Jales"}).text  # the report names it in Arabic only
    assert 'href="/reports/camp"' in page and "C3945" in page
    assert 'href="/reports/camp"' in api.get("/search", params={"q": "كفرجالس"}).text  # spelling variant
    assert "لا تقارير" in api.get("/search", params={"q": "Springfield"}).text
    eid = api.event_ids[0]
    page = api.get(f"/events/{eid}").text
    assert eid in page and 'class="snippet"' in page and "/reports/camp#" in page
    assert api.get("/events/nope").status_code == 404


def test_logout_ends_the_browser_session(api):
    from rasad.web.deps import csrf_token

    token = api.store.open_session("amal")
    api.cookies.update({"rasad_token": token})
    assert 'action="/logout"' in api.get("/queue").text
    assert api.post("/logout", data={"csrf": "forged"}, follow_redirects=False).status_code == 403
    r = api.post("/logout", data={"csrf": csrf_token(token)}, follow_redirects=False)
    assert r.status_code == 303 and 'rasad_token=""' in r.headers["set-cookie"]
    assert api.store.session_user(token) is None  # the session itself is over, not just the cookie
    assert api.get("/api/events", headers=api.hdr).status_code == 200  # the API token still works


def test_a_name_the_gazetteer_lacks_is_kept_when_a_pcode_locates_it(api):
    eid = api.event_ids[0]
    r = api.patch(f"/api/events/{eid}", json={"place": "مخيم الأمل", "pcode": "C3945"}, headers=api.hdr)
    loc = r.json()["location"]
    assert r.status_code == 200 and loc["name"] == "مخيم الأمل" and loc["pcode"] == "C3945" and loc["latitude"]


def test_roles_readers_read_reviewers_review_admins_manage_users(api):
    from rasad.web.deps import csrf_token

    eid = api.event_ids[0]
    reader = {"Authorization": f"Bearer {api.store.add_user('rana', 'reader')}"}
    assert api.get(f"/api/events/{eid}", headers=reader).status_code == 200
    r = api.post(f"/api/events/{eid}/accept", headers=reader)
    assert r.status_code == 403 and "reviewer" in r.json()["detail"]
    session = api.store.open_session("rana")
    api.cookies.set("rasad_token", session)
    form = {"action": "accept", "csrf": csrf_token(session)}
    assert api.post(f"/reports/camp/events/{eid}", data=form, follow_redirects=False).status_code == 403
    assert 'name="action" value="accept"' not in api.get("/reports/camp").text  # no review buttons for a reader
    assert api.get("/admin/users").status_code == 403
    api.store.add_user("hala", "admin")
    boss = api.store.open_session("hala")
    api.cookies.set("rasad_token", boss)
    page = api.get("/admin/users").text
    assert "rana" in page and "reader" in page
    r = api.post("/admin/users", data={"csrf": csrf_token(boss), "name": "rana", "action": "reviewer"},
                 follow_redirects=False)
    assert r.status_code == 303 and api.post(f"/api/events/{eid}/accept", headers=reader).status_code == 200
    api.post("/admin/users", data={"csrf": csrf_token(boss), "name": "rana", "action": "revoke"})
    assert api.get(f"/api/events/{eid}", headers=reader).status_code == 200  # reads stay open...
    assert api.post(f"/api/events/{eid}/reject", headers=reader).status_code == 401  # ...writes do not
    assert api.store.session_user(session) is None  # nor does her browser


def test_sessions_expire_and_never_hold_the_api_token(api):
    token = api.hdr["Authorization"].split()[1]
    assert api.store.session_user(api.store.open_session("amal", hours=-1)) is None
    page = api.get("/login")
    nonce = page.text.split('name="csrf" value="')[1].split('"')[0]
    r = api.post("/login", data={"token": token, "csrf": nonce}, follow_redirects=False)
    cookie = r.cookies.get("rasad_token") or next(
        h for h in r.headers.get_list("set-cookie") if h.startswith("rasad_token=")).split("=", 1)[1].split(";")[0]
    assert cookie != token and api.store.session_user(cookie) == ("amal", "reviewer")
    assert "Max-Age=" in next(h for h in r.headers.get_list("set-cookie") if h.startswith("rasad_token="))


def test_users_cli_roles(tmp_path, capsys):
    from rasad.cli import main

    db = str(tmp_path / "u.db")
    assert main(["users", "add", "rana", "--role", "reader", "--db", db]) == 0
    assert main(["users", "add", "amal", "--db", db]) == 0
    assert main(["users", "role", "amal", "admin", "--db", db]) == 0
    assert main(["users", "role", "nobody", "admin", "--db", db]) == 1
    capsys.readouterr()
    assert main(["users", "list", "--db", db]) == 0
    rows = [line.split("\t")[:2] for line in capsys.readouterr().out.splitlines()]
    assert rows == [["amal", "admin"], ["rana", "reader"]]


def test_filters_by_review_status_figures_confidence_precision_source_with_facet_counts(api):
    eid = api.event_ids[0]
    ev = api.get(f"/api/events/{eid}").json()
    total = api.get("/api/events").json()["total"]
    assert api.get("/api/events", params={"status": "machine"}).json()["total"] == total
    api.post(f"/api/events/{eid}/accept", headers=api.hdr)
    accepted = api.get("/api/events", params={"status": "accepted"}).json()
    assert [e["event_id"] for e in accepted["events"]] == [eid]
    killed = (ev["fatalities"] or {}).get("total")
    assert killed and eid in {e["event_id"] for e in api.get(
        "/api/events", params={"min_fatalities": killed, "max_fatalities": killed}).json()["events"]}
    assert api.get("/api/events", params={"min_fatalities": killed + 1000}).json()["total"] == 0
    assert api.get("/api/events", params={"max_confidence": 0.01}).json()["total"] == 0
    precision = ev["location"]["geo_precision"]
    assert eid in {e["event_id"] for e in api.get("/api/events", params={"geo_precision": precision}).json()["events"]}
    if ev["reported_by"]:
        assert api.get("/api/events", params={"source": ev["reported_by"][0]}).json()["total"] >= 1
    assert api.get("/api/events", params={"source": "no such outlet"}).json()["total"] == 0
    assert api.get("/api/events", params={"status": "bogus"}).status_code == 422
    page = api.get("/events", params={"status": "accepted"}).text
    assert 'value="accepted" selected' in page and "(1)" in page
    assert api.get("/events", params={"min_fatalities": "abc", "max_confidence": "x"}).status_code == 200


def test_a_reports_tallies_are_on_its_page_and_in_the_api(api):
    text = ("حصيلة الأسبوع\nوثق الدفاع المدني مقتل 45 مدنياً خلال الأسبوع الماضي في قصف قوات النظام على ريف إدلب، "
            "بينهم 12 طفلاً.")
    api.post("/api/reports", json={"id": "week", "text": text, "published": "2022-11-06"}, headers=api.hdr)
    tallies = api.get("/api/reports/week").json()["aggregates"]
    assert [(t["what"], t["value"]) for t in tallies][:1] == [("civilians killed", 45)]
    assert text[tallies[0]["span"]["start"]:tallies[0]["span"]["end"]] == tallies[0]["span"]["text"]
    page = api.get("/reports/week").text
    assert 'id="tallies"' in page and "<b>45</b>" in page
