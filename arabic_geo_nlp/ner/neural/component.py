"""spaCy components of the neural tagger: ``agn_crf_neural_ner`` (CRF + network) and ``agn_neural_ner``
(the network alone). Both are :class:`..NERComponent` with another tagger: the same document
consistency step, proclitic trimming and ``Span._.source == "model"``.

>>> import spacy, arabic_geo_nlp.tokenize, arabic_geo_nlp.ner.neural
>>> nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
>>> _ = nlp.add_pipe("agn_crf_neural_ner")
>>> [(e.text, e.label_) for e in nlp("قال الرئيس الروسي فلاديمير بوتين في موسكو").ents]
[('فلاديمير بوتين', 'PER'), ('موسكو', 'LOC')]
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from spacy.language import Language

from .. import NERComponent
from ..model import CRFTagger, default_model_dir
from .tagger import CRFNeuralTagger, NeuralTagger

__all__ = ["NeuralNERComponent"]


class NeuralNERComponent(NERComponent):
    """``agn_ner`` whose tags come from the network, with the CRF (``with_crf``) or alone."""

    def __init__(self, model_dir: Optional[Path] = None, neural_dir: Optional[Path] = None,
                 weight: Optional[float] = None, with_crf: bool = True, oov: Optional[str] = None):
        self._args = (model_dir, neural_dir, weight, with_crf, oov)
        neural = NeuralTagger(Path(neural_dir) if neural_dir else None, oov=oov)
        if with_crf:
            crf = CRFTagger.load(Path(model_dir) if model_dir else default_model_dir())
            self.tagger = CRFNeuralTagger(crf, neural, weight)
        else:
            self.tagger = neural

    def __reduce__(self):
        return NeuralNERComponent, self._args


@Language.factory("agn_crf_neural_ner",
                  default_config={"model_dir": None, "neural_dir": None, "weight": None, "oov": None})
def make_crf_neural_ner(nlp: Language, name: str, model_dir: Optional[str], neural_dir: Optional[str],
                        weight: Optional[float], oov: Optional[str]) -> NeuralNERComponent:
    """The CRF of ``model_dir`` with the network of ``neural_dir`` added at ``weight`` (default: the
    weight chosen on dev, in the network's ``meta.json``); ``oov``: ``"zero"`` or ``"ngrams"``, the
    vector of a word outside the table (default: ``meta.json``'s)."""
    return NeuralNERComponent(model_dir, neural_dir, weight, with_crf=True, oov=oov)


@Language.factory("agn_neural_ner", default_config={"neural_dir": None})
def make_neural_ner(nlp: Language, name: str, neural_dir: Optional[str]) -> NeuralNERComponent:
    """The network of ``neural_dir`` alone (each token's best label)."""
    return NeuralNERComponent(None, neural_dir, with_crf=False)
