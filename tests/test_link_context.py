"""arabic_geo_nlp.link.context: nationality adjectives and the document's dominant country."""

import pytest

from arabic_geo_nlp.link.context import CLEAR_MIN, adjective_country, dominant_country, nationality_keys, text_countries


def test_nationality_table_covers_the_region_and_the_powers():
    countries = set(nationality_keys().values())
    assert {"SA", "IQ", "SY", "LB", "TR", "IR", "IL", "US", "RU", "CN", "GB", "FR", "NG"} <= countries


@pytest.mark.parametrize("words, expected", [
    (["العراقي"], ("IQ", 1)), (["العراقية"], ("IQ", 1)), (["والعراقيين"], ("IQ", 1)),
    (["الأميركية"], ("US", 1)), (["الامريكي"], ("US", 1)), (["الكورية", "الجنوبية", "أمس"], ("KR", 2)),
    (["السويدية"], ("SE", 1)), (["الجديدة"], None), ([], None),
    # a country's name is no adjective, even where its variant key is the adjective's (تركيا ~ تركي)
    (["تركيا"], None), (["وسوريا"], None)])
def test_adjective_country(words, expected):
    assert adjective_country(words) == expected


def test_text_countries_counts_each_adjective_once():
    words = "قال الجيش العراقي إن القوات العراقية والأمريكية تقدمت قرب الحدود الكورية الشمالية".split()
    assert text_countries(words) == {"IQ": 2, "US": 1, "KP": 1}


@pytest.mark.parametrize("counts, expected", [
    ({"IQ": 3, "US": 1}, "IQ"), ({"IQ": 3, "US": 2}, "IQ"), ({"IQ": 3, "US": 3}, None),
    ({"IQ": CLEAR_MIN - 1}, None), ({}, None), ({"SA": 2, "IQ": 1, "US": 1}, None)])
def test_dominant_country_needs_a_clear_majority(counts, expected):
    assert dominant_country(counts) == expected
