"""Tests for arabic_geo_nlp.language and the components that skip non-Arabic documents."""

from __future__ import annotations

import pandas as pd
import pytest

import arabic_geo_nlp as agn
from arabic_geo_nlp.language import text_language

ARABIC = "قال وزير الخارجية الروسي سيرغي لافروف في موسكو: «لن نتراجع عن مواقفنا»."
ENGLISH = 'The minister told Reuters in Moscow that "the Joint Committee" would meet again on Monday.'
CSS = " #vote_area ul { padding: 0; margin: 0; } .box_vote { background: -webkit-gradient(linear, left top); }" * 3


@pytest.mark.parametrize("text, language", [
    (ARABIC, "ar"), (ENGLISH, "other"), ("2024 - 12 : 07", "other"), ("", "other"),
    (ARABIC + CSS, "ar"),  # a scraped Arabic article keeps its leftover CSS: still Arabic
    (ENGLISH * 3 + " قال", "other"), ("Добрый день", "other"), ("ﻗﺎﻝ ﺍﻟﻮﺯﻳﺮ", "ar"),  # presentation forms
])
def test_text_language(text, language):
    assert text_language(text) == language


def test_non_arabic_document_gets_no_arabic_model_entities_or_quotes(nlp):
    res = agn.process(pd.Series([ENGLISH, ARABIC], index=["en", "ar"]), nlp=nlp)
    docs = res.documents.set_index("doc_id")
    assert docs["language"].tolist() == ["other", "ar"] and (docs["status"] == "ok").all()
    assert docs.loc["en", ["n_entities", "n_quotes"]].tolist() == [0, 0] and docs.loc["en", "n_tokens"] > 10
    assert set(res.entities["doc_id"]) == {"ar"} and set(res.quotes["doc_id"]) == {"ar"}


def test_language_is_computed_once_and_can_be_set(nlp):
    doc = nlp.make_doc(ENGLISH)
    assert doc._.language == "other"
    doc._.language = "ar"  # a caller who knows better
    assert nlp(doc)._.language == "ar"


def test_error_rows_have_no_language():
    docs = agn.process(pd.Series([""], index=["e"])).documents
    assert docs["status"].tolist() == ["error"] and docs["language"].isna().all()
