import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from rasad import extract
from rasad.annotate.casualties import find_casualties
from rasad.annotate.lexicons import load
from rasad.annotate.mentions import find_actors, find_triggers
from rasad.cli import main
from rasad.profile import Profile
from rasad.text.normalise import norm

CAMP = (FIXTURES / "reports" / "camp.txt").read_text(encoding="utf-8")


def _by_place(text, gaz):
    return {e.location.name: e for e in extract(text, gaz, published="2022-11-06").events}



# Casualty constructions and their examples: lang/ar/corpus/casualties.yaml (tests/test_corpus.py).


def test_combatants_by_side_and_combined_tolls():
    n = norm("بمقتل ما لا يقل عن 103 عنصراً من قوات النظام، ولقي 4 جنود روس مصرعهم")
    got = find_casualties(n, 0, len(n), load(Profile.load()), find_actors(n, load(Profile.load())))
    assert [(c.value, c.category, c.side, c.qualifier) for c in got] == [
        (103, "combatant", "SYR_GOV", "at_least"), (4, "combatant", "RUS", "exact")]


def test_camp_report_gives_one_event_with_its_toll(gaz):
    res = extract(CAMP, gaz, published="2022-11-06", article_id="camp")
    news = [e for e in res.events if not e.background]
    ev = next(e for e in news if e.location.name == "مرام")
    assert (ev.event_type, ev.sub_event_type) == ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert ev.actor1 == "SYR_GOV" and ev.actor2 == "CIV" and ev.civilian_targeting
    assert ev.location.pcode == "C3945" and ev.location.geo_precision == 2
    assert (ev.fatalities.total, ev.fatalities.civilians, ev.fatalities.children, ev.fatalities.women) == (9, 9, 3, 1)
    assert ev.injured == 75 and ev.event_date == "2022-11-06" and "rocket" in ev.weapons
    for evidence in ev.evidence:  # every span points into the text as given
        assert CAMP[evidence.start:evidence.end] == evidence.text
    assert {x.field for x in ev.evidence} >= {"event_type", "location", "actor1", "fatalities", "injured", "event_date"}


def test_retold_toll_keeps_its_breakdown(gaz):
    # the camp is placed by its town once, and both tellings become one event with the breakdown
    text = ("قتل 9 مدنيين بقصف صاروخي لقوات النظام على مخيم مرام شمالي إدلب، اليوم. "
            "وقال الدفاع المدني إن قصف قوات النظام على مخيم مرام قرب بلدة كفر جالس قتل 9 مدنيين بينهم "
            "3 أطفال وامرأة.")
    news = [e for e in extract(text, gaz, published="2022-11-06").events if e.location.name == "مرام"]
    assert len(news) == 1 and news[0].location.name_en == "near Kafr Jales"
    f = news[0].fatalities
    assert (f.total, f.children, f.women) == (9, 3, 1)


def test_rising_toll_updates_the_incident_told_before(gaz):
    text = ("قتل مدني بقصف مدفعي لقوات النظام على بلدة كفر جالس اليوم. وبذلك يرتفع عدد ضحايا القصف إلى "
            "3 شهداء و5 مصابين، والشهداء هم سيدة وطفلها في قرية الزكاة.")
    evs = _by_place(text, gaz)
    f = evs["كفر جالس"].fatalities
    assert (f.total, f.civilians, evs["كفر جالس"].injured) == (3, 3, 5)
    assert "الزكاة" not in evs or evs["الزكاة"].fatalities.total is None
    tally = ("قتل مدني بقصف مدفعي لقوات النظام على بلدة كفر جالس اليوم. وبذلك يرتفع إلى 7 عدد الهجمات منذ "
             "مطلع العام، تسببت بمقتل 12 مدنيا.")
    kept = next(e for e in extract(tally, gaz, published="2022-11-06").events if e.location.name == "كفر جالس")
    assert kept.fatalities.total == 1
    hurt = ("أصيب 3 مدنيين بقصف مدفعي لقوات النظام على بلدة كفر جالس اليوم. وارتفع عدد الجرحى إلى 7 مدنيين "
            "في قرية الزكاة.")
    ev = next(e for e in extract(hurt, gaz, published="2022-11-06").events if e.location.name == "كفر جالس")
    assert ev.injured == 7


