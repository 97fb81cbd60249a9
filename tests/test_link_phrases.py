"""arabic_geo_nlp.link.phrases: a place after its head noun, and a country's team by template."""

import pytest

from arabic_geo_nlp.link.kb import Entry
from arabic_geo_nlp.link.keys import exact_key
from arabic_geo_nlp.link.phrases import country_entries, head_nouns, templates

from .linking import annotate, blank_nlp, links


@pytest.fixture(scope="module")
def phrase_nlp(tmp_path_factory):
    kb = tmp_path_factory.mktemp("kb") / "places.tsv"
    kb.write_text(
        "id\tname\ttype\taliases\tdescription\troles\tcountry\n"
        "\tZarqun River\tLOC\tزرقون\triver in the Levant\t\t\n"
        "\tKarmala\tGPE\tكارمالا\tcity in Freedonia\t\t\n"
        "\tKarmala Province\tGPE\tمحافظة كارمالا\tprovince of Freedonia\t\t\n",
        encoding="utf-8")
    return blank_nlp(kb=str(kb))


@pytest.mark.parametrize("surface, label, expected", [
    ("نهر زرقون", "LOC", ("Zarqun River", "kb_head")),       # a river's name after نهر
    ("ولنهر زرقون", "LOC", ("Zarqun River", "kb_head")),     # with proclitics
    ("مدينة كارمالا", "GPE", ("Karmala", "kb_head")),        # the city, not the province
    ("ولاية كارمالا", "GPE", ("Karmala Province", "kb_head")),
    ("جبل كارمالا", "LOC", (None, None)),                  # a mountain is no city
    ("حي كارمالا", "LOC", (None, None)),                   # a quarter is named after other places
])
def test_head_noun_links_the_name_of_the_right_kind(phrase_nlp, surface, label, expected):
    text = f"وصل الجنود إلى {surface} أمس."
    assert links(annotate(phrase_nlp, text, [(surface, label)]))[0][1:] == expected


def test_a_head_noun_phrase_that_is_an_alias_links_as_such(phrase_nlp):
    doc = annotate(phrase_nlp, "وصلوا إلى محافظة كارمالا", [("محافظة كارمالا", "GPE")])
    assert links(doc) == [("محافظة كارمالا", "Karmala Province", "kb")]


@pytest.mark.parametrize("text, surface, expected", [
    ("فاز منتخب سويسرا في المباراة", "منتخب سويسرا", "Switzerland national football team"),
    ("خسر المنتخب السعودي أمس", "المنتخب السعودي", "Saudi Arabia national football team"),
    ("ولعب المنتخب الألماني لكرة القدم أمس", "المنتخب الألماني", "Germany national football team"),
    ("خسر منتخب ألمانيا لكرة اليد", "منتخب ألمانيا", None),   # another sport
    ("فاز منتخب مصر للشباب", "منتخب مصر", None),            # the youth team
    ("فاز منتخب الوطن", "منتخب الوطن", None),              # no country
    ("لعب منتخب الأرجنتين دون 20 عاما", "منتخب الأرجنتين", None),  # under-20
    ("فاز منتخب الأرجنتين على غانا في الكرة الطائرة", "منتخب الأرجنتين", None),  # another sport in the story
    ("خسر منتخب إنجلترا", "منتخب إنجلترا", None),            # no United Kingdom team
])
def test_national_team_template(text, surface, expected):
    doc = annotate(blank_nlp(), text, [(surface, "ORG")])
    entity, linked_by = links(doc)[0][1:]
    assert entity == expected and linked_by == ("template" if expected else None)
    assert doc.ents[0]._.kb_id is None


def test_phrase_tables_are_data():
    assert {exact_key(w) for w in ("نهر", "جبل", "ولاية", "محافظة", "قضاء", "مدينة")} <= set(head_nouns())
    assert head_nouns()[exact_key("ولاية")].accepts(Entry("", "California", "GPE", (), "state of the United States"))
    assert not head_nouns()[exact_key("ولاية")].accepts(Entry("", "New York City", "GPE", (), "city in the United States"))
    assert templates()[exact_key("منتخب")].name.format(country="Oman") == "Oman national football team"


def test_country_entries_are_the_kb_countries():
    from arabic_geo_nlp.link.kb import packaged_kb

    countries = country_entries(packaged_kb())
    assert countries["CH"].name == "Switzerland" and countries["SA"].name == "Saudi Arabia"
