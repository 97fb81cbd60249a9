"""Where an article's time goes: each component of ``agn.load()`` timed on its own, and the tables.

    python benchmarks/bench_components.py [--corpus seeds|anercorp] [--copies 20] [--json PATH]

One process. The texts go through the pipeline in batches of 64: the tokenizer
(``nlp.make_doc``), then each component's ``pipe`` over the batch, each timed
separately, then the table rows (:meth:`arabic_geo_nlp.frames.TableRows.add_doc`). Best of
the timed passes (``seeds``: 3, after one warm-up pass; ``anercorp``: 1, cold). Prints
each step's seconds and share of the total; writes ``benchmarks/results/components_<corpus>.json``.
"""

from __future__ import annotations

import argparse
import time
from typing import Callable, Dict, List

from texts import bench_texts, corpus_arguments, write_results  # benchmarks/texts.py

BATCH = 64


def time_steps(nlp, texts: List[str], clock: Callable[[], float] = time.perf_counter) -> Dict[str, float]:
    """Seconds spent in the tokenizer, each pipeline component and the row builder over ``texts``
    (wall seconds; ``clock=time.process_time`` for this process's CPU seconds)."""
    from arabic_geo_nlp.frames import TableRows

    steps: Dict[str, float] = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}, "rows": 0.0}
    for i in range(0, len(texts), BATCH):
        t0 = clock()
        docs = [nlp.make_doc(text) for text in texts[i:i + BATCH]]
        steps["tokenizer"] += clock() - t0
        for name, component in nlp.pipeline:
            t0 = clock()
            docs = list(component.pipe(docs)) if hasattr(component, "pipe") else [component(d) for d in docs]
            steps[name] += clock() - t0
        t0 = clock()
        rows = TableRows()
        for n, doc in enumerate(docs):
            rows.add_doc(doc, f"doc{i + n}")
        steps["rows"] += clock() - t0
    return steps


def main() -> None:
    import arabic_geo_nlp as agn

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus_arguments(ap, copies=20, name="components")
    args = ap.parse_args()
    texts, repeat = bench_texts(args.corpus, args.copies)
    nlp = agn.load()
    if repeat > 1:
        time_steps(nlp, texts)  # warm-up: caches filled as in a long batch run
    runs = [time_steps(nlp, texts) for _ in range(repeat)]
    best = min(runs, key=lambda r: sum(r.values()))
    total = sum(best.values())
    print(f"{'step':10} {'seconds':>8} {'share':>6}   ({len(texts)} articles)")
    for name, seconds in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"{name:10} {seconds:8.2f} {100 * seconds / total:5.0f} %")
    write_results(args, "components", {"articles": len(texts), "batch_size": BATCH, "seconds": best,
                                       "share": {k: round(v / total, 3) for k, v in best.items()}})


if __name__ == "__main__":
    main()
