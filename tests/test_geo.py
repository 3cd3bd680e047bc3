import csv
import json
import pickle

import pytest

from rasad.cli import main
from rasad.geo import api, gazetteer, loaders
from rasad.geo.resolver import locate


def _by_name(locs):
    return {loc.name: loc for loc in locs}


# ---- loading -------------------------------------------------------------------------------------
def test_loads_every_fixture_format_and_tolerates_faults(gaz):
    sources = {p.source for p in gaz.places}
    assert {"communities.geojson", "admin1.geojson", "districts.json", "locations.json", "SY.txt",
            "extra.csv", "places_extra.csv"} <= sources
    truncated = [p for p in gaz.places if p.pcode == "C9999"]
    assert truncated and "\ufffd" not in truncated[0].name_ar
    assert len([p for p in gaz.places if p.name_ar == "جبين"]) == 2  # duplicate names kept apart
    tal_abyad = gaz.lookup("تل أبيض")
    assert tal_abyad and tal_abyad[0].source == "SY.txt"
    assert not gaz.lookup("Nowhere")  # GeoNames rows with no Arabic name give nothing to match


def test_ocha_table_as_csv_and_xlsx(tmp_path):
    header = ["admin4Name_en", "admin4Name_ar", "admin4Pcode", "admin1Name_en", "admin2Name_en",
              "admin3Name_en", "latitude", "longitude"]
    row = ["Testville", "قرية تجريبية", "C7777", "Idleb", "Harim", "Dana", "36.2", "36.7"]
    with (tmp_path / "ocha.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, row])
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(header)
    wb.active.append(["Otherville", "بلدة أخرى", "C7778", "Hama", "Hama", "Hama", 35.1, 36.7])
    wb.save(tmp_path / "ocha.xlsx")
    places = loaders.load_path(tmp_path / "ocha.csv") + loaders.load_path(tmp_path / "ocha.xlsx")
    assert [(p.pcode, p.admin1, p.latitude) for p in places] == [("C7777", "Idleb", 36.2), ("C7778", "Hama", 35.1)]


def test_topojson_admin_units(tmp_path):
    topo = {"type": "Topology", "arcs": [], "objects": {"syr_admin2": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [], "properties": {"NAME_EN": "Harim", "NAME_AR": "حارم", "PCODE": "SY0703",
                                                      "ADM1_EN": "Idleb", "ADM1_PCODE": "SY07"}}]}}}
    (tmp_path / "adm.json").write_text(json.dumps(topo, ensure_ascii=False), encoding="utf-8")
    (p,) = loaders.load_path(tmp_path / "adm.json")
    assert (p.kind, p.pcode, p.admin1, p.name_ar) == ("admin2", "SY0703", "Idleb", "حارم")


def test_index_is_cached_on_disk(gaz_dir, monkeypatch):
    gazetteer._LOADED.clear()
    first = gazetteer.load([str(gaz_dir)])
    gazetteer._LOADED.clear()
    monkeypatch.setattr(gazetteer, "build", lambda files: pytest.fail("rebuilt despite the cache"))
    second = gazetteer.load([str(gaz_dir)])
    assert len(second.places) == len(first.places) and second.keys == first.keys
    assert pickle.loads(pickle.dumps(second)).lookup("حلب")


def test_data_install_copies_into_data_dir(gaz_dir, isolated_env, capsys):
    assert main(["data", "install", str(gaz_dir / "communities.geojson")]) == 0
    assert (isolated_env / "data" / "gazetteer" / "communities.geojson").exists()
    gazetteer._LOADED.clear()
    assert gazetteer.load().lookup("كفر زيتا")  # found through the data directory
    assert main(["data", "install", str(gaz_dir / "nothing.json")]) == 1


def test_data_install_from_url(gaz_dir, isolated_env, monkeypatch):
    monkeypatch.setenv("RASAD_FETCH_ALLOW", "127.0.0.1")  # an operator allows the local server
    import http.server
    import threading
    from functools import partial

    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(gaz_dir))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/districts.json"
        assert main(["data", "install", url]) == 0
    finally:
        server.shutdown()
    assert (isolated_env / "data" / "gazetteer" / "districts.json").read_bytes() == \
        (gaz_dir / "districts.json").read_bytes()


