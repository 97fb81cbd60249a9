"""Tests for arabic_geo_nlp.decoding: encodings on evidence, repairs, controls, binary data.

Byte fixtures are generated here, never committed.
"""

from __future__ import annotations

import codecs
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arabic_geo_nlp.decoding import Decoded, blank_controls, decode_bytes

from .test_corpus import ARABIC, BINARY, ENCODINGS, UNDECODABLE, encoded

# A hand-written article (not from any corpus), long enough to look like a real one.
ARTICLE = (
    "أعلن وزير الخارجية في مؤتمر صحفي عقده في العاصمة اليوم أن المحادثات مع الوفد الزائر كانت مثمرة، "
    "وأضاف أن الجانبين اتفقا على مواصلة الحوار خلال الأسابيع المقبلة.\n"
    "وقال المتحدث باسم الوزارة: «لا تراجع عن المواقف المعلنة»، مشيرا إلى أن اللجنة المشتركة ستجتمع "
    "في الشهر المقبل لبحث ملفات التعاون الاقتصادي والأمني بين البلدين.\n"
) * 3


@pytest.mark.parametrize("kind", ENCODINGS)
def test_decode_detects_each_encoding(kind):
    data = encoded(kind)
    text, enc, warning = decode_bytes(data)
    assert text == ARABIC  # exact: BOM removed, "\r\n" kept
    assert (enc, warning) == (ENCODINGS[kind][1], None)
    assert data.decode(enc) == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom_or_spaces(codec):
    # No ASCII at all, so no NUL bytes: found by plausibility, not NUL parity.
    assert decode_bytes("المحادثات".encode(codec)) == ("المحادثات", codec, None)


def test_decode_utf16_ascii_without_bom():
    assert decode_bytes("Reuters, 2024\n".encode("utf-16-le")) == ("Reuters, 2024\n", "utf-16-le", None)


def test_decode_keeps_text_exactly():
    raw = "  سطر\r\n\tآخر \u200f\n\n"
    assert decode_bytes(raw.encode("utf-8")).text == raw
    assert decode_bytes(codecs.BOM_UTF8 + raw.encode("utf-8")).text == raw


def test_decode_empty():
    assert decode_bytes(b"") == Decoded("", "utf-8", None)


def test_decode_explicit_encoding():
    data = ARABIC.encode("cp1256")
    assert decode_bytes(data, "windows-1256") == (ARABIC, "cp1256", None)
    assert decode_bytes(codecs.BOM_UTF8 + b"abc", "utf-8") == ("abc", "utf-8", None)


def test_decode_explicit_encoding_is_strict():
    with pytest.raises(UnicodeDecodeError, match="not valid utf-8"):
        decode_bytes(ARABIC.encode("cp1256"), "utf-8")
    with pytest.raises(ValueError, match="unknown encoding 'klingon'"):
        decode_bytes(b"abc", "klingon")


@pytest.mark.parametrize(
    "data",
    [BINARY, b"abc\x00def", random.Random(1).randbytes(500), ARTICLE.encode("utf-8") + bytes(range(32)) * 5],
    ids=["png", "nul-in-short-text", "random", "many-controls"],
)
def test_decode_binary(data):
    with pytest.raises(ValueError, match="binary data, not text"):
        decode_bytes(data)


def test_decode_undecodable():
    with pytest.raises(ValueError, match="undecodable"):
        decode_bytes(UNDECODABLE)


# --------------------------------------------------------------------------- repairs


def test_one_bad_byte_in_utf8_is_replaced_not_read_as_cp1256():
    data = ARTICLE.encode("utf-8")
    at = data.index("المتحدث".encode("utf-8"))
    damaged = data[:at] + b"\xff" + data[at:]
    text, enc, warning = decode_bytes(damaged)
    assert enc == "utf-8" and text == ARTICLE[:len(data[:at].decode())] + "\ufffd" + data[at:].decode()
    assert warning == f"1 invalid utf-8 byte replaced by U+FFFD (at byte {at})"


