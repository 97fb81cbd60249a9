import pytest


def sents(nlp, text):
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


@pytest.mark.parametrize("text, expected", [
    ("جاء. ذهب! لماذا؟ نعم؛ لا… انتهى", ["جاء.", "ذهب!", "لماذا؟", "نعم؛", "لا…", "انتهى"]),
    ("قال: “نعم.” ثم غادر.", ["قال: “نعم.”", "ثم غادر."]),
    ("قال: \"نعم.\" ثم غادر.", ["قال: \"نعم.\"", "ثم غادر."]),
    ("التقى د. أحمد بالوزير.", ["التقى د. أحمد بالوزير."]),
    ("بلغت النسبة 3.5 بالمئة في 2024/04/28.", ["بلغت النسبة 3.5 بالمئة في 2024/04/28."]),
    ("عنوان\nنص المقال", ["عنوان", "نص المقال"]),
    ("  \n\nسطر أول.\n\n\nسطر ثان", ["سطر أول.", "سطر ثان"]),
    ("ماذا؟!. حقا", ["ماذا؟!.", "حقا"]),
])
def test_boundaries(nlp, text, expected):
    assert sents(nlp, text) == expected


def test_whitespace_never_starts_a_sentence(nlp):
    doc = nlp("أ.\n\n ب.\n")
    assert all(not s[0].is_space for s in doc.sents if s.start > 0)
