"""Normalization + tokenization speed: ours vs camel-tools and spaCy's blank Arabic tokenizer.

    python benchmarks/bench_tokenize.py [--corpus seeds|anercorp] [--copies 100] [--json PATH]

All contenders run in one process on the same corpus and count their own tokens.
``seeds``: the seed articles repeated ``--copies`` times; ``anercorp``: the 150k
tokens of ANERcorp (``../shared/data``) joined into 500-token texts, a varied
vocabulary, read once with cold caches (best of 1 instead of 3).

- ``arabic_geo_nlp``: our spaCy tokenizer (a ``Doc`` with raw offsets), reading
  every token's offset, ``norm_`` and clitic analysis (cached per word type, as in
  a real run: news vocabulary repeats);
- ``camel simple_word_tokenize``: camel-tools' regex tokenizer (strings only);
- ``camel normalize + simple_word_tokenize``: dediac, alef, alef maksura and teh
  marbuta normalizers, then the tokenizer;
- ``spacy.blank("ar")``: spaCy's stock Arabic tokenizer.

camel-tools is optional (``pip install ".[camel]"``); without it those rows are skipped.
"""

from __future__ import annotations

import argparse
import time
from typing import Callable, Dict, List

from texts import bench_texts, corpus_arguments, write_results  # benchmarks/texts.py



def _time(fn: Callable[[str], int], texts: List[str], repeat: int = 3) -> Dict[str, float]:
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = sum(fn(t) for t in texts)
        dt = time.perf_counter() - t0
        best = dt if best is None or dt < best else best
    return {"tokens": n, "seconds": best, "tokens_per_s": n / best}


def contenders() -> Dict[str, Callable[[str], int]]:
    import spacy

    import arabic_geo_nlp as agn
    from arabic_geo_nlp.clitics import analyze

    ours = agn.load(exclude=["sentences", "clean"])

    def agn_tokenize(text: str) -> int:
        doc = ours.make_doc(text)
        for tok in doc:  # what the tokens table reads: offsets, norm and clitics
            tok.idx, tok.norm_, analyze(tok.text)
        return len(doc)

    blank = spacy.blank("ar")
    out = {
        "arabic_geo_nlp (Doc + offsets + norm + clitics)": agn_tokenize,
        "spacy.blank('ar') tokenizer": lambda t: len(blank.make_doc(t)),
    }
    try:
        from camel_tools.tokenizers.word import simple_word_tokenize
        from camel_tools.utils.dediac import dediac_ar
        from camel_tools.utils.normalize import (
            normalize_alef_ar, normalize_alef_maksura_ar, normalize_teh_marbuta_ar,
        )
    except ImportError:
        return out

    def camel_norm_tok(text: str) -> int:
        text = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(text))))
        return len(simple_word_tokenize(text))

    out["camel simple_word_tokenize"] = lambda t: len(simple_word_tokenize(t))
    out["camel normalize + simple_word_tokenize"] = camel_norm_tok
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus_arguments(ap, copies=100, name="tokenize")
    args = ap.parse_args()
    texts, repeat = bench_texts(args.corpus, args.copies)
    results = {name: _time(fn, texts, repeat) for name, fn in contenders().items()}
    ref = results.get("camel simple_word_tokenize")
    print(f"{'tokenizer':50} {'tokens':>9} {'tokens/s':>12} {'× camel':>8}")
    for name, r in results.items():
        ratio = f"{r['tokens_per_s'] / ref['tokens_per_s']:.2f}" if ref else "-"
        print(f"{name:50} {r['tokens']:>9,} {r['tokens_per_s']:>12,.0f} {ratio:>8}")
    write_results(args, "tokenize", results)


if __name__ == "__main__":
    main()
