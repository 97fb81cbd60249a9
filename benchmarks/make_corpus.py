"""Build a synthetic corpus for the batch benchmarks: articles sampled from real text.

    python benchmarks/make_corpus.py --n 10000 --out benchmarks/corpus_10k.jsonl [--seed 0]

Each article is a headline plus 4–12 paragraphs drawn (with a fixed seed) from the
seed articles and the hand-written test texts in ``tests/texts/``, so vocabulary,
quotes and entities look like news, and no two articles are identical.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import List

REPO = Path(__file__).resolve().parents[1]


def paragraphs() -> List[str]:
    sources = sorted((REPO / "seeds").glob("*.txt")) + sorted((REPO / "tests" / "texts").glob("*.txt"))
    out = []
    for path in sources:
        out += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 40]
    return out


def make_corpus(n: int, out: Path, seed: int = 0) -> None:
    rng = random.Random(seed)
    paras = paragraphs()
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            body = rng.sample(paras, k=min(len(paras), rng.randint(4, 12)))
            headline = " ".join(rng.choice(paras).split()[:8])
            f.write(json.dumps({"id": f"art{i:06d}", "text": headline + "\n\n" + "\n\n".join(body)},
                               ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    make_corpus(args.n, Path(args.out), args.seed)


if __name__ == "__main__":
    main()
