"""ACLED's CSV as ACLED users read it: no background rows unless asked, text inter labels, actor names
by the event's date, a stable timestamp, a byte-order mark on request."""

import csv
import io

from rasad import Profile
from rasad.export import write_events
from rasad.export.registry import ExportOptions


def _event(day: str, actor1: str = "SYR_GOV", actor2: str | None = "CIV", background: bool = False) -> dict:
    return {"event_id": f"e{day}{actor1}{background}", "article_id": "a", "event_date": day, "time_precision": 1,
            "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
            "actor1": actor1, "actor2": actor2, "assoc_actor_1": [], "assoc_actor_2": [],
            "civilian_targeting": actor2 == "CIV", "background": background, "updated_at": 1700000000,
            "location": {"name": "بنش", "name_en": "Binnish", "admin1": "Idleb", "latitude": 35.9,
                         "longitude": 36.7, "geo_precision": 1},
            "fatalities": {"total": 2}, "reported_by": [], "source": "Outlet"}


def _rows(records: list[dict], **options) -> list[dict]:
    out = io.StringIO()
    write_events(records, "acled-csv", out, Profile.load("syria"), ExportOptions(**options))
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_background_rows_only_when_asked():
    records = [_event("2023-03-04"), _event("2019-08-08", background=True)]
    assert [r["event_date"] for r in _rows(records)] == ["2023-03-04"]
    both = _rows(records, include_background=True)
    assert [r["tags"] for r in both] == ["", "background"]


def test_inter_labels_as_text_or_codes():
    [text] = _rows([_event("2023-03-04")])
    assert (text["inter1"], text["inter2"]) == ("State forces", "Civilians")
    assert text["interaction"] == "State forces-Civilians"
    [alone] = _rows([_event("2023-03-04", actor2=None)])
    assert alone["interaction"] == "State forces only"
    [codes] = _rows([_event("2023-03-04")], inter="numeric")
    assert (codes["inter1"], codes["inter2"], codes["interaction"]) == ("1", "7", "17")


def test_state_forces_named_by_the_government_of_the_day():
    before, after = _rows([_event("2024-12-08"), _event("2025-01-15")])
    assert before["actor1"] == "Military Forces of Syria (2000-2024)"
    assert after["actor1"] == "Military Forces of Syria (2024-)"
    israel = _rows([_event(day, actor1="ISR") for day in ("2021-05-10", "2021-08-20", "2023-02-19")])
    assert [r["actor1"].rsplit(" ", 1)[1] for r in israel] == ["(2009-2021)", "(2021-2022)", "(2022-)"]


def test_timestamp_is_when_the_event_was_last_modified_and_a_bom_on_request(tmp_path):
    [row] = _rows([_event("2023-03-04")])
    assert row["timestamp"] == "1700000000"
    path = tmp_path / "a.csv"
    write_events([_event("2023-03-04")], "acled-csv", path, Profile.load("syria"), ExportOptions(bom=True))
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    write_events([_event("2023-03-04")], "acled-csv", path, Profile.load("syria"))
    assert path.read_bytes()[:3] == b"eve"


# ---- notebooks --------------------------------------------------------------------------------------------
TEXT = "قصفت الطائرات الروسية بلدة كفر زيتا وقتل ثلاثة مدنيين.\nوكانت الطائرات قد قصفت البلدة في آب من عام 2019."


def test_a_result_is_records_and_tables(gaz):
    import json

    import pytest

    pd = pytest.importorskip("pandas")
    from rasad import extract
    from rasad.export.flat import FLAT_COLUMNS

    result = extract(TEXT, gaz, published="2022-11-06")
    assert json.loads(json.dumps(result.records(), ensure_ascii=False)) == result.records()
    frame = result.to_frame()
    assert list(frame.columns) == FLAT_COLUMNS and len(frame) == len(result.events)
    news = frame[~frame["background"]]
    assert news["fatalities"].sum() == 3 and news["event_date"].dt.year.tolist() == [2022]
    acled = result.to_acled()
    assert len(acled) == (~frame["background"]).sum()
    assert acled["actor1"].tolist() == ["Military Forces of Russia (2000-)"]
    assert len(result.to_acled(ExportOptions(include_background=True))) == len(frame)
    assert isinstance(acled, pd.DataFrame)


def test_tables_without_pandas_name_the_extra(gaz, monkeypatch):
    import importlib

    import pytest

    from rasad import extract
    from rasad.extras import MissingExtra

    real = importlib.import_module
    monkeypatch.setattr("rasad.extras.importlib.import_module",
                        lambda name, *a: (_ for _ in ()).throw(ImportError(name=name)) if name == "pandas"
                        else real(name, *a))
    with pytest.raises(MissingExtra, match=r"rasad\[notebook\]"):
        extract(TEXT, gaz, published="2022-11-06").to_frame()


def test_a_geodataframe_of_points(gaz):
    import pytest

    pytest.importorskip("geopandas")
    from rasad import extract

    geo = extract(TEXT, gaz, published="2022-11-06").to_geodataframe()
    assert geo.crs.to_epsg() == 4326 and geo.geometry.iloc[0].x == geo["longitude"].iloc[0]


def test_source_names_outlets_once_with_their_scale_and_notes_tell_the_event():
    rec = _event("2023-03-04") | {"source": "SOHR news", "reported_by": ["SOHR", "WHITE_HELMETS", "ACTIVISTS"],
                                  "fatalities": {"total": 2, "civilians": 2}, "injured": 5, "weapons": ["artillery"],
                                  "notes": "checked against the White Helmets' list"}
    [row] = _rows([rec])
    assert row["source"] == "Syrian Observatory for Human Rights; Syria Civil Defence (White Helmets)"
    assert row["source_scale"] == "National-Other"
    assert row["notes"] == ("On 4 March 2023, Military Forces of Syria (2000-2024) shelled Binnish (Idleb). "
                            "Weapons: artillery. 2 civilians killed, 5 injured. "
                            "Reviewer: checked against the White Helmets' list")
    [unknown] = _rows([_event("2023-03-04") | {"source": "A Local Page", "reported_by": ["NO_SUCH_CODE"]}])
    assert unknown["source"] == "A Local Page" and unknown["source_scale"] == ""


def test_acled_location_is_the_named_place_in_english():
    def loc(**kw):
        return _event("2023-03-04") | {"location": {"name": "x", "admin1": "Idleb", "admin2": "Ariha",
                                                    "latitude": 35.9, "longitude": 36.7, "geo_precision": 2, **kw}}
    rows = _rows([loc(name_en="near Binnish"), loc(name_en="5 km W of Saraqab"),
                  loc(name_en="between Saraqab and Ariha"), loc(name_en=None, name="بلدة لا يعرفها أحد")])
    assert [r["location"] for r in rows] == ["Binnish", "Saraqab", "Saraqab", "Ariha"]
