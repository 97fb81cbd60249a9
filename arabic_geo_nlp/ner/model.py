"""The trained NER model: a linear-chain CRF (CRFsuite) over :mod:`.features`.

The model directory holds ``crf.model`` (the tagger), ``nameness.crf`` (the
:mod:`.nameness` classifier it reads as a feature) and ``meta.json`` (data,
parameters, scores). Tagging is per sentence and returns BIO tags.

Training goes through CRFsuite; tagging does not: :class:`CRFScorer` reads the
weights out of ``crf.model`` (exact doubles) and runs CRFsuite's Viterbi over
emission scores summed once per word type (a word's own features, and what each
neighbour offset sees of it), for all the sentences of a document at once. It gives
CRFsuite's tags (``CRFTagger.tag_crfsuite``, kept as the reference; a test compares
them) at a fraction of the cost of building feature strings for every token.

>>> tagger = CRFTagger.load(default_model_dir())
>>> tagger.tag(["قال", "الرئيس", "فلاديمير", "بوتين"])
['O', 'O', 'B-PER', 'I-PER']
"""

from __future__ import annotations

import json
import struct
from collections import OrderedDict
from importlib import resources
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
import pycrfsuite

from .clusters import CLUSTERS_FILE, SUBWORDS_FILE, SubwordClusters, read_cluster_table
from .contexts import CONTEXTS_FILE, read_profiles
from .features import Featurizer, PairInfo, _gazetteer_tags
from .nameness import NAMENESS_FILE, NamenessModel
from .selftrain import SELFTRAIN_FILE, read_shares

__all__ = ["CRFTagger", "CRFScorer", "read_crfsuite_model", "train_crf", "featurizer_for", "default_model_dir", "bio_to_spans", "MODEL_FILE", "META_FILE"]

MODEL_FILE = "crf.model"
META_FILE = "meta.json"
# Word types whose emissions CRFScorer keeps (the least recently used make way): news has about
# 19k new types per 1,000 articles, and 100k kept types miss 6.6 % of tokens against 5.7 % for all.
_MAX_WORDS = 100_000
# Sentences decoded together (padded to the longest; they are sorted by length first).
_VITERBI_BATCH = 256


def default_model_dir() -> Path:
    """The packaged model: ``arabic_geo_nlp.models/ner`` (``models/ner`` in the repo)."""
    return Path(str(resources.files("arabic_geo_nlp.models") / "ner"))


def bio_to_spans(tags: Sequence[str]) -> List[Tuple[int, int, str]]:
    """``(start, end, label)`` token spans of a BIO sequence; a stray ``I-`` opens a span.

    >>> bio_to_spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG"])
    [(0, 2, 'PER'), (3, 4, 'LOC'), (4, 5, 'ORG'), (5, 6, 'ORG')]
    """
    spans: List[Tuple[int, int, str]] = []
    for i, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        if prefix == "I" and spans and spans[-1][1] == i and spans[-1][2] == label:
            spans[-1] = (spans[-1][0], i + 1, label)
        elif prefix in ("B", "I"):
            spans.append((i, i + 1, label))
    return spans


def _cqdb_strings(data: bytes, off: int) -> List[str]:
    """The strings of a CQDB chunk (CRFsuite's label / attribute dictionary), by id."""
    if data[off:off + 4] != b"CQDB":
        raise ValueError("not a CRFsuite model: CQDB chunk expected")
    _size, _flag, _order, n, bwd = struct.unpack_from("<5I", data, off + 4)
    out = [""] * n
    for rec in struct.unpack_from(f"<{n}I", data, off + bwd):
        if rec:
            sid, ksize = struct.unpack_from("<iI", data, off + rec)
            out[sid] = data[off + rec + 8:off + rec + 7 + ksize].decode("utf-8")
    return out


def read_crfsuite_model(path: Path) -> Tuple[List[str], List[str], np.ndarray, np.ndarray]:
    """``(labels, attributes, state weights (attribute, label), transitions (label, label))`` of a
    CRFsuite 1d model file, in CRFsuite's internal id order; weights are the stored doubles."""
    data = Path(path).read_bytes()
    magic, _size, kind, _ver, _nf, n_labels, n_attrs, off_feat, off_labels, off_attrs = struct.unpack_from(
        "<4sI4s7I", data, 0)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ValueError(f"{path}: not a CRFsuite linear-chain model")
    labels = _cqdb_strings(data, off_labels)
    attrs = _cqdb_strings(data, off_attrs)
    if data[off_feat:off_feat + 4] != b"FEAT":
        raise ValueError(f"{path}: feature chunk expected")
    (n_feat,) = struct.unpack_from("<I", data, off_feat + 8)
    feats = np.frombuffer(data, dtype=np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("w", "<f8")]),
                          count=n_feat, offset=off_feat + 12)
    state = np.zeros((n_attrs, n_labels))
    trans = np.zeros((n_labels, n_labels))
    st, tr = feats[feats["type"] == 0], feats[feats["type"] == 1]
    state[st["src"], st["dst"]] = st["w"]
    trans[tr["src"], tr["dst"]] = tr["w"]
    return labels, attrs, state, trans