# ---- finding places ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, name, pcode", [
    ("قصفت الطائرات وكفرزيتا صباحا", "كفرزيتا", "C3463"),
    ("قصف مدفعي على كفر  زيتا", "كفر  زيتا", "C3463"),
    ("غارات بكفر زيتا", "كفر زيتا", "C3463"),
    ("وصلت التعزيزات للأتارب مساء", "لأتارب", "C1022"),
    ("قصف على الاتارب", "الاتارب", "C1022"),
    ("في منطقة المخيمات بـ”كفر جالس”", "كفر جالس", "C3945"),
    ("قصف على ديرالزور", "ديرالزور", "C5086"),
    ("سقطت قذائف على البو كمال", "البو كمال", "C5167"),
    ("قصف على معارة النعسان", "معارة النعسان", "C4100"),  # one part of an OCHA "A_B" name
    ("قصف على قرية عرب حسن", "عرب حسن", "C1700"),  # OCHA adds "كبير"
    ("استهدفت مسيرة سيارة في كوباني", "كوباني", None),  # district alias -> its seat or the district
])
def test_clitics_and_spelling_variants(gaz, text, name, pcode):
    locs = _by_name(locate(text, gaz))
    assert name in locs, list(locs)
    loc = locs[name]
    assert text[loc.span.start:loc.span.end] == name
    if pcode:
        assert loc.pcode == pcode


def test_regions_admin_names_and_roads(gaz):
    text = ("قصفت قوات النظام ريف حلب الغربي وشمالي حماة وجنوب إدلب، ومعارك في بادية البوكمال "
            "وفي محافظة دير الزور، وقصف قرب الطريق السريع إم 4 وعلى طريق M4.")
    locs = locate(text, gaz)
    got = {loc.name: (loc.admin1, loc.geo_precision, loc.kind) for loc in locs}
    assert got["ريف حلب الغربي"] == ("Aleppo", 3, "region")
    assert got["شمالي حماة"] == ("Hama", 3, "region")
    assert got["جنوب إدلب"] == ("Idleb", 3, "region")
    assert got["محافظة دير الزور"][:2] == ("Deir-ez-Zor", 3)
    assert got["البوكمال"][1] == 2  # the desert around the town: near it, not in it
    roads = [loc for loc in locs if loc.kind == "road"]
    assert {loc.name for loc in roads} == {"الطريق السريع إم 4", "M4"}
    assert all(r.geo_precision == 3 and r.name_en.startswith("M4") for r in roads)
    for loc in locs:
        assert text[loc.span.start:loc.span.end] == loc.name


def test_plural_place_nouns_make_provinces(gaz):
    locs = locate("قصفت الطائرات مدناً وبلدات في إدلب وحماة", gaz)
    assert {(loc.name, loc.kind, loc.geo_precision) for loc in locs} == {("إدلب", "region", 3), ("حماة", "region", 3)}
    (city,) = locate("قصفت الطائرات مدينة إدلب", gaz)
    assert (city.pcode, city.geo_precision) == ("C3871", 1)


def test_neighbourhood_and_camp(gaz):
    locs = _by_name(locate("قصف على حي الجورة بمدينة دير الزور", gaz))
    assert locs["الجورة"].geo_precision == 2 and locs["الجورة"].latitude == pytest.approx(35.34)
    locs = _by_name(locate('قتل 9 مدنيين في قصف على مخيم "مرام" للنازحين قرب كفر جالس شمالي إدلب', gaz))
    camp = locs["مرام"]
    assert camp.kind == "camp" and camp.geo_precision == 2 and camp.pcode == "C3945"


def test_same_name_resolved_by_context(gaz):
    hama = "معارك عنيفة شمالي حماة، واستعادت قوات النظام قريتي الجبين وتل ملح قرب اللطامنة."
    aleppo = "قصفت المدفعية قرية الجبين في ريف حلب الشمالي قرب بلدة الراعي."
    assert _by_name(locate(hama, gaz))["الجبين"].admin1 == "Hama"
    assert _by_name(locate(aleppo, gaz))["الجبين"].admin1 == "Aleppo"


