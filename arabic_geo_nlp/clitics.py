"""Clitic analysis of Arabic orthographic words into raw-text pieces.

Every word is cut into ``prefix + stem + suffix == word`` (exact raw substrings,
diacritics and tatweel included):

>>> analyze("وبالسيارة")
Clitics(prefix='وبال', stem='سيارة', suffix='')
>>> analyze("وبالسيارة").segments()
('و', 'ب', 'السيارة')
>>> analyze("نشرتها").segments()
('نشرت', 'ها')
>>> analyze("بوتين").segments()
('بوتين',)

The linguistic knowledge is data: the clitic inventory (proclitic sequences,
article, enclitics, their weights, never-split words) is ``data/clitics.json``
and the evidence is a word-frequency table compiled from third-party corpora and
gazetteers (``data/clitic_lexicon.tsv.gz``, rebuilt by :func:`build_lexicon`).
The code enumerates the cuts the inventory allows and keeps the one whose stem
is best attested, weighted by its clitics (see :func:`_score`). Stems are looked
up normalized (``ة`` kept apart from the pronoun ``ه``); clitic letters are
checked on the raw word, so ``أ`` is never the article's ``ا`` and ``ؤ`` never
the conjunction ``و``.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from .normalize import NormalizeOptions, char_table, normalize, normalize_with_offsets

__all__ = ["Clitics", "analyze", "proclitics", "build_lexicon", "evaluate_ud", "ud_words", "LEXICON_FILE", "KEY_OPTIONS"]

LEXICON_FILE = "clitic_lexicon.tsv.gz"
# Lexicon keys: the default normalization, except that ة stays apart from ه (a pronoun).
KEY_OPTIONS = NormalizeOptions(teh_marbuta=False)
_ARABIC_WORD = re.compile("[\u0621-\u064a]+")


@dataclass(frozen=True)
class Clitics:
    """Raw pieces of one word: ``prefix + stem + suffix`` is the word.

    >>> c = analyze("وَالولايات")
    >>> c.prefix, c.proclitic, c.article, c.stem
    ('وَال', 'وَ', 'ال', 'ولايات')
    """

    prefix: str  # proclitics incl. an attached article: "و", "ب", "وال", "لل", "ال", ...
    stem: str
    suffix: str  # pronoun enclitic: "ه", "ها", "هم", "نا", ...

    @cached_property
    def proclitic(self) -> str:
        """The prefix without its article: ``"و"`` for ``"وال"``, ``"ل"`` for ``"لل"``."""
        return self.prefix[: len(self.prefix) - len(self.article)]

    @cached_property
    def article(self) -> str:
        """The article in the prefix: ``"ال"``, ``"ل"`` (the elided one of ``"لل"``) or ``""``."""
        if not self.prefix:
            return ""
        inv = _inventory()
        units = _letter_units(self.prefix)
        letters = "".join(_key(u) for u in units)
        if letters.endswith(inv.article):
            return "".join(units[-len(inv.article):])
        if letters.endswith(inv.elided_after + inv.elided_article):
            return "".join(units[-len(inv.elided_article):])
        return ""

    def segments(self) -> Tuple[str, ...]:
        """UD-style pieces: each proclitic, then article + stem, then the enclitic.

        >>> analyze("للسلطة").segments()
        ('ل', 'لسلطة')
        """
        pieces = _letter_units(self.proclitic) + [self.article + self.stem, self.suffix]
        return tuple(p for p in pieces if p)


def _letter_units(raw: str) -> List[str]:
    """Split ``raw`` into letters, each with the marks (diacritics, tatweel) around it.

    >>> _letter_units("وَبِـ")
    ['وَ', 'بِـ']
    """
    table = char_table()
    units: List[str] = []
    marks = ""
    for ch in raw:
        if table.get(ch) != "":
            units.append(marks + ch)
            marks = ""
        elif units:
            units[-1] += ch
        else:
            marks += ch
    if marks:
        units.append(marks)
    return units


def _key(text: str) -> str:
    return normalize(text, KEY_OPTIONS)


# ----------------------------------------------------------------------------- data


def proclitics(*classes: str) -> Tuple[str, ...]:
    """The proclitic letters of the given classes (``conjunction``, ``preposition``, ``future``;
    all when none is given), in ``clitics.json`` order.

    >>> proclitics("conjunction"), "".join(proclitics())
    (('و', 'ف'), 'وفبلكس')
    """
    return tuple(p for p, c in _inventory().proclitic_class.items() if not classes or c in classes)


@dataclass(frozen=True)
class _Inventory:
    """``clitics.json`` compiled for lookups (see its ``_fields`` for the meaning)."""

    prefixes: Dict[str, Tuple[Tuple[str, ...], str]]  # raw letters -> (proclitics, article letters)
    max_prefix: int
    article: str
    elided_after: str
    elided_article: str
    article_weight: float
    proclitic_weight: Dict[str, float]
    proclitic_class: Dict[str, str]
    stem_initials: Dict[str, str]
    forbid_marks: Dict[str, str]
    enclitics: Dict[str, float]
    enclitic_forbid_marks: str
    hosts: FrozenSet[str]
    host_count: float
    min_stem: int
    short_stem_min_count: Dict[int, int]
    restorations: Tuple[Tuple[str, str], ...]
    never_split: FrozenSet[str]
    whole_word_weight: float
    other_article_weight: float
    name_weight: float
    unknown_open: float
    unknown_closed: float


@lru_cache(maxsize=1)
def _inventory() -> _Inventory:
    with resources.files("arabic_geo_nlp.data").joinpath("clitics.json").open(encoding="utf-8") as f:
        cfg = json.load(f)
    procl, art, scoring = cfg["proclitics"], cfg["article"], cfg["scoring"]
    prefixes: Dict[str, Tuple[Tuple[str, ...], str]] = {art["form"]: ((), art["form"])}
    for seq in cfg["proclitic_sequences"]:
        parts = tuple(seq)
        prefixes[seq] = (parts, "")
        if not any(procl[p].get("no_article") for p in parts):
            written = art["elided_form"] if parts[-1] == art["elided_after"] else art["form"]
            prefixes[seq + written] = (parts, written)
    return _Inventory(
        prefixes=prefixes,
        max_prefix=max(map(len, prefixes)),
        article=art["form"],
        elided_after=art["elided_after"],
        elided_article=art["elided_form"],
        article_weight=art["weight"],
        proclitic_weight={p: v["weight"] for p, v in procl.items()},
        proclitic_class={p: v["class"] for p, v in procl.items()},
        stem_initials={p: v["stem_initials"] for p, v in procl.items() if "stem_initials" in v},
        forbid_marks={p: v["forbid_marks"] for p, v in procl.items() if "forbid_marks" in v},
        enclitics=dict(cfg["enclitics"]),
        enclitic_forbid_marks=cfg["enclitic_forbid_marks"],
        hosts=frozenset(cfg["pronoun_hosts"]),
        host_count=cfg["pronoun_host_count"],
        min_stem=cfg["min_stem"],
        short_stem_min_count={int(k): v for k, v in cfg["short_stem_min_count"].items()},
        restorations=tuple((_key(a), _key(b)) for a, b in cfg["stem_restorations"]),
        never_split=frozenset(_key(w) for w in cfg["never_split"]),
        whole_word_weight=scoring["whole_word_weight"],
        other_article_weight=scoring["other_article_weight"],
        name_weight=scoring["name_weight"],
        unknown_open=scoring["unknown_open"],
        unknown_closed=scoring["unknown_closed"],
    )


@lru_cache(maxsize=1)
def _lexicon() -> Tuple[Dict[str, int], Dict[str, int]]:
    """``(corpus counts, gazetteer name counts)`` keyed by normalized word."""
    counts: Dict[str, int] = {}
    names: Dict[str, int] = {}
    with resources.files("arabic_geo_nlp.data").joinpath(LEXICON_FILE).open("rb") as f:
        for line in gzip.open(f, "rt", encoding="utf-8"):
            word, count, name = line.rstrip("\n").split("\t")
            if count != "0":
                counts[word] = int(count)
            if name != "0":
                names[word] = int(name)
    return counts, names


# ----------------------------------------------------------------------------- analysis

# A cut: (proclitics, article letters, stem start, stem end, enclitic); indices into the
# normalized word.
_Cut = Tuple[Tuple[str, ...], str, int, int, str]


@lru_cache(maxsize=100_000)
def analyze(word: str) -> Clitics:
    """Clitic analysis of one orthographic word (pure, cached).

    >>> analyze("سيكون")
    Clitics(prefix='س', stem='يكون', suffix='')
    >>> analyze("بأنـه")
    Clitics(prefix='ب', stem='أنـ', suffix='ه')
    >>> analyze("2024")
    Clitics(prefix='', stem='2024', suffix='')
    """
    norm, offsets = normalize_with_offsets(word, KEY_OPTIONS)
    inv = _inventory()
    if not _ARABIC_WORD.fullmatch(norm) or norm in inv.never_split:
        return Clitics("", word, "")
    letters = "".join(word[o] for o in offsets[:-1])  # the raw letter behind each normalized one
    cuts = _cuts(word, norm, offsets, letters, inv)
    if len(cuts) == 1:
        return Clitics("", word, "")
    _, _, i, j, enclitic = max(cuts, key=lambda c: _score(c, norm, cuts, inv))
    start = offsets[i] if i else 0
    end = offsets[j] if enclitic else len(word)
    return Clitics(word[:start], word[start:end], word[end:])


def _cuts(word: str, norm: str, offsets: List[int], letters: str, inv: _Inventory) -> List[_Cut]:
    """Every cut the inventory allows, the uncut word first."""
    n = len(norm)
    prefixes = [("", ((), ""))] + [
        (letters[:k], inv.prefixes[letters[:k]])
        for k in range(1, min(inv.max_prefix, n) + 1)
        if letters[:k] in inv.prefixes
    ]
    enclitics = [""] + [letters[n - k:] for k in range(1, 4) if k < n and letters[n - k:] in inv.enclitics]
    marked = not word.isalpha()  # has diacritics (tanween), which rule out some cuts
    out: List[_Cut] = []
    for pre, (parts, article) in prefixes:
        if marked and any(m in word for p in parts for m in inv.forbid_marks.get(p, "")):
            continue  # a preposition governs the genitive: no accusative tanween
        i = len(pre)
        if parts and parts[-1] in inv.stem_initials and letters[i:i + 1] not in inv.stem_initials[parts[-1]]:
            continue  # future س + imperfect verb only
        for enc in enclitics:
            j = n - len(enc)
            if enc and (article or letters.startswith(inv.article, i)):
                continue  # a noun takes the article or a possessive, not both
            if enc and marked and any(m in word[offsets[j]:] for m in inv.enclitic_forbid_marks):
                continue  # a pronoun has no case ending: أماناً is not أما + ناً
            stem = norm[i:j]
            if (pre or enc) and not _stem_ok(stem, article, enc, inv):
                continue
            if _crosses_never_split(parts, article, stem, enc, inv):
                continue
            out.append((parts, article, i, j, enc))
    return out


def _stem_ok(stem: str, article: str, enc: str, inv: _Inventory) -> bool:
    if enc and not article and stem in inv.hosts:
        return True
    if len(stem) < inv.min_stem:
        return False
    floor = inv.short_stem_min_count.get(len(stem))
    return floor is None or bool(article) or _lexicon()[0].get(stem, 0) >= floor


def _crosses_never_split(parts: Tuple[str, ...], article: str, stem: str, enc: str, inv: _Inventory) -> bool:
    """True if a cut falls inside a never-split word (``و+ك+ان`` inside ``كان``)."""
    inner = (inv.article if article else "") + stem
    for k in range(len(parts) + 1):
        head = "".join(parts[k:]) + inner
        if (k < len(parts) and head in inv.never_split) or (enc and head + enc in inv.never_split):
            return True
    return False


def _score(cut: _Cut, norm: str, cuts: List[_Cut], inv: _Inventory) -> float:
    """``log(stem evidence + unknown mass) + sum(log clitic weights)``.

    A stem is "open" when another cut splits it further (the uncut word is open
    whenever there is any cut); an open stem's own count is discounted, because
    whole-word counts include cliticized uses (``بشكل`` is mostly ``ب + شكل``).
    """
    parts, article, i, j, enc = cut
    stem = norm[i:j]
    is_open = any(_refines(other, cut) for other in cuts)
    if enc and not article and stem in inv.hosts:
        evidence = inv.host_count
    else:
        key = (inv.article if article else "") + stem
        keys = [key] + [key[: -len(a)] + b for a, b in inv.restorations if enc and key.endswith(a)]
        evidence = max(_evidence(k, is_open, not enc, inv) for k in keys)
    score = math.log(evidence + (inv.unknown_open if is_open else inv.unknown_closed))
    for p in parts:
        score += math.log(inv.proclitic_weight[p])
    if article:
        score += math.log(inv.article_weight)
    if enc:
        score += math.log(inv.enclitics[enc])
    return score


def _refines(other: _Cut, cut: _Cut) -> bool:
    """``other`` cuts the stem of ``cut`` further and keeps its clitics."""
    o_parts, _, _, _, o_enc = other
    parts, _, _, _, enc = cut
    if o_parts[: len(parts)] != parts or (enc and o_enc != enc):
        return False
    return len(o_parts) > len(parts) or bool(o_enc and not enc)


def _evidence(key: str, is_open: bool, may_be_name: bool, inv: _Inventory) -> float:
    """Attestation of a stem: its count (discounted if open), the count of its form
    with/without the article and, unless it carries a pronoun, its name count."""
    counts, names = _lexicon()
    bare = key[len(inv.article):] if key.startswith(inv.article) else key
    other = bare if bare != key else inv.article + key
    evidence = counts.get(key, 0) * (inv.whole_word_weight if is_open else 1.0)
    if len(bare) > inv.min_stem:  # "الله" is no evidence for "له"
        evidence += inv.other_article_weight * counts.get(other, 0)
    if may_be_name:
        evidence += inv.name_weight * names.get(key, 0)
    return evidence


# ----------------------------------------------------------------------------- lexicon build


def _corpus_tokens(data_dir: Path) -> Iterator[str]:
    """First column of the CoNLL-style NER corpora (ANERcorp, AQMAR, Wojood sample)."""
    files = [data_dir / "anercorp" / "ANERCorp.txt"]
    files += sorted((data_dir / "aqmar").glob("*.txt"))
    files += [data_dir / "wojood_sample" / f"{split}.txt" for split in ("train", "val", "test")]
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                fields = line.split()
                if fields:
                    yield fields[0]


def _name_strings(data_dir: Path) -> Iterator[str]:
    """Arabic names from the gazetteers (ANETAC, world cities, mledoze countries)."""
    gaz = data_dir / "gazetteers"
    with open(gaz / "anetac_en_ar_names" / "EN-AR Named-entities.txt", encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) == 3:
                yield fields[2]
    with open(gaz / "world_cities_ar" / "world-cities.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            yield row["CityNameAr"]
            yield row["CountryNameAr"]
    with open(gaz / "countries_mledoze" / "countries.json", encoding="utf-8") as f:
        for country in json.load(f):
            yield country["translations"]["ara"]["common"]
            yield country["translations"]["ara"]["official"]


def build_lexicon(data_dir: Path, out_path: Optional[Path] = None) -> dict:
    """Compile the stem lexicon: gzipped TSV ``word, corpus count, name count``.

    Counts the normalized Arabic tokens of ANERcorp, AQMAR and the Wojood sample
    and the words of the gazetteer names (never UD, the evaluation set). The file
    is byte-for-byte reproducible; ``out_path`` defaults to the packaged one.
    Returns summary statistics, e.g.::

        build_lexicon(Path("../shared/data"))  # {'entries': 110224, 'bytes': 411986, ...}
    """
    data_dir = Path(data_dir)
    if out_path is None:
        out_path = Path(str(resources.files("arabic_geo_nlp.data").joinpath(LEXICON_FILE)))
    counts: Counter = Counter()
    names: Counter = Counter()
    for token in _corpus_tokens(data_dir):
        key = _key(token)
        if _ARABIC_WORD.fullmatch(key):
            counts[key] += 1
    for name in _name_strings(data_dir):
        for token in name.split():
            key = _key(token)
            if _ARABIC_WORD.fullmatch(key):
                names[key] += 1
    words = sorted(set(counts) | set(names))
    text = "".join(f"{w}\t{counts[w]}\t{names[w]}\n" for w in words)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    _lexicon.cache_clear()
    analyze.cache_clear()
    return {
        "path": str(out_path),
        "entries": len(words),
        "corpus_tokens": sum(counts.values()),
        "corpus_types": len(counts),
        "name_types": len(names),
        "bytes": out_path.stat().st_size,
    }


# ----------------------------------------------------------------------------- evaluation


def ud_words(conllu_path: Path) -> Iterator[Tuple[str, Tuple[str, ...]]]:
    """Orthographic words of a CoNLL-U file with their gold pieces.

    Consecutive syntactic words are joined when the first has ``SpaceAfter=No``
    and both contain letters (not punctuation): ``ل`` + ``أوباما`` -> ``لأوباما``.
    """
    rows: List[Tuple[str, bool]] = []
    with open(conllu_path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                yield from _join_pieces(rows)
                rows = []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if cols[0].isdigit():  # skip multiword ranges and empty nodes
                    rows.append((cols[1], "SpaceAfter=No" in cols[9]))
    yield from _join_pieces(rows)


def _join_pieces(rows: List[Tuple[str, bool]]) -> Iterator[Tuple[str, Tuple[str, ...]]]:
    pieces: List[str] = []
    for k, (form, no_space) in enumerate(rows):
        pieces.append(form)
        following = rows[k + 1][0] if k + 1 < len(rows) else ""
        if not (no_space and _has_letter(form) and _has_letter(following)):
            yield "".join(pieces), tuple(pieces)
            pieces = []


def _has_letter(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _boundaries(pieces: Tuple[str, ...]) -> Set[int]:
    cuts, pos = set(), 0
    for p in pieces[:-1]:
        pos += len(p)
        cuts.add(pos)
    return cuts


def evaluate_ud(conllu_path: Path, max_errors: int = 0) -> dict:
    """Compare :meth:`Clitics.segments` with the gold pieces of a UD treebank.

    Scores the orthographic words that contain an Arabic letter: ``word_accuracy``,
    ``split_accuracy`` (over the ``split_words`` that gold cuts), boundary
    ``precision``/``recall``/``f1``, and the ``max_errors`` most frequent
    ``errors`` as ``[gold, predicted, count]`` with pieces joined by ``+``.
    """
    n = correct = n_split = correct_split = tp = fp = fn = 0
    errors: Counter = Counter()
    for word, gold in ud_words(Path(conllu_path)):
        if not any("\u0621" <= c <= "\u064a" for c in word):
            continue
        pred = analyze(word).segments()
        n += 1
        correct += pred == gold
        if len(gold) > 1:
            n_split += 1
            correct_split += pred == gold
        if pred != gold:
            errors["+".join(gold), "+".join(pred)] += 1
        g, p = _boundaries(gold), _boundaries(pred)
        tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    result = {
        "words": n,
        "word_accuracy": correct / n if n else 0.0,
        "split_words": n_split,
        "split_accuracy": correct_split / n_split if n_split else 0.0,
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
    }
    if max_errors:
        result["errors"] = [[g, p, c] for (g, p), c in errors.most_common(max_errors)]
    return result
