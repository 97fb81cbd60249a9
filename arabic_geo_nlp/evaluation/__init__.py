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

from .entities import EntityCounts, EntityReport, score_entities
from .matching import ENTITY_LABELS, KINDS, SPEAKER_TYPES, Counts, light_normalize, strip_proclitic
from .quotes import QuoteCounts, QuoteReport, match_quotes, quote_overlap, score_quotes, speaker_matches
from .report import format_entity_report, format_quote_report, only_docs, read_gold, read_table

__all__ = [
    "Counts", "KINDS", "SPEAKER_TYPES", "ENTITY_LABELS", "light_normalize", "strip_proclitic", "speaker_matches",
    "quote_overlap", "match_quotes", "QuoteCounts", "QuoteReport", "score_quotes", "EntityCounts",
    "EntityReport", "score_entities", "read_gold", "read_table", "only_docs", "format_quote_report",
    "format_entity_report",
]
