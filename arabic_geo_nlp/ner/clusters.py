"""Word clusters for the NER tagger: k-means over word vectors, and the shipped cluster table.

The vectors are learned offline from unlabeled news (:mod:`.vectors`, gensim, a training-time
dependency); the tagger only reads the table this module writes: each word key (a word
without its proclitics, :func:`.gazetteer.stripped_key`) and its cluster ids at several
granularities (e.g. 64, 256 and 1024 clusters). The granularities nest: the finest
clusters come from spherical k-means over the word vectors, each coarser level clusters the
centroids of the level below, so a word's coarse id is a function of its fine one (like a
Brown-cluster path prefix).

>>> vec = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32)
>>> ids = nested_clusters(vec, (2, 4), seed=0)
>>> bool(ids[0][0] == ids[0][1] != ids[0][2] == ids[0][3]), sorted(set(ids[1].tolist())) == [0, 1, 2, 3]
(True, True)
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

__all__ = ["spherical_kmeans", "nested_clusters", "write_cluster_table", "read_cluster_table", "char_ngrams",
           "SubwordClusters", "CLUSTERS_FILE", "SUBWORDS_FILE"]

CLUSTERS_FILE = "clusters.tsv.gz"
SUBWORDS_FILE = "subwords.npz"
_CHUNK = 8192


def _nearest(x: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Index of the most similar (dot product) center of each row, in chunks."""
    return np.concatenate([(x[i:i + _CHUNK] @ centers.T).argmax(1) for i in range(0, len(x), _CHUNK)])


def spherical_kmeans(x: np.ndarray, k: int, seed: int = 0, iters: int = 20,
                     weights: np.ndarray | None = None) -> Tuple[np.ndarray, np.ndarray]:
    """``(assignments, unit centroids)`` of k-means on the unit rows of ``x`` by cosine
    (start: ``k`` distinct rows drawn with a seeded generator; empty clusters keep their centre)."""
    n = len(x)
    if n <= k:
        return np.arange(n), x.copy()
    rng = np.random.default_rng(seed)
    centers = x[rng.choice(n, size=k, replace=False)].copy()
    w = np.ones(n, dtype=x.dtype) if weights is None else weights.astype(x.dtype)
    assign = np.full(n, -1)
    for _ in range(iters):
        new = _nearest(x, centers)
        if np.array_equal(new, assign):
            break
        assign = new
        sums = np.zeros_like(centers)
        np.add.at(sums, assign, x * w[:, None])
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        filled = norms[:, 0] > 0
        centers[filled] = sums[filled] / norms[filled]
    return assign, centers


def nested_clusters(vectors: np.ndarray, sizes: Sequence[int], seed: int = 0) -> List[np.ndarray]:
    """Cluster ids of each row at each granularity of ``sizes`` (ascending): k-means with the
    largest size over the unit rows, then each smaller size over the centroids of the next."""
    x = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    sizes = sorted(sizes)
    assign, centers = spherical_kmeans(x.astype(np.float32), sizes[-1], seed)
    levels = {sizes[-1]: assign}
    for k in reversed(sizes[:-1]):
        counts = np.bincount(assign, minlength=len(centers)).astype(np.float32)
        sub, centers = spherical_kmeans(centers, k, seed, weights=counts)
        assign = sub[assign]
        levels[k] = assign
    return [levels[k] for k in sizes]


def write_cluster_table(words: Sequence[str], levels: Sequence[np.ndarray], sizes: Sequence[int],
                        path: Path, header: str = "") -> Path:
    """Write ``word<TAB>id<TAB>id…`` (one id per granularity, coarse to fine), gzipped, sorted by
    word, after ``#`` header lines (``header`` and the ``sizes``)."""
    head = "".join(f"# {line}\n" for line in header.splitlines())
    head += "# sizes\t" + "\t".join(map(str, sizes)) + "\n"
    rows = sorted(zip(words, *(lv.tolist() for lv in levels)))
    body = "".join("\t".join(map(str, r)) + "\n" for r in rows)
    Path(path).write_bytes(gzip.compress((head + body).encode("utf-8"), mtime=0))
    return Path(path)


