"""Word vectors learned from unlabeled Arabic news, and the word clusters the tagger reads.

    arabic-geo-nlp train vectors [--data-dir ../shared/data] [--out models/vectors]

The text is SaudiNewsNet (30k articles of 2015 news, ``saudinewsnet/``; the articles of the
dev set, ``../shared/gold/dev/articles``, are left out by id) plus the other Arabic text of
``../shared/data`` that is not evaluation material: the ANERcorp *train* split, AQMAR, the
Wojood sample and UD Arabic-PUD. Every word is reduced to its key
(:func:`vector_key`: normalized, proclitics cut, ``لل`` read as ``ال``), so ``والرياض``
and ``الرياض`` share a vector. gensim (the ``train`` extra) learns skip-gram vectors with
two worker threads; :mod:`.clusters` turns them into nested k-means clusters, and only the
cluster table (``clusters.tsv.gz``, word → ids) ships: the tagger never needs gensim.
``meta.json`` records the settings, data sizes and the nearest neighbours of a few probe words.

>>> [vector_key(w) for w in ("والرياض", "للحوثيين", "بوتين", "2015")]
['الرياض', 'الحوثيين', 'بوتين', '<num>']
"""

from __future__ import annotations

import gzip
import json
import re
import time
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence

import numpy as np

from .clusters import CLUSTERS_FILE, SUBWORDS_FILE, SubwordClusters, char_ngrams, nested_clusters, write_cluster_table
from .gazetteer import stripped_key

__all__ = ["vector_key", "text_sentences", "corpus_sentences", "train_vectors", "default_vectors_dir", "dev_articles_dir",
           "DEFAULT_SETTINGS", "PROBES"]

META_FILE = "meta.json"
DEFAULT_SETTINGS: Dict[str, object] = {
    "method": "word2vec", "sg": 1, "vector_size": 100, "window": 5, "min_count": 3, "negative": 5,
    "epochs": 5, "sample": 1e-4, "workers": 2, "seed": 0, "sizes": [64, 256, 1024], "max_words": 200_000,
    # fastText only: character n-gram lengths, hash buckets, and the n-grams the subword table keeps
    "min_n": 2, "max_n": 5, "bucket": 500_000, "subword_min_words": 3, "subword_max_ngrams": 150_000,
}
PROBES = ("بوتين", "الرياض", "الحوثي", "وزير", "داعش", "اليمن")
_TOKEN = re.compile(r"[\u0621-\u0652\u0670\u0671]+|[0-9\u0660-\u0669]+|[A-Za-z]+")
_SENTENCE_END = re.compile(r"(?<=[.!?؟؛:])\s+")


def default_vectors_dir() -> Path:
    """The packaged vectors folder: ``arabic_geo_nlp.models/vectors`` (``models/vectors``)."""
    return Path(str(resources.files("arabic_geo_nlp.models") / "vectors"))


def dev_articles_dir(data_dir: Path) -> Path:
    """The dev articles beside ``data_dir`` (``../shared/gold/dev/articles``), whose ids the news leaves out."""
    return Path(data_dir).parent / "gold" / "dev" / "articles"


@lru_cache(maxsize=50_000)
def vector_key(word: str) -> str:
    """The form a word's vector is learned and looked up by: digits are ``<num>``, Latin words
    lower-cased, Arabic words normalized without proclitics."""
    if word[:1].isdigit():
        return "<num>"
    if word.isascii():
        return word.lower()
    return stripped_key(word)


def text_sentences(text: str) -> Iterator[List[str]]:
    """Key sequences of the sentences of a raw text (cut at line breaks and ``. ! ? ؟ ؛ :``)."""
    for line in text.splitlines():
        for part in _SENTENCE_END.split(line):
            keys = [vector_key(t) for t in _TOKEN.findall(part)]
            if keys:
                yield keys


