"""Reading gold and predicted tables, and formatting reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Set

import pandas as pd

from .entities import EntityReport
from .matching import GOLD_FIELDS
from .quotes import QuoteReport


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
