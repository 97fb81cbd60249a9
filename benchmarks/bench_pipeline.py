"""Full-pipeline throughput, CPU time and memory of `arabic-geo-nlp run`, on real news.

    python benchmarks/bench_pipeline.py [--corpus news|synthetic] [--sizes 2000] [--n-process 1 2]
                                        [--stages 300] [--curve 10000] [--scaling] [--seed 0] [--json PATH]

``news`` (default): a fixed sample of SaudiNewsNet articles (``--seed``) plus the 33 dev
articles (:func:`texts.news_sample`); ``synthetic``: short seed-like articles from
``make_corpus.py``. For each size and worker count, the CLI (``run corpus.jsonl --out tmp``)
runs in a fresh child process — cold start included: loading the pipeline, empty caches,
reading the corpus, writing Parquet parts. Recorded: wall seconds, articles/s, tokens/s, the
CPU seconds of the main process and of the workers (on a shared machine wall time mixes in
other jobs' load; CPU seconds much less), and the peak RSS of the largest single process.
``--sizes`` with no number skips these runs.

``--curve N``: memory as a run grows: N sample articles through ``iter_rows`` in one fresh
process, its resident memory (current and peak) and tokens per CPU second every 1,000 articles.

``--scaling``: cost against document length: two dev articles joined, repeated 1, 2, 4 and 8
times as one document, through the whole pipeline and the table rows as one Doc (never cut
into sections); CPU seconds, best of 3 after a warm-up; the 8x/1x ratio is 8 for linear cost.

``--stages N``: the per-stage split (tokenizer, each component, table rows) over the first
N articles of the sample, CPU seconds of one process (``bench_components.time_steps``), with
empty caches and again with warm ones (a second pass over the same articles).
Writes ``benchmarks/results/pipeline_<corpus>.json`` (or ``--json``) and prints a table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from make_corpus import make_corpus  # noqa: E402
from texts import news_sample, write_jsonl  # noqa: E402

CHILD = """
import resource, sys, time
from arabic_geo_nlp.cli import main
t0 = time.perf_counter()
main(sys.argv[1:])
elapsed = time.perf_counter() - t0
own = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print("BENCH", elapsed, own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime, own.ru_maxrss, kids.ru_maxrss)
"""


def run_once(corpus: Path, n_process: int) -> dict:
    """One cold ``arabic-geo-nlp run`` of ``corpus`` in a new process, with its figures."""
    with tempfile.TemporaryDirectory() as out:
        args = ["run", str(corpus), "--out", out, "--quiet", "--n-process", str(n_process)]
        proc = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, check=True)
        line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH "))
        elapsed, main_cpu, worker_cpu = (float(x) for x in line.split()[1:4])
        rss_kb = max(int(x) for x in line.split()[4:6])
        docs = pd.read_parquet(Path(out) / "documents.parquet")
    tokens = int(docs["n_tokens"].sum())
    cpu = main_cpu + worker_cpu
    return {"articles": len(docs), "tokens": tokens, "n_process": n_process, "seconds": round(elapsed, 2),
            "articles_per_s": round(len(docs) / elapsed, 1), "tokens_per_s": round(tokens / elapsed),
            "main_cpu_s": round(main_cpu, 1), "worker_cpu_s": round(worker_cpu, 1),
            "tokens_per_cpu_s": round(tokens / cpu), "peak_rss_mb": round(rss_kb / 1024)}


CURVE = """
import json, resource, sys, time
import arabic_geo_nlp as agn
from arabic_geo_nlp.pipeline import iter_rows
nlp, tokens, t0 = agn.load(), 0, time.process_time()
def report(n):
    rss = int(open("/proc/self/statm").read().split()[1]) * 4096 // 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    cpu = time.process_time() - t0
    print("CURVE", json.dumps({"articles": n, "rss_mb": rss, "peak_rss_mb": peak, "vocab": len(nlp.vocab),
                               "cpu_s": round(cpu, 1), "tokens_per_cpu_s": round(tokens / max(cpu, 1e-9))}), flush=True)
