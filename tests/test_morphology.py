"""One Arabic morphology: proclitic stacks, and lemmas that match their inflected forms."""

from __future__ import annotations

import pytest

from rasad import Profile, extract
from rasad.annotate.lexicons import load
from rasad.annotate.mentions import find_triggers, find_weapons
from rasad.extract.frames import Frame
from rasad.lang.ar.morphology import inflect, proclitic_stacks, readings, strip_known, strip_one
from rasad.text.normalise import norm


def test_proclitic_stacks_conjunction_then_preposition():
    assert set(proclitic_stacks()) == {"و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"}
    assert "وك" in proclitic_stacks(rare=True) and "ك" not in proclitic_stacks()
    assert readings("للمزرعه")[-1] == "المزرعه"  # ل + ال written لل: the alef comes back
    assert strip_known("وبريف", {"ريف"}) == "ريف" and strip_known("وبرد", {"ريف"}) == "وبرد"
    assert strip_one("والمدنيين") == "المدنيين" and strip_one("وجه") == "وجه"  # too short to carry one


@pytest.mark.parametrize("phrase, form", [
    ("قصف كيماوي", "القصف الكيماوي"),            # the article on noun and adjective
    ("غاز كيماوي", "الغازات الكيماويه"),          # sound feminine plural, nisba in the feminine
    ("سلاح كيماوي", "الاسلحه الكيمياييه"),        # broken plural, the other spelling of the nisba
    ("صاروخ كيماوي", "صواريخ كيمياويه"),          # broken plural, a third spelling, no article
    ("قذيفة كيماوية", "قذايف كيماويه"),           # a feminine lemma's broken plural
    ("هجوم كيماوي", "هجوما كيماويا"),             # indefinite accusative
    ("غاز سام", "الغازات السامه"),
])
def test_a_lemma_matches_its_inflected_forms(phrase, form):
    assert form in inflect(phrase)


def test_construct_keeps_its_article_where_written():
    forms = inflect("غاز السارين")
    assert "غازات السارين" in forms and "الغاز السارين" not in forms


@pytest.mark.parametrize("sentence", [
    "قصفت قوات النظام البلدة بالغازات الكيماوية صباح اليوم",
    "أدى القصف الكيماوي إلى اختناق العشرات",
    "استخدمت الأسلحة الكيميائية ضد المدنيين في الغوطة",
    "سقطت الصواريخ الكيماوية على الحي الشرقي",
    "وثقت الشبكة هجوماً كيميائياً جديداً على القرية",
    "وبالقذائف الكيماوية استهدفت الميليشيات المنطقة",
])
def test_chemical_attacks_in_every_inflection_are_typed_chemical(sentence):
    lex = load(Profile.load())
    triggers = find_triggers(norm(sentence), lex)
    assert triggers and Frame(triggers=triggers).main().sub_event_type == "Chemical weapon"


def test_a_chemical_plant_is_no_chemical_weapon():
    lex = load(Profile.load())
    text = norm("استهدفت مسيرة محطة المواد الكيميائية في الميناء")
    assert all(t.info.kind != "chemical" for t in find_triggers(text, lex))
    assert all(w.tag != "chemical" for w in find_weapons(text, lex))


def test_chemical_event_end_to_end(gaz):
    text = "قصفت قوات النظام بلدة كفر جالس بالصواريخ الكيميائية اليوم، ما أدى إلى مقتل 3 مدنيين."
    ev = next(e for e in extract(text, gaz, published="2022-11-06").events if e.location.name == "كفر جالس")
    assert ev.sub_event_type == "Chemical weapon" and ev.fatalities.total == 3
    assert "chemical" in ev.weapons
    assert any(x.field == "weapons" and x.text == "الصواريخ الكيميائية" for x in ev.evidence)
