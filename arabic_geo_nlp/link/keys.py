"""Variant keys: how the linker decides that two Arabic spellings name one actor.

:func:`variant_key` folds transliteration variants (غ/ج/ق, تش/ش, final ة/ا/يه, the article ...,
``data/kb/variant_rules.tsv``), :func:`skeleton_key` also drops inner long vowels, and
:func:`close_variants` bounds how far two keys of one skeleton may differ. Titles
(``titles.tsv``) and function words (``function_words.txt``) are read here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Tuple

from ..normalize import NormalizeOptions, normalize

__all__ = [
    "VariantRule", "data_file", "variant_rules", "variant_key", "skeleton_key", "skeleton_of_key", "word_keys",
    "exact_key", "vowel_edits", "close_variants", "has_function_word", "title_keys",
]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class VariantRule:
    """A row of ``variant_rules.tsv``: ``pattern`` → ``replacement`` on each word or on the key."""

    name: str
    tier: str  # "word" or "skeleton"
    pattern: "re.Pattern[str]"
    replacement: str
    example: str
    variant: str


def data_file(name: str) -> Path:
    """Path of a file of the packaged ``data/kb`` folder."""
    return Path(str(resources.files("arabic_geo_nlp.data").joinpath("kb", name)))


def _tsv_rows(lines: Iterable[str]) -> Iterator[List[str]]:
    """Split TSV lines, skipping blank lines and ``#`` comments."""
    for line in lines:
        line = line.rstrip("\r\n")
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@lru_cache(maxsize=1)
def variant_rules() -> Tuple[VariantRule, ...]:
    """The rules of ``data/kb/variant_rules.tsv``, in order.

    >>> [r.name for r in variant_rules()][:3]
    ['article', 'hamza', 'g_sound']
    """
    rows = list(_tsv_rows(data_file("variant_rules.tsv").read_text(encoding="utf-8").splitlines()))
    return tuple(VariantRule(r[0], r[1], re.compile(r[2]), r[3], r[4], r[5]) for r in rows[1:])


def _rules(tier: str, rules: Optional[Sequence[VariantRule]]) -> List[VariantRule]:
    return [r for r in (variant_rules() if rules is None else rules) if r.tier == tier]


def word_keys(name: str, rules: Optional[Sequence[VariantRule]] = None) -> Tuple[str, ...]:
    """The variant key of each word of ``name`` (normalized, word-tier rules applied).

    >>> word_keys("كيم جونغ أون")
    ('كيم', 'gونg', 'اون')
    """
    words = _WORD.findall(normalize(name))
    keys = (_packaged_word_key(w) for w in words) if rules is None else (_word_key(w, rules) for w in words)
    return tuple(k for k in keys if k)


def _word_key(word: str, rules: Sequence[VariantRule]) -> str:
    """One normalized word with the word-tier ``rules`` applied."""
    for rule in rules:
        if rule.tier == "word":
            word = rule.pattern.sub(rule.replacement, word)
    return word


@lru_cache(maxsize=50_000)
def _packaged_word_key(word: str) -> str:
    """:func:`_word_key` with the packaged rules (names repeat their words: cached)."""
    return _word_key(word, variant_rules())


def variant_key(name: str, rules: Optional[Sequence[VariantRule]] = None) -> str:
    """A key shared by the transliteration variants of an Arabic name: normalization, then the
    word rules of ``variant_rules.tsv`` (article, hamza, غ/ج/ق, تش/ش, ط/ت, ص/س, final ة/ا/يه,
    doubled letters), words joined without spaces. ``rules`` replaces the packaged rules.

    >>> variant_key("بيونغ يانغ") == variant_key("بيونج يانج") == variant_key("بيونغيانغ")
    True
    >>> variant_key("الكرملين") == variant_key("كرملين"), variant_key("سورية") == variant_key("سوريا")
    (True, True)
    """
    return "".join(word_keys(name, rules))


def skeleton_key(name: str, rules: Optional[Sequence[VariantRule]] = None) -> str:
    """:func:`variant_key` with the skeleton rules applied (long vowels inside the name dropped).

    >>> skeleton_key("بوتين") == skeleton_key("بوتن"), skeleton_key("أمريكا") == skeleton_key("أميركا")
    (True, True)
    """
    return skeleton_of_key(variant_key(name, rules), rules)


def skeleton_of_key(key: str, rules: Optional[Sequence[VariantRule]] = None) -> str:
    """The skeleton rules applied to a variant key."""
    for rule in _rules("skeleton", rules):
        key = rule.pattern.sub(rule.replacement, key)
    return key


def vowel_edits(a: str, b: str) -> int:
    """Letters to delete from ``a`` and ``b`` to reach their longest common subsequence: for two
    keys with one skeleton, how many long vowels one spelling adds or drops.

    >>> vowel_edits("بوتين", "بوتن"), vowel_edits("امريكا", "اميركا"), vowel_edits("نولان", "نيلون")
    (1, 2, 4)
    """
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return len(a) + len(b) - 2 * prev[-1]


