"""Word clusters for the NER tagger, learned offline from unlabeled text (numpy only).

Each word of the unlabeled text (seen at least ``min_count`` times) gets a vector: the
positive PMI (context counts smoothed by ^0.75) of the frequent words at its left and
right (±2), reduced by a randomized
SVD; a hierarchical k-means (``branch`` clusters per level, ``depth`` levels, seeded
k-means++) then gives each word a *cluster path* of digits, like a Brown-cluster bit
string: ``"3"``, ``"31"``, ``"317"`` are coarser and finer classes of the same word.
The tagger reads path prefixes as features (:class:`.features.Featurizer`).

Text: the ANERcorp *train and dev* parts (never test), AQMAR, the Wojood sample,
UD Arabic-PUD and the ANETAC names (each name a short sequence). Deterministic: fixed
order, fixed seeds.

>>> paths = word_clusters([["قال", "الرئيس", "بوتين"], ["قال", "الرئيس", "ماكرون"]] * 3,
...                       min_count=2, branch=2, depth=2, dims=2)
>>> sorted(paths) == ["الرئيس", "بوتين", "قال", "ماكرون"], all(len(p) == 2 for p in paths.values())
(True, True)
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Sequence

import numpy as np

from .gazetteer import word_key

__all__ = ["word_clusters", "cluster_texts", "write_clusters"]

HEADER = "# word clusters (arabic_geo_nlp.ner.clusters): normalized word <TAB> cluster path\n"


def cluster_texts(data_dir: Path, train_sentences: Iterable[Sequence[str]]) -> List[List[str]]:
    """The unlabeled text: ``train_sentences`` (ANERcorp train + dev tokens), then AQMAR, the
    Wojood sample, UD Arabic-PUD and ANETAC names, as lists of normalized words."""
    from .corpora import read_aqmar, read_wojood

    data_dir = Path(data_dir)
    texts: List[List[str]] = [list(s) for s in train_sentences]
    texts += [s.tokens for s in (*read_aqmar(data_dir), *read_wojood(data_dir))]
    for path in sorted((data_dir / "ud_arabic_pud").glob("*.conllu")):
        sent: List[str] = []
        skip_until = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 2:
                if sent:
                    texts.append(sent)
                sent, skip_until = [], 0
                continue
            if "-" in cols[0]:                       # a multiword token: keep its surface form
                sent.append(cols[1])
                skip_until = int(cols[0].split("-")[1])
            elif cols[0].isdigit() and int(cols[0]) > skip_until:
                sent.append(cols[1])
        if sent:
            texts.append(sent)
    anetac = data_dir / "gazetteers/anetac_en_ar_names/EN-AR Named-entities.txt"
    if anetac.is_file():
        for line in anetac.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 3:
                texts.append(parts[2:])
    return [[word_key(w) for w in s] for s in texts]


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iters: int = 25) -> np.ndarray:
    """Cluster ids of the rows of ``x`` (k-means++ start, Lloyd iterations)."""
    n = len(x)
    if n <= k:
        return np.arange(n)
    centers = [x[rng.integers(n)]]
    dist = ((x - centers[0]) ** 2).sum(1)
    for _ in range(1, k):
        total = dist.sum()
        pick = rng.choice(n, p=dist / total) if total > 0 else rng.integers(n)
        centers.append(x[pick])
        dist = np.minimum(dist, ((x - x[pick]) ** 2).sum(1))
    c = np.stack(centers)
    assign = np.zeros(n, dtype=np.intp)
    for _ in range(iters):
        d = (x ** 2).sum(1)[:, None] - 2 * x @ c.T + (c ** 2).sum(1)[None]
        new = d.argmin(1)
        if np.array_equal(new, assign) and _:
            break
        assign = new
        for j in range(k):
            members = x[assign == j]
            if len(members):
                c[j] = members.mean(0)
    return assign


def word_clusters(texts: Sequence[Sequence[str]], min_count: int = 3, n_context: int = 1000,
                  dims: int = 64, branch: int = 8, depth: int = 3, seed: int = 0) -> Dict[str, str]:
    """Cluster path (``depth`` digits) of each word seen ``min_count`` times in ``texts``."""
    counts = Counter(w for s in texts for w in s)
    vocab = sorted((w for w, n in counts.items() if n >= min_count), key=lambda w: (-counts[w], w))
    if not vocab:
        return {}
    index = {w: i for i, w in enumerate(vocab)}
    contexts = {w: i for i, w in enumerate(vocab[:n_context])}
    n_ctx = len(contexts)
    rows, cols = [], []
    for s in texts:
        ids = [index.get(w, -1) for w in s]
        ctx = [contexts.get(w, -1) for w in s]
        for i, wid in enumerate(ids):
            if wid < 0:
                continue
            for k, off in enumerate((-2, -1, 1, 2)):
                j = i + off
                if 0 <= j < len(s) and ctx[j] >= 0:
                    rows.append(wid)
                    cols.append(k * n_ctx + ctx[j])
    m = np.zeros((len(vocab), 4 * n_ctx))
    np.add.at(m, (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)), 1.0)
    total = m.sum()
    if total == 0:
        return {w: "0" * depth for w in vocab}
    pw = m.sum(1, keepdims=True) / total
    pc = m.sum(0, keepdims=True) ** 0.75                    # context distribution smoothing
    pc /= pc.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(m / total / (pw * pc))
    ppmi = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0)
    rng = np.random.default_rng(seed)
    dims = min(dims, *ppmi.shape)
    q, _ = np.linalg.qr(ppmi @ rng.standard_normal((ppmi.shape[1], dims + 10)))
    u, sv, _ = np.linalg.svd(q.T @ ppmi, full_matrices=False)
    vec = (q @ u)[:, :dims] * np.sqrt(sv[:dims])
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12)
    paths = [""] * len(vocab)
    groups = [np.arange(len(vocab))]
    for _level in range(depth):
        nxt = []
        for g in groups:
            assign = _kmeans(vec[g], branch, rng)
            for j in range(branch):
                members = g[assign == j]
                for i in members:
                    paths[i] += str(j)
                if len(members):
                    nxt.append(members)
        groups = nxt
    return dict(zip(vocab, paths))


def write_clusters(paths: Dict[str, str], path: Path) -> Path:
    """Write ``word<TAB>path`` lines (sorted) with a header comment."""
    body = "".join(f"{w}\t{p}\n" for w, p in sorted(paths.items()))
    Path(path).write_text(HEADER + body, encoding="utf-8")
    return Path(path)
