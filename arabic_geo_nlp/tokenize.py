"""Arabic tokenizer for spaCy: orthographic words and punctuation over the raw text.

The tokenizer cuts the raw text with one regular expression (URLs, e-mails,
abbreviations from ``data/abbreviations.txt``, numbers, Arabic words, Latin
words, runs of terminal punctuation, any other single character). Whitespace
between tokens becomes spaCy's ``whitespace_`` or whitespace tokens, so
``doc.text`` is always the raw text and ``token.idx`` a raw offset.

Each token's ``norm_`` is its :func:`~arabic_geo_nlp.normalize.normalize_word`
form (quote marks stay distinct), and ``token._.prefix/stem/suffix`` give its
clitic analysis (:mod:`arabic_geo_nlp.clitics`).

>>> import spacy
>>> nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
>>> [t.text for t in nlp("قال”. (رويترز). عام 2024.")]
['قال', '”', '.', '(', 'رويترز', ')', '.', 'عام', '2024', '.']
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator, List, Pattern, Tuple

import spacy
from spacy.attrs import NORM
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .normalize import normalize_word

__all__ = ["ArabicTokenizer", "create_tokenizer", "iter_token_spans", "load_abbreviations", "RAW_TEXT_KEY", "CLITICS_KEY", "ConfigOnlySerialization"]

RAW_TEXT_KEY = ("agn", "raw")
# Optional clitic analyses ``{token start: [prefix, stem, suffix]}`` stored by a tokenizer that
# segments with another analyser (the CAMeL backend); ``token._.prefix`` reads them.
CLITICS_KEY = ("agn", "clitics")

# Combining marks and joiners that belong inside an Arabic word.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d"
_ARABIC_WORD = rf"(?:[^\W\d_]|[{_MARKS}])+"
_LATIN_WORD = r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f0-9]*(?:['’][A-Za-z]+)?"
_NUMBER = r"\d+(?:[.,:/\-٫٬]\d+)*"
_URL = r"(?:https?://|www\.)[^\s<>\"“”«»]*[^\s<>\"“”«».,:;!?؟،؛)\]]"
_EMAIL = r"[A-Za-z0-9._%+-]+@[\w-]+(?:\.[\w-]+)+"
_TERMINAL_RUN = r"\.{2,}|[!?؟]{2,}|…+"


@lru_cache(maxsize=1)
def load_abbreviations() -> Tuple[str, ...]:
    """Abbreviations kept as single tokens (``data/abbreviations.txt``), longest first."""
    text = resources.files("arabic_geo_nlp.data").joinpath("abbreviations.txt").read_text(encoding="utf-8")
    items = {ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")}
    return tuple(sorted(items, key=len, reverse=True))


@lru_cache(maxsize=1)
def _token_pattern() -> Pattern[str]:
    """``(whitespace before)(token)`` pairs; the token alternatives are tried in order."""
    abbrevs = "|".join(re.escape(a) for a in load_abbreviations())
    # An abbreviation counts only as a whole word: not glued to a letter/digit on either side.
    abbrev = rf"(?<!\w)(?:{abbrevs})(?![^\W_])"
    alternatives = [_URL, _EMAIL, abbrev, _NUMBER, _LATIN_WORD, _ARABIC_WORD, _TERMINAL_RUN, r"\S"]
    return re.compile(r"(\s*)(" + "|".join(f"(?:{a})" for a in alternatives) + ")")


def iter_token_spans(text: str) -> Iterator[Tuple[int, int]]:
    """Raw ``(start, end)`` of every non-whitespace token of ``text``.

    >>> text = "وأضاف: “نعم”."
    >>> [text[s:e] for s, e in iter_token_spans(text)]
    ['وأضاف', ':', '“', 'نعم', '”', '.']
    """
    for m in _token_pattern().finditer(text):
        yield m.span(2)


def _words_and_spaces(text: str) -> Tuple[List[str], List[bool]]:
    """spaCy ``words``/``spaces`` whose concatenation is exactly ``text``."""
    pairs = _token_pattern().findall(text)
    tail = text[sum(len(g) + len(t) for g, t in pairs):] if pairs else text
    gaps = [g for g, _ in pairs]
    gaps.append(tail)
    if all(g == "" or g == " " for g in gaps[1:]) and not gaps[0]:
        words = [t for _, t in pairs]
        return words, [g == " " for g in gaps[1:]]
    words: List[str] = []
    spaces: List[bool] = []
    for (gap, tok) in pairs:
        if gap:
            _add_gap(gap, words, spaces)
        words.append(tok)
        spaces.append(False)
    if tail:
        _add_gap(tail, words, spaces)
    return words, spaces


def _add_gap(gap: str, words: List[str], spaces: List[bool]) -> None:
    """Attach one leading space to the previous token; the rest is a whitespace token."""
    if words and not spaces[-1] and gap[0] == " ":
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)


class ConfigOnlySerialization:
    """spaCy's (de)serialization hooks for a tokenizer whose state is its config and package or
    external data: nothing is written, nothing is read."""

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()):
        return self

    def to_disk(self, path, *, exclude: Iterable[str] = ()) -> None:
        return None

    def from_disk(self, path, *, exclude: Iterable[str] = ()):
        return self


class ArabicTokenizer(ConfigOnlySerialization):
    """spaCy tokenizer: raw text in, ``Doc`` whose text is exactly the raw text."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        # Keep quote marks distinct and norms Arabic-aware: spaCy's BASE_NORMS would fold “ » into ".
        vocab.lex_attr_getters[NORM] = normalize_word

    def __call__(self, text: str) -> Doc:
        words, spaces = _words_and_spaces(text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[RAW_TEXT_KEY] = text  # read by doc._.raw: doc.text rebuilds it token by token
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)


@spacy.registry.tokenizers("arabic_geo_nlp.Tokenizer.v1")
def create_tokenizer():
    """Registered factory: ``[nlp.tokenizer] @tokenizers = "arabic_geo_nlp.Tokenizer.v1"``."""

    def make(nlp) -> ArabicTokenizer:
        return ArabicTokenizer(nlp.vocab)

    return make
