"""The ``train ner`` and ``evaluate ner`` command-line subcommands (wired into ``arabic_geo_nlp.cli``).

    arabic-geo-nlp train ner [--data-dir ../shared/data] [--out models/ner] [--seed 0]
    arabic-geo-nlp evaluate ner --corpus ../shared/data/anercorp/ANERCorp.txt --split test

``evaluate ner`` prints JSON: precision, recall, F1, support and predicted count per
label and ``overall`` (exact span and label). It runs our tokenizer, ``agn_ner`` and
(unless ``--no-gazetteer``) ``agn_gazetteer`` over the corpus sentences.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

__all__ = ["add_parsers", "ner_pipeline"]

DEFAULT_DATA_DIR = "../shared/data"


def ner_pipeline(model_dir: str | None = None, gazetteer: bool = True):
    """Our tokenizer + ``agn_ner`` (+ ``agn_gazetteer``): what ``evaluate ner`` scores."""
    from . import NERComponent  # noqa: F401  (registers the factories)
    from .train import blank_nlp

    nlp = blank_nlp()
    nlp.add_pipe("agn_ner", config={"model_dir": model_dir})
    if gazetteer:
        nlp.add_pipe("agn_gazetteer")
    return nlp


def _train(args: argparse.Namespace) -> int:
    from .model import default_model_dir
    from .train import train_ner

    meta = train_ner(Path(args.data_dir), Path(args.out) if args.out else default_model_dir(),
                     seed=args.seed, extra=args.extra)
    print(json.dumps({"train_seconds": meta["train_seconds"], "scores": meta["scores"]}, indent=1))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_corpus

    nlp = ner_pipeline(args.model_dir, gazetteer=not args.no_gazetteer)
    print(json.dumps(evaluate_corpus(nlp, Path(args.corpus), args.split, args.doc_size), indent=1))
    return 0


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add ``train`` and ``evaluate`` (each with the target ``ner``) to the CLI's subparsers."""
    train = sub.add_parser("train", help="train a model (ner: the CRF tagger, into models/ner)")
    train.add_argument("what", choices=["ner"])
    train.add_argument("--data-dir", default=DEFAULT_DATA_DIR, help="the shared/data folder")
    train.add_argument("--out", default=None, help="model folder (default: the packaged models/ner)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--extra", nargs="*", default=[], choices=["aqmar", "wojood"],
                       help="extra training corpora (default: none; they did not help on dev)")
    train.set_defaults(func=_train)

    evaluate = sub.add_parser("evaluate", help="score a model on a corpus (ner: entity-level P/R/F1 as JSON)")
    evaluate.add_argument("what", choices=["ner"])
    evaluate.add_argument("--corpus", required=True, help="CoNLL file, one 'token tag' per line")
    evaluate.add_argument("--split", choices=["all", "train", "dev", "test"], default="all",
                          help="part of the fixed ANERcorp split (default: the whole file)")
    evaluate.add_argument("--doc-size", type=int, default=1,
                          help="consecutive sentences per document (default 1: each sentence alone)")
    evaluate.add_argument("--model-dir", default=None, help="model folder (default: the packaged one)")
    evaluate.add_argument("--no-gazetteer", action="store_true", help="score the model alone")
    evaluate.set_defaults(func=_evaluate)
