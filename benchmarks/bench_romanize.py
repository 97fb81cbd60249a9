"""Romanized guesses against held-out ANETAC pairs: exact match and character error rate.

    python benchmarks/bench_romanize.py [--data-dir ../shared/data] [--split test] [--json PATH]

ANETAC's ``translit_<split>`` pairs (Arabic spelling → English name; ``test`` by default) are held
out: ``translit_chars.tsv`` is learnt from ``translit_train`` only and ``translit_words.tsv.gz``
leaves out the words of the test and dev splits (``arabic_geo_nlp.link.build_translit``). Compared
case-insensitively on letters. Methods: ``romanize`` (the library: romanization key, word table,
letter model), ``letters`` (the letter model alone on the key), ``letters_on_spelling`` (the
letter model on the spelling itself). ANETAC does not mark a name's origin: ``arabic_letters`` are the
pairs whose Arabic holds a letter foreign names are seldom written with (ع ح ص ض ط ظ ث ذ), a proxy for
names of Arabic origin, ``other`` the rest. ``consistency`` is the share of
spelling-variant groups (test words with one romanization key) that get one English string.
``kb_held_out``: the words of the curated persons held out of the tables (one in ten,
``build_translit.kb_held_out``) that no other curated person has, against their KB spelling —
names of the region as the news spells them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arabic_geo_nlp.link.build_translit import (  # noqa: E402
    _edit_distance, _most_frequent_spelling, kb_person_words, read_translit)
from arabic_geo_nlp.link.letter_model import letter_model  # noqa: E402
from arabic_geo_nlp.link.romanize import romanization_key, romanize, spell_letters  # noqa: E402

ARABIC_ONLY = set("عحصضطظثذ")


def _letters(text: str) -> str:
    return re.sub("[^a-z]", "", text.lower())


def score(pairs: Sequence[Tuple[str, str]], spell: Callable[[str], str]) -> Dict[str, float]:
    """Exact-match share and character error rate (edits / gold letters) of ``spell`` on ``pairs``."""
    exact = edits = letters = 0
    for arabic, english in pairs:
        guess = _letters(spell(arabic))
        exact += guess == english
        edits += _edit_distance(guess, english)
        letters += len(english)
    return {"exact": round(exact / len(pairs), 4), "cer": round(edits / max(1, letters), 4)}


def _origin_split(pairs: Sequence[Tuple[str, str]]) -> Dict[str, List[Tuple[str, str]]]:
    """``arabic_letters``: pairs whose Arabic holds one of :data:`ARABIC_ONLY`; ``other``: the rest."""
    out: Dict[str, List[Tuple[str, str]]] = {"arabic_letters": [], "other": []}
    for a, e in pairs:
        out["arabic_letters" if ARABIC_ONLY & set(a) else "other"].append((a, e))
    return out


def consistency(words: Sequence[str]) -> Dict[str, float]:
    """Among groups of distinct spellings sharing a romanization key, the share spelt alike."""
    groups: Dict[str, set] = defaultdict(set)
    for w in words:
        groups[romanization_key(w)].add(w)
    multi = [g for g in groups.values() if len(g) > 1]
    same = sum(len({romanize(w)[0] for w in g}) == 1 for g in multi)
    same_before = sum(len({letter_model().spell(w) for w in g}) == 1 for g in multi)
    return {"variant_groups": len(multi), "spelt_alike": round(same / max(1, len(multi)), 4),
            "spelt_alike_letters_on_spelling": round(same_before / max(1, len(multi)), 4)}


def main(argv: List[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--split", default="test", choices=["test", "dev"])
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "results" / "romanize_anetac.json"))
    args = ap.parse_args(argv)
    pairs = read_translit(Path(args.data_dir), args.split)
    results = {
        "split": args.split, "pairs": len(pairs),
        "romanize": score(pairs, lambda a: romanize(a)[0]),
        "letters": score(pairs, lambda a: spell_letters(romanization_key(a))),
        "letters_on_spelling": score(pairs, letter_model().spell),
        **{f"romanize_{part}": {"pairs": len(sub), **score(sub, lambda a: romanize(a)[0])}
           for part, sub in _origin_split(pairs).items()},
        "attested": round(sum(romanize(a)[1] for a, _ in pairs) / len(pairs), 4),
        **consistency([a for a, _ in pairs] + [a for a, _ in read_translit(Path(args.data_dir), "train")]),
    }
    trained = kb_person_words()
    kb_pairs = [(a, _letters(_most_frequent_spelling(es))) for a, es in sorted(kb_person_words(held_out=True).items())
                if a not in trained]
    results["kb_held_out"] = {"pairs": len(kb_pairs), **score(kb_pairs, lambda a: romanize(a)[0])}
    print(json.dumps(results, indent=1))
    Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
