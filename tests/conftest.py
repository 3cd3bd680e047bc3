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
