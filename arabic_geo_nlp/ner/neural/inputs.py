"""What the neural tagger reads of a word: its vector key and a small bag of categorical features.

A word is looked up in the news vectors by :func:`.vectors.vector_key` (normalized, proclitics cut);
punctuation has no vector (:func:`vector_key_of` gives ``None``). Its *feature bag* is the part of
the CRF's own word features (:func:`.features.word_features`, cached) that says what the vector
cannot: the proclitic and enclitic strings, shape, stem length, the ANETAC lexicon classes, the
one-word gazetteer label, whether a clitic was cut, and the stem's last two letters.

>>> vector_key_of("والرياض"), vector_key_of("،"), vector_key_of("2015")
('الرياض', None, '<num>')
>>> sorted(feature_bag("والرياض"))[:3]
['clitic', 'gaz=GPE', 'len=4']
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from ..features import shape, word_features
from ..vectors import vector_key

__all__ = ["vector_key_of", "feature_bag", "FEATURE_PREFIXES", "feature_vocabulary", "bag_ids"]

# The word features (prefix of the feature string) that go into the bag.
FEATURE_PREFIXES = ("pfx=", "sfx=", "shape=", "len=", "lex=", "gaz=", "clitic", "x2=")
# Shapes whose words have a vector (digits share the ``<num>`` key).
_VECTOR_SHAPES = ("arabic", "latin", "mixed", "digit")


def vector_key_of(word: str) -> Optional[str]:
    """The news-vector key of ``word``, ``None`` for punctuation and spaces."""
    return vector_key(word) if shape(word) in _VECTOR_SHAPES else None


def feature_bag(word: str) -> Tuple[str, ...]:
    """The categorical features of ``word`` the tagger embeds (a subset of its CRF features)."""
    return tuple(f for f in word_features(word) if f.startswith(FEATURE_PREFIXES))


def feature_vocabulary(words: Iterable[str], min_count: int = 2) -> List[str]:
    """The bag features seen at least ``min_count`` times over ``words`` (training tokens), sorted;
    id 0 is kept for padding, so feature ``k`` of the list has id ``k + 1``."""
    counts: Dict[str, int] = {}
    for w in words:
        for f in feature_bag(w):
            counts[f] = counts.get(f, 0) + 1
    return sorted(f for f, n in counts.items() if n >= min_count)


def bag_ids(words: Sequence[str], index: Dict[str, int], width: int) -> np.ndarray:
    """``(len(words), width)`` feature ids of each word's bag (0: padding or unknown feature)."""
    out = np.zeros((len(words), width), dtype=np.int32)
    for i, w in enumerate(words):
        ids = [index[f] for f in feature_bag(w) if f in index][:width]
        out[i, :len(ids)] = ids
    return out
