"""The neural NER tagger's numpy inference (arabic_geo_nlp.ner.neural): inputs, the batched BiLSTM
against a plain one-sentence reference, the CRF hook and the spaCy components."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from arabic_geo_nlp.ner.model import CRFTagger, default_model_dir
from arabic_geo_nlp.ner.clusters import char_ngrams
from arabic_geo_nlp.ner.neural.inputs import feature_bag, vector_key_of
from arabic_geo_nlp.ner.neural.tagger import (META_FILE, TAGGER_FILE, VECTORS_FILE, CRFNeuralTagger, NeuralTagger,
                                              _chunks, default_neural_dir, pack_strings)

LABELS = ["O", "B-LOC", "B-MISC", "B-ORG", "B-PER", "I-LOC", "I-MISC", "I-ORG", "I-PER"]
SENTENCES = [
    ["وصل", "وزير", "الخارجية", "الفرنسي", "إلى", "بغداد", "أمس", "."],
    ["قال", "المتحدث", "باسم", "الحكومة", "،", "محمد", "العلي", ":"],
    [],
    ["اجتمع", "مجلس", "الأمن", "في", "نيويورك", "لبحث", "الأزمة", "في", "اليمن", "والعراق", "و", "2015"],
    ["شكرا"],
]


@pytest.fixture(scope="module")
def random_model(tmp_path_factory) -> Path:
    """A tagger with random weights (hidden 5, 4-dim vectors, 3 features) in the exported format."""
    out = tmp_path_factory.mktemp("neural")
    rng = np.random.default_rng(0)
    hidden, dim, feat_dim = 5, 4, 3
    features = ["pfx=و", "shape=arabic", "shape=punct"]
    np.savez(out / TAGGER_FILE, labels=np.array(LABELS), features=np.array(features), bag_width=np.array(4),
             feat_emb=np.vstack([np.zeros((1, feat_dim)), rng.normal(size=(3, feat_dim))]).astype(np.float32),
             w_ih=rng.normal(size=(2, 4 * hidden, dim + feat_dim)).astype(np.float32),
             w_hh=rng.normal(size=(2, 4 * hidden, hidden)).astype(np.float32),
             b=rng.normal(size=(2, 4 * hidden)).astype(np.float32),
             w_out=rng.normal(size=(len(LABELS), 2 * hidden)).astype(np.float32),
             b_out=rng.normal(size=len(LABELS)).astype(np.float32))
    keys = ["وزير", "الخارجية", "بغداد", "<num>", "اليمن", "العراق"]
    np.savez(out / VECTORS_FILE, keys=pack_strings(keys), vectors=rng.normal(size=(len(keys), dim)).astype(np.float16),
             ngrams=pack_strings(["<ن", "يو", "رك>"]), ngram_vectors=rng.normal(size=(3, dim)).astype(np.float16))
    (out / META_FILE).write_text(json.dumps({"oov": "zero", "crf_weight": 0.5}), encoding="utf-8")
    return out


def _reference(tagger: NeuralTagger, words, weights) -> np.ndarray:
    """Log-probabilities of one sentence by the textbook LSTM equations (unscaled weights)."""
    sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    bag_index = {str(f): i + 1 for i, f in enumerate(weights["features"])}
    x = [np.concatenate([tagger.word_vector(w), weights["feat_emb"][[bag_index[f] for f in feature_bag(w)
                                                                      if f in bag_index]].sum(axis=0)])
         for w in words]
    size = weights["w_hh"].shape[2]
    states = []
    for d, seq in ((0, x), (1, x[::-1])):
        h, c, out = np.zeros(size), np.zeros(size), []
        for v in seq:
            g = weights["w_ih"][d] @ v + weights["w_hh"][d] @ h + weights["b"][d]
            i, f, gg, o = sig(g[:size]), sig(g[size:2 * size]), np.tanh(g[2 * size:3 * size]), sig(g[3 * size:])
            c = f * c + i * gg
            h = o * np.tanh(c)
            out.append(h)
        states.append(out if d == 0 else out[::-1])
    logits = np.array([np.concatenate([a, b]) for a, b in zip(*states)]) @ weights["w_out"].T + weights["b_out"]
    return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


def test_inputs():
    assert vector_key_of("وبغداد") == "بغداد"
    assert vector_key_of("؟") is None
    assert vector_key_of("1999") == "<num>"
    bag = feature_bag("وبغداد")
    assert "pfx=و" in bag and "shape=arabic" in bag and not any(f.startswith("w=") for f in bag)
    assert char_ngrams("من", 2, 4) == ["<م", "من", "ن>", "<من", "من>", "<من>"]


def test_chunks_cover_every_sentence_once():
    lens = np.array([5, 0, 120, 7, 7, 3, 64, 0, 9] * 20)
    chunks = _chunks(lens, least=2)
    seen = np.concatenate(chunks)
    assert sorted(seen.tolist()) == [k for k in range(len(lens)) if lens[k]]
    assert len(chunks) > 1
    for first, second in zip(chunks, chunks[1:]):  # each group is a run of the length order
        assert lens[first].max() <= lens[second].min()


def test_batched_scores_match_the_reference(random_model):
    tagger = NeuralTagger(random_model)
    weights = np.load(random_model / TAGGER_FILE)
    scores = tagger.scores(SENTENCES)
    assert scores.shape == (sum(map(len, SENTENCES)), len(LABELS))
    at = 0
    for words in SENTENCES:
        if words:
            np.testing.assert_allclose(scores[at:at + len(words)], _reference(tagger, words, weights), atol=1e-4)
        at += len(words)
    # a sentence scores the same alone and in a batch, and the type cache changes nothing
    alone = NeuralTagger(random_model).scores([SENTENCES[3]])
    np.testing.assert_allclose(alone, scores[8 + 8:8 + 8 + 12], atol=1e-5)
    np.testing.assert_allclose(tagger.scores(SENTENCES), scores, atol=1e-6)


def test_oov_vectors(random_model):
    zero = NeuralTagger(random_model, oov="zero")
    grams = NeuralTagger(random_model, oov="ngrams")
    assert not zero.word_vector("نيويورك").any()
    assert grams.word_vector("نيويورك").any()
    np.testing.assert_array_equal(zero.word_vector("والعراق"), grams.word_vector("العراق"))
    assert not grams.word_vector("،").any()
    tags = grams.tag_many(SENTENCES)
    assert [len(t) for t in tags] == [len(s) for s in SENTENCES] and all(t in LABELS for s in tags for t in s)


def test_crf_hook(random_model):
    crf = CRFTagger.load(default_model_dir())
    words = [s for s in SENTENCES if s]
    assert CRFNeuralTagger(crf, NeuralTagger(random_model), weight=0.0).tag_many(words) == crf.tag_many(words)
    assert CRFNeuralTagger(crf, NeuralTagger(random_model)).weight == 0.5
    # a large extra score for one label wins every token
    extra = np.zeros((sum(map(len, words)), len(crf.scorer.labels)))
    extra[:, crf.scorer.labels.index("B-ORG")] = 1e3
    assert all(t == "B-ORG" for s in crf.scorer.tag_many(words, extra=extra) for t in s)


@pytest.mark.skipif(not (default_neural_dir() / TAGGER_FILE).is_file(), reason="no shipped neural model")
def test_components_on_the_shipped_model():
    import spacy

    import arabic_geo_nlp.ner.neural  # noqa: F401
    import arabic_geo_nlp.tokenize  # noqa: F401

    text = "وقال وزير الخارجية الأمريكي جون كيري في واشنطن إن الحكومة اليمنية ستجتمع في الرياض."
    for factory in ("agn_crf_neural_ner", "agn_neural_ner"):
        nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
        nlp.add_pipe(factory)
        doc = nlp(text)
        ents = [(e.text, e.label_) for e in doc.ents]
        assert ("جون كيري", "PER") in ents, (factory, ents)
        assert all(text[e.start_char:e.end_char] == e.text for e in doc.ents)


def test_load_with_the_crf_neural_backend():
    import arabic_geo_nlp as agn

    nlp = agn.load(ner="crf+neural")
    assert nlp.get_pipe_meta("ner").factory == "agn_crf_neural_ner"
    doc = nlp("وقال وزير الخارجية الأمريكي جون كيري في واشنطن إن الحكومة اليمنية ستجتمع في الرياض.")
    assert ("جون كيري", "PER", "John Kerry") in [(e.text, e.label_, e._.entity) for e in doc.ents]
