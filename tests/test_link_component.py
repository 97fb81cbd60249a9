"""arabic_geo_nlp.link.component: the agn_linker steps, link_mention, and the seeds."""

import json
import subprocess
import sys
from pathlib import Path
from typing import List

import pandas as pd
import pytest
from spacy.tokens import Doc
from spacy.util import filter_spans

import arabic_geo_nlp as agn
from arabic_geo_nlp.link import link_mention

from .conftest import SEEDS, SHARED
from .linking import annotate, blank_nlp, links, write_kb

SCORER = SHARED / "tools" / "score.py"
GOLD_ENTITIES = SHARED / "gold" / "seed_entities.jsonl"


@pytest.fixture(scope="module")
def linker_nlp():
    return blank_nlp()


# ----------------------------------------------------------------------------- linking steps


def test_an_ordinary_word_links_by_its_exact_alias_only(linker_nlp):
    """جبل 'mountain' is one vowel from جبيل (Jubail) and المدينة 'the city' from Medina's
    spellings: a one-word mention spelled as an ordinary word never links by a variant key."""
    doc = annotate(linker_nlp, "وصلوا إلى جبل قرب المدينة ثم إلى بيونج يانج",
                   [("جبل", "GPE"), ("المدينة", "GPE"), ("بيونج يانج", "GPE")])
    assert links(doc) == [("جبل", None, None), ("المدينة", None, None), ("بيونج يانج", "Pyongyang", "kb_variant")]


def test_a_leading_title_word_that_is_a_first_name(linker_nlp):
    """سلطان and الملك read as titles; when the whole mention is an exact alias it links as a whole
    (cut, سلطان بن سلمان would be بن سلمان: Mohammed bin Salman's short form)."""
    doc = annotate(linker_nlp, "قال سلطان بن سلمان إن الملك عبدالعزيز وحد البلاد",
                   [("سلطان بن سلمان", "PER"), ("الملك عبدالعزيز", "PER")])
    assert [(text, entity) for text, entity, _ in links(doc)] == [
        ("سلطان بن سلمان", "Sultan bin Salman Al Saud"), ("الملك عبدالعزيز", "Abdulaziz ibn Saud")]


def test_exact_variant_and_proclitic_forms(linker_nlp):
    text = "قال للكرملين إن بيونج يانج في واشنطن مثل البيت الأبيض"
    doc = annotate(linker_nlp, text, [("للكرملين", "ORG"), ("بيونج يانج", "GPE"), ("واشنطن", "GPE"),
                                      ("البيت الأبيض", "ORG")])
    assert links(doc) == [("للكرملين", "Kremlin", "kb"), ("بيونج يانج", "Pyongyang", "kb_variant"),
                          ("واشنطن", "Washington, D.C.", "kb"), ("البيت الأبيض", "White House", "kb")]
    assert doc.ents[0]._.link_score == pytest.approx(0.95)
    assert doc.ents[1]._.kb_id == "Q18808"


def test_letter_cut_by_ner_is_put_back(linker_nlp):
    doc = linker_nlp.make_doc("زار وبيونج يانج")
    with doc.retokenize() as retok:                       # what NER proclitic trimming may do
        retok.split(doc[1], ["وب", "يونج"], heads=[(doc[1], 1), (doc[1], 1)])
    doc.ents = [doc.char_span(6, 15, label="GPE")]
    doc = linker_nlp(doc)
    assert links(doc) == [("يونج يانج", "Pyongyang", "kb_variant")]

def test_unknown_person_gets_a_flagged_guess(linker_nlp):
    doc = annotate(linker_nlp, "قال سيرغي كوزلوف إن", [("سيرغي كوزلوف", "PER")])
    ent = doc.ents[0]
    assert ent._.linked_by == "guess" and ent._.kb_id is None
    assert ent._.entity.startswith("Serg") and 0 < ent._.link_score < 0.7


