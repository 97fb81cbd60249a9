"""Command line: ``arabic-geo-nlp run | build | train | evaluate``.

    arabic-geo-nlp run seeds --out out/            # five tables + a per-article summary
    arabic-geo-nlp run archive/ --out out/ --n-process 2 --resume   # continue a killed run
    arabic-geo-nlp run corpus.jsonl --text-col body --id-col url --format csv --out out/
    arabic-geo-nlp run news.jsonl --published-col date --out out/   # role links by publication year
    arabic-geo-nlp build lexicon                   # recompile the clitic stem lexicon from ../shared/data
    arabic-geo-nlp build gazetteer                 # recompile the NER gazetteers
    arabic-geo-nlp build kb                        # recompile the linking KB (places.tsv, sources.tsv.gz)
    arabic-geo-nlp train ner                       # retrain the NER model into models/ner
    arabic-geo-nlp evaluate ner --corpus ../shared/data/anercorp/ANERCorp.txt --split test
    arabic-geo-nlp evaluate quotes --articles gold/articles --gold gold/quotes.jsonl --show-errors
    arabic-geo-nlp evaluate entities --pred out/entities.parquet --gold gold/entities.jsonl --json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import List, Optional

import pandas as pd

from .frames import TABLES

DEFAULT_DATA_DIR = Path("../shared/data")


def _run(args: argparse.Namespace) -> int:
    from functools import partial

    from .corpus import count_documents
    from .pipeline import iter_rows, load
    from .store import TableWriter

    t0 = time.perf_counter()
    writer = TableWriter(args.out, args.format, docs_per_part=args.docs_per_part, resume=args.resume)
    skipped = len(writer.done)
    total = count_documents(args.inputs)
    summaries = []
    with writer, _progress(total, args.quiet) as bar:
        for rows in iter_rows(args.inputs, partial(load, kb=args.kb), batch_size=args.batch_size, n_process=args.n_process,
                              text_col=args.text_col, id_col=args.id_col, encoding=args.encoding,
                              skip=writer.done, published_col=args.published_col):
            writer.add(rows)
            summaries.extend(rows.rows["documents"])
            bar.update(1)
        if total is not None and skipped:
            bar.update(min(skipped, total - bar.n))
    if not args.quiet:
        _print_summary(pd.DataFrame(summaries), skipped, time.perf_counter() - t0, args)
    for row in summaries:
        if row["status"] == "error":
            print(f"error: {row['error']}", file=sys.stderr)
    return 0


def _progress(total: Optional[int], quiet: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="article", disable=True if quiet else None, file=sys.stderr,
                dynamic_ncols=True, smoothing=0.1)


EVALUATE_TARGETS = ("ner", "quotes", "entities")


def _evaluate(args: argparse.Namespace) -> int:
    """``evaluate quotes|entities``: score a table (given, or made by running the pipeline over
    ``--articles``) against gold JSONL; ``evaluate ner`` goes to its own command."""
    if args.what == "ner":
        if not args.corpus:
            args.parser.error("evaluate ner: --corpus is required")
        from .ner.commands import evaluate_ner

        return evaluate_ner(args)
    if not args.gold or bool(args.articles) == bool(args.pred):
        args.parser.error(f"evaluate {args.what}: give --gold and one of --articles or --pred")
    from . import evaluation

    docs = set(args.docs.split(",")) if args.docs else None
    gold = evaluation.read_gold(args.gold, args.what, docs)
    pred = evaluation.only_docs(_predicted(args), docs)
    if args.what == "quotes":
        report = evaluation.score_quotes(pred, gold)
        text = evaluation.format_quote_report(report, args.show_errors)
    else:
        report = evaluation.score_entities(pred, gold)
        text = evaluation.format_entity_report(report, args.show_errors)
    print(json.dumps(report.to_dict(errors=args.show_errors), ensure_ascii=False) if args.json else text)
    return 0


def _predicted(args: argparse.Namespace) -> pd.DataFrame:
    """The ``--pred`` table, or the table of ``args.what`` from running the pipeline over ``--articles``."""
    from .evaluation import read_table

    if args.pred:
        return read_table(args.pred)
    from functools import partial

    from .pipeline import load, process

    result = process(args.articles, nlp=partial(load, kb=args.kb), n_process=args.n_process)
    for row in result.documents[result.documents["status"] == "error"].itertuples():
        print(f"error: {row.error}", file=sys.stderr)
    return getattr(result, args.what)


def _add_evaluate_parser(sub: "argparse._SubParsersAction") -> None:
    """``evaluate ner|quotes|entities`` (``ner``'s options come from :mod:`arabic_geo_nlp.ner.commands`)."""
    from .ner.commands import add_evaluate_arguments

    evaluate = sub.add_parser("evaluate", help="score the library: ner on a CoNLL corpus, quotes/entities against gold JSONL")
    evaluate.description = ("ner: entity-level P/R/F1 of the NER stage on a CoNLL corpus (JSON). quotes, entities: "
                            "the pipeline's table scored against gold JSONL, overall and per kind, speaker type or label.")
    evaluate.add_argument("what", choices=EVALUATE_TARGETS)
    add_evaluate_arguments(evaluate)
    tables = evaluate.add_argument_group("quotes and entities")
    source = tables.add_mutually_exclusive_group()
    source.add_argument("--articles", help="articles to run the pipeline over (a folder of <doc>.txt, files or a table)")
    source.add_argument("--pred", help="an existing quotes/entities table (.parquet, .csv or .jsonl) instead")
    tables.add_argument("--gold", help="gold JSONL (the format of ../shared/gold/dev/quotes.jsonl or entities.jsonl)")
    tables.add_argument("--docs", help="comma-separated doc ids to score (default: every predicted row, every gold item)")
    tables.add_argument("--show-errors", action="store_true", help="list missed, spurious and wrongly attributed items")
    tables.add_argument("--json", action="store_true", help="print the scores (and errors) as JSON")
    tables.add_argument("--kb", default=None, help="extra actors TSV for entity linking (as in run --kb)")
    tables.add_argument("--n-process", type=int, default=1, help="worker processes for the pipeline run")
    evaluate.set_defaults(func=_evaluate, parser=evaluate)


SUMMARY_COLUMNS = ["doc_id", "status", "n_sentences", "n_tokens", "n_entities", "n_quotes"]
MAX_SUMMARY_ROWS = 50


def _print_summary(docs: pd.DataFrame, skipped: int, elapsed: float, args: argparse.Namespace) -> None:
    if docs.empty:
        docs = pd.DataFrame(columns=SUMMARY_COLUMNS + ["error"])
    if 0 < len(docs) <= MAX_SUMMARY_ROWS:
        with pd.option_context("display.max_rows", MAX_SUMMARY_ROWS, "display.width", 160):
            print(docs[SUMMARY_COLUMNS].to_string(index=False))
        print()
    n_err = int((docs["status"] == "error").sum())
    sums = {c: int(pd.to_numeric(docs[c]).sum()) for c in SUMMARY_COLUMNS[2:]}
    rate = len(docs) / elapsed if elapsed else 0.0
    print(f"{len(docs)} documents ({n_err} errors), {sums['n_sentences']} sentences, {sums['n_tokens']} tokens, "
          f"{sums['n_entities']} entities, {sums['n_quotes']} quotes in {elapsed:.1f}s ({rate:.1f} articles/s)"
          + (f"; {skipped} already done, skipped (--resume)" if skipped else ""))
    print(f"tables: {', '.join(str(Path(args.out) / f'{t}.{args.format}') for t in TABLES)}")


def _build(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else None
    if args.what == "kb":
        from .link.build import build_kb

        print(build_kb(Path(args.data_dir), out, translit=args.translit))
    elif args.what == "gazetteer":
        from .ner.build import build_gazetteers

        print(build_gazetteers(Path(args.data_dir), out))
    else:
        from .clitics import build_lexicon

        print(build_lexicon(Path(args.data_dir), out))
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="arabic-geo-nlp", description="Offline NLP for Arabic geopolitical news.")
    sub = ap.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="process articles into documents/sentences/tokens/entities/quotes tables")
    run.add_argument("inputs", nargs="+", help=".txt files, directories, globs, or JSONL/CSV/Parquet tables")
    run.add_argument("--out", required=True, help="output directory (one file per table)")
    run.add_argument("--format", choices=["parquet", "csv", "jsonl"], default="parquet")
    run.add_argument("--text-col", default="text", help="text column of table inputs (default: text)")
    run.add_argument("--id-col", default=None, help="id column of table inputs (default: id/doc_id or row number)")
    run.add_argument("--published-col", default=None,
                     help="publication date column of table inputs (ISO date): documents.published, and the year "
                          "role phrases (وزير الخارجية الأمريكي) are linked by; default: a date found in the text")
    run.add_argument("--encoding", default=None, help="force an input encoding (default: detect)")
    run.add_argument("--batch-size", type=int, default=64, help="documents per nlp.pipe batch")
    run.add_argument("--n-process", type=int, default=1, help="worker processes")
    run.add_argument("--docs-per-part", type=int, default=500, help="documents per written Parquet part")
    run.add_argument("--resume", action="store_true",
                     help="keep tables already in --out and skip documents written there (same doc_id and text)")
    run.add_argument("--kb", default=None,
                     help="TSV of extra actors (id, name, type, aliases, description, roles) for entity linking")
    run.add_argument("--quiet", action="store_true", help="print nothing but errors")
    run.set_defaults(func=_run)

    build = sub.add_parser("build", help="compile package data from the third-party corpora")
    build.add_argument("what", choices=["lexicon", "gazetteer", "kb"])
    build.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help="the shared/data folder")
    build.add_argument("--out", default=None,
                       help="output file (for kb: folder; default: the package's data file or data/kb)")
    build.add_argument("--translit", action="store_true",
                       help="kb: also relearn the romanization tables from ANETAC (slow, ~minutes)")
    build.set_defaults(func=_build)

    from .ner.commands import add_parsers as add_ner_parsers

    add_ner_parsers(sub)  # train ner | evaluate ner
    _add_evaluate_parser(sub)
    return ap


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
