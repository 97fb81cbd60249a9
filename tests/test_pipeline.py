"""End-to-end: the pipeline over the seeds and over arbitrary text."""

from functools import partial

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import arabic_geo_nlp as agn
from arabic_geo_nlp.corpus import Record
from arabic_geo_nlp.frames import TABLES
from arabic_geo_nlp.pipeline import _chunks

from .conftest import SEEDS


def assert_offsets_valid(res, raw_by_doc):
    for table in ("sentences", "tokens", "entities", "quotes"):
        df = getattr(res, table)
        for row in df.itertuples():
            raw = raw_by_doc[row.doc_id]
            assert raw[row.start:row.end] == row.text, (table, row)
    for row in res.quotes.dropna(subset=["speaker_start"]).itertuples():
        raw = raw_by_doc[row.doc_id]
        assert raw[row.speaker_start:row.speaker_end] == row.speaker_mention


def test_load_is_a_spacy_language(nlp):
    from spacy.language import Language
    assert isinstance(nlp, Language)
    assert nlp.pipe_names == ["sentences", "clean", "ner", "gazetteer", "linker", "quotes"]


def test_load_exclude_and_disable():
    assert agn.load(exclude=["clean", "ner"]).pipe_names == ["sentences", "gazetteer", "linker", "quotes"]
    nlp = agn.load(disable=["clean"])
    assert "clean" not in nlp.pipe_names and "clean" in nlp.component_names
    with pytest.raises(ValueError, match="Unknown component"):
        agn.load(exclude=["nope"])


def test_seeds_end_to_end(seed_result, seed_texts):
    res = seed_result
    assert sorted(res.documents["doc_id"]) == sorted(seed_texts)
    assert (res.documents["status"] == "ok").all()
    assert (res.documents["n_chars"] == [len(seed_texts[d]) for d in res.documents["doc_id"]]).all()
    assert res.documents["n_tokens"].sum() == len(res.tokens)
    assert res.documents["n_sentences"].sum() == len(res.sentences)
    assert_offsets_valid(res, seed_texts)


def test_seed_titles_dates_and_boilerplate(seed_result):
    docs = seed_result.documents.set_index("doc_id")
    assert docs.loc["000_ebd9cc9507043d5f", "title"] == "كوريا الشمالية تجني ثمار الحرب الروسية ضد أوكرانيا"
    assert pd.isna(docs.loc["001_b3b0a9f3aba3c7df", "title"])
    assert docs.loc["001_b3b0a9f3aba3c7df", "published"] == pd.Timestamp("2025-09-10")
    assert docs.loc["004_d0db480e2b8c030f", "published"] == pd.Timestamp("2024-04-28")
    sents = seed_result.sentences
    flagged = set(sents.loc[sents["is_boilerplate"], "text"])
    assert {"زر الذهاب إلى الأعلى", "Open chat", "اترك تعليقاً", "مقالات ذات صلة"} <= flagged
    assert any(t.startswith("Jannah Theme License is not validated") for t in flagged)
    arabic_body = sents[(sents["text"].str.len() > 120) & sents["text"].str.contains("[\u0621-\u064a]")]
    assert len(arabic_body) > 50 and not arabic_body["is_boilerplate"].any()


def test_glued_punctuation_tokens_in_seeds(seed_result):
    toks = seed_result.tokens
    assert not toks["text"].str.contains(r"^\w+[”.)»]$", regex=True).any()


def test_process_inputs_kinds(tmp_path):
    (tmp_path / "a.txt").write_text("قال الوزير: نعم.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    res = agn.process(tmp_path)
    docs = res.documents.set_index("doc_id")
    assert docs.loc["a", "status"] == "ok"
    assert docs.loc["b", "status"] == "error" and "b" in docs.loc["b", "error"]
    series = pd.Series(["نص أول.", "نص ثان."], index=["x1", "x2"])
    assert agn.process(series).documents["doc_id"].tolist() == ["x1", "x2"]
    frame = pd.DataFrame({"id": ["u1"], "body": ["نص."]})
    assert agn.process(frame, text_col="body", id_col="id").documents["doc_id"].tolist() == ["u1"]


def test_every_document_has_a_row(tmp_path):
    inputs = ["نص صالح.", str(tmp_path / "missing.txt"), "", "   "]
    res = agn.process(inputs)
    assert res.documents["status"].tolist() == ["ok", "error", "error", "error"]
    assert "file not found" in res.documents.loc[1, "error"]
    assert "empty document" in res.documents.loc[2, "error"] and "empty document" in res.documents.loc[3, "error"]


def test_worker_tasks_are_capped_by_documents_and_characters():
    recs = [Record(f"d{i}", "ب" * n, "<str>") for i, n in enumerate([10, 10, 10, 500, 10, 10])]
    sizes = [[r.doc_id for r in chunk] for chunk in _chunks(recs, batch_size=2, max_chars=100)]
    assert sizes == [["d0", "d1"], ["d2", "d3"], ["d4", "d5"]]
    sizes = [[r.doc_id for r in chunk] for chunk in _chunks(recs, batch_size=10, max_chars=100)]
    assert sizes == [["d0", "d1", "d2", "d3"], ["d4", "d5"]]


def test_nlp_may_be_a_function_that_builds_the_pipeline():
    res = agn.process(["قال الوزير: \"المحادثات مثمرة\"."], nlp=partial(agn.load, exclude=["quotes"]))
    assert res.documents.loc[0, "status"] == "ok" and res.documents.loc[0, "n_quotes"] == 0


def test_n_process_2_matches_n_process_1():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] * 2
    one = agn.process(texts, batch_size=2, n_process=1)
    two = agn.process(texts, batch_size=2, n_process=2)
    for t in TABLES:
        pd.testing.assert_frame_equal(getattr(one, t), getattr(two, t))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(min_size=0, max_size=200), min_size=1, max_size=3))
def test_offsets_valid_on_arbitrary_unicode(nlp, texts):
    res = agn.process(pd.Series(texts), nlp=nlp)  # a Series is always raw text, never paths
    raw_by_doc = dict(zip(res.documents["doc_id"], texts))
    assert len(res.documents) == len(texts)
    assert_offsets_valid(res, raw_by_doc)
