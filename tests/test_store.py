import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES
from rasad.cli import main
from rasad.ingest import iter_inputs
from rasad.store import Store
from rasad.store.db import query_variants

BODY = ("قصفت الطائرات الحربية الروسية مدينة كفر زيتا وبلدة اللطامنة في ريف حماة الشمالي صباح اليوم، "
        "ما أدى إلى مقتل مدنيين وإصابة آخرين بجروح متفاوتة، بحسب ما أفاد به الدفاع المدني في المنطقة. "
        "وتشهد المنطقة تصعيدا عسكريا منذ أيام مع استمرار القصف المدفعي على القرى والبلدات المجاورة.")


def _store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'x.db'}")


def test_same_report_stored_once_and_near_duplicates_linked(tmp_path):
    store = _store(tmp_path)
    reports = list(iter_inputs([str(FIXTURES / "reports")]))
    assert [store.add_report(r).status for r in reports] == ["stored", "stored"]
    assert [store.add_report(r).status for r in reports] == ["duplicate", "duplicate"]
    from rasad.ingest.readers import finish, read_text_report

    first = finish(read_text_report("عنوان\n" + BODY, article_id="site-a"))
    edited = finish(read_text_report("عنوان آخر\n" + BODY.replace("صباح اليوم", "فجر اليوم"), article_id="site-b"))
    assert store.add_report(first).status == "stored"
    res = store.add_report(edited)
    assert res.status == "stored" and res.near_duplicates == ["site-a"]
    assert store.near_duplicates("site-a") == ["site-b"]
    unrelated = finish(read_text_report("عنوان\n" + "اجتمع وزراء الزراعة لبحث أسعار القمح والشعير في الأسواق " * 4,
                                        article_id="site-c"))
    assert store.add_report(unrelated).near_duplicates == []
    assert store.count_reports() == 5


def test_search_ignores_spelling_variants_and_spaces(tmp_path):
    store = _store(tmp_path)
    for r in iter_inputs([str(FIXTURES / "reports")]):
        store.add_report(r)
    for q in ("كفرزيتا", "كفر زيتا", "كَفْر زيتا", "الدفاع المدنى", "مخيم مرام"):
        hits = store.search(q)
        assert hits, q
    assert store.search("كفرزيتا")[0][0] == "kafrzita.txt"
    assert store.search("مخيم مرام")[0][0] == "camp.txt"
    assert store.search("طرطوس") == []
    assert "كفر زيتا" in query_variants("كفرزيتا")


def test_stored_clean_text_has_no_furniture(tmp_path):
    store = _store(tmp_path)
    for r in iter_inputs([str(FIXTURES / "reports")]):
        store.add_report(r)
    row = store.get_report("kafrzita.txt")
    assert "الدفاع المدني" in row.clean_text and "التعليقات" not in row.clean_text
    assert row.raw_text.startswith("قصف روسي")


def test_cli_summary_and_exit_status(tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    assert main(["ingest", "--db", db, str(FIXTURES / "reports"), str(tmp_path / "missing")]) == 0
    out = capsys.readouterr()
    assert "ingested 2 / duplicates 0 / failed 1" in out.out
    assert "missing: no such file or directory" in out.err
    assert main(["ingest", "--db", db, str(FIXTURES / "reports")]) == 0
    assert "ingested 0 / duplicates 2 / failed 0" in capsys.readouterr().out
    assert main(["ingest", "--db", db, str(tmp_path / "missing")]) == 1
    assert main(["search", "--db", db, "كفرزيتا"]) == 0
    assert "kafrzita.txt" in capsys.readouterr().out


def test_same_named_files_in_two_folders_are_two_reports(tmp_path, capsys):
    for folder, town in (("f1", "بنش"), ("f2", "سرمدا"), ("f3/sub", "تفتناز")):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "report.txt").write_text(f"قصفت الطائرات الروسية اليوم بلدة {town} في ريف إدلب.", "utf-8")
    db = str(tmp_path / "two.db")
    assert main(["ingest", "--db", db, str(tmp_path / "f1"), str(tmp_path / "f2"), str(tmp_path / "f3")]) == 0
    out = capsys.readouterr()
    assert "ingested 3 / duplicates 0" in out.out and "updates an article" not in out.err
    store = Store(f"sqlite:///{db}")
    assert "سرمدا" in store.get_report("f2/report.txt").clean_text
    assert "بنش" in store.get_report("f1/report.txt").clean_text
    assert "تفتناز" in store.get_report("f3/sub/report.txt").clean_text


