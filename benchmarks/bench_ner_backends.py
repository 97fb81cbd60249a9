"""NER backends side by side on the ANERcorp test split: our CRF (``agn_ner``), Stanza with our
shipped model (``agn_stanza_ner``) and CAMeL's BERT NER (``agn_camel_ner``) when it loads.

    python benchmarks/bench_ner_backends.py [--data-dir ../shared/data] [--json PATH]

Each backend runs alone after our tokenizer, without the gazetteer (as ``evaluate ner
--no-gazetteer``), every sentence its own document (doc_size=1). Scores are
:func:`arabic_geo_nlp.ner.evaluate.evaluate_sentences` (exact span and label, P/R/F1 overall
and per label); tokens/s times one ``nlp.pipe`` pass over the prepared test Docs (tokenizing
not included), one process, torch limited to one thread. A backend that cannot be loaded gets
its reason instead of figures. Writes ``benchmarks/results/ner_backends.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Dict, List

os.environ.setdefault("OMP_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parents[1]
BACKENDS = ("crf", "stanza", "camel")


def _test_docs(nlp, sents) -> List:
    """The test sentences as Docs of our tokenizer, one sentence each (as ``evaluate_sentences`` builds them)."""
    from arabic_geo_nlp.ner.evaluate import gold_spans

    docs = []
    for sent in sents:
        doc = nlp.make_doc(gold_spans(nlp, sent)[0])
        for tok in doc:
            tok.is_sent_start = tok.i == 0
        docs.append(doc)
    return docs


def bench_backend(backend: str, sents) -> Dict:
    """Scores and speed of one backend, or ``{"error": reason}``."""
    from arabic_geo_nlp.ner.commands import ner_pipeline
    from arabic_geo_nlp.ner.evaluate import evaluate_sentences

    try:
        nlp = ner_pipeline(gazetteer=False, backend=backend)
        nlp("قال بوتين في موسكو.")  # loads lazily-built models outside the timing
    except Exception as e:  # a missing extra, model or data folder: reported, not fatal
        return {"error": f"{type(e).__name__}: {e}"}
    scores = evaluate_sentences(nlp, sents, doc_size=1)
    docs = _test_docs(nlp, sents)
    n_tokens = sum(len(d) for d in docs)
    t0 = time.perf_counter()
    for _ in nlp.pipe(docs, batch_size=64):
        pass
    seconds = time.perf_counter() - t0
    return {"component": type(nlp.get_pipe("ner")).__name__, "scores": scores,
            "tokens": n_tokens, "seconds": round(seconds, 2), "tokens_per_s": round(n_tokens / seconds)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--json", default=str(REPO / "benchmarks" / "results" / "ner_backends.json"))
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    from arabic_geo_nlp.ner.corpora import anercorp_split, read_anercorp

    sents = anercorp_split(read_anercorp(Path(args.data_dir))).test
    results = {"corpus": "ANERcorp test split (arabic_geo_nlp.ner.corpora.anercorp_split)", "sentences": len(sents),
               "doc_size": 1, "gazetteer": False, "torch_threads": 1, "backends": {}}
    print(f"{'backend':8} {'P':>6} {'R':>6} {'F1':>6} {'PER':>6} {'ORG':>6} {'LOC':>6} {'MISC':>6} {'tokens/s':>9}")
    for backend in BACKENDS:
        r = bench_backend(backend, sents)
        results["backends"][backend] = r
        if "error" in r:
            print(f"{backend:8} not run: {r['error']}")
            continue
        s = r["scores"]
        per_label = " ".join(f"{s.get(lab, {}).get('f1', 0.0):6.3f}" for lab in ("PER", "ORG", "LOC", "MISC"))
        o = s["overall"]
        print(f"{backend:8} {o['precision']:6.3f} {o['recall']:6.3f} {o['f1']:6.3f} {per_label} {r['tokens_per_s']:9,}")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
