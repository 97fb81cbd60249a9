"""Clitic analysis: raw-piece invariants, lexicon decisions, UD Arabic-PUD floor."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arabic_geo_nlp.clitics import (
    KEY_OPTIONS,
    LEXICON_FILE,
    Clitics,
    analyze,
    build_lexicon,
    evaluate_ud,
    ud_words,
)
from arabic_geo_nlp.normalize import normalize

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = SHARED / "data"
PUD = DATA / "ud_arabic_pud" / "ar_pud-ud-test.conllu"
needs_shared = pytest.mark.skipif(not PUD.exists(), reason="../shared/data (third-party data) not available")

INVENTORY = json.loads(resources.files("arabic_geo_nlp.data").joinpath("clitics.json").read_text(encoding="utf-8"))

# Arabic letters, diacritics (incl. tanween), tatweel, a presentation-form ligature, Latin and digits.
ARABIC_ISH = st.text(
    alphabet=st.sampled_from(list("اأإآءؤئبتةثجحخدذرزسشصضطظعغفقكلمنهوىي") + list("ًٌٍَُِّْـ") + ["ﻻ", "a", "1", "٣"]),
    max_size=12,
)


def _pieces_ok(word: str, c: Clitics) -> None:
    assert c.prefix + c.stem + c.suffix == word
    assert c.proclitic + c.article == c.prefix
    assert "".join(c.segments()) == word
    assert all(c.segments())


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=20))
def test_pieces_are_raw_substrings_of_any_text(text: str) -> None:
    _pieces_ok(text, analyze(text))


@settings(max_examples=1000, deadline=None)
@given(ARABIC_ISH)
def test_pieces_are_raw_substrings_of_arabic_like_text(word: str) -> None:
    c = analyze(word)
    _pieces_ok(word, c)
    if c.suffix:
        assert normalize(c.suffix, KEY_OPTIONS) in INVENTORY["enclitics"]
    assert normalize(c.article, KEY_OPTIONS) in ("", "ال", "ل")
    assert all(letter in INVENTORY["proclitics"] for letter in normalize(c.proclitic, KEY_OPTIONS))


@pytest.mark.parametrize(
    "word",
    "بوتين كوريا لبنان وزير بكين بيونغ كاملا ليبيا فرنسا كندا سوريا بريطانيا فلسطين موسكو واشنطن الله".split(),
)
def test_protected_names_are_not_split(word: str) -> None:
    assert analyze(word) == Clitics("", word, "")


@pytest.mark.parametrize("word", "لكن كذلك ليس بين فقط لدى كما كان ذلك مدرسة ألمانيا".split())
def test_function_words_and_lookalikes_are_not_split(word: str) -> None:
    assert analyze(word).segments() == (word,)


@pytest.mark.parametrize(
    "word, prefix, stem, suffix, segments",
    [
        ("والولايات", "وال", "ولايات", "", ("و", "الولايات")),
        ("لروسيا", "ل", "روسيا", "", ("ل", "روسيا")),
        ("للكرملين", "لل", "كرملين", "", ("ل", "لكرملين")),
        ("وتوضح", "و", "توضح", "", ("و", "توضح")),
        ("سيكون", "س", "يكون", "", ("س", "يكون")),
        ("وأضاف", "و", "أضاف", "", ("و", "أضاف")),
        ("بأنه", "ب", "أن", "ه", ("ب", "أن", "ه")),
        ("وبالسيارة", "وبال", "سيارة", "", ("و", "ب", "السيارة")),
        ("للسلطة", "لل", "سلطة", "", ("ل", "لسلطة")),
        ("نشرتها", "", "نشرت", "ها", ("نشرت", "ها")),
        ("الرئيس", "ال", "رئيس", "", ("الرئيس",)),
        ("وكان", "و", "كان", "", ("و", "كان")),
        ("لكنه", "", "لكن", "ه", ("لكن", "ه")),
        ("لديهم", "", "لدي", "هم", ("لدي", "هم")),
        ("لها", "", "ل", "ها", ("ل", "ها")),
    ],
)
def test_splits(word: str, prefix: str, stem: str, suffix: str, segments: tuple) -> None:
    c = analyze(word)
    assert (c.prefix, c.stem, c.suffix) == (prefix, stem, suffix)
    assert c.segments() == segments


def test_article_and_proclitic_properties() -> None:
    assert (analyze("وبالسيارة").proclitic, analyze("وبالسيارة").article) == ("وب", "ال")
    assert (analyze("للكرملين").proclitic, analyze("للكرملين").article) == ("ل", "ل")
    assert (analyze("الرئيس").proclitic, analyze("الرئيس").article) == ("", "ال")
    assert (analyze("لروسيا").proclitic, analyze("لروسيا").article) == ("ل", "")


def test_diacritics_and_tatweel_stay_in_raw_pieces() -> None:
    c = analyze("وَبِالسَّيَّارَةِ")
    assert (c.prefix, c.stem, c.suffix) == ("وَبِال", "سَّيَّارَةِ", "")
    assert c.segments() == ("وَ", "بِ", "السَّيَّارَةِ")
    c = analyze("والـولايات")
    assert (c.prefix, c.stem) == ("والـ", "ولايات")
    assert c.segments() == ("و", "الـولايات")
    assert analyze("نشرتـهـا").segments() == ("نشرتـ", "هـا")


@pytest.mark.parametrize("token", ["CNN", "2024", "١٢", "،", "...", "e-mail", "", "ـ", "وCNN"])
def test_non_arabic_tokens_are_untouched(token: str) -> None:
    assert analyze(token) == Clitics("", token, "")


def test_ud_words_joins_letters_not_punctuation(tmp_path: Path) -> None:
    rows = [("ل", "SpaceAfter=No"), ("أوباما", "SpaceAfter=No"), (",", "_"), ("نشرت", "SpaceAfter=No"), ("ها", "_")]
    lines = ["# text = x"] + [f"{k}\t{f}\t_\t_\t_\t_\t0\t_\t_\t{m}" for k, (f, m) in enumerate(rows, 1)]
    path = tmp_path / "t.conllu"
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    assert list(ud_words(path)) == [("لأوباما", ("ل", "أوباما")), (",", (",",)), ("نشرتها", ("نشرت", "ها"))]


@needs_shared
def test_ud_arabic_pud_floor() -> None:
    res = evaluate_ud(PUD)
    assert res["words"] > 15000
    # measured: word accuracy 0.983, split accuracy 0.941, boundary F1 0.946
    assert res["word_accuracy"] >= 0.975
    assert res["split_accuracy"] >= 0.92
    assert res["f1"] >= 0.93


@needs_shared
def test_packaged_lexicon_is_rebuilt_reproducibly(tmp_path: Path) -> None:
    out = tmp_path / LEXICON_FILE
    stats = build_lexicon(DATA, out)
    packaged = resources.files("arabic_geo_nlp.data").joinpath(LEXICON_FILE).read_bytes()
    assert out.read_bytes() == packaged
    assert stats["entries"] > 50_000 and stats["bytes"] < 3_000_000
