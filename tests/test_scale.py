"""Behaviour that keeps cost and memory bounded: windows over long reports, batched store writes,
streamed exports. (Speed itself is measured by `rasad bench`, not asserted here.)"""

import json

import pytest

from conftest import FIXTURES
from rasad import extract
from rasad.extract import windows as win
from rasad.ingest import iter_inputs
from rasad.ingest.readers import finish, read_text_report
from rasad.process import Extracted, store_batch, stored_stream
from rasad.store import Store
from rasad.store.db import EventFilter

# Made-up paragraphs: each names its own village and toll, so each window has events of its own.
PARAGRAPHS = [
    "قتل {n} مدنيين بقصف مدفعي لقوات النظام على بلدة كفر جالس اليوم.",
    "وأصيب {n} أشخاص بغارة جوية روسية استهدفت مدينة كفر زيتا صباح اليوم.",
    "وقتل {n} مدنيين بقصف صاروخي على مخيم مرام شمالي إدلب اليوم.",
]


def _long_text(paragraphs: int) -> str:
    filler = "وتشهد المنطقة تصعيدا عسكريا منذ أيام مع استمرار القصف على القرى والبلدات المجاورة. " * 3
    return "\n".join(PARAGRAPHS[i % 3].format(n=i % 7 + 2) + " " + filler for i in range(paragraphs))


def test_windows_cover_the_text_at_paragraph_breaks():
    text = _long_text(40)
    spans = win.windows(text, size=2000)
    assert len(spans) > 3
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))  # contiguous, nothing lost or read twice
    assert all(e - s <= 2000 for s, e in spans)
    assert all(text[e - 1] == "\n" for _s, e in spans[:-1])  # cut after a paragraph
    assert win.windows("قصف", size=2000) == [(0, 3)]


def test_a_paragraph_longer_than_a_window_is_cut_at_a_sentence_end():
    text = "قصف على البلدة اليوم. " * 200  # one paragraph of 4,400 characters
    spans = win.windows(text, size=1000)
    assert all(text[e - 2:e] == ". " for _s, e in spans[:-1])


def test_a_long_report_read_in_windows_keeps_offsets_and_merges_its_events(gaz, monkeypatch):
    text = _long_text(60)
    whole = extract(text, gaz, published="2022-11-06")
    monkeypatch.setattr(win, "WINDOW_CHARS", 1500)
    parts = extract(text, gaz, published="2022-11-06")
    assert len(win.windows(text)) > 5
    for ev in parts.events:  # evidence of later windows points into the whole text
        for x in ev.evidence:
            assert text[x.start:x.end] == x.text
    assert max(x.start for ev in parts.events for x in ev.evidence) > len(text) // 2
    # the same place, day and type told in every window is still one event
    assert {(e.location.name, e.event_type) for e in parts.events} == \
        {(e.location.name, e.event_type) for e in whole.events}
    assert len(parts.events) == len(whole.events)


def _extracted(article_id: str, body: str, events: int = 1) -> Extracted:
    report = finish(read_text_report("عنوان\n" + body, article_id=article_id))
    recs = [{"event_id": f"{article_id}-{i}", "article_id": article_id, "event_type": "Battles",
             "sub_event_type": "Armed clash", "location": {"admin1": "Idleb"}, "fatalities": {"total": i}}
            for i in range(events)]
    return Extracted(report, recs, [{"article_id": article_id, "what": "killed", "value": 3}])


BODY = "قصفت الطائرات الحربية مدينة كفر زيتا في ريف حماة الشمالي صباح اليوم ما أدى إلى مقتل مدنيين. "


