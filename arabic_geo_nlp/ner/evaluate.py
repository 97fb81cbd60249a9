"""Entity-level evaluation, seqeval-style: a prediction counts only with the exact span and label.

:func:`score_spans` is the pure scorer; :func:`evaluate_corpus` runs a pipeline over a
CoNLL corpus (one ``token tag`` per line) and scores it.

>>> gold = [("d1", 0, 5, "PER"), ("d1", 10, 15, "GPE"), ("d2", 0, 3, "ORG")]
>>> pred = [("d1", 0, 5, "PER"), ("d1", 10, 15, "LOC"), ("d2", 0, 4, "ORG")]
>>> scores = score_spans(gold, pred)
>>> scores["overall"]
{'precision': 0.3333, 'recall': 0.3333, 'f1': 0.3333, 'support': 3, 'predicted': 3}
>>> scores["PER"]["f1"], scores["GPE"]["recall"], scores["LOC"]["precision"]
(1.0, 0.0, 0.0)

Gold spans follow the pipeline's convention (proclitics trimmed, see
:func:`arabic_geo_nlp.ner.spans.trim_span`). Predicted labels the corpus does not
use are folded into one it does (``GPE`` into ``LOC`` for ANERcorp, which has no GPE).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Dict, Hashable, Iterable, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from .corpora import Sentence, anercorp_split, read_conll_lines, sentence_to_doc
from .spans import trim_span

__all__ = ["score_spans", "gold_spans", "evaluate_sentences", "read_corpus_file", "evaluate_corpus", "EVAL_LABEL_MAP"]

SpanKey = Tuple[Hashable, int, int, str]  # (doc key, start char, end char, label)

# Corpus tag -> label, for corpora scored with `evaluate ner` (PERS is ANERcorp/Wojood's PER).
EVAL_LABEL_MAP = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "GPE", "MISC": "MISC"}
# A predicted label absent from the gold label set -> the label scored instead.
FOLD = {"GPE": "LOC"}


def _prf(tp: int, n_pred: int, n_gold: int) -> Dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": n_gold, "predicted": n_pred}


def score_spans(gold: Iterable[SpanKey], pred: Iterable[SpanKey]) -> Dict[str, Dict[str, float]]:
    """Precision, recall, F1, support (gold count) and predicted count per label and
    ``overall`` (micro-averaged), for exact ``(doc, start, end, label)`` matches."""
    gold_set, pred_set = set(gold), set(pred)
    hits = gold_set & pred_set
    by = lambda spans: Counter(s[3] for s in spans)  # noqa: E731
    g, p, t = by(gold_set), by(pred_set), by(hits)
    scores = {label: _prf(t[label], p[label], g[label]) for label in sorted(set(g) | set(p))}
    scores["overall"] = _prf(len(hits), len(pred_set), len(gold_set))
    return scores


def gold_spans(nlp: Language, sent: Sentence) -> Tuple[str, List[Tuple[int, int, str]]]:
    """The sentence text and its gold ``(start, end, label)`` character spans, proclitics trimmed."""
    doc = sentence_to_doc(nlp, sent)
    return doc.text, [(*trim_span(ent), ent.label_) for ent in doc.ents]


def _block_doc(nlp: Language, texts: Sequence[str]) -> Doc:
    """One Doc of sentences joined by spaces, each sentence start marked."""
    doc = nlp.make_doc(" ".join(texts))
    starts, pos = set(), 0
    for text in texts:
        starts.add(pos)
        pos += len(text) + 1
    for tok in doc:
        tok.is_sent_start = tok.idx in starts
    return doc


def evaluate_sentences(
    nlp: Language, sents: Sequence[Sentence], doc_size: int = 1, batch_size: int = 64
) -> Dict[str, Dict[str, float]]:
    """Run ``nlp`` over the gold sentences and score ``doc.ents`` against the gold.

    ``doc_size`` consecutive sentences make one document (1: every sentence alone), for
    components that use document context; sentence boundaries are given, not predicted.
    """
    gold: List[SpanKey] = []
    blocks: List[List[str]] = []
    offset = 0
    for i, sent in enumerate(sents):
        if i % doc_size == 0:
            blocks.append([])
            offset = 0
        text, spans = gold_spans(nlp, sent)
        blocks[-1].append(text)
        gold.extend((len(blocks) - 1, s + offset, e + offset, label) for s, e, label in spans)
        offset += len(text) + 1
    labels: Set[str] = {g[3] for g in gold}
    pred: List[SpanKey] = []
    docs = nlp.pipe((_block_doc(nlp, b) for b in blocks), batch_size=batch_size)
    for i, doc in enumerate(docs):
        for ent in doc.ents:
            label = ent.label_ if ent.label_ in labels else FOLD.get(ent.label_, ent.label_)
            pred.append((i, ent.start_char, ent.end_char, label))
    return score_spans(gold, pred)


def read_corpus_file(path: Path, split: Optional[str] = None) -> List[Sentence]:
    """Sentences of a CoNLL ``token tag`` file: blank lines end sentences, and so do ``.``
    tokens in a file without blank lines (ANERcorp). ``split`` (train/dev/test) picks the
    fixed ANERcorp split part."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    sep = None if any(not ln.strip() for ln in lines) else "."
    sents = list(read_conll_lines(lines, EVAL_LABEL_MAP, sentence_sep=sep))
    if split is None or split == "all":
        return sents
    return getattr(anercorp_split(sents), split)


def evaluate_corpus(
    nlp: Language, path: Path, split: Optional[str] = None, doc_size: int = 1
) -> Dict[str, Dict[str, float]]:
    """:func:`evaluate_sentences` over a corpus file (see :func:`read_corpus_file`)."""
    return evaluate_sentences(nlp, read_corpus_file(path, split), doc_size=doc_size)
