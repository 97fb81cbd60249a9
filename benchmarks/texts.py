"""Benchmark texts shared by the scripts in this folder.

``seeds``: the seed articles repeated ``copies`` times (warm caches after the first
copy; timed best of 3). ``anercorp``: ANERcorp's 150k tokens (``../shared/data``)
joined into 500-token texts, a varied vocabulary read once with cold caches.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, List, Tuple

REPO = Path(__file__).resolve().parents[1]


def anercorp_texts(size: int = 500) -> List[str]:
    path = REPO.parent / "shared" / "data" / "anercorp" / "ANERCorp.txt"
    words = [ln.rsplit(" ", 1)[0] for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return [" ".join(words[i:i + size]) for i in range(0, len(words), size)]


def bench_texts(corpus: str, copies: int) -> Tuple[List[str], int]:
    """``(texts, repeat)``: the texts of ``corpus`` and how many timed runs to take the best of."""
    if corpus == "seeds":
        return [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))] * copies, 3
    return anercorp_texts(), 1


def corpus_arguments(ap: argparse.ArgumentParser, copies: int, name: str) -> None:
    """The options the corpus benchmarks share: ``--corpus``, ``--copies`` and ``--json``
    (default ``benchmarks/results/<name>_<corpus>.json``)."""
    ap.add_argument("--corpus", choices=["seeds", "anercorp"], default="seeds")
    ap.add_argument("--copies", type=int, default=copies)
    ap.add_argument("--json", default=None, help=f"default: benchmarks/results/{name}_<corpus>.json")


def write_results(args: argparse.Namespace, name: str, results: Any) -> Path:
    """Write ``results`` as JSON to ``--json`` or ``benchmarks/results/<name>_<corpus>.json``."""
    out = Path(args.json or REPO / "benchmarks" / "results" / f"{name}_{args.corpus}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return out
