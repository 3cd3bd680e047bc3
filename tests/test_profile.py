"""The country is a Profile handed down: a made-up country runs ingest -> extract -> export end to
end with no Syrian knowledge, and two profiles live side by side in one process."""

from __future__ import annotations

import csv
import json
import pickle

import pytest

from conftest import FIXTURES
from rasad import Profile, extract, load_gazetteer
from rasad.cli import main

TESTLAND = FIXTURES / "profiles" / "testland"

REPORT = """غارات على زهرة الرمان
قصف جيش الوادي بلدة زهرة الرمان اليوم، ما أدى إلى مقتل 4 مدنيين بينهم طفلان، وإصابة 6 آخرين، بحسب مرصد الوادي.
شارك الخبر
وفي سياق آخر قالت قوات النظام إنها سيطرت على المنطقة.
"""


def test_profile_loads_country_from_its_folder():
    p = Profile.load(str(TESTLAND))
    assert p.country.name == "Testland" and p.country.iso == 999 and p.country.id_prefix == "TST"
    assert p.country.map_box == (10.0, 10.0, 12.0, 12.0)
    assert p.country.government_side == {"TL_GOV"}
    assert p.country.admin_level("XY0102") == 2 and p.country.admin_level("XY01020") == 0
    assert Profile.load(TESTLAND) is p  # loaded once
    assert pickle.loads(pickle.dumps(p)) is p  # workers get the same profile


def test_unknown_profile_names_the_known_ones():
    with pytest.raises(ValueError, match="syria"):
        Profile.load("atlantis")


def test_two_profiles_in_one_process_read_by_their_own_knowledge():
    test_gaz = load_gazetteer([], profile=Profile.load(TESTLAND))
    syria_gaz = load_gazetteer([], profile=Profile.load("syria"))
    ev = extract(REPORT, test_gaz, published="2024-03-02").events
    news = [e for e in ev if e.location and e.location.name_en == "Zahrat al-Rumman"]
    assert news and news[0].actor1 == "TL_GOV" and news[0].fatalities.total == 4
    assert news[0].reported_by == ["VALLEY_WATCH"]
    assert not any(e.actor1 == "SYR_GOV" for e in ev)  # the other country's vocabulary is not loaded
    assert not any(e.actor1 == "TL_GOV" for e in extract(REPORT, syria_gaz, published="2024-03-02").events)


def test_made_up_country_end_to_end_through_the_cli(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "r1.txt").write_text(REPORT, encoding="utf-8")
    empty = tmp_path / "no-gazetteer"
    empty.mkdir()
    db = str(tmp_path / "t.db")
    common = ["--db", db, "--profile", str(TESTLAND)]
    assert main(["ingest", str(inputs), *common]) == 0
    out = tmp_path / "events.csv"
    assert main(["extract", str(inputs), *common, "--gazetteer", str(empty), "--format", "acled-csv",
                 "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    row = next(r for r in rows if r["location"] == "Zahrat al-Rumman")
    assert row["country"] == "Testland" and row["iso"] == "999" and row["region"] == "Nowhere"
    assert row["event_id_cnty"].startswith("TST")
    assert row["actor1"] == "Military Forces of Testland" and row["actor2"] == "Civilians (Testland)"
    assert float(row["latitude"]) == 11.2 and row["fatalities"] == "4"
    geo = tmp_path / "events.geojson"
    assert main(["export", *common, "--format", "geojson", "--out", str(geo)]) == 0
    feats = json.loads(geo.read_text(encoding="utf-8"))["features"]
    assert any(f["geometry"]["coordinates"] == [10.8, 11.2] for f in feats if f["geometry"])


def test_furniture_rules_come_from_the_profile(tmp_path):
    from rasad.ingest import iter_inputs

    f = tmp_path / "r.txt"
    f.write_text(REPORT, encoding="utf-8")
    masked = next(iter_inputs([str(f)], profile=Profile.load(TESTLAND))).text
    assert "شارك الخبر" not in masked and len(masked) == len(REPORT)
    assert "شارك الخبر" in next(iter_inputs([str(f)], profile=Profile.load("syria"))).text


def test_a_bad_published_date_is_a_usage_error(tmp_path, capsys):
    f = tmp_path / "r.txt"
    f.write_text(REPORT, encoding="utf-8")
    assert main(["extract", str(f), "--db", str(tmp_path / "x.db"), "--published", "2020-13-45"]) == 2
    assert "bad publication date" in capsys.readouterr().err