def test_common_words_need_place_context(gaz):
    assert "الأربعين" not in _by_name(locate("خلال الأربعين يوماً الماضية قصفت الطائرات المنطقة", gaz))
    assert "النصر" not in _by_name(locate("أعلن الفصيل النصر في المعركة", gaz))
    locs = _by_name(locate("تمكنت قوات النظام من السيطرة على قريتي الزكاة والأربعين", gaz))
    assert locs["الأربعين"].pcode == "C3462" and locs["الزكاة"].pcode == "C3461"
    assert _by_name(locate("قصفت الطائرات قرية النصر", gaz))["النصر"].pcode == "C9002"
    # inside a list of places
    assert "الأربعين" in _by_name(locate("قصف على الزكاة والأربعين واللطامنة", gaz))


def test_places_missing_from_gazetteer_are_kept(gaz):
    alone = _by_name(locate("قتل مدنيون بقصف جوي على قرية بالا غرب حلب", gaz))["بالا"]
    assert alone.pcode is None and alone.admin1 == "Aleppo" and alone.geo_precision == 3
    text = "قتل 43 مدنيا بقصف جوي روسي على كل من بالا وكفرتعال وكفرجوم ومحيط الأتارب غرب حلب"
    locs = _by_name(locate(text, gaz))
    for name in ("بالا", "كفرجوم"):  # placed beside the listed town the gazetteer has
        assert locs[name].name_en == "near Kafr Taal" and locs[name].geo_precision == 2
        assert locs[name].admin1 == "Aleppo" and locs[name].latitude == 36.12
    assert locs["كفرتعال"].pcode == "C1037"
    assert locs["الأتارب"].geo_precision == 2  # "محيط": around the town
    near = _by_name(locate("سقطت قذائف على قرية الكفرونة قرب مدينة سراقب", gaz))
    assert near["الكفرونة"].geo_precision == 2 and near["الكفرونة"].admin1 == "Idleb"
    # the whole name, and no more: a name prefix that is also a type word, a describing adjective
    names = {loc.name for loc in locate("قصف على قرية الشيخ ناصر وقرية تل الذهب وقرية التوخار الآهلة "
                                        "بالسكان وحي باب بغداد قرب سراقب", gaz)}
    assert {"الشيخ ناصر", "تل الذهب", "التوخار", "باب بغداد"} <= names


def test_words_that_are_no_unlisted_place(gaz):
    text = ("بينما تغيب تعليقات كل من روسيا وتركيا. وقصفت الطائرات مخيما للنازحين ومخيم للأرامل قرب سراقب "
            "وتجمع سكاني في إدلب وريفها، وقصفت قاعدة في مدينة كلس التركية. وقصفت كل من بالا وسراقب.")
    names = {loc.name for loc in locate(text, gaz)}
    assert not names & {"روسيا", "تركيا", "للنازحين", "للأرامل", "سكاني", "ريفها", "كلس التركية", "كلس"}
    assert "بالا" in names


def test_unlisted_places_sit_beside_the_town_the_text_names(gaz):
    # a listed town beats the district named after the list; the last item is placed by the phrase
    locs = _by_name(locate("استهدفت المدفعية قرى عرب حسن والبلدق والمغاير بريف منبج", gaz))
    assert locs["البلدق"].name_en == "near Arab Hasan Kabir" and locs["المغاير"].name_en == "near Menbij"
    assert "قصف" not in _by_name(locate("قصف على عرب حسن وقصف قرب منبج", gaz))
    # a pair after a dual type word, placed by the phrase after the pair; a second mention of the
    # same name takes the same place
    text = ("أصيبت امرأة من سكان قرية أم الخير بريف إدلب. وتركز القصف على قريتي أم الخير والدشيشة "
            "بالريف الغربي لبلدة كفر جالس.")
    found = [loc for loc in locate(text, gaz) if loc.name in ("أم الخير", "الدشيشة")]
    assert len(found) == 3
    assert all(loc.name_en == "near Kafr Jales" and loc.geo_precision == 2 for loc in found)
    # the text puts the name in a governorate where the gazetteer has no such place
    other = _by_name(locate("قصفت الطائرات قرية الجبين شمالي إدلب", gaz))["الجبين"]
    assert other.pcode is None and other.admin1 == "Idleb"


