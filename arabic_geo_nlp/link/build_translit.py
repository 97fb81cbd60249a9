"""The romanization tables of :mod:`arabic_geo_nlp.link.romanize`, learnt from ANETAC (part of
``arabic-geo-nlp build kb``, :mod:`.build`).

``translit_chars.tsv``
    A character transliteration model learnt from ANETAC's training split (Hadj Ameur et al.
    2019, arXiv:1907.03110; no licence stated, research use): EM alignment of each Arabic letter
    to 0–3 English letters, then the most frequent English letters of each letter in its
    left/right context. ``--check`` reports its word accuracy on ANETAC's test split.
``translit_words.tsv.gz``
    ANETAC person-name words: normalized Arabic → the English spelling the model finds likeliest
    among those ANETAC lists (يوسف → Yusuf, not Yoseef). Words of ANETAC's test and dev splits
    are left out, so that ``benchmarks/bench_romanize.py`` measures held-out pairs.

:func:`variant_check` measures the variant keys on ANETAC.
"""

from __future__ import annotations

import gzip
import math
import random
import re
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Dict, List, Sequence, Set, Tuple

from ..normalize import normalize
from .keys import skeleton_key, variant_key
from .romanize import ROMANIZE_OPTIONS, romanization_key

ANETAC = "gazetteers/anetac_en_ar_names"
HELD_OUT = ("test", "dev")
MAX_CHUNK = 3
EM_PAIRS = 30_000
EM_ITERATIONS = 4
MIN_CONTEXT_COUNT = 2
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")

CHARS_HEADER = """\
# translit_chars.tsv — compiled by arabic-geo-nlp build kb from ANETAC translit_train (Hadj Ameur, Meziane,
# Guessoum 2019, arXiv:1907.03110; no licence stated, research use). context = left letter, letter,
# right letter of a normalized Arabic word (^ start, $ end, _ any); english = its likeliest spelling.
context\tenglish\tcount
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


def context_model(pairs: Sequence[Pair], t: Dict[Tuple[str, str], float]) -> Dict[str, Tuple[str, int]]:
    """``context → (likeliest English chunk, count)`` for contexts lcr, _cr, lc_, _c_."""
    counts: Dict[str, Counter] = defaultdict(Counter)
    for a, e in pairs:
        chunks = viterbi(a, e, t)
        padded = f"^{a}$"
        for i, chunk in enumerate(chunks, 1):
            left, c, right = padded[i - 1], padded[i], padded[i + 1]
            for context in (left + c + right, "_" + c + right, left + c + "_", "_" + c + "_"):
                counts[context][chunk] += 1
    model = {}
    for context, chunks in counts.items():
        chunk, n = chunks.most_common(1)[0]
        if n >= MIN_CONTEXT_COUNT or context.startswith("_") and context.endswith("_"):
            model[context] = (chunk, n)
    return model


def decode(word: str, model: Dict[str, Tuple[str, int]]) -> str:
    """Spell a normalized Arabic word with ``model`` (as :func:`arabic_geo_nlp.link.romanize` does)."""
    padded, out = f"^{word}$", []
    for i in range(1, len(padded) - 1):
        left, c, right = padded[i - 1], padded[i], padded[i + 1]
        for context in (left + c + right, "_" + c + right, left + c + "_", "_" + c + "_"):
            if context in model:
                out.append(model[context][0])
                break
    return "".join(out)


def write_chars(model: Dict[str, Tuple[str, int]], path: Path) -> None:
    rows = [f"{c}\t{chunk}\t{n}\n" for c, (chunk, n) in sorted(model.items())]
    path.write_text(CHARS_HEADER + "".join(rows), encoding="utf-8")


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


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def choose_spellings(spellings: Dict[str, List[str]], t: Dict[Tuple[str, str], float],
                     model: Dict[str, Tuple[str, int]]) -> Dict[str, str]:
    """The most regular of the English spellings ANETAC lists for each word: the closest to the
    character model's own spelling (يوسف → Yusef rather than Iosef), then the likeliest under
    the alignment model, then the first alphabetically."""
    def rank(a: str, e: str) -> Tuple[int, float, str]:
        letters = re.sub("[^a-z]", "", e.lower())
        return _edit_distance(letters, decode(a, model)), -_log_prob(a, letters, t), e

    return {a: min(es, key=lambda e: rank(a, e)) for a, es in spellings.items()}


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


def translit_accuracy(model: Dict[str, Tuple[str, int]], pairs: Sequence[Pair]) -> float:
    """Share of ``pairs`` whose English the character model spells exactly (case-insensitive)."""
    return sum(decode(a, model) == e for a, e in pairs) / max(1, len(pairs))


def build_translit(data_dir: Path, out: Path) -> str:
    """Learn ``translit_chars.tsv`` (ANETAC train split) and ``translit_words.tsv.gz`` into ``out``."""
    train = read_translit(data_dir, "train")
    t = learn_alignment(random.Random(0).sample(train, min(EM_PAIRS, len(train))))
    model = context_model(train, t)
    write_chars(model, out / "translit_chars.tsv")
    words = choose_spellings(anetac_person_words(data_dir), t, model)
    write_words(words, out / "translit_words.tsv.gz")
    return f"translit_chars.tsv: {len(model)} contexts; translit_words.tsv.gz: {len(words)} words"
