"""Entity linking (arabic_geo_nlp.link): variant rules, KB, coreference, guesses, user KB, seeds."""

import json
import subprocess
import sys
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import pandas as pd
import pytest
import spacy
from spacy.tokens import Doc
from spacy.util import filter_spans

import arabic_geo_nlp as agn
import arabic_geo_nlp.link as link
from arabic_geo_nlp.link import (
    Entry, KnowledgeBase, close_variants, has_function_word, link_mention, packaged_kb, romanize,
    skeleton_key, variant_key, variant_rules,
)

from .conftest import SEEDS, SHARED

SCORER = SHARED / "tools" / "score.py"
GOLD_ENTITIES = SHARED / "gold" / "seed_entities.jsonl"


@pytest.fixture(scope="module")
def linker_nlp():
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
    nlp.add_pipe("agn_linker")
    return nlp


def annotate(nlp, text: str, mentions: Sequence[Tuple[str, str]], occurrence: Sequence[int] = ()) -> Doc:
    """``text`` with ``doc.ents`` set to ``mentions`` ((surface, label), the n-th occurrence given
    by ``occurrence``, default the first after the previous mention), then run through ``nlp``."""
    doc = nlp.make_doc(text)
    spans, pos = [], 0
    for i, (surface, label) in enumerate(mentions):
        start = text.index(surface, pos)
        for _ in range(occurrence[i] if i < len(occurrence) else 0):
            start = text.index(surface, start + 1)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        spans.append(span)
        pos = start + len(surface)
    doc.ents = spans
    return nlp(doc)


def links(doc: Doc) -> List[Tuple[str, Optional[str], Optional[str]]]:
    return [(e.text, e._.entity, e._.linked_by) for e in doc.ents]


# ----------------------------------------------------------------------------- variant rules


@pytest.mark.parametrize("rule", variant_rules(), ids=lambda r: r.name)
def test_every_variant_rule_merges_its_example_and_is_needed(rule):
    key = skeleton_key if rule.tier == "skeleton" else variant_key
    assert key(rule.example) == key(rule.variant)
    without = [r for r in variant_rules() if r is not rule]
    assert key(rule.example, without) != key(rule.variant, without)


@pytest.mark.parametrize("a, b", [
    ("أون", "اون"), ("إسحاق", "اسحاق"), ("آسيا", "اسيا"),          # hamza on alef
    ("شؤون", "شوون"), ("إسرائيل", "اسراييل"),                       # hamza on waw / yeh
    ("موسى", "موسي"),                                             # ى / ي
    ("غزة", "غزه"),                                                # ة / ه
    ("بيونغ يانغ", "بيونغيانغ"), ("أبو ظبي", "أبوظبي"),            # spacing in compounds
    ("هو-جين", "هو جين"),                                          # hyphen
    ("بُوتِين", "بوتين"), ("بوتـــين", "بوتين"),                   # diacritics, tatweel
])
def test_normalization_level_variants_share_a_key(a, b):
    assert variant_key(a) == variant_key(b)


def test_skeleton_matching_needs_close_vowels():
    assert close_variants(variant_key("بوتن"), variant_key("بوتين"))
    assert close_variants(variant_key("أمريكا"), variant_key("أميركا"))
    assert not close_variants(variant_key("نولان"), variant_key("نيلون"))   # Nowlan vs Nealon
    assert variant_key("كييف") != variant_key("كيف")                     # Kyiv is not "how"


def test_variant_kb_lookups():
    kb = packaged_kb()
    assert [e.name for e in kb.candidates("بيونج يانج", "kb_variant")] == ["Pyongyang"]
    assert [e.name for e in kb.candidates("كيم جونج اون", "kb_variant")] == ["Kim Jong Un"]
    assert [e.name for e in kb.candidates("سيرجي شويجو", "kb_variant")] == ["Sergei Shoigu"]
    assert [e.name for e in kb.candidates("بوتن", "kb")] == ["Vladimir Putin"]
    assert [e.name for e in kb.candidates("NATO", "kb")] == ["NATO"]


# ----------------------------------------------------------------------------- KB data


def test_packaged_kb_rows_are_well_formed():
    kb = packaged_kb()
    assert len(kb) > 3000
    for entry in kb:
        assert entry.type in link.LABELS and entry.name and entry.id
        assert entry.qid is None or entry.id.startswith("Q")
        assert entry.aliases, entry.name
    for name, qid in [("Vladimir Putin", "Q7747"), ("Kim Jong Un", "Q56226"), ("Russia", "Q159"),
                      ("North Korea", "Q423"), ("China", "Q148"), ("United States", "Q30")]:
        assert any(e.name == name and e.qid == qid for e in kb), name


