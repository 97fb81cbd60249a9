"""Institution phrases (ner/institutions.py): heads, genitive chains, adjectives, stops, merge with entities."""

from __future__ import annotations

import pytest

import arabic_geo_nlp as agn
from arabic_geo_nlp.ner.institutions import add_phrases, phrases


def _texts(sentence: str, **kw) -> list:
    words = sentence.split()
    return [" ".join(words[s:e]) for s, e, _ in phrases(words, **kw)]


@pytest.mark.parametrize("sentence, expected", [
    ("وأعلنت هيئة الموانئ البحرية أمس", ["هيئة الموانئ البحرية"]),            # chain + nisba, stops at a time word
    ("قال مكتب وزير الدفاع إن", ["مكتب وزير الدفاع"]),                        # one construct noun, then definite
    ("ذكرت الشرطة البلجيكية التي", ["الشرطة البلجيكية"]),                     # definite head + nationality
    ("وقالت الهيئة العليا للقوات البحرية الكندية", ["الهيئة العليا للقوات البحرية الكندية"]),
    ("أصدر حزب الحرية والعدالة بيانا", ["حزب الحرية والعدالة"]),                # و + definite noun
])
def test_phrases_found(sentence, expected):
    assert _texts(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "قالت الشرطة أمس",                          # a head alone is no name
    "شكلت الحكومة لجنة تحقيق",                 # chain ending in an indefinite noun
    "اجتمع المجلس العسكري أمس",               # definite head without a nationality: a description
    "بحث مجلس الإدارة الخطة",                  # listed ordinary complement (board of directors)
    "ترأس مكتبه الجلسة",                       # pronoun enclitic on the head
    "بحث الاجتماع برئاسة السويسري",            # adjective-only head indefinite
])
def test_no_phrase(sentence):
    assert _texts(sentence) == []


def test_purpose_genitive_left_out():
    """لل + a verbal noun with no adjective after it is a purpose, not part of the name."""
    assert _texts("تحركت الشرطة الفرنسية للدفاع عن المتظاهرين") == ["الشرطة الفرنسية"]


def test_known_names_in_chain():
    words = "قال جيش بوروندي إن".split()
    assert phrases(words, names={2: (3, "GPE")}) == [(1, 3, "ORG")]
    assert phrases(words, names={2: (3, "ORG")}) == []           # an organisation's name is the entity itself
    assert phrases("أعلنت منظمة سلام الآن".split(), names={1: (4, "ORG")}) == []


def test_title_before_person_is_no_phrase():
    words = "وقال مكتب الرئيس جون سميث".split()
    assert phrases(words, persons=frozenset({3, 4})) == []


def test_add_phrases_replaces_contained_entities_only():
    words = "قال جيش بوروندي إن".split()
    assert add_phrases(words, [(2, 3, "GPE", "gazetteer")], {}) == [(1, 3, "ORG", "phrase")]
    crossing = "وقال مكتب وزير الدفاع أحمد".split()
    spans = [(3, 5, "PER", "model")]
    assert add_phrases(crossing, spans, {}) == spans


def test_pipeline_offsets_and_label():
    nlp = agn.load(exclude=["linker", "quotes"])
    text = "وأكدت وكالة الأنباء الكندية أن الشرطة البلجيكية اعتقلت رجلا."
    doc = nlp(text)
    phrase_ents = [(e.text, e.label_) for e in doc.ents if e._.source == "phrase"]
    assert ("وكالة الأنباء الكندية", "ORG") in phrase_ents
    assert ("الشرطة البلجيكية", "ORG") in phrase_ents
    for e in doc.ents:
        assert text[e.start_char:e.end_char] == e.text


@pytest.mark.parametrize("sentence, expected", [
    ("قتل جندي في قضاء سنجوريا أمس", ["قضاء سنجوريا"]),       # kept place noun + an unknown name
    ("تقدمت القوات نحو بلدة الخرابشة شرقا", ["الخرابشة"]),      # only the name after بلدة
    ("وقع الحادث في منطقة كوتاراما سيغونغ أمس", ["كوتاراما سيغونغ"]),  # an indefinite name of several words
])
def test_places_found(sentence, expected):
    assert _texts(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "أقيم معسكر في منطقة حدودية",            # an indefinite nisba is an adjective, no name
    "لا راد لقضاء الله",                       # listed stop word
    "بدأت ولاية ثانية للرئيس",                # an ordinary word after the place noun
    "انتشر المرض في منطقة وظهرت أعراضه",      # و + an ordinary word: no genitive
    "بدأت رابع ولاية لبوتين",                  # ل: the place noun is not in construct
])
def test_no_place(sentence):
    assert _texts(sentence) == []


def test_place_noun_joins_model_entity_but_not_listed_name():
    words = "سيطروا على حي الصنوبر أمس".split()
    spans = [(3, 4, "LOC", "model")]
    assert add_phrases(words, spans, {}) == [(2, 4, "LOC", "phrase")]
    assert add_phrases(words, spans, {3: (4, "LOC")}) == spans     # the gazetteer's name stays as listed
