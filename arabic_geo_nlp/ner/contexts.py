"""Name contexts mined from unlabeled news: how often a word stands where names stand.

The labelled training sentences say, for each neighbouring word, how often the word next
to it is part of a PER, ORG, LOC or MISC name (``الرئيس`` → PER, ``مدينة`` → LOC). Averaged
over all the occurrences of a word in 9M words of unlabeled news, that gives every news
word a profile of the contexts it is used in, including the names ANERcorp never saw
(``الحوثي`` after ``جماعة``, ``قال``, ``زعيم``). The tagger reads it as a coarse level per
label (:func:`levels`), from ``contexts.tsv.gz`` in its model folder.

Words are keys as in :mod:`.vectors` (normalized, proclitics cut); sentences are the key
sequences :func:`.vectors.text_sentences` makes (punctuation left out).

>>> train = [(["قال", "الرئيس", "بوتين", "امس"], ["O", "O", "B-PER", "O"])] * 5
>>> from arabic_geo_nlp.ner.vectors import text_sentences
>>> news = list(text_sentences("التقى الرئيس ماكرون امس")) * 5
>>> prior, profile = context_profiles(train, news, min_count=3, min_context=3)
>>> profile["ماكرون"]["PER"] > 0.5, profile["امس"]["PER"] < profile["ماكرون"]["PER"]
(True, True)
"""

from __future__ import annotations

import gzip
import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

from .vectors import _TOKEN, vector_key

__all__ = ["context_profiles", "write_profiles", "read_profiles", "write_word_features", "read_word_features",
           "levels", "CONTEXTS_FILE", "LABELS"]

CONTEXTS_FILE = "contexts.tsv.gz"
LABELS = ("PER", "ORG", "LOC", "MISC")
_SMOOTH = 5.0


def _keyed(words: Sequence[str], tags: Sequence[str]) -> Tuple[List[str], List[str]]:
    """The words :func:`.vectors.text_sentences` would keep, as keys, with their labels."""
    keep = [(vector_key(w), t.partition("-")[2] or "O") for w, t in zip(words, tags) if _TOKEN.fullmatch(w)]
    return [k for k, _ in keep], [lab for _, lab in keep]


def _context_tables(train: Iterable[Tuple[Sequence[str], Sequence[str]]], min_context: int
                    ) -> Tuple[Dict[str, float], Dict[str, Dict[str, float]], Dict[str, Dict[str, float]]]:
    """``(prior, left, right)``: label shares overall, and of the word after / before each
    context word (smoothed towards the prior; contexts seen ``min_context`` times)."""
    total: Counter = Counter()
    after: Dict[str, Counter] = defaultdict(Counter)
    before: Dict[str, Counter] = defaultdict(Counter)
    for words, tags in train:
        keys, labels = _keyed(words, tags)
        total.update(labels)
        for i, lab in enumerate(labels):
            if i > 0:
                after[keys[i - 1]][lab] += 1
            if i + 1 < len(keys):
                before[keys[i + 1]][lab] += 1
    n = sum(total.values()) or 1
    prior = {lab: total[lab] / n for lab in LABELS}

    def smooth(table: Dict[str, Counter]) -> Dict[str, Dict[str, float]]:
        out = {}
        for ctx, c in table.items():
            m = sum(c.values())
            if m >= min_context:
                out[ctx] = {lab: (c[lab] + _SMOOTH * prior[lab]) / (m + _SMOOTH) for lab in LABELS}
        return out

    return prior, smooth(after), smooth(before)


def context_profiles(train: Iterable[Tuple[Sequence[str], Sequence[str]]], news: Iterable[Sequence[str]],
                     min_count: int = 5, min_context: int = 5
                     ) -> Tuple[Dict[str, float], Dict[str, Dict[str, float]]]:
    """``(prior, profiles)``: the label shares of the training words, and for each news word
    seen ``min_count`` times the mean, over its occurrences and its two sides, of the label
    shares of its context words (the prior where a context is unknown)."""
    prior, left, right = _context_tables(train, min_context)
    sums: Dict[str, List[float]] = defaultdict(lambda: [0.0] * len(LABELS))
    counts: Counter = Counter()
    for keys in news:
        for i, key in enumerate(keys):
            acc = sums[key]
            for side in (left.get(keys[i - 1]) if i > 0 else None,
                         right.get(keys[i + 1]) if i + 1 < len(keys) else None):
                src = side or prior
                for j, lab in enumerate(LABELS):
                    acc[j] += src[lab]
            counts[key] += 1
    return prior, {w: {lab: sums[w][j] / (2 * n) for j, lab in enumerate(LABELS)}
                   for w, n in counts.items() if n >= min_count}


def levels(profile: Dict[str, float], prior: Dict[str, float]) -> Tuple[str, ...]:
    """Coarse features of a profile: per label, log2 of its share over the prior, floored
    and capped to -1…3 (``cxPER=2``: four to eight times as often next to PER contexts).

    >>> levels({"PER": 0.4, "ORG": 0.01, "LOC": 0.05, "MISC": 0.02},
    ...        {"PER": 0.05, "ORG": 0.04, "LOC": 0.05, "MISC": 0.02})
    ('cxPER=3', 'cxORG=-1', 'cxLOC=0', 'cxMISC=0')
    """
    out = []
    for lab in LABELS:
        ratio = profile[lab] / prior[lab] if prior.get(lab) else 1.0
        out.append(f"cx{lab}={max(-1, min(3, math.floor(math.log2(max(ratio, 1e-9)))))}")
    return tuple(out)


def write_word_features(features: Dict[str, Tuple[str, ...]], path: Path, what: str) -> Path:
    """Write a per-word feature table ``word<TAB>features`` (space-separated), gzipped, sorted,
    under a ``# what: …`` comment line; the same bytes for the same table."""
    body = "".join(f"{w}\t{' '.join(feats)}\n" for w, feats in sorted(features.items()))
    head = f"# {what}: word key <TAB> features\n"
    Path(path).write_bytes(gzip.compress((head + body).encode("utf-8"), mtime=0))
    return Path(path)


def read_word_features(path: Path) -> Dict[str, Tuple[str, ...]]:
    """``word -> features`` of a file written by :func:`write_word_features`."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return {w: tuple(feats.split()) for w, feats in (line.rstrip("\n").split("\t") for line in f
                                                          if not line.startswith("#"))}


def write_profiles(profiles: Dict[str, Dict[str, float]], prior: Dict[str, float], path: Path) -> Path:
    """Write each word's :func:`levels` as a :func:`write_word_features` table."""
    return write_word_features({w: levels(p, prior) for w, p in profiles.items()}, path,
                               "name-context levels (arabic_geo_nlp.ner.contexts)")


read_profiles = read_word_features
