"""The country context of a document, for generic institution aliases (``~وزارة الداخلية``).

A generic alias (:attr:`.Entry.generic`) names a country's institution without naming the
country: وزارة الداخلية is Iraq's in an Iraqi story and Saudi Arabia's in a Saudi one. Its country
is, first, a nationality adjective or a country right after the noun (وزارة الداخلية الأفغانية,
مجلس الشيوخ في نيجيريا: :func:`adjective_country`, the mention's ``next_country``), else the
document's dominant country (:func:`dominant_country`: the nationality adjectives of the text and the
countries of its linked places, when one country has at least :data:`CLEAR_SHARE` of them and
:data:`CLEAR_MIN` mentions); else the mention stays unlinked. The adjectives are data
(``data/kb/nationalities.tsv``, irregular ones and exclusions) plus the regular adjectives of the
CLDR country names (:func:`derived_nisba`).

>>> adjective_country(["العراقية"]), adjective_country(["الكورية", "الشمالية", "اليوم"])
(('IQ', 1), ('KP', 2))
>>> dominant_country({"IQ": 3, "US": 1}), dominant_country({"IQ": 2, "US": 2}), dominant_country({"IQ": 1})
('IQ', None, None)
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Dict, Mapping, Optional, Sequence, Tuple

from .coref import _without_proclitics
from .keys import _tsv_rows, data_file, word_keys

__all__ = ["derived_nisba", "nationality_keys", "adjective_country", "text_countries", "dominant_country", "CLEAR_SHARE", "CLEAR_MIN"]

CLEAR_SHARE = 0.6  # the dominant country's share of the document's country evidence
CLEAR_MIN = 2  # and its least number of mentions
_PLURALS = ("ين", "ون", "ات")  # plural endings added to a nisba's word key (العراقيين, العراقيون)
_NISBA_END = re.compile(r"(ي|ى|ية|يه|يين|يون|يات)[\u064b-\u0652]*$")  # a nisba adjective's endings


def derived_nisba(name: str) -> Optional[str]:
    """The regular nationality adjective of a one-word Arabic country name: the article, a final
    يا or ا dropped, ي added, the article put before (السويد → السويدي, كينيا → الكيني, فرنسا →
    الفرنسي); None for a name of several words.

    >>> derived_nisba("السويد"), derived_nisba("كينيا"), derived_nisba("فرنسا"), derived_nisba("كوريا الجنوبية")
    ('السويدي', 'الكيني', 'الفرنسي', None)
    """
    if " " in name.strip():
        return None
    stem = name.strip().removeprefix("ال")
    stem = stem[:-2] if stem.endswith("يا") else stem[:-1] if stem.endswith("ا") else stem
    return f"ال{stem}ي" if len(stem) >= 2 else None


def _adjectives() -> Dict[str, Tuple[str, ...]]:
    """Country code → its nationality adjectives: the rows of ``nationalities.tsv`` (``-``: none),
    else the regular adjective of the country's one-word CLDR name (:func:`derived_nisba`)."""
    from ..ner.build import cldr_territories  # the CLDR names the gazetteer uses too

    given: Dict[str, Tuple[str, ...]] = {}
    for row in _tsv_rows(data_file("nationalities.tsv").read_text(encoding="utf-8").splitlines()):
        if row[0] != "country" and len(row) >= 2:
            given[row[0]] = tuple(a for a in row[1].split("|") if a.strip() and a.strip() != "-")
    for code, (arabic, _) in cldr_territories().items():
        nisba = derived_nisba(arabic) if code.isalpha() and len(code) == 2 and code not in given else None
        if nisba:
            given[code] = (nisba,)
    return given


@lru_cache(maxsize=1)
def nationality_keys() -> Dict[Tuple[str, ...], str]:
    """Word keys of every nationality adjective form (masculine and feminine fold to one key;
    plurals of the last word added) → ISO country code (:func:`_adjectives`)."""
    table: Dict[Tuple[str, ...], str] = {}
    for country, adjectives in sorted(_adjectives().items()):
        for adjective in adjectives:
            keys = word_keys(adjective)
            if not keys:
                continue
            table.setdefault(keys, country)
            for ending in _PLURALS:
                table.setdefault(keys[:-1] + (keys[-1] + ending,), country)
    return table


@lru_cache(maxsize=1)
def _longest() -> int:
    return max((len(k) for k in nationality_keys()), default=1)


@lru_cache(maxsize=100_000)
def _forms(word: str) -> Tuple[str, ...]:
    """``word`` and the word without its proclitics (والعراقية → العراقية), as word keys; none for a
    word that cannot be a nisba (not ending ي ية ين ون ات)."""
    if not _NISBA_END.search(word):
        return ()
    keys = [k for w in (word, *_without_proclitics(word)) for k in word_keys(w)[:1]]
    return tuple(dict.fromkeys(keys))


@lru_cache(maxsize=100_000)
def _key(word: str) -> str:
    return next(iter(word_keys(word)), "")


def adjective_country(words: Sequence[str]) -> Optional[Tuple[str, int]]:
    """The country of the nationality adjective that ``words`` start with, and how many words it
    takes (the longest adjective first), or None."""
    forms = _forms(words[0]) if words else ()
    if not forms:  # most words: not a nisba
        return None
    table = nationality_keys()
    for n in range(min(_longest(), len(words)), 0, -1):
        rest = tuple(_key(w) for w in words[1:n])
        for first in forms:
            country = table.get((first, *rest))
            if country is not None:
                return country, n
    return None


def text_countries(words: Sequence[str]) -> Counter:
    """How many nationality adjectives of each country ``words`` (a document's tokens) hold."""
    counts: Counter = Counter()
    i = 0
    while i < len(words):
        found = adjective_country(words[i: i + _longest()])
        if found is None:
            i += 1
            continue
        counts[found[0]] += 1
        i += found[1]
    return counts


def dominant_country(counts: Mapping[str, int]) -> Optional[str]:
    """The country holding at least :data:`CLEAR_SHARE` of ``counts`` and :data:`CLEAR_MIN`
    mentions, if one does."""
    total = sum(counts.values())
    if not total:
        return None
    country, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return country if n >= CLEAR_MIN and n / total >= CLEAR_SHARE else None

