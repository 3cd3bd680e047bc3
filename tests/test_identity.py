"""A copy under a new id is counted once; an updated article is a new version with its own events;
no event is ever stored for a report the store does not hold."""

from __future__ import annotations

import json
import sqlite3

from conftest import FIXTURES
from rasad.cli import main
from rasad.store import Store
from rasad.store.db import EventFilter

CAMP = (FIXTURES / "reports" / "camp.txt").read_text(encoding="utf-8")
KAFR = (FIXTURES / "reports" / "kafrzita.txt").read_text(encoding="utf-8")


def _orphans_and_integrity(db: str) -> tuple[int, str]:
    con = sqlite3.connect(db)
    orphans = con.execute("SELECT count(*) FROM events WHERE article_id NOT IN (SELECT article_id FROM reports)")
    n = orphans.fetchone()[0]
    ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    return n, ok


def test_copies_under_new_ids_are_counted_once(tmp_path, gaz_dir, capsys):
    rows = [{"id": f"{name}-{i}", "text": text, "published": "2022-11-06"}
            for i in range(5) for name, text in (("camp", CAMP), ("kafr", KAFR))]
    src = tmp_path / "copies.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db, out = str(tmp_path / "c.db"), tmp_path / "events.jsonl"
    assert main(["extract", str(src), "--db", db, "--gazetteer", str(gaz_dir), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("is a copy of camp-0") == 4 and err.count("is a copy of kafr-0") == 4
    store = Store(f"sqlite:///{db}")
    stored = store.events(EventFilter())
    assert {e["article_id"] for e in stored} == {"camp-0", "kafr-0"}
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(e["event_id"] for e in written) == sorted(e["event_id"] for e in stored)
    assert store.count_reports() == 10  # every copy is kept as a pointer to its original
    # re-running changes nothing
    assert main(["extract", str(src), "--db", db, "--gazetteer", str(gaz_dir)]) == 0
    assert len(store.events(EventFilter())) == len(stored)
    assert _orphans_and_integrity(db) == (0, "ok")


def test_an_updated_article_keeps_both_versions_with_their_own_evidence(tmp_path, gaz_dir, capsys):
    db = str(tmp_path / "v.db")
    first, second = tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text(CAMP, encoding="utf-8")
    updated = CAMP.replace("صباح اليوم الأحد.", "صباح اليوم الأحد. وارتفعت الحصيلة لاحقاً إلى 10 قتلى.")
    second.write_text(updated, encoding="utf-8")
    for f in (first, second):
        assert main(["extract", str(f), "--db", db, "--gazetteer", str(gaz_dir), "--published", "2022-11-06"]) == 0
    assert "kept as version report.txt@v2" in capsys.readouterr().err
    store = Store(f"sqlite:///{db}")
    v1, v2 = store.get_report("report.txt"), store.get_report("report.txt@v2")
    assert v1.raw_text == CAMP and v2.raw_text == updated and v1.superseded_by == "report.txt@v2"
    for row in (v1, v2):
        events = store.events(EventFilter(article_id=row.article_id))
        assert events and all(row.raw_text[x["start"]:x["end"]] == x["text"]
                              for e in events for x in e["evidence"])
    current = store.events(EventFilter())
    assert current and {e["article_id"] for e in current} == {"report.txt@v2"}
    assert max(e["fatalities"]["total"] or 0 for e in current) == 10  # the update's toll, from its own text
    assert _orphans_and_integrity(db) == (0, "ok")


def test_the_api_answers_a_copy_with_its_original(tmp_path, gaz_dir):
    from fastapi.testclient import TestClient

    from rasad.web.app import create_app
    from rasad.web.deps import Settings

    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}", gazetteer_paths=[str(gaz_dir)],
                              read_requires_token=False))
    c = TestClient(app)
    hdr = {"Authorization": f"Bearer {app.state.services.store.add_user('amal')}"}
    body = {"reports": [{"id": "a", "text": CAMP, "published": "2022-11-06"},
                        {"id": "b", "text": CAMP, "published": "2022-11-06"}]}
    results = c.post("/api/reports", json=body, headers=hdr).json()["results"]
    assert results[0]["events"] and results[1]["copy_of"] == "a" and results[1]["events"] == []
    assert {e["article_id"] for e in c.get("/api/events").json()["events"]} == {"a"}


def test_two_extracts_of_one_input_into_one_store_report_no_false_failures(tmp_path, gaz_dir):
    import subprocess
    import sys

    rows = [{"id": f"r{i}", "text": text + f"\nفقرة {i}", "published": "2022-11-06"}
            for i in range(20) for text in (CAMP,)]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = str(tmp_path / "two.db")
    cmd = [sys.executable, "-m", "rasad.cli", "extract", str(src), "--db", db, "--gazetteer", str(gaz_dir)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs) and not any("store failed" in e for e in errs), errs
    assert Store(f"sqlite:///{db}").count_reports() == 20