def test_a_batch_keeps_versions_copies_and_duplicates_in_input_order(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    batch = [_extracted("a", BODY, 2), _extracted("b", BODY + "وأصيب آخرون.", 1),
             _extracted("a", BODY + "وتستمر الاشتباكات.", 3),  # a's update, in the same batch
             _extracted("c", BODY, 1),  # a's text under another id
             _extracted("b", BODY + "وأصيب آخرون.", 1)]  # b again
    results = store_batch(store, batch)
    assert [r.status for r in results] == ["stored", "stored", "version", "copy", "duplicate"]
    assert results[2].article_id == "a@v2" and results[3].copy_of == "a"
    assert {r["article_id"] for r in store.events()} == {"b", "a@v2"}  # a's events superseded in-batch
    assert {r["article_id"] for r in store.events(EventFilter(include_superseded=True))} == {"a", "b", "a@v2"}
    assert batch[3].events == [] and all(r["article_id"] == "a@v2" for r in batch[2].events)
    assert store.get_report("a").superseded_by == "a@v2"


def test_one_bad_report_costs_only_itself(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    bad = _extracted("bad", BODY + "خبر آخر.")
    bad.report.fingerprint = None  # cannot be stored
    results = store_batch(store, [_extracted("a", BODY), bad, _extracted("c", BODY + "وقتل آخرون.")])
    assert [getattr(r, "status", None) for r in results] == ["stored", None, "stored"]
    assert isinstance(results[1], Exception) and "bad" in str(results[1])
    assert {r["article_id"] for r in store.events()} == {"a", "c"}


def test_the_single_writer_commits_in_batches_and_passes_errors_through(tmp_path):
    from rasad.ingest import IngestError

    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    items = [_extracted(f"r{i}", BODY + f"الخبر رقم {i} " * (i + 1)) for i in range(7)]
    items.insert(3, IngestError("broken.txt", "not text"))
    seen = []
    for item, res in stored_stream(store, iter(items), batch=3):
        seen.append((item, res))
        if len(seen) == 3:  # the first batch is committed before the rest is read
            assert store.count_reports() == 3
    assert [x for x, _ in seen] == items  # input order
    assert seen[3][1] is None and all(r.status == "stored" for x, r in seen if x is not items[3])
    assert store.count_reports() == 7


def test_human_edits_survive_a_batch_reextraction(tmp_path):
    from rasad.store.schema import EventRow

    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    store_batch(store, [_extracted("a", BODY, 2)])
    with store.session.begin() as s:
        row = s.query(EventRow).filter_by(event_id="a-1").one()
        row.status = "edited"
    store_batch(store, [_extracted("a", BODY + "تحديث.", 2)])  # a version: new ids under a@v2
    store.save_extraction("a", [], [])
    kept = store.events(EventFilter(include_superseded=True))
    assert [r["event_id"] for r in kept if r["article_id"] == "a"] == ["a-1"]


@pytest.mark.parametrize("fmt", ["geojson", "parquet"])
def test_exports_stream_any_number_of_records(tmp_path, fmt, monkeypatch):
    pytest.importorskip("pyarrow")
    from rasad.export import parquet, write_events

    monkeypatch.setattr(parquet, "ROW_GROUP", 7)
    recs = ({"event_id": f"e{i}", "article_id": "a", "event_type": "Battles", "sub_event_type": "Armed clash",
             "event_date": "2022-11-06", "location": {"latitude": 35.0 + i / 100, "longitude": 36.5},
             "fatalities": {"total": i}} for i in range(30))  # a generator: read once, never held
    out = tmp_path / f"x.{fmt}"
    assert write_events(recs, fmt, out) == 30
    if fmt == "geojson":
        feats = json.loads(out.read_text(encoding="utf-8"))["features"]
        assert [f["id"] for f in feats] == [f"e{i}" for i in range(30)]
    else:
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(out).metadata
        assert meta.num_rows == 30 and meta.num_row_groups == 5 and b"geo" in meta.metadata
    empty = tmp_path / f"empty.{fmt}"
    assert write_events(iter([]), fmt, empty) == 0


def test_cli_extract_streams_into_the_store_and_out(tmp_path):
    from rasad.cli import main

    db, out, figures = tmp_path / "x.db", tmp_path / "ev.jsonl", tmp_path / "agg.jsonl"
    args = ["extract", "--db", str(db), "--workers", "1", "--out", str(out), "--reports", str(figures),
            str(FIXTURES / "reports")]
    assert main(args) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    stored = Store(f"sqlite:///{db}").events()
    assert lines and {r["event_id"] for r in lines} == {r["event_id"] for r in stored}
    assert main(args) == 0  # a re-run is idempotent
    assert len(Store(f"sqlite:///{db}").events()) == len(stored)
    assert len(list(iter_inputs([str(FIXTURES / "reports")]))) == 2


def test_a_corpus_file_over_the_cap_is_read_record_by_record(tmp_path, monkeypatch):
    from rasad.ingest import IngestError, readers

    monkeypatch.setattr(readers, "MAX_BYTES", 4000)  # the cap of one report, not of a file
    rec = {"text": BODY * 3, "published": "2022-11-06"}
    lines = [json.dumps({**rec, "id": f"r{i}"}, ensure_ascii=False) for i in range(30)]
    lines.insert(5, json.dumps({"id": "huge", "text": BODY * 100}, ensure_ascii=False))  # over the cap
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert corpus.stat().st_size > 4 * 4000
    items = list(iter_inputs([str(corpus)]))
    errors = [x for x in items if isinstance(x, IngestError)]
    assert [x.article_id for x in items if not isinstance(x, IngestError)] == [f"r{i}" for i in range(30)]
    assert len(errors) == 1 and errors[0].item.endswith(":6") and "too large" in errors[0].message

    table = tmp_path / "corpus.csv"
    rows = "".join(f'r{i},2022-11-06,"{BODY * 3}"\n' for i in range(30))
    table.write_text("id,published,text\n" + rows, encoding="utf-8")
    assert table.stat().st_size > 3 * 4000
    got = list(iter_inputs([str(table)]))
    assert [x.article_id for x in got if not isinstance(x, IngestError)] == [f"r{i}" for i in range(30)]


def _corpus(path, ids, body):
    path.write_text("".join(json.dumps({"id": i, "text": body.format(n=k + 2), "published": "2022-11-06"},
                                       ensure_ascii=False) + "\n" for k, i in enumerate(ids)), encoding="utf-8")


def test_dask_engine_on_a_local_cluster_matches_the_builtin_pool(tmp_path, gaz_dir, capsys):
    pytest.importorskip("distributed")
    pytest.importorskip("pyarrow")
    from rasad.cli import main

    body = "قتل {n} مدنيين بقصف مدفعي لقوات النظام على بلدة كفر جالس اليوم، وأصيب آخرون بغارة على كفر زيتا."
    _corpus(tmp_path / "a.jsonl", ["a1", "a2", "a3"], body)
    _corpus(tmp_path / "b.jsonl", ["b1", "b2"], body.replace("اليوم", "أمس"))
    (tmp_path / "b.jsonl").open("a", encoding="utf-8").write("{broken\n")
    inputs = [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]
    gaz = ["--gazetteer", str(gaz_dir)]
    parts = tmp_path / "parts"
    assert main(["extract", "--engine", "dask", "--workers", "2", "--out-dir", str(parts), *gaz, *inputs]) == 0
    assert sorted(p.name for p in (parts / "events").iterdir()) == ["part-00000.parquet", "part-00001.parquet"]
    assert "malformed JSON" in capsys.readouterr().err  # the bad line is one error line; the rest goes on
    import pyarrow.parquet as pq

    table = pq.read_table(parts / "events")
    assert b"geo" in table.schema.metadata and "record" in table.column_names
    dask_db, pool_db = tmp_path / "dask.db", tmp_path / "pool.db"
    assert main(["load", "--db", str(dask_db), str(parts)]) == 0
    assert main(["extract", "--db", str(pool_db), "--out", str(tmp_path / "x.jsonl"), *gaz, *inputs]) == 0

    def stored(db):
        return sorted(json.dumps({k: v for k, v in r.items() if k != "updated_at"}, sort_keys=True)
                      for r in Store(f"sqlite:///{db}").events())

    assert stored(dask_db) and stored(dask_db) == stored(pool_db)
    assert main(["load", "--db", str(dask_db), str(parts)]) == 0  # loading again changes nothing
    assert stored(dask_db) == stored(pool_db)


def test_dask_engine_needs_an_output_folder():
    from rasad.cli import main

    assert main(["extract", "--engine", "dask", "x.jsonl"]) == 2
