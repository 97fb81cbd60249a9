"""Cost linear in document length: a document k times longer takes about k times as long.

A ratio of two timings taken in one process, never an absolute time: the machine's
speed cancels out. Each timing is this process's CPU time (other jobs' load does not
count) and the best of a few runs after a warm-up, so a momentary spike does not decide.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Tuple

import arabic_geo_nlp as agn
from arabic_geo_nlp.pipeline import SECTION_CHARS

TEXTS = Path(__file__).parent / "texts"
COPIES = 8
# Linear cost gives a ratio near COPIES; the quadratic speaker linking this guards against gave 33.
MAX_RATIO = 10.0


def _best_seconds(nlp, text: str, runs: int) -> Tuple[float, agn.Result]:
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        result = agn.process([text], nlp=nlp)
        best = min(best, time.process_time() - t0)
    return best, result


def test_time_grows_linearly_with_document_length(nlp):
    """Hand-written articles with quotes, speakers and entities, joined into one document
    (~3,300 characters), against the same document repeated 8 times (below the size at
    which ``process`` cuts a document into sections, so every component sees it whole)."""
    one = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in sorted(TEXTS.glob("*.txt")))
    long = "\n\n".join([one] * COPIES)
    assert len(long) < SECTION_CHARS
    _best_seconds(nlp, long, 1)  # warm caches
    short_s, short = _best_seconds(nlp, one, 5)
    long_s, result = _best_seconds(nlp, long, 3)
    assert result.documents["n_quotes"].iloc[0] == COPIES * short.documents["n_quotes"].iloc[0] > 0
    assert long_s / short_s <= MAX_RATIO, f"{COPIES}x document took {long_s / short_s:.1f}x the time"
