"""Quotes scored against gold: one-to-one span matching and speaker checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Sequence, Set, Tuple

import pandas as pd

from .matching import (
    KINDS, MIN_GOLD_SHARE, MIN_PRED_SHARE, SPEAKER_TYPES, Counts, _cell, _group_scores, _int, _missing, _optional,
    _ratio, _text, light_normalize, strip_proclitic,
)


# --- quotes -----------------------------------------------------------------------------------

def speaker_matches(speaker: Any, mention: Any, aliases: Iterable[str]) -> bool:
    """Whether the predicted canonical name or mention names the gold speaker (one of ``aliases``).

    >>> speaker_matches(None, "وقال وزير الخارجية الإيراني محمد جواد ظريف", ["محمد جواد ظريف"])
    True
    >>> speaker_matches("Iran", "إيران", ["Mohammad Javad Zarif", "ظريف"])
    False
    """
    aliases = [a for a in map(light_normalize, aliases) if a]
    for cand in filter(None, (_text(speaker), _text(mention))):
        norm = light_normalize(cand)
        words = set(norm.split()) | {strip_proclitic(t) for t in norm.split()}
        if any(norm == a or set(a.split()) <= words for a in aliases):
            return True
    return False


def quote_overlap(gold_span: Tuple[int, int], pred_span: Tuple[int, int]) -> int:
    """Characters in common when they reach both thresholds (half the gold, 30% of the predicted span), else 0.

    >>> quote_overlap((0, 100), (40, 100)), quote_overlap((0, 100), (60, 100)), quote_overlap((0, 10), (0, 40))
    (60, 0, 0)
    """
    inter = min(gold_span[1], pred_span[1]) - max(gold_span[0], pred_span[0])
    if inter <= 0:
        return 0
    gold_len, pred_len = gold_span[1] - gold_span[0], max(1, pred_span[1] - pred_span[0])
    return inter if inter >= MIN_GOLD_SHARE * gold_len and inter >= MIN_PRED_SHARE * pred_len else 0


def match_quotes(pred: pd.DataFrame, gold: Sequence[Mapping]) -> Dict[int, int]:
    """Gold index → position of its matching predicted row, matched one-to-one and greedily
    (required gold first, then optional, each in order; largest overlap, first row on ties).

    >>> pred = pd.DataFrame(dict(doc_id=["d", "d"], start=[0, 0], end=[10, 12]))
    >>> match_quotes(pred, [dict(doc="d", start=0, end=10), dict(doc="d", start=2, end=12)])
    {0: 0, 1: 1}
    """
    by_doc: Dict[str, List[Tuple[int, int, int]]] = {}
    for pos, (doc, start, end) in enumerate(zip(pred["doc_id"].astype(str), pred["start"], pred["end"])):
        if not (_missing(start) or _missing(end)):
            by_doc.setdefault(doc, []).append((pos, int(start), int(end)))
    order = [i for i, g in enumerate(gold) if not _optional(g)] + [i for i, g in enumerate(gold) if _optional(g)]
    used: Set[int] = set()
    pairs: Dict[int, int] = {}
    for i in order:
        g = gold[i]
        best, best_overlap = None, 0
        for pos, start, end in by_doc.get(str(g["doc"]), ()):
            overlap = quote_overlap((int(g["start"]), int(g["end"])), (start, end)) if pos not in used else 0
            if overlap > best_overlap:
                best, best_overlap = pos, overlap
        if best is not None:
            used.add(best)
            pairs[i] = best
    return pairs


@dataclass
class QuoteCounts(Counts):
    """Counts of one group of quotes; ``right``: matched with the right speaker; ``spurious`` in a
    group counts the predictions of that predicted kind or speaker label."""

    right: int = 0

    @property
    def attribution(self) -> float:
        """Share of the found quotes whose speaker is right."""
        return _ratio(self.right, self.found)

    @property
    def e2e(self) -> Counts:
        """End to end as plain counts: found only with the right speaker, every other prediction spurious."""
        return Counts(self.gold, self.right, self.found + self.spurious - self.right)

    @property
    def e2e_precision(self) -> float:
        return self.e2e.precision

    @property
    def e2e_recall(self) -> float:
        return self.e2e.recall

    @property
    def e2e_f1(self) -> float:
        return self.e2e.f1

    def scores(self) -> Dict[str, float]:
        return dict(P=self.precision, R=self.recall, F1=self.f1, attribution=self.attribution,
                    e2e_P=self.e2e_precision, e2e_R=self.e2e_recall, e2e_F1=self.e2e_f1)


@dataclass
class QuoteReport:
    """Overall and per-group counts plus the errors (dicts with doc, text and speakers)."""

    n_pred: int
    overall: QuoteCounts
    by_kind: Dict[str, QuoteCounts]
    by_speaker_type: Dict[str, QuoteCounts]
    missed: List[Dict[str, Any]] = field(default_factory=list)
    wrong_speaker: List[Dict[str, Any]] = field(default_factory=list)
    spurious: List[Dict[str, Any]] = field(default_factory=list)

    def summary(self) -> Dict[str, Any]:
        """The overall figures under the reference scorer's JSON keys."""
        o = self.overall
        return dict(quotes_gold=o.gold, quotes_pred=self.n_pred, quote_P=o.precision, quote_R=o.recall,
                    quote_F1=o.f1, attribution_acc=o.attribution, e2e_P=o.e2e_precision,
                    e2e_R=o.e2e_recall, e2e_F1=o.e2e_f1)

    def to_dict(self, errors: bool = False) -> Dict[str, Any]:
        """JSON-ready: the summary, each group's counts and scores, and (``errors``) the error lists."""
        out = dict(self.summary(), by_kind=_group_scores(self.by_kind), by_speaker_type=_group_scores(self.by_speaker_type))
        if errors:
            out.update(missed=self.missed, wrong_speaker=self.wrong_speaker, spurious=self.spurious)
        return out


