"""The trained NER model: a linear-chain CRF (CRFsuite) over :mod:`.features`.

The model directory holds ``crf.model`` (the tagger), ``nameness.crf`` (the
:mod:`.nameness` classifier it reads as a feature) and ``meta.json`` (data,
parameters, scores). Tagging is per sentence and returns BIO tags.

>>> tagger = CRFTagger.load(default_model_dir())
>>> tagger.tag(["قال", "الرئيس", "فلاديمير", "بوتين"])
['O', 'O', 'B-PER', 'I-PER']
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

import pycrfsuite

from .features import Featurizer
from .nameness import NAMENESS_FILE, NamenessModel

__all__ = ["CRFTagger", "train_crf", "featurizer_for", "default_model_dir", "bio_to_spans", "MODEL_FILE", "META_FILE"]

MODEL_FILE = "crf.model"
META_FILE = "meta.json"


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


class CRFTagger:
    """A loaded CRFsuite model tagging word sequences."""

    def __init__(self, model_dir: Path):
        self.model_dir = Path(model_dir)
        self.meta: Dict = json.loads((self.model_dir / META_FILE).read_text(encoding="utf-8"))
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.model_dir / MODEL_FILE))
        self.featurizer = featurizer_for(self.model_dir)

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
        return sorted({t.partition("-")[2] for t in self._tagger.labels() if t != "O"})

    def tag(self, words: Sequence[str]) -> List[str]:
        """BIO tags for one sentence."""
        if not words:
            return []
        return self._tagger.tag(self.featurizer.sentence(words))


def featurizer_for(model_dir: Path) -> Featurizer:
    """The featurizer of the model in ``model_dir`` (with its nameness classifier)."""
    return Featurizer(NamenessModel(Path(model_dir) / NAMENESS_FILE))


def train_crf(
    sentences: Iterable[Tuple[Sequence[str], Sequence[str]]],
    model_dir: Path,
    params: Dict[str, float],
    meta: Dict,
) -> Path:
    """Train a CRF on ``(words, bio_tags)`` pairs and write ``crf.model`` + ``meta.json``
    (the nameness classifier must already be in ``model_dir``)."""
    model_dir = Path(model_dir)
    featurizer = featurizer_for(model_dir)
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(params)
    for words, tags in sentences:
        trainer.append(featurizer.sentence(words), list(tags))
    trainer.train(str(model_dir / MODEL_FILE))
    (model_dir / META_FILE).write_text(json.dumps({**meta, "params": params}, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    return model_dir
