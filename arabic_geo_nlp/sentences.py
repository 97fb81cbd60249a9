"""Rule-based sentence boundaries for Arabic news (component ``agn_sentences``).

A sentence ends after a terminal punctuation token (. ! ? ؟ ؛ … and runs of them)
together with the closing quote marks and brackets right after it, and at every
line break. Abbreviations (``د.``) and numbers (``3.5``, ``2024/04/28``) are
single tokens, so they never end a sentence. Quotations are not the splitter's
business: a quote may span sentences, and quote extraction works on raw offsets.

Whitespace tokens never start a sentence: they stay with the sentence before them.

>>> import arabic_geo_nlp as agn
>>> doc = agn.load()("قال د. أحمد: “نعم.” ثم غادر.\\nعنوان آخر")
>>> [s.text.strip() for s in doc.sents]
['قال د. أحمد: “نعم.”', 'ثم غادر.', 'عنوان آخر']
"""

from __future__ import annotations

from typing import FrozenSet, List

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["sentence_starts", "SentenceSplitter"]

TERMINAL_CHARS = ".!?؟؛…"
CLOSING: FrozenSet[str] = frozenset("”»’)]}›")
STRAIGHT_QUOTES: FrozenSet[str] = frozenset("\"'")


def _is_terminal(text: str) -> bool:
    return not text.strip(TERMINAL_CHARS)


def sentence_starts(doc: Doc) -> List[bool]:
    """``is_sent_start`` for every token of ``doc`` by the rules above."""
    n = len(doc)
    starts = [False] * n
    if n:
        starts[0] = True
    pending = False  # a terminal was seen; the next real token starts a sentence
    first_real = True
    for tok in doc:
        if tok.is_space:
            if "\n" in tok.text or "\r" in tok.text or "\u2029" in tok.text:
                pending = True
            continue
        text = tok.text
        if first_real:
            pending = False
        elif pending:
            # Closers glued to the end of a sentence belong to it.
            closes = text in CLOSING or (
                text in STRAIGHT_QUOTES and tok.i > 0 and not doc[tok.i - 1].whitespace_ and not doc[tok.i - 1].is_space
            )
            if closes or (_is_terminal(text) and not doc[tok.i - 1].is_space):
                continue
            starts[tok.i] = True
            pending = False
        first_real = False
        if _is_terminal(text):
            pending = True
    return starts


class SentenceSplitter:
    """Sets ``token.is_sent_start`` for every token (see :func:`sentence_starts`)."""

    def __call__(self, doc: Doc) -> Doc:
        # One array write: setting token.is_sent_start one by one is quadratic in spaCy.
        starts = numpy.array([1 if s else -1 for s in sentence_starts(doc)], dtype="int64")
        if len(starts):
            doc.from_array([SENT_START], starts.reshape(-1, 1).view("uint64"))
        return doc


@Language.factory("agn_sentences")
def make_sentence_splitter(nlp: Language, name: str) -> SentenceSplitter:
    """Registered factory: ``nlp.add_pipe("agn_sentences")``."""
    return SentenceSplitter()
