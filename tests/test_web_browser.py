"""The review app in a real browser: Playwright driving Debian's headless Chromium (installed by .ci/run).

Screenshots land in tests/screenshots/.
"""

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, SHARED

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
SHOTS = Path(__file__).parent / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import uvicorn

    from rasad.web.app import create_app
    from rasad.web.deps import Settings
    from rasad.web.service import take_reports

    tmp = tmp_path_factory.mktemp("site")
    seeds = SHARED / "seeds"
    gaz = SHARED / "gazetteer" if (SHARED / "gazetteer").is_dir() else FIXTURES / "gazetteer"
    app = create_app(Settings(db_url=f"sqlite:///{tmp / 'site.db'}", gazetteer_paths=[str(gaz)]))
    svc = app.state.services
    folder = seeds if seeds.is_dir() else FIXTURES / "reports"
    published = {"000": "2019-08-08", "002": "2022-11-06", "004": "2020-01-22"}
    records = [{"id": f.name, "text": f.read_text(encoding="utf-8"), "published": published.get(f.name[:3])}
               for f in sorted(folder.glob("*.txt"))]
    take_reports(svc, records)
    token = svc.store.add_user("reviewer")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "token": token, "store": svc.store, "ids": [r["id"] for r in records],
           "svc": svc}
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_dashboard_shows_events_on_map_and_table(site, browser):
    """The map is Leaflet from the server (no tiles, nothing from outside): outlines, a marker per
    event with a popup, zoom buttons, a legend; filtering to a governorate zooms to it."""
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(site["url"]) else None)
    page.goto(site["url"] + "/")
    page.wait_for_selector("#map[data-loaded][data-outlines]")
    markers = page.locator("path.event-marker")
    assert markers.count() > 0 and page.locator("path.admin1").count() > 0
    assert page.locator(".map-legend").is_visible()
    assert page.locator("#dashboard-table tbody tr").count() > 0
    assert int(page.inner_text("#event-count")) >= markers.count()
    zoom = page.evaluate("window.rasadMap.getZoom()")
    page.click(".leaflet-control-zoom-in")  # markers are fetched again for each view, once it settles
    page.wait_for_selector(f'#map[data-zoom="{zoom + 1}"]')
    page.click(".leaflet-control-zoom-out")
    page.wait_for_selector(f'#map[data-zoom="{zoom}"]')
    markers.first.click(force=True)
    popup = page.locator(".leaflet-popup-content .map-popup")
    popup.wait_for()
    assert "القتلى" in popup.inner_text() and popup.locator("a").get_attribute("href").startswith("/events/")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard.png"))
    admin1 = site["store"].events()[0]["location"]["admin1"]
    page.goto(site["url"] + "/?admin1=" + admin1)
    page.wait_for_selector("#map[data-outlines]")
    _until(page, f"window.rasadMap.getZoom() > {zoom}")  # zoomed to the governorate
    actor = _clustered_actor(site["store"])
    page.goto(site["url"] + "/?actor=" + actor)  # any other filter: zoomed to what it keeps
    _until(page, f"window.rasadMap.getZoom() > {zoom}")
    assert outside == []
    page.goto(site["url"] + "/events?sort=fatalities&desc=1")
    assert page.locator("#events-table tbody tr").count() > 0
    page.screenshot(path=str(SHOTS / "events.png"))
    page.close()


def _clustered_actor(store) -> str:
    """A perpetrator whose located news events all lie within a degree or so (zooming to them shows
    them closer than the whole country)."""
    spans: dict[str, list[tuple[float, float]]] = {}
    for e in store.events():
        loc = e["location"] or {}
        if loc.get("latitude") is not None and e["actor1"] and not e["background"]:
            spans.setdefault(e["actor1"], []).append((loc["latitude"], loc["longitude"]))
    fits = [a for a, pts in spans.items() if max(p[0] for p in pts) - min(p[0] for p in pts) < 1.5
            and max(p[1] for p in pts) - min(p[1] for p in pts) < 1.5]
    assert fits, spans
    return sorted(fits)[0]


def _until(page, expression: str, seconds: float = 5.0) -> None:
    """Wait for a JavaScript condition (polled from here: the pages' content security policy forbids
    the eval that Playwright's wait_for_function uses)."""
    end = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < end, f"still false after {seconds}s: {expression}"
        time.sleep(0.05)


