"""Scoring a quotes table and an entities table against gold annotations (JSONL).

The matching rules are those of the project's reference scorer, so the figures are comparable
with the published ones:

- **Quotes.** A predicted quote matches a gold quote of the same document when their spans overlap
  by at least half of the gold span and at least 30% of the predicted span. Matching is one-to-one
  and greedy: required gold quotes first, then optional ones, each in file order, takes the unused
  prediction with the largest overlap (the first in table order on ties). A speaker is right when
  the predicted ``speaker`` or ``speaker_mention`` equals a gold alias after light normalisation or
  contains all its words (proclitics و ف ب ل ال stripped). Gold quotes marked ``optional`` are not
  required, and predictions matching them are not counted as spurious.
- **Entities.** Scored per document as sets: a gold entity is found when a predicted row's
  canonical name (``entity``) equals it (case-insensitively) or its normalised text equals one of
  the gold surfaces; distinct predictions (by canonical name, else normalised text) that match no
  gold entity are spurious. Precision is a lower bound: gold lists are not exhaustive.

>>> import pandas as pd
>>> gold = [dict(doc="d1", start=10, end=30, text="x" * 20, kind="direct", speaker_type="PER",
...              speaker="Ali", speaker_aliases=["Ali", "علي"], optional=False)]
>>> pred = pd.DataFrame(dict(doc_id=["d1"], start=[8], end=[30], speaker=["علي"], speaker_mention=["علي"]))
>>> report = score_quotes(pred, gold)
>>> report.overall.found, report.overall.right, report.by_kind["direct"].recall
(1, 1, 1.0)
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

import pandas as pd

__all__ = [
    "KINDS", "SPEAKER_TYPES", "ENTITY_LABELS", "light_normalize", "strip_proclitic", "speaker_matches",
    "quote_overlap", "match_quotes", "QuoteCounts", "QuoteReport", "score_quotes", "EntityCounts",
    "EntityReport", "score_entities", "read_gold", "read_table", "only_docs", "format_quote_report",
    "format_entity_report",
]

KINDS = ("direct", "indirect", "mixed")
SPEAKER_TYPES = ("PER", "ORG", "GPE", "GROUP")
ENTITY_LABELS = ("PER", "ORG", "GPE", "LOC")
# A match needs this share of the gold span and of the predicted span in common.
MIN_GOLD_SHARE = 0.5
MIN_PRED_SHARE = 0.3
# Tried in this order; the first one that leaves at least MIN_STEM characters is removed.
PROCLITICS = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
MIN_STEM = 3

_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_PUNCT = re.compile(r"[^\w\s]")
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
GOLD_FIELDS = {"quotes": ("doc", "start", "end", "speaker_aliases"), "entities": ("doc", "entity", "surfaces")}


# --- normalisation ----------------------------------------------------------------------------

def light_normalize(text: Any) -> str:
    """NFKC, no diacritics or tatweel, one alef/ya/ha/waw, casefolded, punctuation as spaces.

    >>> light_normalize("وزيرُ الخارجيّة، إيران")
    'وزير الخارجيه ايران'
    """
    s = unicodedata.normalize("NFKC", text if isinstance(text, str) else "" if _missing(text) else str(text))
    s = _DIACRITICS.sub("", s).translate(_LETTERS)
    return " ".join(_PUNCT.sub(" ", s.casefold()).split())


def _missing(value: Any) -> bool:
    """None, NaN or NA (a scalar)."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def strip_proclitic(token: str) -> str:
    """``token`` without its first matching proclitic (و ف ب ل ال …) if a stem of 3+ letters remains.

    >>> strip_proclitic("والرئيس"), strip_proclitic("وزير"), strip_proclitic("لها")
    ('رئيس', 'زير', 'لها')
    """
    for p in PROCLITICS:
        if token.startswith(p) and len(token) - len(p) >= MIN_STEM:
            return token[len(p):]
    return token


def _unclitic(normalized: str) -> str:
    return " ".join(strip_proclitic(t) for t in normalized.split())


