"""The same store and API on PostgreSQL, when RASAD_TEST_PG holds a DSN to an empty database, e.g.
postgresql+psycopg://postgres@/rasad?host=/tmp&port=5433 (skipped otherwise)."""

import os

import pytest

from conftest import FIXTURES

DSN = os.environ.get("RASAD_TEST_PG")
pytestmark = pytest.mark.skipif(not DSN, reason="RASAD_TEST_PG not set")


def test_store_and_api_on_postgres(gaz_dir):
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine, text

    from rasad.web.app import create_app
    from rasad.web.deps import Settings

    with create_engine(DSN).begin() as conn:  # a clean schema each run
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    app = create_app(Settings(db_url=DSN, gazetteer_paths=[str(gaz_dir)]))
    c = TestClient(app)
    store = app.state.services.store
    hdr = {"Authorization": f"Bearer {store.add_user('pg')}"}
    camp = (FIXTURES / "reports" / "camp.txt").read_text(encoding="utf-8")
    r = c.post("/api/reports", json={"id": "camp", "text": camp, "published": "2022-11-06"}, headers=hdr)
    assert r.status_code == 201
    page = c.get("/api/events", params={"admin1": "Idleb"}).json()
    assert page["total"] >= 1
    eid = page["events"][0]["event_id"]
    assert c.patch(f"/api/events/{eid}", json={"injured": 80}, headers=hdr).json()["injured"] == 80
    assert c.get(f"/api/events/{eid}/audit").json()[0]["user"] == "pg"
    assert c.get("/api/export", params={"format": "acled-csv"}).status_code == 200
    assert store.search("مرام")[0][0] == "camp"
    assert c.get("/reports/camp").status_code == 200
    assert c.get("/queue").status_code == 200 and store.review_progress()[0] == 1
    # the dashboard's sums, the map's points and grid cells, and facets, as PostgreSQL computes them
    dash = c.get("/", params={"admin1": "Idleb"})
    assert dash.status_code == 200 and 'id="event-count">0<' not in dash.text
    assert c.get("/events", params={"status": "edited"}).status_code == 200
    box = {"bbox": "35,32,42,37.5", "include_background": "false"}
    points = c.get("/api/map", params=box).json()["features"]
    from rasad.store import summaries

    summaries.POINTS = 0
    try:
        cells = c.get("/api/map", params=box).json()["features"]
    finally:
        summaries.POINTS = 800
    assert points and sum(f["properties"]["count"] for f in cells) == len(points)
    from rasad.cli import main  # the batch writer of `rasad extract`, on PostgreSQL

    assert main(["extract", "--db", DSN, "--gazetteer", str(gaz_dir), "--out", os.devnull,
                 str(FIXTURES / "reports")]) == 0
    assert {r.article_id for r in store.iter_reports()} >= {"camp", "kafrzita.txt"}


def test_two_processes_editing_on_postgres_lose_nothing(gaz_dir):
    import multiprocessing as mp
    import time

    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine, text
    from test_review_concurrency import _chain_unbroken, _editor

    from rasad.store import Store
    from rasad.web.app import create_app
    from rasad.web.deps import Settings

    with create_engine(DSN).begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    app = create_app(Settings(db_url=DSN, gazetteer_paths=[str(gaz_dir)]))
    c = TestClient(app)
    hdr = {"Authorization": f"Bearer {app.state.services.store.add_user('pg')}"}
    camp = (FIXTURES / "reports" / "camp.txt").read_text(encoding="utf-8")
    res = c.post("/api/reports", json={"id": "camp", "text": camp, "published": "2022-11-06"}, headers=hdr)
    ids = [e["event_id"] for e in res.json()["results"][0]["events"]][:3]
    n, start = 30, time.time() + 0.5
    procs = [mp.get_context("fork").Process(target=_editor, args=(DSN, ids, field, n, start))
             for field in ("notes", "injured")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    store = Store(DSN)
    for k, eid in enumerate(ids):
        rec = store.get_event(eid)
        last = max(i for i in range(n) if i % len(ids) == k)
        assert rec["notes"] == rec["injured"] == last and _chain_unbroken(store, eid)
