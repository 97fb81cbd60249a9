#!/usr/bin/env python3
"""Rank the actors SaudiNewsNet mentions most, for curating the knowledge base (issue 15).

    python scripts/mine_news_actors.py sample --n 6000 --seed 15 --out /tmp/snn_sample.jsonl
    nice arabic-geo-nlp run /tmp/snn_sample.jsonl --out /tmp/snn_run --n-process 1 --quiet
    python scripts/mine_news_actors.py mine --run /tmp/snn_run --sample /tmp/snn_sample.jsonl \
        --out arabic_geo_nlp/data/kb/review/news_clusters.tsv.gz --snippets /tmp/snn_snippets.tsv

``sample`` draws a fixed random sample of ``../shared/data/saudinewsnet/`` articles (the dev gold
articles are left out: they are the measure). ``mine`` groups the pipeline's PER/ORG/GPE/LOC
mentions by (variant key, label), ranks the clusters by document frequency and writes one row per
cluster: rank, key, label, doc frequency, mention count, surface variants with counts, the KB
entity the linker gave most often (empty when never linked to a KB entry), the romanized guess
most often given otherwise and the entries of the KB plus ``data/kb/curated/`` whose aliases match
the commonest surface (empty: nobody knows the cluster yet). The top
of the ranking is what ``data/kb/curated/news_*.tsv`` were written from; the tail is the review
list. Context snippets (raw CC BY-NC-SA 4.0 article text) go only to ``--snippets``, a file to
keep outside the repository: the committed list holds names and counts only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Set

LABELS = ("PER", "ORG", "GPE", "LOC")
SNIPPET_CHARS = 45


def dev_ids(gold_dir: Path) -> Set[str]:
    """Ids of the dev gold articles (file stems), which mining must never see."""
    return {p.stem for p in (gold_dir / "articles").glob("*.txt")}


def read_jsonl(path: Path) -> Iterator[dict]:
    """Records of a (possibly gzipped) JSONL file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def draw(n_records: int, n: int, seed: int) -> List[int]:
    """Indices of ``n`` records drawn with ``seed``, in corpus order."""
    return sorted(random.Random(seed).sample(range(n_records), min(n, n_records)))


