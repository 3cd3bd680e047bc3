"""Load benchmark of the API on loopback: many clients reading the event list while reviewers write.

Seeds a fresh database with N events, starts `rasad serve` on 127.0.0.1, runs C concurrent clients for
S seconds (about one request in ten a review write), then checks that every acknowledged write is in
the audit log. Prints request counts, errors, lost writes and latency percentiles.
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
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        payload = await self.reader.readexactly(length)
        return int(status_line.split()[1]), payload


async def _run(port: int, token: str, clients: int, seconds: float, n_events: int) -> dict:
    latencies: list[float] = []
    write_latencies: list[float] = []
    errors = 0
    writes_ok: list[tuple[str, int]] = []
    stop = time.monotonic() + seconds
    auth = f"Authorization: Bearer {token}\r\n"

    async def client(k: int) -> None:
        nonlocal errors
        rng = random.Random(k)
        conn = _Conn(port)
        i = 0
        while time.monotonic() < stop:
            i += 1
            t0 = time.perf_counter()
            try:
                if i % 10 == 0:
                    eid = f"load{rng.randrange(n_events):06d}"
                    value = k * 1_000_000 + i
                    status, _ = await conn.request("PATCH", f"/api/events/{eid}",
                                                   json.dumps({"injured": value}).encode(), auth)
                    if status == 200:
                        writes_ok.append((eid, value))
                else:
                    params = {"limit": 50, "admin1": rng.choice(ADMIN1)}
                    if rng.random() < 0.5:
                        params["actor"] = rng.choice(ACTORS)
                    if rng.random() < 0.3:
                        params["since"] = "2022-01-01"
                    status, payload = await conn.request("GET", "/api/events?" + urlencode(params))
                    if status == 200:
                        json.loads(payload)
                if status >= 400:
                    errors += 1
            except (OSError, ValueError, asyncio.IncompleteReadError):
                errors += 1
                conn = _Conn(port)
                continue
            (write_latencies if i % 10 == 0 else latencies).append(time.perf_counter() - t0)

    await asyncio.gather(*(client(k) for k in range(clients)))
    return {"latencies": latencies, "write_latencies": write_latencies, "errors": errors, "writes": writes_ok}


def bench_serve(clients: int = 50, seconds: float = 30, n_events: int = 10_000) -> dict:
    from rasad.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        store = Store(f"sqlite:///{db}")
        events = _synthetic(n_events)
        for i in range(0, n_events, 100):
            store.save_extraction(events[i]["article_id"], events[i:i + 100], [])
        token = store.add_user("load")
        port = _port()
        env = {**os.environ, "RASAD_GAZETTEER": os.environ.get("RASAD_GAZETTEER", "")}
        server = subprocess.Popen([sys.executable, "-m", "rasad.cli", "serve", "--db", str(db), "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait(port)
            t0 = time.perf_counter()
            res = asyncio.run(_run(port, token, clients, seconds, n_events))
            elapsed = time.perf_counter() - t0
        finally:
            server.terminate()
            server.wait(timeout=10)
        audit = {(a["event_id"], a["after"].get("injured")) for a in store.audit()}
        lost = [w for w in res["writes"] if w not in audit]
        reads = [x * 1000 for x in res["latencies"]]
        writes = [x * 1000 for x in res["write_latencies"]]
        both = reads + writes
        return {"events": n_events, "clients": clients, "seconds": round(elapsed, 1), "requests": len(both),
                "requests_per_s": round(len(both) / elapsed, 1), "errors": res["errors"],
                "writes_acknowledged": len(res["writes"]), "lost_writes": len(lost),
                "p50_ms": round(_percentile(both, 50), 1), "p95_ms": round(_percentile(both, 95), 1),
                "p99_ms": round(_percentile(both, 99), 1), "read_p95_ms": round(_percentile(reads, 95), 1),
                "write_p95_ms": round(_percentile(writes, 95), 1)}


def _wait(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start")