def test_hometowns_and_hospitals_are_not_event_places(gaz):
    text = ("قصفت طائرة مسيرة تركية بلدة كفر جالس اليوم، ما أدى إلى مقتل شخصين أحدهما من بلدة الزكاة "
            "والآخر من اللطامنة. وتوفي المواطن محمد، 35 عاماً، متأثراً بجراحه قبل وصوله إلى مشافي مدينة إدلب.")
    evs = extract(text, gaz, published="2022-11-06").events
    assert [e.location.name for e in evs] == ["كفر جالس"]
    assert evs[0].fatalities.total == 2 and evs[0].actor1 == "TUR"


def test_who_backs_the_perpetrator_is_associated_never_the_perpetrator(gaz):
    backed = extract("أطلقت المجموعات المسلحة المدعومة من تركيا قذائف صاروخية على بلدة كفر جالس اليوم.", gaz,
                     published="2022-11-06").events
    assert [(e.actor1, e.assoc_actor_1) for e in backed] == [("OPP", ["TUR"])]
    raid = extract("شنت قسد بدعم من التحالف الدولي حملة مداهمات في بلدة كفر جالس اليوم.", gaz,
                   published="2022-11-06").events
    assert [(e.actor1, e.assoc_actor_1) for e in raid] == [("SDF", ["USA_COAL"])]


def test_another_attack_and_places_named_later_in_the_sentence(gaz):
    text = ("قتل 4 مدنيين بقصف مدفعي لقوات النظام على مدينة إدلب اليوم. وقال المراسل إن هذا القصف سبقه "
            "قصف آخر استهدف سيارة قرب بلدة كفر جالس، ما أدى إلى مقتل امرأة.")
    evs = _by_place(text, gaz)
    assert evs["إدلب"].fatalities.total == 4 and evs["كفر جالس"].fatalities.total == 1
    lede = ("قتل 4 مدنيين بقصف مدفعي لقوات النظام على مدينة إدلب اليوم. وأفاد مراسلنا أن امرأة قتلت جراء قصف "
            "صاروخي لقوات النظام، استهدف بلدة كفر جالس، يوم أمس.")
    evs = _by_place(lede, gaz)
    assert evs["إدلب"].fatalities.total == 4 and evs["كفر جالس"].fatalities.total == 1
    assert evs["كفر جالس"].event_date == "2022-11-05"


def test_an_incident_days_earlier_is_background(gaz):
    text = ("استشهد 8 مدنيين اليوم بقصف مسيرة تركية على بلدة كفر جالس. ويأتي هذا الهجوم بعد يوم من مجزرة "
            "مماثلة نفذتها القوات التركية في قرية الزكاة، حيث استشهد 12 مدنيا.")
    evs = _by_place(text, gaz)
    assert not evs["كفر جالس"].background and evs["كفر جالس"].fatalities.total == 8
    assert evs["الزكاة"].background


def test_each_clause_toll_goes_to_the_place_its_clause_names(gaz):
    text = ("قصفت قوات النظام بالمدفعية مدينة سراقب وبلدة كفر جالس اليوم، ما أدى إلى مقتل رجل في مدينة سراقب، "
            "ومقتل امرأة وطفلين في بلدة كفر جالس.")
    evs = _by_place(text, gaz)
    assert evs["سراقب"].fatalities.total == 1 and evs["كفر جالس"].fatalities.total == 3
    origin = ("قصفت قوات النظام بالمدفعية بلدة كفر جالس اليوم، ما أدى إلى مقتل شخصين أحدهما من قرية الزكاة "
              "بريف حماة والآخر من اللطامنة.")
    evs = extract(origin, gaz, published="2022-11-06").events
    assert [(e.location.name, e.fatalities.total) for e in evs] == [("كفر جالس", 2)]