def sample(corpus: Path, gold_dir: Path, n: int, seed: int, out: Path,
           exclude: Sequence[tuple] = ()) -> int:
    """Write ``n`` articles drawn with ``seed`` (dev articles excluded), in corpus order.

    ``exclude`` lists earlier ``(n, seed)`` samples whose articles are left out too, so that a new
    sample shows actors the earlier curation did not see.
    """
    excluded = dev_ids(gold_dir)
    records = [r for r in read_jsonl(corpus) if r["id"] not in excluded]
    seen = {records[i]["id"] for n_old, seed_old in exclude
            for i in draw(len(records), n_old, seed_old)}
    records = [r for r in records if r["id"] not in seen]
    chosen = draw(len(records), n, seed)
    with open(out, "w", encoding="utf-8") as fh:
        for i in chosen:
            r = records[i]
            fh.write(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n")
    return len(chosen)


def snippet(text: str, start: int, end: int) -> str:
    """The mention with a little context either side, on one line, mention in [brackets]."""
    left = text[max(0, start - SNIPPET_CHARS):start]
    right = text[end:end + SNIPPET_CHARS]
    s = f"{left}[{text[start:end]}]{right}"
    return " ".join(s.replace("\t", " ").split())


def mine(run_dir: Path, sample_path: Path, out: Path, snippets_out: Optional[Path] = None,
         kb_extra: Sequence[Path] = (), n_snippets: int = 4) -> int:
    """Cluster, rank and write the clusters; return how many were written."""
    import pandas as pd

    from arabic_geo_nlp.link import packaged_kb, variant_key

    kb = packaged_kb()
    kb_names = {e.name for e in kb}
    if kb_extra:
        kb = kb.copy()
        for path in kb_extra:
            kb.add_file(path)

    texts: Dict[str, str] = {r["id"]: r["text"] for r in read_jsonl(sample_path)}
    ents = pd.read_parquet(run_dir / "entities.parquet")
    ents = ents[ents["label"].astype(str).isin(LABELS)]
    docs: Dict[tuple, Set[str]] = defaultdict(set)
    surfaces: Dict[tuple, Counter] = defaultdict(Counter)
    linked: Dict[tuple, Counter] = defaultdict(Counter)
    snippets: Dict[tuple, List[str]] = defaultdict(list)
    keycache: Dict[str, str] = {}
    guesses: Dict[tuple, Counter] = defaultdict(Counter)
    for doc_id, start, end, text, label, entity, kb_id in ents[
            ["doc_id", "start", "end", "text", "label", "entity", "kb_id"]].itertuples(index=False):
        if text not in keycache:
            keycache[text] = variant_key(text)
        key = keycache[text]
        if not key:
            continue
        c = (key, str(label))
        surfaces[c][text] += 1
        if isinstance(entity, str) and entity:
            (linked if entity in kb_names or isinstance(kb_id, str) and kb_id else guesses)[c][entity] += 1
        if doc_id not in docs[c] and len(snippets[c]) < n_snippets and doc_id in texts:
            snippets[c].append(snippet(texts[doc_id], int(start), int(end)))
        docs[c].add(doc_id)
    ranked = sorted(docs, key=lambda c: (-len(docs[c]), -sum(surfaces[c].values()), c))
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out, "wb", mtime=0) as raw:
        with open_text(raw) as fh:
            w = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                           escapechar="\\")
            w.writerow(["rank", "key", "label", "doc_freq", "mentions", "variants", "entity",
                        "link_share", "guess", "kb_match"])
            for rank, c in enumerate(ranked, 1):
                n = sum(surfaces[c].values())
                top_entity, n_linked = (linked[c].most_common(1) or [("", 0)])[0]
                w.writerow([rank, c[0], c[1], len(docs[c]), n,
                            "|".join(f"{s}:{k}" for s, k in surfaces[c].most_common(12)),
                            top_entity, f"{n_linked / n:.2f}",
                            (guesses[c].most_common(1) or [("", 0)])[0][0],
                            kb_match(kb, surfaces[c].most_common(1)[0][0])])
    if snippets_out is not None:
        with open(snippets_out, "w", encoding="utf-8") as fh:
            for rank, c in enumerate(ranked, 1):
                fh.write(f"{rank}\t{c[0]}\t{c[1]}\t{' ‖ '.join(snippets[c])}\n")
    return len(ranked)


def kb_match(kb, text: str) -> str:
    """Names of the packaged KB entries an alias of which matches ``text`` exactly or by
    variant key (whatever the label): what the KB already knows of a cluster."""
    for step in ("kb", "kb_variant"):
        hits = kb.candidates(text, step)
        if hits:
            return "|".join(sorted({e.name for e in hits}))
    return ""


def open_text(raw):
    """A text wrapper over a binary stream (UTF-8)."""
    import io
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


def main(argv: List[str] | None = None) -> int:
    """Command line: ``sample`` or ``mine``."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--corpus", type=Path,
                   default=Path("../shared/data/saudinewsnet/saudinewsnet.jsonl.gz"))
    s.add_argument("--gold-dir", type=Path, default=Path("../shared/gold/dev"))
    s.add_argument("--n", type=int, default=6000)
    s.add_argument("--seed", type=int, default=15)
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--exclude", nargs="*", default=[], metavar="N:SEED",
                   help="leave out the articles of earlier samples, e.g. 6000:15")
    m = sub.add_parser("mine")
    m.add_argument("--run", type=Path, required=True, help="output dir of arabic-geo-nlp run")
    m.add_argument("--sample", type=Path, required=True)
    m.add_argument("--out", type=Path,
                   default=Path("arabic_geo_nlp/data/kb/review/news_clusters.tsv.gz"))
    m.add_argument("--kb-extra", type=Path, nargs="*",
                   default=sorted(Path("arabic_geo_nlp/data/kb/curated").glob("*.tsv")),
                   help="KB files kb_match also searches (default: data/kb/curated/*.tsv)")
    m.add_argument("--snippets", type=Path, help="also write context snippets here (keep it "
                   "outside the repository: raw CC BY-NC-SA article text)")
    a = p.parse_args(argv)
    if a.cmd == "sample":
        exclude = [tuple(int(x) for x in e.split(":")) for e in a.exclude]
        print(f"{sample(a.corpus, a.gold_dir, a.n, a.seed, a.out, exclude)} articles -> {a.out}")
    else:
        print(f"{mine(a.run, a.sample, a.out, a.snippets, a.kb_extra)} clusters -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
