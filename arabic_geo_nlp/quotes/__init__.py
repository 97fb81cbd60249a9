"""Quotation extraction and speaker attribution (component ``agn_quotes``).

Fills ``doc._.quotes`` with one plain dict per direct, indirect or mixed quotation (see
:mod:`.records` for the keys). The patterns are in :mod:`.extract`, quote marks and content
extents in :mod:`.spans`, speaker noun phrases in :mod:`.mentions`, the resolution steps in :mod:`.speakers`, the cue lexicon
(data files ``quote_*.tsv|json``) in :mod:`.lexicon`. Works on whatever ``doc.ents`` holds; when
the linker (``arabic_geo_nlp.link.link_mention``) is importable, speakers get canonical names.

>>> import arabic_geo_nlp as agn
>>> nlp = agn.load()
>>> doc = nlp("ويقول سيرجي ماركوف، المستشار السابق للكرملين: “هذا ما تحتاج إليه روسيا”.")
>>> [(q["text"], q["speaker"], q["speaker_role"], q["attribution"]) for q in doc._.quotes]
[('هذا ما تحتاج إليه روسيا', 'Sergei Markov', 'المستشار السابق للكرملين', 'explicit')]
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from .extract import Extractor
from .records import QuoteRecord, quote_record
from .speakers import Speaker, resolve

__all__ = ["QuoteExtractor", "extract_quotes"]

GUESS = "guess"  # the linker's ``linked_by`` for a romanized guess of an unknown name


def _link_function(doc: Doc) -> Optional[Callable]:
    """``arabic_geo_nlp.link.link_mention`` when the linker has run on ``doc``, else None."""
    if not any(ent._.linked_by for ent in doc.ents):
        return None
    try:
        from ..link import link_mention
    except ImportError:
        return None
    return link_mention


def _linked(doc: Doc, sp: Speaker, link_mention: Optional[Callable],
            ents: Dict[Tuple[int, int], Span]) -> Tuple[Speaker, Optional[str]]:
    """The speaker with its canonical name and KB id when linking knows it; and a label from the KB.

    ``ents`` maps ``(start_char, end_char)`` to the doc's entity spans (built once per doc:
    ``doc.ents`` walks every token).
    """
    if sp.label == "GROUP":
        return sp, None
    m = sp.mention
    ent = ents.get((m.start, m.end))
    if ent is not None and ent._.entity and ent._.linked_by != GUESS and sp.name == m.text:
        return Speaker(ent._.entity, m, sp.attribution, ent._.kb_id), None
    if link_mention is None:
        return sp, None
    link = link_mention(doc, sp.name, None if m.label == "PER" and m.kind == "org" else m.label)
    if link is None or not getattr(link, "entity", None) or getattr(link, "linked_by", None) == GUESS:
        return sp, None  # a romanized guess is not a canonical name: keep the Arabic mention
    label = link.type if getattr(link, "type", None) in ("PER", "ORG", "GPE") else None
    return Speaker(link.entity, m, sp.attribution, link.kb_id), label


def extract_quotes(doc: Doc) -> List[QuoteRecord]:
    """The quote records of ``doc`` in text order."""
    ex = Extractor(doc)
    link_mention = _link_function(doc)
    ents = {(e.start_char, e.end_char): e for e in doc.ents}
    out: List[QuoteRecord] = []
    previous: Optional[Speaker] = None
    for c in ex.candidates():
        sp = resolve(ex.ctx, ex.registry, c.mention, c.cue_form, c.at, previous if c.continuation else None)
        if sp is None:
            continue
        ex.registry.add_speaker(max(c.at, c.end), sp)
        previous = sp
        shown, label = _linked(doc, sp, link_mention, ents)
        out.append(quote_record(ex.text, c.start, c.end, c.kind, c.cue, shown, label))
    return out


class QuoteExtractor:
    """Sets ``doc._.quotes`` (see :func:`extract_quotes`); none for a non-Arabic ``doc._.language``."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = extract_quotes(doc) if doc._.language == "ar" else []
        return doc


@Language.factory("agn_quotes")
def make_quotes(nlp: Language, name: str) -> QuoteExtractor:
    """Registered factory: ``nlp.add_pipe("agn_quotes")`` (after NER and linking when present)."""
    return QuoteExtractor()
