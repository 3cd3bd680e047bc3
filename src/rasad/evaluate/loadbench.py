"""Load benchmark of the API on loopback: many clients reading the event list and pages while
reviewers write.

Seeds a database with N events (a fresh SQLite file, or the database a URL names), starts P
`rasad serve` processes on 127.0.0.1, runs C concurrent clients for S seconds spread over them
(one request in ten a review edit, one in ten a page), then checks the audit log: every
acknowledged edit is there, every audit chain is unbroken, and no edit changed a field it did not
name (a reverted field is a lost write). With `hot`, every edit goes to the same few events. On
SQLite it also times reads while another process holds the write lock. Prints request counts,
errors, lost writes and latency percentiles.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

# Synthetic values: the load is on filters and pages, whatever the country.
ADMIN1 = [f"Region {i}" for i in range(1, 9)]
ACTORS = [f"ACTOR_{i}" for i in range(1, 9)]


def _synthetic(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    start = date(2021, 1, 1)
    out = []
    for i in range(n):
        lat, lon = 30.0 + rng.random() * 5.0, 35.0 + rng.random() * 6.0
        out.append({
            "event_id": f"load{i:06d}", "article_id": f"load-article-{i // 100}",
            "event_date": (start + timedelta(days=rng.randrange(700))).isoformat(), "date_range": None,
            "time_precision": 1, "event_type": "Explosions/Remote violence", "sub_event_type": rng.choice(
                ["Air/drone strike", "Shelling/artillery/missile attack"]),
            "actor1": rng.choice(ACTORS), "actor2": "CIV", "assoc_actor_1": [], "assoc_actor_2": [],
            "civilian_targeting": rng.random() < 0.4,
            "location": {"name": f"place {i}", "admin1": rng.choice(ADMIN1), "latitude": lat, "longitude": lon,
                         "geo_precision": 1, "pcode": None, "name_ar": None, "name_en": None, "admin2": None,
                         "admin3": None},
            "fatalities": {"total": rng.choice([None, 0, 1, 2, 5]), "civilians": None}, "injured": None,
            "weapons": ["artillery"], "background": False, "reported_by": ["SOHR"],
            "evidence": [{"field": "location", "start": 0, "end": 5, "text": "xxxxx"}], "confidence": 0.7,
        })
    return out


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class _Conn:
    """A minimal keep-alive HTTP/1.1 client: the load generator must cost far less CPU than the server
    it measures (a general-purpose client spent more CPU than the server did)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"", headers: str = "") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
                f"Content-Type: application/json\r\n{headers}\r\n")
        self.writer.write(head.encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line.strip():
            self.writer = None
            raise ConnectionError("the server closed the connection")
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        payload = await self.reader.readexactly(length)
        return int(status_line.split()[1]), payload


async def _run(ports: list[int], token: str, clients: int, seconds: float, n_events: int, hot: int) -> dict:
    lat: dict[str, list[float]] = {"read": [], "page": [], "write": []}
    errors = 0
    writes_ok: list[tuple[str, str, object]] = []
    stop = time.monotonic() + seconds
    auth = f"Authorization: Bearer {token}\r\n"

    async def client(k: int) -> None:
        nonlocal errors
        rng = random.Random(k)
        conn = _Conn(ports[k % len(ports)])
        i = 0
        while time.monotonic() < stop:
            i += 1
            kind = "write" if i % 10 == 0 else "page" if i % 10 == 5 else "read"
            t0 = time.perf_counter()
            try:
                status = await _one(conn, kind, rng, k, i, n_events, hot, auth, writes_ok)
            except (OSError, ValueError, asyncio.IncompleteReadError):
                errors += 1
                conn = _Conn(ports[k % len(ports)])
                continue
            if status >= 400:
                errors += 1
            lat[kind].append(time.perf_counter() - t0)

    await asyncio.gather(*(client(k) for k in range(clients)))
    return {"lat": lat, "errors": errors, "writes": writes_ok}


async def _one(conn: _Conn, kind: str, rng: random.Random, k: int, i: int, n_events: int, hot: int, auth: str,
               writes_ok: list) -> int:
    if kind == "write":
        eid = f"load{rng.randrange(hot or n_events):06d}"
        field, value = ("injured", k * 1_000_000 + i) if k % 2 else ("notes", f"c{k}-{i}")
        status, _ = await conn.request("PATCH", f"/api/events/{eid}", json.dumps({field: value}).encode(), auth)
        if status == 200:
            writes_ok.append((eid, field, value))
        return status
    if kind == "page":
        query = rng.choice([{"page": rng.randint(1, 20)}, {"admin1": rng.choice(ADMIN1)}])
        path = "/events?" + urlencode(query)
        status, _ = await conn.request("GET", path)
        return status
    params = {"limit": 50, "admin1": rng.choice(ADMIN1)}
    if rng.random() < 0.5:
        params["actor"] = rng.choice(ACTORS)
    if rng.random() < 0.3:
        params["since"] = "2022-01-01"
    status, payload = await conn.request("GET", "/api/events?" + urlencode(params))
    if status == 200:
        json.loads(payload)
    return status


def _audit_check(store, writes: list[tuple[str, str, object]]) -> dict:  # store: rasad.store.Store
    """Acknowledged edits missing from the audit, broken chains, and edits that changed a field they
    did not name (another reviewer's value reverted)."""
    entries = store.audit()
    seen = {(a["event_id"], f, a["after"].get(f)) for a in entries for f in ("injured", "notes")}
    by_event: dict[str, list[dict]] = {}
    for a in entries:
        by_event.setdefault(a["event_id"], []).append(a)
    broken = sum(1 for chain in by_event.values() for x, y in zip(chain, chain[1:], strict=False)
                 if y["before"] != x["after"])
    reverted = sum(1 for a in entries if len(_changed(a["before"] or {}, a["after"]) - {"status", "version"}) > 1)
    return {"lost_writes": sum(1 for w in writes if w not in seen), "broken_audit_chains": broken,
            "reverted_fields": reverted, "audited_edits": len(entries)}


def _changed(before: dict, after: dict) -> set[str]:
    return {f for f in set(before) | set(after) if before.get(f) != after.get(f)}


def _locked_reads(db: Path, port: int, n: int = 40) -> float:
    """p95 of API reads (ms) while another process holds SQLite's write lock."""
    import sqlite3
    import urllib.request

    lock = sqlite3.connect(str(db), isolation_level=None, timeout=5)
    lock.execute("BEGIN IMMEDIATE")
    lock.execute("UPDATE users SET name = name")
    times = []
    try:
        for i in range(n):
            t0 = time.perf_counter()
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/events?limit=50&offset={i}", timeout=30).read()
            times.append((time.perf_counter() - t0) * 1000)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    return round(_percentile(times, 95), 1)


def bench_serve(clients: int = 50, seconds: float = 30, n_events: int = 10_000, processes: int = 1,
                hot: int = 0, db_url: str | None = None) -> dict:
    from rasad.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        url = db_url or f"sqlite:///{db}"
        store = Store(url)
        events = _synthetic(n_events)
        for i in range(0, n_events, 100):
            store.save_extraction(events[i]["article_id"], events[i:i + 100], [])
        token = store.add_user("load")
        ports = [_port() for _ in range(processes)]
        env = {**os.environ, "RASAD_GAZETTEER": os.environ.get("RASAD_GAZETTEER", "")}
        servers = [subprocess.Popen([sys.executable, "-m", "rasad.cli", "serve", "--db", url, "--port", str(p)],
                                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for p in ports]
        try:
            for p in ports:
                _wait(p)
            t0 = time.perf_counter()
            res = asyncio.run(_run(ports, token, clients, seconds, n_events, hot))
            elapsed = time.perf_counter() - t0
            locked = _locked_reads(db, ports[0]) if db_url is None else None
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=10)
        ms = {k: [x * 1000 for x in v] for k, v in res["lat"].items()}
        every = ms["read"] + ms["page"] + ms["write"]
        out = {"database": "sqlite" if db_url is None else url.split(":", 1)[0], "processes": processes,
               "events": n_events, "hot_events": hot or None, "clients": clients, "seconds": round(elapsed, 1),
               "requests": len(every), "requests_per_s": round(len(every) / elapsed, 1), "errors": res["errors"],
               "writes_acknowledged": len(res["writes"]), **_audit_check(store, res["writes"]),
               "p50_ms": round(_percentile(every, 50), 1), "p95_ms": round(_percentile(every, 95), 1),
               "p99_ms": round(_percentile(every, 99), 1), "read_p95_ms": round(_percentile(ms["read"], 95), 1),
               "page_p95_ms": round(_percentile(ms["page"], 95), 1),
               "write_p95_ms": round(_percentile(ms["write"], 95), 1)}
        if locked is not None:
            out["read_p95_ms_while_write_locked"] = locked
        return out


def _wait(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start")
