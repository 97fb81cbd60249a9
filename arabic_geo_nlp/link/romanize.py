"""Romanized guesses for person names the KB does not know.

A word is spelled from its *romanization key* — :func:`~arabic_geo_nlp.link.keys.variant_key`
without the rules that merge distinct Arabic sounds (see ``_KEY_RULES_LEFT_OUT``) — so that the
spelling variants one actor gets across outlets (hamza and alef forms, ى/ي, final ة/ه/ا and
يه/يا, doubled letters, تش/ش, ڤ/ف, پ/ب) give one English string. The key is looked up in
``arabic_names.tsv`` (Arabic given names), then in the word table ``translit_words.tsv.gz`` (the
news spelling the curated KB's persons give the word, else the most frequent ANETAC spelling among
the words of that key), else spelled letter by letter by the letter model
``translit_chars.tsv`` (:mod:`.letter_model`). Both are built from ANETAC's training data
and the curated persons (``arabic-geo-nlp build kb --translit``); ANETAC's test split and one in
ten curated persons are held out for ``benchmarks/bench_romanize.py``.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from ..normalize import NormalizeOptions, normalize
from .keys import _tsv_rows, data_file, variant_key, variant_rules
from .kb import Link
from .letter_model import letter_model

__all__ = ["romanize", "romanization_key", "guess_name", "ROMANIZE_OPTIONS"]

# Romanization reads ة apart from ه (أسامة → Osama, not Osamh).
ROMANIZE_OPTIONS = NormalizeOptions(teh_marbuta=False)
# The article before a word of three letters or more is spelt al- (المالكي → al-Maliki).
_ARTICLE = re.compile(r"^ال(?=...)")


# Variant rules a romanization key leaves out: the article (ANETAC's الون is Alon), and the
# letters that are distinct sounds in Arabic names though foreign names write them alike
# (قاسم is Qasim, not Gasim; عثمان is Othman, صالح is Saleh).
_KEY_RULES_LEFT_OUT = ("article", "g_sound", "t_emphatic", "s_emphatic")


@lru_cache(maxsize=1)
def _key_rules():
    return tuple(r for r in variant_rules() if r.name not in _KEY_RULES_LEFT_OUT)


@lru_cache(maxsize=50_000)
def romanization_key(word: str) -> str:
    """The key a word is spelled from: its variant key, the article kept.

    >>> romanization_key("أندريه") == romanization_key("اندري"), romanization_key("الون") == romanization_key("لون")
    (True, False)
    """
    return variant_key(word, _key_rules())


def _most_frequent(counts: Dict[str, Counter]) -> Dict[str, str]:
    """The most frequent spelling of each key; among equals the shortest (Richard, not Reichard)."""
    return {k: min(c.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] for k, c in counts.items()}


@lru_cache(maxsize=1)
def _translit_words() -> Dict[str, str]:
    """Romanization key → the most frequent ANETAC spelling of the words with that key (the key
    column is computed by the build; a table without it has its keys computed here)."""
    counts: Dict[str, Counter] = {}
    with gzip.open(data_file("translit_words.tsv.gz"), "rt", encoding="utf-8") as f:
        for row in _tsv_rows(f):
            if row[0] != "arabic":
                key = row[2] if len(row) > 2 else romanization_key(row[0])
                counts.setdefault(key, Counter())[row[1]] += 1
    return _most_frequent(counts)


@lru_cache(maxsize=1)
def _arabic_names() -> Dict[str, str]:
    """``arabic_names.tsv`` (common Arabic given names and particles → English), by normalized
    text (two-word names such as عبد الله) and by romanization key."""
    text = data_file("arabic_names.tsv").read_text(encoding="utf-8")
    names: Dict[str, str] = {}
    for row in _tsv_rows(text.splitlines()):
        if row[0] != "arabic":
            norm = normalize(row[0], ROMANIZE_OPTIONS)
            names.setdefault(norm, row[1])
            names.setdefault(romanization_key(norm), row[1])
    return names


# Letters a romanization key may hold that the letter model (trained on Arabic letters) lacks.
_KEY_LETTERS = {"g": "غ"}


def spell_letters(key: str) -> str:
    """The letter model's spelling of a romanization key, lowercase (:mod:`.letter_model`)."""
    return letter_model().spell("".join(_KEY_LETTERS.get(c, c) for c in key))


@lru_cache(maxsize=50_000)
def romanize(word: str) -> Tuple[str, bool]:
    """``(English spelling, attested)`` of one Arabic name word (or two-word name such as
    عبد الله): ``arabic_names.tsv``, else ``al-`` and the rest for a word with the article,
    else ANETAC's spelling of a word with the same :func:`romanization_key`, else the character
    model spelling that key.

    >>> romanize("بيتروف"), romanize("أسامة"), romanize("عبد الله")
    (('Petrov', True), ('Osama', True), ('Abdullah', True))
    >>> romanize("فيلليب")[0] == romanize("فيليب")[0], romanize("أسامة")[0] == romanize("اسامه")[0]
    (True, True)
    >>> romanize("المالكي")[0].startswith("al-")
    True
    """
    norm = normalize(word, ROMANIZE_OPTIONS)
    names = _arabic_names()
    if norm in names:
        return names[norm], True
    key = romanization_key(norm)
    known = names.get(key)
    if not known and _ARTICLE.match(norm):
        rest, attested = romanize(norm[2:])
        return "al-" + rest, attested
    known = known or _translit_words().get(key)
    if known:
        return known, True
    return spell_letters(key).capitalize(), False


def guess_name(words: Sequence[str]) -> Optional[Link]:
    """``guess``: the romanized name, two-word names of ``arabic_names.tsv`` taken together;
    score 0.3–0.6 by the share of attested words.

    >>> guess_name(["عبد", "الله", "ماركوف"]).entity
    'Abdullah Markov'
    """
    spelled: List[Tuple[str, bool]] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i:i + 2])
        if i + 1 < len(words) and normalize(pair, ROMANIZE_OPTIONS) in _arabic_names():
            spelled.append(romanize(pair))
            i += 2
        else:
            spelled.append(romanize(words[i]))
            i += 1
    if not spelled or not all(s for s, _ in spelled):
        return None
    attested = sum(known for _, known in spelled) / len(spelled)
    return Link(" ".join(s for s, _ in spelled), None, "PER", round(0.3 + 0.3 * attested, 3), "guess")