def test_region_right_after_a_name_picks_its_governorate(gaz):
    text = "معارك في ريف حماة وكفر زيتا واللطامنة، وقصف على مزرعة تشرين شمالي إدلب"
    assert _by_name(locate(text, gaz))["تشرين"].pcode == "C9102"
    assert _by_name(locate("معارك في ريف حماة وقصف على مزرعة تشرين", gaz))["تشرين"].pcode == "C9101"


def test_town_named_beside_a_name_picks_among_homonyms(gaz):
    text = "قصف على الأتارب وكفرتعال، وقصف مدفعي على قرية الحميدية بريف منبج"
    assert _by_name(locate(text, gaz))["الحميدية"].pcode == "C9201"
    # no place of that name anywhere near the town the text names: a place the gazetteer lacks
    far = _by_name(locate("قصف مدفعي على قرية اللطامنة بريف منبج", gaz))["اللطامنة"]
    assert far.name_en == "near Menbij" and far.admin1 == "Aleppo" and far.geo_precision == 2


def test_shortened_names_never_reduce_to_a_name_prefix(gaz):
    # "عين الشرقية" without its direction word is not a place called "عين"
    assert [p.pcode for p in gaz.lookup("عين")] == []
    assert "عين" not in _by_name(locate("قصف على عين العرب", gaz))


def test_glued_construct_form_of_a_compound_name(gaz):
    # OCHA writes "معرتمصرين"; reports write "معرة مصرين"
    assert _by_name(locate("غارات قرب مدينة معرة مصرين", gaz))["معرة مصرين"].pcode == "C3947"


def test_close_spelling_of_a_nearby_place(gaz):
    locs = _by_name(locate("قصف على قرية معارة النعسانة قرب سراقب", gaz))
    assert locs["معارة النعسانة"].pcode == "C4100"
    # no town beside it: a close spelling within the governorate the text names
    locs = _by_name(locate("قصف على قرية معارة النعسانة في ريف إدلب", gaz))
    assert locs["معارة النعسانة"].pcode == "C4100"
    assert _by_name(locate("قصف على قرية معارة النعسانة في ريف حماة", gaz))["معارة النعسانة"].pcode is None


def test_close_spellings_are_remembered_within_a_bound(gaz, monkeypatch):

    gaz.fuzzy_memo.clear()
    text = "قصف على قرية معارة النعسانة قرب سراقب"
    first = _by_name(locate(text, gaz))["معارة النعسانة"].pcode
    assert gaz.fuzzy_memo and _by_name(locate(text, gaz))["معارة النعسانة"].pcode == first == "C4100"
    monkeypatch.setattr(gazetteer, "FUZZY_MEMO_MAX", 1)  # full: it starts again, still one entry
    locate("قصف على قرية معارة النعسانة في ريف إدلب", gaz)
    assert len(gaz.fuzzy_memo) == 1
    assert pickle.loads(pickle.dumps(gaz)).fuzzy_memo == {}  # workers start with none
    saraqib = next(p for p in gaz.lookup("سراقب") if p.kind == "community")
    near = gaz.fuzzy_names_near(saraqib)
    assert near and gaz.fuzzy_names_near(saraqib) is near  # the names around a town are kept
    assert all(gaz.places[pid].kind == "community" for _name, pid in near)
    assert pickle.loads(pickle.dumps(gaz))._fuzzy_near == {}


# ---- command line ---------------------------------------------------------------------------------
def test_places_cli_ranks_candidates(gaz_dir, capsys):
    for name in ("كفر زيتا", "وكفرزيتا"):
        assert main(["places", name, "--json", "--gazetteer", str(gaz_dir)]) == 0
        rows = json.loads(capsys.readouterr().out)
        assert rows[0]["pcode"] == "C3463"
        assert set(rows[0]) >= {"pcode", "name_ar", "name_en", "admin1", "admin2", "admin3", "latitude",
                                "longitude"}
    assert main(["places", "مكان لا وجود له", "--gazetteer", str(gaz_dir)]) == 1


