"""The country profile: what rasad knows of one country, as data files in one folder.

A `Profile` is loaded once (`Profile.load("syria")` or a folder path) and handed down to every
stage: ingest takes its furniture rules, the gazetteer its place words, extraction its lexicons,
export its actor catalogue and country codes, the web app its map box. Nothing below the CLI and
the app factory reads the environment to find it, so one process can hold several countries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

PACKAGED = Path(__file__).parent / "profiles"
DEFAULT_PROFILE = "syria"


@dataclass(frozen=True)
class Country:
    """country.yaml: codes for exports, the map box, P-code levels, and who is on the state's side."""

    name: str
    iso: int  # ISO 3166 numeric, as ACLED's `iso` column
    iso3: str
    region: str
    id_prefix: str  # ACLED's event_id_cnty prefix
    map_box: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    pcode_lengths: tuple[int, ...]  # length of an admin1, admin2, admin3 P-code
    government_side: frozenset[str]  # actors that regain territory for the state
    state_forces: frozenset[str]  # national and foreign state forces
    authorities: frozenset[str]  # actors whose detentions are arrests, not abductions

    def admin_level(self, pcode: str) -> int:
        """1, 2 or 3 for an admin unit's P-code by its length; 0 for anything else."""
        return self.pcode_lengths.index(len(pcode)) + 1 if len(pcode) in self.pcode_lengths else 0

    def admin_pcode(self, pcode: str, level: int) -> str:
        """The P-code of the admin unit of `level` that contains `pcode`."""
        return pcode[:self.pcode_lengths[level - 1]]

    @classmethod
    def from_yaml(cls, data: dict[str, Any]) -> Country:
        sides = data.get("sides") or {}
        return cls(
            name=data["name"], iso=int(data.get("iso", 0)), iso3=data.get("iso3", ""),
            region=data.get("region", ""), id_prefix=data.get("id_prefix", data.get("iso3", "")),
            map_box=tuple(float(x) for x in data["map_box"]),  # type: ignore[arg-type]
            pcode_lengths=tuple(int(x) for x in data.get("pcode_lengths", (4, 6, 8))),
            government_side=frozenset(sides.get("government", [])),
            state_forces=frozenset(data.get("state_forces", [])),
            authorities=frozenset(data.get("authorities", [])),
        )


class Profile:
    """One country's knowledge folder. Equal profiles are one object (`load` caches by folder);
    a profile pickles as its folder, so worker processes load the same one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = folder.name
        self._data: dict[str, dict[str, Any]] = {}

    @staticmethod
    def load(name_or_path: str | Path | None = None) -> Profile:
        """A packaged profile by name ("syria"), or any folder holding a country.yaml."""
        spec = str(name_or_path or DEFAULT_PROFILE)
        folder = Path(spec).expanduser()
        if not (folder / "country.yaml").is_file():
            folder = PACKAGED / spec
        if not (folder / "country.yaml").is_file():
            known = ", ".join(sorted(p.name for p in PACKAGED.iterdir() if (p / "country.yaml").is_file()))
            raise ValueError(f"no profile '{spec}' (a folder with country.yaml, or one of: {known})")
        return _load(folder.resolve())

    def __reduce__(self) -> tuple:
        return (Profile.load, (str(self.folder),))

    def __repr__(self) -> str:
        return f"Profile({self.name!r})"

    def path(self, filename: str) -> Path:
        return self.folder / filename

    def data(self, filename: str) -> dict[str, Any]:
        """A YAML file of the profile ({} when the profile has none), read once."""
        if filename not in self._data:
            self._data[filename] = _yaml(self.folder / filename)
        return self._data[filename]

    def lines(self, filename: str) -> list[str]:
        """A word-list file of the profile: one entry a line, # comments and blanks skipped."""
        f = self.folder / filename
        if not f.is_file():
            return []
        return [x.strip() for x in f.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")]

    @cached_property
    def country(self) -> Country:
        return Country.from_yaml(self.data("country.yaml"))

    @cached_property
    def actors(self) -> dict[str, dict[str, Any]]:
        """The actor catalogue: id -> label, ACLED name, inter code, names, adjectives."""
        return self.data("actors.yaml").get("actors", {})

    def actor_labels(self) -> dict[str, str]:
        return {aid: spec.get("label", aid) for aid, spec in self.actors.items()}

    def fingerprint_files(self) -> list[Path]:
        """The files whose change must rebuild what is built from the profile (the gazetteer)."""
        return [f for f in sorted(self.folder.iterdir()) if f.is_file()]


@lru_cache(maxsize=16)
def _load(folder: Path) -> Profile:
    return Profile(folder)


def _yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
