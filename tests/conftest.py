"""Shared fixtures: an isolated data/cache/db environment and the small test gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data, cache and database locations; nothing touches the user's."""
    root = tmp_path_factory.mktemp("env")
    monkeypatch.setenv("RASAD_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("RASAD_CACHE_DIR", str(root / "cache"))
    monkeypatch.setenv("RASAD_DB", str(root / "rasad.db"))
    monkeypatch.delenv("RASAD_GAZETTEER", raising=False)
    return root


@pytest.fixture(scope="session")
def gaz_dir() -> Path:
    return FIXTURES / "gazetteer"


@pytest.fixture
def gaz(gaz_dir: Path):
    from rasad.geo import gazetteer

    return gazetteer.load([str(gaz_dir)])


def shared_or_skip(rel: str) -> Path:
    path = SHARED / rel
    if not path.exists():
        pytest.skip(f"../shared/{rel} not available")
    return path


def _store_faults(db: Path) -> list[str]:
    """What a store must never hold: a failed integrity check, or events of a report it lacks."""
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"events", "reports"} <= tables:
            return []
        faults = []
        if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            faults.append(f"{db}: integrity check failed")
        orphans = con.execute("SELECT count(*) FROM events WHERE status != 'added' AND article_id NOT IN "
                              "(SELECT article_id FROM reports)").fetchone()[0]
        if orphans:
            faults.append(f"{db}: {orphans} events without a report")
        return faults
    finally:
        con.close()


@pytest.fixture(autouse=True)
def store_stays_sound(request: pytest.FixtureRequest, isolated_env: Path, tmp_path: Path):
    """After every test, every SQLite store it made passes PRAGMA integrity_check and holds no event
    of a report it lacks (tests that seed events alone say so with the `seeded_events` marker)."""
    yield
    if request.node.get_closest_marker("seeded_events"):
        return
    faults = [f for root in (isolated_env, tmp_path) for db in root.rglob("*.db") if db.is_file()
              for f in _store_faults(db)]
    assert faults == []
