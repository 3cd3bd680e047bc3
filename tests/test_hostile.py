"""Inputs a hostile probe or an unlucky user sends: each is one error line naming the item, the
batch goes on, nothing hangs, and no request reaches an address that is not public."""

from __future__ import annotations

import io
import json
import os
import socket
import threading
import time

import pytest

from rasad.cli import main
from rasad.ingest import IngestError, iter_inputs
from rasad.ingest.fetch import REFUSED, FetchError, fetch_url

ARABIC = ("قصفت الطائرات الحربية بلدة في الريف الشمالي صباح اليوم ما أدى إلى مقتل مدنيين وإصابة آخرين "
          "بجروح متفاوتة بحسب مصادر محلية في المنطقة.")
PAGE = f"<html><body><p>{ARABIC}</p></body></html>".encode()

# Raw responses by path: what a broken or hostile server sends.
RESPONSES = {
    "/ok": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(PAGE) + PAGE,
    "/bad-status": b"HTTP/1.1 abc nonsense\r\n\r\n",
    "/many-headers": (b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: %s\r\n" % (i, b"v" * 100) for i in range(2000))
                      + b"\r\n"),
    "/truncated-chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + b"x" * 20,
    "/short-body": b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n" + ARABIC.encode(),
    "/to-private": b"HTTP/1.1 302 Found\r\nLocation: http://10.1.2.3/secret\r\nContent-Length: 0\r\n\r\n",
    "/to-metadata": b"HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/\r\nContent-Length: 0\r\n\r\n",
}


@pytest.fixture
def hostile_server():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=_answer, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}"
    stop.set()
    srv.close()


def _answer(conn: socket.socket) -> None:
    with conn:
        request = conn.recv(65536).decode("latin-1")
        path = request.split(" ")[1] if " " in request else "/"
        if path == "/drip":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            for _ in range(40):
                time.sleep(0.1)
                try:
                    conn.sendall(b"x")
                except OSError:
                    return
            return
        conn.sendall(RESPONSES.get(path, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))


def _errors(items: list) -> list[str]:
    return [str(x) for x in items if isinstance(x, IngestError)]


def test_private_addresses_are_refused_before_any_request(hostile_server, monkeypatch):
    monkeypatch.delenv("RASAD_FETCH_ALLOW", raising=False)
    for url in (f"{hostile_server}/ok", "http://localhost:9/", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]:8000/", "http://10.0.0.1/", "http://0.0.0.0/"):
        with pytest.raises(FetchError, match=REFUSED):
            fetch_url(url)
    monkeypatch.setenv("RASAD_FETCH_ALLOW", "127.0.0.1")  # an operator allows the local server ...
    assert fetch_url(f"{hostile_server}/ok")[0] == PAGE
    for path in ("/to-private", "/to-metadata"):  # ... and redirects from it are checked again
        with pytest.raises(FetchError, match=REFUSED):
            fetch_url(f"{hostile_server}{path}")