def test_a_rising_toll_far_from_the_incident_is_not_its_update(gaz):
    text = ("قتل مدني بقصف مدفعي لقوات النظام على بلدة كفر جالس اليوم. " + "وتحدث الأهالي عن نزوح واسع. " * 6
            + "وارتفعت حصيلة ضحايا الزلزال إلى نحو 900 مواطن.")
    ev = next(e for e in extract(text, gaz, published="2022-11-06").events if e.location.name == "كفر جالس")
    assert ev.fatalities.total == 1


def test_fall_of_a_toll_is_not_a_loss_of_ground():
    def words(text):
        n = norm(text)
        return [n[t.start:t.end] for t in find_triggers(n, load(Profile.load()))]

    assert words("ما أدى لسقوط 3 قتلى") == [] and words("سقوط شهيد وجرحى") == []
    assert words("سقوط مدينة سراقب بيد قوات النظام") == ["سقوط"]
    # a ceasefire is no shooting, an attempt no capture
    assert words("المنطقة الخاضعة لوقف إطلاق النار") == [] and words("في محاولة لاستعادة القرية") == []
    assert words("دخل وقف إطلاق النار حيز التنفيذ") == ["دخل وقف اطلاق النار حيز التنفيذ"]


def test_dateline_of_a_later_paragraph_is_not_an_event_place(gaz):
    text = "قصف مدفعي على بلدة كفر جالس اليوم.\nمحافظة حلب: قتل مدني بقصف مدفعي لقوات النظام على بلدة سراقب."
    assert {e.location.name for e in extract(text, gaz, published="2022-11-06").events} == {"كفر جالس", "سراقب"}


def test_unlisted_village_near_a_town_keeps_its_own_event(gaz):
    text = ("قصفت طائرة مسيرة تركية مدينة سراقب اليوم. واستهدفت المسيرة سيارة في قرية الشيخ ناصر قرب مدينة "
            "سراقب، ما أدى إلى مقتل مدني.")
    evs = _by_place(text, gaz)
    assert evs["الشيخ ناصر"].location.name_en == "near Saraqab" and evs["الشيخ ناصر"].fatalities.total == 1
    assert evs["سراقب"].fatalities.total is None
    assert evs["الشيخ ناصر"].event_id != evs["سراقب"].event_id


def test_a_follow_up_sentence_about_another_time_is_not_the_incident(gaz):
    text = ("انفجر لغم بطفل في بلدة كفر جالس اليوم. حيث فقد حوالي 900 طفل في سوريا حياتهم العام الماضي "
            "بحسب اليونيسف.")
    ev = next(e for e in extract(text, gaz, published="2022-11-06").events if e.location.name == "كفر جالس")
    assert ev.fatalities.total != 900


def test_one_event_per_place_and_hierarchy(gaz):
    text = ("قصفت الطائرات الحربية الروسية وقوات النظام بالمدفعية، اليوم، قرى الزكاة والأربعين واللطامنة "
            "شمالي حماة.")
    res = extract(text, gaz, published="2019-08-08")
    got = {(e.location.pcode, e.sub_event_type, e.actor1) for e in res.events}
    assert got == {(p, "Air/drone strike", "RUS") for p in ("C3461", "C3462", "C3458")}
    assert all(e.assoc_actor_1 == ["SYR_GOV"] for e in res.events)


def test_territorial_control(gaz):
    res = extract("تمكنت قوات النظام من السيطرة على قريتي الزكاة والأربعين بعد انسحاب الفصائل.", gaz,
                  published="2019-08-08")
    assert {(e.location.pcode, e.sub_event_type, e.actor1) for e in res.events} == {
        ("C3461", "Government regains territory", "SYR_GOV"), ("C3462", "Government regains territory", "SYR_GOV")}
    res = extract("استعادت الفصائل السيطرة على قرية الزكاة.", gaz, published="2019-08-08")
    assert [e.sub_event_type for e in res.events] == ["Non-state actor overtakes territory"]
    res = extract("سيطرت قوات النظام على قرية الزكاة بعد معارك عنيفة.", gaz, published="2019-08-08")
    assert [e.sub_event_type for e in res.events] == ["Government regains territory"]
    assert extract("وتقع البلدة في مناطق سيطرة قوات النظام.", gaz, published="2019-08-08").events == []


