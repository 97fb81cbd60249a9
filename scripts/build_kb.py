#!/usr/bin/env python3
"""Compile the generated parts of the entity-linking KB (``arabic_geo_nlp/data/kb/``).

    python scripts/build_kb.py [--data-dir ../shared/data] [--out arabic_geo_nlp/data/kb] [--check]

``places.tsv``
    Countries (mledoze/countries, ODbL 1.0 — this derived table is shared under ODbL 1.0) with
    their Unicode CLDR Arabic names (Unicode License v3; the package's ``cldr_territories.tsv``
    snapshot, see :mod:`arabic_geo_nlp.ner.build`), CLDR world regions, and cities of
    100,000 people or more plus capitals (world-cities-translations, CC BY 4.0, from Wikidata).
    An alias that ``curated.tsv`` gives to another actor is left out (الكويت is the country, not
    the city), and so is an alias of a less populous city with the same English name.
``translit_chars.tsv``
    A character transliteration model learnt from ANETAC's training split (Hadj Ameur et al.
    2019, arXiv:1907.03110; no licence stated, research use): EM alignment of each Arabic letter
    to 0–3 English letters, then the most frequent English letters of each letter in its
    left/right context. ``--check`` reports its word accuracy on ANETAC's test split.
``translit_words.tsv.gz``
    ANETAC person-name words: normalized Arabic → the English spelling the model finds likeliest
    among those ANETAC lists (يوسف → Yusuf, not Yoseef).

``--check`` also measures the variant keys on ANETAC (see :func:`variant_check`).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import random
import re
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Set, Tuple

from arabic_geo_nlp.link import (
    ROMANIZE_OPTIONS, Entry, KnowledgeBase, data_file, exact_key, skeleton_key, variant_key,
)
from arabic_geo_nlp.ner.build import CLDR_FILE, cldr_release, cldr_territories
from arabic_geo_nlp.normalize import normalize, normalize_word

REPO = Path(__file__).resolve().parents[1]
ANETAC = "gazetteers/anetac_en_ar_names"
MIN_CITY_POPULATION = 100_000
MAX_CHUNK = 3
EM_PAIRS = 30_000
EM_ITERATIONS = 4
MIN_CONTEXT_COUNT = 2
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_ADMIN_PREFIX = re.compile(r"^(?:ولاية|محافظة|مدينة|مقاطعة|بلدية|إقليم|منطقة)\s+")
_CLDR_SKIP = {"001", "EU", "EZ", "UN", "QO", "ZZ"}

PLACES_HEADER = """\
# places.tsv — compiled by scripts/build_kb.py (do not edit by hand; curated.tsv adds QIDs and aliases)
# Sources: mledoze/countries countries.json (ODbL 1.0; this derived table is shared under ODbL 1.0);
#   Unicode CLDR territory names ({cldr}; Unicode License v3);
#   jamsshhayd/world-cities-translations world-cities.csv (CC BY 4.0; data from Wikidata).
id\tname\ttype\taliases\tdescription\troles
"""
CHARS_HEADER = """\
# translit_chars.tsv — compiled by scripts/build_kb.py from ANETAC translit_train (Hadj Ameur, Meziane,
# Guessoum 2019, arXiv:1907.03110; no licence stated, research use). context = left letter, letter,
# right letter of a normalized Arabic word (^ start, $ end, _ any); english = its likeliest spelling.
context\tenglish\tcount
"""
WORDS_HEADER = """\
# translit_words.tsv.gz — compiled by scripts/build_kb.py from ANETAC EN-AR Named-entities.txt (PERSON rows;
# Hadj Ameur, Meziane, Guessoum 2019, arXiv:1907.03110; no licence stated, research use).
arabic\tenglish
"""


# ----------------------------------------------------------------------------- places


def _latin(text: str) -> bool:
    return bool(text) and not _ARABIC_LETTER.search(text) and text.isascii()


def country_entries(data_dir: Path) -> List[Entry]:
    """One GPE entry per mledoze country: Arabic common/official/CLDR names, English spellings."""
    cldr = {code: ar for code, (ar, _) in cldr_territories().items()}
    countries = json.loads((data_dir / "gazetteers/countries_mledoze/countries.json").read_text(encoding="utf-8"))
    entries = []
    for c in countries:
        ara = c["translations"]["ara"]
        arabic = [ara.get("common", ""), ara.get("official", ""), cldr.get(c["cca2"], "")]
        english = [c["name"]["official"], *(a for a in c.get("altSpellings", [])
                                            if _latin(a) and len(a) > 1 and a != c["cca2"])]
        where = c.get("subregion") or c.get("region") or ""
        capital = ", ".join(c.get("capital", []))
        description = f"country in {where}" + (f"; capital {capital}" if capital else "")
        entries.append(Entry("", c["name"]["common"], "GPE", _unique(arabic + english), description))
    return entries


def region_entries() -> List[Entry]:
    """CLDR world regions (Asia, Western Asia, ...) as LOC entries."""
    cldr = cldr_territories()
    return [Entry("", cldr[code][1], "LOC", (cldr[code][0],), "world region (CLDR)")
            for code in sorted(cldr) if code.isdigit() and code not in _CLDR_SKIP and cldr[code][1]]


def mistranslated_names(data_dir: Path) -> Set[str]:
    """Normalized words of AQMAR, the Wojood sample and UD Arabic-PUD used more often outside names
    than inside them. The world-cities source gives some cities an ordinary word as Arabic name
    (طيور "birds" for Aves, معرفة, يوم), which this catches. It is looser than the NER gazetteer's
    :func:`arabic_geo_nlp.ner.build.ordinary_words`: a word seen inside any name (الخليل of إبراهيم
    الخليل) is kept, so that a real city is not dropped from the KB."""
    from arabic_geo_nlp.ner.corpora import reference_words  # build-time only

    usage = Counter((normalize_word(word), is_name) for word, is_name in reference_words(data_dir))
    return {w for (w, is_name), n in usage.items() if not is_name and n > usage[(w, True)]}


def city_entries(data_dir: Path, capitals: Set[Tuple[str, str]]) -> List[Entry]:
    """Cities of at least ``MIN_CITY_POPULATION`` people, and capitals; one per English name
    (the most populous). A one-word Arabic name used mostly as an ordinary word in the reference
    corpora is left out (:func:`mistranslated_names`)."""
    mistranslated = mistranslated_names(data_dir)
    best: Dict[str, Tuple[int, Entry]] = {}
    with open(data_dir / "gazetteers/world_cities_ar/world-cities.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            name, country = row["CityNameEn"].strip(), row["CountryNameEn"].strip()
            arabic = _ADMIN_PREFIX.sub("", row["CityNameAr"].strip())
            population = int(float(row["Population"] or 0))
            capital = (country, name) in capitals
            if not _ARABIC_LETTER.search(arabic) or (population < MIN_CITY_POPULATION and not capital):
                continue
            if " " not in arabic and normalize(arabic) in mistranslated:
                continue
            description = f"capital of {country}" if capital else f"city in {country}"
            if name not in best or population > best[name][0]:
                best[name] = (population, Entry("", name, "GPE", (arabic,), description))
    return [entry for _, entry in best.values()]


def _unique(items: Iterable[str]) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(i.strip() for i in items if i and i.strip()))


def _drop_taken_aliases(entries: Sequence[Entry], taken: Dict[str, Tuple[str, str]],
                        names: Dict[Tuple[str, str], str]) -> List[Entry]:
    """Entries without the aliases that ``taken`` (exact key → (name, type)) gives to another actor.
    An entry whose English name is an alias of a curated actor of its type takes that actor's name
    (Türkiye → Turkey, ``names`` maps (name, type) keys to curated names); a city left without an
    Arabic alias is named ``مدينة X``."""
    out = []
    for e in entries:
        owner = taken.get(exact_key(e.name))
        if owner in names and owner[1] == e.type:
            renamed = (e.name,) if names[owner] != e.name else ()
            e = Entry(e.id, names[owner], e.type, e.aliases + renamed, e.description)
        me = (e.name.casefold(), e.type)
        kept = tuple(a for a in e.aliases if taken.setdefault(exact_key(a), me) == me)
        if e.description.startswith(("city", "capital")) and not any(_ARABIC_LETTER.search(a) for a in kept):
            kept += tuple("مدينة " + a for a in e.aliases if _ARABIC_LETTER.search(a))
        if kept:
            out.append(Entry(e.id, e.name, e.type, kept, e.description))
    return out


def place_entries(data_dir: Path) -> List[Entry]:
    """Countries, regions and cities, with aliases of curated actors and of countries left to them."""
    curated = KnowledgeBase.from_files([data_file("curated.tsv")])
    taken = {exact_key(a): (e.name.casefold(), e.type) for e in curated for a in (e.name, *e.aliases)}
    names = {(e.name.casefold(), e.type): e.name for e in curated}
    countries = country_entries(data_dir)
    capitals = {(e.name, cap.strip()) for e in countries
                for cap in e.description.partition("capital ")[2].split(",") if cap.strip()}
    entries = [e for group in (countries, region_entries(), city_entries(data_dir, capitals))
               for e in _drop_taken_aliases(group, taken, names)]
    return entries


def write_places(entries: Sequence[Entry], path: Path) -> None:
    rows = [f"\t{e.name}\t{e.type}\t{'|'.join(e.aliases)}\t{e.description}\t\n" for e in entries]
    header = PLACES_HEADER.format(cldr=f"{CLDR_FILE}: {cldr_release()}")
    path.write_text(header + "".join(rows), encoding="utf-8")


# ----------------------------------------------------------------------------- transliteration model

Pair = Tuple[str, str]  # (normalized Arabic letters, lowercase English letters)


def _arabic_letters(word: str) -> str:
    """The letters of ``word`` as :func:`arabic_geo_nlp.link.romanize` sees them (ة kept)."""
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
        for i, c in enumerate(a):
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


def anetac_person_words(data_dir: Path) -> Dict[str, List[str]]:
    """Normalized Arabic word → the English spellings ANETAC lists for it (PERSON rows)."""
    spellings: Dict[str, List[str]] = defaultdict(list)
    path = data_dir / ANETAC / "EN-AR Named-entities.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "PERSON" and parts[1].isalpha():
            word = _arabic_letters(parts[2])
            if word and len(word) == len(normalize(parts[2], ROMANIZE_OPTIONS)):
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
    text = WORDS_HEADER + "".join(f"{a}\t{e}\n" for a, e in sorted(words.items()))
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


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(REPO / "arabic_geo_nlp" / "data" / "kb"))
    ap.add_argument("--check", action="store_true", help="also report the variant-key and model checks")
    ap.add_argument("--skip-translit", action="store_true", help="rebuild places.tsv only")
    args = ap.parse_args(argv)
    data_dir, out = Path(args.data_dir), Path(args.out)
    places = place_entries(data_dir)
    write_places(places, out / "places.tsv")
    print(f"places.tsv: {len(places)} entries")
    if not args.skip_translit:
        train = read_translit(data_dir, "train")
        t = learn_alignment(random.Random(0).sample(train, min(EM_PAIRS, len(train))))
        model = context_model(train, t)
        write_chars(model, out / "translit_chars.tsv")
        words = choose_spellings(anetac_person_words(data_dir), t, model)
        write_words(words, out / "translit_words.tsv.gz")
        print(f"translit_chars.tsv: {len(model)} contexts; translit_words.tsv.gz: {len(words)} words")
        if args.check:
            test = read_translit(data_dir, "test")
            print(f"character model exact-word accuracy on ANETAC test: {translit_accuracy(model, test):.3f}")
    if args.check:
        print(json.dumps(variant_check(data_dir), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
