"""The romanization tables of :mod:`arabic_geo_nlp.link.romanize` (part of
``arabic-geo-nlp build kb --translit``, :mod:`.build`).

``translit_chars.tsv``
    The letter model (:mod:`.letter_model`): EM alignment of each Arabic letter to 0–3 English
    letters on ANETAC's training split (Hadj Ameur et al. 2019, arXiv:1907.03110; no licence
    stated, research use), then each letter's likeliest chunk in windows of up to three letters
    either side, counted over those alignments and the word pairs of the curated KB's persons
    (:func:`kb_person_words`, news spellings of names of the region; one person in ten held out).
``translit_words.tsv.gz``
    Person-name words: normalized Arabic → English. The curated persons' most frequent spelling;
    else, for ANETAC's PERSON rows, the spelling closest to the letter model's among those ANETAC
    lists (يوسف → Yusuf, not Yoseef). Words of ANETAC's test and dev splits are left out, so that
    ``benchmarks/bench_romanize.py`` measures held-out pairs.

:func:`variant_check` measures the variant keys on ANETAC.
"""

from __future__ import annotations

import gzip
import math
import random
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Dict, List, Sequence, Set, Tuple

from ..normalize import normalize
from .keys import skeleton_key, variant_key
from .kb import curated_files, read_entries
from .letter_model import MODEL_FILE, LetterModel
from .romanize import _ARTICLE, ROMANIZE_OPTIONS, romanization_key

ANETAC = "gazetteers/anetac_en_ar_names"
HELD_OUT = ("test", "dev")
MAX_CHUNK = 3
EM_PAIRS = 30_000
EM_ITERATIONS = 4
MIN_CHUNK_COUNT = 10
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")
_KB_ENGLISH_WORD = re.compile(r"(?:[Aa]l-)?[A-Za-z]+")

CHARS_HEADER = """\
# translit_chars.tsv — compiled by arabic-geo-nlp build kb --translit from ANETAC translit_train (Hadj Ameur,
# Meziane, Guessoum 2019, arXiv:1907.03110; no licence stated, research use) and the word pairs of the curated
# KB's persons (held-out persons left out). context = up to three letters either side of [a letter] of a
# normalized Arabic word (^ start, $ end); english = its likeliest spelling; count = times the window was seen.
"""
WORDS_HEADER = """\
# translit_words.tsv.gz — compiled by arabic-geo-nlp build kb from ANETAC EN-AR Named-entities.txt (PERSON rows,
# without the words of ANETAC's test and dev transliteration splits; Hadj Ameur, Meziane, Guessoum 2019,
# arXiv:1907.03110; no licence stated, research use). key = the word's romanization key
# (arabic_geo_nlp.link.romanize.romanization_key, stored so that loading need not compute it).
arabic\tenglish\tkey
"""


# ----------------------------------------------------------------------------- transliteration model

Pair = Tuple[str, str]  # (normalized Arabic letters, lowercase English letters)


def _arabic_letters(word: str) -> str:
    """The letters of ``word`` as :func:`arabic_geo_nlp.link.romanize.romanize` sees them (ة kept)."""
    return "".join(_ARABIC_LETTER.findall(normalize(word, ROMANIZE_OPTIONS)))


def read_translit(data_dir: Path, split: str) -> List[Pair]:
    """ANETAC ``translit_<split>`` pairs, normalized Arabic letters and lowercase English letters."""
    base = data_dir / ANETAC
    ar = (base / f"translit_{split}.ar").read_text(encoding="utf-8").splitlines()
    en = (base / f"translit_{split}.en").read_text(encoding="utf-8").splitlines()
    pairs = [(_arabic_letters(a), re.sub("[^a-z]", "", e.lower())) for a, e in zip(ar, en)]
    return [(a, e) for a, e in pairs if a and e and len(e) <= MAX_CHUNK * len(a)]


