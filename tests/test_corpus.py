"""Every rule's examples are tests: the corpus files in lang/ar/corpus (Duckling's habit).

Adding a construction is one rule and a section of examples in its corpus file; these tests pick
the examples up without a line of test code.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from rasad import Profile
from rasad.annotate.casualties import CONSTRUCTIONS, find_casualties
from rasad.annotate.lexicons import load
from rasad.annotate.mentions import find_actors
from rasad.text.dates import find_dates
from rasad.text.normalise import norm
from rasad.text.numbers import quantities

CORPUS = Path(__file__).resolve().parents[1] / "src" / "rasad" / "lang" / "ar" / "corpus"


def _corpus(name: str) -> dict:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


def _cases(name: str, skip: tuple[str, ...] = ()) -> list:
    return [pytest.param(section, entry, id=f"{section}:{entry['text'][:30]}")
            for section, entries in _corpus(name).items() if section not in skip for entry in entries]


def _casualties(text: str) -> list:
    lex = load(Profile.load())
    n = norm(text)
    return find_casualties(n, 0, len(n), lex, find_actors(n, lex))


@pytest.mark.parametrize("rule, entry", _cases("casualties.yaml"))
def test_casualty_corpus(rule, entry):
    got = _casualties(entry["text"])
    want = entry.get("figures", [])
    assert [[c.kind, c.value, c.category] for c in got] == [f[:3] for f in want]
    for c, f in zip(got, want, strict=True):
        assert c.breakdown == (f[3] if len(f) > 3 else {})
    if rule != "no_figure":
        assert rule in {c.rule for c in got}, f"{rule} read none of the figures"


def test_every_casualty_construction_has_examples():
    assert set(CONSTRUCTIONS) <= set(_corpus("casualties.yaml"))


@pytest.mark.parametrize("rule, entry", _cases("dates.yaml", skip=("published",)))
def test_date_corpus(rule, entry):
    published = _corpus("dates.yaml")["published"]
    found = find_dates(norm(entry["text"]), published)
    if rule == "no_date":
        assert found == []
        return
    d = found[0]
    assert d.day == entry["day"] and d.rule == rule
    assert d.last == entry.get("last", d.last) and d.precision == entry.get("precision", d.precision)
    assert d.past_reference == entry.get("history", False)


@pytest.mark.parametrize("rule, entry", _cases("numbers.yaml"))
def test_number_corpus(rule, entry):
    got = quantities(norm(entry["text"]))
    assert [[q.value, q.qualifier] for q in got] == entry["values"]
    assert all(q.vague == entry.get("vague", False) for q in got)


def test_corpus_dates_are_dates():
    assert isinstance(_corpus("dates.yaml")["published"], date)


def _actor_cases() -> list:
    from rasad.profile import PACKAGED

    out = []
    for folder in sorted(p for p in PACKAGED.iterdir() if (p / "corpus" / "actors.yaml").is_file()):
        for entry in yaml.safe_load((folder / "corpus" / "actors.yaml").read_text(encoding="utf-8")):
            out.append(pytest.param(folder.name, entry, id=f"{folder.name}:{entry['text'][:30]}"))
    return out


@pytest.mark.parametrize("profile, entry", _actor_cases())
def test_actor_corpus(profile, entry):
    lex = load(Profile.load(profile))
    assert [a.actor for a in find_actors(norm(entry["text"]), lex)] == entry["actors"]


def _event_cases() -> list:
    from rasad.profile import PACKAGED

    out = []
    for folder in sorted(p for p in PACKAGED.iterdir() if (p / "corpus" / "events.yaml").is_file()):
        for rule, entries in yaml.safe_load((folder / "corpus" / "events.yaml").read_text(encoding="utf-8")).items():
            out += [pytest.param(folder, rule, e, id=f"{folder.name}:{rule}:{e['text'][:30]}") for e in entries]
    return out


@pytest.mark.parametrize("folder, rule, entry", _event_cases())
def test_event_corpus(folder, rule, entry, gaz_dir):
    """Whole made-up reports read by the extractor, against the profile's corpus gazetteer (the
    test fixture's places and the villages the examples name), so no installed data is needed."""
    from rasad import extract
    from rasad.geo import gazetteer

    profile = Profile.load(folder.name)
    gaz = gazetteer.load([str(gaz_dir), str(folder / "corpus" / "places.csv")], profile=profile)
    events = [e for e in extract(entry["text"], gaz, published=str(entry["published"])).events if not e.background]
    width = 6 if any(len(ev) > 5 for ev in entry["events"]) else 5  # an entry may give days, sixth
    got = sorted(([e.location.name, e.sub_event_type, e.actor1, e.fatalities.total, e.injured, e.event_date][:width]
                  for e in events), key=str)
    want = [[*ev[:5], str(ev[5])] if len(ev) > 5 else ev for ev in entry["events"]]
    assert got == sorted(want, key=str), rule
