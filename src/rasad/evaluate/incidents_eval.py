"""Incidents across reports (spec: evaluation.md, "Incidents across reports").

Every report of the incidents file is extracted and all news events are linked together. Each
(report, analyst incident) is represented by its found event (at the analyst's place and day, as in
the dev measure) and by the incident that event was linked into. Pairwise precision and recall over
pairs of represented items, B-cubed precision, recall and F1, the incident's civilians killed
`best` inside the analyst's range, and the grade against the analyst's evidence grade.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path

from rasad.evaluate.common import Extractor, num, pct, read_jsonl
from rasad.evaluate.events_eval import _days_off, _in_range, _near
from rasad.link.compare import on_day
from rasad.link.incidents import Member, link
from rasad.link.summary import summarise
from rasad.profile import Profile

GRADES = ("Weak", "Fair", "Contested", "Confirmed")


@dataclass
class IncidentScore:
    reports: int = 0
    items: int = 0  # (report, analyst incident) pairs with a found event
    analyst_incidents: int = 0
    pair_tp: int = 0
    pair_fp: int = 0
    pair_fn: int = 0
    b3_precision: float = 0.0
    b3_recall: float = 0.0
    with_range: int = 0
    killed_in_range: int = 0
    graded: int = 0
    grade_right: int = 0
    incidents_made: int = 0
    misses: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        p = self.pair_tp / (self.pair_tp + self.pair_fp) if self.pair_tp + self.pair_fp else None
        r = self.pair_tp / (self.pair_tp + self.pair_fn) if self.pair_tp + self.pair_fn else None
        f1 = 2 * self.b3_precision * self.b3_recall / (self.b3_precision + self.b3_recall) \
            if self.b3_precision + self.b3_recall else None
        return {
            "reports": self.reports, "represented_reports_pct": pct(self.items, self.reports),
            "analyst_incidents": self.analyst_incidents, "incidents_made": self.incidents_made,
            "pairwise_precision": None if p is None else round(p, 3),
            "pairwise_recall": None if r is None else round(r, 3),
            "bcubed_precision": round(self.b3_precision, 3), "bcubed_recall": round(self.b3_recall, 3),
            "bcubed_f1": None if f1 is None else round(f1, 3),
            "incidents_with_civilian_range": self.with_range,
            "civilians_killed_best_in_range_pct": pct(self.killed_in_range, self.with_range),
            "graded_incidents": self.graded, "grade_agreement_pct": pct(self.grade_right, self.graded),
        }


def _found(events: list, gold: dict):
    """The event that is the analyst's incident in this report, as the dev measure finds it."""
    day = date.fromisoformat(gold["date"])
    hits = [e for e in events if not e.background and _near(e, gold) and on_day(e, day)]
    return min(hits, key=lambda e: (_days_off(e, day), -e.confidence)) if hits else None


def _pairs(score: IncidentScore, items: list[tuple[str, str]]) -> None:
    """items: (analyst code, rasad incident id) per represented report."""
    for (ga, pa), (gb, pb) in combinations(items, 2):
        same_gold, same_pred = ga == gb, pa == pb
        score.pair_tp += same_gold and same_pred
        score.pair_fp += same_pred and not same_gold
        score.pair_fn += same_gold and not same_pred


def _bcubed(score: IncidentScore, items: list[tuple[str, str]]) -> None:
    gold_sizes = Counter(g for g, _p in items)
    pred_sizes = Counter(p for _g, p in items)
    both = Counter(items)
    n = len(items) or 1
    score.b3_precision = sum(both[(g, p)] / pred_sizes[p] for g, p in items) / n
    score.b3_recall = sum(both[(g, p)] / gold_sizes[g] for g, p in items) / n


def _figures_and_grades(score: IncidentScore, items: list[tuple[str, str]], golds: dict[str, dict],
                        records: dict[str, dict]) -> None:
    """Per analyst incident: its main rasad incident's civilians killed `best` and grade."""
    by_code: dict[str, Counter] = defaultdict(Counter)
    for g, p in items:
        by_code[g][p] += 1
    for code, preds in by_code.items():
        gold, inc = golds[code], records[preds.most_common(1)[0][0]]
        if str(gold.get("civ_killed_max", "")) != "":
            score.with_range += 1
            best = inc["civilians_killed"]["best"] or 0
            right = _in_range(best, gold.get("civ_killed_min"), gold.get("civ_killed_max"))
            score.killed_in_range += right
            if not right:
                lo, hi = num(gold.get("civ_killed_min")), num(gold.get("civ_killed_max"))
                score.misses.append({"code": code, "why": f"civilians killed best {best}", "gold": f"{lo}-{hi}"})
        if gold.get("evidence_grade") in GRADES:
            score.graded += 1
            score.grade_right += inc["grade"] == gold["evidence_grade"]


def evaluate_incidents(path: Path, extractor: Extractor, profile: Profile | None = None) -> IncidentScore:
    score = IncidentScore()
    members: list[Member] = []
    found: list[tuple[dict, str]] = []  # (analyst incident, event id)
    for row in read_jsonl(path):
        score.reports += 1
        events = extractor(row["text"], row.get("published"), row["id"])
        members += [Member(e.to_record(), row.get("published"), row.get("source"), row.get("url"))
                    for e in events if not e.background]
        for gold in row["gold"]["incidents"]:
            ev = _found(events, gold)
            if ev is not None:
                found.append((gold, ev.event_id))
    incidents = link(members)
    score.incidents_made = len(incidents)
    of_event = {m.event_id: inc.incident_id for inc in incidents for m in inc.members}
    records = {inc.incident_id: summarise(inc, profile) for inc in incidents}
    golds = {g["code"]: g for g, _e in found}
    items = [(g["code"], of_event[e]) for g, e in found if e in of_event]
    score.items = len({e for _g, e in found})
    score.analyst_incidents = len(golds)
    _pairs(score, items)
    _bcubed(score, items)
    _figures_and_grades(score, items, golds, records)
    return score
