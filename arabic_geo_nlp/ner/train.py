"""Training the NER model: one function, one command, fixed split, deterministic.

    arabic-geo-nlp train ner [--data-dir ../shared/data] [--out models/ner]

:func:`train_ner` reads ANERcorp (and the extra corpora named), re-tokenizes every
sentence with our tokenizer, trains the CRF on train (+ extras), and scores dev
and test with the model alone and with ``agn_ner`` + ``agn_gazetteer``, each sentence
alone and in pseudo-documents of 30 sentences; the scores go into ``meta.json``. CRFsuite's L-BFGS has no randomness,
so the same data gives the same model (``seed`` only orders the extra corpora). The feature set is
:data:`DEFAULT_FEATURES` (written to ``meta.json``, which the tagger reads back); a set with
``"clusters"`` copies the word-cluster table of ``vectors_dir`` (default ``models/vectors``, built
by ``arabic-geo-nlp train vectors``, :mod:`.vectors`) next to the model as ``clusters.tsv.gz``
(and, with ``"subwords"``, its subword fallback ``subwords.npz``);
one with ``"contexts"`` mines name contexts from the unlabeled news (:mod:`.contexts`) into
``contexts.tsv.gz``.

>>> meta = train_ner("../shared/data", "/tmp/ner-model")    # doctest: +SKIP
>>> meta["scores"]["test"]["model"]["overall"]["f1"]        # doctest: +SKIP
0.68...
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .. import tokenize  # noqa: F401  (registers our tokenizer)
from .commands import ner_pipeline
from .corpora import Sentence, anercorp_split, read_anercorp, read_aqmar, read_wojood, sentence_to_doc
from .evaluate import evaluate_sentences
from .clusters import CLUSTERS_FILE, SUBWORDS_FILE, read_cluster_table
from .model import META_FILE, CRFTagger, train_crf
from .contexts import CONTEXTS_FILE, context_profiles, write_profiles
from .vectors import corpus_sentences, default_vectors_dir, dev_articles_dir
from .nameness import NAMENESS_FILE, nameness_examples, train_nameness
from .selftrain import SELFTRAIN_FILE, label_shares, tag_news, write_shares

__all__ = ["train_ner", "blank_nlp", "doc_to_bio", "DEFAULT_PARAMS", "DEFAULT_FEATURES", "EXTRA_CORPORA"]

DEFAULT_PARAMS: Dict[str, float] = {"c1": 0.05, "c2": 0.05, "max_iterations": 300,
                                    "feature.possible_transitions": True}
# The feature set (:data:`.features.DEFAULT_CONFIG` keys; recorded in meta.json).
DEFAULT_FEATURES: Dict[str, object] = {"conj": True, "clusters": [64, 256, 1024], "contexts": True}
# News occurrences a word needs for a self-training level (:mod:`.selftrain`).
SELFTRAIN_MIN_COUNT = 3
# Sentences per pseudo-document when scoring with document context (ANERcorp marks no articles).
DOC_SIZE = 30
EXTRA_CORPORA: Dict[str, Callable[[Path], List[Sentence]]] = {"aqmar": read_aqmar, "wojood": read_wojood}


def blank_nlp() -> Language:
    """A blank Arabic pipeline with our tokenizer."""
    return spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})


def doc_to_bio(doc: Doc) -> Tuple[List[str], List[str]]:
    """Words (whitespace tokens left out) and their BIO tags from ``doc.ents``."""
    words, tags = [], []
    for t in doc:
        if not t.is_space:
            words.append(t.text)
            tags.append("O" if t.ent_iob_ in ("O", "") else f"{t.ent_iob_}-{t.ent_type_}")
    return words, tags


def needs_news(features: Dict[str, object]) -> bool:
    """Whether the feature set reads the unlabeled news (name contexts, self-training list)."""
    return bool(features.get("contexts") or features.get("selftrain"))


def self_training_list(train: Sequence[Tuple[List[str], List[str]]], news: Sequence[Sequence[str]],
                       out_dir: Path, params: Dict[str, float], meta: Dict) -> Dict[str, object]:
    """Train a first CRF without the self-training feature, tag ``news`` with it and write its
    label shares per word (:mod:`.selftrain`) to ``out_dir``; return what goes into ``meta.json``."""
    t0 = time.perf_counter()
    first = {**meta, "features": {k: v for k, v in meta["features"].items() if k != "selftrain"}}
    train_crf(train, out_dir, params, first)
    sentences, tags = tag_news(CRFTagger.load(out_dir).tag_many, news)
    shares = label_shares(tags, sentences, min_count=SELFTRAIN_MIN_COUNT)
    write_shares(shares, out_dir / SELFTRAIN_FILE)
    return {"words": len(shares), "min_count": SELFTRAIN_MIN_COUNT, "news_tokens": sum(map(len, sentences)),
            "seconds": round(time.perf_counter() - t0, 1)}


def train_ner(
    data_dir: Path,
    out_dir: Path,
    seed: int = 0,
    extra: Sequence[str] = (),
    params: Dict[str, float] | None = None,
    features: Dict[str, object] | None = None,
    vectors_dir: Path | None = None,
) -> Dict:
    """Train on the ANERcorp train split (+ ``extra`` corpora), write the model to ``out_dir``,
    and return its ``meta.json`` content (data sizes, parameters, dev/test scores, timings).
    ``features``: the feature set (default :data:`DEFAULT_FEATURES`)."""
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    params = {**DEFAULT_PARAMS, **(params or {})}
    t0 = time.perf_counter()
    split = anercorp_split(read_anercorp(data_dir))
    extras = [s for name in extra for s in EXTRA_CORPORA[name](data_dir)]
    random.Random(seed).shuffle(extras)
    nlp = blank_nlp()
    meta = {
        "model": "CRFsuite linear-chain CRF (L-BFGS) over arabic_geo_nlp.ner.features",
        "labels": ["PER", "ORG", "LOC", "MISC"],
        "train": {"anercorp_sentences": len(split.train), "anercorp_tokens": sum(len(s.tokens) for s in split.train),
                  "extra": list(extra), "extra_sentences": len(extras), "seed": seed},
        "dev": {"sentences": len(split.dev), "tokens": sum(len(s.tokens) for s in split.dev)},
        "test": {"sentences": len(split.test), "tokens": sum(len(s.tokens) for s in split.test)},
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    examples = nameness_examples(data_dir)
    train_nameness(examples, out_dir / NAMENESS_FILE)
    meta["nameness"] = {"examples": len(examples), "by_label": dict(Counter(lab for _, lab in examples))}
    train = [doc_to_bio(sentence_to_doc(nlp, s)) for s in (*split.train, *extras)]
    meta["features"] = dict(DEFAULT_FEATURES if features is None else features)
    for name in (CLUSTERS_FILE, SUBWORDS_FILE):
        (out_dir / name).unlink(missing_ok=True)
    if meta["features"].get("clusters"):
        source = Path(vectors_dir or default_vectors_dir())
        copied = [CLUSTERS_FILE, SUBWORDS_FILE] if meta["features"].get("subwords") else [CLUSTERS_FILE]
        for name in copied:
            (out_dir / name).write_bytes((source / name).read_bytes())
        sizes, table = read_cluster_table(out_dir / CLUSTERS_FILE)
        meta["clusters"] = {"source": "models/vectors (arabic-geo-nlp train vectors)", "words": len(table),
                            "sizes": list(sizes), "files": copied}
    (out_dir / CONTEXTS_FILE).unlink(missing_ok=True)
    news = corpus_sentences(data_dir, dev_articles_dir(data_dir)) if needs_news(meta["features"]) else []
    if meta["features"].get("contexts"):
        prior, profiles = context_profiles(train[:len(split.train)], news)
        write_profiles(profiles, prior, out_dir / CONTEXTS_FILE)
        meta["contexts"] = {"words": len(profiles), "news_tokens": sum(map(len, news)), "prior": prior}
    (out_dir / SELFTRAIN_FILE).unlink(missing_ok=True)
    if meta["features"].get("selftrain"):
        meta["selftrain"] = self_training_list(train, news, out_dir, params, meta)
    train_crf(train, out_dir, params, meta)
    meta["train_seconds"] = round(time.perf_counter() - t0, 1)
    runs = {"model": (False, 1), f"model_doc{DOC_SIZE}": (False, DOC_SIZE),
            "pipeline": (True, 1), f"pipeline_doc{DOC_SIZE}": (True, DOC_SIZE)}
    nlps = {gaz: ner_pipeline(str(out_dir), gazetteer=gaz) for gaz in (False, True)}
    meta["scores"] = {part: {name: evaluate_sentences(nlps[gaz], sents, doc_size=size)
                             for name, (gaz, size) in runs.items()}
                      for part, sents in (("dev", split.dev), ("test", split.test))}
    meta["params"] = params
    (out_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta
