"""Entity spans without their proclitics.

Convention: an entity starts after the nominal proclitics (و ف ب ك ل) of its first
word, never after س, which attaches to verbs (ستيمسون keeps its س). A written
article stays (والصين -> الصين), but the article fused with ل as لل is cut together
with it (للكرملين -> كرملين). The first word is then split into two tokens, so ``doc.ents``
stay token-aligned and ``ent.start_char`` moves.

Only what the clitic analysis (:func:`arabic_geo_nlp.clitics.analyze`) reads as a nominal
proclitic is cut, and never a letter of a known name (the gazetteers and the linking KB's
aliases, :func:`.gazetteer.load_gazetteer`): nothing is cut when the entity as written
spells a known name (بيونج يانج), or when its first word as written is a word of a known
name (واشنطن, لبنان, بيونج) or a given name (وائل: :func:`.gazetteer.given_names`) or a
name of the name lexicon (لاري: :func:`.gazetteer.load_name_lexicon`) that the word without
the proclitic is not (و + عثمان, و + أبو are cut), and the word without the proclitic is not
a whole name. Of
stacked proclitics only those before a known name go (وبيونج يانج -> بيونج يانج).

>>> import spacy, arabic_geo_nlp.tokenize
>>> nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
>>> doc = nlp("زار وإسرائيل وواشنطن")
>>> doc.ents = [doc.char_span(4, 12, "GPE"), doc.char_span(13, 20, "GPE")]
>>> doc = trim_proclitics(doc)
>>> [(e.text, e.start_char) for e in doc.ents], [t.text for t in doc]
([('إسرائيل', 5), ('واشنطن', 14)], ['زار', 'و', 'إسرائيل', 'و', 'واشنطن'])
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Dict, List, Sequence, Tuple, TypeVar

from functools import lru_cache

from spacy.tokens import Doc, Span

from .gazetteer import given_names, load_gazetteer, load_name_lexicon, proclitic_length, stripped_key, word_key

__all__ = ["proclitic_cut", "trim_span", "trim_proclitics", "split_proclitics"]

SpanT = TypeVar("SpanT", bound=tuple)


def proclitic_cut(word: str, rest: Sequence[str] = ()) -> int:
    """How many leading characters of an entity's first word are left out of the entity
    (``rest``: the entity's other words).

    >>> [proclitic_cut(w) for w in ("وإسرائيل", "للكرملين", "ستيمسون", "بيونج", "واشنطن")]
    [1, 2, 0, 0, 0]
    >>> proclitic_cut("بيونج", ["يانج"]), proclitic_cut("لبيونج", ["يانج"])
    (0, 1)
    >>> proclitic_cut("وائل"), proclitic_cut("لاري", ["بيدج"]), proclitic_cut("وجون", ["كيري"])
    (0, 0, 1)
    """
    return _proclitic_cut(word, tuple(rest))


@lru_cache(maxsize=100_000)
def _proclitic_cut(word: str, rest: Tuple[str, ...]) -> int:
    cut = proclitic_length(word)
    if cut == 0 or cut >= len(word):
        return 0
    gaz = load_gazetteer()
    rest_keys = tuple(word_key(w) for w in rest)
    written, stripped = word_key(word), stripped_key(word)
    shorter = [(k, word_key(word[k:])) for k in range(1, cut) if word_key(word[:k]) and word_key(word[k:])]
    if gaz.has_name((written,) + rest_keys):
        return 0
    for k, key in shorter:                       # وبيونج يانج: و goes, the ب of بيونج stays
        if gaz.has_name((key,) + rest_keys):
            return k
    if gaz.has_name((stripped,) + rest_keys):
        return cut
    given, names = given_names(), load_name_lexicon()
    if stripped not in given and (written in given or (written in names and stripped not in names)):
        return 0                                 # وائل, لاري: names as written (but و + عثمان)
    if gaz.has_name_word(written) and not gaz.has_word(stripped):
        return 0
    for k, key in shorter:
        if gaz.has_name_word(key) and not gaz.has_name_word(stripped):
            return k
    return cut


def _entity_cut(ent: Span) -> int:
    return proclitic_cut(ent[0].text, [t.text for t in ent[1:] if not t.is_space])


def trim_span(span: Span) -> Tuple[int, int]:
    """Character ``(start, end)`` of ``span`` without the proclitics of its first word."""
    return span.start_char + _entity_cut(span), span.end_char


def trim_proclitics(doc: Doc) -> Doc:
    """Split each entity's first token after its proclitics and re-anchor ``doc.ents``
    (labels and ``Span._.source`` kept; :func:`split_proclitics` on the set entities). Returns ``doc``."""
    ents = [(e.start, e.end, e.label_, e._.source) for e in doc.ents]
    trimmed = split_proclitics(doc, ents)
    if trimmed == ents:
        return doc
    doc.ents = [Span(doc, start, end, label=label) for start, end, label, _ in trimmed]
    for ent, (*_, source) in zip(doc.ents, trimmed):
        ent._.source = source
    return doc


def split_proclitics(doc: Doc, spans: Sequence[SpanT]) -> List[SpanT]:
    """:func:`trim_proclitics` for token spans ``(start, end, ...)`` not yet set as ``doc.ents``
    (sorted, non-overlapping, starting on a non-space token): splits the first tokens in
    ``doc`` and returns the spans re-indexed to start after the proclitics (other fields kept).

    >>> import spacy, arabic_geo_nlp.tokenize
    >>> nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
    >>> doc = nlp("زار وإسرائيل وواشنطن")
    >>> split_proclitics(doc, [(1, 2, "GPE"), (2, 3, "GPE")]), [t.text for t in doc]
    ([(2, 3, 'GPE'), (4, 5, 'GPE')], ['زار', 'و', 'إسرائيل', 'و', 'واشنطن'])
    """
    cuts: Dict[int, int] = {}
    for span in spans:
        start, end = span[0], span[1]
        rest = tuple(t.text for t in doc[start + 1:end] if not t.is_space) if end - start > 1 else ()
        cut = _proclitic_cut(doc[start].text, rest)
        if cut:
            cuts[start] = cut
    if not cuts:
        return list(spans)
    with doc.retokenize() as retok:
        for i, cut in cuts.items():
            tok = doc[i]
            retok.split(tok, [tok.text[:cut], tok.text[cut:]], heads=[(tok, 1), (tok, 1)])
    split = sorted(cuts)
    out = []
    for span in spans:
        start, end = span[0], span[1]
        before = bisect_left(split, start)          # split tokens ahead of the span
        new_start = start + before + (start in cuts)
        out.append((new_start, end + bisect_left(split, end), *span[2:]))
    return out