def _forward(a: str, e: str, t: Dict[Tuple[str, str], float]) -> List[List[float]]:
    n, m = len(a), len(e)
    alpha = [[0.0] * (m + 1) for _ in range(n + 1)]
    alpha[0][0] = 1.0
    for i in range(n):
        for j in range(m + 1):
            if alpha[i][j]:
                for k in range(min(MAX_CHUNK, m - j) + 1):
                    p = t.get((a[i], e[j:j + k]), 0.0)
                    if p:
                        alpha[i + 1][j + k] += alpha[i][j] * p
    return alpha


def _backward(a: str, e: str, t: Dict[Tuple[str, str], float]) -> List[List[float]]:
    n, m = len(a), len(e)
    beta = [[0.0] * (m + 1) for _ in range(n + 1)]
    beta[n][m] = 1.0
    for i in range(n - 1, -1, -1):
        for j in range(m + 1):
            total = 0.0
            for k in range(min(MAX_CHUNK, m - j) + 1):
                p = t.get((a[i], e[j:j + k]), 0.0)
                if p and beta[i + 1][j + k]:
                    total += p * beta[i + 1][j + k]
            beta[i][j] = total
    return beta


def _initial_table(pairs: Sequence[Pair]) -> Dict[Tuple[str, str], float]:
    table: Dict[Tuple[str, str], float] = {}
    for a, e in pairs:
        for c in a:
            for j in range(len(e) + 1):
                for k in range(min(MAX_CHUNK, len(e) - j) + 1):
                    table[(c, e[j:j + k])] = 1.0
    return table


def learn_alignment(pairs: Sequence[Pair], iterations: int = EM_ITERATIONS) -> Dict[Tuple[str, str], float]:
    """EM estimate of P(English letters | Arabic letter), monotone one-to-chunk alignments."""
    t = _initial_table(pairs)
    for _ in range(iterations):
        counts: Dict[Tuple[str, str], float] = defaultdict(float)
        for a, e in pairs:
            alpha, beta = _forward(a, e, t), _backward(a, e, t)
            z = alpha[len(a)][len(e)]
            if not z:
                continue
            for i, c in enumerate(a):
                for j in range(len(e) + 1):
                    if not alpha[i][j]:
                        continue
                    for k in range(min(MAX_CHUNK, len(e) - j) + 1):
                        p = t.get((c, e[j:j + k]), 0.0)
                        if p and beta[i + 1][j + k]:
                            counts[(c, e[j:j + k])] += alpha[i][j] * p * beta[i + 1][j + k] / z
        totals: Dict[str, float] = defaultdict(float)
        for (c, _), v in counts.items():
            totals[c] += v
        t = {(c, chunk): v / totals[c] for (c, chunk), v in counts.items() if v / totals[c] > 1e-4}
    return t