def read_cluster_table(path: Path) -> Tuple[Tuple[int, ...], Dict[str, Tuple[str, ...]]]:
    """``(sizes, word -> cluster ids as strings)`` of a table written by :func:`write_cluster_table`."""
    sizes: Tuple[int, ...] = ()
    table: Dict[str, Tuple[str, ...]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("# sizes\t"):
                sizes = tuple(int(s) for s in line.split("\t")[1:])
            elif not line.startswith("#"):
                word, *ids = line.rstrip("\n").split("\t")
                table[word] = tuple(ids)
    return sizes, table


def char_ngrams(word: str, min_n: int, max_n: int) -> List[str]:
    """The character n-grams fastText (and gensim's ``FastText``) reads of a word: those of
    ``<word>``, shortest first.

    >>> char_ngrams("بوتين", 4, 5)
    ['<بوت', 'بوتي', 'وتين', 'تين>', '<بوتي', 'بوتين', 'وتين>']
    """
    padded = f"<{word}>"
    return [padded[i:i + n] for n in range(min_n, max_n + 1) for i in range(len(padded) - n + 1)]


class SubwordClusters:
    """Cluster ids for a word missing from the cluster table, from its character n-grams.

    A fastText model gives a word it never saw the mean of its n-gram vectors; this table keeps
    the vectors of the n-grams common in the news vocabulary (float16) and, for each cluster of
    the finest granularity, its centroid in that vector space and its ids at every granularity.
    A word gets the ids of the centroid nearest (cosine) to the sum of its known n-gram vectors,
    or ``None`` when it has no known n-gram. Saved as one ``.npz`` (no gensim needed to read it).

    >>> sub = SubwordClusters(["<اب", "اب>"], np.eye(2, dtype=np.float16), np.eye(2, dtype=np.float32),
    ...                       np.array([[0, 5], [1, 7]]), 3, 3)
    >>> sub.assign("اب"), sub.assign("ت")
    (('0', '5'), None)
    """

    def __init__(self, ngrams: Sequence[str], vectors: np.ndarray, centroids: np.ndarray, ids: np.ndarray,
                 min_n: int, max_n: int):
        self.index = {g: i for i, g in enumerate(ngrams)}
        self.vectors = np.asarray(vectors, dtype=np.float16)
        self.centroids = np.asarray(centroids, dtype=np.float32)
        self.ids = [tuple(str(int(x)) for x in row) for row in np.asarray(ids)]
        self.min_n, self.max_n = int(min_n), int(max_n)

    def assign(self, key: str) -> Optional[Tuple[str, ...]]:
        """The cluster ids (coarse to fine, as strings) of a word key, or ``None``."""
        rows = [i for i in map(self.index.get, char_ngrams(key, self.min_n, self.max_n)) if i is not None]
        if not rows:
            return None
        vec = self.vectors[rows].astype(np.float32).sum(axis=0)
        return self.ids[int((self.centroids @ vec).argmax())]

    def save(self, path: Path) -> Path:
        """Write the table as a compressed ``.npz``."""
        with open(path, "wb") as f:
            np.savez_compressed(f, ngrams=np.array(list(self.index), dtype=str), vectors=self.vectors,
                                centroids=self.centroids, ids=np.array([[int(x) for x in r] for r in self.ids]),
                                n=np.array([self.min_n, self.max_n]))
        return Path(path)

    @classmethod
    def load(cls, path: Path) -> "SubwordClusters":
        """Read a table written by :meth:`save`."""
        with np.load(path) as z:
            return cls(z["ngrams"].tolist(), z["vectors"], z["centroids"], z["ids"], *z["n"].tolist())