for n, rows in enumerate(iter_rows(sys.argv[1], nlp), 1):
    tokens += rows.rows["documents"][0]["n_tokens"] or 0
    if n % 1000 == 0:
        report(n)
report(n)
"""


def rss_curve(corpus: Path) -> List[dict]:
    """Memory and speed every 1,000 articles of one process running through ``corpus``."""
    proc = subprocess.run([sys.executable, "-c", CURVE, str(corpus)], capture_output=True, text=True, check=True)
    return [json.loads(ln[6:]) for ln in proc.stdout.splitlines() if ln.startswith("CURVE ")]


def scaling(copies=(1, 2, 4, 8), runs: int = 3) -> Dict[str, object]:
    """CPU seconds of one document made of two dev articles repeated ``copies`` times."""
    import arabic_geo_nlp as agn
    from arabic_geo_nlp.frames import TableRows
    from texts import DEV

    one = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in sorted(DEV.glob("*.txt"))[:2])
    nlp = agn.load()

    def best(text: str) -> float:
        times = []
        for _ in range(runs):
            t0 = time.process_time()
            TableRows().add_doc(nlp(text), "doc")
            times.append(time.process_time() - t0)
        return min(times)

    best("\n\n".join([one] * max(copies)))  # warm caches
    seconds = {k: round(best("\n\n".join([one] * k)), 3) for k in copies}
    return {"chars_1x": len(one), "cpu_seconds": seconds,
            "ratio_8x_1x": round(seconds[max(copies)] / seconds[min(copies)], 2)}


def stage_split(texts: List[str]) -> Dict[str, Dict[str, float]]:
    """CPU seconds of each step over ``texts`` in this process: a first pass with empty caches,
    then a second pass over the same texts (every word type already seen)."""
    import arabic_geo_nlp as agn
    from bench_components import time_steps

    nlp = agn.load()
    return {run: {k: round(v, 2) for k, v in time_steps(nlp, texts, clock=time.process_time).items()}
            for run in ("cold", "warm")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=["news", "synthetic"], default="news")
    ap.add_argument("--sizes", type=int, nargs="*", default=[2000])
    ap.add_argument("--n-process", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--scaling", action="store_true", help="8x/1x document length cost ratio")
    ap.add_argument("--curve", type=int, default=0, help="memory curve over this many articles (0: skip)")
    ap.add_argument("--stages", type=int, default=0, help="per-stage split over this many articles (0: skip)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    rows, results = [], {"corpus": args.corpus, "seed": args.seed}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            corpus = Path(tmp) / f"corpus_{size}.jsonl"
            if args.corpus == "news":
                write_jsonl(news_sample(size, args.seed), corpus)
            else:
                make_corpus(size, corpus, args.seed)
            for n in args.n_process:
                rows.append(dict(sample=size, **run_once(corpus, n)))
                print(json.dumps(rows[-1]), flush=True)
        if args.curve:
            corpus = Path(tmp) / f"curve_{args.curve}.jsonl"
            write_jsonl(news_sample(args.curve, args.seed), corpus)
            results["curve"] = rss_curve(corpus)
            print(json.dumps(results["curve"]), flush=True)
    results["runs"] = rows
    if args.scaling:
        results["scaling"] = scaling()
        print(json.dumps(results["scaling"]), flush=True)
    if args.stages:
        texts = [a["text"] for a in news_sample(args.stages, args.seed)] if args.corpus == "news" else None
        if texts is None:
            with tempfile.TemporaryDirectory() as tmp:
                make_corpus(args.stages, Path(tmp) / "c.jsonl", args.seed)
                texts = [json.loads(ln)["text"] for ln in (Path(tmp) / "c.jsonl").open(encoding="utf-8")]
        split = stage_split(texts)
        results["stages"] = {"articles": len(texts), "cpu_seconds": split}
        print(json.dumps(results["stages"]), flush=True)
    out = Path(args.json or REPO / "benchmarks" / "results" / f"pipeline_{args.corpus}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if rows:
        print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