def test_report_page_highlights_evidence(site, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    article = next(a for a in site["ids"] if site["store"].events(_filter(a)))
    page.goto(f"{site['url']}/reports/{article}")
    for kind in ("place", "actor", "trigger"):
        assert page.locator(f"#report-text mark.ev.{kind}").count() > 0, kind
    assert page.locator("#events section.event").count() > 0
    card = page.locator("#events section.event").first
    card.hover()  # an event's card lights its own words in the text, and only those
    lit = page.locator("#report-text mark.ev.lit")
    assert lit.count() > 0
    assert all(card.get_attribute("id") in m.get_attribute("data-events").split() for m in lit.all())
    page.mouse.move(1, 1)
    assert page.locator("#report-text mark.ev.lit").count() == 0
    page.screenshot(path=str(SHOTS / "report.png"), full_page=True)
    page.close()


def _filter(article_id):
    from rasad.store.db import EventFilter

    return EventFilter(article_id=article_id)


def test_edit_in_the_page_survives_reload_with_audit(site, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(site["url"] + "/login")
    page.fill("input[name=token]", site["token"])
    page.click("form.login button")
    article = next(a for a in site["ids"] if site["store"].events(_filter(a)))
    event_id = site["store"].events(_filter(article))[0]["event_id"]
    page.goto(f"{site['url']}/reports/{article}")
    section = page.locator(f"section.event[id='{event_id}']")
    section.locator("details summary").click()
    section.locator("input[name=fatalities_total]").fill("42")
    section.locator("button.save").click()
    page.wait_for_load_state()
    page.reload()
    section = page.locator(f"section.event[id='{event_id}']")
    assert "42" in section.locator("dd.f-fatalities").inner_text()
    assert "edited" in section.locator("dd.f-status").inner_text()
    assert "reviewer: edit" in section.locator("ol.audit").inner_text()
    page.screenshot(path=str(SHOTS / "review.png"), full_page=True)
    audit = site["store"].audit(event_id)
    assert audit[-1]["user"] == "reviewer" and audit[-1]["after"]["fatalities"]["total"] == 42
    page.close()


def test_a_place_picked_on_the_map_fills_the_form_and_is_saved(site, browser):
    """The review form's map: a click lists the gazetteer's nearest places; choosing one fills the place
    and its P-code, and saving stores the event there."""
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(site["url"] + "/login")
    page.fill("input[name=token]", site["token"])
    page.click("form.login button")
    ev = next(e for e in site["store"].events() if (e["location"] or {}).get("pcode")
              and e["location"]["pcode"].startswith("C") and e["status"] == "machine")
    page.goto(f"{site['url']}/reports/{ev['article_id']}#edit-{ev['event_id']}")
    section = page.locator(f"section.event[id='{ev['event_id']}']")
    section.locator("button.pick-on-map").click()
    box = section.locator("div.pick-map")
    page.wait_for_selector(f"section.event[id='{ev['event_id']}'] div.pick-map[data-outlines]")
    point = box.evaluate("(el, ll) => el.rasadMap.latLngToContainerPoint(ll)",
                        [ev["location"]["latitude"], ev["location"]["longitude"]])
    rect = box.bounding_box()
    page.mouse.click(rect["x"] + point["x"], rect["y"] + point["y"])  # a real click on the map
    first = section.locator("button.pick-choice").first
    first.wait_for()
    assert "كم" in first.inner_text()
    first.click()
    pcode = section.locator("input.pcode-input").input_value()
    assert pcode and pcode in first.inner_text() and section.locator("input.place-input").input_value()
    with page.expect_navigation():
        section.locator("button.save").click()
    after = site["store"].get_event(ev["event_id"])
    assert after["status"] == "edited" and after["location"]["pcode"] == pcode
    page.close()


def test_a_place_the_gazetteer_lacks_is_set_on_the_map_and_learned(site, browser):
    """A name typed in the place field and a point clicked on the form's map: "مكان جديد" keeps both,
    saving places the event there and the store learns the place for later reports."""
    from rasad.store import learned

    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(site["url"] + "/login")
    page.fill("input[name=token]", site["token"])
    page.click("form.login button")
    ev = next(e for e in site["store"].events() if e["status"] == "machine")
    page.goto(f"{site['url']}/reports/{ev['article_id']}#edit-{ev['event_id']}")
    section = page.locator(f"section.event[id='{ev['event_id']}']")
    section.locator("input.place-input").fill("مزرعة الوادي الأخضر")
    section.locator("button.pick-on-map").click()
    page.wait_for_selector(f"section.event[id='{ev['event_id']}'] div.pick-map[data-outlines]")
    box = section.locator("div.pick-map")
    point = box.evaluate("(el) => el.rasadMap.latLngToContainerPoint([35.5, 36.6])")
    rect = box.bounding_box()
    page.mouse.click(rect["x"] + point["x"], rect["y"] + point["y"])
    new = section.locator("button.pick-new")
    new.wait_for()
    assert "مزرعة الوادي الأخضر" in new.inner_text()
    new.click()
    section.locator("select[name=new_kind]").select_option("landmark")
    with page.expect_navigation():
        section.locator("button.save").click()
    after = site["store"].get_event(ev["event_id"])
    assert after["location"]["name"] == "مزرعة الوادي الأخضر"
    assert abs(after["location"]["latitude"] - 35.5) < 0.05 and abs(after["location"]["longitude"] - 36.6) < 0.05
    taught = [p for p in learned.learned(site["store"]) if p["name_ar"] == "مزرعة الوادي الأخضر"]
    assert taught and taught[0]["kind"] == "landmark" and taught[0]["reviewer"] == "reviewer"
    page.close()


SELECT_SPAN = """([start, end]) => {
  const art = document.getElementById('report-text');
  const walker = document.createTreeWalker(art, NodeFilter.SHOW_TEXT);
  let pos = 0, node, sNode, sOff, eNode, eOff;
  while ((node = walker.nextNode())) {
    const len = node.data.length;
    if (sNode === undefined && start < pos + len) { sNode = node; sOff = start - pos; }
    if (end <= pos + len) { eNode = node; eOff = end - pos; break; }
    pos += len;
  }
  const r = document.createRange(); r.setStart(sNode, sOff); r.setEnd(eNode, eOff);
  const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r);
  art.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
  return r.toString();
}"""


def test_selected_words_become_evidence_and_an_unknown_place_is_refused(site, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(site["url"] + "/login")
    page.fill("input[name=token]", site["token"])
    page.click("form.login button")
    article, ev = next((a, e) for a in site["ids"] for e in site["store"].events(_filter(a))
                       if e["location"] and e["location"].get("pcode")
                       and any(x["field"] == "location" for x in e["evidence"]))
    span = next(x for x in ev["evidence"] if x["field"] == "location")
    page.goto(f"{site['url']}/reports/{article}")
    section = page.locator(f"section.event[id='{ev['event_id']}']")
    section.locator("details summary").click()
    assert page.evaluate(SELECT_SPAN, [span["start"], span["end"]]) == span["text"]
    section.locator("input[name=place]").click()  # the field clicked next takes the words and their span
    assert section.locator("input[name=place]").input_value() == span["text"]
    section.locator("input[name=pcode]").fill(ev["location"]["pcode"])
    section.locator("input[name=reason]").fill("checked against the text")
    section.locator("button.save").click()
    page.wait_for_load_state()
    stored = site["store"].get_event(ev["event_id"])
    assert {"field": "location", "start": span["start"], "end": span["end"], "text": span["text"]} in stored["evidence"]
    section = page.locator(f"section.event[id='{ev['event_id']}']")
    assert "«checked against the text»" in section.locator("ol.audit").inner_text()
    section.locator("details summary").click()
    section.locator("input[name=place]").press_sequentially("Saraq")  # suggestions from the gazetteer, in English too
    page.locator("#place-options option").first.wait_for(state="attached", timeout=5000)
    assert "Saraqab" in page.locator("#place-options").inner_html()
    section.locator("input[name=place]").fill("Springfield")
    section.locator("button.save").click()
    page.wait_for_load_state()
    refused = page.locator(f"section.event[id='{ev['event_id']}'] p.refused")
    assert "Springfield" in refused.inner_text() and "gazetteer" in refused.inner_text()
    assert site["store"].get_event(ev["event_id"])["location"]["latitude"] == stored["location"]["latitude"]
    page.screenshot(path=str(SHOTS / "review-evidence.png"), full_page=True)
    page.close()


def _queue_at_least(site, n: int) -> None:
    """Enough unreviewed events for a day's work: the fixture reports told again on other days, as
    new reports, until the queue holds n (the seeds alone, when there, hold more)."""
    from rasad.web.service import take_reports

    texts = [f.read_text(encoding="utf-8") for f in sorted((FIXTURES / "reports").glob("*.txt"))]
    day = 1
    while len(site["store"].queue(n)) < n and day < 28:
        take_reports(site["svc"], [{"id": f"retold-{day}-{i}", "text": f"نشرة رقم {day}\n{t}",  # not a copy
                                    "published": f"2023-03-{day:02d}"} for i, t in enumerate(texts)])
        day += 1


def test_the_review_queue_with_the_keyboard_alone(site, browser):
    _queue_at_least(site, 25)
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.goto(site["url"] + "/login")
    page.fill("input[name=token]", site["token"])
    page.click("form.login button")
    page.goto(site["url"] + "/queue")
    queued = [x.get_attribute("data-event") for x in page.locator("#queue li.card").all()]
    assert queued, "nothing to review"
    done = int(page.inner_text("#reviewed"))
    reviewed = [_correct_with_keyboard_evidence(page, site["store"])]
    page.goto(site["url"] + "/queue")  # back to the queue: the corrected one is gone from it
    queued = [x.get_attribute("data-event") for x in page.locator("#queue li.card").all()]
    assert queued and reviewed[0] not in queued
    page.keyboard.press("j")  # the second card
    second = page.locator("#queue li.card.current").get_attribute("data-event")
    assert second == queued[1] if len(queued) > 1 else second == queued[0]
    with page.expect_navigation():
        page.keyboard.press("r")
    assert site["store"].get_event(second)["status"] == "rejected"
    reviewed.append(second)
    left = page.locator("#queue li.card").count()
    for _ in range(min(18, left)):  # then accept the rest, one key each, the next coming up each time
        current = page.locator("#queue li.card.current").get_attribute("data-event")
        with page.expect_navigation():
            page.keyboard.press("a")
        reviewed.append(current)
        assert site["store"].get_event(current)["status"] == "accepted"
    assert int(page.inner_text("#reviewed")) == done + len(reviewed)
    assert all(site["store"].audit(e)[-1]["user"] == "reviewer" for e in reviewed)
    page.screenshot(path=str(SHOTS / "queue.png"), full_page=True)
    page.close()


def _correct_with_keyboard_evidence(page, store):
    """From the queue, "e" opens the current event's edit form with the keyboard in it; the reviewer
    picks a field, types words of the report and Enter keeps them as its evidence; Ctrl+Enter saves.
    The audit trail has the change, before and after."""
    words = None
    for _ in range(page.locator("#queue li.card").count()):  # to an event with words of its own to quote
        current = page.locator("#queue li.card.current").get_attribute("data-event")
        words = next((e["text"] for e in store.get_event(current).get("evidence") or [] if len(e["text"]) > 2), None)
        if words:
            break
        page.keyboard.press("j")
    assert words, "no queued event has evidence to quote"
    with page.expect_navigation():
        page.keyboard.press("e")
    assert f"#edit-{current}" in page.url
    assert page.evaluate("document.activeElement.className") == "find-field"  # the form is open, focused
    page.keyboard.press("ArrowDown")  # القتلى: the words become the death toll's evidence
    page.keyboard.press("Tab")
    page.keyboard.type(words)
    page.keyboard.press("Enter")
    status = page.locator(f"#edit-{current} output.find-status")
    assert words in status.inner_text()
    assert page.evaluate("window.getSelection().toString()") == words  # shown in the report
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    after = store.get_event(current)
    assert after["status"] == "edited"
    assert any(e["field"] == "fatalities" and e["text"] == words for e in after["evidence"])
    trail = store.audit(current)[-1]
    assert trail["action"] == "edit" and trail["before"]["status"] == "machine" and trail["after"]["status"] == "edited"
    return current


def test_every_page_fits_a_390px_phone(site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    outside = []  # and no page loads anything from outside the server
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((site["url"], "data:")) else None)
    article = next(a for a in site["ids"] if site["store"].events(_filter(a)))
    event_id = site["store"].events(_filter(article))[0]["event_id"]
    for name, path in (("dashboard", "/"), ("events", "/events"), ("report", f"/reports/{article}"),
                       ("queue", "/queue"), ("event", f"/events/{event_id}"), ("search", "/search?q=Saraqab"),
                       ("incidents", "/incidents")):
        page.goto(site["url"] + path)
        if name == "dashboard":
            page.wait_for_selector("#map[data-loaded][data-outlines]")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)  # nothing cut off: no sideways scrolling of the page
        page.screenshot(path=str(SHOTS / f"phone-{name}.png"), full_page=True)
    assert outside == []
    page.close()


def test_incident_page_shows_sources_side_by_side(site, browser):
    from rasad import process
    from rasad.profile import Profile

    camp = (FIXTURES / "reports" / "camp.txt").read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    r = page.request.post(site["url"] + "/api/reports", headers={"Authorization": f"Bearer {site['token']}"},
                          data={"id": "dated-camp", "text": camp.replace("9 مدنيين", "10 مدنيين"),
                                "published": "2022-11-06", "source": "dated"})
    assert r.status == 201, r.text()
    process.link_stored(site["store"], Profile.load())
    page.goto(site["url"] + "/incidents")
    assert page.locator("#incidents tbody tr a").count() > 0
    page.locator("#incidents tbody tr a").first.click()
    page.wait_for_selector("#sources")
    assert page.locator("#sources section.source").count() >= 1
    assert page.locator("#sources blockquote.evidence mark.ev.place").count() >= 1
    assert page.locator("#grade strong").inner_text() in ("Weak", "Fair", "Contested", "Confirmed")
    page.screenshot(path=str(SHOTS / "incident.png"), full_page=True)
    from rasad.store import incidents as stored

    records = stored.incidents(site["store"])
    page.goto(site["url"] + "/")  # the dashboard counts incidents and sums their best figures
    assert int(page.inner_text("#incident-count")) == len(records)
    assert int(page.inner_text("#incident-killed")) == sum(r["killed"]["best"] or 0 for r in records)
    page.close()


def test_merge_and_split_in_the_incident_page_persist_with_audit(site, browser):
    from rasad import process
    from rasad.profile import Profile
    from rasad.store import incidents as stored

    camp = (FIXTURES / "reports" / "camp.txt").read_text(encoding="utf-8")
    svc_store = site["store"]
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(site["url"] + "/login")
    page.fill("input[name=token]", site["token"])
    page.click("form.login button")
    # two more tellings of one strike, posted through the API as a reviewer's tools would
    for rid, n in (("twin1", "14"), ("twin2", "15")):
        r = page.request.post(site["url"] + "/api/reports", headers={"Authorization": f"Bearer {site['token']}"},
                              data={"id": rid, "text": camp.replace("9 مدنيين", f"{n} مدنيا"),
                                    "published": "2022-11-06", "source": rid})
        assert r.status == 201, r.text()
    process.link_stored(svc_store, Profile.load())
    inc = next(i for i in stored.incidents(svc_store) if {"twin1", "twin2"} <= {m["article_id"] for m in i["members"]})
    iid = inc["incident_id"]
    page.goto(f"{site['url']}/incidents/{iid}")
    page.locator("section.source[data-article='twin2'] input[name=event_ids]").check()
    page.click("#split")
    page.wait_for_load_state()
    page.reload()
    assert page.locator("section.source[data-article='twin2']").count() == 0
    other = next(i["incident_id"] for i in stored.incidents(svc_store)
                 if [m["article_id"] for m in i["members"]] == ["twin2"])
    page.fill("#merge-other", other)
    page.click("#merge")
    page.wait_for_load_state()
    page.reload()
    assert page.locator("section.source[data-article='twin2']").count() == 1
    text = page.locator("#incident-audit").inner_text()
    assert "reviewer: incident-split" in text and "reviewer: incident-merge" in text
    assert stored.get_incident(svc_store, other) is None and stored.get_incident(svc_store, iid)["reviewed"]
    page.screenshot(path=str(SHOTS / "incident-review.png"), full_page=True)
    page.close()


def test_api_docs_work_offline(site, browser):
    """Swagger UI and ReDoc come from the server itself: every request stays on it."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((site["url"], "data:", "blob:"))
            else None)
    page.goto(site["url"] + "/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() > 5
    page.goto(site["url"] + "/redoc")
    page.wait_for_selector("[data-section-id]", timeout=15000)
    assert outside == []
    page.close()