def _text(value: Any) -> Optional[str]:
    """``value`` when it is a non-blank string (not NA/None)."""
    return value if isinstance(value, str) and value.strip() else None


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


def _optional(g: Mapping) -> bool:
    return bool(g.get("optional", False))


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


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class QuoteCounts:
    """Counts of one group of quotes; the scores are properties.

    ``gold``: required gold quotes; ``found``: those matched; ``right``: matched with the right
    speaker; ``spurious``: predictions matching no gold quote (in a group: of that predicted kind
    or speaker label).
    """

    gold: int = 0
    found: int = 0
    right: int = 0
    spurious: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.found, self.found + self.spurious)

    @property
    def recall(self) -> float:
        return _ratio(self.found, self.gold)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def attribution(self) -> float:
        """Share of the found quotes whose speaker is right."""
        return _ratio(self.right, self.found)

    @property
    def e2e_precision(self) -> float:
        return _ratio(self.right, self.found + self.spurious)

    @property
    def e2e_recall(self) -> float:
        return _ratio(self.right, self.gold)

    @property
    def e2e_f1(self) -> float:
        return _f1(self.e2e_precision, self.e2e_recall)

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
        def group(groups: Dict[str, QuoteCounts]) -> Dict[str, Any]:
            return {k: {**asdict(c), **c.scores()} for k, c in groups.items()}
        out = dict(self.summary(), by_kind=group(self.by_kind), by_speaker_type=group(self.by_speaker_type))
        if errors:
            out.update(missed=self.missed, wrong_speaker=self.wrong_speaker, spurious=self.spurious)
        return out


def _groups(names: Sequence[str], seen: Iterable[Any]) -> Dict[str, QuoteCounts]:
    extra = sorted({str(v) for v in seen if _text(v) and str(v) not in names})
    return {k: QuoteCounts() for k in (*names, *extra)}


def _cell(pred: pd.DataFrame, column: str, pos: int) -> Optional[str]:
    return _text(pred[column].iat[pos]) if column in pred else None


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


def _int(value: Any) -> Optional[int]:
    return None if _missing(value) else int(value)


def _gold_error(g: Mapping) -> Dict[str, Any]:
    return dict(doc=str(g["doc"]), start=g.get("start"), end=g.get("end"), kind=g.get("kind"),
                speaker_type=g.get("speaker_type"), speaker=g.get("speaker"), text=g.get("text", ""))


# --- entities ---------------------------------------------------------------------------------

@dataclass
class EntityCounts:
    """``gold``: required gold entities; ``found``: those matched; ``linked``: matched by canonical
    name; ``spurious``: distinct predictions matching no gold entity (lower-bound precision)."""

    gold: int = 0
    found: int = 0
    linked: int = 0
    spurious: int = 0

    @property
    def precision_lower(self) -> float:
        return _ratio(self.found, self.found + self.spurious)

    @property
    def recall(self) -> float:
        return _ratio(self.found, self.gold)

    @property
    def f1(self) -> float:
        return _f1(self.precision_lower, self.recall)

    @property
    def linked_rate(self) -> float:
        """Share of the required gold entities found by their canonical name."""
        return _ratio(self.linked, self.gold)

    def scores(self) -> Dict[str, float]:
        return dict(P_lower=self.precision_lower, R=self.recall, F1=self.f1, linked_rate=self.linked_rate)


@dataclass
class EntityReport:
    """Overall and per-label counts plus the errors: ``missed`` gold entities, ``unlinked`` ones
    (found by surface only) and ``spurious`` predictions."""

    overall: EntityCounts
    by_label: Dict[str, EntityCounts]
    missed: List[Dict[str, Any]] = field(default_factory=list)
    unlinked: List[Dict[str, Any]] = field(default_factory=list)
    spurious: List[Dict[str, Any]] = field(default_factory=list)

    def summary(self) -> Dict[str, Any]:
        """The overall figures under the reference scorer's JSON keys."""
        o = self.overall
        return dict(entities_gold=o.gold, entity_P_lower=o.precision_lower, entity_R=o.recall,
                    entity_F1=o.f1, entity_linked=o.linked_rate)

    def to_dict(self, errors: bool = False) -> Dict[str, Any]:
        out = dict(self.summary(), by_label={k: {**asdict(c), **c.scores()} for k, c in self.by_label.items()})
        if errors:
            out.update(missed=self.missed, unlinked=self.unlinked, spurious=self.spurious)
        return out