def test_broken_servers_and_urls_are_one_error_line_each(hostile_server, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("RASAD_FETCH_ALLOW", "127.0.0.1")
    monkeypatch.setattr("rasad.ingest.fetch.DEADLINE", 1.5)
    bad = [f"{hostile_server}{p}" for p in ("/bad-status", "/many-headers", "/truncated-chunked", "/short-body",
                                            "/drip")]
    bad += ["http://[::1", "http://example.org:abc/", "http://exa mple.org/", "http://"]
    t0 = time.monotonic()
    db = str(tmp_path / "h.db")
    assert main(["ingest", "--db", db, *bad, f"{hostile_server}/ok"]) == 0
    assert time.monotonic() - t0 < 20
    out = capsys.readouterr()
    lines = [x for x in out.err.splitlines() if x.startswith("error:")]
    assert len(lines) == len(bad) and "Traceback" not in out.err
    assert "ingested 1 / duplicates 0 / failed 9" in out.out


def test_mangled_files_never_stop_the_batch(tmp_path, capsys):
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 200_000 + "\n" + json.dumps({"id": "n", "title": 42, "text": ARABIC}) + "\n",
                    encoding="utf-8")
    (tmp_path / "huge-number.txt").write_text("عنوان\n" + ARABIC + " قتل " + "9" * 400 + " شخصا.", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")  # would block a reader forever
    weird = os.fsencode(str(tmp_path)) + b"/\xff\xfe-name.txt"
    with open(weird, "wb") as fh:
        fh.write(("عنوان آخر\n" + ARABIC).encode())
    db = str(tmp_path / "m.db")
    assert main(["extract", str(tmp_path), "--db", db, "--out", str(tmp_path / "o.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "deep.jsonl:1: JSON nested too deeply" in err and "pipe.txt: not a regular file" in err
    assert "Traceback" not in err and "reports 3 /" in err  # the titled record, the huge number, the odd name


def test_closed_or_oversized_stdin_is_an_error_line():
    closed = io.BytesIO(b"x")
    closed.close()
    assert "not readable" in _errors(list(iter_inputs(["-"], stdin=closed)))[0]
    from rasad.ingest import readers

    big = io.BytesIO(b"a" * (readers.MAX_BYTES + 10))
    assert "too large" in _errors(list(iter_inputs(["-"], stdin=big)))[0]


def test_an_unreadable_folder_is_said(tmp_path):
    from rasad.ingest.readers import _walk

    f = tmp_path / "not-a-folder"
    f.write_text("x")
    assert any(isinstance(x, IngestError) and "cannot read folder" in str(x) for x in _walk(f))


def test_outputs_and_database_are_checked_before_the_batch(tmp_path, capsys):
    f = tmp_path / "r.txt"
    f.write_text("عنوان\n" + ARABIC, encoding="utf-8")
    assert main(["extract", str(f), "--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "no" / "o.jsonl")]) == 2
    assert "--out: cannot write" in capsys.readouterr().err
    (tmp_path / "dir.db").mkdir()
    assert main(["extract", str(f), "--db", str(tmp_path / "dir.db")]) == 2
    assert "--db: cannot open the database" in capsys.readouterr().err


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # a raise landing in a gc hook
def test_a_runaway_report_is_an_error_line_within_its_budget(tmp_path, gaz_dir):
    from rasad import process
    from rasad.geo import gazetteer
    from rasad.ingest.readers import finish, read_text_report

    gaz = gazetteer.load([str(gaz_dir)])
    long = finish(read_text_report("عنوان\n" + (ARABIC + " قرية كفر جالس وسراقب.\n") * 3000, article_id="long"))
    t0 = time.monotonic()
    done = process.extract_one(long, gaz, budget_s=0.2)
    assert done.error == "extraction over its 0.2 s budget", done.error
    assert time.monotonic() - t0 < 10
    short = finish(read_text_report("عنوان\n" + ARABIC, article_id="short"))
    done = process.extract_one(short, gaz, budget_s=5)
    assert done.error is None, done.error


def test_the_api_answers_each_item_and_never_fetches_a_private_address(tmp_path, gaz_dir, monkeypatch):
    from fastapi.testclient import TestClient

    from rasad.web.app import create_app
    from rasad.web.deps import Settings

    monkeypatch.delenv("RASAD_FETCH_ALLOW", raising=False)
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'a.db'}", gazetteer_paths=[str(gaz_dir)],
                              read_requires_token=False))
    c = TestClient(app)
    hdr = {"Authorization": f"Bearer {app.state.services.store.add_user('amal')}"}
    body = {"reports": [{"url": "http://[::1"}, {"url": "http://127.0.0.1:1/admin"},
                        {"url": "http://127.0.0.1:2/other"}, {"id": "ok", "text": ARABIC}]}
    r = c.post("/api/reports", json=body, headers=hdr)
    assert r.status_code == 201
    res = r.json()["results"]
    assert "error" in res[0] and res[1]["error"] == res[2]["error"] == REFUSED  # one error, open or closed
    assert res[3]["article_id"] == "ok"


def test_a_chunked_body_over_the_cap_is_413(tmp_path):
    from fastapi.testclient import TestClient

    from rasad.web.app import create_app
    from rasad.web.deps import Settings

    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'c.db'}", gazetteer_paths=[],
                              read_requires_token=False, max_body_bytes=1000))
    c = TestClient(app)
    hdr = {"Authorization": f"Bearer {app.state.services.store.add_user('a')}", "Content-Type": "application/json"}

    def chunks():
        for _ in range(10):
            yield b'{"text": "' + b"x" * 500 + b'"}'

    assert c.post("/api/reports", content=chunks(), headers=hdr).status_code == 413
    assert c.post("/api/reports", content=b"x" * 5000, headers=hdr).status_code == 413
    assert c.post("/api/reports", content=b"{bad json", headers=hdr).status_code == 422


_PIECES = [b"{", b"}", b"[", b"]", b'"text"', b'"id"', b":", b",", b"\n", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf",
           ARABIC.encode(), ARABIC.encode("cp1256"), b"9" * 400, b'"title": 5', b'"published": "2022-02-31"',
           b"null", b"\r\n", b"<html><p>", b"</p>", b"id,text\n", b'"', b"\\u0000", b"1e999"]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_fuzzed_files_give_one_line_errors_only(tmp_path):
    """Mangled JSONL, JSON, CSV, HTML and text through `rasad ingest` and `rasad extract`: whatever
    the bytes, stderr holds only one-line `error:`, `warning:` or `note:` lines, never a traceback."""
    import random
    import subprocess
    import sys

    rng = random.Random(7)
    folder = tmp_path / "fuzz"
    folder.mkdir()
    for i in range(60):
        ext = rng.choice([".jsonl", ".json", ".csv", ".html", ".txt"])
        data = b"".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40)))
        (folder / f"f{i}{ext}").write_bytes(data)
    for cmd in (["ingest", str(folder)], ["extract", str(folder), "--out", str(tmp_path / "o.jsonl")]):
        run = subprocess.run([sys.executable, "-m", "rasad.cli", *cmd, "--db", str(tmp_path / "f.db")],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode in (0, 1), run.stderr[-2000:]
        lines = [x for x in run.stderr.splitlines() if x.strip()]
        assert "Traceback" not in run.stderr
        assert all(x.startswith(("error: ", "warning: ", "note: ", "reports ")) or "%" in x or "extracting" in x
                   or "ingesting" in x for x in lines), [x for x in lines if not x.startswith(("error:", "note:"))][:5]


def test_a_report_over_its_memory_budget_is_an_error_line(gaz_dir, monkeypatch):
    from rasad import process
    from rasad.geo import gazetteer
    from rasad.ingest.readers import finish, read_text_report

    with pytest.raises(MemoryError), process._memory_budget(50):
        bytearray(500 * 2**20)  # a runaway allocation inside the budget fails ...
    assert len(bytearray(500 * 2**20)) == 500 * 2**20  # ... and the limit is lifted afterwards
    gaz = gazetteer.load([str(gaz_dir)])
    report = finish(read_text_report("عنوان\n" + ARABIC, article_id="r"))
    real = process.extract_report
    monkeypatch.setattr(process, "extract_report", lambda rep, g: (bytearray(4 * 2**30), real(rep, g))[1])
    done = process.extract_one(report, gaz, memory_mb=100)
    assert done.error == "extraction over its 100 MB memory budget", done.error
    monkeypatch.setattr(process, "extract_report", real)
    assert process.extract_one(report, gaz).error is None
