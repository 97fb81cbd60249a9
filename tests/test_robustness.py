"""Bad inputs: every document gets a row with a clear status, and one bad document never stops a batch."""

import codecs
import tempfile
from pathlib import Path
from typing import Optional, Tuple

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arabic_geo_nlp as agn
from arabic_geo_nlp import pipeline
from arabic_geo_nlp.corpus import read_corpus


def _docs(res):
    return res.documents.set_index("doc_id")


@pytest.mark.parametrize("text, reason", [("", "empty document"), ("  \n\t ", "empty document")])
def test_empty_documents(text, reason):
    doc = _docs(agn.process(pd.Series([text], index=["e"]))).loc["e"]
    assert doc["status"] == "error" and reason in doc["error"] and "'e'" in doc["error"]


def test_non_arabic_text_is_processed():
    res = agn.process(pd.Series(["The minister said: 'no'. 中文也可以。"], index=["en"]))
    assert _docs(res).loc["en", "status"] == "ok" and len(res.tokens) > 5


def test_binary_and_undecodable_files(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "ok.txt").write_text("نص عادي.", encoding="utf-8")
    docs = _docs(agn.process(tmp_path))
    assert docs.loc["bin", "status"] == "error" and "binary" in docs.loc["bin", "error"]
    assert docs.loc["ok", "status"] == "ok"


def test_html_is_blanked_and_offsets_index_the_input():
    html = "<html><body><h1>قمة في موسكو</h1><p>قال الوزير &amp; المسؤول: نعم.</p><script>var x='قال';</script></body></html>"
    res = agn.process(pd.Series([html], index=["h"]))
    toks = res.tokens
    assert "html" not in set(toks["text"]) and "var" not in set(toks["text"])
    assert all(html[s:e] == t for s, e, t in zip(toks["start"], toks["end"], toks["text"]))
    assert res.sentences["text"].str.strip().tolist()[:1] == ["قمة في موسكو"]


def test_huge_document_is_processed_in_sections_and_oversized_is_refused(monkeypatch, seed_texts):
    big = "".join(seed_texts.values()) * 40  # ~1.2 M characters of real articles
    assert len(big) > 1_000_000
    nlp = agn.load(exclude=["ner", "gazetteer", "linker"])  # keep the suite fast; sections are component-agnostic
    res = agn.process(pd.Series([big], index=["big"]), nlp=nlp)
    doc = _docs(res).loc["big"]
    assert doc["status"] == "ok" and doc["n_chars"] == len(big)
    assert doc["n_quotes"] == 40 * sum(len(nlp(t)._.quotes) for t in seed_texts.values())
    for table in ("sentences", "tokens", "quotes"):
        df = getattr(res, table)
        assert all(big[s:e] == t for s, e, t in zip(df["start"], df["end"], df["text"])), table
    assert res.tokens["tok_id"].is_unique and res.sentences["sent_id"].is_unique
    assert res.quotes["quote_id"].tolist() == list(range(len(res.quotes)))
    monkeypatch.setattr(pipeline, "MAX_CHARS", 1000)
    doc = _docs(agn.process(pd.Series([big], index=["big"]), nlp=nlp)).loc["big"]
    assert doc["status"] == "error" and "too large" in doc["error"]


