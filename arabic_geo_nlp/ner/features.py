"""Token features for the NER tagger: Arabic-aware word features in a context window.

A word's own features depend only on its text and are cached: its normalized
form, the clitic-stripped stem (:func:`arabic_geo_nlp.clitics.analyze`), the
proclitic and suffix strings, stem affixes, shape, length, and membership in the
name lexicons (ANETAC words as PER/LOC/ORG, gazetteer single words). Context adds
neighbours' features (±2 words), word bigrams, and the label of any multiword
gazetteer match covering the token. A :class:`Featurizer` adds the trained
:mod:`.nameness` classifier's verdict when it has one.

>>> feats = Featurizer().sentence(["قال", "الرئيس", "فلاديمير", "بوتين"])
>>> "w=بوتين" in feats[3], "-1:w=فلاديمير" in feats[3], "lex=PER" in feats[3]
(True, True, True)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from ..clitics import analyze
from .gazetteer import load_gazetteer, load_name_lexicon, stripped_key, word_key
from .nameness import NamenessModel

__all__ = ["Featurizer", "word_features", "shape"]

# Which of a word's features its neighbours see, by distance.
_NEAR = ("w=", "s=", "lex=", "gaz=", "shape=", "x2=", "pfx=", "nm")
# Nameness probability above which a class is "hi" / "mid".
_NAMENESS_LEVELS = ((0.5, "hi"), (0.2, "mid"))
_FAR = ("w=", "s=", "lex=")
_OFFSETS = (-2, -1, 1, 2)


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


class Featurizer:
    """Feature extraction for the tagger, with an optional :class:`NamenessModel`."""

    def __init__(self, nameness: Optional[NamenessModel] = None):
        self.nameness = nameness
        self.word = lru_cache(maxsize=300_000)(self._word)
        self._seen_as = lru_cache(maxsize=300_000)(self._views)

    def _word(self, text: str) -> Tuple[str, ...]:
        feats = word_features(text)
        if self.nameness is None or "shape=arabic" not in feats:
            return feats
        return feats + _nameness_features(self.nameness.proba(text))

    def _views(self, text: str) -> Dict[int, Tuple[str, ...]]:
        """What a neighbour at each offset sees of this word (prefixed features)."""
        own = self.word(text)
        return {off: tuple(f"{off}:{f}" for f in own if f.startswith(_NEAR if abs(off) == 1 else _FAR))
                for off in _OFFSETS}

    def sentence(self, words: Sequence[str]) -> List[List[str]]:
        """Feature strings for every token of a sentence (a CRFsuite item sequence)."""
        own = [self.word(w) for w in words]
        views = [self._seen_as(w) for w in words]
        gaz = _gazetteer_tags(words)
        n = len(words)
        out: List[List[str]] = []
        for i, feats in enumerate(own):
            row = ["bias", *feats]
            if gaz[i]:
                row.append(gaz[i])
            for off in _OFFSETS:
                j = i + off
                if not 0 <= j < n:
                    row.append(f"{off}:<edge>")
                    continue
                row.extend(views[j][off])
                if abs(off) == 1 and gaz[j]:
                    row.append(f"{off}:{gaz[j]}")
            if i > 0:
                row.append(f"bi-1={own[i - 1][0]}|{feats[0]}")
            if i + 1 < n:
                row.append(f"bi+1={feats[0]}|{own[i + 1][0]}")
            out.append(row)
        return out
