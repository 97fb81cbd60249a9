"""Token features for the NER tagger: Arabic-aware word features in a context window.

A word's own features depend only on its text and are cached: its normalized
form, the clitic-stripped stem (:func:`arabic_geo_nlp.clitics.analyze`), the
proclitic and suffix strings, stem affixes, shape, length, and membership in the
name lexicons (ANETAC words as PER/LOC/ORG, gazetteer single words). Context adds
neighbours' features (±2 words), word bigrams, and the label of any multiword
gazetteer match covering the token. A :class:`Featurizer` adds the trained
:mod:`.nameness` classifier's verdict when it has one, and the optional groups of its
``config`` (recorded in the model's ``meta.json``): conjunctions (proclitic × nameness
class, proclitic × lexicon class, previous word × nameness class), word clusters
(:mod:`.clusters`; for a word outside the table, optionally those its character n-grams point to;
cluster × proclitic and cluster × previous cluster conjunctions), name contexts (:mod:`.contexts`), self-training levels (:mod:`.selftrain`),
longer affixes, a ±3 window, and leaving out word identities or bigrams.

The tagger's decoder (:class:`.model.CRFScorer`) sums weights per word type, so every
feature is one of: a word's own (:meth:`Featurizer.word`), what a neighbour at an offset
sees of it (:meth:`Featurizer.views`), a pair of adjacent words (:meth:`Featurizer.pair`),
a gazetteer B/I tag, or ``<edge>``. A new feature must fit one of these.

>>> feats = Featurizer().sentence(["قال", "الرئيس", "فلاديمير", "بوتين"])
>>> "w=بوتين" in feats[3], "-1:w=فلاديمير" in feats[3], "lex=PER" in feats[3]
(True, True, True)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from ..clitics import analyze
from .clusters import SubwordClusters
from .gazetteer import load_gazetteer, load_name_lexicon, stripped_key, word_key
from .nameness import NamenessModel
from .vectors import vector_key

__all__ = ["Featurizer", "word_features", "shape", "DEFAULT_CONFIG", "PairInfo"]

# Which of a word's features its neighbours see, by distance.
_NEAR = ("w=", "s=", "lex=", "gaz=", "shape=", "x2=", "pfx=", "nm")
# Nameness probability above which a class is "hi" / "mid".
_NAMENESS_LEVELS = ((0.5, "hi"), (0.2, "mid"))
_FAR = ("w=", "s=", "lex=")
_OFFSETS = (-2, -1, 1, 2)
# What Featurizer.pair reads of a word: its key (``w=`` feature), nameness class, coarsest
# cluster id and lexicon classes.
PairInfo = Tuple[str, Optional[str], Optional[str], str]


def shape(text: str) -> str:
    """Coarse word shape: ``arabic``, ``latin``, ``digit``, ``punct``, ``space`` or ``mixed``.

    >>> [shape(t) for t in ("روسيا", "NATO", "2024", "،", "G7")]
    ['arabic', 'latin', 'digit', 'punct', 'mixed']
    """
    if text.isspace():
        return "space"
    if text.isdigit():
        return "digit"
    if not any(c.isalnum() for c in text):
        return "punct"
    if all("\u0600" <= c <= "\u06ff" or not c.isalnum() for c in text):
        return "arabic"
    if text.isascii() and text.isalpha():
        return "latin"
    return "mixed"


def _length_bucket(n: int) -> str:
    return str(n) if n < 6 else "6-7" if n < 8 else "8+"


@lru_cache(maxsize=300_000)
def word_features(text: str) -> Tuple[str, ...]:
    """Context-free features of one token (cached by text).

    >>> word_features("وبوتين")[:4]
    ('w=وبوتين', 's=بوتين', 'pfx=و', 'sfx=')
    """
    return _word_features(text)


def _word_features(text: str) -> Tuple[str, ...]:
    kind = shape(text)
    if kind in ("space", "punct", "digit"):
        return (f"w={word_key(text)}" if kind == "punct" else f"w=<{kind}>", f"shape={kind}")
    clitics = analyze(text)
    norm = word_key(text)
    stem = word_key(clitics.stem) if clitics.stem else norm
    feats = [f"w={norm}", f"s={stem}", f"pfx={word_key(clitics.prefix) if clitics.prefix else ''}",
             f"sfx={word_key(clitics.suffix) if clitics.suffix else ''}",
             f"p2={norm[:2]}", f"p3={norm[:3]}", f"sp2={stem[:2]}",
             f"x1={stem[-1:]}", f"x2={stem[-2:]}", f"x3={stem[-3:]}",
             f"shape={kind}", f"len={_length_bucket(len(stem))}"]
    lexicon = load_name_lexicon()
    labels = set(lexicon.get(stem, "").split("|")) | set(lexicon.get(norm, "").split("|"))
    feats.extend(f"lex={lab}" for lab in sorted(labels) if lab)
    hit = load_gazetteer().lookup([text])
    if hit is not None:
        feats.append(f"gaz={hit[0]}")
    if stripped_key(text) != norm:
        feats.append("clitic")
    return tuple(feats)


def _gazetteer_tags(words: Sequence[str]) -> List[str]:
    tags = [""] * len(words)
    for start, end, label, _ in load_gazetteer().match(words):
        if end - start > 1:
            tags[start] = f"gzB={label}"
            for i in range(start + 1, end):
                tags[i] = f"gzI={label}"
    return tags


def _nameness_features(proba: dict) -> Tuple[str, ...]:
    if not proba:
        return ()
    feats = [f"nm={max(proba, key=proba.get)}"]
    for label in sorted(proba):
        level = next((name for cut, name in _NAMENESS_LEVELS if proba[label] > cut), None)
        if label != "O" and level:
            feats.append(f"nm{label}={level}")
    return tuple(feats)


# Feature options and their defaults (a model trained before the options existed); a model's
# ``meta.json`` ``"features"`` overrides them (the shipped set: ``train.DEFAULT_FEATURES``).
DEFAULT_CONFIG: Dict[str, object] = {
    "near": list(_NEAR),      # a word's features its neighbours at ±1 see
    "far": list(_FAR),        # … at ±2
    "wide": [],               # … at ±3 (none: no ±3 window)
    "conj": False,            # proclitic × nameness and previous word × nameness conjunctions
    "clusters": [],           # word-cluster features: granularities of the cluster table (clusters.tsv.gz) used
    "cluster_window": 1,      # neighbours up to this distance see a word's cluster ids
    "cluster_conj": False,    # previous word × this word's coarsest cluster
    "contexts": False,        # name-context levels mined from news (contexts.tsv.gz), also seen at ±1
    "context_conj": False,    # next word × nameness class, previous word × lexicon classes
    "drop": [],               # prefixes of word features left out (["w=", "s="]: no word identities)
    "bigrams": True,          # word bigram features
    "selftrain": False,       # self-training levels: how a first tagger labels the word in the news (selftrain.tsv.gz), also seen at ±1
    "affix4": False,          # 4-character prefix of the word, 3-character prefix and 4-character suffix of its stem
    "cluster_pairs": False,   # proclitic × the word's coarsest cluster, previous word's × this word's coarsest cluster
    "subwords": False,        # a word missing from the cluster table gets the clusters its character n-grams point to (subwords.npz)
    "subword_feats": False,   # every word's n-gram clusters as features of their own (sw64=…), also seen at ±1
}


def _long_affixes(text: str) -> Tuple[str, ...]:
    """Longer affixes than :func:`word_features` has: the word's first 4 characters, its
    stem's first 3 and last 4 (name patterns such as عبد ال… or …ستان).

    >>> _long_affixes("وأفغانستان")
    ('p4=وافغ', 'sp3=افغ', 'x4=ستان')
    """
    norm = word_key(text)
    stem = word_key(analyze(text).stem or text)
    return (f"p4={norm[:4]}", f"sp3={stem[:3]}", f"x4={stem[-4:]}")


class Featurizer:
    """Feature extraction for the tagger, with an optional :class:`NamenessModel`.

    ``config`` (:data:`DEFAULT_CONFIG` keys) chooses the context window and the extra
    feature groups; ``clusters`` is a cluster table (:func:`.clusters.read_cluster_table`: its
    granularities, and word key → cluster ids) and ``subwords`` its fallback for other words
    (:class:`.clusters.SubwordClusters`, same granularities), ``contexts`` maps a word key to its name-context
    features (:func:`.contexts.read_profiles`); keys are :func:`.vectors.vector_key`.
    """

    def __init__(self, nameness: Optional[NamenessModel] = None, config: Optional[Dict] = None,
                 clusters: Optional[Tuple[Tuple[int, ...], Dict[str, Tuple[str, ...]]]] = None,
                 contexts: Optional[Dict[str, Tuple[str, ...]]] = None,
                 selftrain: Optional[Dict[str, Tuple[str, ...]]] = None,
                 subwords: Optional[SubwordClusters] = None):
        self.nameness = nameness
        self.contexts = contexts or {}
        self.selftrain = selftrain or {}
        self.config = {**DEFAULT_CONFIG, **(config or {})}
        sizes, self.clusters = clusters or ((), {})
        used = [int(k) for k in self.config["clusters"]]
        self._cluster_cols = tuple((k, sizes.index(k)) for k in used if k in sizes)
        if used and len(self._cluster_cols) != len(used):
            raise ValueError(f"cluster granularities {used} not all in the cluster table {sizes}")
        near, far, wide = (tuple(self.config[k]) for k in ("near", "far", "wide"))
        self._contexts = bool(self.config["contexts"])
        if self._contexts:
            near = near + ("cx",)
        self._selftrain = bool(self.config["selftrain"])
        if self._selftrain:
            near = near + ("st",)
        if self._cluster_cols and self.config["subword_feats"]:
            near = near + ("sw",)
        if self._cluster_cols:
            window = int(self.config["cluster_window"])
            near, far, wide = (keep + ("wc",) if window >= d else keep for d, keep in ((1, near), (2, far), (3, wide)))
        self.offsets: Tuple[int, ...] = ((-3,) if wide else ()) + _OFFSETS + ((3,) if wide else ())
        self._keep = {off: near if abs(off) == 1 else far if abs(off) == 2 else wide for off in self.offsets}
        self._conj = bool(self.config["conj"])
        self._cluster_conj = bool(self.config["cluster_conj"]) and bool(self._cluster_cols)
        self._cluster_pairs = bool(self.config["cluster_pairs"]) and bool(self._cluster_cols)
        self._drop = tuple(self.config["drop"])
        self._bigrams = bool(self.config["bigrams"])
        self._context_conj = bool(self.config["context_conj"])
        self._affix4 = bool(self.config["affix4"])
        self._subwords = subwords if self.config["subwords"] or self.config["subword_feats"] else None
        self._subword_feats = bool(self.config["subword_feats"]) and bool(self._cluster_cols)
        if (self.config["subwords"] or self._subword_feats) and self._cluster_cols and subwords is None:
            raise ValueError("feature set wants subword clusters but no subword table was given")
        self.word = lru_cache(maxsize=300_000)(self._word)
        self._seen_as = lru_cache(maxsize=300_000)(self._views)
        self._pair_info = lru_cache(maxsize=300_000)(lambda text: self.pair_info(text, self.word(text)))

    def entry(self, text: str) -> Tuple[Tuple[str, ...], "PairInfo"]:
        """A word's own features and what :meth:`pair_of` reads of it, computed afresh (nothing
        cached: for a caller that keeps its own per-word table, as :class:`.model.CRFScorer`)."""
        base = _word_features(text)
        own, info = self._own(text, base)
        return own, (info if not self._drop else self.pair_info(text, own, base[0]))

    def pair_info(self, text: str, own: Tuple[str, ...], key: Optional[str] = None) -> "PairInfo":
        """``(word key, nameness class, coarsest cluster, lexicon classes)`` of a word whose own
        features are ``own``: all that :meth:`pair_of` reads of it."""
        return (word_features(text)[0] if key is None else key,
                next((f[3:] for f in own if f.startswith("nm=")), None),
                next((f[2:] for f in own if f.startswith("wc")), None),
                "|".join(f[4:] for f in own if f.startswith("lex=")))

    def _word(self, text: str, base: Optional[Tuple[str, ...]] = None) -> Tuple[str, ...]:
        return self._own(text, word_features(text) if base is None else base)[0]

    def _own(self, text: str, feats: Tuple[str, ...]) -> Tuple[Tuple[str, ...], "PairInfo"]:
        """The own features of a word whose context-free ones are ``feats``, and its pair info
        (:meth:`pair_info`, before ``drop``), read off as the features are made."""
        arabic = "shape=arabic" in feats
        named = arabic or "shape=latin" in feats
        lex = "|".join(f[4:] for f in feats if f.startswith("lex="))
        pfx = next((f[4:] for f in feats if f.startswith("pfx=")), "")
        extra: List[str] = []
        nm = wc = None
        if self.nameness is not None and arabic:
            nm_feats = _nameness_features(self.nameness.proba(text))
            if nm_feats:
                nm = nm_feats[0][3:]
                extra.extend(nm_feats)
        key = vector_key(text) if named and (self._cluster_cols or self._contexts or self._selftrain) else ""
        if self._cluster_cols and named:
            ids = self.clusters.get(key)
            sub = self._subwords.assign(key) if self._subwords is not None else None
            if self._subword_feats:
                extra.extend(tuple(f"sw{k}={sub[col]}" for k, col in self._cluster_cols) if sub else ("sw=none",))
            elif ids is None:
                ids = sub
            wc_feats = tuple(f"wc{k}={ids[col]}" for k, col in self._cluster_cols) if ids else ("wc=none",)
            wc = wc_feats[0][2:]
            extra.extend(wc_feats)
            if self._cluster_pairs:
                extra.append(f"pfx*wc={pfx}|{ids[self._cluster_cols[0][1]] if ids else 'none'}")
        if self._contexts and named:
            extra.extend(self.contexts.get(key, ("cx=none",)))
        if self._selftrain and named:
            extra.extend(self.selftrain.get(key, ("st=none",)))
        if self._affix4 and arabic:
            extra.extend(_long_affixes(text))
        if self._conj:
            if nm is not None:
                extra.append(f"pfx*nm={pfx}|{nm}")
            if lex:
                extra.append(f"pfx*lex={pfx}|{lex}")
        own = feats + tuple(extra) if extra else feats
        if self._drop:
            own = tuple(f for f in own if not f.startswith(self._drop))
        return own, (feats[0], nm, wc, lex)

    def views(self, text: str) -> Dict[int, Tuple[str, ...]]:
        """What a neighbour at each offset sees of this word (prefixed features)."""
        return self._seen_as(text)

    def _views(self, text: str) -> Dict[int, Tuple[str, ...]]:
        own = self.word(text)
        return {off: tuple(f"{off}:{f}" for f in self.seen_at(own, off)) for off in self.offsets}

    def seen_at(self, own: Tuple[str, ...], off: int) -> List[str]:
        """The own features ``own`` of a word that its neighbour at offset ``off`` sees
        (unprefixed: :meth:`views` prefixes them with ``off:``)."""
        keep = self._keep[off]
        return [f for f in own if f.startswith(keep)] if keep else []

    def pair(self, left: str, right: str) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
        """Features of two adjacent words: those of the right token, those of the left token."""
        return self.pair_of(self._pair_info(left), self._pair_info(right))

    def pair_of(self, left: "PairInfo", right: "PairInfo") -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
        """:meth:`pair` from the two words' :meth:`pair_info`."""
        left_key, nm_left, left_cluster, _ = left
        right_key, nm, cluster, lex = right
        bigram = f"{left_key}|{right_key}"
        on_right = [f"bi-1={bigram}"] if self._bigrams else []
        if self._conj and nm is not None:
            on_right.append(f"pw*nm={left_key}|{nm}")
        if self._cluster_conj and cluster is not None:
            on_right.append(f"pw*wc={left_key}|{cluster}")
        if self._cluster_pairs and cluster is not None and left_cluster is not None:
            on_right.append(f"pwc*wc={left_cluster}|{cluster}")
        on_left = [f"bi+1={bigram}"] if self._bigrams else []
        if self._context_conj:
            if nm_left is not None:
                on_left.append(f"nw*nm={right_key}|{nm_left}")
            if lex:
                on_right.append(f"pw*lex={left_key}|{lex}")
        return tuple(on_right), tuple(on_left)

    def sentence(self, words: Sequence[str]) -> List[List[str]]:
        """Feature strings for every token of a sentence (a CRFsuite item sequence)."""
        own = [self.word(w) for w in words]
        views = [self._seen_as(w) for w in words]
        gaz = _gazetteer_tags(words)
        n = len(words)
        pairs = [self.pair(words[i - 1], words[i]) for i in range(1, n)]
        out: List[List[str]] = []
        for i, feats in enumerate(own):
            row = ["bias", *feats]
            if gaz[i]:
                row.append(gaz[i])
            for off in self.offsets:
                j = i + off
                if not 0 <= j < n:
                    row.append(f"{off}:<edge>")
                    continue
                row.extend(views[j][off])
                if abs(off) == 1 and gaz[j]:
                    row.append(f"{off}:{gaz[j]}")
            if i > 0:
                row.extend(pairs[i - 1][0])
            if i + 1 < n:
                row.extend(pairs[i][1])
            out.append(row)
        return out
