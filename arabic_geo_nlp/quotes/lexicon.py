"""The cue lexicon: reporting verbs, source phrases, titles, groups and other word lists.

The knowledge lives in ``data/quote_cues.tsv`` (reporting verbs, one column per inflection),
``data/quote_lexicon.json`` (word lists) and ``data/quote_names.tsv`` (given names with their
gender); this module loads them once and matches words the way the data files promise:
after normalization (:func:`arabic_geo_nlp.normalize.normalize_word`) and with the proclitics
و ف (and س for verbs, ب ل ك and the article for nouns) stripped by the mechanism.

>>> lex = load_lexicon()
>>> cue = lex.cue("وتضيف")
>>> cue.lemma, cue.klass, cue.gender, cue.number
('أضاف', 'speech', 'F', 'sg')
>>> lex.cue("ويقولون").number, lex.cue("قائلاً").participle
('pl', True)
>>> lex.is_group("الخبراء"), lex.title_gender("زميلة"), lex.name_gender("راشيل")
(True, 'F', 'F')
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Dict, FrozenSet, Iterator, List, Optional, Tuple

from ..clitics import proclitics
from ..normalize import normalize_word

__all__ = ["Cue", "Lexicon", "load_lexicon", "key"]

CUE_FILE = "quote_cues.tsv"
LEXICON_FILE = "quote_lexicon.json"
NAMES_FILE = "quote_names.tsv"

# inflection column -> (gender, number); participles take the subject of the clause they hang on.
_FEATURES: Dict[str, Tuple[Optional[str], str]] = {
    "past_3ms": ("M", "sg"), "past_3fs": ("F", "sg"), "past_3mp": ("M", "pl"),
    "pres_3ms": ("M", "sg"), "pres_3fs": ("F", "sg"), "pres_3mp": ("M", "pl"),
    "participle": (None, "sg"),
}
CONJUNCTIONS = proclitics("conjunction")   # و ف, on any word
_VERB = proclitics("future")        # on verbs
_NOUN = proclitics("preposition")   # on nouns
_ARTICLE = ("ال", "ل")      # the article; "ل" is what is left of it after ل (للكرملين)
MEMO_SIZE = 100_000         # remembered word answers per lexicon
_UNSET = object()


@lru_cache(maxsize=50_000)
def key(word: str) -> str:
    """The lookup form of ``word``: normalized, tatweel and a trailing ـ removed.

    >>> key("أَضافَ"), key("بـ")
    ('اضاف', 'ب')
    """
    return normalize_word(word).replace("ـ", "")


def _strip(word: str, prefixes: Tuple[str, ...], min_rest: int = 2) -> Iterator[str]:
    for p in prefixes:
        if word.startswith(p) and len(word) - len(p) >= min_rest:
            yield word[len(p):]


@lru_cache(maxsize=100_000)
def bare_forms(word: str, *, verb: bool = False, noun: bool = False) -> Tuple[str, ...]:
    """``word`` (a key) and what is left after stripping proclitics, longest first.

    >>> bare_forms("وللخبراء", noun=True)
    ('وللخبراء', 'للخبراء', 'لخبراء', 'خبراء')
    """
    out = [word]
    for w in list(out):
        out.extend(_strip(w, CONJUNCTIONS))
    if verb:
        for w in list(out):
            out.extend(_strip(w, _VERB))
    if noun:
        for w in list(out):
            out.extend(_strip(w, _NOUN))
        for w in list(out):
            out.extend(_strip(w, _ARTICLE))
    return tuple(dict.fromkeys(out))


def noun_gender(word: str) -> str:
    """``"F"`` for a raw noun ending in ة (after its short vowels), else ``"M"``.

    >>> noun_gender("وزيرةُ"), noun_gender("وزير")
    ('F', 'M')
    """
    return "F" if word.rstrip("ًٌٍَُِّْ").endswith("ة") else "M"


@dataclass(frozen=True)
class Cue:
    """One inflected reporting-verb form."""

    lemma: str
    klass: str            # speech | manner | opinion | relay | strict | statement
    gender: Optional[str]  # "M", "F" or None (participles)
    number: str           # "sg" or "pl"
    participle: bool = False


def _data(name: str):
    return resources.files("arabic_geo_nlp.data").joinpath(name)


def _rows(name: str) -> Iterator[Dict[str, str]]:
    with _data(name).open(encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t")


def _keys(words: List[str]) -> FrozenSet[str]:
    return frozenset(key(w) for w in words)


class Lexicon:
    """All word lists of the quote extractor, keyed by :func:`key`."""

    def __init__(self, cues: Dict[str, Cue], lists: Dict, names: Dict[str, str]):
        self.cues = cues
        self.names = names
        self.complementizers = _keys(lists["complementizers"]["words"])
        self.before_complementizer = _keys(lists["complementizers"]["before"])
        self.subjunctive_after = _keys(lists["complementizers"]["not_after"])
        self.after_cue = _keys(lists["complementizers"]["after_cue"])
        self.speech_nouns = _keys(lists["speech_nouns"]["words"])
        self.not_before_cue = _keys(lists["not_before_cue"]["words"])
        self.statement_nouns = _keys(lists["statement_nouns"]["words"])
        self.auxiliaries = _keys(lists["auxiliaries"]["words"])
        self.relatives = _keys(lists["relatives"]["words"])
        self.impersonal = _keys(lists["impersonal"]["words"])
        self.source_heads = _keys(lists["source_heads"]["words"])
        self.source_links = _keys(lists["source_heads"]["links"])
        self.source_phrases: Tuple[Tuple[Tuple[str, ...], bool], ...] = tuple(
            (tuple(key(w) for w in p.rstrip("+").split()), p.endswith("+"))
            for p in lists["source_phrases"]["phrases"])
        self.after_connectors: Tuple[Tuple[str, ...], ...] = tuple(
            tuple(key(w) for w in p.split()) for p in lists["after_connectors"]["words"])
        self.groups = _keys(lists["groups"]["words"])
        self.quantifiers = _keys(lists["groups"]["quantifiers"])
        self.things = _keys(lists["groups"]["things"])
        self.honorifics = _keys(lists["titles"]["honorifics"])
        roles = _keys(lists["titles"]["roles"])
        self.roles = roles | frozenset(r + "ه" for r in roles if not r.endswith("ه"))
        self.roles_and_honorifics = self.roles | self.honorifics
        self.title_links = _keys(lists["title_links"]["words"])
        self.audiences = _keys(lists["audiences"]["words"])
        self.nominal_preps: Dict[str, str] = {key(v): key(p) for v, p in lists["nominal_content"]["verbs"].items()}
        self.name_links = _keys(lists["name_links"]["words"])
        self.org_heads = _keys(lists["org_heads"]["words"])
        self.issued_by = _keys(lists["org_heads"]["issued_by"])
        self.boundaries = _keys(lists["boundaries"]["words"])
        self.naming_words = _keys(lists["naming_words"]["words"])
        self.prepositions = _keys(lists["prepositions"]["words"])
        self.function_words = _keys(lists["function_words"]["words"])
        self.addressee_pronouns = _keys(lists["addressee_pronouns"]["words"])
        self.resumptive_pronouns = _keys(lists["resumptive_pronouns"]["words"])
        self.pronoun_suffixes = tuple(sorted(_keys(lists["pronoun_suffixes"]), key=len, reverse=True))
        # answers of the word predicates, by (question, word): the same words recur in every article
        self._memo: Dict[Tuple[str, str], object] = {}

    def _answer(self, question: str, word: str, compute: Callable[[], object]) -> object:
        """The remembered answer to ``question`` about ``word``, computed once (the memo is
        emptied when it outgrows :data:`MEMO_SIZE`)."""
        memo = (question, word)
        answer = self._memo.get(memo, _UNSET)
        if answer is _UNSET:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            answer = self._memo[memo] = compute()
        return answer

    # -- verbs and complementizers ---------------------------------------------------------
    def cue(self, word: str) -> Optional[Cue]:
        """The reporting-verb reading of ``word`` (a raw word), if any."""
        return self._answer("cue", word, lambda: next(  # type: ignore[return-value]
            (self.cues[f] for f in bare_forms(key(word), verb=True) if f in self.cues), None))

    def cue_with_object(self, word: str) -> Optional[Cue]:
        """A finite reporting verb carrying an object pronoun (``ويصفها``، ``أبلغه``), if ``word`` is one.

        >>> load_lexicon().cue_with_object("ويصفها").lemma
        'وصف'
        """
        def compute() -> Optional[Cue]:
            for form in bare_forms(key(word), verb=True):
                for bare in self._without_suffix(form)[1:]:
                    cue = self.cues.get(bare)
                    if cue is not None and not cue.participle and cue.klass in ("speech", "manner"):
                        return cue
            return None
        return self._answer("cue_with_object", word, compute)  # type: ignore[return-value]

    def _without_suffix(self, form: str) -> List[str]:
        out = [form]
        out.extend(form[: -len(s)] for s in self.pronoun_suffixes if form.endswith(s) and len(form) > len(s) + 1)
        return out

    def is_complementizer(self, word: str) -> bool:
        """إن / أن, with ب or ف before and a pronoun after: ``إنه``, ``بأنها``, ``فإن``.

        >>> lex = load_lexicon()
        >>> [lex.is_complementizer(w) for w in ("بأنها", "فإن", "إنه", "أنا", "ان", "لأنه")]
        [True, True, True, False, True, False]
        """
        return self._answer("complementizer", word, lambda: self._complementizer(word))

    def _complementizer(self, word: str) -> bool:
        for form in bare_forms(key(word))[:2]:  # و ف, then ب: never لأن "because", كأن "as if"
            stem = form[1:] if form[:1] == "ب" and len(form) > 2 else form
            if stem in self.complementizers or (
                    stem[:2] in self.complementizers and stem[2:] in self.pronoun_suffixes and stem[2:] != "ا"):
                return True
        return False

    def is_speech_noun(self, word: str) -> bool:
        """``قوله``, ``تصريح``, ``وتأكيده`` …"""
        return self._noun_in(word, "speech_nouns", suffixes=True)

    # -- nouns ------------------------------------------------------------------------------
    def _noun_in(self, word: str, table: str, suffixes: bool = False) -> bool:
        """``word``, with its proclitics stripped (and, ``suffixes``, a pronoun suffix), is in the
        word list named ``table``."""
        words: FrozenSet[str] = getattr(self, table)
        return self._answer(table, word, lambda: any(  # type: ignore[return-value]
            form in words or (suffixes and any(f in words for f in self._without_suffix(form)))
            for form in bare_forms(key(word), noun=True)))

    def is_group(self, word: str) -> bool:
        """A plural noun naming an unnamed group: ``الخبراء``, ``مسؤولون``."""
        return self._noun_in(word, "groups")

    def is_thing_plural(self, word: str) -> bool:
        """A plural of non-persons, agreeing in the feminine singular: ``مصادر``, ``التقارير``."""
        return self._noun_in(word, "things")

    def is_audience(self, word: str) -> bool:
        """Who a speaker talks to, after ل: ``للصحفيين``, ``لوكالة``, ``لقناة``."""
        return self._noun_in(word, "audiences")

    def is_statement_noun(self, word: str) -> bool:
        """A document that speaks for its issuer: ``بيان``, ``البيان``, ``تغريدة``."""
        return self._noun_in(word, "statement_nouns")

    def is_source_head(self, word: str) -> bool:
        """A singular noun describing an unnamed source: ``مسؤول``, ``مصدر``, ``شاهد``."""
        return self._noun_in(word, "source_heads")

    def is_role(self, word: str) -> bool:
        """A role or title noun: ``المستشار``, ``وزيرة``, ``مقدمه`` (its presenter)."""
        return self._noun_in(word, "roles_and_honorifics", suffixes=True)

    def is_honorific(self, word: str) -> bool:
        """A title that goes before a (sur)name only: ``السيد``, ``الدكتور``."""
        return self._noun_in(word, "honorifics")

    def is_org_head(self, word: str) -> bool:
        """The head word of an organisation name: ``وزارة``, ``الحكومة``."""
        return self._noun_in(word, "org_heads")

    def title_gender(self, word: str) -> Optional[str]:
        """``"F"`` for a feminine role noun (raw ending ة), ``"M"`` for another role noun."""
        if not self.is_role(word):
            return None
        return noun_gender(word)

    def name_gender(self, word: str) -> Optional[str]:
        """Gender of a given name from ``quote_names.tsv``, else None."""
        for form in bare_forms(key(word))[:1]:
            return self.names.get(form)
        return None

    def is_function_word(self, word: str) -> bool:
        """A function word or preposition, also with a pronoun suffix (``فيه``, ``عليها``)."""
        return self._answer("function", word, lambda: any(  # type: ignore[return-value]
            f in self.function_words or f in self.prepositions
            for form in bare_forms(key(word))[:2] for f in self._without_suffix(form)))

    def word_in(self, word: str, table: FrozenSet[str]) -> bool:
        """``word``'s key (or its form without و/ف) is in ``table``."""
        return any(f in table for f in bare_forms(key(word))[:2])


