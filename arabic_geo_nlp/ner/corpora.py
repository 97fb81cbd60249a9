"""Readers for the NER corpora (ANERcorp, AQMAR, Wojood) and the fixed ANERcorp split.

Every reader yields :class:`Sentence` objects: the corpus tokens and one BIO tag
per token, already mapped to our label set (``PER ORG LOC MISC``; corpora that
know ``GPE`` keep it). :func:`sentence_to_doc` turns a sentence into a spaCy
``Doc`` tokenized by *our* tokenizer (so the model sees run-time tokens), with the
gold entities as ``doc.ents``.

>>> sents = list(read_conll_lines(["فرانكفورت B-LOC", "(د O", "أعلن O", "اتحاد B-ORG",
...                                 "صناعة I-ORG", ". O", "قال O", "بوتين B-PERS"], sentence_sep="."))
>>> [s.spans() for s in sents]
[[(0, 1, 'LOC'), (3, 5, 'ORG')], [(1, 2, 'PER')]]

The ANERcorp split (documented in ``models/ner/MODEL_CARD.md``) cuts the token
stream into sentences at ``.`` tokens; test starts at the first sentence boundary
after token 125,000, dev at the first boundary after token 112,500.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc

__all__ = [
    "Sentence", "Split", "LABEL_MAPS", "read_conll_lines", "read_anercorp", "read_aqmar",
    "read_wojood", "reference_words", "anercorp_split", "sentence_to_doc",
]

# Tag of a corpus or of another tagger -> our label; a tag absent from the map becomes O.
LABEL_MAPS: Dict[str, Dict[str, str]] = {
    "anercorp": {"PERS": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"},
    # AQMAR's MIS0..MIS3 are article-specific classes, not ANERcorp's MISC: dropped.
    "aqmar": {"PER": "PER", "ORG": "ORG", "LOC": "LOC"},
    # Wojood is nested; the outermost tag of each token is read. GPE folds into LOC
    # because the model learns ANERcorp's LOC (the gazetteer decides GPE at run time).
    "wojood": {"PERS": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"},
    # A user's Stanza NER model may have been trained on another tag set (OntoNotes-style names).
    "stanza": {"PER": "PER", "PERS": "PER", "PERSON": "PER", "ORG": "ORG", "ORGANIZATION": "ORG",
               "LOC": "LOC", "LOCATION": "LOC", "FAC": "LOC", "GPE": "GPE", "MISC": "MISC", "NORP": "MISC"},
}

TEST_START_TOKEN = 125_000
DEV_START_TOKEN = 112_500


@dataclass
class Sentence:
    """Tokens and their BIO tags (``B-PER``, ``I-PER``, ``O`` …)."""

    tokens: List[str]
    tags: List[str]

    def spans(self) -> List[Tuple[int, int, str]]:
        """Entity spans as ``(first_token, end_token, label)``; a stray ``I-`` opens an entity."""
        spans: List[Tuple[int, int, str]] = []
        start, label = None, None
        for i, tag in enumerate(self.tags + ["O"]):
            prefix, _, lab = tag.partition("-")
            if start is not None and (prefix != "I" or lab != label):
                spans.append((start, i, label))
                start, label = None, None
            if prefix == "B" or (prefix == "I" and start is None):
                start, label = i, lab
        return spans


@dataclass
class Split:
    """The fixed train/dev/test sentences of a corpus."""

    train: List[Sentence]
    dev: List[Sentence]
    test: List[Sentence]


def _map_tag(tag: str, label_map: Dict[str, str]) -> str:
    prefix, _, label = tag.partition("-")
    if prefix not in ("B", "I") or label not in label_map:
        return "O"
    return f"{prefix}-{label_map[label]}"


def _parse_line(line: str, label_map: Dict[str, str]) -> Optional[Tuple[str, str]]:
    """``token tag [tag…]`` -> (token, mapped outermost tag); None for a line with no token."""
    parts = line.split()
    if len(parts) < 2:
        return None
    return parts[0], _map_tag(parts[1], label_map)


def read_conll_lines(
    lines: Iterable[str],
    label_map: Optional[Dict[str, str]] = None,
    *,
    sentence_sep: Optional[str] = None,
) -> Iterator[Sentence]:
    """Sentences from ``token tag`` lines: a blank line ends a sentence, and so does a
    token equal to ``sentence_sep`` (kept in the sentence). Malformed lines are skipped."""
    label_map = LABEL_MAPS["anercorp"] if label_map is None else label_map
    tokens: List[str] = []
    tags: List[str] = []
    for line in lines:
        parsed = _parse_line(line, label_map)
        if parsed is not None:
            tokens.append(parsed[0])
            tags.append(parsed[1])
        ends = parsed is None and not line.strip() or parsed is not None and parsed[0] == sentence_sep
        if ends and tokens:
            yield Sentence(tokens, tags)
            tokens, tags = [], []
    if tokens:
        yield Sentence(tokens, tags)


def _lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8-sig") as f:
        yield from f


def read_anercorp(data_dir: Path) -> List[Sentence]:
    """ANERcorp (``anercorp/ANERCorp.txt``) as sentences split at ``.`` tokens."""
    return list(read_conll_lines(_lines(Path(data_dir) / "anercorp" / "ANERCorp.txt"),
                                 LABEL_MAPS["anercorp"], sentence_sep="."))


def read_aqmar(data_dir: Path) -> List[Sentence]:
    """All AQMAR articles (``aqmar/*.txt``), PER/ORG/LOC only."""
    sents: List[Sentence] = []
    for path in sorted((Path(data_dir) / "aqmar").glob("*.txt")):
        sents.extend(read_conll_lines(_lines(path), LABEL_MAPS["aqmar"]))
    return sents


def read_wojood(data_dir: Path, parts: Sequence[str] = ("train", "val", "test")) -> List[Sentence]:
    """The Wojood sample, outermost entities mapped to PER/ORG/LOC; ``$#$`` markers dropped."""
    sents: List[Sentence] = []
    for part in parts:
        for s in read_conll_lines(_lines(Path(data_dir) / "wojood_sample" / f"{part}.txt"), LABEL_MAPS["wojood"]):
            keep = [i for i, t in enumerate(s.tokens) if t != "$#$"]
            if keep:
                sents.append(Sentence([s.tokens[i] for i in keep], [s.tags[i] for i in keep]))
    return sents


def reference_words(data_dir: Path) -> Iterator[Tuple[str, bool]]:
    """``(word, is_name)`` for every word of AQMAR, the Wojood sample and UD Arabic-PUD
    (a name: inside an entity, or a PROPN in UD). Never ANERcorp: this is how the NER
    stage learns what ordinary Arabic words look like without seeing its test data."""
    for sent in (*read_aqmar(data_dir), *read_wojood(data_dir)):
        yield from ((w, t != "O") for w, t in zip(sent.tokens, sent.tags))
    yield from read_ud_words(data_dir)


def read_ud_words(data_dir: Path) -> Iterator[Tuple[str, bool]]:
    """``(word, is_propn)`` for every word of UD Arabic-PUD (``ud_arabic_pud/*.conllu``)."""
    for path in sorted((Path(data_dir) / "ud_arabic_pud").glob("*.conllu")):
        for line in _lines(path):
            cols = line.split("\t")
            if len(cols) > 3 and cols[0].isdigit():
                yield cols[1], cols[3] == "PROPN"


def _first_boundary_after(sents: Sequence[Sentence], token_index: int) -> int:
    """Index of the first sentence that starts at or after ``token_index`` tokens."""
    seen = 0
    for i, s in enumerate(sents):
        if seen >= token_index:
            return i
        seen += len(s.tokens)
    return len(sents)


def anercorp_split(sents: Sequence[Sentence]) -> Split:
    """The fixed split: test from the first sentence boundary after token 125,000,
    dev from the first boundary after token 112,500, train before.

    >>> sents = [Sentence(["w"] * 100, ["O"] * 100) for _ in range(1500)]
    >>> split = anercorp_split(sents)
    >>> len(split.train), len(split.dev), len(split.test)
    (1125, 125, 250)
    """
    dev_start = _first_boundary_after(sents, DEV_START_TOKEN)
    test_start = _first_boundary_after(sents, TEST_START_TOKEN)
    return Split(list(sents[:dev_start]), list(sents[dev_start:test_start]), list(sents[test_start:]))


def _trim_punct(text: str, start: int, end: int) -> Tuple[int, int]:
    """Shrink ``[start, end)`` past non-word characters at either edge."""
    while start < end and not (text[start].isalnum()):
        start += 1
    while end > start and not (text[end - 1].isalnum()):
        end -= 1
    return start, end


def sentence_to_doc(nlp: Language, sent: Sentence) -> Doc:
    """The sentence's tokens joined by spaces, tokenized by ``nlp``, gold entities in ``doc.ents``.

    Entities cover whole words (corpus convention: a proclitic stays inside); edge
    punctuation glued to a corpus token is left out.
    """
    text = " ".join(sent.tokens)
    offsets, pos = [], 0
    for tok in sent.tokens:
        offsets.append(pos)
        pos += len(tok) + 1
    doc = nlp.make_doc(text)
    ents = []
    for first, end, label in sent.spans():
        start_char, end_char = _trim_punct(text, offsets[first], offsets[end - 1] + len(sent.tokens[end - 1]))
        span = doc.char_span(start_char, end_char, label=label, alignment_mode="expand") if end_char > start_char else None
        if span is not None and not any(span.start < e.end and e.start < span.end for e in ents):
            ents.append(span)
    doc.ents = ents
    return doc
