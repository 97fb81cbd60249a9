"""Bad inputs: every document gets a row with a clear status, and one bad document never stops a batch."""

import pandas as pd
import pytest

import arabic_geo_nlp as agn
from arabic_geo_nlp import pipeline


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
