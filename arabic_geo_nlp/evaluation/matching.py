"""Shared pieces of the evaluation: constants, light normalisation and counts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Dict, Mapping, Optional

import pandas as pd

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


def _cell(table: pd.DataFrame, column: str, pos: int) -> Optional[str]:
    """The text in ``column`` at row ``pos`` when the column exists and the cell is a non-blank string."""
    return _text(table[column].iat[pos]) if column in table else None


def _optional(g: Mapping) -> bool:
    """Whether gold item ``g`` is marked optional (not required, not counted when missed)."""
    return bool(g.get("optional", False))


def _int(value: Any) -> Optional[int]:
    return None if _missing(value) else int(value)


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Counts:
    """``gold`` required items, ``found`` of them matched, ``spurious`` predictions matching none;
    precision, recall and F1 are properties."""

    gold: int = 0
    found: int = 0
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




def _group_scores(groups: Mapping[str, Any]) -> Dict[str, Dict[str, Any]]:
    """JSON-ready counts and scores of each group (Counts subclasses with a ``scores()`` method)."""
    return {k: {**asdict(c), **c.scores()} for k, c in groups.items()}
