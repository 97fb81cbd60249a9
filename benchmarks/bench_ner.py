"""NER throughput: the pipeline up to NER (tokenizer, sentences, clean, ``agn_ner``, ``agn_gazetteer``).

    python benchmarks/bench_ner.py [--corpus seeds|anercorp] [--copies 20] [--json PATH]
                                   [--entities out/seed_entities.parquet]

One process, one core (``n_process=1``). ``seeds``: the seed articles repeated
``--copies`` times (warm caches: news vocabulary repeats); ``anercorp``: ANERcorp
(``../shared/data``) joined into 500-token texts, a varied vocabulary read once
with cold caches. Reports tokens/s and articles/s for the pipeline with and
without the two NER components (the difference is the NER cost), and for the whole
``agn.load()`` pipeline (which also runs the linker and quotes after NER).

``--entities`` also writes the entity table of one pass over the seeds, the input
of ``python ../shared/tools/score.py --entities PATH``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Dict, List

from texts import bench_texts, corpus_arguments, write_results  # benchmarks/texts.py

REPO = Path(__file__).resolve().parents[1]
NER_PIPES = (("ner", "agn_ner"), ("gazetteer", "agn_gazetteer"))
# Components of agn.load() that run after NER (timed only in the "whole agn.load()" row).
AFTER_NER = ("linker", "quotes")


def full_pipeline(with_ner: bool = True, after_ner: bool = False):
    """``agn.load()`` up to NER (``after_ner``: the whole pipeline), with the NER components
    appended when ``pipeline.py`` lacks them."""
    import arabic_geo_nlp as agn
    import arabic_geo_nlp.ner  # noqa: F401  (registers the factories)

    nlp = agn.load()
    for name in AFTER_NER:
        if not after_ner and name in nlp.pipe_names:
            nlp.remove_pipe(name)
    for name, factory in NER_PIPES:
        if with_ner and name not in nlp.pipe_names:
            nlp.add_pipe(factory, name=name)
        if not with_ner and name in nlp.pipe_names:
            nlp.remove_pipe(name)
    return nlp


def _time(nlp, texts: List[str], repeat: int) -> Dict[str, float]:
    """Best wall time of ``repeat`` runs; tokens counted as the tokenizer makes them
    (before ``agn_ner`` splits off the proclitics of entity-initial words)."""
    n_tokens = sum(len(nlp.make_doc(t)) for t in texts)
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        dt = time.perf_counter() - t0
        best = dt if best is None or dt < best else best
    return {"articles": len(texts), "tokens": n_tokens, "seconds": round(best, 3),
            "tokens_per_s": round(n_tokens / best), "articles_per_s": round(len(texts) / best, 1)}


def write_seed_entities(path: Path) -> int:
    """Entity table (doc_id, text, label, entity, start, end, …) of the seeds; returns its row count."""
    import arabic_geo_nlp as agn

    entities = agn.process(REPO / "seeds", nlp=full_pipeline(after_ner=True)).entities
    path.parent.mkdir(parents=True, exist_ok=True)
    entities.to_parquet(path, index=False)
    return len(entities)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus_arguments(ap, copies=20, name="ner")
    ap.add_argument("--entities", default=None, help="also write the seeds' entity table here")
    args = ap.parse_args()
    texts, repeat = bench_texts(args.corpus, args.copies)
    runs = (("pipeline without NER", False, False), ("pipeline with NER", True, False),
            ("whole agn.load()", True, True))
    results = {label: {"pipes": full_pipeline(with_ner, after).pipe_names,
                       **_time(full_pipeline(with_ner, after), texts, repeat)}
               for label, with_ner, after in runs}
    print(f"{'pipeline':24} {'articles':>8} {'tokens':>9} {'tokens/s':>10} {'articles/s':>10}")
    for name, r in results.items():
        print(f"{name:24} {r['articles']:>8} {r['tokens']:>9,} {r['tokens_per_s']:>10,} {r['articles_per_s']:>10}")
    write_results(args, "ner", results)
    if args.entities:
        print(f"{write_seed_entities(Path(args.entities))} entities -> {args.entities}")


if __name__ == "__main__":
    main()
