"""Benchmark texts shared by the scripts in this folder.

``seeds``: the seed articles repeated ``copies`` times (warm caches after the first
copy; timed best of 3). ``anercorp``: ANERcorp's 150k tokens (``../shared/data``)
joined into 500-token texts, a varied vocabulary read once with cold caches.
``news``: a fixed random sample of SaudiNewsNet articles (real news of 14 outlets) plus
the dev articles, read once with cold caches (:func:`news_sample`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path
from typing import Any, Dict, List, Tuple

REPO = Path(__file__).resolve().parents[1]


def anercorp_texts(size: int = 500) -> List[str]:
    path = REPO.parent / "shared" / "data" / "anercorp" / "ANERCorp.txt"
    words = [ln.rsplit(" ", 1)[0] for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return [" ".join(words[i:i + size]) for i in range(0, len(words), size)]


NEWS = REPO.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
DEV = REPO.parent / "shared" / "gold" / "dev" / "articles"


def news_sample(n: int, seed: int = 0, dev: bool = True) -> List[Dict[str, str]]:
    """``n`` SaudiNewsNet articles drawn with ``seed`` (file order kept), then the dev articles:
    ``[{"id": ..., "text": ...}]``. The same ``n`` and ``seed`` give the same sample, and a
    larger ``n`` with the same seed is not a superset (each size is its own draw)."""
    dev_ids = {p.stem for p in DEV.glob("*.txt")}
    with gzip.open(NEWS, "rt", encoding="utf-8") as f:
        lines = [ln for ln in f if json.loads(ln)["id"] not in dev_ids]
    picked = sorted(random.Random(seed).sample(range(len(lines)), min(n, len(lines))))
    out = []
    for i in picked:
        art = json.loads(lines[i])
        out.append({"id": art["id"], "text": art["text"]})
    if dev:
        out += [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(DEV.glob("*.txt"))]
    return out


def write_jsonl(articles: List[Dict[str, str]], path: Path) -> Path:
    """Write ``articles`` as a JSONL corpus (``id``, ``text``) for ``arabic-geo-nlp run``."""
    with path.open("w", encoding="utf-8") as f:
        for art in articles:
            f.write(json.dumps(art, ensure_ascii=False) + "\n")
    return path


def bench_texts(corpus: str, copies: int) -> Tuple[List[str], int]:
    """``(texts, repeat)``: the texts of ``corpus`` and how many timed runs to take the best of
    (for ``news``, ``copies`` is the sample size)."""
    if corpus == "seeds":
        return [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))] * copies, 3
    if corpus == "news":
        return [a["text"] for a in news_sample(copies)], 1
    return anercorp_texts(), 1


def corpus_arguments(ap: argparse.ArgumentParser, copies: int, name: str) -> None:
    """The options the corpus benchmarks share: ``--corpus``, ``--copies`` and ``--json``
    (default ``benchmarks/results/<name>_<corpus>.json``)."""
    ap.add_argument("--corpus", choices=["seeds", "anercorp", "news"], default="seeds")
    ap.add_argument("--copies", type=int, default=copies)
    ap.add_argument("--json", default=None, help=f"default: benchmarks/results/{name}_<corpus>.json")


def write_results(args: argparse.Namespace, name: str, results: Any) -> Path:
    """Write ``results`` as JSON to ``--json`` or ``benchmarks/results/<name>_<corpus>.json``."""
    out = Path(args.json or REPO / "benchmarks" / "results" / f"{name}_{args.corpus}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return out
