"""Named-entity recognition: a trained CRF (``agn_ner``) then a gazetteer (``agn_gazetteer``).

Labels: PER, ORG, GPE, LOC, MISC. ``Span._.source`` says which stage found an entity
(``"model"`` or ``"gazetteer"``). Entities never include proclitics (:mod:`.spans`).

Merge rule (applied by ``agn_gazetteer`` on top of the model's entities):

1. A model ``LOC`` whose words spell a gazetteer ``GPE`` (country, city, state) becomes ``GPE``;
   the model's other labels are kept.
2. A gazetteer match that overlaps no model entity is added with the gazetteer's label,
   unless the name is mostly an ordinary word (a city called كان or المدينة: not *addable*).
3. A gazetteer match that strictly contains every model entity it overlaps replaces them
   (كوريا -> كوريا الشمالية); a match crossing a model entity's edge is dropped.
4. A descriptive institution or place name read from its words (هيئة السوق المالية, قضاء مرجعيون:
   :mod:`.institutions`, source ``"phrase"``) is added by the same rule: it replaces the entities it
   strictly contains (جيش | نيجيريا), unless one is a person, and is dropped when it crosses an entity.

Before that, a model ``PER`` right after a noun and a title that open the name of a place or
institution named after a person (مطار الملك | خالد الدولي, ``named_after.tsv``) is extended over
them and takes the noun's label (:func:`.gazetteer.named_after`).

The gazetteer includes the linking KB's aliases (:func:`.gazetteer.kb_entries`). A one-word
entity spelled as a function word (هو, على, كيف: ``gazetteer_stopwords.txt``) is never
kept from the model nor added from the gazetteer, nor is an entity that is only a month, a
currency, a religious formula, a lone title or a community (``never_entities.tsv``,
:func:`.gazetteer.is_never_entity`). An entity found on a piece of a dotted acronym (the بي of
بي.بي.سي, which the sentence splitter may cut at its dots) covers the whole acronym (:func:`join_acronyms`).

>>> import spacy, arabic_geo_nlp.tokenize, arabic_geo_nlp.ner
>>> nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
>>> _ = nlp.add_pipe("agn_ner"); _ = nlp.add_pipe("agn_gazetteer")
>>> doc = nlp("التقى الرئيس الروسي فلاديمير بوتين وكيم جونغ أون في موسكو.")
>>> [(e.text, e.label_) for e in doc.ents]
[('فلاديمير بوتين', 'PER'), ('كيم جونغ أون', 'PER'), ('موسكو', 'GPE')]
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from .gazetteer import Gazetteer, is_never_entity, is_stopword, letter_name, load_gazetteer, named_after
from .institutions import add_phrases
from .model import CRFTagger, bio_to_spans, default_model_dir
from .spans import split_proclitics

__all__ = ["NERComponent", "GazetteerComponent", "merge", "propagate", "join_acronyms", "sentence_words", "LABELS"]

LABELS = ("PER", "ORG", "GPE", "LOC", "MISC")
SpanTuple = Tuple[int, int, str, str]  # (start token, end token, label, source)


def sentence_words(doc: Doc) -> Tuple[List[List[int]], List[List[str]]]:
    """Token indices and texts of each sentence (whole doc without sentence boundaries),
    spaces left out; one pass over the tokens (as ``doc.sents``: a sentence starts at a
    token whose ``is_sent_start`` is True). Empty for a document whose ``doc._.language``
    is not Arabic: every NER backend and the gazetteer read words through here."""
    if doc._.language != "ar":
        return [], []
    split = doc.has_annotation("SENT_START")
    indices: List[List[int]] = []
    texts: List[List[str]] = []
    idx: List[int] = []
    words: List[str] = []
    for t in doc:
        if split and t.is_sent_start and t.i:
            indices.append(idx)
            texts.append(words)
            idx, words = [], []
        if not t.is_space:
            idx.append(t.i)
            words.append(t.text)
    if len(doc):
        indices.append(idx)
        texts.append(words)
    return indices, texts


def _set_ents(doc: Doc, spans: Sequence[SpanTuple]) -> Doc:
    """Set ``doc.ents`` (and ``Span._.source``) to ``spans`` without their proclitics
    (:func:`.spans.split_proclitics`), without one-word function-word entities and without
    entities that are never one (:func:`.gazetteer.is_never_entity`)."""
    spans = split_proclitics(doc, [sp for sp in join_acronyms(doc, spans) if not _is_function_word(doc, sp)
                                   and not is_never_entity(_span_words(doc, sp), sp[2])])
    ents = [Span(doc, s, e, label=label) for s, e, label, _ in spans]
    doc.ents = ents
    for ent, (_, _, _, source) in zip(ents, spans):
        ent._.source = source
    return doc


def _acronym_step(doc: Doc, piece: int, dot: int, other: int) -> bool:
    """True when ``doc[other]`` continues the dotted acronym of ``doc[piece]`` across ``doc[dot]``."""
    if not (0 <= other < len(doc)) or doc[dot].text != "." or not letter_name(doc[piece].text):
        return False
    kind = letter_name(doc[other].text)
    left = min(piece, other)
    tight = not doc[left].whitespace_ and not doc[dot].whitespace_
    return kind == "any" or (kind == "tight" and tight)


def join_acronyms(doc: Doc, spans: Sequence[SpanTuple]) -> List[SpanTuple]:
    """Extend each span that starts or ends on a letter name over the rest of its dotted acronym
    (بي . بي . سي, إف. بي. آي); spans it then overlaps are absorbed (the first one's label kept).

    >>> import spacy, arabic_geo_nlp.tokenize
    >>> nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
    >>> doc = nlp("قالت بي.بي.سي إن")
    >>> join_acronyms(doc, [(1, 2, "ORG", "model"), (3, 4, "ORG", "model")])
    [(1, 6, 'ORG', 'model')]
    """
    out: List[SpanTuple] = []
    for span in sorted(spans):
        s, e = span[0], span[1]
        while s >= 2 and _acronym_step(doc, s, s - 1, s - 2):
            s -= 2
        while _acronym_step(doc, e - 1, e, e + 1):
            e += 2
        if out and out[-1][1] > s:
            first = out.pop()
            s, e, span = min(s, first[0]), max(e, first[1]), first
        out.append((s, e, *span[2:]))
    return out


def _span_words(doc: Doc, span: SpanTuple) -> List[str]:
    return [t.text for t in doc[span[0]:span[1]] if not t.is_space]


def _is_function_word(doc: Doc, span: SpanTuple) -> bool:
    """True for a one-word entity spelled as a stop word (:func:`.gazetteer.is_stopword`)."""
    start, end = span[0], span[1]
    if end - start == 1:
        return is_stopword(doc[start].text)
    words = [t for t in doc[start:end] if not t.is_space]
    return len(words) == 1 and is_stopword(words[0].text)


def propagate(sentences: Sequence[Sequence[str]], found: Sequence[List[Tuple[int, int, str]]]
              ) -> List[List[Tuple[int, int, str]]]:
    """Document consistency: a name the model found once is tagged wherever it recurs untagged
    (with its most frequent label), and so is a person's last name alone.

    >>> propagate([["قال", "دونالد", "رامسفيلد"], ["وأضاف", "رامسفيلد"]], [[(1, 3, "PER")], []])
    [[(1, 3, 'PER')], [(1, 2, 'PER')]]
    """
    names: Counter = Counter()
    for words, spans in zip(sentences, found):
        for s, e, label in spans:
            names[(" ".join(words[s:e]), label)] += 1
            if label == "PER" and e - s > 1:
                names[(words[e - 1], label)] += 1
    gazetteer = Gazetteer((name, label, "document", True) for (name, label), _ in names.most_common())
    out = []
    for words, spans in zip(sentences, found):
        extra = [(s, e, label) for s, e, label, _ in gazetteer.match(words)
                 if not any(s < e2 and s2 < e for s2, e2, _ in spans)]
        out.append(sorted([*spans, *extra]))
    return out


class NERComponent:
    """Tags each sentence with the CRF, makes the document consistent (:func:`propagate`)
    and sets ``doc.ents`` (source ``"model"``)."""

    def __init__(self, model_dir: Optional[Path] = None):
        self.tagger = CRFTagger.load(Path(model_dir) if model_dir else default_model_dir())

    def __reduce__(self):
        """Pickled as its model folder (``nlp.pipe(n_process=2)`` ships the pipeline to workers)."""
        return NERComponent, (self.tagger.model_dir,)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Tag ``batch_size`` documents at a time (one batched CRF decoding), then each document
        gets its consistency step and entities as in ``__call__``."""
        for batch in minibatch(docs, size=batch_size):
            words = [sentence_words(doc) for doc in batch]
            tags = iter(self.tagger.tag_many([s for _, sentences in words for s in sentences]))
            for doc, (indices, sentences) in zip(batch, words):
                found = propagate(sentences, [bio_to_spans(next(tags)) for _ in sentences])
                spans = [(idx[s], idx[e - 1] + 1, label, "model")
                         for idx, sent in zip(indices, found) for s, e, label in sent]
                yield _set_ents(doc, spans)


def merge(words: Sequence[str], model: Sequence[SpanTuple], gazetteer: Gazetteer,
          matches: Optional[Sequence[Tuple[int, int, str, bool]]] = None) -> List[SpanTuple]:
    """The merge rule of this module's docstring (rules 1–3) over token spans of one word sequence;
    ``matches``: ``gazetteer.match(words)`` when the caller has it already.

    >>> gaz = Gazetteer([("كوريا الشمالية", "GPE", "country", True), ("موسكو", "GPE", "city", True)])
    >>> merge(["زار", "موسكو", "وكوريا", "الشمالية"], [(1, 2, "LOC", "model"), (2, 3, "LOC", "model")], gaz)
    [(1, 2, 'GPE', 'model'), (2, 4, 'GPE', 'gazetteer')]
    >>> merge(["وصل", "إلى", "مطار", "الملك", "خالد", "الدولي"], [(4, 6, "PER", "model")], gaz)
    [(2, 6, 'LOC', 'model')]
    """
    out = []
    taken = {i for s, e, *_ in model for i in range(s, e)}
    for s, e, label, source in model:
        hit = gazetteer.lookup(words[s:e]) if label == "LOC" else None
        label = "GPE" if hit and hit[0] == "GPE" else label
        named = named_after(words[s - 2], words[s - 1]) if label == "PER" and s >= 2 else None
        if named and not taken & {s - 2, s - 1}:
            s, label = s - 2, named
        out.append((s, e, label, source))
    for s, e, label, addable in (gazetteer.match(words) if matches is None else matches):
        if not addable or (e - s == 1 and is_stopword(words[s])):
            continue
        inside = [m for m in out if m[0] < e and s < m[1]]
        if all(s <= m[0] and m[1] <= e and (m[0], m[1]) != (s, e) for m in inside):
            out = [m for m in out if m not in inside] + [(s, e, label, "gazetteer")]
    return sorted(out)


class GazetteerComponent:
    """Relabels, adds and extends ``doc.ents`` from the gazetteers (see :func:`merge`)."""

    def __init__(self, gazetteer: Optional[Gazetteer] = None):
        self.gazetteer = gazetteer or load_gazetteer()

    def __call__(self, doc: Doc) -> Doc:
        by_first_token = {e.start: (e.end, e.label_, e._.source) for e in doc.ents}
        spans: List[SpanTuple] = []
        across: List[SpanTuple] = []   # entities across a sentence break (بي.بي.سي): kept as they are
        for idx, words in zip(*sentence_words(doc)):
            pos = {t: k for k, t in enumerate(idx)}
            model = []
            for s in idx:
                if s in by_first_token:
                    e, lab, src = by_first_token[s]
                    if e - 1 in pos:
                        model.append((pos[s], pos[e - 1] + 1, lab, src))
                    else:
                        across.append((s, e, lab, src))
            matches = self.gazetteer.match(words)
            merged = add_phrases(words, merge(words, model, self.gazetteer, matches),
                                 {s: (e, label) for s, e, label, addable in matches if addable})
            spans.extend((idx[s], idx[e - 1] + 1, lab, src) for s, e, lab, src in merged)
        spans = [sp for sp in spans if not any(sp[0] < e and s < sp[1] for s, e, *_ in across)]
        return _set_ents(doc, sorted(spans + across))


@Language.factory("agn_ner", default_config={"model_dir": None})
def make_ner(nlp: Language, name: str, model_dir: Optional[str]) -> NERComponent:
    """``nlp.add_pipe("agn_ner")``: the packaged model, or the one in ``model_dir``."""
    return NERComponent(Path(model_dir) if model_dir else None)


@Language.factory("agn_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> GazetteerComponent:
    """``nlp.add_pipe("agn_gazetteer")``: the package gazetteers and the merge rule."""
    return GazetteerComponent()
