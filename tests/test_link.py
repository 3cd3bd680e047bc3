"""Linking event records into incidents (link/incidents.py) and the incident record (link/summary.py)."""

from __future__ import annotations

from rasad.link.incidents import Member, link
from rasad.link.summary import summarise

TOWN = {"name": "بنش", "name_ar": "بنش", "pcode": "C1", "latitude": 35.95, "longitude": 36.71, "geo_precision": 1}
OTHER = {"name": "سراقب", "name_ar": "سراقب", "pcode": "C2", "latitude": 35.86, "longitude": 36.80, "geo_precision": 1}


def _rec(eid, article, day="2023-03-04", loc=TOWN, actor="SYR_GOV", killed=None, civ=None,
         sub="Shelling/artillery/missile attack", cites=(), etype="Explosions/Remote violence"):
    return {"event_id": eid, "article_id": article, "event_type": etype, "sub_event_type": sub, "event_date": day,
            "time_precision": 1, "actor1": actor, "assoc_actor_1": [], "location": dict(loc),
            "fatalities": {"total": killed, "civilians": civ, "combatants": {}}, "injured": None,
            "reported_by": list(cites), "evidence": []}


def _m(rec, published="2023-03-04", origin=None):
    return Member(rec, published, rec["article_id"] + "-site", None, origin)


def test_tellings_of_one_strike_are_one_incident_and_a_report_never_merges_its_own_strikes():
    a = _m(_rec("e1", "r1", killed=3, civ=3))
    b = _m(_rec("e2", "r2", sub="Air/drone strike", killed=5, civ=5), published="2023-03-05")
    c = _m(_rec("e3", "r3", loc=OTHER))  # another town: another incident
    d = _m(_rec("e4", "r1", day="2023-03-04", loc={**TOWN, "name": "مصيبين", "name_ar": "مصيبين", "pcode": "C3",
                                                    "latitude": 35.96}))  # r1's second strike, a village nearby
    incidents = link([a, b, c, d])
    by_event = {m.event_id: inc.incident_id for inc in incidents for m in inc.members}
    assert by_event["e1"] == by_event["e2"] != by_event["e3"]
    assert by_event["e4"] != by_event["e1"]  # one report, two places: two strikes
    beside = _m(_rec("e5", "r2", loc={**TOWN, "name": "مزرعة الزيتون", "name_ar": None, "geo_precision": 2}))
    assert {i.incident_id for i in link([a, b, beside]) if len(i.members) == 3}  # beside the town: its strike


def test_one_raid_told_as_arrests_a_clash_or_abductions_is_one_incident():
    arrests = _rec("e1", "r1", actor="SDF", etype="Strategic developments", sub="Arrests")
    clash = _rec("e2", "r2", actor="USA_COAL", etype="Battles", sub="Armed clash")
    taken = _rec("e3", "r3", actor="USA_COAL", etype="Violence against civilians", sub="Abduction/forced disappearance")
    assert len(link([_m(arrests), _m(clash), _m(taken)])) == 1
    shelled = _rec("e4", "r4")  # a shelling of the town that day is not the raid
    looted = _rec("e5", "r5", etype="Strategic developments", sub="Looting/property destruction")
    assert len(link([_m(arrests), _m(shelled), _m(looted)])) == 3


def test_a_raid_told_the_next_morning_is_the_raid_a_strike_the_next_day_another():
    night = _rec("e1", "r1", actor="USA_COAL", etype="Battles", sub="Armed clash", day="2023-03-04")
    morning = _rec("e2", "r2", actor="SDF", etype="Strategic developments", sub="Arrests", day="2023-03-05")
    assert len(link([_m(night), _m(morning, published="2023-03-05")])) == 1
    # a raid on another village the next day is another raid
    other = _rec("e3", "r3", actor="SDF", etype="Strategic developments", sub="Arrests", day="2023-03-05", loc=OTHER)
    assert len(link([_m(night), _m(other, published="2023-03-05")])) == 2
    shelled = [_m(_rec("e4", "r4")), _m(_rec("e5", "r5", day="2023-03-05"), published="2023-03-05")]
    assert len(link(shelled)) == 2  # shelling the same town two days running: two incidents


