from datetime import date

from rasad.text.dates import find_dates
from rasad.text.normalise import norm
from rasad.text.numbers import quantities


def _q(text):
    n = norm(text)
    return [(q.value, q.qualifier, q.vague) for q in quantities(n)]


# Quantities and date patterns with their examples: lang/ar/corpus/{numbers,dates}.yaml
# (tests/test_corpus.py). What is left here is behaviour across patterns.


PUB = date(2020, 1, 22)  # a Wednesday


def _d(text, published=PUB):
    n = norm(text)
    return [(n[d.start:d.end], d.day and d.day.isoformat(), d.last and d.last.isoformat(), d.precision)
            for d in find_dates(n, published)]


def test_without_publication_date_relative_stays_unresolved():
    got = _d("قصفت الطائرات أمس بلدة في 5 مايو 2020", published=None)
    assert [g[1] for g in got] == [None, "2020-05-05"]


def test_history_is_flagged():
    n = norm("والشهر الماضي، قصفت مقاتلات روسية مناطق")
    (d,) = find_dates(n, PUB)
    assert d.past_reference and d.day == date(2019, 12, 1)
