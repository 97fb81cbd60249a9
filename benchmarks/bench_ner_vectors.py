"""NER before/after in one run: ANERcorp F1 and whole-pipeline throughput of two CRF models.

    python benchmarks/bench_ner_vectors.py [--before-rev d8e11f1] [--before DIR] [--after DIR]
                                           [--copies 10] [--skip-accuracy] [--json PATH]

``before``: the model folder ``models/ner`` at git revision ``--before-rev`` (default
``d8e11f1``, the session-4 tagger; ``751ffdb`` is the one without word clusters), or ``--before DIR``; ``after``: the packaged model (or ``--after``).
For each: ANERcorp dev and test F1 sentence by sentence (model alone and with the gazetteer,
as ``arabic-geo-nlp evaluate ner``), then the whole ``agn.load()`` pipeline's tokens/s on
one core over the seeds (``--copies`` times, best of 3 passes: warm caches) and over ANERcorp
(one pass, each model in a fresh process: cold caches), the two models timed alternately so that the load of the machine hits
both. Both wall-clock and CPU time (of this process) are reported; on a shared machine the CPU
figure and the after/before ratio are the ones to read.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, List

from texts import REPO, anercorp_texts, bench_texts  # benchmarks/texts.py

CORPUS = REPO.parent / "shared" / "data" / "anercorp" / "ANERCorp.txt"
MODEL_FILES = ("crf.model", "meta.json", "nameness.crf", "clusters.tsv.gz", "contexts.tsv.gz", "selftrain.tsv.gz",
               "subwords.npz")


def model_at_revision(rev: str, out: Path) -> Path:
    """Write the files of ``models/ner`` at git revision ``rev`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name in MODEL_FILES:
        blob = subprocess.run(["git", "show", f"{rev}:models/ner/{name}"], cwd=REPO, capture_output=True)
        if blob.returncode == 0:
            (out / name).write_bytes(blob.stdout)
    return out


def accuracy(model_dir: Path) -> Dict[str, Dict]:
    """ANERcorp dev/test overall and per-label F1, model alone and with the gazetteer."""
    from arabic_geo_nlp.ner.commands import ner_pipeline
    from arabic_geo_nlp.ner.evaluate import evaluate_corpus

    out = {}
    for gaz in (False, True):
        nlp = ner_pipeline(str(model_dir), gazetteer=gaz)
        for split in ("dev", "test"):
            scores = evaluate_corpus(nlp, CORPUS, split, 1)
            out[f"{split}/{'pipeline' if gaz else 'model'}"] = {
                label: round(s["f1"], 4) for label, s in scores.items()}
    return out


def whole_pipeline(model_dir: Path):
    """``agn.load()`` with its ``agn_ner`` reading ``model_dir``."""
    import arabic_geo_nlp as agn

    nlp = agn.load()
    nlp.replace_pipe("ner", "agn_ner", config={"model_dir": str(model_dir)})
    return nlp


def timed_pass(nlp, texts: List[str]) -> Dict[str, float]:
    """Wall and CPU seconds (this process) of one pass of ``nlp`` over ``texts``."""
    t0, c0 = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=64):
        pass
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}


def throughput(models: Dict[str, Path], texts: List[str], rounds: int) -> Dict[str, Dict[str, int]]:
    """Tokens/s of each model's whole pipeline (best wall and best CPU time over ``rounds``
    passes, the models alternating pass by pass); fresh pipelines, so the first pass has cold caches."""
    nlps = {name: whole_pipeline(d) for name, d in models.items()}
    n_tokens = sum(len(next(iter(nlps.values())).make_doc(t)) for t in texts)
    best: Dict[str, Dict[str, float]] = {name: {} for name in models}
    for _ in range(rounds):
        for name, nlp in nlps.items():
            for kind, sec in timed_pass(nlp, texts).items():
                best[name][kind] = min(sec, best[name].get(kind, sec))
    return {name: {f"tokens_per_s_{kind}": round(n_tokens / sec) for kind, sec in b.items()} | {"tokens": n_tokens}
            for name, b in best.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before-rev", default="d8e11f1")
    ap.add_argument("--before", default=None, help="model folder before (default: models/ner at --before-rev)")
    ap.add_argument("--after", default=None, help="model folder after (default: the packaged models/ner)")
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--skip-accuracy", action="store_true")
    ap.add_argument("--json", default=str(REPO / "benchmarks" / "results" / "ner_vectors.json"))
    ap.add_argument("--cold-one", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.cold_one:               # one model over ANERcorp with cold caches, as JSON on stdout
        print(json.dumps(throughput({"one": Path(args.cold_one)}, anercorp_texts(), 1)["one"]))
        return
    from arabic_geo_nlp.ner.model import default_model_dir

    tmp = tempfile.TemporaryDirectory()
    models = {"before": Path(args.before) if args.before else model_at_revision(args.before_rev, Path(tmp.name) / "before"),
              "after": Path(args.after) if args.after else default_model_dir()}
    results: Dict[str, Dict] = {name: {"model_dir": str(d)} for name, d in models.items()}
    if not args.skip_accuracy:
        for name, d in models.items():
            results[name]["anercorp_f1"] = accuracy(d)
            print(name, json.dumps(results[name]["anercorp_f1"]))
    seeds, repeat = bench_texts("seeds", args.copies)
    for corpus in ("seeds", "anercorp"):
        if corpus == "seeds":
            speed = throughput(models, seeds, repeat)
        else:       # cold caches: each model in a fresh process (the word caches are process-wide)
            speed = {name: json.loads(subprocess.run(
                ["python", __file__, "--cold-one", str(d)], capture_output=True, text=True, check=True).stdout)
                for name, d in models.items()}
        for name in models:
            results[name][corpus] = speed[name]
        for kind in ("cpu", "wall"):
            b, a = (speed[n][f"tokens_per_s_{kind}"] for n in ("before", "after"))
            results[f"ratio_{corpus}_{kind}"] = round(a / b, 3)
            print(f"whole pipeline, {corpus}, {kind} time: before {b:,} tok/s, after {a:,} tok/s, ratio {a / b:.3f}")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