def test_namesakes_the_gazetteer_told_apart_are_one_place_to_linking():
    far = {**TOWN, "pcode": "C9", "latitude": 34.5, "longitude": 40.9}  # another بنش, 400 km away
    assert len(link([_m(_rec("e1", "r1")), _m(_rec("e2", "r2", loc=far))])) == 1
    other = {**OTHER, "latitude": 34.5, "longitude": 40.9}
    assert len(link([_m(_rec("e1", "r1")), _m(_rec("e2", "r2", loc=other))])) == 2


def test_another_day_is_another_incident_unless_dated_loosely():
    a = _m(_rec("e1", "r1"))
    b = _m(_rec("e2", "r2", day="2023-03-05"))
    assert len(link([a, b])) == 2
    loose = _rec("e3", "r3", day="2023-03-05")
    loose["time_precision"] = 2
    assert len(link([a, _m(loose)])) == 1


def test_linking_is_incremental_idempotent_and_ids_are_stable():
    a, b = _m(_rec("e1", "r1")), _m(_rec("e2", "r2"))
    first = link([a])
    founded = first[0].incident_id
    grown = link([a, b], first)  # a is already placed; b joins
    assert [i.incident_id for i in grown] == [founded] and len(grown[0].members) == 2
    again = link([a, b], grown)
    assert [(i.incident_id, len(i.members)) for i in again] == [(founded, 2)]
    assert link([b, a])[0].incident_id == founded  # publication order, not input order, founds it


def test_figures_are_a_range_with_the_latest_as_best_and_every_telling_in_the_timeline():
    early = _m(_rec("e1", "r1", killed=3, civ=3), published="2023-03-04")
    later = _m(_rec("e2", "r2", killed=7, civ=7), published="2023-03-05")
    silent = _m(_rec("e3", "r3"), published="2023-03-05")
    rec = summarise(link([later, early, silent])[0])
    assert rec["civilians_killed"] == {"min": 3, "best": 7, "max": 7}
    assert [t["civilians_killed"] for t in rec["toll_timeline"]] == [3, 7]
    assert {c["field"] for c in rec["contradictions"]} >= {"civilians_killed", "killed"}


def test_best_is_the_figure_most_independent_origins_give():
    two = [_m(_rec("e1", "r1", killed=3, civ=3, cites=["SOHR"])), _m(_rec("e2", "r2", killed=3, civ=3))]
    late = _m(_rec("e3", "r3", killed=9, civ=9), published="2023-03-06")
    assert summarise(link([*two, late])[0])["civilians_killed"] == {"min": 3, "best": 3, "max": 9}
    copied = [_m(_rec("e1", "r1", killed=3, civ=3)), _m(_rec("e2", "r2", killed=3, civ=3), origin="r1")]
    assert summarise(link([*copied, late])[0])["civilians_killed"]["best"] == 9  # a copy adds no origin


def test_origins_and_grades():
    one = summarise(link([_m(_rec("e1", "r1"))])[0])
    assert (one["origins"], one["grade"]) == (1, "Weak")
    # two reports citing one monitor are one origin; a copy of a report is no origin of its own
    cited = link([_m(_rec("e1", "r1", cites=["SOHR"])), _m(_rec("e2", "r2", cites=["SOHR"])),
                  _m(_rec("e3", "r3"), origin="r1")])
    assert summarise(cited[0])["origins"] == 1
    two = summarise(link([_m(_rec("e1", "r1", cites=["SOHR"])), _m(_rec("e2", "r2", cites=["WHITE_HELMETS"]))])[0])
    assert (two["origins"], two["grade"]) == (2, "Fair")
    generic = link([_m(_rec("e1", "r1", cites=["ACTIVISTS"])), _m(_rec("e2", "r2", cites=["ACTIVISTS"]))])
    from rasad.profile import Profile

    assert summarise(generic[0], Profile.load())["origins"] == 2  # the profile's "ناشطون" is no one origin
    own = _rec("e9", "r9", actor="RUS", cites=["RUS_MOD"])
    confirmed = summarise(link([_m(_rec("e8", "r8", actor="RUS")), _m(own)])[0], Profile.load())
    assert confirmed["grade"] == "Confirmed" and "RUS_MOD" in confirmed["grade_reason"]
    contested = summarise(link([_m(_rec("e1", "r1", actor="RUS")), _m(_rec("e2", "r2", actor="SYR_GOV"))])[0])
    assert contested["grade"] == "Contested" and "RUS" in contested["grade_reason"]
    assert {a["actor1"] for a in contested["attributions"]} == {"RUS", "SYR_GOV"}