_MOVED_VOWEL_MIN = 9  # letters of a key from which a long vowel may move (two-word names and longer)


def close_variants(a: str, b: str) -> bool:
    """Two variant keys are close spellings of one name: one skeleton, and at most one long vowel
    added or dropped (two for keys longer than four letters). In a short key (a single word, under
    ``_MOVED_VOWEL_MIN`` letters) the vowels may only be added or only dropped: one moved elsewhere
    makes another name (غارسيا Garcia against غروسي Grossi, باردو Bardo against بوردو Bordeaux);
    in a full name's key a moved vowel is a spelling variant (سالي مونتاري, سولي مونتاري).

    >>> close_variants(variant_key("بوتن"), variant_key("بوتين")), close_variants("نولان", "نيلون")
    (True, False)
    >>> close_variants(variant_key("جارسيا"), variant_key("غروسي"))
    False
    """
    if skeleton_of_key(a) != skeleton_of_key(b):
        return False
    edits = vowel_edits(a, b)
    shortest = min(len(a), len(b))
    moved_ok = edits == abs(len(a) - len(b)) or shortest >= _MOVED_VOWEL_MIN
    return edits <= (1 if shortest <= 4 else 2) and moved_ok


def exact_key(text: str) -> str:
    """Normalized text with single spaces (Latin case-folded): the ``kb`` step's key."""
    return " ".join(_WORD.findall(normalize(text).casefold()))


# ----------------------------------------------------------------------------- titles


_ARTICLE = re.compile(r"^ال(?=..)")


@lru_cache(maxsize=50_000)
def title_keys(text: str) -> Tuple[str, ...]:
    """The words of ``text`` normalized, the article removed: what titles are compared by
    (stricter than :func:`word_keys`, which would read المملكة "the kingdom" as الملكة "the queen").

    >>> title_keys("الرئيس الروسي"), title_keys("المملكة") == title_keys("الملكة")
    (('رييس', 'روسي'), False)
    """
    return tuple(_ARTICLE.sub("", w) for w in _WORD.findall(normalize(text)))


@lru_cache(maxsize=1)
def _titles() -> Tuple[Tuple[str, ...], ...]:
    """Title word sequences (:func:`title_keys`), longest first."""
    text = data_file("titles.tsv").read_text(encoding="utf-8")
    titles = {title_keys(row[0]) for row in _tsv_rows(text.splitlines())}
    return tuple(sorted(titles, key=len, reverse=True))


@lru_cache(maxsize=1)
def _titles_by_edge() -> Tuple[Dict[str, Tuple[Tuple[str, ...], ...]], Dict[str, Tuple[Tuple[str, ...], ...]]]:
    """:func:`_titles` by their first key and by their last key (longest first)."""
    first: Dict[str, List[Tuple[str, ...]]] = {}
    last: Dict[str, List[Tuple[str, ...]]] = {}
    for title in _titles():
        if title:
            first.setdefault(title[0], []).append(title)
            last.setdefault(title[-1], []).append(title)
    return ({k: tuple(v) for k, v in first.items()}, {k: tuple(v) for k, v in last.items()})


def _leading_title(keys: Sequence[str]) -> int:
    """How many of ``keys`` (title keys) are a title at their start."""
    for title in _titles_by_edge()[0].get(keys[0], ()) if keys else ():
        if len(title) < len(keys) and tuple(keys[: len(title)]) == title:
            return len(title)
    return 0


def _trailing_title(keys: Sequence[str]) -> Optional[Tuple[str, ...]]:
    """The title that ``keys`` (title keys of the words before a mention) end with, if any."""
    for title in _titles_by_edge()[1].get(keys[-1], ()) if keys else ():
        if len(title) <= len(keys) and tuple(keys[len(keys) - len(title):]) == title:
            return title
    return None


_FUNCTION_WORD_OPTIONS = NormalizeOptions(alef=False, alef_maksura=False, teh_marbuta=False, hamza_carriers=False)


@lru_cache(maxsize=1)
def _function_words() -> FrozenSet[str]:
    text = data_file("function_words.txt").read_text(encoding="utf-8")
    return frozenset(normalize(row[0], _FUNCTION_WORD_OPTIONS) for row in _tsv_rows(text.splitlines()))


def has_function_word(name: str) -> bool:
    """True when a word of ``name`` is in ``function_words.txt`` (so it is no person's name).

    >>> has_function_word("كيم على"), has_function_word("كيم علي")
    (True, False)
    """
    return any(w in _function_words() for w in _WORD.findall(normalize(name, _FUNCTION_WORD_OPTIONS)))
