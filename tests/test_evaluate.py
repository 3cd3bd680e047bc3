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
