"""Build-time filter of generated place aliases: which are common words or names in the news.

A generated place (Who's On First, world cities, ArWikiCats) may carry an Arabic name that news
text mostly uses for something else: كوادر "cadres" (Gwadar), العزيز (Elazığ), حسن (a Moroccan
district), بخاري (Bukhara, and Nigeria's president Buhari),.
Such an alias is left out unless its place is important (a capital, a first-level division, a
city of ``IMPORTANT`` people or more: مالي, الموصل, ميدان stay). The evidence is the word's use in
SaudiNewsNet (``saudinewsnet/saudinewsnet.jsonl.gz`` of the data directory, CC BY-NC-SA 4.0; only
counts are used at build time, nothing of it is shipped) and the package's lexicons.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Set

from ..normalize import normalize_word

__all__ = ["IMPORTANT", "NEWS_MIN", "news_words", "people_name_words", "common_in_news"]

IMPORTANT = 1_000_000   # a city this large keeps every alias (Medan's ميدان "square" too)
NEWS_MIN = 20           # a word seen fewer times in the news costs little precision: kept
ORDINARY_SHARE = 0.12  # an ordinary word is a common noun when its toggled form is this frequent
NEWS_FILE = "saudinewsnet/saudinewsnet.jsonl.gz"
_WORD = re.compile(r"[\u0621-\u064a\u0640\u064b-\u0652]+")


@lru_cache(maxsize=2)
def news_words(data_dir: Path) -> Counter:
    """Normalized Arabic word → frequency in SaudiNewsNet (empty when the corpus is absent)."""
    path = data_dir / NEWS_FILE
    raw: Counter = Counter()
    if path.is_file():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                raw.update(_WORD.findall(json.loads(line)["text"]))
    out: Counter = Counter()
    for word, n in raw.items():
        out[normalize_word(word)] += n
    return out


def _toggled(word: str) -> str:
    """The normalized word with its article removed, or added when it has none (كوادر ↔ الكوادر)."""
    return word[2:] if word.startswith("ال") and len(word) > 4 else "ال" + word


@lru_cache(maxsize=1)
def people_name_words() -> FrozenSet[str]:
    """Normalized words that are part of two or more curated persons' Arabic names (بشار, جورج,
    فلاديمير, بخاري) and the common given names of ``arabic_names.tsv`` (حسن, حمد, مريم)."""
    from .kb import curated_files, read_entries
    from .romanize import _arabic_names as given_names

    people: Dict[str, Set[str]] = {}
    for path in curated_files():
        for e in read_entries(path):
            if e.type == "PER":
                for alias in e.aliases:
                    for word in alias.split():
                        people.setdefault(normalize_word(word), set()).add(e.name)
    return frozenset(w for w, names in people.items() if len(names) > 1 and _WORD.search(w)) | \
        {normalize_word(name) for name in given_names()}


def _ordinary(word: str) -> bool:
    from ..ner.gazetteer import ordinary_words  # build-time only

    return word in ordinary_words()


def common_in_news(alias: str, news: Counter) -> bool:
    """Whether a one-word place alias is mostly something else in the news: seen ``NEWS_MIN``
    times or more and a person's name word (:func:`people_name_words`: حسن, بخاري), a word without
    the article that the news writes more often with it (كوادر beside الكوادر: a common noun), or
    an ordinary word of the reference corpora that the news also writes with the article toggled
    (صافي, البحر; not الرمادي, whose bare form is rare). A longer alias is kept: a phrase of
    ordinary words is as often a real place (بيت لحم, رأس الخيمة, أبو غريب).

    >>> news = Counter({"كوادر": 100, "الكوادر": 250, "تعز": 900, "التعز": 0})
    >>> common_in_news("كوادر", news), common_in_news("تعز", news)
    (True, False)
    """
    if " " in alias.strip() or not _WORD.search(alias):
        return False
    word = normalize_word(alias)
    count, toggled = news[word], news[_toggled(word)]
    if count < NEWS_MIN:
        return False
    if word in people_name_words():
        return True
    if not word.startswith("ال") and toggled >= count:
        return True
    return _ordinary(word) and toggled >= ORDINARY_SHARE * count
