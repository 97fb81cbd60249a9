"""A small neural NER tagger over word vectors learned from unlabeled news (issue #14).

Frozen fastText vectors of each word's key (:func:`..vectors.vector_key`) and a small learned
embedding of its proclitic, shape and lexicon features (:mod:`.inputs`) feed a one-layer BiLSTM whose
per-token label scores are added to the CRF's emission scores before its Viterbi
(:class:`.tagger.CRFNeuralTagger`). Training uses torch (:mod:`.train`, ``arabic-geo-nlp train
ner-neural``); tagging is numpy only (:class:`.tagger.NeuralTagger`), from ``models/ner_neural``.
The spaCy components are ``agn_crf_neural_ner`` and ``agn_neural_ner`` (:mod:`.component`).
"""

from .component import NeuralNERComponent
from .tagger import CRFNeuralTagger, NeuralTagger, default_neural_dir

__all__ = ["NeuralNERComponent", "CRFNeuralTagger", "NeuralTagger", "default_neural_dir"]
