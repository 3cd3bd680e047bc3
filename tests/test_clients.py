"""The exports opened by the tools researchers use: pandas reads ACLED's CSV with ACLED's types, duckdb
sums the Parquet's fatalities, and GDAL's ogrinfo opens the GeoJSON and GeoParquet with numeric fields.
Each client is skipped where it is not installed (the dev extra installs pandas and duckdb; .ci/run
installs Debian's gdal-bin)."""

import json
import shutil
import subprocess

import pytest

from conftest import FIXTURES
from rasad.cli import main


@pytest.fixture(scope="module")
def exported(tmp_path_factory, gaz_dir):
    out = tmp_path_factory.mktemp("clients")
    db = str(out / "c.db")
    assert main(["extract", str(FIXTURES / "reports"), "--db", db, "--gazetteer", str(gaz_dir),
                 "--published", "2022-11-06"]) == 0
    for name in ("acled.csv", "events.parquet", "events.geojson", "flat.csv"):
        fmt = ["--format", "csv"] if name == "flat.csv" else []
        assert main(["export", "--db", db, "--out", str(out / name), *fmt]) == 0
    return out


def test_pandas_reads_acled_csv_with_acleds_types(exported):
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(exported / "acled.csv", dtype={"event_id_cnty": str, "inter1": str, "interaction": str},
                        parse_dates=["event_date"])
    assert len(frame) and frame["event_date"].dtype.kind == "M"
    for column in ("year", "iso", "fatalities", "latitude", "longitude", "geo_precision", "timestamp"):
        assert frame[column].dtype.kind in "if", column
    flat = pd.read_csv(exported / "flat.csv")
    assert flat["fatalities"].dtype.kind in "if" and flat["fatalities"].sum() == frame["fatalities"].sum()


def test_duckdb_sums_parquet_fatalities_and_reads_its_types(exported):
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    path = str(exported / "events.parquet")
    total, rows = con.execute(f"select sum(fatalities), count(*) from '{path}'").fetchone()
    geojson = json.loads((exported / "events.geojson").read_text(encoding="utf-8"))
    assert rows == len(geojson["features"]) and total == sum(f["properties"]["fatalities"] or 0
                                                              for f in geojson["features"])
    kinds = dict(con.execute(f"select column_name, column_type from (describe select * from '{path}')").fetchall())
    assert kinds["event_date"] == "DATE" and kinds["weapons"] == "VARCHAR[]"
    assert kinds["geometry"] == "BLOB" or kinds["geometry"].startswith("GEOMETRY")  # newer duckdb reads GeoParquet
    assert kinds["fatalities"] == "BIGINT" and kinds["latitude"] == "DOUBLE"


@pytest.mark.skipif(not shutil.which("ogrinfo"), reason="GDAL's ogrinfo is not installed (Debian gdal-bin)")
def test_ogrinfo_opens_geojson_and_geoparquet_with_numeric_fields(exported):
    formats = subprocess.run(["ogrinfo", "--formats"], capture_output=True, text=True).stdout
    names = ["events.geojson"] + (["events.parquet"] if "Parquet" in formats else [])  # Debian's GDAL may lack it
    for name in names:
        run = subprocess.run(["ogrinfo", "-so", "-al", str(exported / name)], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "fatalities: Integer" in run.stdout and "latitude: Real" in run.stdout, run.stdout
        assert "Point" in run.stdout


def test_geopandas_reads_the_geoparquet_and_the_geojson_as_spatial(exported):
    gpd = pytest.importorskip("geopandas")
    for name in ("events.parquet", "events.geojson"):
        frame = gpd.read_parquet(exported / name) if name.endswith(".parquet") else gpd.read_file(exported / name)
        assert len(frame) and frame.crs.is_geographic and "WGS 84" in frame.crs.name  # CRS84 or EPSG:4326
        assert set(frame.geom_type.dropna()) == {"Point"}
        assert frame["fatalities"].dtype.kind in "if" or frame["fatalities"].isna().all()
    parquet = gpd.read_parquet(exported / "events.parquet")
    assert (parquet.geometry.x.round(6) == parquet["longitude"].round(6)).all()
