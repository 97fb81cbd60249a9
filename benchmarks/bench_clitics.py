"""Clitic analysis against UD Arabic-PUD: accuracy and speed, printed as JSON.

    python benchmarks/bench_clitics.py [--conllu PATH] [--errors N]

Accuracy compares ``analyze(word).segments()`` with the gold pieces of every
orthographic word containing an Arabic letter (see ``clitics.evaluate_ud``).
Speed is measured on the same words: ``uncached`` runs the analysis itself on
every word, ``cached_stream`` calls the cached ``analyze`` on the running text
from an empty cache, as the tokenizer does.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arabic_geo_nlp.clitics import _inventory, _lexicon, analyze, evaluate_ud, ud_words  # noqa: E402

DEFAULT_CONLLU = ROOT.parent / "shared" / "data" / "ud_arabic_pud" / "ar_pud-ud-test.conllu"


def _rate(words: list, fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        analyze.cache_clear()
        start = time.perf_counter()
        for w in words:
            fn(w)
        best = min(best, time.perf_counter() - start)
    return len(words) / best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conllu", type=Path, default=DEFAULT_CONLLU, help="UD CoNLL-U file (default: Arabic-PUD)")
    ap.add_argument("--errors", type=int, default=0, help="also list the N most frequent errors")
    args = ap.parse_args()

    start = time.perf_counter()
    _inventory()
    _lexicon()
    load_s = time.perf_counter() - start

    words = [w for w, _ in ud_words(args.conllu)]
    result = evaluate_ud(args.conllu, max_errors=args.errors)
    if args.errors:
        result["errors"] = [f"gold {g}  predicted {p}  x{n}" for g, p, n in result["errors"]]
    result.update(
        {
            "conllu": str(args.conllu),
            "load_seconds": round(load_s, 3),
            "analyses_per_s_uncached": round(_rate(words, analyze.__wrapped__)),
            "analyses_per_s_cached_stream": round(_rate(words, analyze)),
        }
    )
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