def _derived(row: Dict[str, str]) -> Iterator[Tuple[str, Optional[str], str, bool]]:
    """The forms the loader builds from a cue row: ``(form, gender, number, participle)``.

    >>> row = {"class": "speech", "past_3ms": "أكد", "past_3fs": "أكدت", "pres_3ms": "يؤكد", "participle": "مؤكدا"}
    >>> [f for f, *_ in _derived(row)]
    ['أكدا', 'أكدتا', 'يؤكدان', 'مؤكدة', 'مؤكدين']
    """
    past, past_f, pres, part = (row.get(c, "-").strip() for c in ("past_3ms", "past_3fs", "pres_3ms", "participle"))
    if row["class"] != "strict" and past != "-" and past[-1:] not in "اى" and not _form_three(past):
        yield past + "ا", None, "pl", False     # dual: أكدا، شددا
        if past_f != "-":
            yield past_f + "ا", None, "pl", False  # أكدتا
        if pres != "-":
            yield pres + "ان", None, "pl", False   # يؤكدان
    if part != "-":
        stem = part.rstrip("اً")
        yield stem + "ة", "F", "sg", True        # مشيرة
        yield stem + "ين", None, "pl", True      # مشيرين


def _form_three(past: str) -> bool:
    """A verb of the pattern فاعل (``طالب``, ``تابع``): its dual ``طالبا`` reads as a noun
    (``طالبا عدم ذكر اسمه`` "asking that …"), so the loader builds no dual.

    >>> _form_three("طالب"), _form_three("أكد")
    (True, False)
    """
    return len(past) == 4 and past[1] == "ا"


def _load_cues() -> Dict[str, Cue]:
    cues: Dict[str, Cue] = {}
    for row in _rows(CUE_FILE):
        for col, (gender, number) in _FEATURES.items():
            form = row[col].strip()
            if form and form != "-":
                cues.setdefault(key(form), Cue(row["lemma"], row["class"], gender, number, col == "participle"))
    for row in _rows(CUE_FILE):  # listed forms win over built ones
        for form, gender, number, participle in _derived(row):
            cues.setdefault(key(form), Cue(row["lemma"], row["class"], gender, number, participle))
    return cues


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The package lexicon, loaded once per process."""
    lists = json.loads(_data(LEXICON_FILE).read_text(encoding="utf-8"))
    names = {key(r["name"]): r["gender"] for r in _rows(NAMES_FILE)}
    return Lexicon(_load_cues(), lists, names)