def _news_texts(data_dir: Path, exclude_ids: set) -> Iterator[str]:
    with gzip.open(data_dir / "saudinewsnet" / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            article = json.loads(line)
            if article["id"] not in exclude_ids:
                yield article["text"]


def _reference_sentences(data_dir: Path) -> Iterator[List[str]]:
    """ANERcorp train split, AQMAR, Wojood sample and UD Arabic-PUD sentences as keys (those
    corpora that are there)."""
    from .corpora import anercorp_split, read_anercorp, read_aqmar, read_wojood

    sents = [*read_aqmar(data_dir)]
    if (data_dir / "anercorp").is_dir():
        sents = [*anercorp_split(read_anercorp(data_dir)).train, *sents]
    if (data_dir / "wojood_sample").is_dir():
        sents += read_wojood(data_dir)
    for s in sents:
        yield from text_sentences(" ".join(s.tokens))
    for path in sorted((data_dir / "ud_arabic_pud").glob("*.conllu")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# text = "):
                yield from text_sentences(line[len("# text = "):])


def corpus_sentences(data_dir: Path, exclude_dir: Optional[Path] = None, limit: Optional[int] = None
                     ) -> List[List[str]]:
    """All training sentences (keys): the news (first ``limit`` articles only, when given; those
    whose id names a file of ``exclude_dir`` left out), then the reference corpora."""
    data_dir = Path(data_dir)
    exclude = {p.stem for p in Path(exclude_dir).glob("*.txt")} if exclude_dir and Path(exclude_dir).is_dir() else set()
    out: List[List[str]] = []
    for n, text in enumerate(_news_texts(data_dir, exclude)):
        if limit is not None and n >= limit:
            break
        out.extend(text_sentences(text))
    out.extend(_reference_sentences(data_dir))
    return out


def _fit(sentences: Sequence[Sequence[str]], settings: Dict):
    """A gensim Word2Vec or FastText model (``settings["method"]``) trained on ``sentences``."""
    from gensim.models import FastText, Word2Vec  # training-time dependency (the ``train`` extra)

    common = {k: settings[k] for k in ("vector_size", "window", "min_count", "sg", "negative", "epochs",
                                       "sample", "workers", "seed")}
    if settings["method"] == "fasttext":
        return FastText(sentences=sentences, min_n=settings["min_n"], max_n=settings["max_n"],
                        bucket=settings["bucket"], **common)
    return Word2Vec(sentences=sentences, **common)


def load_model(path: Path):
    """A gensim model saved earlier (``--model``: cluster it again without retraining)."""
    from gensim.models import FastText, Word2Vec  # training-time dependency (the ``train`` extra)

    try:
        return FastText.load(str(path))
    except (AttributeError, TypeError):
        return Word2Vec.load(str(path))


def neighbours(words: Sequence[str], vectors: np.ndarray, probes: Iterable[str], n: int = 10) -> Dict[str, List[str]]:
    """The ``n`` nearest words (cosine) of each probe word found in ``words``."""
    index = {w: i for i, w in enumerate(words)}
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    out: Dict[str, List[str]] = {}
    for probe in probes:
        key = vector_key(probe)
        if key in index:
            sims = unit @ unit[index[key]]
            out[probe] = [words[j] for j in np.argsort(-sims)[1:n + 1]]
    return out


def train_vectors(data_dir: Path, out_dir: Path, settings: Optional[Dict] = None,
                  exclude_dir: Optional[Path] = None, limit: Optional[int] = None,
                  model_path: Optional[Path] = None) -> Dict:
    """Learn vectors from the corpus (or load the gensim model saved at ``model_path``), cluster
    the ``max_words`` most frequent keys, write ``clusters.tsv.gz`` (and, for fastText,
    ``subwords.npz``: :func:`subword_clusters`) and ``meta.json`` to ``out_dir``; return the meta."""
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    if exclude_dir is None:
        exclude_dir = dev_articles_dir(data_dir)
    t0 = time.perf_counter()
    if model_path is not None:
        model = load_model(model_path)
        settings.update(method="fasttext" if hasattr(model.wv, "vectors_ngrams") else "word2vec",
                        vector_size=model.vector_size, window=model.window, min_count=model.min_count, sg=model.sg,
                        negative=model.negative, epochs=model.epochs, sample=model.sample, workers=model.workers)
        if settings["method"] == "fasttext":
            settings.update(min_n=model.wv.min_n, max_n=model.wv.max_n, bucket=model.wv.bucket)
        sentences: List[List[str]] = []
        t_read = t_fit = 0.0
    else:
        sentences = corpus_sentences(data_dir, exclude_dir, limit)
        t_read = time.perf_counter() - t0
        model = _fit(sentences, settings)
        t_fit = time.perf_counter() - t0 - t_read
    kv = model.wv
    words = list(kv.index_to_key[:settings["max_words"]])
    vectors = np.asarray(kv.vectors[:len(words)], dtype=np.float32)
    sizes = sorted(settings["sizes"])
    levels = nested_clusters(vectors, sizes, seed=settings["seed"])
    out_dir.mkdir(parents=True, exist_ok=True)
    header = ("word clusters (arabic_geo_nlp.ner.vectors): word key, cluster id at each granularity\n"
              "learned from SaudiNewsNet (CC BY-NC-SA 4.0) and reference corpora; see MODEL_CARD.md")
    write_cluster_table(words, levels, sizes, out_dir / CLUSTERS_FILE, header)
    (out_dir / SUBWORDS_FILE).unlink(missing_ok=True)
    subwords = None
    if settings["method"] == "fasttext":
        subwords = subword_clusters(kv, words, levels, settings["subword_min_words"], settings["subword_max_ngrams"])
        subwords.save(out_dir / SUBWORDS_FILE)
    meta = {
        "settings": settings,
        "data": {"sentences": len(sentences) or model.corpus_count,
                 "tokens": sum(map(len, sentences)) or model.corpus_total_words, "model": str(model_path or ""),
                 "news_articles_limit": limit, "excluded_ids_from": str(exclude_dir)},
        "vocabulary": len(kv.index_to_key), "clustered_words": len(words),
        "subword_ngrams": len(subwords.index) if subwords else 0,
        "neighbours": neighbours(words, vectors, PROBES),
        "cluster_examples": _cluster_examples(words, levels[-1], PROBES),
        "seconds": {"read": round(t_read, 1), "fit": round(t_fit, 1),
                    "total": round(time.perf_counter() - t0, 1)},
    }
    (out_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta


def _cluster_examples(words: Sequence[str], finest: np.ndarray, probes: Iterable[str], n: int = 12
                      ) -> Dict[str, List[str]]:
    """The most frequent members of each probe word's finest cluster."""
    index = {w: i for i, w in enumerate(words)}
    out = {}
    for probe in probes:
        key = vector_key(probe)
        if key in index:
            members = np.flatnonzero(finest == finest[index[key]])[:n]
            out[probe] = [words[j] for j in members]
    return out


def subword_clusters(kv, words: Sequence[str], levels: Sequence[np.ndarray], min_words: int = 20,
                     max_ngrams: int = 150_000) -> SubwordClusters:
    """The :class:`.clusters.SubwordClusters` of a gensim fastText model's vectors ``kv`` for the
    clusters ``levels`` (coarse to fine) of ``words``: each finest cluster's centroid is the mean
    unit fastText vector of its words; the n-grams kept are those of at least ``min_words`` of
    ``words`` (at most ``max_ngrams``, the commonest)."""
    from gensim.models.fasttext_inner import ft_hash_bytes  # training-time dependency

    finest = np.asarray(levels[-1])
    k = int(finest.max()) + 1
    vec = np.asarray(kv[list(words)], dtype=np.float32)
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12)
    centroids = np.zeros((k, vec.shape[1]), dtype=np.float32)
    np.add.at(centroids, finest, vec)
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    ids = np.zeros((k, len(levels)), dtype=np.int64)
    for col, level in enumerate(levels):
        ids[finest, col] = np.asarray(level)
    counts: Dict[str, int] = {}
    for w in words:
        for g in set(char_ngrams(w, kv.min_n, kv.max_n)):
            counts[g] = counts.get(g, 0) + 1
    kept = sorted((g for g, c in counts.items() if c >= min_words), key=lambda g: (-counts[g], g))[:max_ngrams]
    rows = [ft_hash_bytes(g.encode("utf-8")) % kv.bucket for g in kept]
    return SubwordClusters(kept, kv.vectors_ngrams[rows], centroids, ids, kv.min_n, kv.max_n)