def test_function_words_are_never_guessed(linker_nlp):
    doc = annotate(linker_nlp, "وقال إن على الجميع", [("على", "PER")])
    assert links(doc) == [("على", None, None)]


def test_unknown_place_stays_unlinked(linker_nlp):
    doc = annotate(linker_nlp, "في قرية زغزغان", [("زغزغان", "GPE")])
    assert links(doc) == [("زغزغان", None, None)]


def test_ambiguous_alias_resolved_by_context(linker_nlp):
    text = "قال حزب العمال في كوريا الشمالية في بيونغ يانغ"
    doc = annotate(linker_nlp, text, [("حزب العمال", "ORG"), ("كوريا الشمالية", "GPE"), ("بيونغ يانغ", "GPE")])
    assert links(doc)[0] == ("حزب العمال", "Workers' Party of Korea", "kb_context")
    alone = annotate(linker_nlp, "قال حزب العمال", [("حزب العمال", "ORG")])
    assert links(alone) == [("حزب العمال", None, None)]


def test_type_mismatch_links_with_a_penalty(linker_nlp):
    doc = annotate(linker_nlp, "قالت موسكو", [("موسكو", "ORG")])
    assert links(doc) == [("موسكو", "Moscow", "kb")]
    assert doc.ents[0]._.link_score == pytest.approx(0.7)


@pytest.mark.parametrize("text, surface, expected", [
    ("وصل اللاجئون إلى غازي عنتاب أمس", "غازي عنتاب", ("Gaziantep", "kb", "GPE")),   # a curated place: the kb step's type mismatch
    ("زار الوفد مرسى مطروح أمس", "مرسى مطروح", ("Mersa Matruh", "kb_type", "GPE")),
    ("وقالت شركة إيرنست آند يونج إن", "إيرنست آند يونج", ("Ernst & Young", "kb", "ORG")),  # curated; آند: no person
])
def test_person_label_on_a_place_or_organisation_alias_is_relabelled(linker_nlp, text, surface, expected):
    doc = annotate(linker_nlp, text, [(surface, "PER")])
    ent = doc.ents[0]
    assert (ent._.entity, ent._.linked_by, ent.label_) == expected
    assert doc.text[ent.start_char:ent.end_char] == surface


def test_person_evidence_keeps_the_person_label(tmp_path):
    nlp = blank_nlp(kb=write_kb(tmp_path / "kb.tsv", ["\tAli Nasro\tPER\tعلي نصرو\t\t\t",
                                                      "\tNasro Village\tGPE\tحسن نصرو\t\t\t"]))
    # a known first name (حسن) and a known surname (نصرو, of Ali Nasro), or a title before it: a person
    for text in ("قال حسن نصرو إن", "قال الشيخ حسن نصرو إن"):
        doc = annotate(nlp, text, [("حسن نصرو", "PER")])
        assert doc.ents[0].label_ == "PER" and doc.ents[0]._.linked_by != "kb_type"
    doc = annotate(nlp, "وصلوا إلى حسن نصرو", [("حسن نصرو", "GPE")])
    assert (doc.ents[0]._.entity, doc.ents[0].label_) == ("Nasro Village", "GPE")


def test_linker_leaves_offsets_and_tokens_untouched(linker_nlp):
    text = "وقال الرئيس فلاديمير بوتين للكرملين إن بوتن"
    doc = linker_nlp.make_doc(text)
    doc.ents = [doc.char_span(12, 26, "PER"), doc.char_span(27, 35, "ORG"), doc.char_span(39, 43, "PER")]
    before = ([t.text for t in doc], [(e.start_char, e.end_char, e.label_) for e in doc.ents])
    doc = linker_nlp(doc)
    assert ([t.text for t in doc], [(e.start_char, e.end_char, e.label_) for e in doc.ents]) == before
    assert all(text[e.start_char:e.end_char] == e.text for e in doc.ents)
    assert [e._.entity for e in doc.ents] == ["Vladimir Putin", "Kremlin", "Vladimir Putin"]


# ----------------------------------------------------------------------------- link_mention, romanize


