"""How much a word looks like a person, place or organisation name, from its letters alone.

A multinomial logistic regression over character 1–4-grams of the normalized,
clitic-stripped word (trained with CRFsuite on one-item sequences, so no extra
dependency). Positives are the ANETAC words (``gazetteer_names.tsv.gz``: foreign names
transliterated into Arabic, PER/LOC/ORG); negatives are the non-entity words of
AQMAR, the Wojood sample and UD Arabic-PUD (never ANERcorp, whose train and test
words must look alike to the tagger). It lets the tagger spot unseen
transliterations such as دويسنبرج or مكرتيشيف.

>>> char_ngrams("بوتين")[:6]
['<', 'ب', 'و', 'ت', 'ي', 'ن']
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import pycrfsuite

from ..clitics import analyze
from .corpora import reference_words
from .gazetteer import load_name_lexicon, word_key

__all__ = ["char_ngrams", "NamenessModel", "nameness_examples", "train_nameness", "NAMENESS_FILE"]

NAMENESS_FILE = "nameness.crf"
_ARABIC = re.compile("^[\u0621-\u064a]+$")


def name_key(word: str) -> str:
    """The normalized stem the classifier reads."""
    return word_key(analyze(word).stem or word)


def char_ngrams(key: str, n_max: int = 4) -> List[str]:
    """Character n-grams (1..n_max) of ``<key>``."""
    padded = f"<{key}>"
    return [padded[i:i + n] for n in range(1, n_max + 1) for i in range(len(padded) - n + 1)]


class NamenessModel:
    """Class probabilities (``PER LOC ORG O``) of Arabic words; other words get none."""

    def __init__(self, path: Path):
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self.labels = tuple(self._tagger.labels())
        self.proba = lru_cache(maxsize=20_000)(self._proba)  # the tagger keeps its own per-word table

    def _proba(self, word: str) -> Dict[str, float]:
        key = name_key(word)
        if not _ARABIC.match(key):
            return {}
        self._tagger.set([char_ngrams(key)])
        return {label: self._tagger.marginal(label, 0) for label in self.labels}


def nameness_examples(data_dir: Path) -> List[Tuple[str, str]]:
    """Sorted unique ``(key, label)`` training pairs; a key listed as a name is not an O example."""
    pairs = {(key, lab) for key, labels in load_name_lexicon().items() for lab in labels.split("|")
             if _ARABIC.match(key)}
    names = {k for k, _ in pairs}
    others = (name_key(w) for w, is_name in reference_words(data_dir) if not is_name)
    pairs |= {(k, "O") for k in others if _ARABIC.match(k) and k not in names}
    return sorted(pairs)


def train_nameness(examples: Iterable[Tuple[str, str]], path: Path, c2: float = 1.0) -> Path:
    """Fit the classifier on ``(key, label)`` pairs and write it to ``path``."""
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params({"c1": 0.0, "c2": c2, "max_iterations": 200})
    for key, label in examples:
        trainer.append([char_ngrams(key)], [label])
    trainer.train(str(path))
    return Path(path)