def test_places_cli_lists_mentions_in_a_report(gaz_dir, capsys):
    from conftest import FIXTURES

    assert main(["places", "--in", str(FIXTURES / "reports" / "camp.txt"), "--json",
                 "--gazetteer", str(gaz_dir)]) == 0
    rows = json.loads(capsys.readouterr().out)
    names = {r["text"] for r in rows}
    assert {"كفر جالس", "مرام"} <= names
    assert all({"start", "end", "pcode", "geo_precision"} <= set(r) for r in rows)


def test_candidates_order_exact_names_first(gaz):
    assert [p.pcode for p in api.candidates(gaz, "حلب")][0] == "C1007"


# ---- alternate names and Latin search ---------------------------------------------------------------
def _profile_with_aliases(tmp_path, rows: str):
    import shutil

    from rasad.profile import PACKAGED, Profile

    folder = tmp_path / "profile"
    shutil.copytree(PACKAGED / "syria", folder)
    (folder / "place_aliases.csv").write_text("alias,pcode,listed_as,kind,note\n" + rows, encoding="utf-8")
    return Profile.load(folder)


def test_profile_aliases_name_places_in_reports_and_in_search(gaz_dir, tmp_path):
    profile = _profile_with_aliases(tmp_path, "منبيج,C1767,منبج,spelling,\nManbidj,C1767,منبج,latin,\n"
                                              "اسم بلا مكان,C0000,,kurdish,\n")
    gaz = gazetteer.load([str(gaz_dir)], use_cache=False, profile=profile)
    assert [p.pcode for p in gaz.lookup("منبيج")] == ["C1767"]  # an Arabic alias goes to the matcher
    assert gaz.lookup("Manbidj") == [] and not gaz.lookup("اسم بلا مكان")  # a P-code it lacks: passed over
    assert [p.pcode for p in api.candidates(gaz, "Manbidj")] == ["C1767"]
    [loc] = [x for x in locate("قصفت الطائرات مدينة منبيج اليوم", gaz) if x.pcode]
    assert loc.pcode == "C1767" and loc.span.text == "منبيج"


def test_packaged_aliases_are_well_formed():
    from rasad.profile import Profile

    rows = gazetteer.profile_aliases(Profile.load("syria"))
    assert ("ديرك", "C4881") in rows and ("Kobani", "C1946") in rows
    assert all(a and pcode.startswith(("C", "SY")) for a, pcode in rows)


@pytest.mark.parametrize("typed, pcode", [
    ("Kafr Zeita", "C3463"), ("Kafar Zita", "C3463"), ("kafr-zita", "C3463"), ("Al Atareb", "C1022"),
    ("Saraqib", "C4040"), ("Manbij", "C1767"),
])
def test_places_found_by_english_name_or_transliteration(gaz, typed, pcode):
    assert api.candidates(gaz, typed)[0].pcode == pcode


def test_latin_keys_drop_articles_accents_and_vowels():
    from rasad.geo.latin import is_latin, latin_key, skeleton

    assert latin_key("Al-Malikiyah") == latin_key("al Malikiyah") == "malikiyah"
    assert latin_key("Serêkaniyê") == "serekaniye" and latin_key("Ras El Ein") == "rasein"
    assert skeleton(latin_key("Kafr Zeita")) == skeleton(latin_key("Kafar Zita")) == "kfrzt"
    assert is_latin("Derik") and not is_latin("ديرك") and not is_latin("  ")


def test_a_latin_name_far_from_every_place_finds_none(gaz):
    assert api.candidates(gaz, "Springfield") == [] and api.candidates(gaz, "Kafr Zaaaaaita") == []