def test_link_mention_for_speakers(linker_nlp):
    text = "قال سيرغي ماركوف إن. وقال المتحدث باسم الكرملين"
    doc = annotate(linker_nlp, text, [("سيرغي ماركوف", "PER")])
    assert link_mention(doc, "الكرملين").entity == "Kremlin"
    assert link_mention(doc, "البيت الأبيض").entity == "White House"
    assert link_mention(doc, "واشنطن").entity == "Washington, D.C."
    assert link_mention(doc, "ماركوف").linked_by == "coref_surname"
    role = link_mention(doc, "المتحدث باسم الكرملين")
    assert (role.entity, role.linked_by) == ("Dmitry Peskov", "kb_role")
    assert link_mention(doc, doc.ents[0]).entity == "Sergei Markov"
    assert link_mention(doc, "الخبير") is None
    guess = link_mention(doc, "إيفان كوزلوف", label="PER")
    assert guess.linked_by == "guess" and guess.kb_id is None


# ----------------------------------------------------------------------------- seeds


def _seed_rows(doc: Doc, doc_id: str) -> List[dict]:
    return [dict(doc_id=doc_id, ent_id=i, start=e.start_char, end=e.end_char, text=e.text, label=e.label_,
                 entity=e._.entity, kb_id=e._.kb_id) for i, e in enumerate(doc.ents)]


