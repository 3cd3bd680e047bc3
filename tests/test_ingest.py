import codecs
import http.server
import io
import json
import sys
import threading
from pathlib import Path

import pytest

from conftest import FIXTURES
from rasad.ingest import IngestError, iter_inputs
from rasad.ingest.decode import DecodeError, decode
from rasad.ingest.furniture import mask
from rasad.model import condense

ARABIC = "قصفت الطائرات الحربية بلدة كفرزيتا في ريف حماة الشمالي وقتل ثلاثة مدنيين بينهم طفلان"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                      "cp1256", "iso-8859-6"])
def test_decodes_arabic_encodings(encoding):
    text = ARABIC.replace("ة", "ة")  # every letter here exists in both legacy code pages
    assert decode(text.encode(encoding)) == text


def test_decode_rejects_bad_bytes():
    with pytest.raises(DecodeError, match="empty"):
        decode(b"  \n")
    with pytest.raises(DecodeError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    broken = ARABIC.encode("utf-8")[:40] + b"\xff\xfe\xfa" + ARABIC.encode("utf-8")
    with pytest.raises(DecodeError, match="invalid UTF-8"):
        decode(broken)


def test_furniture_masked_without_moving_offsets():
    raw = (FIXTURES / "reports" / "kafrzita.txt").read_text(encoding="utf-8")
    title = raw.split("\n", 1)[0]
    masked = mask(raw, title)
    assert len(masked) == len(raw)
    clean = condense(masked)
    assert "ما أدى إلى مقتل ثلاثة مدنيين" in clean
    assert "وقال الدفاع المدني" in clean
    for gone in ("التعليقات", "حسبنا الله", "الأكثر قراءة", "أهم المواضيع", "منذ 3 سنوات"):
        assert gone not in clean
    assert clean.count("قصف روسي على كفرزيتا") == 1  # repeated headline dropped, first kept
    pos = raw.index("مقتل")
    assert masked[pos:pos + 4] == "مقتل"


def test_bylines_removed():
    raw = "قصفت الطائرات بلدة كفر جالس.\n\nإعداد: بهاء النوباني – تحرير: عدنان حمو\nتقرير: سامر علي\n"
    clean = condense(mask(raw))
    assert "قصفت الطائرات" in clean and "عدنان" not in clean and "سامر" not in clean


def test_share_widgets_and_image_names_removed():
    raw = (FIXTURES / "reports" / "camp.txt").read_text(encoding="utf-8")
    clean = condense(mask(raw, raw.split("\n", 1)[0]))
    assert "75 آخرون" in clean
    for gone in ("13062333_", "شارك على", "اترك تعليق", "بريدك الإلكتروني", "Translate"):
        assert gone not in clean


def test_previous_and_next_links_end_the_report():
    raw = ("قصف على كفر جالس\n" + ARABIC + "\n" + ARABIC + "\n" + ARABIC + "\nالسابق\n"
           "مقتل عنصر بقصف على قرية بريف الحسكة\nالتالي\nاشتباكات في مدينة البوكمال\n")
    clean = condense(mask(raw, "قصف على كفر جالس"))
    assert clean.count(ARABIC) == 3 and "الحسكة" not in clean and "البوكمال" not in clean
    dated = "قصف على كفر جالس\n" + ARABIC + "\n" + ARABIC + "\nMarch 18, 2023\nتقرير عن عفرين\n"
    assert "عفرين" not in condense(mask(dated, "قصف على كفر جالس"))


def test_a_posts_comment_thread_is_furniture():
    raw = ("قصف على كفر جالس\n" + ARABIC + "All reactions:754205 comments5 sharesLikeCommentMost relevant"
           "أبو علي الله يرحمهم\nمحمد: ليش ترمي عليهم وتتسبب بنزوح السكان\n")
    clean = condense(mask(raw, "قصف على كفر جالس"))
    assert ARABIC in clean and "يرحمهم" not in clean and "ترمي" not in clean


def test_furniture_word_near_the_top_does_not_cut_the_report():
    raw = "عنوان الخبر\nالأكثر قراءة\n" + ARABIC + "\n" + ARABIC
    clean = condense(mask(raw, "عنوان الخبر"))
    assert clean.count(ARABIC) == 2
    assert "الأكثر قراءة" not in clean  # near the top it is dropped as a line, not cut from


def _collect(items):
    reports = [i for i in items if not isinstance(i, IngestError)]
    errors = [i for i in items if isinstance(i, IngestError)]
    return reports, errors


def test_reads_txt_html_jsonl_csv_and_folders(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("عنوان\n" + ARABIC, encoding="utf-8")
    html = (f"<html><head><title>عنوان الصفحة</title>"
            f'<meta property="article:published_time" content="2022-11-06T08:00:00"></head><body>'
            f"<article><p>{ARABIC}</p><p>{ARABIC} مرة ثانية في التقرير</p></article>"
            f'<div id="comments" class="comments"><p>تعليق زائر لا علاقة له بالخبر مطلقا</p></div></body></html>')
    (tmp_path / "b.html").write_text(html, encoding="utf-8")
    rows = [{"id": "r1", "text": ARABIC, "title": "t", "published": "2021-05-01T10:00:00", "source": "S"},
            {"id": "r2", "html": f"<html><body><article><p>{ARABIC} من صفحة</p></article></body></html>"}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    (tmp_path / "d.csv").write_text(f"id,text,published\ncsv1,{ARABIC},2020-01-22\n", encoding="utf-8")
    (tmp_path / "e.json").write_text(json.dumps([{"id": "j1", "text": ARABIC}], ensure_ascii=False), "utf-8")
    reports, errors = _collect(list(iter_inputs([str(tmp_path)])))
    assert errors == []
    by_id = {r.article_id: r for r in reports}
    assert set(by_id) == {"sub/a.txt", "b.html", "r1", "r2", "csv1", "j1"}
    assert by_id["r1"].published == "2021-05-01" and by_id["r1"].source == "S"
    assert by_id["csv1"].published == "2020-01-22"
    assert by_id["b.html"].title == "عنوان الصفحة"
    assert by_id["b.html"].published == "2022-11-06"
    assert "تعليق زائر" not in by_id["b.html"].text
    assert by_id["sub/a.txt"].title == "عنوان"


def test_stdin_reads_text_and_jsonl():
    reports, _ = _collect(list(iter_inputs(["-"], stdin=io.BytesIO(ARABIC.encode()))))
    assert len(reports) == 1 and reports[0].origin == "<stdin>"
    line = json.dumps({"id": "s1", "text": ARABIC}, ensure_ascii=False).encode()
    reports, _ = _collect(list(iter_inputs(["-"], stdin=io.BytesIO(line + b"\n" + line.replace(b"s1", b"s2")))))
    assert [r.article_id for r in reports] == ["s1", "s2"]


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server API
        if self.path == "/report.html":
            body = f"<html><head><title>خبر</title></head><body><article><p>{ARABIC}</p></article></body></html>"
            data = body.encode("cp1256")
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
        elif self.path == "/legacy.txt":  # ISO-8859-6 bytes, declared only in the HTTP header
            data = ("عنوان\n" + LEGACY).encode("iso-8859-6")
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=ISO-8859-6")
        elif self.path == "/big":
            data = ("ا" * 3000).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
        else:
            self.send_error(404)
            return
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_reads_urls_with_clear_errors(http_server, monkeypatch):
    monkeypatch.setenv("RASAD_FETCH_ALLOW", "127.0.0.1")  # an operator allows the local server
    reports, errors = _collect(list(iter_inputs([f"{http_server}/report.html", f"{http_server}/missing",
                                                 "http://127.0.0.1:9/unreachable"])))
    assert len(reports) == 1 and "كفرزيتا" in reports[0].text and reports[0].url.endswith("/report.html")
    assert [e.message.split()[0] for e in errors] == ["HTTP", "unreachable"]
    (legacy,) = list(iter_inputs([f"{http_server}/legacy.txt"]))
    assert LEGACY in legacy.text  # the HTTP charset is read first
    from rasad.ingest import fetch

    with pytest.raises(fetch.FetchError, match="too large"):
        fetch.fetch_url(f"{http_server}/big", max_bytes=1000)


def test_bad_inputs_each_give_one_error(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("عنوان\n" + ARABIC, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "english.txt").write_text("This is an English text about the weather today. " * 5)
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    (tmp_path / "broken.txt").write_bytes(ARABIC.encode()[:30] + b"\xff\xfe" + ARABIC.encode())
    (tmp_path / "mixed.jsonl").write_text(
        json.dumps({"id": "ok1", "text": ARABIC}, ensure_ascii=False) + "\n{not json\n"
        + json.dumps({"id": "ok2", "text": ARABIC + " ثانية"}, ensure_ascii=False) + "\n", "utf-8")
    items = list(iter_inputs([str(tmp_path), str(tmp_path / "missing.txt")]))
    reports, errors = _collect(items)
    assert sorted(r.article_id for r in reports) == ["good.txt", "ok1", "ok2"]
    messages = {Path(e.item.split(":")[0]).name: e.message for e in errors}
    assert set(messages) == {"empty.txt", "binary.txt", "english.txt", "big.txt", "broken.txt",
                             "mixed.jsonl", "missing.txt"}
    assert "too large" in messages["big.txt"]
    assert "not Arabic" in messages["english.txt"]
    assert "invalid UTF-8" in messages["broken.txt"]
    assert "malformed JSON" in messages["mixed.jsonl"]
    assert all("\n" not in str(e) for e in errors)


def test_utf16_with_bom_file(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(codecs.BOM_UTF16_LE + ("عنوان\n" + ARABIC).encode("utf-16-le"))
    reports, errors = _collect(list(iter_inputs([str(p)])))
    assert not errors and "كفرزيتا" in reports[0].text


def test_publication_date_is_read_once_at_ingest_and_a_bad_one_is_an_error_line(tmp_path):
    import json as _json

    from rasad.ingest import iter_inputs

    body = "قصفت الطائرات الحربية بلدة في الريف الشمالي صباح اليوم ما أدى إلى مقتل مدنيين وإصابة آخرين."
    rows = [("a", "2022-11-06T10:00:00Z"), ("b", "Sun, 06 Nov 2022 10:00:00 GMT"), ("c", "2022/11/06"),
            ("d", "2022-02-31"), ("e", "2022-01-01garbage"), ("f", "last week"), ("g", None)]
    f = tmp_path / "r.jsonl"
    f.write_text("".join(_json.dumps({"id": i, "text": body, "published": p}, ensure_ascii=False) + "\n"
                         for i, p in rows), encoding="utf-8")
    items = list(iter_inputs([str(f)]))
    assert [getattr(x, "published", None) for x in items[:3]] == ["2022-11-06"] * 3
    bad = [str(x) for x in items[3:6]]
    assert all("bad publication date" in b and f"r.jsonl:{n}" in b for n, b in zip((4, 5, 6), bad, strict=True))
    assert items[6].published is None and items[6].fingerprint is not None


def test_the_store_keeps_what_ingest_fingerprinted(tmp_path):
    import pytest as _pytest

    from rasad.ingest.readers import finish, read_text_report
    from rasad.store import Store

    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    raw = read_text_report("عنوان\n" + "قصفت الطائرات الحربية بلدة في الريف الشمالي صباح اليوم. " * 3, article_id="a")
    with _pytest.raises(ValueError, match="fingerprint"):
        store.add_report(raw)
    done = finish(raw)
    assert done.fingerprint.content_hash and store.add_report(done).status == "stored"


LEGACY = ("قصفت قوات النظام بالمدفعية الثقيلة بلدة في الريف الجنوبي صباح اليوم، ما أدى إلى مقتل ثلاثة مدنيين "
          "بينهم طفلان وإصابة آخرين بجروح، بحسب ما أفاد به الدفاع المدني في المنطقة. وتتعرض المنطقة لقصف متواصل.")


@pytest.mark.parametrize("encoding", ["cp1256", "iso-8859-6", "utf-32", "utf-32-be", "utf-16-le", "utf-8-sig"])
def test_arabic_in_every_encoding_decodes_exactly(encoding):
    assert decode(LEGACY.encode(encoding)) == LEGACY


def test_a_declared_charset_comes_first_and_corrupt_utf8_is_refused():
    from rasad.ingest.decode import charset_of

    assert charset_of("text/html; charset=windows-1256") == "windows-1256"
    assert decode(LEGACY.encode("cp1256"), "windows-1256") == LEGACY
    broken = LEGACY.encode("utf-8")
    broken = broken[:40] + b"\xff" + broken[41:]
    with pytest.raises(DecodeError, match="invalid UTF-8"):
        decode(broken)


def test_html_meta_charset_is_read(tmp_path):
    page = tmp_path / "p.html"
    page.write_bytes(b'<html><head><meta charset="windows-1256"><title>x</title></head><body><p>'
                     + LEGACY.encode("cp1256") + b"</p></body></html>")
    (item,) = list(iter_inputs([str(page)]))
    assert "قصفت قوات النظام" in item.text


def test_every_shared_report_decodes_in_the_legacy_code_pages():
    from conftest import shared_or_skip

    rows = [json.loads(line)["text"] for line in shared_or_skip("dev/airwars_dev.jsonl").open(encoding="utf-8")]
    rows += [p.read_text(encoding="utf-8") for p in sorted(shared_or_skip("seeds").glob("*.txt"))]
    for encoding in ("cp1256", "iso-8859-6"):
        data = [t.encode(encoding, errors="replace") for t in rows]
        assert sum(decode(b) == b.decode(encoding) for b in data) == len(rows), encoding


def test_chrome_glued_to_the_first_word_of_a_post_is_masked(gaz):
    from rasad import extract
    from rasad.model import condense

    post = "Page name\nShared with Publicاستشهد طفل بقصف مدفعي على بلدة كفر جالس اليوم.\nAll reactions:12"
    masked = mask(post, "Page name")
    assert len(masked) == len(post) and "Shared with Public" not in masked and "استشهد طفل" in masked
    assert "All reactions" not in condense(masked)
    ev = next(e for e in extract(post, gaz, published="2022-11-06").events if e.location.name == "كفر جالس")
    assert ev.fatalities.total == 1 and post[ev.evidence[-1].start:ev.evidence[-1].end] == ev.evidence[-1].text


def test_a_label_hashtag_glued_to_the_first_word_is_masked(gaz):
    from rasad import extract

    post = "Page name\nShared with Public#عاجلفقد شاب حياته بقصف مدفعي على بلدة كفر جالس اليوم.\n#عاجلة_جدا"
    masked = mask(post, "Page name")
    assert "#عاجل" not in masked.split("\n")[1] and "فقد شاب حياته" in masked and "#عاجلة_جدا" in masked
    ev = next(e for e in extract(post, gaz, published="2022-11-06").events if e.location.name == "كفر جالس")
    assert ev.fatalities.total == 1


# ---- optional parts -----------------------------------------------------------------------------------
def test_import_rasad_loads_no_optional_library():
    import subprocess

    code = ("import rasad, sys; print([m for m in ('trafilatura', 'pyarrow', 'fastapi', 'openpyxl', 'uvicorn') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _without(monkeypatch, *modules):
    import importlib

    real = importlib.import_module

    def fake(name, *a, **k):
        if name.split(".")[0] in modules:
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return real(name, *a, **k)

    monkeypatch.setattr("rasad.extras.importlib.import_module", fake)


def test_a_missing_extra_is_one_line_naming_it(monkeypatch, tmp_path, gaz_dir, capsys):
    from rasad.cli import main

    _without(monkeypatch, "trafilatura", "pyarrow")
    (tmp_path / "page.html").write_text(f"<html><body><article><p>{ARABIC}</p></article></body></html>", "utf-8")
    (tmp_path / "plain.txt").write_text(ARABIC, encoding="utf-8")
    reports, errors = _collect(list(iter_inputs([str(tmp_path)])))
    assert [r.article_id for r in reports] == ["plain.txt"]
    assert len(errors) == 1 and "pip install 'rasad[html]'" in str(errors[0]) and "page.html" in str(errors[0])
    args = ["extract", str(tmp_path / "plain.txt"), "--db", str(tmp_path / "x.db"), "--gazetteer", str(gaz_dir)]
    assert main([*args, "--out", str(tmp_path / "e.parquet")]) == 2
    assert "rasad[parquet]" in capsys.readouterr().err and not (tmp_path / "x.db").exists()


def test_the_progress_total_is_known_for_folders_and_json_lines(tmp_path):
    from rasad.ingest.readers import count_items

    (tmp_path / "a.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<p>x</p>", encoding="utf-8")
    rows = "\n".join(json.dumps({"id": f"r{i}", "text": ARABIC}, ensure_ascii=False) for i in range(5))
    (tmp_path / "c.jsonl").write_text(rows + "\n\n", encoding="utf-8")
    assert count_items([str(tmp_path)]) == 7 == len(list(iter_inputs([str(tmp_path)])))
    (tmp_path / "d.csv").write_text(f"id,text\nx,\"{ARABIC}\n{ARABIC}\"\n", encoding="utf-8")
    assert count_items([str(tmp_path)]) is None  # a CSV field may hold line breaks: no false total
    assert count_items(["-"]) is None and count_items(["https://example.org/a"]) is None
