"""The neural tagger at run time, numpy only: frozen news vectors + feature bag → BiLSTM → label scores.

``models/ner_neural/`` holds ``tagger.npz`` (labels, bag features and their embeddings, the
BiLSTM and output weights, exported from torch by :mod:`.train`), ``vectors.npz`` (the vector
keys and their float16 vectors; optionally a table of character n-gram vectors for words
outside it) and ``meta.json``. Everything a word contributes before the recurrence (its input
projection) is computed once per word type and cached; the recurrence runs over all the sentences
of a batch at once, sorted by length.

:class:`CRFNeuralTagger` adds the network's log-probabilities (times a weight chosen on dev) to the
CRF's emission scores before the CRF's Viterbi (:meth:`.model.CRFScorer.tag_many`'s ``extra``).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

from ..model import CRFTagger
from ..clusters import char_ngrams
from .inputs import bag_ids, vector_key_of

__all__ = ["NeuralTagger", "CRFNeuralTagger", "default_neural_dir", "pack_strings", "unpack_strings", "TAGGER_FILE",
           "VECTORS_FILE", "META_FILE"]

TAGGER_FILE = "tagger.npz"
VECTORS_FILE = "vectors.npz"
META_FILE = "meta.json"
# Word types whose input projections are kept (the cache is emptied when full).
_MAX_TYPES = 200_000


def default_neural_dir() -> Path:
    """The packaged model: ``arabic_geo_nlp.models/ner_neural`` (``models/ner_neural`` in the repo)."""
    return Path(str(resources.files("arabic_geo_nlp.models") / "ner_neural"))


def pack_strings(strings: Sequence[str]) -> np.ndarray:
    """Strings as one UTF-8 byte array, newline-separated (a quarter of numpy's unicode arrays' size).

    >>> unpack_strings(pack_strings(["بوتين", "<num>"]))
    ['بوتين', '<num>']
    """
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def unpack_strings(packed: np.ndarray) -> List[str]:
    """The strings of :func:`pack_strings`."""
    return packed.tobytes().decode("utf-8").split("\n") if packed.size else []


def _chunks(lens: np.ndarray, waste: float = 1.2, least: int = 8, most: int = 1024) -> List[np.ndarray]:
    """Indices of the non-empty sentences in groups run together: by increasing length, a group of
    at least ``least`` sentences closes before padding would exceed ``waste`` × its tokens (or at
    ``most`` sentences).

    >>> [c.tolist() for c in _chunks(np.array([3, 0, 30, 3, 4]), least=1)]
    [[0, 3, 4], [2]]
    """
    order = [k for k in np.argsort(lens, kind="stable") if lens[k]]
    out: List[List[int]] = []
    tokens = 0
    for k in order:
        n = int(lens[k])
        if not out or len(out[-1]) >= most or (len(out[-1]) + 1) * n > waste * (tokens + n) and len(out[-1]) >= least:
            out.append([])
            tokens = 0
        out[-1].append(k)
        tokens += n
    return [np.array(c, dtype=np.intp) for c in out]


class NeuralTagger:
    """Label log-probabilities of every token of a batch of sentences (see the module docstring)."""

    def __init__(self, model_dir: Optional[Path] = None, oov: Optional[str] = None):
        self.model_dir = Path(model_dir) if model_dir else default_neural_dir()
        self.meta: Dict = json.loads((self.model_dir / META_FILE).read_text(encoding="utf-8"))
        w = np.load(self.model_dir / TAGGER_FILE)
        self.labels: List[str] = [str(x) for x in w["labels"]]
        self._feat_index = {str(f): i + 1 for i, f in enumerate(w["features"])}
        self._feat_emb = w["feat_emb"].astype(np.float32)
        self._bag_width = int(w["bag_width"])
        # gates i, f, o scaled by 1/2: one tanh gives them all, as sigmoid(x) = (1 + tanh(x / 2)) / 2
        scale = np.repeat(np.array([0.5, 0.5, 1.0, 0.5], dtype=np.float32), w["w_hh"].shape[2])
        self._w_ih = w["w_ih"].astype(np.float32) * scale[:, None]          # (2, 4H, input)
        self._w_hh_t = np.ascontiguousarray((w["w_hh"].astype(np.float32) * scale[:, None]).transpose(0, 2, 1))
        self._b = w["b"].astype(np.float32) * scale                          # (2, 4H)
        self._w_out_t = np.ascontiguousarray(w["w_out"].astype(np.float32).T)  # (2H, L)
        self._b_out = w["b_out"].astype(np.float32)
        v = np.load(self.model_dir / VECTORS_FILE)
        self._key_index = {k: i for i, k in enumerate(unpack_strings(v["keys"]))}
        self._vectors = v["vectors"]
        self.oov = oov or self.meta.get("oov", "zero")
        has_ngrams = "ngrams" in v.files and self.oov == "ngrams"
        self._ngram_index = {k: i for i, k in enumerate(unpack_strings(v["ngrams"]))} if has_ngrams else {}
        self._ngram_vectors = v["ngram_vectors"] if has_ngrams else None
        fasttext = self.meta.get("fasttext", {}).get("settings", {})  # the n-gram sizes the vectors were learned with
        self._ngram_sizes = (fasttext.get("min_n", 2), fasttext.get("max_n", 5))
        self._reset()

    def __reduce__(self):
        return NeuralTagger, (self.model_dir, self.oov)

    def _reset(self) -> None:
        self._rows: Dict[str, int] = {}
        self._pre = np.zeros((0, *self._b.shape), dtype=np.float32)

    def word_vector(self, word: str) -> np.ndarray:
        """The news vector of ``word`` (float32): its key's, else (``oov="ngrams"``) the mean of
        its known character n-grams', else zeros."""
        key = vector_key_of(word)
        row = self._key_index.get(key) if key is not None else None
        if row is not None:
            return self._vectors[row].astype(np.float32)
        if key is not None and self._ngram_vectors is not None:
            rows = [r for g in char_ngrams(key, *self._ngram_sizes) if (r := self._ngram_index.get(g)) is not None]
            if rows:
                return self._ngram_vectors[rows].astype(np.float32).mean(axis=0)
        return np.zeros(self._vectors.shape[1], dtype=np.float32)

    def _type_rows(self, words: Sequence[str]) -> np.ndarray:
        """Cache rows of ``words``; new types get their input projections (both directions) computed."""
        new = list(dict.fromkeys(w for w in words if w not in self._rows))
        if len(self._rows) + len(new) > _MAX_TYPES:
            self._reset()
            new = list(dict.fromkeys(words))
        if new:
            vecs = np.stack([self.word_vector(w) for w in new])
            bags = self._feat_emb[bag_ids(new, self._feat_index, self._bag_width)].sum(axis=1)
            x = np.concatenate([vecs, bags], axis=1)
            pre = np.einsum("ni,dgi->ndg", x, self._w_ih) + self._b
            base = len(self._pre)
            self._pre = np.concatenate([self._pre, pre.astype(np.float32)])
            self._rows.update((w, base + k) for k, w in enumerate(new))
        return np.array([self._rows[w] for w in words], dtype=np.intp)

    def scores(self, sentences: Sequence[Sequence[str]]) -> np.ndarray:
        """``(tokens, labels)`` log-probabilities of the concatenated sentences (labels: :attr:`labels`)."""
        words = [w for s in sentences for w in s]
        lens = np.array([len(s) for s in sentences], dtype=np.intp)
        out = np.zeros((len(words), len(self.labels)), dtype=np.float32)
        if not words:
            return out
        rows = self._type_rows(words)
        starts = np.cumsum(lens) - lens
        hidden = np.zeros((len(words), 2 * self._w_hh_t.shape[1]), dtype=np.float32)
        for chunk in _chunks(lens):
            self._run(rows, starts[chunk], lens[chunk], hidden)
        logits = hidden @ self._w_out_t + self._b_out
        logits -= logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))

    def _run(self, rows: np.ndarray, starts: np.ndarray, lens: np.ndarray, hidden: np.ndarray) -> None:
        """The BiLSTM over one chunk of sentences; writes both directions' states into ``hidden``."""
        n, t_max, size = len(lens), int(lens.max()), self._w_hh_t.shape[1]
        steps = np.arange(t_max)
        valid = steps[:, None] < lens[None, :]                               # (T, B)
        fwd = np.where(valid, starts[None, :] + steps[:, None], 0)
        bwd = np.where(valid, starts[None, :] + lens[None, :] - 1 - steps[:, None], 0)
        # row of the flat (type × direction) projection table each step reads: (T, 2, B)
        at = np.stack([rows[fwd] * 2, rows[bwd] * 2 + 1], axis=1)
        flat = self._pre.reshape(-1, self._pre.shape[2])
        h = np.zeros((2, n, size), dtype=np.float32)
        c = np.zeros_like(h)
        states = np.empty((t_max, 2, n, size), dtype=np.float32)
        w_hh_t = self._w_hh_t
        for t in range(t_max):
            act = np.tanh(flat[at[t]] + np.matmul(h, w_hh_t))
            act[..., :2 * size] += 1.0
            act[..., 3 * size:] += 1.0
            c = 0.5 * (act[..., size:2 * size] * c + act[..., :size] * act[..., 2 * size:3 * size])
            h = states[t] = 0.5 * act[..., 3 * size:] * np.tanh(c)
        hidden[fwd[valid], :size] = states[:, 0][valid]
        hidden[bwd[valid], size:] = states[:, 1][valid]

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> List[List[str]]:
        """BIO tags of each sentence: the best label of each token (the network alone)."""
        best = self.scores(sentences).argmax(axis=1)
        out, at = [], 0
        for s in sentences:
            out.append([self.labels[k] for k in best[at:at + len(s)]])
            at += len(s)
        return out


class CRFNeuralTagger:
    """The CRF's Viterbi over its own emission scores plus ``weight`` × the network's log-probabilities."""

    def __init__(self, crf: CRFTagger, neural: NeuralTagger, weight: Optional[float] = None):
        self.crf, self.neural = crf, neural
        self.weight = float(neural.meta.get("crf_weight", 1.0) if weight is None else weight)
        self._perm = np.array([neural.labels.index(lab) for lab in crf.scorer.labels])
        self.model_dir = crf.model_dir

    @property
    def labels(self) -> List[str]:
        """Entity labels the model predicts."""
        return self.crf.labels

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> List[List[str]]:
        """BIO tags of each sentence."""
        extra = self.weight * self.neural.scores(sentences)[:, self._perm].astype(np.float64)
        return self.crf.scorer.tag_many(sentences, extra=extra)
