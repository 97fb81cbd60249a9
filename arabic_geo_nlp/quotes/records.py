"""The quote record: one plain dict per quotation (msgpack-safe: str, int, None only).

Keys are the quotes-table columns (see :mod:`arabic_geo_nlp.frames`): ``start``, ``end``, ``text``,
``kind``, ``cue``, ``speaker`` (canonical English name when linked, else the Arabic name),
``speaker_mention``, ``speaker_start``, ``speaker_end``, ``speaker_label``, ``speaker_role``,
``attribution``, ``speaker_kb_id``, ``cue_start``, ``cue_end``.

>>> from arabic_geo_nlp.quotes.speakers import Mention, Speaker
>>> raw = "قال الكرملين: نعم."
>>> m = Mention(4, 12, "الكرملين", "ORG", "org", 1, 2)
>>> rec = quote_record(raw, 14, 17, "direct", (0, 3), Speaker("الكرملين", m, "explicit"))
>>> rec["text"], rec["speaker"], rec["speaker_start"], rec["cue"], rec["attribution"]
('نعم', 'الكرملين', 4, 'قال', 'explicit')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple, Union

from .lexicon import Cue
from .spans import QuoteMark
from .speakers import Mention, Speaker

__all__ = ["Candidate", "quote_record", "QuoteRecord"]

QuoteRecord = Dict[str, Union[str, int, None]]


@dataclass(frozen=True)
class Candidate:
    """A quotation before speaker resolution."""

    start: int
    end: int
    kind: str                      # direct | indirect | mixed
    at: int                        # char offset where the attribution is (cue or line start)
    cover: Tuple[int, int]         # chars this quotation owns (cues inside are not new quotations)
    cue: Optional[Tuple[int, int]] = None
    cue_form: Optional[Cue] = None
    mention: Optional[Mention] = None
    mark: Optional[QuoteMark] = None
    continuation: bool = False


def quote_record(raw: str, start: int, end: int, kind: str, cue: Optional[Tuple[int, int]],
                 speaker: Speaker, label: Optional[str] = None) -> QuoteRecord:
    """The dict for ``raw[start:end]`` said by ``speaker``; ``cue`` is the cue's char span."""
    m = speaker.mention
    return {
        "start": start, "end": end, "text": raw[start:end], "kind": kind,
        "cue": raw[cue[0]:cue[1]] if cue else None,
        "speaker": speaker.name, "speaker_mention": raw[m.start:m.end],
        "speaker_start": m.start, "speaker_end": m.end,
        "speaker_label": label or m.label, "speaker_role": m.role, "attribution": speaker.attribution,
        "speaker_kb_id": speaker.kb_id,
        "cue_start": cue[0] if cue else None, "cue_end": cue[1] if cue else None,
    }
