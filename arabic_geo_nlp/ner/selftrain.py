"""Self-training name lists: what a first tagger says about each word across the unlabeled news.

A first CRF (trained on the labelled sentences) tags the 9M words of news; every news word
seen ``min_count`` times gets the share of its occurrences tagged as part of a PER, ORG, LOC
or MISC name. The second, shipped CRF reads those shares as coarse levels per label
(:func:`levels`: ``stPER=hi`` for a word tagged PER at 90 % of its occurrences), from
``selftrain.tsv.gz`` in its model folder. A name the labelled data never had (``ماكرون``) is
often tagged right somewhere in the news where its context is clear (``الرئيس الفرنسي
ماكرون``); the list carries that to the sentences where it is not. The list is the tagger's
own, distinct from the gazetteer.

Words are keys as in :mod:`.vectors` (normalized, proclitics cut), and the news sentences are
the key sequences :func:`.vectors.text_sentences` makes.

>>> shares = label_shares([["B-PER", "O"], ["B-PER", "O"], ["O", "O"]], [["ماكرون", "قال"]] * 3, min_count=3)
>>> round(shares["ماكرون"]["PER"], 2), shares["قال"]["PER"]
(0.67, 0.0)
>>> levels(shares["ماكرون"])
('stPER=mid',)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Sequence, Tuple

from .contexts import LABELS, read_word_features, write_word_features

__all__ = ["label_shares", "tag_news", "levels", "write_shares", "read_shares", "SELFTRAIN_FILE"]

SELFTRAIN_FILE = "selftrain.tsv.gz"
# Share of a word's occurrences tagged with a label -> level name (first cut reached).
_LEVELS = ((0.9, "hi"), (0.5, "mid"), (0.1, "lo"))
# Sentences tagged per call of the tagger, and the longest sentence kept whole.
_BATCH = 2048
_MAX_LEN = 120


def label_shares(tags: Iterable[Sequence[str]], sentences: Iterable[Sequence[str]], min_count: int = 3
                 ) -> Dict[str, Dict[str, float]]:
    """Per word key seen ``min_count`` times: the share of its occurrences inside a name of each label."""
    counts: Counter = Counter()
    named: Dict[str, Counter] = defaultdict(Counter)
    for sent_tags, keys in zip(tags, sentences):
        for key, tag in zip(keys, sent_tags):
            counts[key] += 1
            if tag != "O":
                named[key][tag.partition("-")[2]] += 1
    return {k: {lab: named[k][lab] / n for lab in LABELS} for k, n in counts.items() if n >= min_count}


def tag_news(tag_many: Callable[[List[List[str]]], List[List[str]]], news: Sequence[Sequence[str]]
             ) -> Tuple[List[List[str]], List[List[str]]]:
    """``(sentences, tags)``: the news sentences (long ones cut in pieces) and their tags by
    ``tag_many``, called on batches of sentences."""
    pieces = [list(s[i:i + _MAX_LEN]) for s in news for i in range(0, len(s), _MAX_LEN)]
    tags: List[List[str]] = []
    for start in range(0, len(pieces), _BATCH):
        tags.extend(tag_many(pieces[start:start + _BATCH]))
    return pieces, tags


def levels(shares: Dict[str, float]) -> Tuple[str, ...]:
    """Coarse features of a word's shares: ``st<LABEL>=hi|mid|lo`` for labels at 10 % or more,
    ``st=O`` when none is.

    >>> levels({"PER": 0.95, "ORG": 0.0, "LOC": 0.2, "MISC": 0.0})
    ('stPER=hi', 'stLOC=lo')
    """
    out = []
    for lab in LABELS:
        level = next((name for cut, name in _LEVELS if shares.get(lab, 0.0) >= cut), None)
        if level:
            out.append(f"st{lab}={level}")
    return tuple(out) or ("st=O",)


def write_shares(shares: Dict[str, Dict[str, float]], path: Path) -> Path:
    """Write each word's :func:`levels` as a :func:`.contexts.write_word_features` table."""
    return write_word_features({w: levels(s) for w, s in shares.items()}, path,
                               "self-training levels (arabic_geo_nlp.ner.selftrain)")


read_shares = read_word_features