def test_each_bad_byte_is_one_replacement_character():
    data = ARTICLE.encode("utf-8")
    at = data.index(" مثمرة".encode("utf-8"))
    damaged = data[:at] + b"\xd9" + b"\xe2\x82" + data[at:]  # a lone lead byte, a truncated 3-byte sequence
    text, enc, warning = decode_bytes(damaged)
    assert enc == "utf-8" and text == data[:at].decode() + "\ufffd" * 3 + data[at:].decode()
    assert warning == f"3 invalid utf-8 bytes replaced by U+FFFD (at bytes {at}, {at + 1}, {at + 2})"


def test_real_cp1256_article_is_still_cp1256():
    assert decode_bytes(ARTICLE.encode("cp1256")) == (ARTICLE, "cp1256", None)


def test_cp1256_holding_utf8_runs_is_not_silent():
    data = ARTICLE.encode("cp1256") + "تقرير إضافي".encode("utf-8")
    text, enc, warning = decode_bytes(data)
    assert enc == "cp1256" and "look like UTF-8 (mixed encodings?)" in warning


def test_utf8_bom_and_bad_byte_offsets_count_the_bom():
    data = codecs.BOM_UTF8 + "نص سليم".encode("utf-8") + b"\x80" + "ثم نص".encode("utf-8")
    text, enc, warning = decode_bytes(data)
    assert (text, enc) == ("نص سليم\ufffdثم نص", "utf-8-sig")
    assert warning == "1 invalid utf-8-sig byte replaced by U+FFFD (at byte 16)"


def test_utf16_with_bom_and_truncated_tail_is_repaired():
    data = codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be") + b"\x06"
    text, enc, warning = decode_bytes(data)
    assert (text, enc) == (ARTICLE + "\ufffd", "utf-16") and f"at byte {len(data) - 1})" in warning


def test_other_bytes_behind_a_utf16_bom_are_not_silent():
    text, enc, warning = decode_bytes(codecs.BOM_UTF16_LE + "قال قال\n".encode("cp1256"))
    assert enc == "utf-16" and "wrong encoding?" in warning


def test_utf16_without_bom_must_be_one_script():
    good = ("قال الوزير (AFP) 2024 «نعم» 😀\n" * 5).encode("utf-16-le")
    assert decode_bytes(good) == (("قال الوزير (AFP) 2024 «نعم» 😀\n" * 5), "utf-16-le", None)
    mixed = b"\x00" + "قال said\n".encode("cp1256") + ("قال " * 9).encode("utf-16-be")
    with pytest.raises(ValueError, match="binary data"):  # not garbage read as UTF-16: NULs make it binary
        decode_bytes(mixed)


def test_stray_nul_in_an_article_is_blanked_not_binary():
    raw = ARTICLE[:100] + "\x00" + ARTICLE[101:]
    text, enc, warning = decode_bytes(raw.encode("utf-8"))
    assert text == ARTICLE[:100] + " " + ARTICLE[101:] and len(text) == len(ARTICLE)
    assert (enc, warning) == ("utf-8", "1 control character blanked to a space (at character 100)")


def test_explicit_encoding_blanks_controls_too():
    text = ARTICLE.replace("\n", " ")[:200]
    assert decode_bytes(("قال\x00" + text).encode("cp1256"), "cp1256") == (
        "قال " + text, "cp1256", "1 control character blanked to a space (at character 3)")
    with pytest.raises(ValueError, match="binary data"):
        decode_bytes(BINARY, "latin-1")


def test_blank_controls_keeps_length_and_whitespace():
    assert blank_controls("أ\x01ب\tج\r\n\x7f") == ("أ ب\tج\r\n ", "2 control characters blanked to spaces (at characters 1, 7)")
    assert blank_controls("نص عادي") == ("نص عادي", None)


@given(st.binary(max_size=200))
def test_decode_any_bytes_decodes_faithfully_or_says_what_it_changed(data):
    try:
        text, enc, warning = decode_bytes(data)
    except ValueError:
        return
    if warning is None:
        assert data.decode(enc) == text


@settings(max_examples=50, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=200))
def test_decode_utf8_roundtrip(text):
    data = text.encode("utf-8")
    if data.startswith(codecs.BOM_UTF8):
        text = text[1:]
    assert decode_bytes(data) == (text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8", None)
