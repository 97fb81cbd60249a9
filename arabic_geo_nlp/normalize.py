"""Character-level Arabic normalization that never loses track of the raw text.

Every rule is a switchable group of the character map in ``data/charmap.json``
(camel_tools style: the knowledge is data, the code is a table builder). The
functions here are pure and spaCy-free:

>>> normalize("وَأَعْلَنَ الرَّئِيسُ ١٢")
'واعلن الرييس 12'
>>> norm, offsets = normalize_with_offsets("إِنّ")
>>> norm, offsets
('ان', [0, 2, 4])

``offsets`` has one entry per normalized character (its raw index) plus a
final entry for the end, so the raw span of ``norm[i:j]`` is
``raw[offsets[i]:offsets[j]]`` (see :func:`raw_span`).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from typing import Dict, List, Optional, Tuple

__all__ = [
    "NormalizeOptions",
    "DEFAULT_OPTIONS",
    "normalize",
    "normalize_word",
    "normalize_with_offsets",
    "raw_span",
    "char_table",
]


@dataclass(frozen=True)
class NormalizeOptions:
    """Which normalization rules apply. Each field names a group of ``charmap.json``
    except ``presentation_forms`` (Unicode NFKC of Arabic presentation forms)."""

    presentation_forms: bool = True
    controls: bool = True
    diacritics: bool = True
    tatweel: bool = True
    alef: bool = True
    alef_maksura: bool = True
    teh_marbuta: bool = True
    hamza_carriers: bool = True
    persian_letters: bool = True
    digits: bool = True
    arabic_punct: bool = True

    @classmethod
    def from_dict(cls, cfg: Optional[Dict[str, bool]]) -> "NormalizeOptions":
        """Build options from a (partial) mapping; unknown keys raise ``ValueError``."""
        cfg = dict(cfg or {})
        known = {f.name for f in fields(cls)}
        unknown = set(cfg) - known
        if unknown:
            raise ValueError(f"Unknown normalization rule(s) {sorted(unknown)}; known: {sorted(known)}")
        return cls(**cfg)


DEFAULT_OPTIONS = NormalizeOptions()

# Presentation-form blocks (Arabic Presentation Forms-A and -B).
_PRESENTATION_RANGES = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


@lru_cache(maxsize=1)
def _charmap() -> dict:
    with resources.files("arabic_geo_nlp.data").joinpath("charmap.json").open(encoding="utf-8") as f:
        return json.load(f)


def _group_table(group: dict) -> Dict[str, str]:
    table = dict(group.get("map", {}))
    for rng in group.get("delete_ranges", []):
        lo, hi = (int(x, 16) for x in rng.split("-"))
        for cp in range(lo, hi + 1):
            table[chr(cp)] = ""
    return table


@lru_cache(maxsize=32)
def char_table(options: NormalizeOptions = DEFAULT_OPTIONS) -> Dict[str, str]:
    """The composed character table for ``options``: char -> replacement ('' deletes).

    Rules are applied to a fixpoint when the table is built, so applying the
    table once is already idempotent.
    """
    cmap = _charmap()
    base: Dict[str, str] = {}
    for f in fields(NormalizeOptions):
        if f.name != "presentation_forms" and getattr(options, f.name):
            base.update(_group_table(cmap[f.name]))

    def apply(s: str) -> str:
        for _ in range(8):
            t = "".join(base.get(c, c) for c in s)
            if t == s:
                return t
            s = t
        return s

    table = {c: apply(r) for c, r in base.items()}
    if options.presentation_forms:
        for lo, hi in _PRESENTATION_RANGES:
            for cp in range(lo, hi + 1):
                c = chr(cp)
                if c in table:
                    continue
                decomposed = unicodedata.normalize("NFKC", c)
                if decomposed != c:
                    table[c] = apply(decomposed.strip() if decomposed.strip() else decomposed)
    return {c: r for c, r in table.items() if r != c}


@lru_cache(maxsize=32)
def _translation(options: NormalizeOptions) -> dict:
    return str.maketrans(char_table(options))


def normalize(text: str, options: NormalizeOptions = DEFAULT_OPTIONS) -> str:
    """Normalize ``text`` (no offsets). Idempotent: ``normalize(normalize(t)) == normalize(t)``.

    >>> normalize("مُصْطَفَى")
    'مصطفي'
    """
    return text.translate(_translation(options))


@lru_cache(maxsize=50_000)
def normalize_word(word: str) -> str:
    """Default normalization of one token string, cached (used for ``Token.norm_``).

    A token made only of removable characters keeps its raw form, so a norm is never empty.
    """
    return normalize(word) or word


def normalize_with_offsets(
    text: str, options: NormalizeOptions = DEFAULT_OPTIONS
) -> Tuple[str, List[int]]:
    """Normalize and return ``(norm, offsets)`` mapping normalized to raw positions.

    ``offsets[i]`` is the raw index of the character that produced ``norm[i]``;
    ``offsets[len(norm)] == len(text)``.
    """
    table = char_table(options)
    if not any(c in table for c in text):
        return text, list(range(len(text) + 1))
    out: List[str] = []
    offsets: List[int] = []
    for i, c in enumerate(text):
        r = table.get(c, c)
        out.append(r)
        offsets.extend([i] * len(r))
    offsets.append(len(text))
    return "".join(out), offsets


def raw_span(offsets: List[int], start: int, end: int) -> Tuple[int, int]:
    """Raw ``(start, end)`` of the normalized slice ``[start:end]``.

    Characters deleted by normalization (diacritics, tatweel) that follow the
    slice's last character stay inside the raw span.

    >>> norm, offs = normalize_with_offsets("قالَ محمدٌ")
    >>> raw_span(offs, norm.index("محمد"), len(norm))
    (5, 10)
    """
    if end <= start:
        return offsets[start], offsets[start]
    raw_end = offsets[end]
    if raw_end <= offsets[end - 1]:
        raw_end = offsets[end - 1] + 1
    return offsets[start], raw_end
