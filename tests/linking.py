"""Shared helpers of the entity-linking tests (tests/test_link_*.py)."""

from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import spacy
from spacy.tokens import Doc


def blank_nlp(**config) -> spacy.language.Language:
    """A blank Arabic pipeline with the package tokenizer and ``agn_linker`` (``config`` for it)."""
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
    nlp.add_pipe("agn_linker", config=config)
    return nlp


KB_HEADER = "id\tname\ttype\taliases\tdescription\troles\tcountry\n"


def write_kb(path: Path, rows: Sequence[str]) -> str:
    """A user KB file at ``path``: the header line, then ``rows`` (tab-separated lines); its path as str."""
    path.write_text(KB_HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return str(path)


def annotate(nlp, text: str, mentions: Sequence[Tuple[str, str]], occurrence: Sequence[int] = ()) -> Doc:
    """``text`` with ``doc.ents`` set to ``mentions`` ((surface, label), the n-th occurrence given
    by ``occurrence``, default the first after the previous mention), then run through ``nlp``."""
    doc = nlp.make_doc(text)
    spans, pos = [], 0
    for i, (surface, label) in enumerate(mentions):
        start = text.index(surface, pos)
        for _ in range(occurrence[i] if i < len(occurrence) else 0):
            start = text.index(surface, start + 1)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        spans.append(span)
        pos = start + len(surface)
    doc.ents = spans
    return nlp(doc)


def links(doc: Doc) -> List[Tuple[str, Optional[str], Optional[str]]]:
    return [(e.text, e._.entity, e._.linked_by) for e in doc.ents]