class CRFScorer:
    """CRFsuite's Viterbi decoding over emissions cached per word type.

    A token's emission is the sum of the weights of its feature strings
    (:meth:`.features.Featurizer.sentence`); here it is assembled from per-word sums:
    the word's own features (with ``bias``), what its neighbour at each offset sees of
    it, the ``<edge>`` features, the gazetteer B/I tags and the word bigrams.
    """

    def __init__(self, path: Path, featurizer: Featurizer, max_words: int = _MAX_WORDS):
        self.labels, attrs, self._state, self._trans = read_crfsuite_model(path)
        self._row = {attr: i for i, attr in enumerate(attrs)}
        self.featurizer = featurizer
        self._zero = np.zeros(len(self.labels))
        self._offsets = featurizer.offsets
        self._edge = {off: self._weights(f"{off}:<edge>") for off in self._offsets}
        self._bias = self._row.get("bias")
        # the weights with a zero row last: the padding of per-word sums (:meth:`_fill`)
        self._padded = np.vstack([self._state, np.zeros((1, len(self.labels)))])
        self._groups = self._feature_groups()
        self.max_words = max_words
        self._reset()

    def _weights(self, attr: str) -> np.ndarray:
        """The label weights of one attribute (zeros when the model has none)."""
        row = self._row.get(attr)
        return self._zero if row is None else self._state[row]

    def _reset(self) -> None:
        # word -> slot, least recently used first; a slot holds the word's summed weights
        # (own features with bias, then what each neighbour offset sees) and its pair info
        self._ids: OrderedDict[str, int] = OrderedDict()
        self._info: List[PairInfo] = []
        self._used: List[int] = []  # per slot: the call of _emissions that last read it
        self._free: List[int] = []
        # new words met since the last fill: their slots, how many coded weight rows each has
        # (:meth:`_feature_groups`), and those codes end to end
        self._pending: List[int] = []
        self._counts: List[int] = []
        self._codes: List[int] = []
        self._call = 0
        self._table = np.zeros((1024, 1 + len(self._offsets), len(self.labels)))

    def _feature_groups(self) -> Dict[str, Tuple[int, ...]]:
        """A word's feature -> its weight rows coded ``group * R + row`` (``R`` rows in
        :attr:`_padded`): group 0 the word's own attribute, group k the attribute
        ``off:feature`` of the k-th offset when that neighbour sees it."""
        n_rows = len(self._padded)
        groups: Dict[str, List[int]] = {}
        for attr, i in self._row.items():
            groups.setdefault(attr, []).append(i)
            for k, off in enumerate(self._offsets, start=1):
                prefix = f"{off}:"
                if attr.startswith(prefix) and self.featurizer.seen_at((attr[len(prefix):],), off):
                    groups.setdefault(attr[len(prefix):], []).append(k * n_rows + i)
        return {f: tuple(g) for f, g in groups.items()}

    def _word_id(self, text: str) -> int:
        wid = self._ids.get(text)
        if wid is not None:
            self._ids.move_to_end(text)
            self._used[wid] = self._call
            return wid
        own, info = self.featurizer.entry(text)
        wid = self._slot()
        codes = self._codes
        before = len(codes)
        if self._bias is not None:
            codes.append(self._bias)
        get = self._groups.get
        for f in own:
            rows = get(f)
            if rows is not None:
                codes.extend(rows)
        self._pending.append(wid)
        self._counts.append(len(codes) - before)
        self._ids[text] = wid
        self._info[wid] = info
        self._used[wid] = self._call
        return wid

    def _fill(self) -> None:
        """Write the summed weights of the words met since the last fill into their slots (in
        chunks: one padded gather and sum each; the sums add rows in order, as ``sum(axis=0)``)."""
        if not self._pending:
            return
        n_rows, n_groups = len(self._padded), 1 + len(self._offsets)
        pad = n_rows - 1
        codes = np.array(self._codes, dtype=np.intp)
        counts = np.array(self._counts, dtype=np.intp)
        word = np.repeat(np.arange(len(counts)), counts)
        key = word * n_groups + codes // n_rows           # (word, group), in feature order
        order = np.argsort(key, kind="stable")
        key, rows = key[order], (codes % n_rows)[order]
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        rank = np.arange(len(key)) - np.repeat(first, np.diff(np.r_[first, len(key)]))
        slots = np.array(self._pending, dtype=np.intp)
        for at in range(0, len(slots), 512):
            lo, hi = np.searchsorted(key, (at * n_groups, (at + 512) * n_groups))
            width = max(1, int(rank[lo:hi].max()) + 1) if hi > lo else 1
            idx = np.full((min(512, len(slots) - at), n_groups, width), pad, dtype=np.intp)
            idx[key[lo:hi] // n_groups - at, key[lo:hi] % n_groups, rank[lo:hi]] = rows[lo:hi]
            self._table[slots[at:at + 512]] = self._padded[idx].sum(axis=2)
        self._pending, self._counts, self._codes = [], [], []

    def _slot(self) -> int:
        """A free slot of the table: least recently used words make way while :attr:`max_words`
        are kept (never one the current call reads), else a new slot."""
        while len(self._ids) >= self.max_words:
            oldest, wid = next(iter(self._ids.items()))
            if self._used[wid] == self._call:
                break
            del self._ids[oldest]
            self._free.append(wid)
        if self._free:
            return self._free.pop()
        wid = len(self._info)
        if wid == len(self._table):
            self._table = np.concatenate([self._table, np.zeros_like(self._table)])
        self._info.append(("", None, None, ""))
        self._used.append(self._call)
        return wid

    def _emissions(self, sentences: Sequence[Sequence[str]]) -> Tuple[np.ndarray, np.ndarray]:
        """``(emissions (T, L), sentence lengths)`` of the concatenated sentences."""
        self._call += 1
        ids = [self._word_id(w) for s in sentences for w in s]
        self._fill()
        table = self._table
        idx = np.array(ids, dtype=np.intp)
        lens = np.array([len(s) for s in sentences], dtype=np.intp)
        starts = np.repeat(np.cumsum(lens) - lens, lens)
        pos = np.arange(len(idx)) - starts
        length = np.repeat(lens, lens)
        em = table[idx, 0].copy()
        for k, off in enumerate(self._offsets, start=1):
            inside = (pos + off >= 0) & (pos + off < length)
            where = np.flatnonzero(inside)
            em[where] += table[idx[where + off], k]
            em[~inside] += self._edge[off]
        weights, row, state = self._weights, self._row, self._state
        base = 0
        pair, info = self.featurizer.pair_of, self._info
        for words in sentences:
            for i, tag in enumerate(_gazetteer_tags(words)):
                if tag:
                    em[base + i] += weights(tag)
                    if i > 0:
                        em[base + i - 1] += weights(f"1:{tag}")
                    if i + 1 < len(words):
                        em[base + i + 1] += weights(f"-1:{tag}")
            for i in range(base + 1, base + len(words)):
                on_right, on_left = pair(info[ids[i - 1]], info[ids[i]])
                for f in on_right:
                    if (r := row.get(f)) is not None:
                        em[i] += state[r]
                for f in on_left:
                    if (r := row.get(f)) is not None:
                        em[i - 1] += state[r]
            base += len(words)
        return em, lens

    def tag_many(self, sentences: Sequence[Sequence[str]], extra: Optional[np.ndarray] = None) -> List[List[str]]:
        """BIO tags of each sentence (Viterbi as CRFsuite's; sentences of similar length decoded
        side by side). ``extra``: scores added to the emissions first, one row per token of the
        concatenated sentences, columns in :attr:`labels` order (another model's, :mod:`.neural`)."""
        sentences = [list(s) for s in sentences]
        out: List[List[str]] = [[] for _ in sentences]
        todo = [k for k, s in enumerate(sentences) if s]
        if not todo:
            return out
        em, lens = self._emissions([sentences[k] for k in todo])
        if extra is not None:
            em += extra
        ends = np.cumsum(lens)
        order = np.argsort(lens, kind="stable")
        labels = self.labels
        for chunk in np.array_split(order, -(-len(order) // _VITERBI_BATCH)):
            rows = [em[ends[k] - lens[k]:ends[k]] for k in chunk]
            for k, path in zip(chunk, self._viterbi(rows)):
                out[todo[k]] = [labels[c] for c in path]
        return out

    def _viterbi(self, rows: List[np.ndarray]) -> List[np.ndarray]:
        """Best label ids of each emission matrix (CRFsuite's ``crf1dc_viterbi``, ties to the lower id)."""
        lens = np.array([len(r) for r in rows])
        n_sent, n_max, n_lab = len(rows), int(lens.max()), len(self.labels)
        grid = np.zeros((n_sent, n_max, n_lab))
        for k, r in enumerate(rows):
            grid[k, :len(r)] = r
        back = np.zeros((n_sent, n_max, n_lab), dtype=np.intp)
        alpha = np.empty((n_sent, n_max, n_lab))
        alpha[:, 0] = grid[:, 0]
        trans = self._trans
        for t in range(1, n_max):
            cand = alpha[:, t - 1, :, None] + trans          # (sentence, from, to)
            back[:, t] = cand.argmax(axis=1)                  # first maximum, as CRFsuite
            alpha[:, t] = cand.max(axis=1) + grid[:, t]
        idx = np.arange(n_sent)
        y = np.zeros(n_sent, dtype=np.intp)
        path = np.zeros((n_sent, n_max), dtype=np.intp)
        for t in range(n_max - 1, -1, -1):
            follow = back[idx, t + 1, y] if t + 1 < n_max else y
            y = np.where(lens - 1 == t, alpha[idx, t].argmax(axis=1), follow)
            path[:, t] = y
        return [path[k, :n] for k, n in enumerate(lens)]


class CRFTagger:
    """A loaded CRFsuite model tagging word sequences."""

    def __init__(self, model_dir: Path):
        self.model_dir = Path(model_dir)
        self.meta: Dict = json.loads((self.model_dir / META_FILE).read_text(encoding="utf-8"))
        self.featurizer = featurizer_for(self.model_dir, self.meta.get("features") or {})
        self.scorer = CRFScorer(self.model_dir / MODEL_FILE, self.featurizer)
        self._reference: pycrfsuite.Tagger | None = None

    def __reduce__(self):
        """Pickled as its model folder: CRFsuite taggers cannot be pickled."""
        return CRFTagger, (self.model_dir,)

    @classmethod
    def load(cls, model_dir: Path) -> "CRFTagger":
        """Open the model in ``model_dir``."""
        return cls(model_dir)

    @property
    def labels(self) -> List[str]:
        """Entity labels the model predicts (``PER ORG LOC MISC``)."""
        return sorted({t.partition("-")[2] for t in self.scorer.labels if t != "O"})

    def tag(self, words: Sequence[str]) -> List[str]:
        """BIO tags for one sentence."""
        return self.scorer.tag_many([words])[0]

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> List[List[str]]:
        """BIO tags for each sentence (one batch: the sentences of a document)."""
        return self.scorer.tag_many(sentences)

    def tag_crfsuite(self, words: Sequence[str]) -> List[str]:
        """BIO tags for one sentence from CRFsuite's own tagger over the feature strings (reference)."""
        if not words:
            return []
        if self._reference is None:
            self._reference = pycrfsuite.Tagger()
            self._reference.open(str(self.model_dir / MODEL_FILE))
        return self._reference.tag(self.featurizer.sentence(words))


def featurizer_for(model_dir: Path, config: Dict | None = None) -> Featurizer:
    """The featurizer of the model in ``model_dir``: its nameness classifier, its word clusters
    (``clusters.tsv.gz``, a copy of :mod:`.vectors`' table, and ``subwords.npz``, when there) and the feature set ``config`` (default: ``meta.json``'s
    ``"features"``)."""
    model_dir = Path(model_dir)
    if config is None and (model_dir / META_FILE).is_file():
        config = json.loads((model_dir / META_FILE).read_text(encoding="utf-8")).get("features")
    tables = [read(model_dir / name) if (model_dir / name).is_file() else None
              for name, read in ((CLUSTERS_FILE, read_cluster_table), (CONTEXTS_FILE, read_profiles),
                                 (SELFTRAIN_FILE, read_shares), (SUBWORDS_FILE, SubwordClusters.load))]
    return Featurizer(NamenessModel(model_dir / NAMENESS_FILE), config, *tables)


def train_crf(
    sentences: Iterable[Tuple[Sequence[str], Sequence[str]]],
    model_dir: Path,
    params: Dict[str, float],
    meta: Dict,
) -> Path:
    """Train a CRF on ``(words, bio_tags)`` pairs and write ``crf.model`` + ``meta.json``
    (the nameness classifier must already be in ``model_dir``)."""
    model_dir = Path(model_dir)
    featurizer = featurizer_for(model_dir, meta.get("features") or {})
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(params)
    for words, tags in sentences:
        trainer.append(featurizer.sentence(words), list(tags))
    trainer.train(str(model_dir / MODEL_FILE))
    (model_dir / META_FILE).write_text(json.dumps({**meta, "params": params}, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    return model_dir
