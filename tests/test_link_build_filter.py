"""arabic_geo_nlp.link.build_filter: generated place aliases that the news uses for something else."""

from collections import Counter

import pytest

from arabic_geo_nlp.link import data_file, read_entries
from arabic_geo_nlp.link.build_filter import NEWS_MIN, common_in_news, news_words, people_name_words

from .conftest import SHARED

DATA = SHARED / "data"
needs_news = pytest.mark.skipif(not (DATA / "saudinewsnet").is_dir(), reason="no ../shared/data/saudinewsnet")


def test_a_bare_word_the_news_writes_with_the_article_is_common():
    news = Counter({"كوادر": 100, "الكوادر": 250, "تعز": 900, "سوروج": 40})
    assert common_in_news("كوادر", news)           # "cadres"
    assert not common_in_news("تعز", news)          # never written التعز
    assert not common_in_news("سوروج", news)


def test_a_rare_word_or_a_phrase_is_kept():
    news = Counter({"كوادر": NEWS_MIN - 1, "الكوادر": 500, "بيت": 5000, "لحم": 3000})
    assert not common_in_news("كوادر", news)        # too rare to cost precision
    assert not common_in_news("بيت لحم", news)      # phrases stay (Bethlehem)


def test_a_person_name_word_is_common():
    assert {"حسن", "بشار", "جورج"} <= people_name_words()
    news = Counter({"حسن": 1600, "الحسن": 200, "بشار": 380})
    assert common_in_news("حسن", news) and common_in_news("بشار", news)


def _aliases(name: str) -> set:
    return {a for e in read_entries(data_file("places.tsv")) if e.name == name for a in e.aliases}


def test_the_packaged_places_keep_important_names_and_lose_common_words():
    owners = {a for e in read_entries(data_file("places.tsv")) for a in e.aliases}
    assert not {"كوادر", "حسن", "العزيز", "صافي", "طيور"} & owners
    assert "طوكيو" in _aliases("Tokyo") and "الرمادي" in _aliases("Ramadi") and "تعز" in _aliases("Taiz")
    assert "ميدان" in _aliases("Medan")             # a city of 2M keeps even an ordinary word


@needs_news
def test_news_frequencies_tell_common_words_from_town_names():
    news = news_words(DATA)
    assert news["الرياض"] > 1000
    for word in ("كوادر", "محلات", "حسن", "مشهد"):
        assert common_in_news(word, news), word
    for word in ("الرمادي", "تعز", "الموصل", "طوكيو", "الشارقة", "سوروج"):
        assert not common_in_news(word, news), word
