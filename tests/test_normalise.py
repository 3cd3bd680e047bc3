from hypothesis import given, settings
from hypothesis import strategies as st

from rasad.text.normalise import norm, normalise
from rasad.text.sentences import sentences


def test_folds_arabic_variants():
    assert norm("أإآا") == "اااا"
    assert norm("مدرسة") == norm("مدرسه")
    assert norm("مستشفى") == norm("مستشفي")
    assert norm("٣ أطفال و۴") == "3 اطفال و4"
    assert norm("قَصْفٌ") == "قصف"
    assert norm("بـ”كفر جالس”") == 'ب"كفر جالس"'
    assert norm("كفر   زيتا") == "كفر زيتا"
    assert norm("ﻻ") == "لا"  # presentation-form ligature


def test_span_maps_back_to_original_characters():
    text = "قُتِلَ ٩ مدنيين في «كفرزيتـا» أمس"
    nv = normalise(text)
    pos = nv.text.index("كفرزيتا")
    s, e = nv.to_original(pos, pos + len("كفرزيتا"))
    assert text[s:e] == "كفرزيتـا"
    pos = nv.text.index("9")
    assert nv.original_text(pos, pos + 1) == "٩"


@given(st.text())
def test_every_span_round_trips(text):
    nv = normalise(text)
    assert len(nv.starts) == len(nv.text)
    assert list(nv.starts) == sorted(nv.starts)
    for i in range(0, len(nv.text), 3):
        for j in range(i + 1, min(len(nv.text), i + 6) + 1):
            s, e = nv.to_original(i, j)
            assert 0 <= s < e <= len(text)
            # The original span, normalised again, holds the normalised span (a character that
            # expands, like a ligature, maps back whole).
            assert nv.text[i:j].strip() in norm(text[s:e])


@given(st.text(alphabet=st.sampled_from(list("كفر زيتا،.؟\n١٢أإةى") + ["ـ", "\u064e"])))
def test_arabic_spans_round_trip(text):
    nv = normalise(text)
    for i in range(len(nv.text)):
        s, e = nv.to_original(i, i + 1)
        assert norm(text[s:e]) in (nv.text[i], nv.text[i].strip(), "")


def test_broken_spellings_read_as_the_words_they_break():
    assert norm("مقـ.ـتل") == norm("مـ ـقـ ـتـ ـل") == "مقتل"
    assert norm("قـ*ـصف") == norm("ق*صف") == "قصف"
    assert norm("د.ا.عـ ـش") == "داعش"
    assert norm("م.د") == "م.د"  # two letters: an abbreviation
    assert norm("قصف. ثم") == "قصف. ثم" and norm("الله.. قصف") == "الله.. قصف"
    assert norm("كلمةـ كلمة") == "كلمه كلمه"  # a tatweel on one side of a space joins nothing
    text = "خبر: مقـ.ـتل شاب"
    nv = normalise(text)
    pos = nv.text.index("مقتل")
    assert nv.original_text(pos, pos + 4) == "مقـ.ـتل"


def test_a_heading_glued_to_the_post_is_two_words():
    text = "مستجدات القصف اليوم السبتمقتل مدني"
    nv = normalise(text)
    assert nv.text == norm(text) == "مستجدات القصف اليوم السبت مقتل مدني"
    pos = nv.text.index("مقتل")
    assert nv.original_text(pos, pos + 4) == "مقتل"
    assert norm("حصاد الأحداث الميدانية") == "حصاد الاحداث الميدانيه"  # one word, not "الأحد" + "اث"


def test_sentences_split_on_arabic_punctuation_and_lines():
    text = "قصفت الطائرات البلدة. وقتل 3 مدنيين؟ نعم\n\nفقرة ثانية بنسبة 2.5 بالمئة؛ ثم صاروخ م.د سقط"
    out = sentences(text)
    assert [s.text for s in out] == ["قصفت الطائرات البلدة.", "وقتل 3 مدنيين؟", "نعم",
                                     "فقرة ثانية بنسبة 2.5 بالمئة؛ ثم صاروخ م.د سقط"]
    assert all(text[s.start:s.end] == s.text for s in out)
    assert out[-1].paragraph == 1

_ALPHABET = st.sampled_from(list("كفر زيتا\n\t\r أإآة ى ـ٣٤ ًٌٍ  \u200f«»،ﻻ") + ["  ", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_the_fast_normaliser_is_the_per_character_one(text):
    from rasad.text.normalise import _normalise_each

    fast, each = normalise(text), _normalise_each(text)
    assert (fast.text, fast.starts, fast.ends) == (each.text, each.starts, each.ends)
    assert norm(text) == fast.text


def test_a_dot_inside_a_word_posts_break_is_dropped_a_dot_between_words_is_not():
    from rasad.text.normalise import norm, normalise

    assert norm("سقوط صار.وخ على المنطقة") == "سقوط صاروخ علي المنطقه"
    assert norm("قصف بالمد.فعية من الاحتلا.ل") == "قصف بالمدفعيه من الاحتلال"
    assert norm("أدى لمقتلهم.كما قصفت") == "ادي لمقتلهم.كما قصفت"  # two words: the stop stays
    assert norm("د.محمد") == "د.محمد"
    raw = "سقوط صار.وخ"
    nv = normalise(raw)
    assert nv.text == "سقوط صاروخ" and len(nv.text) == len(raw) - 1
    s, e = nv.to_original(5, 10)
    assert raw[s:e] == "صار.وخ"  # offsets point at the word as written
