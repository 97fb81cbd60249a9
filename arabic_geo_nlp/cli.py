"""Command line: ``arabic-geo-nlp run | build``.

    arabic-geo-nlp run seeds --out out/            # five tables + a per-article summary
    arabic-geo-nlp run corpus.jsonl --text-col body --id-col url --format csv --out out/
    arabic-geo-nlp build lexicon                   # recompile the clitic stem lexicon from ../shared/data
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import List, Optional

import pandas as pd

DEFAULT_DATA_DIR = Path("../shared/data")


def _run(args: argparse.Namespace) -> int:
    from .pipeline import load, process

    t0 = time.perf_counter()
    res = process(args.inputs, nlp=load(), batch_size=args.batch_size, n_process=args.n_process,
                  text_col=args.text_col, id_col=args.id_col, encoding=args.encoding)
    paths = res.write(args.out, args.format)
    elapsed = time.perf_counter() - t0
    if not args.quiet:
        with pd.option_context("display.max_rows", 200, "display.width", 160):
            print(res.summary().to_string(index=False))
        docs = res.documents
        n_err = int((docs["status"] == "error").sum())
        print(f"\n{len(docs)} documents ({n_err} errors), {len(res.sentences)} sentences, "
              f"{len(res.tokens)} tokens, {len(res.entities)} entities, {len(res.quotes)} quotes "
              f"in {elapsed:.1f}s → {Path(args.out)}/ ({', '.join(p.name for p in paths.values())})")
        for _, row in docs[docs["status"] == "error"].iterrows():
            print(f"error: {row['doc_id']}: {row['error']}", file=sys.stderr)
    return 0


def _build(args: argparse.Namespace) -> int:
    from .clitics import build_lexicon

    stats = build_lexicon(Path(args.data_dir), Path(args.out) if args.out else None)
    print(stats)
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
    run.add_argument("--encoding", default=None, help="force an input encoding (default: detect)")
    run.add_argument("--batch-size", type=int, default=64)
    run.add_argument("--n-process", type=int, default=1)
    run.add_argument("--quiet", action="store_true", help="print nothing but errors")
    run.set_defaults(func=_run)

    build = sub.add_parser("build", help="compile package data from the third-party corpora")
    build.add_argument("what", choices=["lexicon"])
    build.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help="the shared/data folder")
    build.add_argument("--out", default=None, help="output file (default: the package's data file)")
    build.set_defaults(func=_build)
    return ap


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
