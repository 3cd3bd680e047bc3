"""Date expressions in Arabic news, resolved against the publication date.

Absolute dates use Levantine, Egyptian/Gulf and Maghreb month names, slash pairs ("مارس/آذار
2020") and numeric forms; relative ones (اليوم، أمس، أول أمس، weekday names, "قبل يومين",
"الأسبوع الماضي", "الـ15 من الشهر الجاري") need the publication date and stay unresolved without it.
Each mention carries ACLED's time precision: 1 day, 2 week or span, 3 month or longer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from rasad.text.lexicon import dates, numbers


@dataclass
class DateMention:
    start: int  # offsets in the normalised text
    end: int
    day: date | None  # the day, or the first day of a span
    last: date | None = None  # the last day of a span
    precision: int = 1
    relative: bool = False
    past_reference: bool = False  # "الشهر الماضي", "العام الماضي": history, not news
    rule: str = ""  # the pattern that read it (its examples: lang/ar/corpus/dates.yaml)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    d = dates()
    months = "|".join(sorted((re.escape(m) for m in dates()["months"]), key=len, reverse=True))
    weekdays = "|".join(sorted((re.escape(w) for w in dates()["weekdays"]), key=len, reverse=True))
    ordinals = "|".join(sorted((re.escape(w) for w in dates()["ordinal_days"]), key=len, reverse=True))
    last_month = "|".join(re.escape(w) for w in dates()["last_month"])
    month = rf"(?P<m1>{months})(?:\s*[/\-(]\s*(?P<m2>{months})\)?)?"
    year = r"(?:\s*,?\s*(?:من\s+)?(?:عام|العام|سنه)?\s*(?P<y>(?:19|20)\d\d))"
    return {
        "day_month": re.compile(rf"(?<![\w/])(?P<d>\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?{month}{year}?(?!\w)"),
        "ordinal_month": re.compile(rf"(?<!\w)(?P<d>{ordinals})\s+من\s+(?:شهر\s+)?{month}{year}?(?!\w)"),
        "month_year": re.compile(rf"(?<!\w)(?:شهر\s+)?{month}{year}(?!\w)"),
        "numeric": re.compile(r"(?<![\d/])(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>(?:19|20)\d\d)(?![\d/])"),
        "iso": re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
        "year": re.compile(r"(?<!\w)(?:عام|العام|سنه|خلال|منذ|في)\s+(?P<y>(?:19|20)\d\d)(?![\w/])"),
        "day_last_month": re.compile(
            rf"(?<!\w)(?:ال\s*)?(?P<d>\d{{1,2}}|{ordinals})\s+(?:من\s+)?(?:الشهر|شهر)\s+(?:{last_month})(?!\w)"),
        "day_this_month": re.compile(
            rf"(?<!\w)(?:ال\s*)?(?P<d>\d{{1,2}}|{ordinals})\s+من\s+(?:الشهر|شهر)\s+(?:الجاري|الحالي|ذاته|نفسه)(?!\w)"),
        "month_part": re.compile(
            rf"(?<!\w)[وفب]?(?P<p>{_phrases(list(d['month_parts']))})\s+(?:(?:ال)?شهر\s+)?"
            rf"(?:(?P<which>{_phrases(d['this_month'] + d['last_month'])})|{month}{year}?)(?!\w)"),
        "weekday": re.compile(
            # with the article or after "يوم": a bare "اثنين" is the number two, "احد" is "one"
            rf"(?<!\w)(?:يوم\s+(?:[وب]?ال)?|[وف]?ب?ال)(?P<w>{weekdays.replace('ال', '')})(?P<past>\s+الماضي)?(?!\w)"),
        "relative": re.compile(
            rf"(?<!\w)(?:[وفبل]|بال|وبال)?(?P<r>{_phrases(list(d['days_back']) + list(d['periods_back']))}|"
            rf"(?:{_phrases(d['ago'])})\s+(?:(?:{_phrases(d['ago_qualifiers'])})\s+)?(?:(?P<n>\d+|\w+)\s+)??"
            rf"(?P<u>{_phrases(list(d['ago_units']))}))(?!\w)"),
    }


def _day(word: str) -> int:
    return int(word) if word.isdigit() else dates()["ordinal_days"][word]


def _month(name: str | None) -> int | None:
    return dates()["months"].get(name) if name else None


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


AHEAD_DAYS = 7  # a post's own day may run ahead of the date its page gives ("اليوم الثلاثاء 7 أيلول")


def _year_for(month: int, day: int, published: date | None) -> int | None:
    """A day and month with no year: the latest such date not after publication (give or take the
    few days a page's date may lag behind the post)."""
    if published is None:
        return None
    y = published.year
    cand = _safe(y, month, day)
    return y - 1 if cand and cand > published + timedelta(days=AHEAD_DAYS) else y


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    n = numbers()
    return n["units"].get(word) or n["tens"].get(word)


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Date mentions in a normalised text, in reading order, resolved where possible."""
    pats = _patterns()
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []  # a span read by an earlier (more explicit) pattern

    for name, read in _READERS:
        for m in pats[name].finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            mention = read(m, text, published)
            mention.rule = name
            found.append(mention)
    found.sort(key=lambda d: d.start)
    return _ranges(_merge_adjacent(found, text), text)


def _numeric(m: re.Match, text: str, published: date | None) -> DateMention:
    """"21/02/2022", "2022-02-21"."""
    return DateMention(m.start(), m.end(), _safe(int(m["y"]), int(m["m"]), int(m["d"])))


def _day_month(m: re.Match, text: str, published: date | None) -> DateMention:
    """"5 مايو/أيار 2020", "الحادي والعشرين من آذار": with no year, the latest before publication."""
    month = _month(m["m1"])
    day = _day(m["d"])
    year = int(m["y"]) if m["y"] else _year_for(month, day, published)  # type: ignore[arg-type]
    return DateMention(m.start(), m.end(), _safe(year, month, day) if year and month else None)


def _month_year(m: re.Match, text: str, published: date | None) -> DateMention:
    """"آذار 2020": the whole month."""
    month, year = _month(m["m1"]) or 1, int(m["y"])
    return DateMention(m.start(), m.end(), date(year, month, 1), _month_end(year, month), precision=3)


def _month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def _month_before(published: date) -> date:
    """The last day of the month before publication's."""
    return published.replace(day=1) - timedelta(days=1)


def _day_this_month(m: re.Match, text: str, published: date | None) -> DateMention:
    """"الـ 15 من الشهر الجاري"."""
    day = _safe(published.year, published.month, _day(m["d"])) if published else None
    return DateMention(m.start(), m.end(), day)


def _day_last_month(m: re.Match, text: str, published: date | None) -> DateMention:
    """"25 الشهر الماضي": that day of the month before publication's."""
    if published is None:
        return DateMention(m.start(), m.end(), None)
    before = _month_before(published)
    return DateMention(m.start(), m.end(), _safe(before.year, before.month, _day(m["d"])))


def _month_part(m: re.Match, text: str, published: date | None) -> DateMention:
    """"مطلع الشهر الجاري", "أواخر الشهر الماضي", "منتصف آذار 2022": a third of a month, as a span."""
    if m["which"]:
        if published is None:
            return DateMention(m.start(), m.end(), None)
        month_day = published if m["which"] in dates()["this_month"] else _month_before(published)
        year, month = month_day.year, month_day.month
    else:
        month = _month(m["m1"]) or 1
        year = int(m["y"]) if m["y"] else _year_for(month, 1, published)  # type: ignore[assignment]
        if year is None:
            return DateMention(m.start(), m.end(), None)
    part = dates()["month_parts"][m["p"]]
    first, last = {1: (1, 10), 2: (11, 20), 3: (21, _month_end(year, month).day)}[part]
    return DateMention(m.start(), m.end(), date(year, month, first), date(year, month, last), precision=2)


def _year(m: re.Match, text: str, published: date | None) -> DateMention:
    """"عام 2019": a whole year; one before publication's is history."""
    year = int(m["y"])
    return DateMention(m.start("y"), m.end(), date(year, 1, 1), date(year, 12, 31), precision=3,
                       past_reference=bool(published and year < published.year))


def _merge_adjacent(found: list[DateMention], text: str) -> list[DateMention]:
    """"أمس الأربعاء", "الأربعاء الـ15 من الشهر الجاري": one day said twice is one mention, and the
    more explicit part decides it."""
    out: list[DateMention] = []
    for d in found:
        prev = out[-1] if out else None
        if prev and 0 <= d.start - prev.end <= 2 and not text[prev.end:d.start].strip():
            weekday_first = prev.relative and prev.precision == 1 and prev.day is not None and not d.relative
            keep = d if weekday_first or (prev.day is None and d.day is not None) else prev
            out[-1] = DateMention(prev.start, d.end, keep.day, keep.last, keep.precision, keep.relative,
                                  keep.past_reference, "merged")
            continue
        out.append(d)
    return out


@lru_cache(maxsize=1)
def _range_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Between two days of a span ("وحتى صباح"), and before its first ("من صباح يوم")."""
    d = dates()
    times = _phrases(d["times_of_day"])
    gap = re.compile(rf"^\s*(?:و\s*)?(?:{_phrases(d['range_closers'])})\s+(?:(?:{times})\s+)?$")
    opener = re.compile(rf"(?:{_phrases(d['range_openers'])})\s+(?:(?:{times})\s+)?(?:يوم\s+)?$")
    return gap, opener


def _phrases(words: list[str]) -> str:
    """An alternation of normalised phrases, longest first, any white space between their words."""
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


def _ranges(found: list[DateMention], text: str) -> list[DateMention]:
    """"من صباح الأربعاء ... وحتى صباح اليوم": a span from the first day to the second."""
    out: list[DateMention] = []
    i = 0
    while i < len(found):
        d = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        gap, opener = _range_res()
        if (nxt and d.day and nxt.day and d.day <= nxt.day and opener.search(text[max(0, d.start - 25):d.start])
                and gap.match(text[d.end:nxt.start])):
            out.append(DateMention(d.start, nxt.end, d.day, nxt.last or nxt.day, 2, d.relative or nxt.relative,
                                   rule="range"))
            i += 2
            continue
        out.append(d)
        i += 1
    return out


def _relative(m: re.Match, text: str, published: date | None) -> DateMention:
    """"أمس", "الشهر الماضي", "قبل 3 أيام": a day or span counted back from publication."""
    mention = DateMention(m.start(), m.end(), None, relative=True)
    if published is None:
        return mention
    d = dates()
    r = " ".join(m["r"].split())
    if r in d["days_back"]:
        mention.day = published - timedelta(days=d["days_back"][r])
    elif r in d["periods_back"]:
        _period_back(mention, d["periods_back"][r], published)
    elif m["u"]:
        unit = m["u"]
        n = 2 if unit in d["ago_duals"] else _count(m["n"] or "") or 1
        days = d["ago_units"][unit]
        mention.day = published - timedelta(days=n * days)
        mention.precision = 1 if days <= 1 else 2 if days == 7 else 3
        mention.past_reference = days >= 30
    return mention


def _period_back(mention: DateMention, period: str, published: date) -> None:
    """The week, month or year before publication (the month and year ones are history)."""
    if period == "week":
        mention.day, mention.last, mention.precision = published - timedelta(days=13), published - timedelta(days=7), 2
    elif period == "month":
        last = _month_before(published)
        mention.day, mention.last, mention.precision, mention.past_reference = last.replace(day=1), last, 3, True
    else:
        y = published.year - 1
        mention.day, mention.last, mention.precision, mention.past_reference = date(y, 1, 1), date(y, 12, 31), 3, True


def _weekday(m: re.Match, text: str, published: date | None) -> DateMention:
    mention = DateMention(m.start(), m.end(), None, relative=True)
    if published is None:
        return mention
    target = dates()["weekdays"].get("ال" + m["w"], dates()["weekdays"].get(m["w"]))
    if target is None:
        return mention
    back = (published.weekday() - target) % 7
    if m["past"] and back == 0:
        back = 7
    before = text[max(0, m.start() - 8):m.start()]
    if back == 0 and re.search(r"امس\s*$", before):
        back = 7  # "أمس الأحد" on a Monday is yesterday; published on a Sunday it is a week back
    mention.day = published - timedelta(days=back)
    return mention


# Patterns in the order they read: a span read by an earlier one is not read again.
_READERS: tuple[tuple[str, Callable[[re.Match, str, date | None], DateMention]], ...] = (
    ("numeric", _numeric), ("iso", _numeric), ("day_month", _day_month), ("ordinal_month", _day_month),
    ("month_part", _month_part), ("month_year", _month_year), ("day_last_month", _day_last_month),
    ("day_this_month", _day_this_month),
    ("relative", _relative),
    ("weekday", _weekday), ("year", _year),
)

@lru_cache(maxsize=1)
def _elapsed() -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:بعد|قبل)\s+(?:(?:اقل|اكثر)\s+من\s+|نحو\s+|حوالي\s+)?(?:\S+\s+)?"
                      rf"(?:{_phrases(dates()['elapsed_units'])})\s+(?:فقط\s+)?(?:من|علي)\s+$")


def follows_elapsed_time(text: str, pos: int, floor: int = 0) -> bool:
    """Whether the normalised text just before pos reads "N days after ..." ("بعد أقل من 24 ساعة من
    مقتل", "بعد يوم من مجزرة"): what follows is an earlier incident, not the one being told."""
    return bool(_elapsed().search(text, max(floor, pos - 60), pos))
