"""UCDP-style CSV: one row per incident (or event) with its deaths as best, low and high estimates,
the way UCDP's GED gives them, and the sources behind them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from rasad.export.acled_csv import acled_name
from rasad.export.registry import ExportOptions, register, write_csv
from rasad.profile import Profile

UCDP_COLUMNS = ["id", "date_start", "date_end", "event_type", "sub_event_type", "side_a", "side_b", "where",
                "adm_1", "latitude", "longitude", "geo_precision", "best", "low", "high", "deaths_civilians",
                "deaths_civilians_low", "deaths_civilians_high", "injured", "number_of_sources", "origins",
                "grade", "source_article"]


def _range(rec: dict[str, Any], key: str, event_value: int | None) -> dict[str, Any]:
    """An incident's {min, best, max}; an event's one figure is all three."""
    r = rec.get(key)
    if isinstance(r, dict):
        return r
    return {"min": event_value, "best": event_value, "max": event_value}


def ucdp_row(rec: dict[str, Any], profile: Profile) -> dict[str, Any]:
    loc = rec.get("location") or {}
    fat = rec.get("fatalities") or {}
    killed = _range(rec, "killed", fat.get("total"))
    civ = _range(rec, "civilians_killed", fat.get("civilians"))
    span = rec.get("date_range") or [rec.get("event_date"), rec.get("event_date")]
    members = rec.get("members") or [{"article_id": rec.get("article_id"), "source": rec.get("source"),
                                      "url": rec.get("url")}]
    name = {a: acled_name(a, profile.actors, span[0] or "") for a in (rec.get("actor1"), rec.get("actor2")) if a}
    return {
        "id": rec.get("incident_id") or rec.get("event_id"), "date_start": span[0] or "", "date_end": span[1] or "",
        "event_type": rec.get("event_type", ""), "sub_event_type": rec.get("sub_event_type", ""),
        "side_a": name.get(rec.get("actor1"), ""), "side_b": name.get(rec.get("actor2"), ""),
        "where": loc.get("name_en") or loc.get("name") or "", "adm_1": loc.get("admin1") or "",
        "latitude": loc.get("latitude") if loc.get("latitude") is not None else "",
        "longitude": loc.get("longitude") if loc.get("longitude") is not None else "",
        "geo_precision": loc.get("geo_precision") or "",
        "best": _n(killed["best"]), "low": _n(killed["min"]), "high": _n(killed["max"]),
        "deaths_civilians": _n(civ["best"]), "deaths_civilians_low": _n(civ["min"]),
        "deaths_civilians_high": _n(civ["max"]),
        "injured": _n(_range(rec, "injured_range", rec.get("injured")).get("best")),
        "number_of_sources": len(members), "origins": rec.get("origins", len(members)),
        "grade": rec.get("grade", ""),
        "source_article": "; ".join(dict.fromkeys(m.get("url") or m.get("source") or m.get("article_id") or ""
                                                  for m in members)),
    }


def _n(value: int | None) -> int | str:
    return "" if value is None else value


@register("ucdp-csv", "csv", "text/csv", "UCDP-style CSV (best, low, high)")
def write_ucdp_csv(records: Iterable[dict], fh: IO[str], profile: Profile,
                   options: ExportOptions | None = None) -> int:
    return write_csv(records, fh, UCDP_COLUMNS, lambda rec: ucdp_row(rec, profile))