def test_section_bounds_cover_the_text():
    text = ("فقرة أولى طويلة. " * 50 + "\n\n") * 30
    bounds = pipeline.section_bounds(text, 1000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(text[e - 2:e] == "\n\n" for _, e in bounds[:-1])


def test_unbalanced_quote_marks():
    res = agn.process(pd.Series(["قال: “هذا نص بلا نهاية. وقال آخر: «ثم »» نعم\""], index=["q"]))
    assert _docs(res).loc["q", "status"] == "ok"


def test_a_failing_component_does_not_stop_the_batch():
    from spacy.language import Language

    @Language.component("explode_on_boom")
    def explode(doc):
        if "boom" in doc.text:
            raise RuntimeError("boom!")
        return doc

    nlp = agn.load()
    nlp.add_pipe("explode_on_boom")
    texts = pd.Series(["نص أول.", "boom نص", "نص ثالث."], index=["a", "b", "c"])
    docs = _docs(agn.process(texts, nlp=nlp, batch_size=3))
    assert docs["status"].tolist() == ["ok", "error", "ok"]
    assert "explode_on_boom" in docs.loc["b", "error"] and "boom!" in docs.loc["b", "error"]


# --------------------------------------------------------------------------- damaged files, end to end


def test_utf8_article_with_one_bad_byte_is_read_as_utf8_with_a_warning(tmp_path, nlp, seed_texts):
    doc_id, text = sorted(seed_texts.items())[0]
    data = text.encode("utf-8")
    at = data.index(" ".encode(), len(data) // 2)  # between two words
    (tmp_path / "clean.txt").write_bytes(data)
    (tmp_path / "damaged.txt").write_bytes(data[:at] + b"\xff" + data[at:])
    res = agn.process(tmp_path, nlp=nlp)
    docs = _docs(res)
    assert docs.loc["damaged", "status"] == "ok" and docs.loc["damaged", "encoding"] == "utf-8"
    assert docs.loc["damaged", "warning"].endswith(f"damaged.txt): 1 invalid utf-8 byte replaced by U+FFFD (at byte {at})")
    assert pd.isna(docs.loc["clean", "warning"]) and docs.loc["damaged", "n_chars"] == docs.loc["clean", "n_chars"] + 1
    for col in ("n_sentences", "n_quotes"):
        assert abs(docs.loc["damaged", col] - docs.loc["clean", col]) <= 1, col
    ents = res.entities
    assert abs((ents["doc_id"] == "damaged").sum() - (ents["doc_id"] == "clean").sum()) <= 2


def test_nul_in_an_article_is_blanked_and_the_article_processed(tmp_path, nlp, seed_texts):
    text = sorted(seed_texts.items())[0][1]
    at = text.index(" ", len(text) // 2)
    (tmp_path / "clean.txt").write_text(text, encoding="utf-8")
    (tmp_path / "nul.txt").write_text(text[:at] + "\0" + text[at + 1:], encoding="utf-8")
    docs = _docs(agn.process(tmp_path, nlp=nlp))
    assert docs.loc["nul", "status"] == "ok" and docs.loc["nul", "n_chars"] == len(text)
    assert docs.loc["nul", "warning"].endswith(f"1 control character blanked to a space (at character {at})")
    cols = ["n_sentences", "n_tokens", "n_entities", "n_quotes"]
    assert docs.loc["nul", cols].tolist() == docs.loc["clean", cols].tolist()


def test_broken_link_gets_an_error_row(tmp_path, nlp):
    (tmp_path / "a.txt").write_text("قال الوزير: نعم.", encoding="utf-8")
    (tmp_path / "b.txt").symlink_to(tmp_path / "missing.txt")
    docs = _docs(agn.process(tmp_path, nlp=nlp))
    assert docs["status"].to_dict() == {"a": "ok", "b": "error"} and "broken link" in docs.loc["b", "error"]


# --------------------------------------------------------------------------- property: any bytes in files

# Whole words of three letters or more (hand-picked, not from a corpus): a UTF-8 fragment shorter
# than that inside a Windows-1256 file is also valid Windows-1256, which no reader can tell apart.
_WORDS = ["قال", "الوزير", "المحادثات", "مثمرة", "موسكو", "الحكومة", "الأسبوع", "اتفاق", "الطرفين",
          "«نعم»", "Reuters", "said", "2024", "(AFP)", "."]
_CODECS = ["utf-8", "cp1256", "utf-16-le", "utf-16-be"]
_BOMS = {"none": b"", "utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
# Each segment holds an Arabic word: a few ASCII bytes behind a BOM are also valid UTF-16.
_segment = st.tuples(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12).map(lambda w: " ".join(["قال", *w])),
                     st.sampled_from(_CODECS))


@st.composite
def _file(draw) -> Tuple[bytes, Optional[str], bool]:
    """``(bytes, the text they were made from or None, damaged)``: random bytes, or segments of
    text each in its own encoding behind an optional BOM, maybe with a NUL put in or the last
    multi-byte character cut."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=300)), None, False
    segments = draw(st.lists(_segment, min_size=1, max_size=3))
    damage = draw(st.sampled_from(["none", "nul", "cut"]))
    if damage == "cut":
        segments[-1] = (segments[-1][0] + " الخبر", draw(st.sampled_from(["utf-8", "utf-16-le", "utf-16-be"])))
    data = _BOMS[draw(st.sampled_from(sorted(_BOMS)))] + b"".join(
        (text + "\n").encode(codec) for text, codec in segments)
    if damage == "cut":
        data = data[:-2] + data[-1:] if segments[-1][1] == "utf-8" else data[:-1]  # "ر" loses a byte
    elif damage == "nul":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\0" + data[at:]
    return data, "".join(text + "\n" for text, _ in segments), damage != "none"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(_file(), min_size=1, max_size=4))
def test_any_bytes_in_files_give_one_row_each_valid_offsets_and_no_silent_misreading(nlp, files):
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / f"f{i}.txt" for i in range(len(files))]
        for path, (data, _, _) in zip(paths, files):
            path.write_bytes(data)
        res = agn.process(tmp, nlp=nlp)
        texts = {r.doc_id: r.text for r in read_corpus(tmp)}
    docs = _docs(res)
    assert docs.index.tolist() == [p.stem for p in paths]
    for table in ("sentences", "tokens", "entities", "quotes"):
        for row in getattr(res, table).itertuples():
            assert texts[row.doc_id][row.start:row.end] == row.text, (table, row)
    for path, (data, truth, damaged) in zip(paths, files):
        doc = docs.loc[path.stem]
        if doc["status"] == "error":
            assert doc["error"] and pd.isna(doc["language"])
            continue
        assert doc["n_chars"] == len(texts[path.stem])
        if pd.isna(doc["warning"]):  # nothing said: the text must be exactly what the bytes hold
            assert not damaged, data
            assert texts[path.stem] == (truth if truth is not None else data.decode(doc["encoding"])), data