def test_curated_names_and_types_are_unique():
    text = link.data_file("curated.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith(("#", "id\t"))]
    keys = [(r[1].casefold(), r[2]) for r in rows]
    assert all(len(r) == len(link.KB_COLUMNS) for r in rows)
    assert len(keys) == len(set(keys))


# ----------------------------------------------------------------------------- linking steps


def test_exact_variant_and_proclitic_forms(linker_nlp):
    text = "قال للكرملين إن بيونج يانج في واشنطن مثل البيت الأبيض"
    doc = annotate(linker_nlp, text, [("للكرملين", "ORG"), ("بيونج يانج", "GPE"), ("واشنطن", "GPE"),
                                      ("البيت الأبيض", "ORG")])
    assert links(doc) == [("للكرملين", "Kremlin", "kb"), ("بيونج يانج", "Pyongyang", "kb_variant"),
                          ("واشنطن", "Washington", "kb"), ("البيت الأبيض", "White House", "kb")]
    assert doc.ents[0]._.link_score == pytest.approx(0.95)
    assert doc.ents[1]._.kb_id == "Q18808"


def test_letter_cut_by_ner_is_put_back(linker_nlp):
    doc = linker_nlp.make_doc("زار وبيونج يانج")
    with doc.retokenize() as retok:                       # what NER proclitic trimming may do
        retok.split(doc[1], ["وب", "يونج"], heads=[(doc[1], 1), (doc[1], 1)])
    doc.ents = [doc.char_span(6, 15, label="GPE")]
    doc = linker_nlp(doc)
    assert links(doc) == [("يونج يانج", "Pyongyang", "kb_variant")]


def test_surname_and_first_name_coreference(linker_nlp):
    text = "قال ألكسندر دوغين إن الحرب طويلة. وأضاف دوغين أن ألكسندر يعرف."
    doc = annotate(linker_nlp, text, [("ألكسندر دوغين", "PER"), ("دوغين", "PER"), ("ألكسندر", "PER")],
                   occurrence=[0, 0, 0])
    full, surname, first = doc.ents
    assert full._.linked_by == "guess" and full._.kb_id is None
    assert (surname._.entity, surname._.linked_by) == (full._.entity, "coref_surname")
    assert (first._.entity, first._.linked_by) == (full._.entity, "coref_first")


def test_surname_coreference_to_kb_person(linker_nlp):
    text = "قال سيرغي ماركوف المستشار السابق. ويوضح ماركوف أن"
    doc = annotate(linker_nlp, text, [("سيرغي ماركوف", "PER"), ("ماركوف", "PER")])
    assert links(doc) == [("سيرغي ماركوف", "Sergei Markov", "kb"), ("ماركوف", "Sergei Markov", "coref_surname")]


@pytest.mark.parametrize("text, surface", [
    ("وقال تشانغ هو جين للصحفيين. وقال السيد تشانغ إن", "تشانغ"),          # title before the span
    ("وقال تشانغ هو جين للصحفيين. وقال السيد تشانغ إن", "السيد تشانغ"),    # title inside the span
])
def test_title_and_surname_coreference(linker_nlp, text, surface):
    doc = annotate(linker_nlp, text, [("تشانغ هو جين", "PER"), (surface, "PER")])
    assert links(doc)[1] == (surface, "Chang Ho-jin", "coref_title")


def test_ambiguous_surname_is_not_merged(linker_nlp):
    text = "التقى كيم جونغ أون وشقيقته كيم يو جونغ. وقال كيم إن"
    doc = annotate(linker_nlp, text, [("كيم جونغ أون", "PER"), ("كيم يو جونغ", "PER"), ("كيم", "PER")],
                   occurrence=[0, 0, 0])
    assert links(doc) == [("كيم جونغ أون", "Kim Jong Un", "kb"), ("كيم يو جونغ", "Kim Yo Jong", "kb"),
                          ("كيم", None, None)]
    assert doc.ents[2]._.kb_id is None and doc.ents[2]._.link_score is None


def test_ambiguous_surname_with_title_evidence(linker_nlp):
    text = "التقى كيم جونغ أون وشقيقته كيم يو جونغ. وقال الزعيم كيم إن"
    doc = annotate(linker_nlp, text, [("كيم جونغ أون", "PER"), ("كيم يو جونغ", "PER"), ("كيم", "PER")],
                   occurrence=[0, 0, 0])
    assert links(doc)[2] == ("كيم", "Kim Jong Un", "coref_title")


def test_surname_before_the_full_name_links_with_a_lower_score(linker_nlp):
    text = "دوغين يحذر. قال ألكسندر دوغين إن"
    doc = annotate(linker_nlp, text, [("دوغين", "PER"), ("ألكسندر دوغين", "PER")])
    first, full = doc.ents
    assert (first._.entity, first._.linked_by) == (full._.entity, "coref_surname")
    assert first._.link_score < full._.link_score


def test_unknown_person_gets_a_flagged_guess(linker_nlp):
    doc = annotate(linker_nlp, "قال سيرغي كوزلوف إن", [("سيرغي كوزلوف", "PER")])
    ent = doc.ents[0]
    assert ent._.linked_by == "guess" and ent._.kb_id is None
    assert ent._.entity.startswith("Serg") and 0 < ent._.link_score < 0.7


def test_function_words_are_never_guessed(linker_nlp):
    doc = annotate(linker_nlp, "وقال إن على الجميع", [("على", "PER")])
    assert links(doc) == [("على", None, None)]
    assert has_function_word("كيم على") and not has_function_word("كيم علي")


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


def test_linker_leaves_offsets_and_tokens_untouched(linker_nlp):
    text = "وقال الرئيس فلاديمير بوتين للكرملين إن بوتن"
    doc = linker_nlp.make_doc(text)
    doc.ents = [doc.char_span(12, 26, "PER"), doc.char_span(27, 35, "ORG"), doc.char_span(39, 43, "PER")]
    before = ([t.text for t in doc], [(e.start_char, e.end_char, e.label_) for e in doc.ents])
    doc = linker_nlp(doc)
    assert ([t.text for t in doc], [(e.start_char, e.end_char, e.label_) for e in doc.ents]) == before
    assert all(text[e.start_char:e.end_char] == e.text for e in doc.ents)
    assert [e._.entity for e in doc.ents] == ["Vladimir Putin", "Kremlin", "Vladimir Putin"]


# ----------------------------------------------------------------------------- user KB


def test_user_kb_extends_and_overrides(tmp_path):
    user = tmp_path / "my_entities.tsv"
    user.write_text(
        "id\tname\ttype\taliases\tdescription\troles\n"
        "# a new actor and a new alias for a packaged one\n"
        "\tZagzagan Institute\tORG\tمعهد زغزغان|Zagzagan\tthink tank\t\n"
        "\tVladimir Putin\tPER\tالقيصر\t\t\n"
        "\tKim Jong Un\tPER\tكيم\t\t\n",
        encoding="utf-8")
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
    nlp.add_pipe("agn_linker", config={"kb": str(user)})
    text = "قال معهد زغزغان إن القيصر التقى كيم يو جونغ ثم كيم"
    doc = annotate(nlp, text, [("معهد زغزغان", "ORG"), ("القيصر", "PER"), ("كيم يو جونغ", "PER"), ("كيم", "PER")])
    assert links(doc) == [("معهد زغزغان", "Zagzagan Institute", "kb"), ("القيصر", "Vladimir Putin", "kb"),
                          ("كيم يو جونغ", "Kim Yo Jong", "kb"), ("كيم", "Kim Jong Un", "kb")]
    assert doc.ents[0]._.kb_id is None and doc.ents[1]._.kb_id == "Q7747"
    assert packaged_kb().candidates("القيصر", "kb") == []           # the packaged KB is unchanged


def test_kb_merges_rows_and_rejects_bad_ones(tmp_path):
    kb = KnowledgeBase()
    kb.add(Entry("", "Stimson Center", "ORG", ("مركز ستيمسون",)))
    kb.add(Entry("Q1", "Stimson Center", "ORG", ("ستيمسون",), "think tank"))
    entry = kb.get("stimson center", "ORG")
    assert (entry.id, entry.aliases, entry.description) == ("Q1", ("مركز ستيمسون", "ستيمسون"), "think tank")
    bad = tmp_path / "bad.tsv"
    bad.write_text("\tNobody\tPERSON\tأحد\t\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.tsv:1"):
        kb.add_file(bad)


# ----------------------------------------------------------------------------- link_mention, romanize


def test_link_mention_for_speakers(linker_nlp):
    text = "قال سيرغي ماركوف إن. وقال المتحدث باسم الكرملين"
    doc = annotate(linker_nlp, text, [("سيرغي ماركوف", "PER")])
    assert link_mention(doc, "الكرملين").entity == "Kremlin"
    assert link_mention(doc, "البيت الأبيض").entity == "White House"
    assert link_mention(doc, "واشنطن").entity == "Washington"
    assert link_mention(doc, "ماركوف").linked_by == "coref_surname"
    role = link_mention(doc, "المتحدث باسم الكرملين")
    assert (role.entity, role.linked_by) == ("Dmitry Peskov", "kb_role")
    assert link_mention(doc, doc.ents[0]).entity == "Sergei Markov"
    assert link_mention(doc, "الخبير") is None
    guess = link_mention(doc, "إيفان كوزلوف", label="PER")
    assert guess.linked_by == "guess" and guess.kb_id is None


def test_romanize_prefers_attested_spellings():
    assert romanize("ماركوف") == ("Markov", True)
    assert romanize("أسامة") == ("Osama", True)
    spelled, attested = romanize("زغزغان")
    assert spelled and spelled[0].isupper() and not attested


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
