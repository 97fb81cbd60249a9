"""NER: offline loading, labels, proclitic trimming, gazetteer word boundaries, merge, evaluation."""

from __future__ import annotations

import json
import pickle
import socket
import sys
from importlib import resources
from pathlib import Path

import pytest

import arabic_geo_nlp  # noqa: F401  (registers extensions)
from arabic_geo_nlp.ner import LABELS, Gazetteer, merge, propagate
from arabic_geo_nlp.ner.build import (
    CLDR_FILE, babel_territories, build_gazetteers, cldr_release, cldr_territories, write_cldr_territories,
)
from arabic_geo_nlp.cli import main
from arabic_geo_nlp.ner.commands import ner_pipeline
from arabic_geo_nlp.ner.corpora import Sentence, anercorp_split, read_anercorp
from arabic_geo_nlp.ner.evaluate import evaluate_corpus, score_spans
from arabic_geo_nlp.ner.gazetteer import (is_never_entity, is_stopword, kb_entries, load_gazetteer, named_after,
                                          proclitic_length)
from arabic_geo_nlp.ner.spans import proclitic_cut, trim_proclitics
from arabic_geo_nlp.ner.model import MODEL_FILE, CRFTagger, default_model_dir
from arabic_geo_nlp.ner.train import blank_nlp

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="module")
def ner():
    return ner_pipeline()


def ents(nlp, text):
    return [(e.text, e.label_, e.start_char) for e in nlp(text).ents]