def _surface_keys(surfaces: Iterable[str]) -> Set[str]:
    norms = [light_normalize(s) for s in surfaces]
    return set(norms) | {_unclitic(n) for n in norms}


def score_entities(pred: pd.DataFrame, gold: Sequence[Mapping]) -> EntityReport:
    """Score an entities table (columns doc_id, text; entity, label when present) against gold
    entities (dicts as in the gold JSONL). Only the documents of the gold are scored.

    >>> gold = [dict(doc="d", entity="Iran", label="GPE", surfaces=["لإيران"], optional=False)]
    >>> pred = pd.DataFrame(dict(doc_id=["d", "d"], text=["إيران", "طهران"], entity=[None, "Tehran"],
    ...                          label=["GPE", "GPE"]))
    >>> r = score_entities(pred, gold)
    >>> r.overall.found, r.overall.linked, r.overall.spurious, r.overall.precision_lower
    (1, 0, 1, 0.5)
    """
    pred = pred.reset_index(drop=True)
    labels = sorted({str(g.get("label")) for g in gold if g.get("label")} - set(ENTITY_LABELS))
    report = EntityReport(EntityCounts(), {k: EntityCounts() for k in (*ENTITY_LABELS, *labels)})
    rows_of = pred.groupby(pred["doc_id"].astype(str), sort=False).indices
    for doc in sorted({str(g["doc"]) for g in gold}):
        rows = pred.iloc[rows_of.get(doc, [])]
        # key → (canonical name or None, normalised text, label) of the first row with that key
        keys: Dict[str, Tuple[Optional[str], str, Optional[str]]] = {}
        for pos in range(len(rows)):
            canon = _cell(rows, "entity", pos)
            text = light_normalize(rows["text"].iat[pos])
            keys.setdefault(canon.casefold() if canon else text, (canon, text, _cell(rows, "label", pos)))
        matched: Set[str] = set()
        for g in (g for g in gold if str(g["doc"]) == doc):
            hit, linked = _entity_hit(keys, g)
            if hit is not None:
                matched.add(hit)
            if _optional(g):
                continue
            counts = [c for c in (report.overall, report.by_label.get(str(g.get("label")))) if c is not None]
            for c in counts:
                c.gold += 1
                c.found += hit is not None
                c.linked += linked
            error = dict(doc=doc, entity=g["entity"], label=g.get("label"), surfaces=list(g["surfaces"]))
            if hit is None:
                report.missed.append(error)
            elif not linked:
                report.unlinked.append(dict(error, got=keys[hit][1]))
        for key, (canon, text, label) in keys.items():
            if key in matched:
                continue
            for c in (report.overall, report.by_label.get(str(label))):
                if c is not None:
                    c.spurious += 1
            report.spurious.append(dict(doc=doc, entity=canon, text=text, label=label))
    return report


def _entity_hit(keys: Mapping[str, Tuple[Optional[str], str, Optional[str]]],
                g: Mapping) -> Tuple[Optional[str], bool]:
    """The prediction key matching gold entity ``g`` (the first by canonical name, else the last by
    surface) and whether it matched by canonical name."""
    surfaces = _surface_keys(g["surfaces"])
    entity = str(g["entity"]).casefold()
    hit = None
    for key, (canon, text, _) in keys.items():
        if canon and canon.casefold() == entity:
            return key, True
        if text in surfaces or _unclitic(text) in surfaces:
            hit = key
    return hit, False


# --- files and reports ------------------------------------------------------------------------

