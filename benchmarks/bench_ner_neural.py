"""Throughput of the neural NER tagger (numpy) against the CRF, one core.

    python benchmarks/bench_ner_neural.py [--rounds 3] [--json PATH] [--neural-dir models/ner_neural]

Taggers alone, on the ANERcorp test sentences over our tokens (25k tokens): the CRF
(``CRFScorer``), the network alone (zero and n-gram vectors for unknown words), and CRF + network,
each timed in rounds that alternate between them (best round kept; wall and CPU time, as the
shared machine's load leaves a process a fraction of a core), one batch of all sentences a
call, as the NER component sends them per 64 documents. "cold": a fresh tagger (its per-type caches
empty; the word features both share are cached first), "warm": the same call again. Then the
pipeline up to NER (``agn_ner`` vs ``agn_crf_neural_ner``, + ``agn_gazetteer``) over the seeds ×10.
BLAS is held to one thread (``OPENBLAS_NUM_THREADS=1`` etc., set before numpy loads).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable, Dict, List  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def _sentences() -> List[List[str]]:
    from arabic_geo_nlp.ner.corpora import anercorp_split, read_anercorp, sentence_to_doc
    from arabic_geo_nlp.ner.train import blank_nlp, doc_to_bio

    nlp = blank_nlp()
    return [doc_to_bio(sentence_to_doc(nlp, s))[0] for s in anercorp_split(read_anercorp(DATA)).test]


def _taggers(neural_dir: Path | None) -> Dict[str, Callable[[], object]]:
    from arabic_geo_nlp.ner.model import CRFTagger, default_model_dir
    from arabic_geo_nlp.ner.neural.tagger import CRFNeuralTagger, NeuralTagger

    return {"crf": lambda: CRFTagger.load(default_model_dir()),
            "neural (zero OOV)": lambda: NeuralTagger(neural_dir, oov="zero"),
            "neural (n-gram OOV)": lambda: NeuralTagger(neural_dir, oov="ngrams"),
            "crf+neural": lambda: CRFNeuralTagger(CRFTagger.load(default_model_dir()), NeuralTagger(neural_dir))}


def bench_taggers(sentences: List[List[str]], neural_dir: Path | None, rounds: int) -> Dict[str, Dict]:
    """Cold and warm tokens/s of each tagger's ``tag_many`` over all ``sentences`` in one call."""
    from arabic_geo_nlp.ner.features import word_features

    for s in sentences:
        for w in s:
            word_features(w)
    n = sum(map(len, sentences))
    makers = _taggers(neural_dir)
    best: Dict[str, Dict[str, float]] = {name: {} for name in makers}
    for _ in range(rounds):
        for name, make in makers.items():
            tagger = make()
            for state in ("cold", "warm"):
                t0, c0 = time.perf_counter(), time.process_time()
                tagger.tag_many(sentences)
                for clock, dt in (("wall", time.perf_counter() - t0), ("cpu", time.process_time() - c0)):
                    key = f"{state}_tokens_per_{clock}_s"
                    best[name][key] = max(best[name].get(key, 0), round(n / max(dt, 1e-9)))
    return {name: {"tokens": n, **b} for name, b in best.items()}


def bench_pipeline(copies: int, rounds: int) -> Dict[str, Dict]:
    """Tokens/s of the pipeline up to NER + gazetteer over the seeds ×``copies``, CRF vs CRF + network."""
    import arabic_geo_nlp as agn
    import arabic_geo_nlp.ner.neural  # noqa: F401

    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))] * copies
    nlps = {}
    for name, factory in (("crf", "agn_ner"), ("crf+neural", "agn_crf_neural_ner")):
        nlp = agn.load(exclude=("linker", "quotes", "ner"))
        nlp.add_pipe(factory, name="ner", before="gazetteer")
        nlps[name] = nlp
    n = sum(len(nlps["crf"].make_doc(t)) for t in texts)
    best: Dict[str, Dict[str, float]] = {name: {} for name in nlps}
    for _ in range(rounds):
        for name, nlp in nlps.items():
            t0, c0 = time.perf_counter(), time.process_time()
            for _doc in nlp.pipe(texts, batch_size=64):
                pass
            for clock, dt in (("wall", time.perf_counter() - t0), ("cpu", time.process_time() - c0)):
                key = f"tokens_per_{clock}_s"
                best[name][key] = max(best[name].get(key, 0), round(n / dt))
    return {name: {"tokens": n, **b} for name, b in best.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--copies", type=int, default=10, help="seed copies for the pipeline run")
    ap.add_argument("--neural-dir", default=None)
    ap.add_argument("--json", default=str(REPO / "benchmarks" / "results" / "ner_neural.json"))
    args = ap.parse_args()
    neural_dir = Path(args.neural_dir) if args.neural_dir else None
    t_cpu, t_wall = time.process_time(), time.perf_counter()
    results = {"taggers_anercorp_test": bench_taggers(_sentences(), neural_dir, args.rounds),
               "pipeline_to_ner_seeds": bench_pipeline(args.copies, args.rounds),
               "load_average": os.getloadavg()}
    results["cpu_over_wall"] = round((time.process_time() - t_cpu) / (time.perf_counter() - t_wall), 2)
    print(json.dumps(results, indent=1))
    Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