def test_background_and_aggregates(gaz):
    text = ("قصفت قوات النظام اليوم بلدة كفرتعال. "
            "وكانت قوات النظام قد قصفت مدينة سراقب في 5 مايو/أيار 2020. "
            "والشهر الماضي، قصفت مقاتلات روسية مدينة إدلب. "
            "ووثق المرصد خلال الأسبوع الماضي مقتل 77 مدنيا، و313 غارة جوية. "
            "ونستذكر اليوم الذكرى المؤلمة في كفر جالس حيث ارتكبت قوات النظام مجزرة بالغاز.")
    res = extract(text, gaz, published="2020-01-22")
    by_place = {e.location.pcode: e for e in res.events}
    assert not by_place["C1037"].background
    assert by_place["C4040"].background and by_place["C3871"].background and by_place["C3945"].background
    assert {(a.what, a.value) for a in res.reports} >= {("strikes", 313), ("civilians killed", 77)}
    assert all(e.fatalities.total is None for e in res.events)


def test_headline_toll_goes_to_the_place_the_body_names(gaz):
    text = ("مقتل امرأة برصاص قوات النظام بريف إدلب\n"
            "داهمت قوات النظام اليوم منازل في بلدة سراقب واستهدفت سيارة مدنية.")
    res = extract(text, gaz, published="2022-10-28")
    assert [(e.location.pcode, e.fatalities.civilians) for e in res.events if e.fatalities.total] == [("C4040", 1)]
    assert all(e.location.geo_precision < 3 for e in res.events)


def test_no_conflict_content_no_events(gaz):
    text = "افتتحت مديرية التربية في حلب مدرسة جديدة اليوم بحضور عدد من الأهالي والمعلمين."
    assert extract(text, gaz, published="2022-01-01").events == []


def test_event_ids_are_stable(gaz):
    a = extract(CAMP, gaz, published="2022-11-06", article_id="x")
    b = extract(CAMP, gaz, published="2022-11-06", article_id="x")
    assert [e.event_id for e in a.events] == [e.event_id for e in b.events]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_never_raises_on_random_text(gaz, text):
    extract(text, gaz, published="2022-01-01")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_never_raises_on_mangled_reports(gaz, data):
    cut = data.draw(st.integers(0, len(CAMP)))
    junk = data.draw(st.text(alphabet=st.sampled_from(list("،.؛:\"'()0123456789 \nوبلـًٌ")), max_size=30))
    res = extract(CAMP[:cut] + junk + CAMP[cut:], gaz, published=data.draw(st.sampled_from([None, "2022-11-06"])))
    for ev in res.events:
        for evidence in ev.evidence:
            assert 0 <= evidence.start <= evidence.end


