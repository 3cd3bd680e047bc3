"""The house rules, checked: data flows one way between stages, no stage takes another's private
names, the store imports nothing from ingest, no function in the reading core is over complexity
20, and no country's knowledge is written into the code."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pytest

from rasad.profile import PACKAGED, Profile

SRC = Path(__file__).resolve().parents[1] / "src" / "rasad"

# Stages, lowest first: a module may import from its own stage and the ones below, never above.
STAGES = [
    {"model", "profile", "lang", "text", "progress", "extras"},
    {"ingest"},
    {"doc", "geo"},
    {"annotate"},
    {"extract", "link"},  # link compares events as extraction gives them; it never reads the store
    {"store"},
    {"export"},
    {"process", "engines", "tables"},
    {"web", "evaluate"},
    {"cli", "__init__"},
]
RANK = {name: i for i, names in enumerate(STAGES) for name in names}


def _modules() -> list[tuple[str, ast.Module]]:
    return [(str(p.relative_to(SRC)), ast.parse(p.read_text(encoding="utf-8"))) for p in SRC.rglob("*.py")]


def _stage(path: str) -> str:
    first = path.split("/")[0]
    return first[:-3] if first.endswith(".py") else first


def _imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("rasad"):
            out.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.startswith("rasad")]
    return out


def _target_stage(module: str, names: list[str]) -> list[str]:
    parts = module.split(".")
    if len(parts) > 1:
        return [parts[1]]
    return names  # "from rasad import extract": the names are the stages


def test_every_module_has_a_stage():
    assert {_stage(p) for p, _ in _modules()} <= set(RANK)


def test_no_import_goes_up_a_stage():
    upward = []
    for path, tree in _modules():
        here = RANK[_stage(path)]
        for module, names in _imports(tree):
            for target in _target_stage(module, names):
                if target in RANK and RANK[target] > here:
                    upward.append(f"{path} imports {module} ({target})")
    assert upward == []


def test_no_stage_takes_another_stages_private_names():
    private = [f"{path}: {module}.{name}" for path, tree in _modules() for module, names in _imports(tree)
               for name in names if name.startswith("_") and not name.startswith("__")
               and module.split(".")[1:2] != [_stage(path)]]
    assert private == []


def test_store_imports_nothing_from_ingest_and_model_nothing_at_all():
    for path, tree in _modules():
        mods = [m for m, _ in _imports(tree)]
        if path.startswith("store/"):
            assert not any(m.startswith("rasad.ingest") for m in mods), path
        if path == "model.py":
            assert mods == [], mods


def test_no_function_in_the_reading_core_is_over_complexity_20():
    radon = pytest.importorskip("radon.complexity")
    over = []
    for folder in ("extract", "annotate", "geo", "lang"):
        for p in (SRC / folder).rglob("*.py"):
            for block in radon.cc_visit(p.read_text(encoding="utf-8")):
                if block.complexity > 20:
                    over.append(f"{p.relative_to(SRC)}:{block.name} {block.complexity}")
    assert over == []


def _country_tokens(profile: Profile) -> set[str]:
    """What only this country's profile should know: its name and codes, its map box, its actors'
    national ids, and the places and regions it adds to the gazetteer."""
    c = profile.country
    tokens = {c.name, c.iso3, *(f"{x:g}" for x in c.map_box)}
    tokens |= {aid for aid in profile.actors if c.iso3 in aid}
    extra = profile.path("places_extra.csv")
    if extra.is_file():
        for row in csv.DictReader(extra.open(encoding="utf-8")):
            tokens |= {row["name_ar"], row["name_en"], row.get("admin1") or ""}
    return {t for t in tokens if len(t) >= 3}


def test_no_country_knowledge_in_python_modules():
    found = []
    for folder in sorted(p for p in PACKAGED.iterdir() if (p / "country.yaml").is_file()):
        tokens = _country_tokens(Profile.load(folder))
        pattern = re.compile("|".join(rf"(?<![\w.]){re.escape(t)}(?![\w])" for t in tokens))
        for p in SRC.rglob("*.py"):
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
                m = pattern.search(line)
                if m:
                    found.append(f"{p.relative_to(SRC)}:{i}: {m.group()}")
    assert found == []


def test_one_comparison_of_events_for_merging_linking_and_evaluation():
    from rasad.link.compare import family, place_key, same_incident
    from rasad.model import Event, Location

    def ev(name, lat, day, sub="Air/drone strike", precision=1):
        loc = Location(name=name, name_ar=name, latitude=lat, longitude=36.0, geo_precision=precision, pcode="P1")
        return Event("", "a", "Explosions/Remote violence", sub, event_date=day, location=loc)

    a, b = ev("قرية", 35.0, "2022-01-02"), ev("القرية", 35.001, "2022-01-03", "Shelling/artillery/missile attack")
    assert place_key(a.location) == place_key(b.location) and family(a) == family(b)
    assert same_incident(a, b) and not same_incident(a, b, slack=0)
    assert not same_incident(a, ev("بلدة", 35.5, "2022-01-02"))  # 55 km away, another name