def read_gold(path, table: str = "quotes", docs: Optional[Set[str]] = None) -> List[Dict[str, Any]]:
    """The gold items of a JSONL file (``table``: "quotes" or "entities"), of ``docs`` only if given.

    Raises ``ValueError`` naming the line when an item lacks a required field.
    """
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        missing = [f for f in GOLD_FIELDS[table] if f not in item]
        if missing:
            raise ValueError(f"{path}:{n}: gold {table} item without {', '.join(missing)}")
        if not docs or str(item["doc"]) in docs:
            items.append(item)
    return items


def read_table(path) -> pd.DataFrame:
    """A predicted table from .parquet (file or dataset folder), .csv or .jsonl/.json."""
    p = Path(path)
    if p.suffix == ".parquet":
        return pd.read_parquet(p)
    if p.suffix == ".csv":
        return pd.read_csv(p)
    if p.suffix in (".jsonl", ".json"):
        return pd.read_json(p, lines=p.suffix == ".jsonl")
    raise ValueError(f"cannot read {p}: want .parquet, .csv or .jsonl")


def only_docs(table: pd.DataFrame, docs: Optional[Set[str]]) -> pd.DataFrame:
    """The rows of ``table`` whose doc_id is in ``docs`` (all rows when ``docs`` is empty/None)."""
    return table if not docs else table[table["doc_id"].astype(str).isin(docs)].reset_index(drop=True)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [list(header)] + [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
                     for r in cells)


def _clip(text: Any, n: int = 70) -> str:
    return " ".join(str(text or "").split())[:n]


def format_quote_report(report: QuoteReport, show_errors: bool = False) -> str:
    """A readable table (overall, per kind, per speaker type; groups with nothing to score left out)
    and, with ``show_errors``, the errors."""
    header = ("quotes", "gold", "found", "right", "spurious", "P", "R", "F1", "attribution", "e2e P", "e2e R",
              "e2e F1")
    groups = [("overall", report.overall)] + [(f"kind {k}", c) for k, c in report.by_kind.items()] + \
             [(f"speaker {k}", c) for k, c in report.by_speaker_type.items()]
    rows = [(name, c.gold, c.found, c.right, c.spurious, *c.scores().values())
            for name, c in groups if name == "overall" or c.gold or c.spurious]
    lines = [_table(header, rows), f"{report.n_pred} predicted quotes"]
    if show_errors:
        lines += [f"MISSED   [{e['doc']}] {e['speaker']} ({e['kind']}): {_clip(e['text'])}" for e in report.missed]
        lines += [f"SPEAKER  [{e['doc']}] want {e['speaker']!r} got {e['got']!r} / {e['got_mention']!r}: "
                  f"{_clip(e['text'], 50)}" for e in report.wrong_speaker]
        lines += [f"SPURIOUS [{e['doc']}] {e['speaker']!r} ({e['kind']}): {_clip(e['text'])}" for e in report.spurious]
    return "\n".join(lines)


def format_entity_report(report: EntityReport, show_errors: bool = False) -> str:
    """A readable table (overall, per label; labels with nothing to score left out) and, with
    ``show_errors``, the errors."""
    header = ("entities", "gold", "found", "linked", "spurious", "P lower", "R", "F1", "linked rate")
    groups = [("overall", report.overall)] + [(f"label {k}", c) for k, c in report.by_label.items()]
    rows = [(name, c.gold, c.found, c.linked, c.spurious, *c.scores().values())
            for name, c in groups if name == "overall" or c.gold or c.spurious]
    lines = [_table(header, rows)]
    if show_errors:
        lines += [f"MISSED   [{e['doc']}] {e['entity']} ({e['label']})" for e in report.missed]
        lines += [f"UNLINKED [{e['doc']}] {e['entity']} ({e['label']}) found as {e['got']!r}" for e in report.unlinked]
        lines += [f"SPURIOUS [{e['doc']}] {e['entity'] or e['text']} ({e['label']})" for e in report.spurious]
    return "\n".join(lines)