def test_one_report_citing_two_organisations_or_two_kinds_of_witness_is_two_origins():
    from rasad.profile import Profile

    profile = Profile.load()
    both = summarise(link([_m(_rec("e1", "r1", actor="TUR", cites=["SOHR", "WHITE_HELMETS"]))])[0], profile)
    assert (both["origins"], both["grade"]) == (2, "Fair")
    kinds = summarise(link([_m(_rec("e1", "r1", actor="TUR", cites=["MEDICAL_SOURCES", "WITNESSES"]))])[0], profile)
    assert kinds["origins"] == 2
    alone = summarise(link([_m(_rec("e1", "r1", actor="TUR", cites=["ACTIVISTS"]))])[0], profile)
    assert (alone["origins"], alone["grade"]) == (1, "Weak")


def test_contested_needs_reports_that_blame_different_sides_or_shared_skies():
    from rasad.profile import Profile

    profile = Profile.load()
    joint = _rec("e1", "r1", actor="TUR", cites=["SOHR"])
    joint["assoc_actor_1"] = ["OPP"]  # one report telling a joint attack: no competing claim
    one = summarise(link([_m(joint), _m(_rec("e2", "r2", actor="TUR", cites=["WHITE_HELMETS"]))])[0], profile)
    assert one["grade"] == "Fair"
    apart = summarise(link([_m(joint), _m(_rec("e2", "r2", actor="SDF"))])[0], profile)
    assert apart["grade"] == "Contested" and "SDF" in apart["grade_reason"]
    # Russia's and the regime's strikes shared the north-west's skies until December 2024
    regime = [_m(_rec("e1", "r1", cites=["SOHR"])), _m(_rec("e2", "r2", cites=["WHITE_HELMETS"]))]
    assert summarise(link(regime)[0], profile)["grade"] == "Contested"
    later = [_m(_rec(e, r, day="2025-03-04", cites=[c]), published="2025-03-04")
             for e, r, c in (("e1", "r1", "SOHR"), ("e2", "r2", "WHITE_HELMETS"))]
    assert summarise(link(later)[0], profile)["grade"] == "Fair"
    assert summarise(link(regime)[0])["grade"] == "Fair"  # without a profile no skies are shared
    own = [_m(_rec("e1", "r1", actor="RUS", cites=["RUS_MOD"])), _m(_rec("e2", "r2", actor="RUS"))]
    assert summarise(link(own)[0], profile)["grade"] == "Confirmed"


def _report(rid, text, published="2022-11-06", source="site"):
    import json

    return json.dumps({"id": rid, "text": text, "published": published, "source": source}, ensure_ascii=False)


STRIKE = ("مقتل {n} مدنيين بقصف لقوات النظام على بلدة كفر زيتا\\n"
          "قتل {n} مدنيين بقصف صاروخي لقوات النظام على بلدة كفر زيتا اليوم، وفق {who}.")