# ---- relative positions -------------------------------------------------------------------------------
def test_a_stated_distance_and_direction_give_a_point_from_the_place(gaz):
    from rasad.geo.places import distance_km

    text = "سقطت قذيفة على بعد ٥ كيلومترات غربي مدينة سراقب، وأخرى في اللطامنة"
    loc = next(x for x in locate(text, gaz) if x.pcode == "C4040")
    town = api.candidates(gaz, "سراقب")[0]
    assert loc.geo_precision == 2 and loc.name == "سراقب" and loc.span.text == "على بعد ٥ كيلومترات غربي مدينة سراقب"
    assert abs(distance_km(town.latitude, town.longitude, loc.latitude, loc.longitude) - 5) < 0.05
    assert loc.longitude < town.longitude and abs(loc.latitude - town.latitude) < 0.001  # due west
    assert loc.to_record()["offset"] == {"km": 5.0, "bearing": 270.0, "direction": "غربي", "from": "سراقب"}
    plain = next(x for x in locate(text, gaz) if x.name == "اللطامنة")
    assert plain.geo_precision == 1 and plain.to_record()["offset"] is None


def test_a_governorate_name_with_a_distance_is_its_city(gaz):
    [loc] = locate("استهدفت غارة موقعا يبعد 10 كم إلى الشمال من حلب", gaz)
    assert loc.pcode == "C1007" and loc.geo_precision == 2 and loc.offset["bearing"] == 0.0
    assert loc.latitude > api.candidates(gaz, "حلب")[0].latitude


def test_between_two_places_is_one_point_between_them(gaz):
    [loc] = locate("استهدفت مسيرة سيارة على الطريق بين كفر زيتا واللطامنة", gaz)
    a, b = (api.candidates(gaz, n)[0] for n in ("كفر زيتا", "اللطامنة"))
    assert loc.pcode == a.pcode and loc.geo_precision == 2 and loc.span.text == "بين كفر زيتا واللطامنة"
    assert abs(loc.latitude - (a.latitude + b.latitude) / 2) < 1e-5
    assert loc.offset["between"] == ["كفر زيتا", "اللطامنة"]
    far = locate("اشتباكات على الطريق بين حلب وإدلب", gaz)  # too far apart to be one point
    assert [x.geo_precision for x in far] == [1, 1]


