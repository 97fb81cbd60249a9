"""Gazetteers: name lists matched on normalized, clitic-stripped words at word boundaries.

Matching works on our tokens, never on raw substrings, so a name can only match
whole words: مالي (Mali) does not match inside الشمالية, and the article is part
of a word's key, so المالي ("the financial") does not match مالي either. The
first word of a match may carry proclitics (و ف ب ك ل): "وإسرائيل", "لروسيا" and
"للكرملين" match إسرائيل, روسيا and الكرملين (ل + elided article is read as ال).

>>> word_key("أوكرانيا"), stripped_key("لأوكرانيا"), stripped_key("للكرملين")
('اوكرانيا', 'اوكرانيا', 'الكرملين')
>>> gaz = Gazetteer([("كوريا الشمالية", "GPE", "country", True), ("مالي", "GPE", "country", True)])
>>> gaz.match(["قالت", "وكوريا", "الشمالية", "والمالي", "ومالي"])
[(1, 3, 'GPE', True), (4, 5, 'GPE', True)]

Data files (package ``arabic_geo_nlp.data``, each with a ``#`` header naming its sources):
``gazetteer_places.tsv`` (countries, CLDR territories, cities; compiled by
:mod:`arabic_geo_nlp.ner.build`), ``gazetteer_curated.tsv`` (hand-made: regions,
seas, leaders, ministries, agencies, think tanks, news agencies),
``gazetteer_names.tsv.gz`` (a word -> PER/LOC/ORG lexicon compiled from ANETAC,
used as model features), ``gazetteer_ordinary.txt.gz`` (words mostly used as ordinary
words, compiled by :mod:`arabic_geo_nlp.ner.build`: a one-word name spelled as one of them,
such as the city كان, the channel العربية or the town البحر, is not *addable*: it may
relabel a model entity, never create one; countries excepted, :func:`is_addable`) and
``gazetteer_stopwords.txt`` (function words that are never a one-word entity, :func:`is_stopword`)
and ``never_entities.tsv`` (months, currencies, religious formulas, lone titles, communities: never a
whole entity, :func:`is_never_entity`) and ``named_after.tsv`` (مطار, جامعة … + الملك, الأمير …:
:func:`named_after`) and ``letter_names.tsv`` (بي, سي: pieces of dotted acronyms, :func:`letter_name`).

:func:`load_gazetteer` also reads the Arabic aliases of the linking KB's PER, ORG, GPE
and LOC entries (:func:`kb_entries`), after the TSVs (which win a name both list).
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import resources
from typing import Dict, FrozenSet, Iterable, Iterator, List, Sequence, Tuple

from ..cache import cached
from ..clitics import analyze, proclitics
from ..normalize import NormalizeOptions, normalize, normalize_word
from ..tokenize import iter_token_spans

__all__ = [
    "Entry", "Match", "Gazetteer", "word_key", "stripped_key", "proclitic_length",
    "read_tsv", "load_entries", "load_gazetteer", "load_name_lexicon", "kb_entries",
    "is_stopword", "is_never_entity", "named_after", "letter_name", "given_names", "is_addable", "ordinary_words", "GAZETTEER_FILES", "ORDINARY_FILE",
]

Entry = Tuple[str, str, str, bool]   # (name, label, kind, addable)
Match = Tuple[int, int, str, bool]   # (first token, end token, label, addable)

ARTICLE = "ال"
NOMINAL_PROCLITICS = frozenset(proclitics("conjunction", "preposition"))
GAZETTEER_FILES = ("gazetteer_curated.tsv", "gazetteer_places.tsv")
ORDINARY_FILE = "gazetteer_ordinary.txt.gz"
KB_LABELS = frozenset({"PER", "ORG", "GPE", "LOC"})
_LATIN = re.compile(r"[A-Za-z]")
# Stop words keep ى and ة apart from ي and ه: على is a preposition, علي a name.
_STOP_OPTIONS = NormalizeOptions(alef_maksura=False, teh_marbuta=False, hamza_carriers=False)


def word_key(text: str) -> str:
    """The normalized form of a word (a name's words are compared by this)."""
    return normalize_word(text)


def _nominal_run(proclitic: str) -> int:
    """Length of the leading part of ``proclitic`` that can attach to a noun (و ف ب ك ل and
    their diacritics); the future particle س attaches to verbs only, so a name never loses it."""
    n = 0
    for ch in proclitic:
        if normalize_word(ch) not in NOMINAL_PROCLITICS and normalize(ch):
            break
        n += 1
    return n


@lru_cache(maxsize=50_000)
def proclitic_length(text: str) -> int:
    """How many leading characters of ``text`` are nominal proclitics. A written article
    stays; the article fused with ل as لل goes with the ل.

    >>> [proclitic_length(w) for w in ("وإسرائيل", "والصين", "للكرملين", "الصين", "ستيمسون")]
    [1, 1, 2, 0, 0]
    """
    clitics = analyze(text)
    cut = _nominal_run(clitics.proclitic)
    if cut == len(clitics.proclitic) and _fused_article(clitics.article):
        return len(clitics.prefix)
    return cut


def _fused_article(article: str) -> bool:
    """True for the article whose alef is elided after ل (the second ل of لل)."""
    return normalize_word(article) == "ل" if article else False


@lru_cache(maxsize=50_000)
def stripped_key(text: str) -> str:
    """:func:`word_key` of ``text`` without its proclitics; لل + X reads as الX."""
    cut = proclitic_length(text)
    rest = text[cut:]
    if cut and cut == len(analyze(text).prefix) and _fused_article(analyze(text).article):
        rest = ARTICLE + rest
    return word_key(rest) if rest else word_key(text)


@lru_cache(maxsize=50_000)
def _first_keys(word: str) -> Tuple[str, ...]:
    """The keys a name's first word may match by: as written, and without proclitics."""
    return tuple(dict.fromkeys((word_key(word), stripped_key(word))))


@lru_cache(maxsize=50_000)
def _name_keys(name: str) -> Tuple[str, ...]:
    return tuple(word_key(name[s:e]) for s, e in iter_token_spans(name))


class Gazetteer:
    """Longest-match lookup of multiword names over a token sequence."""

    def __init__(self, entries: Iterable[Entry]):
        self._entries: Dict[Tuple[str, ...], Tuple[str, bool]] = {}
        for name, label, _kind, addable in entries:
            keys = _name_keys(name)
            if keys:
                self._entries.setdefault(keys, (label, addable))
        self._max_len = max((len(k) for k in self._entries), default=0)
        self._first: FrozenSet[str] = frozenset(k[0] for k in self._entries)
        self._words: FrozenSet[str] = frozenset(w for k in self._entries for w in k)
        self._starts: Dict[str, Tuple[str, ...]] = {}   # word -> its first keys that open a name

    def _starts_of(self, word: str) -> Tuple[str, ...]:
        firsts = self._starts.get(word)
        if firsts is None:
            if len(self._starts) > 300_000:
                self._starts.clear()
            firsts = self._starts[word] = tuple(k for k in _first_keys(word) if k in self._first)
        return firsts

    def has_word(self, key: str) -> bool:
        """True when the single normalized word ``key`` is a whole name."""
        return (key,) in self._entries

    def has_name_word(self, key: str) -> bool:
        """True when the normalized word ``key`` is a word of some name (بيونج of بيونج يانج)."""
        return key in self._words

    def has_name(self, keys: Sequence[str]) -> bool:
        """True when the normalized words ``keys`` spell a name exactly (no proclitic stripping)."""
        return tuple(keys) in self._entries

    def lookup(self, words: Sequence[str]) -> Tuple[str, bool] | None:
        """``(label, addable)`` of the name spelled exactly by ``words`` (first word may carry proclitics)."""
        if not words:
            return None
        rest = tuple(word_key(w) for w in words[1:])
        for first in (word_key(words[0]), stripped_key(words[0])):
            hit = self._entries.get((first,) + rest)
            if hit is not None:
                return hit
        return None

    def _longest_at(self, words: Sequence[str], i: int, firsts: Tuple[str, ...] = ()) -> Match | None:
        firsts = firsts or self._starts_of(words[i])
        if not firsts:
            return None
        rest = tuple(word_key(w) for w in words[i + 1:i + self._max_len])
        for n in range(min(self._max_len, len(words) - i), 0, -1):
            for first in firsts:
                hit = self._entries.get((first,) + rest[:n - 1])
                if hit is not None:
                    return i, i + n, hit[0], hit[1]
        return None

    def match(self, words: Sequence[str]) -> List[Match]:
        """Non-overlapping longest matches, left to right, as ``(start, end, label, addable)``."""
        out: List[Match] = []
        starts = self._starts
        end = 0
        for i, word in enumerate(words):
            firsts = starts.get(word)
            if firsts is None:
                firsts = self._starts_of(word)
            if firsts and i >= end:
                hit = self._longest_at(words, i, firsts)
                if hit is not None:
                    out.append(hit)
                    end = hit[1]
        return out


def read_tsv(lines: Iterable[str]) -> Iterator[List[str]]:
    """Rows of a TSV with ``#`` comment lines and a header row (skipped)."""
    rows = (ln.rstrip("\n").split("\t") for ln in lines if ln.strip() and not ln.startswith("#"))
    next(rows, None)
    yield from rows


def _data_lines(name: str) -> List[str]:
    path = resources.files("arabic_geo_nlp.data").joinpath(name)
    if name.endswith(".gz"):
        return gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    return path.read_text(encoding="utf-8").splitlines()


@lru_cache(maxsize=None)
def load_entries(name: str) -> Tuple[Entry, ...]:
    """Entries of a package gazetteer TSV (``name label kind`` columns), with :func:`is_addable`."""
    return tuple((r[0], r[1], r[2], is_addable(r[0], r[2])) for r in read_tsv(_data_lines(name)))


@lru_cache(maxsize=1)
def ordinary_words() -> FrozenSet[str]:
    """The words of ``gazetteer_ordinary.txt.gz``: mostly ordinary words in the reference corpora."""
    return frozenset(ln.strip() for ln in _data_lines(ORDINARY_FILE) if ln.strip() and not ln.startswith("#"))


def is_addable(name: str, kind: str) -> bool:
    """False for a one-word name, other than a country, spelled as a word that is mostly an ordinary
    word (:func:`ordinary_words`): the gazetteer may relabel a model entity with it, never add it.

    >>> is_addable("البحر", "city"), is_addable("موسكو", "city"), is_addable("مالي", "country")
    (False, True, True)
    """
    keys = _name_keys(name)
    return kind == "country" or len(keys) != 1 or keys[0] not in ordinary_words()


@lru_cache(maxsize=1)
def _stopwords() -> FrozenSet[str]:
    path = resources.files("arabic_geo_nlp.data").joinpath("gazetteer_stopwords.txt")
    rows = read_tsv(path.read_text(encoding="utf-8").splitlines())
    return frozenset(normalize(r[0], _STOP_OPTIONS) for r in rows if r and r[0])


def is_stopword(word: str) -> bool:
    """True when ``word`` (with or without its proclitics) is a function word of
    ``gazetteer_stopwords.txt``, never a one-word entity.

    >>> is_stopword("على"), is_stopword("وهو"), is_stopword("علي"), is_stopword("كيف")
    (True, True, False, True)
    """
    stop = _stopwords()
    if normalize(word, _STOP_OPTIONS) in stop:
        return True
    cut = proclitic_length(word)
    return bool(cut) and normalize(word[cut:], _STOP_OPTIONS) in stop


@lru_cache(maxsize=1)
def _never_entities() -> Dict[Tuple[str, ...], FrozenSet[str]]:
    """``never_entities.tsv``: normalized phrase words -> labels it is never (``"*"``: any)."""
    out: Dict[Tuple[str, ...], FrozenSet[str]] = {}
    for row in read_tsv(_data_lines("never_entities.tsv")):
        keys = _name_keys(row[0])
        if keys:
            out[keys] = frozenset(row[1].split()) if len(row) > 1 and row[1].strip() else frozenset("*")
    return out


def is_never_entity(words: Sequence[str], label: str) -> bool:
    """True when ``words`` (the first with or without its proclitics) spell a phrase of
    ``never_entities.tsv`` that is never an entity with ``label``: a month, a currency
    (kept as ``MISC``), a religious formula, a title standing alone, a community.

    >>> is_never_entity(["ونيسان"], "ORG"), is_never_entity(["ولي", "العهد"], "PER")
    (True, True)
    >>> is_never_entity(["ريال"], "ORG"), is_never_entity(["ريال"], "MISC"), is_never_entity(["ريال", "مدريد"], "ORG")
    (True, False, False)
    """
    if not words:
        return False
    never = _never_entities()
    rest = tuple(word_key(w) for w in words[1:])
    for first in _first_forms(words[0]):
        labels = never.get((first,) + rest)
        if labels is not None and ("*" in labels or label in labels):
            return True
    return False


_CONJUNCTIONS = frozenset(proclitics("conjunction"))


def _first_forms(word: str) -> Iterator[str]:
    """Keys of ``word`` as written, without its proclitics, and without a leading proclitic
    or conjunction + proclitic (لولي -> ولي, وللشيعة -> الشيعة, but بلدروز stays whole:
    ب + ل is no proclitic sequence), whatever the clitic analysis says of the word."""
    yield from _first_keys(word)   # as written, and without its proclitics (cached)
    key = word_key(word)
    if len(key) > 3 and key[0] in NOMINAL_PROCLITICS:
        yield key[1:]
        if key[:2] == "لل":
            yield ARTICLE + key[2:]
        elif key[0] in _CONJUNCTIONS and key[1] in NOMINAL_PROCLITICS and key[1] not in _CONJUNCTIONS:
            yield key[2:]
            if key[1:3] == "لل":
                yield ARTICLE + key[3:]


@lru_cache(maxsize=1)
def _named_after_table() -> Tuple[Dict[str, str], FrozenSet[str]]:
    """``named_after.tsv``: (normalized noun -> label, normalized titles)."""
    nouns: Dict[str, str] = {}
    titles = set()
    for row in read_tsv(_data_lines("named_after.tsv")):
        if len(row) > 1 and row[1] == "noun":
            nouns[word_key(row[0])] = row[2]
        elif len(row) > 1 and row[1] == "title":
            titles.add(word_key(row[0]))
    return nouns, frozenset(titles)


def named_after(noun: str, title: str) -> str | None:
    """The label of a name opened by ``noun title`` and a person's name (``named_after.tsv``),
    or None; ``noun`` may carry proclitics.

    >>> named_after("بمطار", "الملك"), named_after("جامعة", "الأمير"), named_after("قال", "الملك")
    ('LOC', 'ORG', None)
    """
    nouns, titles = _named_after_table()
    if word_key(title) not in titles:
        return None
    return nouns.get(word_key(noun)) or nouns.get(stripped_key(noun))


_MARKS = re.compile("[\u064b-\u0652\u0640]")   # diacritics and tatweel


@lru_cache(maxsize=1)
def _letter_names() -> Dict[str, str]:
    return {_MARKS.sub("", r[0]): r[1] if len(r) > 1 else "any" for r in read_tsv(_data_lines("letter_names.tsv"))}


def letter_name(word: str) -> str | None:
    """``"any"`` for the Arabic spelling of a Latin letter name (بي, سي: a piece of a dotted
    acronym), ``"tight"`` for one that is also a function word (في, إن: a piece only when the
    dots touch it), None for other words (``letter_names.tsv``).

    >>> letter_name("بي"), letter_name("إن"), letter_name("آي"), letter_name("بيت")
    ('any', 'tight', 'any', None)
    """
    return _letter_names().get(_MARKS.sub("", word))


@lru_cache(maxsize=1)
def kb_entries() -> Tuple[Entry, ...]:
    """Gazetteer entries from the Arabic aliases (and Arabic names) of the packaged linking KB's
    PER, ORG, GPE and LOC entries. A multi-word alias is kept; a one-word alias only when it
    names a single KB entry and is no stop word (:func:`is_stopword`)."""
    from ..link import gazetteer_kb  # the KB without its long tail; imported late (sibling module)

    owners: Dict[Tuple[str, ...], set] = {}
    names: Dict[Tuple[str, ...], Tuple[str, str]] = {}
    for entry in gazetteer_kb():
        if entry.type not in KB_LABELS:
            continue
        for alias in dict.fromkeys((entry.name, *entry.aliases)):
            if _LATIN.search(alias):
                continue
            keys = _name_keys(alias)
            if not keys:
                continue
            owners.setdefault(keys, set()).add((entry.name, entry.type))
            names.setdefault(keys, (alias, entry.type))
    out = []
    for keys, (alias, label) in names.items():
        if len(keys) == 1 and (len(owners[keys]) > 1 or is_stopword(alias)):
            continue
        out.append((alias, label, "kb", is_addable(alias, "kb")))
    return tuple(out)


@lru_cache(maxsize=None)
def load_gazetteer(files: Tuple[str, ...] = GAZETTEER_FILES, kb: bool = True) -> Gazetteer:
    """One :class:`Gazetteer` over package TSVs, then (``kb``) the linking KB's aliases
    (:func:`kb_entries`); an earlier source wins a name both list."""
    if files == GAZETTEER_FILES and kb:  # the packaged one: unpickled when an earlier process built it
        return cached("gazetteer", lambda: _build_gazetteer(files, kb))
    return _build_gazetteer(files, kb)


def _build_gazetteer(files: Tuple[str, ...], kb: bool) -> Gazetteer:
    entries = [e for f in files for e in load_entries(f)]
    return Gazetteer(entries + list(kb_entries()) if kb else entries)


@lru_cache(maxsize=1)
def given_names() -> FrozenSet[str]:
    """Normalized common Arabic given names and name particles (وائل, عثمان, أبو), from the
    linking data's ``kb/arabic_names.tsv``.

    >>> [word_key(w) in given_names() for w in ("وائل", "أبو", "لي")]
    [True, True, False]
    """
    return frozenset(word_key(r[0]) for r in read_tsv(_data_lines("kb/arabic_names.tsv")) if r and " " not in r[0])


@lru_cache(maxsize=1)
def load_name_lexicon() -> Dict[str, str]:
    """ANETAC-derived word lexicon: normalized word -> labels (``"PER"``, ``"LOC|PER"`` …)."""
    return {r[0]: r[1] for r in read_tsv(_data_lines("gazetteer_names.tsv.gz"))}