def test_loads_offline_with_network_disabled(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    nlp = ner_pipeline()
    assert ("بوتين", "PER", 4) in ents(nlp, "قال بوتين إن موسكو لن تتراجع.")


def test_pipeline_pickles_for_multiprocessing(ner):
    text = "قال بوتين إن موسكو لن تتراجع."
    assert ents(pickle.loads(pickle.dumps(ner)), text) == ents(ner, text)


def test_packaged_model_is_small_and_found():
    model_dir = default_model_dir()
    assert (model_dir / MODEL_FILE).is_file()
    assert sum(p.stat().st_size for p in model_dir.iterdir()) < 50 * 2**20


def test_label_set(ner):
    assert CRFTagger.load(default_model_dir()).labels == ["LOC", "MISC", "ORG", "PER"]
    doc = ner("أعلن البيت الأبيض أن الرئيس جو بايدن سيزور القاهرة والشرق الأوسط وكأس العالم.")
    assert doc.ents and {e.label_ for e in doc.ents} <= set(LABELS)
    assert {e._.source for e in doc.ents} <= {"model", "gazetteer"}


@pytest.mark.parametrize("text, word, entity", [
    ("زار الوفد وإسرائيل أمس.", "وإسرائيل", "إسرائيل"),   # و cut: one character later
    ("قال متحدث باسم للكرملين إن", "للكرملين", "كرملين"),  # لل cut (ل + fused article)
    ("وتحدث عن لروسيا وحدها.", "لروسيا", "روسيا"),
    ("وصل إلى واشنطن أمس.", "واشنطن", "واشنطن"),          # a known name is never cut
    ("وصل إلى والصين أمس.", "والصين", "الصين"),           # a written article stays
    ("قال باحث في مركز ستيمسون إن", "مركز ستيمسون", "مركز ستيمسون"),
    ("وصل الرئيس الروسي إلى بيونج يانج أمس.", "بيونج يانج", "بيونج يانج"),  # ب of بيونج stays
    ("وقع الحادث قرب بريدة أمس.", "بريدة", "بريدة"),   # not ب + ريدة (a Yemeni town)
])
def test_entities_exclude_proclitics(ner, text, word, entity):
    start = text.index(word) + len(word) - len(entity)
    assert (entity, start) in {(t, s) for t, _, s in ents(ner, text)}


def test_future_particle_is_not_cut():
    assert proclitic_length("ستيمسون") == 0 and proclitic_length("وستيمسون") == 1


@pytest.mark.parametrize("words, cut", [
    (["وإسرائيل"], 1), (["للكرملين"], 2), (["لروسيا"], 1),
    (["ستيمسون"], 0), (["مركز", "ستيمسون"], 0),      # س is no nominal proclitic
    (["بيونج", "يانج"], 0), (["بيونج"], 0),          # ب of a known name's word stays
    (["لبيونج", "يانج"], 1), (["وبيونج", "يانج"], 1),  # ... a real proclitic before it goes
    (["واشنطن"], 0), (["لبنان"], 0),
])
def test_proclitic_cut_keeps_known_names(words, cut):
    assert proclitic_cut(words[0], words[1:]) == cut


@pytest.mark.parametrize("text, entity", [
    ("زار بيونج يانج أمس", "بيونج يانج"), ("زار لبيونج يانج أمس", "بيونج يانج"),
    ("قال وإسرائيل إن", "إسرائيل"), ("قال للكرملين إن", "كرملين"), ("قال ستيمسون إن", "ستيمسون"),
])
def test_trim_proclitics_on_set_entities(text, entity):
    nlp = blank_nlp()
    doc = nlp(text)
    word = text.split()[1] if len(entity.split()) == 1 else " ".join(text.split()[1:3])
    start = text.index(word)
    doc.ents = [doc.char_span(start, start + len(word), "GPE")]
    doc = trim_proclitics(doc)
    assert [(e.text, e.start_char) for e in doc.ents] == [(entity, text.index(word) + len(word) - len(entity))]
    assert doc.text == text


def test_gazetteer_has_kb_aliases():
    gaz = load_gazetteer()
    assert gaz.lookup(["فوستوشني"]) == ("LOC", True)                 # one-word alias, one KB entry
    assert gaz.lookup(["مكرتيشيف"]) == ("PER", True)
    assert gaz.match(["باحثة", "بالمرصد", "المصري"]) == [(1, 3, "ORG", True)]   # clitic stripped
    assert load_gazetteer(kb=False).lookup(["فوستوشني"]) is None
    assert all(not is_stopword(name) for name, *_ in kb_entries() if " " not in name)
    assert not any(name.isascii() for name, *_ in kb_entries())      # Arabic aliases only


def test_kb_alias_found_without_model(ner):
    text = "وتجول الزعيم في موقع فوستوشني الفضائي، كما قالت باحثة بالمرصد المصري."
    found = {(e.text, e.label_) for e in ner(text).ents}
    assert {("موقع فوستوشني الفضائي", "LOC"), ("المرصد المصري", "ORG")} <= found


def test_function_words_are_never_entities(ner):
    assert is_stopword("على") and is_stopword("وهو") and is_stopword("كيف") and not is_stopword("علي")
    for text in ("هو ما يفرض مخاطر على المنطقة.", "ولا نعرف كيف حدث ذلك.", "قال هو إن الأمر على ما يرام."):
        assert not [e for e in ner(text).ents if is_stopword(e.text)], text
    gaz = Gazetteer([("كيف", "GPE", "capital", True)])
    assert merge(["لا", "نعرف", "كيف"], [], gaz) == []


def test_months_currencies_formulas_titles_and_communities_are_never_entities(ner):
    assert is_never_entity(["نيسان"], "ORG") and is_never_entity(["وآذار"], "LOC")
    assert is_never_entity(["ريال", "سعودي"], "ORG") and not is_never_entity(["ريال"], "MISC")  # ANERcorp MISC
    assert is_never_entity(["لولي", "العهد"], "PER") and is_never_entity(["حفظهم", "الله"], "ORG")
    assert not is_never_entity(["ريال", "مدريد"], "ORG") and not is_never_entity(["حزب", "الله"], "ORG")
    assert not is_never_entity(["نصر", "الله"], "PER") and not is_never_entity(["منطقة", "اليورو"], "LOC")
    texts = ("وفي شهر نيسان الماضي دفع الزائر ألف ريال سعودي ثمنا للتذكرة.",
             "وقال إن الله عز وجل يرحمه الله، وإن معاليه وسموه حضرا اللقاء.",
             "ويعيش في المدينة الشيعة والسنة والأكراد منذ قرون.",
             "استقبل ولي العهد الوفد في الرياض.")
    for text in texts:
        found = [(e.text, e.label_) for e in ner(text).ents]
        assert not [x for x in found if is_never_entity(x[0].split(), x[1])], (text, found)
    assert ("الرياض", "GPE") in [(e.text, e.label_) for e in ner(texts[-1]).ents]
    assert is_never_entity(["شيعة"], "ORG") and is_never_entity(["وللدروز"], "ORG")
    assert not is_never_entity(["بلدروز"], "GPE")        # a town, not ب + ل + دروز
    found = [e.text for e in ner("وتراجع النمو في منطقة اليورو خلال الربع الثاني.").ents]
    assert "منطقة اليورو" in found and "اليورو" not in found, found   # a region, not the currency


def test_proclitic_cut_keeps_lexicon_names_and_gazetteer_cities():
    assert proclitic_cut("بريدة") == 0 and proclitic_cut("وبريدة") == 1   # not ب + the town ريدة
    assert proclitic_cut("وائل") == 0 and proclitic_cut("لاري", ["بيدج"]) == 0   # names as written
    assert proclitic_cut("وجون", ["كيري"]) == 1 and proclitic_cut("ولحج") == 1  # real proclitics still go
    assert proclitic_cut("وعدن") == 1


def test_places_named_after_a_person_are_not_that_person(ner):
    assert named_after("بمطار", "الملك") == "LOC" and named_after("جامعة", "الأمير") == "ORG"
    assert named_after("قال", "الملك") is None and named_after("مطار", "الرئيس") is None
    gaz = Gazetteer([])
    words = ["وصل", "الوفد", "إلى", "مطار", "الملك", "فهد", "الدولي"]
    assert merge(words, [(5, 7, "PER", "model")], gaz) == [(3, 7, "LOC", "model")]
    assert merge(words, [(4, 5, "PER", "model"), (5, 7, "PER", "model")], gaz) == [
        (4, 5, "PER", "model"), (5, 7, "PER", "model")]       # the title is someone else's entity
    assert merge(["قال", "الملك", "فهد"], [(2, 3, "PER", "model")], gaz) == [(2, 3, "PER", "model")]


def test_dotted_acronyms_are_one_entity_not_letters(ner):
    for text, acronym in (("قالت هيئة الإذاعة (بي.بي.سي) إن الوفد وصل.", "بي.بي.سي"),
                          ("وأصدر مكتب “إف. بي. آي” مذكرة توقيف.", "إف. بي. آي"),
                          ("وقالت قناة سي.إن.إن إن الوفد وصل.", "سي.إن.إن")):
        found = [e.text for e in ner(text).ents]
        assert acronym in found, (text, found)
        assert not [t for t in found if t in ("بي", "سي", "إف", "آي", "إن")], (text, found)
    found = [e.text for e in ner("وقال مذيع بي بي سي. في اليوم التالي عاد الوفد.").ents]
    assert not [t for t in found if t.endswith("في")], found     # في after a full stop is a word


def test_split_token_keeps_raw_text(ner):
    text = "التقى الوزير وإسرائيل وللكرملين."
    doc = ner(text)
    assert doc.text == text
    assert "".join(t.text_with_ws for t in doc) == text


def test_gazetteer_matches_whole_words_only():
    gaz = Gazetteer([("مالي", "GPE", "country", True), ("كوريا الشمالية", "GPE", "country", True)])
    words = ["الشمالية", "المالي", "ماليزيا", "ومالي", "كوريا", "الشمالية"]
    assert gaz.match(words) == [(3, 4, "GPE", True), (4, 6, "GPE", True)]


def test_packaged_gazetteer_word_boundary(ner):
    doc = ner("أطلقت كوريا الشمالية صاروخا وأعلنت مالي الحداد.")
    assert [e.text for e in doc.ents if e.text in ("مالي", "كوريا الشمالية")] == ["كوريا الشمالية", "مالي"]
    assert not [e for e in ner("قال وزير الشؤون المالية إن العجز المالي تراجع.").ents if e.text.endswith("مالي")]
    assert load_gazetteer().lookup(["لروسيا"]) == ("GPE", True)


def test_merge_rule():
    gaz = Gazetteer([("موسكو", "GPE", "city", True), ("كوريا الشمالية", "GPE", "country", True),
                     ("الأمم المتحدة", "ORG", "org", True), ("كان", "GPE", "city", False)])
    words = ["زار", "موسكو", "وكوريا", "الشمالية", "ثم", "الأمم", "المتحدة", "كان", "شمال", "موسكو"]
    model = [(1, 2, "LOC", "model"), (2, 3, "LOC", "model"), (8, 10, "LOC", "model")]
    assert merge(words, model, gaz) == [
        (1, 2, "GPE", "model"),             # 1. model LOC spelled as a GPE -> GPE
        (2, 4, "GPE", "gazetteer"),         # 3. a longer gazetteer name replaces what it contains
        (5, 7, "ORG", "gazetteer"),         # 2. gazetteer-only name added ...
        (8, 10, "LOC", "model"),            # ... but never across a model entity (موسكو inside)
    ]                                       # and كان (a common word) is never added


def test_ordinary_word_names_relabel_but_are_never_added():
    from arabic_geo_nlp.ner.gazetteer import is_addable, ordinary_words

    gaz = load_gazetteer()
    # the adjective "Arab" spells the channel العربية; البحر "the sea" spells a town
    assert {"العربيه", "البحر"} <= ordinary_words() and "موسكو" not in ordinary_words()
    assert gaz.lookup(["العربية"]) == ("ORG", False) and gaz.lookup(["قناة", "العربية"]) == ("ORG", True)
    assert gaz.lookup(["موسكو"]) == ("GPE", True)
    assert is_addable("مالي", "country")  # countries are always added: مالي is also "financial"
    words = ["أكدت", "الدول", "العربية", "أن", "البحر", "هادئ"]
    assert merge(words, [], gaz) == []
    assert merge(words, [(4, 5, "LOC", "model")], gaz) == [(4, 5, "GPE", "model")]  # relabelled


def test_document_consistency():
    sents = [["التقى", "ياسر", "عرفات"], ["وقال", "عرفات", "إن"], ["عاد", "عرفات"]]
    assert propagate(sents, [[(1, 3, "PER")], [], [(1, 2, "LOC")]]) == [
        [(1, 3, "PER")], [(1, 2, "PER")], [(1, 2, "LOC")]]


def test_score_spans_per_label_and_overall():
    gold = [(0, 0, 5, "PER"), (0, 6, 9, "LOC"), (1, 0, 4, "ORG"), (1, 5, 9, "PER")]
    pred = [(0, 0, 5, "PER"), (0, 6, 9, "ORG"), (1, 0, 4, "ORG"), (1, 5, 8, "PER"), (1, 10, 12, "MISC")]
    s = score_spans(gold, pred)
    assert s["overall"] == {"precision": 0.4, "recall": 0.5, "f1": 0.4444, "support": 4, "predicted": 5}
    assert s["PER"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2, "predicted": 2}
    assert s["ORG"]["precision"] == 0.5 and s["ORG"]["recall"] == 1.0
    assert s["LOC"]["f1"] == 0.0 and s["MISC"]["support"] == 0


def test_evaluate_corpus_on_hand_made_corpus(tmp_path):
    """Three gold entities; the fake tagger finds one exactly, one with a wrong span, one extra."""
    corpus = tmp_path / "tiny.conll"
    corpus.write_text("قال O\nبوتين B-PERS\n. O\n\nزار O\nكوريا B-LOC\nالشمالية I-LOC\nوإيران B-LOC\n. O\n",
                      encoding="utf-8")
    nlp = blank_nlp()

    @nlp.component("fake_tagger")
    def fake_tagger(doc):
        spans = {"قال بوتين .": [(4, 9, "PER")],
                 "زار كوريا الشمالية وإيران .": [(4, 9, "GPE"), (0, 3, "MISC")]}[doc.text]
        doc.ents = [doc.char_span(s, e, label=lab) for s, e, lab in spans]
        return doc

    nlp.add_pipe("fake_tagger")
    scores = evaluate_corpus(nlp, corpus)
    assert scores["overall"] == {"precision": 0.3333, "recall": 0.3333, "f1": 0.3333, "support": 3, "predicted": 3}
    assert scores["PER"]["f1"] == 1.0
    assert scores["LOC"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 2, "predicted": 1}  # GPE folded


def test_evaluate_trims_gold_proclitics(tmp_path):
    corpus = tmp_path / "clitic.conll"
    corpus.write_text("زار O\nوإيران B-LOC\n. O\n", encoding="utf-8")
    scores = evaluate_corpus(ner_pipeline(), corpus)
    assert scores["overall"]["f1"] == 1.0


def test_evaluate_command_prints_json(tmp_path, capsys):
    corpus = tmp_path / "clitic.conll"
    corpus.write_text("زار O\nوإيران B-LOC\n. O\n", encoding="utf-8")
    assert main(["evaluate", "ner", "--corpus", str(corpus)]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["overall"]["f1"] == 1.0 and scores["LOC"]["support"] == 1


@pytest.mark.skipif(not (SHARED_DATA / "anercorp").is_dir(), reason="needs ../shared/data")
def test_anercorp_split_is_fixed():
    split = anercorp_split(read_anercorp(SHARED_DATA))
    size = lambda sents: sum(len(s.tokens) for s in sents)  # noqa: E731
    assert 24_000 < size(split.test) < 25_500
    assert 12_000 < size(split.dev) < 13_000
    assert size(split.train) + size(split.dev) >= 125_000 > size(split.train) + size(split.dev) - 100
    assert all(s.tokens[-1] == "." for s in split.train + split.dev)


@pytest.mark.skipif(not (SHARED_DATA / "gazetteers").is_dir(), reason="needs ../shared/data")
def test_packaged_gazetteers_are_rebuilt_identically(tmp_path, monkeypatch):
    """From ../shared/data and the committed CLDR snapshot, whichever Babel is installed (or none)."""
    monkeypatch.setitem(sys.modules, "babel", None)  # the build must not read the installed Babel
    build_gazetteers(SHARED_DATA, tmp_path)
    data = resources.files("arabic_geo_nlp.data")
    for name in ("gazetteer_places.tsv", "gazetteer_names.tsv.gz", "gazetteer_ordinary.txt.gz"):
        assert (tmp_path / name).read_bytes() == data.joinpath(name).read_bytes(), name
    assert f"({CLDR_FILE}: {cldr_release()};" in (tmp_path / "gazetteer_places.tsv").read_text(encoding="utf-8")


def test_cldr_snapshot_is_what_its_babel_release_gives(tmp_path):
    """Refreshing the snapshot writes the installed Babel's table and release; under the release
    the committed snapshot records, that is the committed snapshot, byte for byte."""
    pytest.importorskip("babel")
    release = write_cldr_territories(tmp_path / CLDR_FILE)
    table = cldr_territories(tmp_path / CLDR_FILE)
    assert cldr_release(tmp_path / CLDR_FILE) == release and table == babel_territories()[0]
    assert table["EG"] == ("مصر", "Egypt") and table["145"][1] == "Western Asia"
    if release.split(",")[0] != cldr_release().split(",")[0]:
        pytest.skip(f"installed {release}, snapshot from {cldr_release()}: not comparable byte for byte")
    committed = resources.files("arabic_geo_nlp.data").joinpath(CLDR_FILE).read_bytes()
    assert (tmp_path / CLDR_FILE).read_bytes() == committed


def test_sentence_spans_open_on_stray_inside_tag():
    assert Sentence(["a", "b", "c"], ["I-ORG", "I-ORG", "B-PER"]).spans() == [(0, 2, "ORG"), (2, 3, "PER")]


SCORER_SENTENCES = [
    "قال الرئيس الروسي فلاديمير بوتين في موسكو إن العلاقات مع واشنطن متوترة .",
    "وأعلنت وزارة الخارجية الأمريكية أن الوزير سيزور بكين ولندن الأسبوع المقبل .",
    "التقى كيم جونغ أون بالرئيس الكوري الجنوبي في بيونج يانج .",
    "، . 2024 NATO G7 ( ) والاتحاد الأوروبي",
    "بوتين",
]


def test_fast_scorer_gives_crfsuite_tags():
    tagger = CRFTagger.load(default_model_dir())
    sents = [s.split() for s in SCORER_SENTENCES] + [[]]
    assert tagger.tag_many(sents) == [tagger.tag_crfsuite(s) for s in sents]


def test_fast_scorer_with_a_small_word_table_gives_the_same_tags():
    """Kept word types are bounded (least recently used make way), never while a call reads them."""
    from arabic_geo_nlp.ner.model import CRFScorer, MODEL_FILE

    tagger = CRFTagger.load(default_model_dir())
    sents = [s.split() for s in SCORER_SENTENCES]
    tagger.scorer = CRFScorer(default_model_dir() / MODEL_FILE, tagger.featurizer, max_words=8)
    expected = [tagger.tag_crfsuite(s) for s in sents]
    assert [tagger.tag(s) for s in sents] == expected  # earlier sentences' words make way
    assert len(tagger.scorer._ids) <= 8
    assert tagger.tag_many(sents) == expected  # one call reading more than 8 word types


@pytest.mark.skipif(not (SHARED_DATA / "anercorp").is_dir(), reason="needs ../shared/data")
def test_fast_scorer_gives_crfsuite_tags_with_every_feature_group(tmp_path):
    """A small model trained with the optional feature groups (±3 window, conjunctions,
    word clusters, their subword fallback and conjunctions, name contexts): the numpy decoder
    still gives CRFsuite's tags."""
    import shutil

    import numpy as np

    from arabic_geo_nlp.ner.clusters import CLUSTERS_FILE, SUBWORDS_FILE, SubwordClusters, write_cluster_table
    from arabic_geo_nlp.ner.contexts import CONTEXTS_FILE, write_profiles
    from arabic_geo_nlp.ner.model import train_crf
    from arabic_geo_nlp.ner.nameness import NAMENESS_FILE
    from arabic_geo_nlp.ner.selftrain import SELFTRAIN_FILE, write_shares
    from arabic_geo_nlp.ner.train import doc_to_bio
    from arabic_geo_nlp.ner.corpora import sentence_to_doc

    shutil.copy(default_model_dir() / NAMENESS_FILE, tmp_path / NAMENESS_FILE)
    words = ["بوتين", "موسكو", "الرئيس", "قال", "وزير"]
    write_cluster_table(words, [np.array([0, 1, 0, 1, 0]), np.array([0, 1, 2, 3, 2])], [2, 4],
                        tmp_path / CLUSTERS_FILE)
    SubwordClusters(["ستان", "تان>"], np.array([[0, 1], [0, 1]], dtype=np.float16), np.eye(2, dtype=np.float32),
                    np.array([[0, 1], [1, 3]]), 3, 4).save(tmp_path / SUBWORDS_FILE)
    prior = {"PER": 0.05, "ORG": 0.05, "LOC": 0.05, "MISC": 0.02}
    write_profiles({"بوتين": {"PER": 0.5, "ORG": 0.01, "LOC": 0.05, "MISC": 0.02},
                    "موسكو": {"PER": 0.01, "ORG": 0.05, "LOC": 0.3, "MISC": 0.02}}, prior, tmp_path / CONTEXTS_FILE)
    write_shares({"بوتين": {"PER": 0.95, "ORG": 0.0, "LOC": 0.0, "MISC": 0.0},
                  "قال": {"PER": 0.0, "ORG": 0.0, "LOC": 0.0, "MISC": 0.0}}, tmp_path / SELFTRAIN_FILE)
    nlp = blank_nlp()
    sents = read_anercorp(SHARED_DATA)[:300]
    data = [doc_to_bio(sentence_to_doc(nlp, s)) for s in sents]
    features = {"far": ["w=", "s=", "lex=", "nm"], "wide": ["lex=", "nm", "gaz="], "conj": True,
                "context_conj": True, "clusters": [2, 4], "cluster_window": 2, "cluster_conj": True, "contexts": True,
                "selftrain": True, "affix4": True, "subwords": True, "cluster_pairs": True}
    train_crf(data[:250], tmp_path, {"c1": 0.05, "c2": 0.05, "max_iterations": 30}, {"features": features})
    tagger = CRFTagger.load(tmp_path)
    assert tagger.featurizer.offsets == (-3, -2, -1, 1, 2, 3)
    assert "wc4=0" in tagger.featurizer.word("وبوتين") and "wc=none" in tagger.featurizer.word("كلمةنادرة")
    assert "cxPER=3" in tagger.featurizer.word("وبوتين") and "-1:cxLOC=2" in tagger.featurizer.views("موسكو")[-1]
    assert "stPER=hi" in tagger.featurizer.word("وبوتين") and "st=O" in tagger.featurizer.word("قال")
    assert "1:stPER=hi" in tagger.featurizer.views("بوتين")[1] and "st=none" in tagger.featurizer.word("موسكو")
    assert "x4=ستان" in tagger.featurizer.word("وأفغانستان")
    assert {"wc4=3", "pfx*wc=و|1"} <= set(tagger.featurizer.word("وطاجيكستان"))
    assert "pwc*wc=2=1|2=1" in tagger.featurizer.pair("موسكو", "طاجيكستان")[0]
    words = [w for w, _ in data[250:]] + [s.split() for s in SCORER_SENTENCES]
    assert tagger.tag_many(words) == [tagger.tag_crfsuite(w) for w in words]


def test_nested_clusters_coarse_ids_follow_fine_ones():
    """A coarse cluster is a union of fine ones; words along one direction share clusters."""
    import numpy as np

    from arabic_geo_nlp.ner.clusters import nested_clusters

    rng = np.random.default_rng(1)
    centres = np.eye(6)
    vec = np.concatenate([c + 0.05 * rng.standard_normal((20, 6)) for c in centres])
    coarse, fine = nested_clusters(vec, (3, 6), seed=0)
    assert len(set(fine.tolist())) == 6 and len(set(coarse.tolist())) == 3
    assert all(len(set(coarse[fine == f].tolist())) == 1 for f in set(fine.tolist()))
    assert all(len(set(fine[k * 20:(k + 1) * 20].tolist())) == 1 for k in range(6))


def test_cluster_table_round_trip(tmp_path):
    import numpy as np

    from arabic_geo_nlp.ner.clusters import read_cluster_table, write_cluster_table

    path = write_cluster_table(["الرياض", "جدة"], [np.array([1, 1]), np.array([5, 7])], [2, 8],
                               tmp_path / "c.tsv.gz", header="two words")
    assert read_cluster_table(path) == ((2, 8), {"الرياض": ("1", "5"), "جدة": ("1", "7")})


def test_vector_corpus_keys_and_excluded_articles(tmp_path):
    """News articles are read as key sentences; an article named in the excluded folder is not."""
    import gzip

    from arabic_geo_nlp.ner.vectors import corpus_sentences

    news = tmp_path / "data" / "saudinewsnet"
    news.mkdir(parents=True)
    rows = [{"id": "a1", "text": "عنوان الخبر\n\nقال الرئيس إن والرياض مدينة كبيرة. وصل 12 صحفيا"},
            {"id": "a2", "text": "خبر محذوف"}]
    with gzip.open(news / "saudinewsnet.jsonl.gz", "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "a2.txt").write_text("x", encoding="utf-8")
    sents = corpus_sentences(tmp_path / "data", tmp_path / "gold")
    assert sents == [["عنوان", "الخبر"], ["قال", "الرييس", "ان", "الرياض", "مدينه", "كبيره"],
                     ["وصل", "<num>", "صحفيا"]]


def test_train_vectors_on_tiny_corpus(tmp_path):
    """Vectors and the cluster table from a small made-up corpus: words used alike (city names,
    person names) end up nearest to each other, and every frequent word gets a cluster."""
    pytest.importorskip("gensim")
    import gzip
    import random

    from arabic_geo_nlp.ner.clusters import CLUSTERS_FILE, read_cluster_table
    from arabic_geo_nlp.ner.vectors import train_vectors

    rng = random.Random(0)
    cities, people = ["الرياض", "جدة", "القاهرة", "بيروت"], ["بوتين", "أوباما", "هولاند", "ميركل"]
    texts = []
    for _ in range(400):
        texts.append(f"وصل الوفد إلى {rng.choice(cities)} أمس. وقال الرئيس {rng.choice(people)} في كلمة"
                     f" إن المحادثات في {rng.choice(cities)} كانت مثمرة.")
    data = tmp_path / "data" / "saudinewsnet"
    data.mkdir(parents=True)
    with gzip.open(data / "saudinewsnet.jsonl.gz", "wt", encoding="utf-8") as f:
        f.writelines(json.dumps({"id": f"t{k}", "text": t}, ensure_ascii=False) + "\n" for k, t in enumerate(texts))
    meta = train_vectors(tmp_path / "data", tmp_path / "out",
                         {"vector_size": 16, "epochs": 20, "workers": 1, "sizes": [2, 4], "min_count": 2, "sample": 0})
    sizes, table = read_cluster_table(tmp_path / "out" / CLUSTERS_FILE)
    assert sizes == (2, 4) and {"الرياض", "بوتين", "قال"} <= set(table)
    assert meta["data"]["tokens"] > 5000
    near = meta["neighbours"]["بوتين"]
    first_city = min(near.index(c) for c in ("الرياض", "جده", "القاهره", "بيروت") if c in near)
    assert all(near.index(p) < first_city for p in ("اوباما", "هولاند", "ميركل")), near


def test_self_training_list_from_tagged_news(tmp_path):
    """News sentences are tagged in pieces of bounded length; a word tagged PER at most of its
    occurrences gets a high PER level, a word never tagged gets ``st=O``, a rare word none."""
    from arabic_geo_nlp.ner.selftrain import SELFTRAIN_FILE, label_shares, read_shares, tag_news, write_shares

    def tag_many(sentences):
        assert all(0 < len(s) <= 120 for s in sentences)
        return [["B-PER" if w == "ماكرون" and i > 0 and s[i - 1] == "الرئيس" else "O" for i, w in enumerate(s)]
                for s in sentences]

    news = [["قال", "الرئيس", "ماكرون"]] * 9 + [["ماكرون", "قال"]] + [["نادرة"] * 2] + [["قال"] * 250]
    sentences, tags = tag_news(tag_many, news)
    assert [len(s) for s in sentences[-3:]] == [120, 120, 10] and sum(map(len, sentences)) == sum(map(len, news))
    shares = label_shares(tags, sentences, min_count=3)
    assert shares["ماكرون"]["PER"] == 0.9 and "نادرة" not in shares
    table = read_shares(write_shares(shares, tmp_path / SELFTRAIN_FILE))
    assert table["ماكرون"] == ("stPER=hi",) and table["قال"] == ("st=O",) and table["الرئيس"] == ("st=O",)


def test_subword_clusters_round_trip_and_nearest_centroid(tmp_path):
    """A word outside the cluster table gets the ids of the centroid its known n-grams point to;
    a word with no known n-gram gets none; the table survives saving."""
    import numpy as np

    from arabic_geo_nlp.ner.clusters import SubwordClusters, char_ngrams

    assert char_ngrams("ab", 2, 3) == ["<a", "ab", "b>", "<ab", "ab>"]
    grams = ["<كا", "كاب", "ستان", "تان>"]
    vectors = np.array([[1, 0], [1, 0.2], [0, 1], [0.1, 1]], dtype=np.float16)
    sub = SubwordClusters(grams, vectors, np.array([[1, 0], [0, 1]], dtype=np.float32),
                          np.array([[0, 3], [1, 8]]), 3, 4)
    loaded = SubwordClusters.load(sub.save(tmp_path / "s.npz"))
    for table in (sub, loaded):
        assert table.assign("كابول") == ("0", "3")
        assert table.assign("طاجيكستان") == ("1", "8")
        assert table.assign("زيد") is None


def test_fasttext_vectors_give_clusters_to_unseen_words(tmp_path):
    """``train vectors`` with fastText also writes the subword table; the featurizer of a model
    with ``"subwords"`` gives a word the news never had cluster ids instead of ``wc=none``."""
    pytest.importorskip("gensim")
    import gzip
    import random

    from arabic_geo_nlp.ner.clusters import CLUSTERS_FILE, SUBWORDS_FILE, SubwordClusters, read_cluster_table
    from arabic_geo_nlp.ner.features import Featurizer

    rng = random.Random(0)
    cities, people = ["الرياض", "جدة", "القاهرة", "بيروت"], ["بوتين", "أوباما", "هولاند", "ميركل"]
    texts = [f"وصل الوفد إلى {rng.choice(cities)} أمس. وقال الرئيس {rng.choice(people)} في كلمة." for _ in range(300)]
    data = tmp_path / "data" / "saudinewsnet"
    data.mkdir(parents=True)
    with gzip.open(data / "saudinewsnet.jsonl.gz", "wt", encoding="utf-8") as f:
        f.writelines(json.dumps({"id": f"t{k}", "text": t}, ensure_ascii=False) + "\n" for k, t in enumerate(texts))
    from arabic_geo_nlp.ner.vectors import train_vectors

    meta = train_vectors(tmp_path / "data", tmp_path / "out",
                         {"method": "fasttext", "vector_size": 16, "epochs": 10, "workers": 1, "sizes": [2, 4],
                          "min_count": 2, "sample": 0, "bucket": 5000, "subword_min_words": 1})
    assert meta["subword_ngrams"] > 0
    clusters = read_cluster_table(tmp_path / "out" / CLUSTERS_FILE)
    subwords = SubwordClusters.load(tmp_path / "out" / SUBWORDS_FILE)
    assert "بوتيني" not in clusters[1] and subwords.assign("بوتيني") is not None
    config = {"clusters": [2, 4], "subwords": True}
    feats = Featurizer(config=config, clusters=clusters, subwords=subwords).word("بوتيني")
    assert "wc=none" not in feats and sum(f.startswith(("wc2=", "wc4=")) for f in feats) == 2
    assert "wc=none" in Featurizer(config={"clusters": [2, 4]}, clusters=clusters).word("بوتيني")
    own = Featurizer(config={"clusters": [2, 4], "subword_feats": True}, clusters=clusters, subwords=subwords)
    assert sum(f.startswith(("sw2=", "sw4=")) for f in own.word("بوتين")) == 2
    assert any(f.startswith("1:sw2=") for f in own.views("بوتين")[1])
