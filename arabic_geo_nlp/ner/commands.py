"""The ``train`` and ``evaluate ner`` command-line subcommands (wired into ``arabic_geo_nlp.cli``).

    arabic-geo-nlp train ner [--data-dir ../shared/data] [--out models/ner] [--seed 0]
    arabic-geo-nlp train vectors [--data-dir ../shared/data] [--out models/vectors] [--method word2vec|fasttext]
    arabic-geo-nlp train stanza-ner [--data-dir ../shared/data] [--out models/stanza_ner] [--max-steps N] [--seed 0]
    arabic-geo-nlp train ner-neural [--data-dir ../shared/data] [--out models/ner_neural] [--model FASTTEXT_PATH]
    arabic-geo-nlp evaluate ner --corpus ../shared/data/anercorp/ANERCorp.txt --split test [--backend stanza]

``evaluate ner`` prints JSON: precision, recall, F1, support and predicted count per
label and ``overall`` (exact span and label). It runs our tokenizer, the NER component of
``--backend`` (``crf``: ``agn_ner``; ``stanza``: ``agn_stanza_ner``; ``camel``:
``agn_camel_ner``; ``neural``: ``agn_neural_ner``; ``crf+neural``: ``agn_crf_neural_ner``) and (unless ``--no-gazetteer``) ``agn_gazetteer`` over the corpus sentences.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

__all__ = ["add_parsers", "add_evaluate_arguments", "evaluate_ner", "ner_pipeline"]

DEFAULT_DATA_DIR = "../shared/data"


# --backend -> (factory, the config key its model folder goes to)
BACKENDS = {"crf": ("agn_ner", "model_dir"), "stanza": ("agn_stanza_ner", "model_dir"),
            "camel": ("agn_camel_ner", "data_dir"), "neural": ("agn_neural_ner", "neural_dir"),
            "crf+neural": ("agn_crf_neural_ner", "neural_dir")}


def ner_pipeline(model_dir: str | None = None, gazetteer: bool = True, backend: str = "crf"):
    """Our tokenizer + the ``backend``'s NER component (+ ``agn_gazetteer``): what ``evaluate ner``
    scores. ``model_dir``: that component's model folder (CAMeL: its data folder)."""
    from .. import backends  # noqa: F401  (registers the backend factories)
    from . import NERComponent  # noqa: F401  (registers the factories)
    from . import neural  # noqa: F401  (registers agn_neural_ner, agn_crf_neural_ner)
    from .train import blank_nlp

    factory, key = BACKENDS[backend]
    nlp = blank_nlp()
    nlp.add_pipe(factory, name="ner", config={key: model_dir})
    if gazetteer:
        nlp.add_pipe("agn_gazetteer", name="gazetteer")
    return nlp


def _train(args: argparse.Namespace) -> int:
    if args.what == "stanza-ner":
        return _train_stanza(args)
    if args.what == "vectors":
        return _train_vectors(args)
    if args.what == "ner-neural":
        return _train_neural(args)
    from .model import default_model_dir
    from .train import train_ner

    meta = train_ner(Path(args.data_dir), Path(args.out) if args.out else default_model_dir(),
                     seed=args.seed, extra=args.extra,
                     features=json.loads(args.features) if args.features else None,
                     vectors_dir=Path(args.vectors_dir) if args.vectors_dir else None)
    print(json.dumps({"train_seconds": meta["train_seconds"], "scores": meta["scores"]}, indent=1))
    return 0


def _train_vectors(args: argparse.Namespace) -> int:
    from .vectors import default_vectors_dir, train_vectors

    settings = {"method": args.method, "seed": args.seed} if args.method else {"seed": args.seed}
    meta = train_vectors(Path(args.data_dir), Path(args.out) if args.out else default_vectors_dir(),
                         settings, limit=args.limit, model_path=Path(args.model) if args.model else None)
    print(json.dumps({k: meta[k] for k in ("data", "vocabulary", "neighbours", "seconds")}, ensure_ascii=False, indent=1))
    return 0


