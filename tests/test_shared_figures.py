"""Figures on ../shared's real data, skipped where it is absent (the measured values are in the
closing notes; these guard against regressions well below them)."""

from pathlib import Path

from conftest import shared_or_skip
from rasad import extract
from rasad.evaluate import events_eval, geo_eval
from rasad.geo import gazetteer


def _extractor(gaz):
    return lambda text, published, aid: extract(text, gaz, published=published, article_id=aid).events


def test_seed_targets():
    gold = shared_or_skip("gold/seeds.json")
    gaz = gazetteer.load([str(shared_or_skip("gazetteer"))])
    score = events_eval.evaluate_seeds(gold, Path(gold).parent.parent / "seeds", _extractor(gaz)).as_dict()
    assert score["found_pct"] >= 90 and score["perpetrator_right_pct"] >= 90
    assert score["fatality_figures_right_pct"] == 100 and score["background_leaks"] == 0


def test_dev_set_floors():
    dev = shared_or_skip("dev/airwars_dev.jsonl")
    gaz = gazetteer.load([str(shared_or_skip("gazetteer"))])
    score = events_eval.evaluate_dev(dev, _extractor(gaz)).as_dict()
    assert score["incident_found_pct"] >= 85 and score["belligerent_right_pct"] >= 85
    assert score["civilians_killed_in_range_pct"] >= 81
    places = geo_eval.evaluate_places(dev, gaz).as_dict()
    assert places["found_pct"] >= 90 and places["in_gazetteer_within_5km_pct"] >= 90
    assert places["within_5km_pct"] >= 80


def test_geonames_below_ocha_places_more_and_throws_none_far():
    dev = shared_or_skip("dev/airwars_dev.jsonl")
    ocha = geo_eval.evaluate_places(dev, gazetteer.load([str(shared_or_skip("gazetteer"))])).as_dict()
    both = geo_eval.evaluate_places(dev, gazetteer.load([str(shared_or_skip("gazetteer")),
                                                         str(shared_or_skip("geonames/SY.txt"))])).as_dict()
    assert both["within_5km_pct"] > ocha["within_5km_pct"] and both["moved_over_50km"] <= ocha["moved_over_50km"]
    hama = gazetteer.load([str(shared_or_skip("gazetteer")), str(shared_or_skip("geonames/SY.txt"))])
    seed = (shared_or_skip("seeds") / "000_806bc790f2f72230.txt").read_text(encoding="utf-8")
    jbine = [x for x in extract(seed, hama, published="2019-08-08").events if x.location.name == "الجبين"]
    assert jbine and jbine[0].location.admin1 == "Hama"


def test_every_dev_event_has_a_geometry(tmp_path):
    import json

    from rasad.cli import main

    dev = shared_or_skip("dev/airwars_dev.jsonl")
    out = tmp_path / "dev.geojson"
    assert main(["extract", str(dev), "--db", str(tmp_path / "d.db"), "--gazetteer", str(shared_or_skip("gazetteer")),
                 "--out", str(out)]) == 0
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert features and [f["properties"]["location"] for f in features if not f["geometry"]] == []


def test_seeds_ingest_clean_and_searchable(tmp_path):
    from rasad.cli import main
    from rasad.store import Store

    seeds = shared_or_skip("seeds")
    db = tmp_path / "s.db"
    assert main(["ingest", "--db", str(db), str(seeds)]) == 0
    store = Store(f"sqlite:///{db}")
    clean = store.get_report("001_10defcbb0af46bf3.txt").clean_text
    assert "ظروف غير إنسانية" in clean and "بحسب شبكات إخبارية تابعة لدير الزور" in clean
    for gone in ("التعليقات", "الأكثر قراءة", "الله ينتقم", "أهم التصنيفات"):
        assert gone not in clean
    for q in ("كفرزيتا", "كفر زيتا"):
        assert store.search(q)[0][0] == "000_806bc790f2f72230.txt"


def test_hama_jbine_wins_in_the_first_seed():
    from rasad.geo.resolver import locate

    seed = shared_or_skip("seeds/000_806bc790f2f72230.txt").read_text(encoding="utf-8")
    gaz = gazetteer.load([str(shared_or_skip("gazetteer"))])
    (jbine,) = [loc for loc in locate(seed, gaz) if loc.name == "الجبين"]
    assert (jbine.pcode, jbine.admin1) == ("C3466", "Hama")