def _groups(names: Sequence[str], seen: Iterable[Any]) -> Dict[str, QuoteCounts]:
    extra = sorted({str(v) for v in seen if _text(v) and str(v) not in names})
    return {k: QuoteCounts() for k in (*names, *extra)}


def score_quotes(pred: pd.DataFrame, gold: Sequence[Mapping]) -> QuoteReport:
    """Score a quotes table (columns doc_id, start, end; speaker, speaker_mention, kind,
    speaker_label, text when present) against gold quotes (dicts as in the gold JSONL).

    Every predicted row counts, whatever its document: filter with :func:`only_docs` first.
    Groups: a gold quote counts in its ``kind`` and ``speaker_type``; a spurious prediction in
    its predicted ``kind`` and ``speaker_label``.
    """
    pred = pred.reset_index(drop=True)
    pairs = match_quotes(pred, gold)
    pred_kind = [_cell(pred, "kind", p) for p in range(len(pred))]
    pred_type = [_cell(pred, "speaker_label", p) for p in range(len(pred))]
    required = [(i, g) for i, g in enumerate(gold) if not _optional(g)]
    by_kind = _groups(KINDS, [g.get("kind") for _, g in required] + pred_kind)
    by_type = _groups(SPEAKER_TYPES, [g.get("speaker_type") for _, g in required] + pred_type)
    report = QuoteReport(len(pred), QuoteCounts(), by_kind, by_type)
    for i, g in required:
        counts = [report.overall, by_kind.get(str(g.get("kind"))), by_type.get(str(g.get("speaker_type")))]
        counts = [c for c in counts if c is not None]
        for c in counts:
            c.gold += 1
        if i not in pairs:
            report.missed.append(_gold_error(g))
            continue
        pos = pairs[i]
        right = speaker_matches(_cell(pred, "speaker", pos), _cell(pred, "speaker_mention", pos),
                                g.get("speaker_aliases") or ())
        for c in counts:
            c.found += 1
            c.right += right
        if not right:
            report.wrong_speaker.append(dict(_gold_error(g), got=_cell(pred, "speaker", pos),
                                             got_mention=_cell(pred, "speaker_mention", pos)))
    matched = set(pairs.values())
    for pos in range(len(pred)):
        if pos in matched:
            continue
        report.overall.spurious += 1
        for groups, key in ((by_kind, pred_kind[pos]), (by_type, pred_type[pos])):
            if key in groups:
                groups[key].spurious += 1
        report.spurious.append(dict(doc=str(pred["doc_id"].iat[pos]), start=_int(pred["start"].iat[pos]),
                                    end=_int(pred["end"].iat[pos]), kind=pred_kind[pos],
                                    speaker=_cell(pred, "speaker", pos), text=_cell(pred, "text", pos) or ""))
    return report


def _gold_error(g: Mapping) -> Dict[str, Any]:
    return dict(doc=str(g["doc"]), start=g.get("start"), end=g.get("end"), kind=g.get("kind"),
                speaker_type=g.get("speaker_type"), speaker=g.get("speaker"), text=g.get("text", ""))