def test_extract_cli_formats_and_store(gaz_dir, tmp_path, capsys):
    db = str(tmp_path / "x.db")
    out = tmp_path / "ev.jsonl"
    args = ["extract", str(FIXTURES / "reports"), "--db", db, "--gazetteer", str(gaz_dir), "--published", "2022-11-06"]
    assert main([*args, "--out", str(out), "--reports", str(tmp_path / "agg.jsonl")]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records and {"event_id", "article_id", "location", "fatalities", "evidence"} <= set(records[0])
    assert {r["article_id"] for r in records} == {"camp.txt", "kafrzita.txt"}
    assert main([*args, "--format", "acled-csv", "--out", str(tmp_path / "ev.csv")]) == 0
    header = (tmp_path / "ev.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("event_id_cnty,event_date,year,time_precision,disorder_type,event_type")
    assert main([*args, "--format", "geojson", "--out", str(tmp_path / "ev.geojson")]) == 0
    assert json.loads((tmp_path / "ev.geojson").read_text())["type"] == "FeatureCollection"
    assert main([*args, "--format", "parquet", "--out", str(tmp_path / "ev.parquet")]) == 0
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "ev.parquet").num_rows == len(records)
    assert main([*args, "--format", "parquet"]) == 2  # parquet needs a file
    capsys.readouterr()
    assert main(["export", "--db", db, "--format", "jsonl"]) == 0  # re-runs stored the same events once
    assert len(capsys.readouterr().out.splitlines()) == len(records)


def test_output_format_follows_the_out_extension_and_bad_options_stop_early(gaz_dir, tmp_path, capsys):
    db = str(tmp_path / "f.db")
    args = ["extract", str(FIXTURES / "reports"), "--db", db, "--gazetteer", str(gaz_dir), "--published", "2022-11-06"]
    assert main([*args, "--out", str(tmp_path / "ev.csv")]) == 0
    assert (tmp_path / "ev.csv").read_text(encoding="utf-8").startswith("event_id_cnty,event_date,year")
    assert main([*args, "--out", str(tmp_path / "ev.geojson")]) == 0
    assert json.loads((tmp_path / "ev.geojson").read_text())["type"] == "FeatureCollection"
    capsys.readouterr()
    assert main([*args, "--out", str(tmp_path / "ev.xlsx")]) == 2  # no format writes it: refused, not JSON Lines
    assert "ev.xlsx" in capsys.readouterr().err and not (tmp_path / "ev.xlsx").exists()
    assert main(["export", "--db", db, "--since", "last week"]) == 2
    assert "--since: bad date" in capsys.readouterr().err
    assert main(["export", "--db", db, "--until", "2022-13-45", "--out", str(tmp_path / "x.csv")]) == 2
    assert main(["export", "--db", db, "--since", "2022-11-01", "--out", str(tmp_path / "x.jsonl")]) == 0
    assert json.loads((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()[0])["event_id"]
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("rasad ")


def test_export_filters_take_common_spellings_and_say_why_nothing_came(gaz_dir, tmp_path, capsys):
    db = str(tmp_path / "f.db")
    assert main(["ingest", "--db", db, str(FIXTURES / "reports")]) == 0
    capsys.readouterr()
    assert main(["export", "--db", db, "--format", "jsonl"]) == 0
    assert "run `rasad extract`" in capsys.readouterr().err
    assert main(["extract", str(FIXTURES / "reports"), "--db", db, "--gazetteer", str(gaz_dir),
                 "--published", "2022-11-06"]) == 0
    capsys.readouterr()
    common = ["export", "--db", db, "--gazetteer", str(gaz_dir), "--format", "jsonl"]
    assert main([*common, "--admin1", "Idleb"]) == 0
    by_ocha = capsys.readouterr().out.splitlines()
    assert by_ocha
    for spelling in ("idlib", "إدلب"):
        assert main([*common, "--admin1", spelling]) == 0
        assert capsys.readouterr().out.splitlines() == by_ocha
    acled_name = "Military Forces of Russia (2000-)"
    assert main([*common, "--event-type", "explosions/remote violence", "--actor", acled_name]) == 0
    out = capsys.readouterr()
    rows = [json.loads(x) for x in out.out.splitlines()]
    assert rows and all(r["actor1"] == "RUS" for r in rows) and "warning" not in out.err
    assert main([*common, "--admin1", "Atlantis"]) == 0
    err = capsys.readouterr().err
    assert "no governorate of that name" in err and "none matches these filters" in err


def test_extract_stored_reads_what_ingest_kept(gaz_dir, tmp_path):
    db = str(tmp_path / "s.db")
    direct, stored = tmp_path / "direct.jsonl", tmp_path / "stored.jsonl"
    common = ["--gazetteer", str(gaz_dir), "--published", "2022-11-06"]
    assert main(["extract", str(FIXTURES / "reports"), "--no-store", "--out", str(direct), *common]) == 0
    assert main(["ingest", "--db", db, str(FIXTURES / "reports")]) == 0
    assert main(["extract", "--stored", "--db", db, "--out", str(stored), *common]) == 0
    lines = [sorted(p.read_text(encoding="utf-8").splitlines()) for p in (direct, stored)]
    assert lines[0] and lines[0] == lines[1]  # the same events, ids and evidence offsets
    assert main(["extract", "--db", db]) == 2 and main(["extract", "--stored", "--no-store"]) == 2


def test_no_store_writes_events_and_stores_nothing(gaz_dir, tmp_path):
    db = tmp_path / "n.db"
    out = tmp_path / "e.jsonl"
    args = ["extract", str(FIXTURES / "reports"), "--db", str(db), "--gazetteer", str(gaz_dir), "--no-store"]
    assert main([*args, "--out", str(out)]) == 0 and out.read_text(encoding="utf-8") and not db.exists()
    assert main([*args, "--link"]) == 2


def test_workers_give_the_same_events(gaz_dir, tmp_path):
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"ev{workers}.jsonl"
        assert main(["extract", str(FIXTURES / "reports"), "--db", str(tmp_path / f"{workers}.db"), "--gazetteer",
                     str(gaz_dir), "--published", "2022-11-06", "--workers", workers, "--out", str(out)]) == 0
        outs.append(out.read_text(encoding="utf-8"))
    assert outs[0] == outs[1]


@pytest.mark.seeded_events
def test_human_edits_survive_reextraction(tmp_path):
    from rasad.store import Store
    from rasad.store.schema import EventRow

    store = Store(f"sqlite:///{tmp_path / 'h.db'}")
    rec = {"event_id": "e1", "article_id": "a", "event_type": "Battles", "sub_event_type": "Armed clash",
           "location": {"admin1": "Idleb"}, "fatalities": {"total": 1}}
    store.save_extraction("a", [rec, {**rec, "event_id": "e2"}], [])
    with store.session.begin() as s:
        row = s.query(EventRow).filter_by(event_id="e1").one()
        row.status, row.record = "edited", {**rec, "fatalities": {"total": 5}}
    store.save_extraction("a", [rec], [])
    got = {r["event_id"]: r for r in store.events()}
    assert set(got) == {"e1"} and got["e1"]["fatalities"]["total"] == 5


def test_eval_and_bench_skip_cleanly_without_shared(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RASAD_SHARED", str(tmp_path / "none"))
    monkeypatch.chdir(tmp_path)
    import rasad.evaluate.common as common

    monkeypatch.setattr(common, "shared_dir", lambda: None)
    assert main(["eval", "events"]) == 0
    assert main(["eval", "text"]) == 0
    assert main(["bench", "extract"]) == 0
    assert "skipped" in capsys.readouterr().out


def test_a_rising_toll_goes_to_the_attack_its_sentence_tells_after_it(gaz):
    text = ("استشهاد مدنيين اثنين بغارات جوية على مدينة سراقب اليوم. "
            "وارتفاع حصيلة الشهداء إلى 13 إثر غارات جوية على بلدة كفر جالس.")
    by = _by_place(text, gaz)
    assert by["سراقب"].fatalities.total == 2 and by["كفر جالس"].fatalities.total == 13
    # an attack word before the new total is the toll's own: the told incident's toll rises
    text = ("قتلت امرأة بقصف مدفعي على بلدة كفر جالس اليوم. وبذلك يرتفع عدد ضحايا القصف إلى 3 شهداء، "
            "والشهداء هم: سيدة وطفلها في مدينة سراقب.")
    assert _by_place(text, gaz)["كفر جالس"].fatalities.total == 3


def test_extract_batch_for_notebooks_with_workers(gaz_dir):
    from rasad import extract_batch

    records = [{"id": f"r{i}", "text": (FIXTURES / "reports" / name).read_text(encoding="utf-8"),
                "published": "2022-11-06"} for i, name in enumerate(["camp.txt", "kafrzita.txt"])]
    records.append({"id": "bad", "text": "English only, no Arabic at all in this one."})
    one = list(extract_batch(records, gazetteer=[str(gaz_dir)]))
    two = list(extract_batch(records, gazetteer=[str(gaz_dir)], workers=2))
    assert [getattr(x, "events", None) for x in one] == [getattr(x, "events", None) for x in two]
    assert [x.report.article_id for x in one[:2]] == ["r0", "r1"] and all(x.events for x in one[:2])
    assert "not Arabic" in str(one[2])
    from_folder = list(extract_batch([str(FIXTURES / "reports")], gazetteer=[str(gaz_dir)], published="2022-11-06"))
    assert sorted(x.report.article_id for x in from_folder) == ["camp.txt", "kafrzita.txt"]
