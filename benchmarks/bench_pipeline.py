"""Full-pipeline throughput and memory of `arabic-geo-nlp run` on a synthetic corpus.

    python benchmarks/bench_pipeline.py [--sizes 1000 10000] [--n-process 1 2]

For each corpus size and worker count, runs the CLI (`run corpus.jsonl --out tmp`)
in a fresh child process and records wall time, articles/s, tokens/s and the peak
resident memory of the run (the largest of the main process and its workers).
Writes ``benchmarks/results/pipeline.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from make_corpus import make_corpus  # noqa: E402

CHILD = """
import resource, sys, time
from arabic_geo_nlp.cli import main
t0 = time.perf_counter()
main(sys.argv[1:])
elapsed = time.perf_counter() - t0
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"BENCH {elapsed} {max(own, kids)}")
"""


def run_once(corpus: Path, n_process: int) -> dict:
    with tempfile.TemporaryDirectory() as out:
        args = ["run", str(corpus), "--out", out, "--quiet", "--n-process", str(n_process)]
        proc = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, check=True)
        line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH "))
        elapsed, rss_kb = float(line.split()[1]), int(line.split()[2])
        docs = pd.read_parquet(Path(out) / "documents.parquet")
    return {"articles": len(docs), "tokens": int(docs["n_tokens"].sum()), "n_process": n_process,
            "seconds": round(elapsed, 2), "articles_per_s": round(len(docs) / elapsed, 1),
            "tokens_per_s": round(docs["n_tokens"].sum() / elapsed), "peak_rss_mb": round(rss_kb / 1024)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--n-process", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            corpus = Path(tmp) / f"corpus_{size}.jsonl"
            make_corpus(size, corpus)
            for n in args.n_process:
                rows.append(run_once(corpus, n))
                print(json.dumps(rows[-1]), flush=True)
    out = REPO / "benchmarks" / "results" / "pipeline.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    df = pd.DataFrame(rows)
    print(df.to_markdown(index=False) if hasattr(df, "to_markdown") else df.to_string(index=False))


if __name__ == "__main__":
    main()
