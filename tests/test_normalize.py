from hypothesis import given, strategies as st

from arabic_geo_nlp.normalize import (
    NormalizeOptions, char_table, normalize, normalize_with_offsets, normalize_word, raw_span,
)

import pytest

from .conftest import SHARED


@pytest.mark.parametrize("raw, expected", [
    ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),   # alef variants
    ("مُحَمَّدٌ", "محمد"),                                  # diacritics
    ("الســــلام", "السلام"),                              # tatweel
    ("مستشفى", "مستشفي"),                                  # alef maksura
    ("مدرسة", "مدرسه"),                                    # teh marbuta
    ("مسؤول رئيس", "مسوول رييس"),                           # hamza carriers
    ("ایران کابل", "ايران كابل"),                           # Persian letters
    ("١٢٣ ۴۵۶", "123 456"),                                # Arabic-Indic digits
    ("ﻻ ﷲ", "لا الله"),                                    # presentation forms
    ("كو\u200cريا\u200f", "كوريا"),                         # zero-width and bidi controls
    ("“قال” «نعم» \"لا\"", "“قال” «نعم» \"لا\""),            # quote marks stay distinct
])
def test_rules(raw, expected):
    assert normalize(raw) == expected


def test_rules_are_switchable():
    opts = NormalizeOptions(teh_marbuta=False, alef_maksura=False)
    assert normalize("مدرسة مستشفى", opts) == "مدرسة مستشفى"
    with pytest.raises(ValueError, match="Unknown normalization rule"):
        NormalizeOptions.from_dict({"no_such_rule": True})


def test_offsets_map_back_to_raw():
    raw = "قالَ الرَّئيسُ ﻻ"
    norm, offsets = normalize_with_offsets(raw)
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(raw)
    i = norm.index("الرييس")
    s, e = raw_span(offsets, i, i + len("الرييس"))
    assert raw[s:e] == "الرَّئيسُ"
    j = norm.index("لا")
    assert raw_span(offsets, j, j + 2) == (len(raw) - 1, len(raw))


def test_word_norm_never_empty():
    assert normalize_word("ـــ") == "ـــ"


def test_table_outputs_are_fixed_points():
    table = char_table()
    for out in table.values():
        assert normalize(out) == out


@given(st.text())
def test_idempotent_and_offsets_valid(text):
    once = normalize(text)
    assert normalize(once) == once
    norm, offsets = normalize_with_offsets(text)
    assert norm == once
    assert len(offsets) == len(norm) + 1
    assert all(0 <= a <= b <= len(text) for a, b in zip(offsets, offsets[1:]))


@given(st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)))
def test_idempotent_on_arabic_block(text):
    assert normalize(normalize(text)) == normalize(text)


def _camel_reference_words():
    words = {"مُحَمَّدٌ", "إِبْرَاهِيمُ", "آمَالٌ", "ٱلْقُرْآنِ", "مُسْتَشْفَى", "مَدْرَسَةٌ", "عَلَى", "الـ36"}
    pud = SHARED / "data" / "ud_arabic_pud" / "ar_pud-ud-test.conllu"
    if pud.exists():  # its lemmas are fully diacritized
        for line in pud.read_text(encoding="utf-8").splitlines():
            if line[:1].isdigit():
                cols = line.split("\t")
                words.update(cols[1:3])
    return sorted(words)


def test_agrees_with_camel_tools_normalizers():
    """camel-tools is the reference where both apply: its dediac, alef, alef maksura and teh marbuta
    normalizers. (camel keeps tatweel and hamza carriers; those rules are switched off here.)"""
    pytest.importorskip("camel_tools", reason="camel-tools not installed (extra [camel])")
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar, normalize_alef_maksura_ar, normalize_teh_marbuta_ar,
    )

    opts = NormalizeOptions(presentation_forms=False, controls=False, tatweel=False, hamza_carriers=False,
                            persian_letters=False, digits=False, arabic_punct=False)
    words = _camel_reference_words()
    assert len(words) > 5
    for word in words:
        camel = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(word))))
        assert normalize(word, opts) == camel, word
