"""Descriptive names of institutions and places read from their words (``institution_phrases.tsv``).

An institution's name is often a head noun and its complements, no word of which is a name:
هيئة السوق المالية, الشرطة التركية, الهيئة الملكية للجبيل. A phrase starts on a *head* (with its
proclitics, no pronoun enclitic) and grows over

1. after an indefinite head (growth ``chain``): a genitive chain of at most ``MAX_CONSTRUCT``
   indefinite construct nouns ending in a definite noun (and at most one و + definite noun:
   حزب العدالة والتنمية) or a known place (جيش نيجيريا); a chain ending on an organisation's name
   gives no phrase (منظمة | ريغافيم: the name is the entity);
2. definite adjectives: nisba-shaped (-ي, -ية, -يون, -يين) or listed (العامة, العليا), each after the
   first may carry و (المعهد المصرفي والمالي);
3. one genitive opened by a listed proclitic: لل + a noun that an adjective follows (للقوات المسلحة;
   لل + a verbal noun of purpose has none: للدفاع عن) or a known name (للجبيل).

A definite head needs an adjective, and a *nationality* (a nisba on a country or region name:
التركية, الأردني) or a known name in its genitive: without one it is a description (المجلس العسكري,
اللجنة الوزارية), not a name. A phrase stops at anything else: verbs and indefinite words out of a
chain, prepositions, numbers, punctuation, persons, and the listed *stop* words (الماضي, الذي, and
nouns after which a head is an ordinary noun: مجلس الإدارة); a phrase whose last noun is followed by
a person is that person's title (مكتب الرئيس | بول بيا) and is dropped.

A *place* noun (قضاء, حي, بلدة …) before a known place, or before an unknown word that is no ordinary
word, tags that name; with growth ``keep`` the noun is part of it (قضاء مرجعيون), with ``name`` it is
not (بلدة | الراعي). A keep noun does not join a name the gazetteer lists (حي | التواهي).

Names are the sentence's gazetteer matches and the entities already found (not persons).

>>> phrases(["قالت", "هيئة", "السوق", "المالية", "إن"])
[(1, 4, 'ORG')]
>>> phrases(["أعلنت", "الهيئة", "العامة", "للقوات", "المسلحة", "الإماراتية", "أمس"])
[(1, 6, 'ORG')]
>>> phrases(["قالت", "الشرطة", "أمس"]), phrases(["شكلت", "لجنة", "تحقيق"])
([], [])
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Collection, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from ..clitics import analyze
from .gazetteer import _data_lines, is_stopword, load_entries, ordinary_words, read_tsv, stripped_key, word_key

__all__ = ["Word", "read_word", "phrases", "add_phrases", "PHRASE_FILE"]

PHRASE_FILE = "institution_phrases.tsv"
MAX_CONSTRUCT = 1
MAX_NAME_WORDS = 3
_NAME_LABELS = frozenset({"GPE", "LOC", "ORG"})
_PLACE_LABELS = frozenset({"GPE", "LOC"})
Span4 = Tuple[int, int, str, str]


@dataclass(frozen=True)
class Word:
    """What the phrase reader needs of one word: its normalized proclitics (without the article),
    whether it is definite, its normalized stem, whether it has a pronoun enclitic."""

    proclitic: str
    definite: bool
    stem: str
    enclitic: bool
    arabic: bool


@lru_cache(maxsize=200_000)
def read_word(text: str) -> Word:
    """The :class:`Word` of ``text``.

    >>> read_word("للقوات")
    Word(proclitic='ل', definite=True, stem='قوات', enclitic=False, arabic=True)
    """
    c = analyze(text)
    arabic = all("\u0621" <= ch <= "\u064a" or "\u064b" <= ch <= "\u0652" for ch in text)
    return Word(word_key(c.proclitic) if c.proclitic else "", bool(c.article), word_key(c.stem) if c.stem else "",
                bool(c.suffix), arabic and bool(c.stem))


@dataclass(frozen=True)
class _Tables:
    heads: Mapping[str, str]
    chain_heads: FrozenSet[str]
    places: Mapping[str, str]
    kept_places: FrozenSet[str]
    adjectives: FrozenSet[str]
    stops: FrozenSet[str]
    genitives: FrozenSet[str]
    nisba_endings: Tuple[str, ...]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    rows: Dict[str, Dict[str, str]] = {kind: {} for kind in ("head", "place", "adjective", "stop", "genitive", "nisba")}
    chain, keep = set(), set()
    for row in read_tsv(_data_lines(PHRASE_FILE)):
        kind = row[1]
        key = word_key(row[0]) if kind in ("genitive", "nisba") else read_word(row[0]).stem
        rows[kind][key] = row[2] if len(row) > 2 else ""
        growth = row[3] if len(row) > 3 else ""
        if growth in ("chain", "keep"):
            (chain if kind == "head" else keep).add(key)
    return _Tables(rows["head"], frozenset(chain), rows["place"], frozenset(keep), frozenset(rows["adjective"]),
                   frozenset(rows["stop"]), frozenset(rows["genitive"]), tuple(rows["nisba"]))


def _bare(w: Word, proclitics: Collection[str] = ("",), definite: bool = True) -> bool:
    """An Arabic word with one of ``proclitics`` (``""``: none) and no enclitic, definite or not
    as asked, not a stop word."""
    return (w.arabic and not w.enclitic and w.definite == definite and w.proclitic in proclitics
            and w.stem not in _tables().stops)


def _plain(w: Word, definite: bool) -> bool:
    """An Arabic word without proclitics or enclitic, definite or not as asked, not a stop word."""
    return _bare(w, ("",), definite)


def _nisba(w: Word) -> bool:
    """True for a word shaped as a nisba adjective (تركي, التركية, العسكريين) or a listed adjective."""
    stem = w.stem
    return stem in _tables().adjectives or any(stem.endswith(end) and len(stem) >= len(end) + 3
                                                 for end in _tables().nisba_endings)


def _adjective(w: Word, proclitics: Tuple[str, ...] = ("",)) -> bool:
    """A definite adjective (:func:`_nisba`) with one of ``proclitics``, no stop word nor head."""
    return _bare(w, proclitics) and w.stem not in _tables().heads and _nisba(w)


@lru_cache(maxsize=1)
def _country_bases() -> FrozenSet[str]:
    """Stems a nationality adjective is built on: each one-word country or region name of
    ``gazetteer_places.tsv`` without its article, and without a final ا, ه or يا (تركيا -> ترك)."""
    out = set()
    for name, _label, kind, _ in load_entries("gazetteer_places.tsv"):
        if kind not in ("country", "region") or " " in name.strip():
            continue
        key = word_key(name)
        for form in {key, key[2:] if key.startswith("ال") else key}:
            out.update({form, form[:-1] if form.endswith(("ا", "ه")) else form, form[:-2] if form.endswith("يا") else form})
    return frozenset(b for b in out if len(b) >= 2)


def _nationality(w: Word) -> bool:
    """True for a nationality adjective: a nisba on a country or region name (التركية, الأردني,
    الإماراتية, السعودية).

    >>> [_nationality(read_word(x)) for x in ("التركية", "الأردني", "الإماراتية", "السعودية", "العسكري")]
    [True, True, True, True, False]
    """
    if not (w.definite and _nisba(w)):
        return False
    bases = _country_bases()
    return w.stem in bases or any(w.stem.endswith(end) and w.stem[:-len(end)] in bases
                                   for end in _tables().nisba_endings)


class _Reader:
    """Reads phrases over one sentence's words (each word analysed once, cached).
    ``names``: start -> (end, label) of known names; ``persons``: indices of words in person entities;
    ``listed``: starts of the names that the gazetteer lists."""

    def __init__(self, words: Sequence[str], names: Mapping[int, Tuple[int, str]], persons: FrozenSet[int],
                 listed: FrozenSet[int] = frozenset()):
        self.words = [read_word(w) for w in words]
        self.raw = words
        self.names = names
        self.persons = persons
        self.listed = listed

    def _noun(self, j: int, definite: bool, nisba: bool = False) -> bool:
        """Word ``j`` is a plain noun (not a stop word or function word, nor nisba-shaped unless
        ``nisba``) of that definiteness."""
        return (j < len(self.words) and j not in self.persons and j not in self.names
                and _plain(self.words[j], definite) and (nisba or not _nisba(self.words[j]))
                and not is_stopword(self.raw[j]))

    def _chain(self, j: int) -> Optional[int]:
        """End of a genitive chain starting at ``j``: at most ``MAX_CONSTRUCT`` indefinite construct nouns,
        then a definite noun (nisba-shaped only right after the head: a nisba after a construct noun is
        an adjective of a name) and :meth:`_coordinated`, or a place name; None when the chain ends
        otherwise, or on an organisation's or person's name (منظمة ريغافيم: the name is the entity)."""
        for k in range(j, min(j + MAX_CONSTRUCT + 1, len(self.words))):
            if k in self.names:
                end, label = self.names[k]
                return end if label in _PLACE_LABELS else None
            if self._noun(k, True, nisba=k == j):    # وزارة الخارجية; not بيتسيلم | الإسرائيلية
                return self._coordinated(k + 1)
            if not self._noun(k, False):
                return None
        return None

    def _coordinated(self, j: int) -> int:
        """``j + 1`` when word ``j`` is و + a definite noun that is no name, head nor adjective
        (العدالة والتنمية), else ``j``."""
        if j >= len(self.words) or j in self.names or j in self.persons:
            return j
        w = self.words[j]
        if _bare(w, ("و",)) and w.stem not in _tables().heads and not _nisba(w):
            return j + 1
        return j

    def _adjectives(self, j: int) -> int:
        """End of the adjectives from word ``j`` (و + adjective after an adjective); a known name
        is one only as a nationality (الحملة الوطنية السعودية)."""
        while j < len(self.words) and j not in self.persons and _adjective(self.words[j], ("", "و")) \
                and (j not in self.names or _nationality(self.words[j])):
            if self.words[j].proclitic and not _adjective(self.words[j - 1]):
                break
            j += 1
        return j

    def _genitive(self, j: int) -> int:
        """End of a genitive opened by a listed proclitic at word ``j`` (للقوات المسلحة), else ``j``:
        a definite noun that an adjective follows (لل + a verbal noun of purpose has none: للدفاع عن),
        or a known name (الهيئة الملكية للجبيل)."""
        if j >= len(self.words) or j in self.persons:
            return j
        w = self.words[j]
        if j in self.names:
            return self._adjectives(self.names[j][0]) if w.proclitic in _tables().genitives else j
        if _bare(w, _tables().genitives) and not _nisba(w):
            end = self._adjectives(j + 1)
            if end > j + 1:
                return end
        return j

    def place_at(self, i: int) -> Optional[Tuple[int, int, str]]:
        """``(start, end, label)`` of the place named after the place noun at word ``i`` (قضاء مرجعيون;
        only the name after بلدة), or None. The name is a known place, or one word that is no
        ordinary word, stop word, adjective or head (:func:`.gazetteer.ordinary_words`)."""
        w, t = self.words[i], _tables()
        if w.stem not in t.places or w.definite or w.enclitic or not w.arabic:
            return None
        j = i + 1
        keep = w.stem in t.kept_places
        if j in self.names:
            end, label = self.names[j]
            if label not in _PLACE_LABELS or (keep and j in self.listed):
                return None                 # حي | التواهي: the gazetteer's name is the place's own
        elif self._name_word(j, first=True):
            end = j + 1
            if not word_key(self.raw[j]).startswith("ال"):    # a definite name is one word
                while end < j + MAX_NAME_WORDS and self._name_word(end, first=False) and word_key(self.raw[end])[0] != "و":
                    end += 1
        else:
            return None
        return (i if keep else j), end, t.places[w.stem]

    def _name_word(self, j: int, first: bool) -> bool:
        """Word ``j`` may be (part of) an unknown place name: an Arabic word, as written (a genitive
        carries no proclitic, so an unknown name's first letters are never cut: سنجوريا), that is no
        ordinary word with or without its proclitics (:func:`.gazetteer.ordinary_words`), stop word, head, place noun, nationality or
        indefinite nisba (منطقة حدودية is no name; منطقة الطارمية is). Only the ``first`` may be definite."""
        if j >= len(self.words) or j in self.persons or j in self.names or not self.words[j].arabic:
            return False
        key, t = word_key(self.raw[j]), _tables()
        if {"ل", "و"} & set(self.words[j].proclitic):
            return False                    # ولاية | لنكورونزيزا: a genitive carries no ل (nor و)
        definite = key.startswith("ال")
        word = Word("", definite, key[2:] if definite else key, False, True)
        ordinary = ordinary_words()
        return ((first or not definite) and key not in ordinary and stripped_key(self.raw[j]) not in ordinary
                and not is_stopword(self.raw[j])
                and not {word.stem, self.words[j].stem} & t.stops and word.stem not in t.heads and word.stem not in t.places
                and (definite or not _nisba(word)) and not _nationality(word))

    def phrase_at(self, i: int) -> Optional[int]:
        """End of the institution phrase whose head is word ``i``, or None."""
        head = self.words[i]
        t = _tables()
        if head.stem not in t.heads or head.enclitic or not head.arabic:
            return None
        j = i + 1
        if i in self.names:
            return None                     # منظمة ريغافيم: a known name, kept as it is
        if head.definite:
            end = self._adjectives(j)
            if end == j:
                return None
            j = self._genitive(end)
            anchored = any(_nationality(w) for w in self.words[i + 1:j]) or any(k in self.names for k in range(end, j))
            return j if anchored and not (j in self.persons and not _adjective(self.words[j - 1])) else None
        elif head.stem in t.chain_heads:
            end = self._chain(j)
            if end is None:
                return None
            j = self._adjectives(end)
        else:
            return None
        j = self._genitive(j)
        if j in self.persons and not _adjective(self.words[j - 1]):
            return None                     # مكتب الرئيس | بول بيا: the last noun is the person's title
        return j


def phrases(words: Sequence[str], names: Mapping[int, Tuple[int, str]] = {}, persons: FrozenSet[int] = frozenset(),
            listed: FrozenSet[int] = frozenset()) -> List[Tuple[int, int, str]]:
    """Non-overlapping institution phrases and places ``(start, end, label)`` over ``words``, left to right.
    ``names``: start -> (end, label) of known names; ``persons``: word indices inside person entities;
    ``listed``: starts of the names the gazetteer lists."""
    reader = _Reader(words, names, persons, listed)
    out: List[Tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        end = reader.phrase_at(i)
        place = reader.place_at(i) if end is None else None
        if end is not None:
            out.append((i, end, _tables().heads[reader.words[i].stem]))
            i = end
        elif place is not None:
            out.append(place)
            i = place[1]
        else:
            i += 1
    return out


def add_phrases(words: Sequence[str], spans: Sequence[Span4], names: Mapping[int, Tuple[int, str]]) -> List[Span4]:
    """``spans`` with the phrases of ``words`` added (source ``"phrase"``): a phrase replaces the
    entities it strictly contains unless one is a person; it is dropped when it crosses an entity's
    edge or lies inside one. ``names``: gazetteer matches (start -> (end, label)) of the sentence.

    >>> add_phrases(["أعلنت", "الهيئة", "العامة", "للقوات", "المسلحة"], [(3, 5, "ORG", "model")], {})
    [(1, 5, 'ORG', 'phrase')]
    """
    persons = frozenset(k for s, e, label, _ in spans if label == "PER" for k in range(s, e))
    known = {s: (e, label) for s, (e, label) in names.items() if label in _NAME_LABELS}
    known.update({s: (e, label) for s, e, label, _ in spans if label in _NAME_LABELS})
    out = list(spans)
    for s, e, label in phrases(words, known, persons, frozenset(names)):
        inside = [m for m in out if m[0] < e and s < m[1]]
        if all(s <= m[0] and m[1] <= e and (m[0], m[1]) != (s, e) for m in inside):
            out = [m for m in out if m not in inside] + [(s, e, label, "phrase")]
    return sorted(out)
