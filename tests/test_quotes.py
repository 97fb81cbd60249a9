"""Quotation extraction (``agn_quotes``): hand-written articles, one test per case, the seed score."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.tokens import Doc

import arabic_geo_nlp as agn
from arabic_geo_nlp.analysis import speakers
from arabic_geo_nlp.quotes.spans import quote_marks

from .conftest import SEEDS

TEXTS = Path(__file__).resolve().parent / "texts"
SHARED = Path(__file__).resolve().parents[2] / "shared"
ARTICLES = sorted(p.stem for p in TEXTS.glob("quotes_*.json"))


def _pipeline(full: bool):
    """The full pipeline, or the rules alone (no NER, no linking: speakers stay Arabic mentions)."""
    return agn.load() if full else agn.load(exclude=["ner", "gazetteer", "linker"])


@pytest.fixture(scope="module", params=[False, True], ids=["rules", "full"])
def qnlp(request):
    return _pipeline(request.param)


def quotes_of(nlp, text):
    return nlp(text)._.quotes


def one(nlp, text):
    qs = quotes_of(nlp, text)
    assert len(qs) == 1, qs
    return qs[0]


# -- the hand-written articles (Gulf, Iran, Ukraine, UN, Lebanon) -------------------------------

@pytest.mark.parametrize("name", ARTICLES)
def test_article(qnlp, name):
    raw = (TEXTS / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((TEXTS / f"{name}.json").read_text(encoding="utf-8"))
    got = quotes_of(qnlp, raw)
    for q in got:
        assert raw[q["start"]:q["end"]] == q["text"]
        assert raw[q["speaker_start"]:q["speaker_end"]] == q["speaker_mention"]
        assert q["text"] not in expected["not_quotes"]
    by_text = {q["text"]: q for q in got}
    for want in expected["quotes"]:
        assert want["text"] in by_text, (want["text"], [q["text"] for q in got])
        q = by_text[want["text"]]
        linked = "linker" in qnlp.pipe_names
        fields = ["speaker_mention", "kind", "attribution"]
        if "gazetteer" in qnlp.pipe_names or want["speaker_label"] in ("PER", "GROUP"):
            fields.append("speaker_label")  # GPE vs ORG needs the gazetteer
        for field in fields:
            assert q[field] == want[field], (field, want["text"], q)
        if linked and q["speaker"] != want["speaker"]:  # a canonical English name from the KB
            assert not re.search("[\u0600-\u06ff]", q["speaker"]), (want["text"], q)
        else:
            assert q["speaker"] == want["speaker"], (want["text"], q)
        if want["speaker_role"]:
            assert q["speaker_role"] == want["speaker_role"], q
    assert len(got) == len(expected["quotes"]), [q["text"] for q in got]


# -- one test per case of the issue -----------------------------------------------------------

CASES = [
    # (text, quote text, speaker, kind, attribution)
    ("قال الوزير أحمد سالم: «الحدود مغلقة».", "الحدود مغلقة", "أحمد سالم", "direct", "explicit"),
    ("“الحدود مغلقة”، قال الوزير أحمد سالم.", "الحدود مغلقة", "أحمد سالم", "direct", "explicit"),
    ('وقالت الحكومة: "لن نتراجع".', "لن نتراجع", "الحكومة", "direct", "explicit"),
    ("قال البيت الأبيض إن الرئيس سيزور الخليج.", "الرئيس سيزور الخليج", "البيت الأبيض", "indirect", "explicit"),
    ("ويقول محللون إن الاتفاق هش، حيث لا توجد ضمانات.", "الاتفاق هش", "محللون", "indirect", "group"),
    ("تراجعت صادرات النفط الإيرانية إلى النصف، حسبما يقول مسؤولون في طهران.",
     "تراجعت صادرات النفط الإيرانية إلى النصف", "مسؤولون في طهران", "indirect", "group"),
    ("وبحسب وزارة الدفاع، فإن الهجوم فشل.", "الهجوم فشل", "وزارة الدفاع", "indirect", "explicit"),
    ("ونقلت الوكالة عن الوزير سامي حداد قوله إن المحادثات مستمرة.", "المحادثات مستمرة", "سامي حداد", "indirect",
     "explicit"),
    ("وأدانت الجامعة العربية “بشدة” القصف الأخير.", "بشدة", "الجامعة العربية", "mixed", "explicit"),
    ("قالت المحللة، سارة خان، إن الضربة محدودة.", "الضربة محدودة", "سارة خان", "indirect", "apposition"),
    ("وتابع السفير كمال زيد: الحوار هو الحل.", "الحوار هو الحل", "كمال زيد", "direct", "explicit"),
]


@pytest.mark.parametrize("text, quote, speaker, kind, attribution", CASES)
def test_case(qnlp, text, quote, speaker, kind, attribution):
    q = one(qnlp, text)
    assert (q["text"], q["speaker_mention"], q["kind"], q["attribution"]) == (quote, speaker, kind, attribution)
    if "linker" not in qnlp.pipe_names:  # without linking the speaker is the Arabic mention
        assert q["speaker"] == speaker


def test_svo_and_pronoun_agreement(qnlp):
    text = ("التقى الوزير خالد منصور بالسفيرة هند يوسف. بعض الخبراء في لندن توقعوا أن “الأزمة ستطول”. "
            "وقال الوزير خالد منصور إن الحوار مستمر. وتقول هند يوسف إن بلادها مستعدة. ويضيف أن الوقت ينفد.")
    qs = quotes_of(qnlp, text)
    assert [(q["speaker"], q["attribution"]) for q in qs] == [
        ("بعض الخبراء في لندن", "group"), ("خالد منصور", "explicit"), ("هند يوسف", "explicit"),
        ("خالد منصور", "pronoun")]


def test_surname_title_and_nominal(qnlp):
    text = ("وقال نائب وزير الخارجية ماجد عيسى إن الاتصالات مستمرة. وأضاف السيد عيسى أن الرد قريب. "
            "ويقول نائب الوزير إن الباب مفتوح.")
    qs = quotes_of(qnlp, text)
    assert [(q["speaker"], q["speaker_mention"], q["attribution"]) for q in qs] == [
        ("ماجد عيسى", "ماجد عيسى", "explicit"), ("ماجد عيسى", "عيسى", "surname"),
        ("ماجد عيسى", "نائب الوزير", "nominal")]


def test_nested_and_continuation(qnlp):
    text = "ويقول السفير علي نور: “إن ما يسمى “الحل المؤقت” لن يصمد طويلا”. “ولن نقبل به تحت أي ضغط أو تهديد”."
    qs = quotes_of(qnlp, text)
    assert [q["text"] for q in qs] == ["إن ما يسمى “الحل المؤقت” لن يصمد طويلا", "ولن نقبل به تحت أي ضغط أو تهديد"]
    assert [q["attribution"] for q in qs] == ["explicit", "continuation"]


def test_headlines(qnlp):
    text = "الوزير للصحفيين: لا تراجع عن الاتفاق\n\nقال وزير الخارجية سعد النوراني إن الاتفاق نهائي."
    q = quotes_of(qnlp, text)[0]
    assert (q["text"], q["speaker_mention"], q["speaker"], q["attribution"]) == (
        "لا تراجع عن الاتفاق", "الوزير", "سعد النوراني", "nominal")
    assert quotes_of(qnlp, "ما وراء القمة: ما يسعى الزعماء إلى تحقيقه\n\nالتعاون العسكري: تأتي هذه الزيارة في وقت حرج.") == []


@pytest.mark.parametrize("text", [
    "ويسعى الطرفان إلى بناء “عالم متعدد الأقطاب” جديد.",
    'وتعرف الأيديولوجيا الرسمية باسم "جوتشي" منذ عقود.',
    "وهو بمثابة «شبه» التزام بالدفاع المشترك.",
    'وكان خطابه بعنوان "مشاريع تأسيس الاعتماد على النفس" في المؤتمر.',
    "ترى روسيا أن التحالف رادع رئيسي.",
])
def test_not_quotes(qnlp, text):
    assert quotes_of(qnlp, text) == []


def test_quote_marks_pairing():
    text = 'قال: “أ “ب” ج”. ثم «د» و"هـ" و"و\n\nز'
    got = [(text[m.inner_start:m.inner_end], m.depth, m.close is None) for m in quote_marks(text)]
    assert got == [("أ “ب” ج", 0, False), ("ب", 1, False), ("د", 0, False), ("هـ", 0, False), ("و", 0, True)]


def test_quotes_survive_serialization(qnlp):
    doc = qnlp("قال الكرملين: “الزيارة ناجحة”.")
    again = Doc(qnlp.vocab).from_bytes(doc.to_bytes())
    assert again._.quotes == doc._.quotes and doc._.quotes


def test_quotes_stay_out_of_boilerplate(qnlp):
    assert quotes_of(qnlp, "للمزيد : تابع خليجيون 24 ، وللتواصل الاجتماعي تابعنا علي فيسبوك وتويتر") == []


# -- the seeds: table, offsets, summary, score floor -----------------------------------------

@pytest.fixture(scope="module")
def seed_quotes():
    return agn.process(SEEDS, nlp=_pipeline(full=True)).quotes


def test_seed_offsets_and_columns(seed_quotes):
    raw = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    assert len(seed_quotes) > 20
    for r in seed_quotes.itertuples():
        assert raw[r.doc_id][r.start:r.end] == r.text
        assert raw[r.doc_id][r.speaker_start:r.speaker_end] == r.speaker_mention
        assert r.kind in ("direct", "indirect", "mixed") and r.speaker_label in ("PER", "ORG", "GPE", "GROUP")
        assert not r.text.startswith(("“", "«", '"'))
        if r.text.endswith(("”", "»", '"')):  # a mixed clause ending on its quoted fragment keeps both marks
            assert r.kind == "mixed" and any(m in r.text[:-1] for m in "“«\""), r.text


def test_speakers_summary(seed_quotes):
    table = speakers(seed_quotes)
    assert list(table.columns) == ["speaker", "n_quotes", "n_documents", "roles", "labels"]
    assert table["n_quotes"].sum() == len(seed_quotes)
    markov = table[table["speaker"].isin(["Sergei Markov", "سيرجي ماركوف"])].iloc[0]
    assert markov["n_quotes"] == 4 and "المستشار السابق للكرملين" in markov["roles"]


@pytest.mark.skipif(not (SHARED / "tools" / "score.py").exists(), reason="shared gold/scorer not available")
def test_seed_score_floor(seed_quotes, tmp_path):
    path = tmp_path / "quotes.parquet"
    seed_quotes.to_parquet(path, index=False)
    out = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), "--quotes", str(path), "--json"],
                         capture_output=True, text=True, check=True)
    scores = json.loads(out.stdout)
    assert scores["e2e_F1"] >= 0.90 and scores["attribution_acc"] >= 0.95, scores


def test_lexicon_memo_is_bounded_and_answers_stay_the_same(monkeypatch):
    from arabic_geo_nlp.quotes import lexicon

    words = ("الوزير", "بوتين", "وزيرة", "الكرملين", "المتحدث", "مقدمه", "السيد")
    expected = [True, False, True, False, True, True, True]
    assert [lexicon.load_lexicon().is_role(w) for w in words] == expected
    monkeypatch.setattr(lexicon, "MEMO_SIZE", 3)
    lex = lexicon.load_lexicon.__wrapped__()  # a new lexicon, its memo empty
    assert [lex.is_role(w) for w in words * 2] == expected * 2
    assert len(lex._memo) <= 3
    assert [lex.cue(w) and lex.cue(w).lemma for w in ("وقال", "بوتين", "أكدت")] == ["قال", None, "أكد"]
