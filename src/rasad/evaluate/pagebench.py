"""How fast the workbench answers with many events stored: the dashboard's size and time before its
data requests (the page with every script and stylesheet it loads), its data requests (outlines and
the map's markers), and p50/p95 of the table, search, the queue and the API, in-process (no
network), on synthetic events."""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path

from rasad.evaluate.common import shared_dir
from rasad.evaluate.loadbench import _synthetic

PAGES = {
    "table": "/events",
    "table_filtered": "/events?admin1=Region+3&status=machine",
    "search": "/search?q=%D8%AD%D9%84%D8%A8",  # حلب
    "queue": "/queue",
    "api_events": "/api/events?limit=100",
    "map_data": "/api/events?format=geojson&bbox=35,30,37,32&limit=1000",
    "map_markers": "/api/map?bbox=35,30,41,35&zoom=6&include_background=false",  # the dashboard's first view
    "map_markers_zoomed": "/api/map?bbox=35,30,35.3,30.3&zoom=12&include_background=false",
    "boundaries": "/api/boundaries",
}
ASSET = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="(/static/[^"]+)"')


def bench_pages(n_events: int = 100_000, requests: int = 20) -> dict:
    """Seed `n_events` synthetic events, then time each page `requests` times (the dashboard 3)."""
    import warnings

    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")  # raised on import
    from fastapi.testclient import TestClient

    from rasad.store import Store
    from rasad.web.app import create_app
    from rasad.web.deps import Settings

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'pages.db'}"
        store = Store(url)
        events = _synthetic(n_events)
        for i in range(0, n_events, 1000):
            store.save_extraction(events[i]["article_id"], events[i:i + 1000], [])
        shared = shared_dir()  # the real outlines and places when there (the map draws them; search finds them)
        gazetteer = [str(shared / "gazetteer")] if shared and (shared / "gazetteer").is_dir() else None
        client = TestClient(create_app(Settings(db_url=url, read_requires_token=False, gazetteer_paths=gazetteer)))
        client.get("/api/boundaries")  # outlines are simplified once per process, on the first request
        out: dict = {"events": n_events}
        out.update(_dashboard(client))
        for name, path in PAGES.items():
            times, _body = _timed(client, path, requests)
            out[f"{name}_p50_ms"] = round(statistics.median(times), 1)
            out[f"{name}_p95_ms"] = round(sorted(times)[max(0, int(len(times) * 0.95) - 1)], 1)
    # interactive: the page and its assets, then its first view's markers and the outlines, one after another
    first_view = out["map_markers_p50_ms"] + out["boundaries_p50_ms"]
    out["dashboard_interactive_ms"] = round(out["dashboard_ms"] + first_view, 1)
    return out


def _dashboard(client, runs: int = 3) -> dict:  # noqa: ANN001 - a TestClient
    """The dashboard before its data requests: the page and each script and stylesheet it loads,
    fetched one after another (a browser fetches the assets in parallel, and caches them)."""
    page_times, total_times, size = [], [], 0
    for _ in range(runs):
        t = time.perf_counter()
        page = client.get("/")
        page_times.append((time.perf_counter() - t) * 1000)
        size = len(page.content) + sum(len(_timed(client, a, 1)[1]) for a in ASSET.findall(page.text))
        total_times.append((time.perf_counter() - t) * 1000)
    return {"dashboard_page_ms": round(statistics.median(page_times), 1),
            "dashboard_ms": round(statistics.median(total_times), 1), "dashboard_kb": round(size / 1024, 1)}


def _timed(client, path: str, n: int) -> tuple[list[float], bytes]:  # noqa: ANN001 - a TestClient
    times, body = [], b""
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - t) * 1000)
        body = r.content
        if r.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {r.status_code}")
    return times, body