# ---- GeoNames below OCHA ------------------------------------------------------------------------------
def _layered(tmp_path):
    """OCHA's communities, and a GeoNames file with a twin of one, a far homonym, a village OCHA
    lacks and a record named by a common word."""
    def feature(name_ar, name_en, pcode, lat, lon):
        props = {"NAME_EN": name_en, "NAME_ARA": name_ar, "PCODE": pcode, "ADMIN1_EN": "Idleb", "ADMIN1_COD": "SY07",
                 "ADMIN2_EN": "Idleb", "LATITUDE": lat, "LONGITUDE": lon}
        return {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [lon, lat]}}

    folder = tmp_path / "layers"
    folder.mkdir()
    ocha = [feature("كفر نبودة", "Kafr Nabuda", "C7001", 35.45, 36.50),
            feature("بنش", "Binnish", "C7002", 35.956, 36.713)]
    (folder / "communities.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": ocha},
                                                           ensure_ascii=False), encoding="utf-8")
    idleb = {"type": "Feature", "properties": {"NAME_EN": "Idleb", "NAME_ARA": "إدلب", "PCODE": "SY07"},
             "geometry": {"type": "Polygon", "coordinates": [[[36.0, 35.3], [37.0, 35.3], [37.0, 36.3], [36.0, 35.3]]]}}
    (folder / "admin1.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [idleb]},
                                                      ensure_ascii=False), encoding="utf-8")
    rows = [("9001", "Kafr Nabudah", "كفرنبودة", 35.452, 36.503), ("9002", "Kafr Nabuda", "كفر نبودة", 36.70, 38.90),
            ("9003", "Khirbat al-Jawz", "خربة الجوز", 35.93, 36.69), ("9004", "Madina", "مدينة", 36.0, 37.0),
            ("9005", "Tell Lost", "تل الضائع", 33.0, 36.2)]
    lines = [f"{gid}\t{en}\t{en}\t{ar}\t{lat}\t{lon}\tP\tPPL\tSY\t\tSY07\t\t\t\t0\t\t\tAsia/Damascus\t2020-01-01"
             for gid, en, ar, lat, lon in rows]
    (folder / "SY.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return gazetteer.load([str(folder)], use_cache=False)


def test_a_geonames_twin_of_an_ocha_place_is_one_place_with_both_ids(tmp_path):
    gaz = _layered(tmp_path)
    same = [p for p in gaz.places if p.pcode == "C7001"]
    assert len(same) == 1 and same[0].geonames_id == "9001"
    homonym = [p for p in gaz.lookup("كفر نبودة") if p.layer]
    assert [p.geonames_id for p in homonym] == ["9002"] and homonym[0].admin1 == "Idleb"  # named from its P-code
    assert not gaz.lookup("مدينة")  # a common word is no place, whatever GeoNames lists


def test_a_geonames_place_needs_support_from_the_report(tmp_path):
    gaz = _layered(tmp_path)
    [near] = [x for x in locate("قصفت قوات النظام قرية خربة الجوز قرب بلدة بنش", gaz) if x.name == "خربة الجوز"]
    assert near.geonames_id == "9003" and near.geo_precision == 1
    assert not [x for x in locate("أصيب رجل في خربة الجوز", gaz)]  # no place words: not a place
    far = [x for x in locate("قصفت الطائرات قرية تل الضائع قرب بلدة بنش", gaz) if x.name == "تل الضائع"]
    assert far and far[0].geonames_id is None and far[0].name_en == "near Binnish"  # never thrown 300 km
    [ocha] = [x for x in locate("قصفت الطائرات قرية كفر نبودة وبلدة بنش", gaz) if x.name == "كفر نبودة"]
    assert ocha.pcode == "C7001"  # the homonym 200 km away in GeoNames does not win


def test_data_install_geonames_unpacks_its_zip(gaz_dir, isolated_env, monkeypatch, tmp_path, capsys):
    import http.server
    import threading
    import zipfile
    from functools import partial

    with zipfile.ZipFile(tmp_path / "SY.zip", "w") as zf:
        zf.write(gaz_dir / "SY.txt", "SY.txt")
        zf.writestr("readme.txt", "GeoNames readme")
    monkeypatch.setenv("RASAD_FETCH_ALLOW", "127.0.0.1")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("RASAD_GEONAMES_URL", f"http://127.0.0.1:{server.server_address[1]}/SY.zip")
    try:
        assert main(["data", "install", "geonames"]) == 0
    finally:
        server.shutdown()
    installed = isolated_env / "data" / "gazetteer"
    assert (installed / "SY.txt").read_bytes() == (gaz_dir / "SY.txt").read_bytes()
    assert not (installed / "readme.txt").exists()
    assert main(["data", "install", "ocha"]) == 1 and "data.humdata.org" in capsys.readouterr().err


def test_an_unlisted_place_sits_beside_the_landmark_written_near_it(gaz):
    text = "سقطت قذائف على مخيم الأمل الجديد، وشهد معبر باب الهوى ازدحاما بعد القصف."
    camp, crossing = locate(text, gaz)
    assert camp.name == "الأمل الجديد" and crossing.name_en == "Bab al-Hawa border crossing"
    assert (camp.latitude, camp.longitude) == (crossing.latitude, crossing.longitude) and camp.geo_precision == 2


def test_a_direction_before_a_hashtag_name_is_the_region(gaz):
    places = locate("استهدف القصف مخيم النور بالقرب من كفر جالس شمالي #إدلب اليوم", gaz)
    assert places[-1].geo_precision == 3 and places[-1].pcode == "SY07"


def test_no_installed_gazetteer_is_said_loudly(gaz_dir):
    import warnings

    with pytest.warns(gazetteer.GazetteerWarning, match="rasad data install"):
        gazetteer.load([], use_cache=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gazetteer.load([str(gaz_dir)])


def test_suggestions_complete_the_start_of_a_name_in_either_script_or_a_pcode(gaz):
    from rasad.geo.api import suggest

    for typed in ("سراق", "وسراقب", "Saraq", "c404"):
        assert "C4040" in [p.pcode for p in suggest(gaz, typed)], typed
    assert suggest(gaz, "س") == [] and suggest(gaz, "Springfield") == []
    assert all(p.latitude is not None for p in suggest(gaz, "كفر"))
