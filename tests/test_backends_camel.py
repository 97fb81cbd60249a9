"""The CAMeL Tools backend (``tokenizer="camel"``, ``ner="camel"``) against a tiny CAMeL data
directory in CAMeL's own layout (``tests/fixtures/camel_data``, made by ``make_camel_fixture.py``).

The fixture's morphology DB and MLE model are hand-written, so segmentations are meaningful; its
NER model has random weights, so only the structure of NER output is checked. No test may touch
the network: every test runs with ``socket.connect`` disabled.
"""

import os
import pickle
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import arabic_geo_nlp as agn
from arabic_geo_nlp.backends.camel import CamelDataError, CamelTokenizer, align_segments
from arabic_geo_nlp.tokenize import CLITICS_KEY, ArabicTokenizer

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "camel_data"
REPO = Path(__file__).resolve().parents[1]
TEXT = ("قال الوزير إن وبالسيارة وصل للصحفيين، نشرتها والولايات المتحدة حكومته سيزور وترامب. "
        "«وَبِالسَّيَّارَةِ» الـوزير 2024.\n\nقال الرئيس الروسي فلاديمير بوتين في موسكو إن المحادثات مع لبنان.")
NER_LABELS = {"PER", "ORG", "LOC", "MISC", "GPE"}

has_camel = pytest.mark.skipif(
    __import__("importlib").util.find_spec("camel_tools") is None, reason="camel-tools not installed (extra [camel])")


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path_factory):
    """No network; and camel_tools' import-time ``mkdir ~/.camel_tools`` lands in a temp HOME."""
    def refuse(*args, **kwargs):
        raise AssertionError("the CAMeL backend tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setenv("HOME", str(tmp_path_factory.getbasetemp() / "home"))
    monkeypatch.delenv("CAMELTOOLS_DATA", raising=False)


@pytest.fixture(scope="module")
def camel_nlp():
    return agn.load(tokenizer="camel", camel_data=str(FIXTURE))


@pytest.fixture(scope="module")
def camel_ner_nlp():
    return agn.load(tokenizer="camel", ner="camel", camel_data=str(FIXTURE))


# ----------------------------------------------------------------------------- without the extra / data


def test_importing_the_package_does_not_import_camel_tools():
    code = ("import sys, arabic_geo_nlp; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('camel_tools', 'transformers')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("kwargs", [{"tokenizer": "camel"}, {"ner": "camel"}])
def test_without_camel_tools_importerror_names_the_extra(monkeypatch, kwargs):
    for name in [m for m in sys.modules if m == "camel_tools" or m.startswith("camel_tools.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "camel_tools", None)
    with pytest.raises(ImportError, match=r'arabic-geo-nlp\[camel\]'):
        agn.load(camel_data=str(FIXTURE), **kwargs)


@has_camel
@pytest.mark.parametrize("kwargs, package, path", [  # disambig-mle installs morphology-db too
    ({"tokenizer": "camel"}, "disambig-mle-calima-msa-r13", "data/disambig_mle/calima-msa-r13/model.json"),
    ({"ner": "camel"}, "ner-arabert", "data/ner/arabert/config.json"),
])
def test_without_data_load_fails_clearly_and_offline(tmp_path, kwargs, package, path):
    with pytest.raises(CamelDataError) as err:
        agn.load(camel_data=str(tmp_path), **kwargs)
    msg = str(err.value)
    assert isinstance(err.value, FileNotFoundError)
    assert repr(package) in msg and str(tmp_path / path) in msg
    assert str(tmp_path / "catalogue.json") in msg
    assert f"camel_data -i {package}" in msg and "camel_data -i morphology" not in msg


@has_camel
def test_data_dir_defaults_to_cameltools_data(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path))
    with pytest.raises(CamelDataError, match="morphology-db-msa-r13") as err:
        agn.load(tokenizer="camel")
    assert str(tmp_path / "data" / "morphology_db" / "calima-msa-r13" / "morphology.db") in str(err.value)


@has_camel
def test_partial_data_names_only_the_missing_package(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "camel", ignore=shutil.ignore_patterns("arabert"))
    agn.load(tokenizer="camel", camel_data=str(tmp_path / "camel"), exclude=["ner"])  # tokenizer data is all there
    with pytest.raises(CamelDataError) as err:
        agn.load(ner="camel", camel_data=str(tmp_path / "camel"))
    assert "ner-arabert" in str(err.value) and "morphology" not in str(err.value)


@has_camel
def test_unknown_scheme():
    with pytest.raises(ValueError, match="d3tok"):
        CamelTokenizer(agn.load(exclude=["sentences", "clean", "ner", "gazetteer", "linker", "quotes"]).vocab,
                       data_dir=str(FIXTURE), scheme="bwtok")


# ----------------------------------------------------------------------------- alignment


@pytest.mark.parametrize("word, tok, expected", [
    ("وبالسيارة", "و+_ب+_ال+_سيارة", ("وبال", "سيارة", "")),
    ("وبالسيارة", "و+_ب+_السيارة", ("وب", "السيارة", "")),     # atbtok keeps the article
    ("للصحفيين", "ل+_ال+_صحفيين", ("لل", "صحفيين", "")),       # restored alef of the article
    ("للصحفيين", "ل+_الصحفيين", ("ل", "لصحفيين", "")),
    ("حكومته", "حكومة_+ه", ("", "حكومت", "ه")),                # restored teh marbuta
    ("مستواه", "مستوى_+ه", ("", "مستوا", "ه")),                 # restored alef maksura
    ("بأنه", "ب+_أن_+ه", ("ب", "أن", "ه")),
    ("الـوزير", "ال+_وزير", ("الـ", "وزير", "")),
    ("وزير", "وزير", ("", "وزير", "")),
])
def test_align_segments(word, tok, expected):
    c = align_segments(word, tok)
    assert (c.prefix, c.stem, c.suffix) == expected
    assert c.prefix + c.stem + c.suffix == word


@pytest.mark.parametrize("word, tok", [
    ("وزير", "و+_ب+_زيارة_+ها"),   # too far from the word
    ("وزير", "و+_زير_+_ير"),       # two stems
    ("وزير", "و+_وزير"),           # the prefix would be empty
])
def test_align_segments_refuses(word, tok):
    assert align_segments(word, tok) is None


# ----------------------------------------------------------------------------- tokenizer


@has_camel
def test_camel_tokenizer_matches_our_tokens(camel_nlp):
    ours = ArabicTokenizer(camel_nlp.vocab)(TEXT)
    doc = camel_nlp.make_doc(TEXT)
    assert doc.text == TEXT
    assert [(t.text, t.idx, t.norm_, t.whitespace_) for t in doc] == [
        (t.text, t.idx, t.norm_, t.whitespace_) for t in ours]
    stored = doc.user_data[CLITICS_KEY]  # {token start: [prefix, stem, suffix]} for CAMeL-analysed words
    assert stored and set(stored) <= {t.idx for t in doc}


@has_camel
def test_camel_tokenizer_segments_from_the_db(camel_nlp):
    doc = camel_nlp.make_doc(TEXT)
    got = {t.text: (t._.prefix, t._.stem, t._.suffix) for t in doc}
    assert got["وبالسيارة"] == ("وبال", "سيارة", "")
    assert got["للصحفيين"] == ("لل", "صحفيين", "")
    assert got["نشرتها"] == ("", "نشرت", "ها")
    assert got["والولايات"] == ("وال", "ولايات", "")
    assert got["حكومته"] == ("", "حكومت", "ه")
    assert got["سيزور"] == ("س", "يزور", "")
    assert got["وَبِالسَّيَّارَةِ"] == ("وَبِال", "سَّيَّارَةِ", "")
    assert got["الـوزير"] == ("الـ", "وزير", "")
    assert got["وصل"] == ("", "وصل", "")        # the MLE model's verb, not و + صل (preferred by log-probs)
    assert got["بوتين"] == ("", "بوتين", "")    # a name starting with ب stays whole
    assert got["وترامب"] == ("و", "ترامب", "")  # unknown to the DB (backoff only): our analysis
    assert got["2024"] == ("", "2024", "")


@has_camel
def test_atbtok_scheme_keeps_the_article_on_the_stem(camel_nlp):
    tok = CamelTokenizer(camel_nlp.vocab, data_dir=str(FIXTURE), scheme="atbtok")
    got = {t.text: (t._.prefix, t._.stem, t._.suffix) for t in tok("وبالسيارة للصحفيين نشرتها")}
    assert got == {"وبالسيارة": ("وب", "السيارة", ""), "للصحفيين": ("ل", "لصحفيين", ""), "نشرتها": ("", "نشرت", "ها")}


@has_camel
def test_camel_tokens_table(camel_nlp):
    res = agn.process([TEXT, "زار وإسرائيل وواشنطن"], nlp=camel_nlp)
    assert (res.documents["status"] == "ok").all()
    raw = {"doc-0000": TEXT, "doc-0001": "زار وإسرائيل وواشنطن"}
    for row in res.tokens.itertuples():
        assert raw[row.doc_id][row.start:row.end] == row.text
        assert row.prefix + row.stem + row.suffix == row.text
    rows = res.tokens[res.tokens["doc_id"] == "doc-0000"].set_index("text")
    assert tuple(rows.loc["للصحفيين", ["prefix", "stem", "suffix"]]) == ("لل", "صحفيين", "")
    for row in res.entities.itertuples():
        assert raw[row.doc_id][row.start:row.end] == row.text


@has_camel
def test_camel_tokenizer_pipe_equals_call(camel_nlp):
    texts = [TEXT, "نشرتها للصحفيين", ""]
    piped = list(camel_nlp.tokenizer.pipe(texts, batch_size=2))
    for text, doc in zip(texts, piped):
        assert [(t.text, t._.prefix, t._.stem, t._.suffix) for t in doc] == [
            (t.text, t._.prefix, t._.stem, t._.suffix) for t in camel_nlp.make_doc(text)]


@has_camel
def test_stored_clitics_follow_split_tokens(camel_nlp):
    doc = camel_nlp("قال الوزير إن وبالسيارة وصلت وإسرائيل.")  # the CRF NER splits proclitics off entities
    for t in doc:
        assert t._.prefix + t._.stem + t._.suffix == t.text


@has_camel
def test_split_then_serialized_clitics_stay_aligned(camel_nlp):
    from spacy.tokens import Doc

    doc = camel_nlp.make_doc("زار وإسرائيل للصحفيين")
    with doc.retokenize() as retok:
        retok.split(doc[1], ["و", "إسرائيل"], heads=[(doc[1], 1), (doc[1], 1)])
    for back in (Doc(camel_nlp.vocab).from_bytes(doc.to_bytes()), pickle.loads(pickle.dumps(doc))):
        assert [(t.text, t._.prefix, t._.stem, t._.suffix) for t in back] == [
            ("زار", "", "زار", ""), ("و", "", "و", ""), ("إسرائيل", "", "إسرائيل", ""), ("للصحفيين", "لل", "صحفيين", "")]


@has_camel
def test_doc_bytes_keep_camel_clitics(camel_nlp):
    from spacy.tokens import Doc

    doc = camel_nlp.make_doc("وبالسيارة للصحفيين")
    back = Doc(camel_nlp.vocab).from_bytes(doc.to_bytes())
    assert [(t._.prefix, t._.stem) for t in back] == [("وبال", "سيارة"), ("لل", "صحفيين")]


# ----------------------------------------------------------------------------- NER


@has_camel
def test_camel_ner_entities(camel_ner_nlp):
    texts = [TEXT, "قال بوتين.", "   "]
    res = agn.process(texts, nlp=camel_ner_nlp)
    assert res.documents["status"].tolist() == ["ok", "ok", "error"]  # the blank one is an empty document
    ents = res.entities
    assert len(ents) and set(ents["label"]) <= NER_LABELS
    assert "camel" in set(ents["source"])
    for row in ents.itertuples():
        raw = texts[int(row.doc_id[-1])]
        assert raw[row.start:row.end] == row.text and row.start < row.end
    from arabic_geo_nlp.ner.spans import proclitic_cut

    doc = camel_ner_nlp(TEXT)
    camel = [ent for ent in doc.ents if ent._.source == "camel"]
    assert camel
    for ent in camel:  # our convention: no entity keeps a proclitic the trimming would cut
        assert proclitic_cut(ent[0].text, [t.text for t in ent[1:] if not t.is_space]) == 0


@has_camel
def test_camel_ner_labels_and_proclitics(camel_ner_nlp, monkeypatch):
    """With CAMeL's predictions fixed: labels mapped, proclitics cut, offsets raw, source "camel"."""
    ner = camel_ner_nlp.get_pipe("ner")
    tags = {"وبالسيارة": "B-MISC", "للصحفيين": "B-ORG", "فلاديمير": "B-PERS", "بوتين": "I-PERS", "موسكو": "B-LOC"}
    monkeypatch.setattr(ner.recognizer, "predict", lambda sents, **kw: [[tags.get(w, "O") for w in s] for s in sents])
    doc = camel_ner_nlp(TEXT)
    got = [(e.text, e.label_, e._.source) for e in doc.ents]
    assert ("السيارة", "MISC", "camel") in got and ("صحفيين", "ORG", "camel") in got
    assert ("فلاديمير بوتين", "PER", "camel") in got
    assert ("موسكو", "LOC", "camel") in got or ("موسكو", "GPE", "camel") in got  # the gazetteer may refine LOC
    for ent in doc.ents:
        assert TEXT[ent.start_char:ent.end_char] == ent.text
    for t in doc:
        assert t._.prefix + t._.stem + t._.suffix == t.text


@has_camel
def test_camel_ner_pipe_batches(camel_ner_nlp, monkeypatch):
    ner = camel_ner_nlp.get_pipe("ner")
    calls = []
    predict = ner.recognizer.predict
    monkeypatch.setattr(ner.recognizer, "predict",
                        lambda sents, **kw: calls.append(len(sents)) or predict(sents, **kw))
    docs = list(camel_ner_nlp.pipe([TEXT, "قال بوتين.", TEXT], batch_size=8))
    assert len(calls) == 1 and calls[0] == sum(len(list(d.sents)) for d in docs)


@has_camel
def test_pickle_round_trip(camel_ner_nlp):
    camel_ner_nlp(TEXT)  # models loaded: they must not go into the pickle
    data = pickle.dumps(camel_ner_nlp)
    assert len(data) < 5_000_000
    back = pickle.loads(data)
    assert back.tokenizer._disambiguator is None and back.get_pipe("ner")._recognizer is None
    a, b = camel_ner_nlp(TEXT), back(TEXT)
    assert _view(a) == _view(b)


def _view(doc):
    return ([(t.text, t._.prefix, t._.stem, t._.suffix) for t in doc],
            [(e.start_char, e.end_char, e.label_) for e in doc.ents])


@has_camel
def test_fixture_is_camel_layout():
    """CAMeL's own loaders find the fixture through ``CAMELTOOLS_DATA`` (in a fresh process)."""
    code = (
        "import socket\n"
        "socket.socket.connect = lambda *a, **k: (_ for _ in ()).throw(OSError('network'))\n"
        "from camel_tools.disambig.mle import MLEDisambiguator\n"
        "from camel_tools.tokenizers.morphological import MorphologicalTokenizer\n"
        "from camel_tools.ner import NERecognizer\n"
        "tok = MorphologicalTokenizer(MLEDisambiguator.pretrained(), 'd3tok')\n"
        "print(tok.tokenize(['وبالسيارة', 'للصحفيين']))\n"
        "print(len(NERecognizer.pretrained(use_gpu=False).predict_sentence(['قال', 'بوتين'])))\n"
    )
    env = {**os.environ, "CAMELTOOLS_DATA": str(FIXTURE)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split("\n")[:2] == ["['و+_ب+_ال+_سيارة', 'ل+_ال+_صحفيين']", "2"]


def test_fixture_is_small():
    assert sum(p.stat().st_size for p in FIXTURE.rglob("*") if p.is_file()) < 2_000_000
