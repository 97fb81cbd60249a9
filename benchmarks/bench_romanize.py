"""Romanized guesses against held-out ANETAC pairs: exact match and character error rate.

    python benchmarks/bench_romanize.py [--data-dir ../shared/data] [--split test] [--json PATH]

ANETAC's ``translit_<split>`` pairs (Arabic spelling → English name; ``test`` by default) are held
out: ``translit_chars.tsv`` is learnt from ``translit_train`` only and ``translit_words.tsv.gz``
leaves out the words of the test and dev splits (``arabic_geo_nlp.link.build_translit``). Compared
case-insensitively on letters. Methods: ``romanize`` (the library: romanization key, word table,
character model), ``chars`` (the character model alone on the key), ``chars_on_spelling`` (the
character model on the spelling itself, as guesses were made before the key). ``consistency`` is the share of
spelling-variant groups (test words with one romanization key) that get one English string.
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

from arabic_geo_nlp.link.build_translit import _edit_distance, read_translit  # noqa: E402
from arabic_geo_nlp.link.romanize import _romanize_chars, romanization_key, romanize  # noqa: E402


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


def consistency(words: Sequence[str]) -> Dict[str, float]:
    """Among groups of distinct spellings sharing a romanization key, the share spelt alike."""
    groups: Dict[str, set] = defaultdict(set)
    for w in words:
        groups[romanization_key(w)].add(w)
    multi = [g for g in groups.values() if len(g) > 1]
    same = sum(len({romanize(w)[0] for w in g}) == 1 for g in multi)
    same_before = sum(len({_romanize_chars(w) for w in g}) == 1 for g in multi)
    return {"variant_groups": len(multi), "spelt_alike": round(same / max(1, len(multi)), 4),
            "spelt_alike_chars_on_spelling": round(same_before / max(1, len(multi)), 4)}


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
        "chars": score(pairs, lambda a: _romanize_chars(romanization_key(a))),
        "chars_on_spelling": score(pairs, _romanize_chars),
        "attested": round(sum(romanize(a)[1] for a, _ in pairs) / len(pairs), 4),
        **consistency([a for a, _ in pairs] + [a for a, _ in read_translit(Path(args.data_dir), "train")]),
    }
    print(json.dumps(results, indent=1))
    Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