def test_stored_reports_are_linked_once_and_copies_change_no_total(gaz_dir, tmp_path):
    import json

    from rasad.cli import main
    from rasad.store import incidents as stored
    from rasad.store import open_store

    lines = [_report("a", STRIKE.format(n=3, who="المرصد السوري"), "2022-11-06", "one"),
             _report("b", STRIKE.format(n=5, who="الدفاع المدني").replace("اليوم", "أمس"), "2022-11-07", "two"),
             _report("c", "قصفت الطائرات الروسية بلدة اللطامنة اليوم.", "2022-11-06", "three")]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = str(tmp_path / "l.db")
    args = ["extract", str(src), "--db", db, "--gazetteer", str(gaz_dir), "--out", str(tmp_path / "e.jsonl"), "--link"]
    assert main(args) == 0
    store = open_store(db)
    first = stored.incidents(store)
    strike = next(r for r in first if r["location"]["name"].replace(" ", "") == "كفرزيتا")
    assert len(strike["members"]) == 2 and strike["civilians_killed"] == {"min": 3, "best": 5, "max": 5}
    assert strike["origins"] == 2  # the regime's shelling in 2022: Russia struck the same ground
    assert strike["grade"] == "Contested" and "RUS" in strike["grade_reason"]
    # the same reports again, and ten copies under new ids: no incident and no total changes
    copies = [json.dumps({**json.loads(lines[0]), "id": f"copy{i}"}, ensure_ascii=False) for i in range(10)]
    src.write_text("\n".join(lines + copies) + "\n", encoding="utf-8")
    assert main(args) == 0
    again = stored.incidents(store)
    assert [(r["incident_id"], len(r["members"]), r["civilians_killed"]) for r in again] == \
        [(r["incident_id"], len(r["members"]), r["civilians_killed"]) for r in first]
    out = tmp_path / "inc.jsonl"
    assert main(["link", "--db", db, "--out", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(first)


def test_incidents_export_with_every_outlet_and_the_figures_as_a_range(gaz_dir, tmp_path):
    import csv

    from rasad.cli import main

    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([_report("a", STRIKE.format(n=3, who="المرصد السوري"), "2022-11-06", "one"),
                              _report("b", STRIKE.format(n=5, who="الدفاع المدني"), "2022-11-06", "two")]) + "\n",
                   encoding="utf-8")
    db = str(tmp_path / "x.db")
    assert main(["extract", str(src), "--db", db, "--gazetteer", str(gaz_dir), "--out", str(tmp_path / "e"),
                 "--link"]) == 0
    acled, ucdp = tmp_path / "acled.csv", tmp_path / "ucdp.csv"
    assert main(["link", "--db", db, "--format", "acled-csv", "--out", str(acled)]) == 0
    assert main(["link", "--db", db, "--format", "ucdp-csv", "--out", str(ucdp)]) == 0
    row = next(csv.DictReader(acled.open(encoding="utf-8")))
    assert row["fatalities"] == "3" and set(row["source"].split("; ")) == {"one", "two"}  # ACLED: the lowest
    row = next(csv.DictReader(ucdp.open(encoding="utf-8")))
    assert (row["low"], row["best"], row["high"], row["number_of_sources"]) == ("3", "5", "5", "2")
    assert main(["link", "--db", db, "--format", "parquet", "--out", "-"]) == 2  # parquet needs a file


def test_each_source_has_a_stance_and_agreement_across_sides_is_said():
    a, b = _rec("e1", "r1", cites=["SOHR"]), _rec("e2", "r2", cites=["REGIME_MEDIA"])
    a["stance"], b["stance"] = "opposition", "government"
    rec = summarise(link([_m(a), _m(b)])[0])
    assert rec["stances"] == {"r1": "opposition", "r2": "government"}
    assert rec["grade"] == "Fair" and "2 sides" in rec["grade_reason"]


def test_a_reports_stance_is_read_from_its_vocabulary(gaz_dir):
    from rasad import extract
    from rasad.geo import gazetteer

    gaz = gazetteer.load([str(gaz_dir)])
    ours = extract("قصفت ميليشيا أسد بلدة كفر زيتا اليوم", gaz, published="2022-11-06").events
    theirs = extract("استهدف الجيش العربي السوري تجمعات المجموعات الإرهابية في بلدة كفر زيتا اليوم", gaz,
                     published="2022-11-06").events
    plain = extract("قصفت قوات النظام بلدة كفر زيتا اليوم", gaz, published="2022-11-06").events
    assert {e.stance for e in ours} == {"opposition"} and {e.stance for e in theirs} == {"government"}
    assert {e.stance for e in plain} == {"neutral"}


def test_an_incident_that_loses_a_telling_is_summarised_again(gaz_dir, tmp_path):
    from rasad.cli import main
    from rasad.store import incidents as stored
    from rasad.store import open_store

    src = tmp_path / "in.jsonl"
    first = [_report("a", STRIKE.format(n=3, who="المرصد السوري"), "2022-11-06", "one"),
             _report("b", STRIKE.format(n=5, who="الدفاع المدني"), "2022-11-06", "two")]
    src.write_text("\n".join(first) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    args = ["extract", str(src), "--db", db, "--gazetteer", str(gaz_dir), "--out", str(tmp_path / "e"), "--link"]
    assert main(args) == 0
    store = open_store(db)
    rec = next(r for r in stored.incidents(store) if len(r["members"]) == 2)
    # "b" read again as a new version whose text tells another place: its old event is superseded
    src.write_text(_report("b", "قصفت الطائرات الروسية بلدة اللطامنة اليوم.", "2022-11-06", "two") + "\n",
                   encoding="utf-8")
    assert main(args) == 0
    again = stored.get_incident(store, rec["incident_id"])
    assert [m["article_id"] for m in again["members"]] == ["a"] and again["civilians_killed"]["best"] == 3
