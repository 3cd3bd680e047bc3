"""Score extracted events against the hand-annotated seeds and the analyst-coded dev set."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rasad.evaluate.common import Extractor, num, pct, read_jsonl, same_name
from rasad.evaluate.geo_eval import gold_place_names
from rasad.geo.places import distance_km
from rasad.link.compare import on_day
from rasad.model import Event
from rasad.profile import Profile


# ---- seeds -----------------------------------------------------------------------------------------------
@dataclass
class SeedScore:
    gold_events: int = 0
    found: int = 0
    perpetrator_right: int = 0
    figures: int = 0
    figures_right: int = 0
    background_leaks: int = 0
    output_events: int = 0
    output_matched: int = 0
    misses: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "gold_events": self.gold_events,
            "found_pct": pct(self.found, self.gold_events),
            "perpetrator_right_pct": pct(self.perpetrator_right, self.found),
            "fatality_figures": self.figures,
            "fatality_figures_right_pct": pct(self.figures_right, self.figures),
            "background_leaks": self.background_leaks,
            "precision_pct": pct(self.output_matched, self.output_events),
        }


def _place_match(gold: dict, ev: Event) -> bool:
    loc = ev.location
    if loc is None:
        return False
    if gold.get("pcode"):
        return loc.pcode == gold["pcode"] or (not loc.pcode and same_name(loc.name, gold["location"]))
    if gold.get("geo_precision") == 3 and loc.geo_precision == 3:
        return loc.admin1 == gold.get("admin1")
    return same_name(loc.name, gold.get("location", "")) or same_name(loc.name_ar or "", gold.get("location", ""))


def _type_match(gold: dict, ev: Event) -> bool:
    return gold["event_type"] == ev.event_type and gold["sub_event_type"] == ev.sub_event_type


def evaluate_seeds(gold_path: Path, seeds_dir: Path, extractor: Extractor) -> SeedScore:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    score = SeedScore()
    for art in gold["articles"]:
        text = (seeds_dir / art["article"]).read_text(encoding="utf-8")
        events = extractor(text, art.get("published"), art["article"])
        news = [e for e in events if not e.background]
        matched_out: set[str] = set()
        for g in art["events"]:
            hits = [e for e in news if _place_match(g, e) and _type_match(g, e)]
            matched_out.update(e.event_id for e in hits)
            if g.get("optional"):
                continue
            score.gold_events += 1
            if not hits:
                score.misses.append(f"{art['article']}: {g['sub_event_type']} at {g['location']}")
                continue
            score.found += 1
            ev = hits[0]
            if ev.actor1 in g.get("actor1", []):
                score.perpetrator_right += 1
            else:
                score.misses.append(f"{art['article']}: perpetrator {ev.actor1} at {g['location']}")
            for key, value in (g.get("fatalities") or {}).items():
                if key == "qualifier":
                    continue
                score.figures += 1
                got = getattr(ev.fatalities, key, None)
                if got == value:
                    score.figures_right += 1
                else:
                    score.misses.append(f"{art['article']}: {key} {got} != {value} at {g['location']}")
        gold_news = art["events"]
        for b in art.get("background", []):
            # A leak: news output matching the background event and no news event of the gold.
            if b.get("location") and any(_place_match(b, e) and _type_match(b, e)
                                         and not any(_place_match(g, e) and _type_match(g, e) for g in gold_news)
                                         for e in news):
                score.background_leaks += 1
                score.misses.append(f"{art['article']}: background leaked: {b['sub_event_type']} at {b['location']}")
        for b in art.get("background", []):  # a background event coded as such is not a false positive
            matched_out.update(e.event_id for e in events if b.get("location") and _place_match(b, e))
        score.output_events += len(news)
        score.output_matched += sum(1 for e in news if e.event_id in matched_out)
    return score


# ---- Airwars dev set --------------------------------------------------------------------------------------
@dataclass
class DevScore:
    reports: int = 0
    found: int = 0
    belligerent_right: int = 0
    with_figure: int = 0
    killed_in_range: int = 0
    stated: int = 0  # of those, where the extraction states a killed figure
    stated_in_range: int = 0
    injured_with_figure: int = 0
    injured_in_range: int = 0
    without_event: int = 0  # reports giving no news event at all
    misses: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "reports": self.reports,
            "reports_with_no_news_event_pct": pct(self.without_event, self.reports),
            "incident_found_pct": pct(self.found, self.reports),
            "belligerent_right_pct": pct(self.belligerent_right, self.found),
            "found_with_civilian_killed_figure": self.with_figure,
            "civilians_killed_in_range_pct": pct(self.killed_in_range, self.with_figure),
            "killed_figure_stated": self.stated,
            "stated_killed_in_range_pct": pct(self.stated_in_range, self.stated),
            "found_with_injured_figure": self.injured_with_figure,
            "injured_in_range_pct": pct(self.injured_in_range, self.injured_with_figure),
        }


def _near(ev: Event, gold: dict) -> bool:
    loc = ev.location
    if loc is None:
        return False
    lat, lon = num(gold.get("lat")), num(gold.get("lon"))
    if lat is not None and lon is not None and loc.latitude is not None and loc.geo_precision < 3:
        if distance_km(lat, lon, loc.latitude, loc.longitude) <= 10:
            return True
    return any(same_name(loc.name, n) or same_name(loc.name_ar or "", n)
               for n in gold_place_names(gold["location_ar"]))


def _in_range(value: int | None, lo: object, hi: object) -> bool:
    lo_n, hi_n = num(lo), num(hi)
    v = value or 0
    return (lo_n is None or v >= lo_n) and (hi_n is None or v <= hi_n)


def belligerent_ids(value: str, profile: Profile) -> set[str]:
    """The catalogue ids an analyst's belligerent names stand for (the profile's evaluation.yaml)."""
    table = profile.data("evaluation.yaml").get("belligerents", {})
    return set().union(*(set(table.get(b.strip(), [])) for b in value.split(",")))


def evaluate_dev(dev_path: Path, extractor: Extractor, profile: Profile | None = None) -> DevScore:
    profile = profile or Profile.load()
    score = DevScore()
    for row in read_jsonl(dev_path):
        gold = row["gold"]
        score.reports += 1
        events = extractor(row["text"], row.get("published"), row["id"])
        score.without_event += not any(not e.background for e in events)
        day = date.fromisoformat(gold["date"])
        hits = [e for e in events if _near(e, gold) and on_day(e, day)]
        if not hits:
            score.misses.append({"id": row["id"], "why": "incident not found", "place": gold["location_ar"],
                                 "date": gold["date"]})
            continue
        score.found += 1
        names = gold_place_names(gold["location_ar"])
        # The event that is the incident: news before background, the analyst's place by name before
        # a place within 10 km, the analyst's day before the day next to it, then confidence.
        hits.sort(key=lambda e: (e.background,
                                 not any(same_name(e.location.name, n) for n in names),
                                 _days_off(e, day), -e.confidence))
        want = belligerent_ids(gold["belligerent_en"], profile)
        right = [e for e in hits if {e.actor1, *e.assoc_actor_1} & want]
        if right:
            score.belligerent_right += 1
            hits = right + [e for e in hits if e not in right]
        else:
            score.misses.append({"id": row["id"], "why": f"belligerent {hits[0].actor1}",
                                 "gold": gold["belligerent_en"]})
        news = [e for e in hits if not e.background] or hits  # history's tolls are not the incident's
        stated = next((_killed(e) for e in news if _killed(e) is not None), None)
        killed = stated or 0
        if str(gold.get("civ_killed_max", "")) != "":
            score.with_figure += 1
            right = _in_range(killed, gold.get("civ_killed_min"), gold.get("civ_killed_max"))
            score.killed_in_range += right
            if stated is not None:
                score.stated += 1
                score.stated_in_range += right
            if not right:
                score.misses.append({"id": row["id"], "why": f"killed {killed}" + ("" if stated is not None else
                                                                                  " (none stated)"),
                                     "gold": f"{gold.get('civ_killed_min')}-{gold.get('civ_killed_max')}"})
        if str(gold.get("civ_injured_max", "")) != "":
            score.injured_with_figure += 1
            injured = next((e.injured for e in news if e.injured is not None), 0)
            if _in_range(injured, gold.get("civ_injured_min"), gold.get("civ_injured_max")):
                score.injured_in_range += 1
    return score


def _killed(ev: Event) -> int | None:
    """Civilians killed as stated, else everyone killed but the combatants counted by side (all of
    them when the report does not say who)."""
    f = ev.fatalities
    if f.civilians is not None or f.total is None:
        return f.civilians
    return max(0, f.total - sum(f.combatants.values()))


def _days_off(ev: Event, day: date) -> int:
    if ev.event_date:
        return abs((date.fromisoformat(ev.event_date) - day).days)
    return 99
