"""The dev-set scoring itself, on a row and events of our own."""

import json

from rasad.evaluate.events_eval import evaluate_dev
from rasad.model import Event, Fatalities, Location


def _row(killed: tuple[int, int]) -> dict:
    return {"id": "r1", "text": "نص", "published": "2022-11-06",
            "gold": {"location_ar": "كفر جالس", "lat": 35.97, "lon": 36.59, "date": "2022-11-06",
                     "belligerent_en": "Russian Military", "civ_killed_min": killed[0], "civ_killed_max": killed[1],
                     "civ_injured_min": "", "civ_injured_max": ""}}


def _event(fat: Fatalities, background: bool = False) -> Event:
    return Event("e", "r1", "Explosions/Remote violence", "Air/drone strike", event_date="2022-11-06",
                 actor1="RUS", location=Location("كفر جالس", latitude=35.97, longitude=36.59),
                 fatalities=fat, background=background)


def _score(tmp_path, row, events):
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    return evaluate_dev(path, lambda text, published, aid: events).as_dict()


def test_history_toll_is_not_the_incident_toll(tmp_path):
    events = [_event(Fatalities()), _event(Fatalities(total=5, civilians=5), background=True)]
    score = _score(tmp_path, _row((0, 1)), events)
    assert score["incident_found_pct"] == 100 and score["belligerent_right_pct"] == 100
    assert score["civilians_killed_in_range_pct"] == 100
    assert _score(tmp_path, _row((5, 5)), events)["civilians_killed_in_range_pct"] == 0


def test_combatants_counted_by_side_are_not_civilians(tmp_path):
    fighters = [_event(Fatalities(total=4, combatants={"HTS": 4}))]
    assert _score(tmp_path, _row((0, 0)), fighters)["civilians_killed_in_range_pct"] == 100
    unsaid = [_event(Fatalities(total=4))]
    assert _score(tmp_path, _row((4, 4)), unsaid)["civilians_killed_in_range_pct"] == 100


def test_complete_annotation_measures_as_the_spec_defines_them(tmp_path):
    """Place matching by normalised containment, alternatives, optional events, precision and
    background leaks, on a made-up annotation and made-up predictions."""
    import json as _json

    from rasad.evaluate.text_eval import evaluate_text, place_key
    from rasad.model import Event, Fatalities, Location

    assert place_key("بلدة كفر نبو") == place_key("كفرنبو") == "كفرنبو" and place_key("الجديدة") == "جديده"
    gold = {"format": "rasad-gold/2", "articles": [{"article": "a1", "source_type": "web", "published": "2022-01-02",
        "events": [
            {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike", "location": "قرية الورد",
             "event_date": "2022-01-02", "actor1": ["RUS"], "fatalities": {"total": 3, "civilians": 3}, "injured": 5,
             "alt": {"actor1": [["SYR_GOV"]], "event_date": ["2022-01-01"]}},
            {"event_type": "Battles", "sub_event_type": "Armed clash", "location": "تل السهل",
             "event_date": "2022-01-02", "actor1": ["OPP"]},
            {"event_type": "Battles", "sub_event_type": "Armed clash", "location": "عين الماء", "optional": True,
             "event_date": "2022-01-02", "actor1": ["OPP"]},
            {"event_type": "Battles", "sub_event_type": "Armed clash", "location": None, "event_date": None,
             "actor1": ["OPP"]}],
        "background": [{"event_type": "Battles", "sub_event_type": "Armed clash", "location": "الرابية"}]}]}
    (tmp_path / "gold.json").write_text(_json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "d.jsonl").write_text(_json.dumps({"id": "a1", "text": "x"}) + "\n", encoding="utf-8")

    def ev(place, sub, etype="Explosions/Remote violence", day="2022-01-01", actor="SYR_GOV", total=None):
        return Event("", "a1", etype, sub, event_date=day, actor1=actor, fatalities=Fatalities(total=total),
                     location=Location(name=place))

    predicted = [ev("الورد", "Air/drone strike", total=3), ev("عين الماء", "Armed clash", "Battles"),
                 ev("الرابية", "Armed clash", "Battles"), ev("مكان آخر", "Air/drone strike")]
    s = evaluate_text(tmp_path / "gold.json", dev, lambda text, pub, aid: predicted)["all"].as_dict()
    assert s["gold_events"] == 2 and s["recall_pct"] == 50.0 and s["recall_place_type_day_pct"] == 50.0
    assert s["perpetrator_right_pct"] == 100.0  # SYR_GOV is an alt.actor1
    assert s["fatality_figures"] == 2 and s["fatality_figures_right_pct"] == 50.0  # total right, civilians missed
    assert s["injured_figures"] == 1 and s["injured_right_pct"] == 0.0
    assert s["predicted_news_events"] == 4 and s["precision_place_pct"] == 50.0 and s["background_leaks"] == 1


def test_framing_swaps_change_no_reading(gaz):
    from rasad import Profile, extract
    from rasad.evaluate.framing import evaluate_framing

    rows = [{"id": "f1", "published": "2022-11-06",
             "text": "قصفت قوات النظام بلدة كفر جالس بالمدفعية اليوم، ما أدى إلى مقتل 3 مدنيين."},
            {"id": "f2", "published": "2022-11-06",
             "text": "هاجم الثوار مواقع على أطراف مدينة سراقب اليوم وقتل عنصران في الاشتباكات."}]

    def real(text, published, aid):
        return extract(text, gaz, published=published, article_id=aid).events

    score = evaluate_framing(rows, real, Profile.load())
    assert score.swaps == 3 and score.events > 0 and score.flipped == 0, score.examples

    def framed(text, published, aid):  # an extractor that reads one side's words differently
        events = real(text, published, aid)
        if "ميليشيا أسد" in text:
            for ev in events:
                ev.actor1 = "OPP"
        return events

    assert evaluate_framing(rows[:1], framed, Profile.load()).flipped >= 1


def test_analyst_place_fields_are_read_as_the_names_they_hold():
    from rasad.evaluate.geo_eval import gold_place_names

    assert gold_place_names("الجديدة أو اليعقوبية") == ["الجديدة", "اليعقوبية"]
    assert gold_place_names("بين أرمناز و كفرتخاريم") == ["أرمناز", "كفرتخاريم"]
    assert gold_place_names("محيط بلدة الزرزور") == ["الزرزور"]
    assert gold_place_names("بالقرب من محطة وقود السيد، مدينة المالكية") == ["محطة وقود السيد", "المالكية"]
    assert gold_place_names("وادي العيون") == ["وادي العيون"]  # "و" inside a word is no list
