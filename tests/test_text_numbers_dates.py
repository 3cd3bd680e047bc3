from datetime import date

import pytest

from rasad.text.dates import find_dates
from rasad.text.normalise import norm
from rasad.text.numbers import quantities


def _q(text):
    n = norm(text)
    return [(q.value, q.qualifier, q.vague) for q in quantities(n)]


@pytest.mark.parametrize("text, expected", [
    ("قتل ٩ مدنيين", [(9, "exact", False)]),
    ("خمسة وعشرون شخصا", [(25, "exact", False)]),
    ("ثلاثة عشر طفلا", [(13, "exact", False)]),
    ("مئة وخمسون", [(150, "exact", False)]),
    ("نزوح 450 ألف شخص", [(450000, "exact", False)]),
    ("ما لا يقل عن 103 عناصر", [(103, "at_least", False)]),
    ("أكثر من 65 مريضا", [(65, "more_than", False)]),
    ("نحو 12 مدنيا", [(12, "about", False)]),
    ("عشرات الجرحى", [(20, "at_least", True)]),
    ("و7 مواطنات", [(7, "exact", False)]),
])
def test_quantities(text, expected):
    assert _q(text) == expected


PUB = date(2020, 1, 22)  # a Wednesday


def _d(text, published=PUB):
    n = norm(text)
    return [(n[d.start:d.end], d.day and d.day.isoformat(), d.last and d.last.isoformat(), d.precision)
            for d in find_dates(n, published)]


def test_relative_days_and_weekdays():
    assert _d("قصفت الطائرات اليوم")[0][1:] == ("2020-01-22", None, 1)
    assert _d("بث أمس الثلاثاء")[0][1] == "2020-01-21"
    assert _d("أول أمس")[0][1] == "2020-01-20"
    assert _d("قبل يومين")[0][1] == "2020-01-20"
    assert _d("استأنف الإثنين قصفه")[0][1] == "2020-01-20"  # the latest Monday on or before publication
    assert _d("الأربعاء الماضي")[0][1] == "2020-01-15"
    assert _d("صباح الأربعاء الـ 15 من الشهر الجاري")[0][1] == "2020-01-15"
    assert _d("الأسبوع الماضي")[0][3] == 2
    assert _d("يوم خميس دام")[0][1] == "2020-01-16"
    # without the article or "يوم" these are numbers: "two" and "one"
    assert _d("مقتل شخصين اثنين") == [] and _d("قتل أحد المدنيين") == []


def test_absolute_dates_in_every_month_naming():
    assert _d("في 5 مايو/أيار 2020")[0][1] == "2020-05-05"
    assert _d("21 من شباط 2022")[0][1] == "2022-02-21"
    assert _d("في 3 جوان 2021")[0][1] == "2021-06-03"
    assert _d("في 2 آب")[0][1] == "2019-08-02"  # no year: the latest 2 August before publication
    assert _d("بتاريخ 21/02/2022")[0][1] == "2022-02-21"
    month = _d("في مارس/آذار 2020")[0]
    assert month[1:] == ("2020-03-01", "2020-03-31", 3)
    # ordinal day words, read only before "من"
    assert _d("في الحادي والعشرين من آذار 2019")[0][1] == "2019-03-21"
    assert _d("في الخامس من الشهر الجاري")[0][1] == "2020-01-05"
    assert [d[1] for d in _d("تشرين الثاني 2019")] == ["2019-11-01"]


def test_ranges():
    (span,) = _d("خلال الفترة الممتدة من صباح الأربعاء الـ 15 من الشهر الجاري وحتى صباح اليوم")
    assert span[1:] == ("2020-01-15", "2020-01-22", 2)


def test_without_publication_date_relative_stays_unresolved():
    got = _d("قصفت الطائرات أمس بلدة في 5 مايو 2020", published=None)
    assert [g[1] for g in got] == [None, "2020-05-05"]


def test_history_is_flagged():
    n = norm("والشهر الماضي، قصفت مقاتلات روسية مناطق")
    (d,) = find_dates(n, PUB)
    assert d.past_reference and d.day == date(2019, 12, 1)