def _train_neural(args: argparse.Namespace) -> int:
    from .neural.tagger import default_neural_dir
    from .neural.train import train_neural_ner

    meta = train_neural_ner(Path(args.data_dir), Path(args.out) if args.out else default_neural_dir(),
                            fasttext=Path(args.model) if args.model else None, settings={"seed": args.seed})
    print(json.dumps({"train_seconds": meta["train_seconds"], "crf_weight": meta["crf_weight"],
                      "scores": {p: {b: s["overall"] for b, s in v.items()} for p, v in meta["scores"].items()}}, indent=1))
    return 0


def _train_stanza(args: argparse.Namespace) -> int:
    from ..backends.stanza import default_model_dir, train_stanza_ner

    meta = train_stanza_ner(args.data_dir, Path(args.out) if args.out else default_model_dir(),
                            seed=args.seed, max_steps=args.max_steps, limit=args.limit)
    print(json.dumps({"train_seconds": meta["train_seconds"], "scores": meta["scores"]}, indent=1))
    return 0


def evaluate_ner(args: argparse.Namespace) -> int:
    """``evaluate ner``: entity-level P/R/F1 of the NER stage on ``args.corpus``, printed as JSON."""
    from .evaluate import evaluate_corpus

    model_dir = args.stanza_dir if args.backend == "stanza" and args.stanza_dir else args.model_dir
    nlp = ner_pipeline(model_dir, gazetteer=not args.no_gazetteer, backend=args.backend)
    print(json.dumps(evaluate_corpus(nlp, Path(args.corpus), args.split, args.doc_size), indent=1))
    return 0


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add ``train`` (targets ``ner``, ``vectors``, ``stanza-ner``) to the CLI's subparsers."""
    train = sub.add_parser("train", help="train a model (ner: the CRF tagger, into models/ner; "
                                         "vectors: word vectors and clusters from unlabeled news, into "
                                         "models/vectors (needs the train extra: gensim); "
                                         "stanza-ner: a Stanza NER model, into models/stanza_ner)")
    train.add_argument("what", choices=["ner", "vectors", "stanza-ner", "ner-neural"])
    train.add_argument("--data-dir", default=DEFAULT_DATA_DIR, help="the shared/data folder")
    train.add_argument("--out", default=None, help="model folder (default: the packaged models/ner or models/stanza_ner)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--extra", nargs="*", default=[], choices=["aqmar", "wojood"],
                       help="ner: extra training corpora (default: none; they did not help on dev)")
    train.add_argument("--features", default=None,
                       help="ner: the feature set as JSON (default: the shipped one, train.DEFAULT_FEATURES)")
    train.add_argument("--vectors-dir", default=None,
                       help="ner: folder of the word-cluster table (default: the packaged models/vectors)")
    train.add_argument("--max-steps", type=int, default=None,
                       help="stanza-ner: training steps (batches; default 3000)")
    train.add_argument("--limit", type=int, default=None,
                       help="stanza-ner: only the first N sentences of train/dev/test; vectors: only the first "
                            "N news articles (smoke tests)")
    train.add_argument("--method", choices=["word2vec", "fasttext"], default=None,
                       help="vectors: gensim model (default word2vec skip-gram)")
    train.add_argument("--model", default=None,
                       help="vectors: a saved gensim model to cluster instead of training one (its settings are "
                            "recorded); ner-neural: the gensim FastText model of the news (default: train one, ~15 min)")
    train.set_defaults(func=_train)


def add_evaluate_arguments(evaluate: argparse.ArgumentParser) -> None:
    """The options of ``evaluate ner`` (in their own group of the CLI's ``evaluate`` parser)."""
    group = evaluate.add_argument_group("ner")
    group.add_argument("--corpus", help="CoNLL file, one 'token tag' per line (required)")
    group.add_argument("--split", choices=["all", "train", "dev", "test"], default="all",
                       help="part of the fixed ANERcorp split (default: the whole file)")
    group.add_argument("--doc-size", type=int, default=1,
                       help="consecutive sentences per document (default 1: each sentence alone)")
    group.add_argument("--backend", choices=sorted(BACKENDS), default="crf",
                       help="NER component: crf (agn_ner, default), stanza (agn_stanza_ner), camel (agn_camel_ner)")
    group.add_argument("--model-dir", default=None,
                       help="the backend's model folder (camel: its data folder; default: the packaged one)")
    group.add_argument("--stanza-dir", default=None, help="the Stanza model folder (same as --model-dir)")
    group.add_argument("--no-gazetteer", action="store_true", help="score the model alone")