def test_killed_mid_batch_loses_nothing_and_resumes(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    n = 1500
    rng = random.Random(7)
    words = BODY.split()
    for i in range(n):  # distinct reports (shuffled words), so the run measures storing, not linking copies
        body = " ".join(rng.sample(words, len(words)))
        (folder / f"r{i:04d}.txt").write_text(f"تقرير رقم {i}\n{body}", "utf-8")
    db = tmp_path / "kill.db"
    cmd = [sys.executable, "-m", "rasad.cli", "ingest", "--db", str(db), str(folder)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                stored = sqlite3.connect(db).execute("select count(*) from reports").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if stored >= 20:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert stored >= 20
    before = sqlite3.connect(db).execute("select count(*) from reports").fetchone()[0]
    assert before < n, "the run finished before it could be killed"
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from reports").fetchone()[0] == n
    assert conn.execute("select count(distinct article_id) from reports").fetchone()[0] == n
    assert conn.execute("select count(*) from reports_fts").fetchone()[0] == n
    stored_now, dups = (int(x) for x in out.split()[1:5:3])
    assert stored_now == n - before and dups == before


@pytest.mark.seeded_events
def test_storing_a_report_touches_only_its_own_events(tmp_path):
    """The hot statements of storing, as the batch writer issues them, use an index on the report's
    id, not one on the status every machine-made event shares (the store would slow as it grows)."""
    from sqlalchemy import event

    from rasad.store import writes

    store = Store(f"sqlite:///{tmp_path / 'plan.db'}")
    issued = []
    event.listen(store.write_engine, "before_cursor_execute",
                 lambda conn, cur, sql, params, ctx, many: issued.append((sql, params)))
    rec = {"event_id": "e1", "article_id": "a", "event_type": "Battles", "sub_event_type": "Armed clash"}
    with store.write_engine.begin() as conn:
        writes.save_extractions(conn, {"a": ([rec], []), "b": ([], [])})
    hot = [(sql, params) for sql, params in issued if sql.lstrip().startswith(("DELETE FROM events", "SELECT events"))]
    assert len(hot) == 2
    with store.engine.connect() as con:
        for sql, params in hot:
            plan = " ".join(str(row[-1]) for row in con.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))
            assert "ix_events_article" in plan, (sql, plan)


def test_users_listed_and_revoked(tmp_path, capsys):
    db = str(tmp_path / "u.db")
    assert main(["users", "add", "amal", "--db", db]) == 0
    token = capsys.readouterr().out.strip()
    assert main(["users", "add", "omar", "--db", db]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--db", db]) == 0
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == ["amal", "omar"]
    store = Store(f"sqlite:///{db}")
    assert store.user_for_token(token) == "amal"
    assert main(["users", "revoke", "amal", "--db", db]) == 0 and store.user_for_token(token) is None
    assert main(["users", "revoke", "amal", "--db", db]) == 1


def test_review_rank_orders_news_before_background_then_doubt_then_toll():
    from rasad.store.ranks import review_rank

    def rec(conf, total, background=False):
        return {"confidence": conf, "fatalities": {"total": total}, "background": background}

    ordered = [rec(None, 3), rec(0.35, 40), rec(0.35, 2), rec(0.35, 0), rec(0.35, None), rec(0.9, 100),
               rec(1.0, 1), rec(0.1, 50, background=True)]
    ranks = [review_rank(r) for r in ordered]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert review_rank(rec(0.3, 10**9)) == review_rank(rec(0.3, 999_999))  # a huge toll is capped, not overflowed


@pytest.mark.seeded_events
def test_migration_0008_fills_the_new_columns_of_events_and_incidents_already_stored(tmp_path):
    """A store made before the summary columns gets them filled from its records when it is opened."""
    import json

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    import rasad.store.db as db

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    cfg = Config(str(Path(db.__file__).parent / "alembic.ini"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
        rec = {"event_id": "e1", "article_id": "a", "event_type": "Battles", "sub_event_type": "Armed clash",
               "confidence": 0.45, "fatalities": {"total": 4}, "location": {"pcode": "C1234", "admin1": "Idleb"}}
        conn.execute(text("INSERT INTO events (event_id, article_id, record, event_type, sub_event_type, "
                          "civilian_targeting, background, superseded, version, status, updated_at) VALUES "
                          "('e1', 'a', :r, 'Battles', 'Armed clash', 0, 0, 0, 1, 'machine', '2024-01-01')"),
                     {"r": json.dumps(rec)})
        inc = {"incident_id": "INC-1", "actor1": "RUS", "event_type": "Battles", "killed": {"best": 7},
               "location": {"admin1": "Idleb", "latitude": 35.9, "longitude": 36.6}}
        conn.execute(text("INSERT INTO incidents (incident_id, record, reviewed, updated_at) "
                          "VALUES ('INC-1', :r, 0, '2024-01-01')"), {"r": json.dumps(inc)})
    store = Store(url)  # migrates to the head
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT pcode, review_rank FROM events")).one() == ("C1234", 5 * 10**7 + 999_995)
        assert conn.execute(text("SELECT admin1, actor1, killed_best, latitude FROM incidents")).one() == \
            ("Idleb", "RUS", 7, 35.9)
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))}
    assert {"ix_events_pcode", "ix_events_queue", "ix_events_summary"} <= names
    assert store.events_at(["C1234"])[0]["event_id"] == "e1" and store.queue()[0]["event_id"] == "e1"


def test_incidents_to_review_put_contested_then_the_widest_spread_first(tmp_path):
    from rasad.store import incidents

    store = _store(tmp_path)

    def inc(i, grade, low, best, high):
        return {"incident_id": f"INC-{i}", "grade": grade, "event_date": "2024-01-01",
                "killed": {"min": low, "best": best, "max": high}, "location": {}, "members": []}

    records = [inc(1, "Fair", 3, 3, 3), inc(2, "Weak", 1, 5, 9), inc(3, "Contested", 2, 2, 3),
               inc(4, "Fair", None, None, None), inc(5, "Weak", 10, 10, 10)]
    incidents.save_incidents(store, records, {f"e{i}": f"INC-{i}" for i in range(1, 6)})  # each has a member
    assert [r["incident_id"] for r in incidents.to_review(store)] == ["INC-3", "INC-2", "INC-5", "INC-1", "INC-4"]
    incidents.write_review(store, [{**records[2], "grade": "Confirmed"}], {}, [], [])  # a person reviewed it
    assert "INC-3" not in [r["incident_id"] for r in incidents.to_review(store)]


def test_learned_places_are_a_csv_layer_the_cli_exports_and_extraction_reads(tmp_path, capsys, gaz_dir):
    """`rasad places --learned` writes what reviewers set; `rasad extract --db` reads it as a layer."""
    import json

    from rasad.store import learned

    db = tmp_path / "l.db"
    store = Store(f"sqlite:///{db}")
    learned.teach(store, {"name_ar": "تل الغزلان", "latitude": 35.91, "longitude": 36.71, "kind": "community",
                          "admin1": "Idleb"}, "amal", "v1")
    assert learned.layer_path(store.url) == tmp_path / "l.db.places.csv"
    out = tmp_path / "team.csv"
    assert main(["places", "--learned", "--db", str(db), "--out", str(out)]) == 0
    assert "تل الغزلان" in out.read_text(encoding="utf-8")
    report = tmp_path / "in" / "v.txt"
    report.parent.mkdir()
    report.write_text("قصفت قوات النظام بالمدفعية قرية تل الغزلان صباح اليوم.", encoding="utf-8")
    events = tmp_path / "ev.jsonl"
    args = ["extract", "--db", str(db), "--gazetteer", str(gaz_dir), "--out", str(events), str(report.parent)]
    assert main(args) == 0
    loc = json.loads(events.read_text(encoding="utf-8").splitlines()[0])["location"]
    assert (loc["latitude"], loc["longitude"]) == (35.91, 36.71)
    with pytest.raises(ValueError):
        learned.teach(store, {"name_ar": "x", "latitude": 35.0, "longitude": 36.0, "kind": "palace"}, "amal")