def _score(rows: List[dict], tmp_path: Path) -> dict:
    path = tmp_path / "entities.parquet"
    pd.DataFrame(rows).to_parquet(path)
    out = subprocess.run([sys.executable, str(SCORER), "--entities", str(path), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


needs_scorer = pytest.mark.skipif(not SCORER.exists() or not GOLD_ENTITIES.exists(), reason="no shared scorer/gold")


@needs_scorer
def test_seed_linking_on_gold_mentions(linker_nlp, tmp_path):
    """The linker alone: gold surfaces as entity spans (as found in the text), scored by score.py."""
    gold = [json.loads(line) for line in GOLD_ENTITIES.read_text(encoding="utf-8").splitlines() if line]
    rows = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        doc = linker_nlp.make_doc(text)
        spans = []
        for g in (g for g in gold if g["doc"] == path.stem):
            for surface in filter(None, g["surfaces"]):
                start = text.find(surface)
                while start >= 0:
                    spans.append(doc.char_span(start, start + len(surface), g["label"], alignment_mode="expand"))
                    start = text.find(surface, start + 1)
        doc.ents = filter_spans(spans)
        rows += _seed_rows(linker_nlp(doc), path.stem)
    scores = _score(rows, tmp_path)
    assert scores["entity_R"] >= 0.95 and scores["entity_linked"] >= 0.95


@needs_scorer
def test_seed_linking_after_ner(tmp_path):
    """The pipeline with the NER stage (when its model is installed) and the linker."""
    pytest.importorskip("arabic_geo_nlp.ner")
    nlp = agn.load()
    try:
        nlp.add_pipe("agn_ner")
    except (OSError, ValueError) as err:
        pytest.skip(f"NER model unavailable: {err}")
    nlp.add_pipe("agn_gazetteer")
    nlp.add_pipe("agn_linker")
    rows = []
    for path in sorted(SEEDS.glob("*.txt")):
        rows += _seed_rows(nlp(path.read_text(encoding="utf-8")), path.stem)
    assert _score(rows, tmp_path)["entity_linked"] >= 0.90


def test_ambiguous_alias_resolved_by_the_country_of_the_document(tmp_path):
    nlp = blank_nlp(kb=write_kb(tmp_path / "kb.tsv", ["\tZag Ministry (Iraq)\tORG\tوزارة الزغزغة\t\t\tIQ",
                                                      "\tZag Ministry (Saudi Arabia)\tORG\tوزارة الزغزغة\t\t\tSA"]))
    text = "قالت وزارة الزغزغة في بغداد إن العراق"
    doc = annotate(nlp, text, [("وزارة الزغزغة", "ORG"), ("بغداد", "GPE"), ("العراق", "GPE")])
    assert links(doc)[0] == ("وزارة الزغزغة", "Zag Ministry (Iraq)", "kb_context")
    assert link_mention(doc, "وزارة الزغزغة").entity == "Zag Ministry (Iraq)"
    alone = annotate(nlp, "قالت وزارة الزغزغة", [("وزارة الزغزغة", "ORG")])
    assert links(alone) == [("وزارة الزغزغة", None, None)]


@pytest.mark.parametrize("dateline, speaker", [
    ("24 يوليو 2015", "John Kerry"), ("3 مارس 2025", "Marco Rubio"), ("", "وزير الخارجية الأمريكي")])
def test_role_speaker_by_publication_date(tmp_path, dateline, speaker):
    """The whole pipeline: the cleaner finds the date, the quote's speaker (a role) is its holder then."""
    nlp = agn.load(kb=write_kb(tmp_path / "ministers.tsv", [
        "Q22316\tJohn Kerry\tPER\tجون كيري\t\tوزير الخارجية الأمريكي@2013-2017\tUS",
        "Q324546\tMarco Rubio\tPER\tماركو روبيو\t\tوزير الخارجية الأميركي@2025-\tUS"]))
    doc = nlp(f"واشنطن - {dateline}\n\nقال وزير الخارجية الأمريكي إن المحادثات مع إيران ستستمر الأسبوع المقبل في جنيف.")
    assert [q["speaker"] for q in doc._.quotes] == [speaker]


# ----------------------------------------------------------------------------- generic institution aliases


@pytest.fixture(scope="module")
def generic_nlp(tmp_path_factory):
    return blank_nlp(kb=write_kb(tmp_path_factory.mktemp("kb") / "institutions.tsv", [
        "\tZag Council (Iraq)\tORG\tمجلس الزغزغة العراقي|~مجلس الزغزغة\t\t\tIQ",
        "\tZag Council (Saudi Arabia)\tORG\tمجلس الزغزغة السعودي|~مجلس الزغزغة\t\t\tSA",
        "\tZig Senate (United States)\tORG\t~مجلس الزيزغة\t\t\tUS"]))


@pytest.mark.parametrize("text, mentions, expected", [
    # a nationality adjective or a country right after the noun decides
    ("قال مجلس الزغزغة العراقي إن", [("مجلس الزغزغة", "ORG")], "Zag Council (Iraq)"),
    ("قال مجلس الزغزغة في السعودية إن الرياض والعراق", [("مجلس الزغزغة", "ORG")], "Zag Council (Saudi Arabia)"),
    # the adjective inside the mention (no alias has it)
    ("قال مجلس الزيزغة الأمريكي إن", [("مجلس الزيزغة الأمريكي", "ORG")], "Zig Senate (United States)"),
    # else the document's dominant country (adjectives and linked places)
    ("زار الوفد العراقي بغداد ثم قال مجلس الزغزغة إن", [("بغداد", "GPE"), ("مجلس الزغزغة", "ORG")],
     "Zag Council (Iraq)"),
    ("أعلن لمجلس الزغزغة أن الحكومة السعودية والوزير السعودي", [("لمجلس الزغزغة", "ORG")], "Zag Council (Saudi Arabia)"),
    # linked people count, organisations do not (a US channel says nothing of a story's country)
    ("قال أوباما ثم أكد أوباما أن مجلس الزيزغة", [("أوباما", "PER"), ("أوباما", "PER"), ("مجلس الزيزغة", "ORG")],
     "Zig Senate (United States)"),
    ("نقلت فوكس نيوز ثم فوكس نيوز أن مجلس الزيزغة", [("فوكس نيوز", "ORG"), ("فوكس نيوز", "ORG"), ("مجلس الزيزغة", "ORG")],
     None),
    # no clear country: no link
    ("قال مجلس الزغزغة إن", [("مجلس الزغزغة", "ORG")], None),
    ("زار الوفد العراقي الرياض ثم قال مجلس الزغزغة إن", [("الرياض", "GPE"), ("مجلس الزغزغة", "ORG")], None),
    # the country's entry lacks the alias (Iraq has no Zig Senate): the mention stays unlinked
    ("قال مجلس الزيزغة العراقي إن", [("مجلس الزيزغة", "ORG")], None),
    # a bare noun without its article is no generic name
    ("قال مجلس زغزغة في العراق إن العراقيين", [("مجلس زغزغة", "ORG")], None),
])
def test_generic_alias_links_to_the_country_of_the_context(generic_nlp, text, mentions, expected):
    doc = annotate(generic_nlp, text, mentions)
    ent = [e for e in doc.ents if "زغ" in e.text][0]
    assert (ent._.entity, ent._.linked_by if expected else None) == (expected, "kb_generic" if expected else None)


def test_a_country_known_to_lack_the_institution_is_passed_over(generic_nlp):
    """The KB knows Iraq's institutions (packaged ministries) and Iraq has no Zig Senate: in an
    Iraqi story that talks about the US, مجلس الزيزغة is the US one."""
    text = "قال الجيش العراقي في بغداد وفي الموصل إن الوفد الأمريكي زار واشنطن حيث صوت مجلس الزيزغة"
    doc = annotate(generic_nlp, text, [("بغداد", "GPE"), ("الموصل", "GPE"), ("واشنطن", "GPE"), ("مجلس الزيزغة", "ORG")])
    assert links(doc)[-1] == ("مجلس الزيزغة", "Zig Senate (United States)", "kb_generic")


def test_generic_alias_for_a_speaker(generic_nlp):
    doc = annotate(generic_nlp, "قال مسؤول في بغداد إن العراق", [("بغداد", "GPE"), ("العراق", "GPE")])
    found = link_mention(doc, "مجلس الزغزغة")
    assert (found.entity, found.linked_by) == ("Zag Council (Iraq)", "kb_generic")


@pytest.mark.parametrize("text, expected", [
    ("قالت وزارة الداخلية العراقية في بيان إن القوات العراقية دخلت الرمادي. وأضافت وزارة الداخلية",
     "Ministry of Interior (Iraq)"),
    ("أعلنت وزارة الداخلية أن الأمن السعودي قبض على خلية، وأشاد مجلس الوزراء السعودي. وقالت وزارة الداخلية",
     "Ministry of Interior (Saudi Arabia)"),
])
def test_packaged_generic_ministries(linker_nlp, text, expected):
    doc = linker_nlp.make_doc(text)
    last = text.rindex("وزارة الداخلية")
    doc.ents = [doc.char_span(last, last + len("وزارة الداخلية"), label="ORG")]
    assert links(linker_nlp(doc)) == [("وزارة الداخلية", expected, "kb_generic")]


@pytest.mark.parametrize("text, expected", [
    ("قال المسؤول السعودي إن المملكة تدعم الرياض في قرار السعودية", "Saudi Arabia"),
    ("قال المسؤول الأردني إن المملكة تدعم الحكومة الأردنية", "Jordan"),
    ("قال المسؤول إن المملكة تدعم القرار", None),  # no country in the story
])
def test_the_kingdom_is_the_country_of_the_story(linker_nlp, text, expected):
    doc = linker_nlp.make_doc(text)
    start = text.index("المملكة")
    doc.ents = [doc.char_span(start, start + len("المملكة"), label="GPE")]
    assert links(linker_nlp(doc)) == [("المملكة", expected, "kb_generic" if expected else None)]


def test_generic_aliases_propose_no_ner_names():
    from arabic_geo_nlp.ner.gazetteer import kb_entries

    names = {alias for alias, *_ in kb_entries()}
    assert "وزارة الداخلية العراقية" in names
    assert not names & {"وزارة الداخلية", "الحكومة", "مجلس الشيوخ", "الجيش", "~وزارة الداخلية"}