def viterbi(a: str, e: str, t: Dict[Tuple[str, str], float]) -> List[str]:
    """The likeliest English chunk of each Arabic letter (empty list if none aligns)."""
    n, m = len(a), len(e)
    best = [[(-math.inf, -1)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = (0.0, -1)
    for i in range(n):
        for j in range(m + 1):
            if best[i][j][0] == -math.inf:
                continue
            for k in range(min(MAX_CHUNK, m - j) + 1):
                p = t.get((a[i], e[j:j + k]), 0.0)
                if p:
                    s = best[i][j][0] + math.log(p)
                    if s > best[i + 1][j + k][0]:
                        best[i + 1][j + k] = (s, j)
    if best[n][m][0] == -math.inf:
        return []
    chunks, j = [], m
    for i in range(n, 0, -1):
        prev = best[i][j][1]
        chunks.append(e[prev:j])
        j = prev
    return chunks[::-1]


def aligned_words(pairs: Sequence[Pair], t: Dict[Tuple[str, str], float]) -> List[Tuple[str, List[str]]]:
    """Each pair's Arabic letters with the English chunk of each letter (Viterbi alignment under
    ``t``); pairs that do not align, or use a chunk seen fewer than ``MIN_CHUNK_COUNT`` times, are
    left out."""
    aligned = [(a, viterbi(a, e, t)) for a, e in pairs]
    counts = Counter(chunk for _, chunks in aligned for chunk in chunks)
    return [(a, chunks) for a, chunks in aligned
            if chunks and all(counts[chunk] >= MIN_CHUNK_COUNT for chunk in chunks)]


def _log_prob(a: str, e: str, t: Dict[Tuple[str, str], float]) -> float:
    z = _forward(a, e.lower(), t)[len(a)][len(e)]
    return math.log(z) if z > 0 else -math.inf


def held_out_words(data_dir: Path) -> Set[str]:
    """The Arabic words (as :func:`read_translit` spells them) of ANETAC's held-out splits."""
    return {a for split in HELD_OUT for a, _ in read_translit(data_dir, split)}


def anetac_person_words(data_dir: Path) -> Dict[str, List[str]]:
    """Normalized Arabic word → the English spellings ANETAC lists for it (PERSON rows), without
    the words of the held-out splits (:func:`held_out_words`)."""
    held_out = held_out_words(data_dir)
    spellings: Dict[str, List[str]] = defaultdict(list)
    path = data_dir / ANETAC / "EN-AR Named-entities.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "PERSON" and parts[1].isalpha():
            word = _arabic_letters(parts[2])
            if word and word not in held_out and len(word) == len(normalize(parts[2], ROMANIZE_OPTIONS)):
                spellings[word].append(parts[1])
    return spellings


def _fold(text: str) -> str:
    """Latin letters without their diacritics (Öcalan → Ocalan)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _most_frequent_spelling(spellings: Sequence[str]) -> str:
    """The most frequent of ``spellings``, among equals the first alphabetically."""
    return min(Counter(spellings).items(), key=lambda kv: (-kv[1], kv[0]))[0]


def kb_held_out(name: str) -> bool:
    """Whether a curated person is held out of the romanization tables (one in ten, by name)."""
    return zlib.crc32(name.encode("utf-8")) % 10 == 0


def kb_person_words(held_out: bool = False) -> Dict[str, List[str]]:
    """Arabic word → the English spellings the curated KB gives it: each person's English name
    against each Arabic alias of as many words, word by word, the article taken off both sides
    (القرضاوي ↔ al-Qaradawi gives قرضاوي → Qaradawi). News spellings of names of the region,
    which ANETAC mostly lacks. ``held_out``: the words of the held-out persons
    (:func:`kb_held_out`) instead of the others."""
    spellings: Dict[str, List[str]] = defaultdict(list)
    for path in curated_files():
        for entry in read_entries(path):
            if entry.type != "PER" or kb_held_out(entry.name) != held_out:
                continue
            english = _fold(entry.name).replace("'", "").split()
            if not all(_KB_ENGLISH_WORD.fullmatch(w) for w in english):
                continue
            for alias in entry.aliases:
                arabic = normalize(alias, ROMANIZE_OPTIONS).split()
                if len(arabic) != len(english) or not all(_ARABIC_WORD.fullmatch(w) for w in arabic):
                    continue
                for a, e in zip(arabic, english, strict=True):
                    if e.lower().startswith("al-") != bool(_ARTICLE.match(a)):
                        continue
                    if _ARTICLE.match(a):
                        a, e = a[2:], e[3:]
                    if len(e) > 1:
                        spellings[a].append(e[0].upper() + e[1:])
    return spellings


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def choose_spellings(spellings: Dict[str, List[str]], t: Dict[Tuple[str, str], float],
                     model: LetterModel) -> Dict[str, str]:
    """The most regular of the English spellings ANETAC lists for each word: the closest to the
    letter model's own spelling (يوسف → Yusef rather than Iosef), then the likeliest under
    the alignment model, then the first alphabetically."""
    def rank(a: str, e: str) -> Tuple[int, float, str]:
        letters = re.sub("[^a-z]", "", e.lower())
        return _edit_distance(letters, own[a]), -_log_prob(a, letters, t), e

    own = {a: model.spell(a) for a, es in spellings.items() if len(es) > 1}

    return {a: min(es, key=lambda e: rank(a, e)) if len(es) > 1 else es[0] for a, es in spellings.items()}


def write_words(words: Dict[str, str], path: Path) -> None:
    text = WORDS_HEADER + "".join(f"{a}\t{e}\t{romanization_key(a)}\n" for a, e in sorted(words.items()))
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


# ----------------------------------------------------------------------------- checks


def english_skeleton(name: str) -> str:
    """Consonants of an English name, doubled letters merged (Sergei, Sergey → srg)."""
    consonants = re.sub("[^a-z]|[aeiouy]", "", name.lower().replace("ph", "f").replace("ck", "k"))
    return re.sub(r"(.)\1+", r"\1", consonants)


def variant_check(data_dir: Path, sample: int = 200_000) -> Dict[str, float]:
    """The variant keys on ANETAC person names. ANETAC lists each English name once, so spellings
    are grouped by the consonants of their English name (Sergei/Sergey, Jong/Jung): for pairs of
    Arabic spellings in one group (mostly variants of one name) the share that normalization, the
    variant key and the skeleton key merge; for random pairs from different groups the share
    they wrongly merge."""
    groups: Dict[str, Set[str]] = defaultdict(set)
    path = data_dir / ANETAC / "EN-AR Named-entities.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "PERSON" and len(english_skeleton(parts[1])) >= 3:
            groups[english_skeleton(parts[1])].add(normalize(parts[2]))
    rng = random.Random(0)
    same = [p for spellings in groups.values() if len(spellings) <= 20 for p in combinations(sorted(spellings), 2)]
    same = rng.sample(same, min(sample, len(same)))
    group_of = {w: g for g, ws in groups.items() for w in ws}
    words = sorted(group_of)
    other = [(a, b) for a, b in (rng.sample(words, 2) for _ in range(sample)) if group_of[a] != group_of[b]]
    out: Dict[str, float] = {"same_group_pairs": len(same), "different_group_pairs": len(other)}
    for label, key in (("normalized", lambda w: w), ("variant", variant_key), ("skeleton", skeleton_key)):
        out[f"{label}_merged_same"] = round(sum(key(a) == key(b) for a, b in same) / max(1, len(same)), 4)
        out[f"{label}_merged_different"] = round(sum(key(a) == key(b) for a, b in other) / max(1, len(other)), 5)
    return out


def build_translit(data_dir: Path, out: Path) -> str:
    """Learn the letter model (ANETAC's train split and the curated persons' words, held-out
    persons left out) and ``translit_words.tsv.gz`` (ANETAC's words, the curated persons' news
    spellings taking precedence) into ``out``."""
    train = read_translit(data_dir, "train")
    t = learn_alignment(random.Random(0).sample(train, min(EM_PAIRS, len(train))))
    anetac_held_out = held_out_words(data_dir)
    kb_words = {a: _most_frequent_spelling(es) for a, es in sorted(kb_person_words().items())
                if a not in anetac_held_out}
    kb_pairs = [(a, re.sub("[^a-z]", "", e.lower())) for a, e in kb_words.items()]
    model = LetterModel.learn(aligned_words(train + kb_pairs, t))
    model.write(out / MODEL_FILE, CHARS_HEADER)
    words = choose_spellings(anetac_person_words(data_dir), t, model)
    words.update(kb_words)
    write_words(words, out / "translit_words.tsv.gz")
    return f"{MODEL_FILE}: {len(model.table)} contexts; translit_words.tsv.gz: {len(words)} words ({len(kb_words)} from the KB)"
