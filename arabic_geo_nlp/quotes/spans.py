"""Where quotations are: quote-mark pairs, the word view, and the extent of reported content.

* :func:`quote_marks` pairs “ ” « » „ and straight quotes on the raw text by context (an opener
  follows a space, a colon or ـ; a closer precedes a space or punctuation), nests them, closes an
  unbalanced quote at its paragraph end, and lets a quote run on into the next paragraph when that
  paragraph opens with a quote mark (the newspaper convention).
* :class:`Words` is the doc's non-space tokens with raw offsets, lookup keys and sentence ids.
* :func:`clause_end` is where indirect content stops: the sentence end, a comma followed by a
  narrator's connective (``، حيث``, ``، معربا``; see ``boundaries`` in ``quote_lexicon.json``) or by
  a reporting verb, or a reporting verb joined by و (``… ووصف``).

>>> [(m.inner_start, m.inner_end, m.depth) for m in quote_marks('قال: “إن “محور الشر” قائم”.')]
[(6, 25, 0), (10, 19, 1)]
>>> text = 'قال: "نعم\\n\\nثم'
>>> m = quote_marks(text)[0]; text[m.inner_start:m.inner_end], m.close
('نعم', None)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Dict, List, Mapping, NamedTuple, Optional, Tuple

from spacy.tokens import Doc

from ..clitics import proclitics
from .lexicon import Lexicon, key

__all__ = ["QuoteMark", "quote_marks", "Word", "Words", "clause_end", "trim_span", "OPENERS", "CLOSERS"]

# glyph -> family; the family decides which glyphs pair up.
_FAMILY: Dict[str, str] = {"“": "curly", "”": "curly", "„": "curly", "«": "guillemet", "»": "guillemet",
                           '"': "straight", "‹": "single", "›": "single"}
OPENERS = frozenset("“„«‹")
CLOSERS = frozenset("”»›")
_QUOTE_CHARS = frozenset(_FAMILY)
NEW_REPORT_REACH = 6  # words between a reporting verb inside a clause and its complementizer
_BEFORE_OPEN = frozenset("(:[،,—–-ـ/") | _QUOTE_CHARS
_AFTER_CLOSE = frozenset(".,،:;؛!?؟)]…-–—") | _QUOTE_CHARS
_PUNCT_SPACE = frozenset(" \t\r\n\u00a0.,،:;؛!?؟…-–—()[]") | _QUOTE_CHARS
_TRIM = " \t\r\n\u00a0"
TERMINAL = frozenset(".!?؟…")  # words that end a sentence
_PROCLITICS = frozenset(proclitics())


@dataclass(frozen=True)
class QuoteMark:
    """A paired (or paragraph-closed) quotation: mark positions and the inner text range."""

    open: int              # index of the opening mark
    close: Optional[int]   # index of the closing mark; None when closed by the paragraph end
    inner_start: int
    inner_end: int
    depth: int             # 0 for a top-level quotation

    @property
    def end(self) -> int:
        """End of the whole quotation, closing mark included."""
        return self.close + 1 if self.close is not None else self.inner_end


def _role(text: str, i: int, default_open: bool) -> bool:
    """True when the mark at ``i`` opens a quotation (decided by its neighbours, then its glyph)."""
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    opener_like = (prev.isspace() or prev in _BEFORE_OPEN or (prev in "بلوف" and (i < 2 or text[i - 2].isspace()))) \
        and not nxt.isspace()
    closer_like = not prev.isspace() and (nxt.isspace() or nxt in _AFTER_CLOSE)
    if opener_like != closer_like:
        return opener_like
    return default_open


def _paragraph_end(text: str, i: int) -> int:
    """Index of the first line break at or after ``i`` (or the text end)."""
    ends = [p for p in (text.find("\n", i), text.find("\u2029", i)) if p >= 0]
    return min(ends) if ends else len(text)


def _trimmed(text: str, start: int, end: int) -> Tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _last_sentence_end(text: str, start: int, end: int) -> Optional[int]:
    """One past the last sentence-final mark followed by a space in ``text[start:end]``, else None.

    >>> _last_sentence_end('"نعم. ثم قال ', 0, 13)
    5
    """
    for k in range(end - 2, start, -1):
        if text[k] in ".!?؟" and text[k + 1].isspace():
            return k + 1
    return None


def quote_marks(text: str) -> List[QuoteMark]:
    """All quotations of ``text`` in order of their opening mark (nested ones after their parent)."""
    out: List[QuoteMark] = []
    stack: List[Tuple[str, int]] = []  # (family, open index)

    def close(at_mark: Optional[int], end: int) -> None:
        family, start = stack.pop()
        s, e = _trimmed(text, start + 1, end)
        out.append(QuoteMark(start, at_mark, s, e, len(stack)))

    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\n\u2029" and stack:
            nxt = i
            while nxt < n and text[nxt] in _TRIM + "\u2029":
                nxt += 1
            if nxt < n and _FAMILY.get(text[nxt]) == stack[-1][0] and _role(text, nxt, True):
                i = nxt + 1          # the quote runs on: the new paragraph's mark is not a new quote
                continue
            while stack:
                close(None, i)
        elif ch in _FAMILY:
            family = _FAMILY[ch]
            top_same = bool(stack) and stack[-1][0] == family
            default_open = ch in OPENERS or (ch == '"' and not top_same)
            if _role(text, i, default_open) and not (top_same and ch == '"' and not _role(text, i, False)
                                                      and text[i - 1:i] not in _BEFORE_OPEN):
                if top_same and ch == '"':
                    cut = _last_sentence_end(text, stack[-1][1], i)
                    if cut is not None:  # a straight quote never closed: it ends with its sentence
                        close(None, cut)
                stack.append((family, i))
            elif any(f == family for f, _ in stack):
                while stack[-1][0] != family:
                    close(None, i)
                close(i, i)
        i += 1
    while stack:
        close(None, len(text))
    return sorted(out, key=lambda m: (m.open, m.depth))


class Word(NamedTuple):
    """A non-space token: position in :class:`Words`, doc token index, raw text and offsets
    (a named tuple: one is made for every token, and a frozen dataclass costs ten times more)."""

    i: int
    tok: int
    text: str
    key: str
    start: int
    end: int
    sent: int
    punct: bool


class Words:
    """The non-space tokens of a doc, with sentence ids and char lookups."""

    def __init__(self, doc: Doc):
        split = doc.has_annotation("SENT_START")
        self.doc = doc
        self.text = doc._.raw
        self.items: List[Word] = []
        glued: Optional[int] = None  # start of a bare proclitic split off its word (by NER)
        sent_id = -1
        for tok in doc:
            if tok.i == 0 or (split and tok.is_sent_start):
                sent_id += 1
            if tok.is_space or not tok.text.strip():
                continue
            text, start = tok.text, tok.idx
            if glued is not None:
                text, start, glued = self.text[glued:tok.idx + len(tok.text)], glued, None
            elif not tok.whitespace_ and tok.i + 1 < len(doc) and set(text) <= _PROCLITICS and len(text) <= 3 \
                    and doc[tok.i + 1].text[:1].isalpha():
                glued = start
                continue
            self.items.append(Word(len(self.items), tok.i, text, key(text), start, start + len(text),
                                   sent_id, not any(map(str.isalnum, text))))
        self._starts = [w.start for w in self.items]
        # first and one-past-last word index of each sentence id (ids grow with word order)
        self._sent_first: Dict[int, int] = {}
        self._sent_end: Dict[int, int] = {}
        for w in self.items:
            self._sent_first.setdefault(w.sent, w.i)
            self._sent_end[w.sent] = w.i + 1

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> Word:
        return self.items[i]

    def at(self, char: int) -> int:
        """Index of the first word starting at or after ``char``."""
        return bisect.bisect_left(self._starts, char)

    def containing(self, char: int) -> int:
        """Index of the word covering ``char`` (or the last one starting before it)."""
        return max(0, bisect.bisect_right(self._starts, char) - 1)

    def sentence_end(self, i: int) -> int:
        """Index one past the last word of word ``i``'s sentence."""
        return self._sent_end[self.items[i].sent]

    def sentence_start(self, i: int) -> int:
        """Index of the first word of word ``i``'s sentence."""
        return self._sent_first[self.items[i].sent]

    def line_break_between(self, i: int, j: int) -> bool:
        """True when the raw text between words ``i`` and ``j`` (i < j) holds a line break."""
        return "\n" in self.text[self.items[i].end:self.items[j].start]


def is_comma(word: Word) -> bool:
    """``،`` or ``,`` (or ``؛``, ``;``)."""
    return word.text in ("،", ",", "؛", ";")


def clause_end(words: Words, start: int, stop: int, lex: Lexicon, top_marks: Mapping[int, QuoteMark]) -> int:
    """Index one past the last word of the reported clause that begins at word ``start``.

    The clause runs to ``stop`` (usually the sentence end) unless a comma is followed by a
    boundary word; quote-mark spans (``top_marks``: top-level marks by opening offset) are never cut.
    """
    j = start
    while j < stop:
        w = words[j]
        mark = top_marks.get(w.start)
        if mark is not None:
            j = words.at(mark.end)
            continue
        if j > start and j + 1 < stop and is_comma(w) and (
                lex.word_in(words[j + 1].text, lex.boundaries) or lex.cue(words[j + 1].text) is not None):
            return j
        if j > start and words[j].key[:1] == "و" and lex.cue(w.text) is not None and lex.cue(w.text[1:]) is not None:
            return j  # … ووصف …, … ومتوعدة: a new reporting clause of the narrator
        if j > start + 1 and _new_report(words, j, stop, lex):
            # … الهجوم الذي قال إن …: the relative opens the new clause
            return j - 1 if _joins(lex, words[j - 1]) else j
        j += 1
    return stop


def _joins(lex: Lexicon, word: Word) -> bool:
    """A relative or boundary word (``الذي``, ``كما``, ``بينما``): it opens the clause of the verb after it."""
    return lex.word_in(word.text, lex.relatives) or lex.word_in(word.text, lex.boundaries)


def _new_report(words: Words, j: int, stop: int, lex: Lexicon) -> bool:
    """Word ``j`` is a finite reporting verb that opens a clause of its own: after a connector
    or a relative (``… كما قال إنه``, ``… الذي قال إن``, ``… بينما أعلنت X أن``), or with its own
    subject (``… وهي خطوة قال منتقدون إنها``); its complementizer follows within a few words, no
    punctuation between. Not a verb inside the content (``… يشير إلى أن``, ``من يقول إن``)."""
    cue = lex.cue(words[j].text)
    prev = words[j - 1]
    if cue is None or cue.participle or cue.klass not in ("speech", "manner") \
            or lex.word_in(prev.text, lex.not_before_cue) or prev.key == "من":
        return False
    comp = next((k for k in range(j + 1, min(stop, j + 1 + NEW_REPORT_REACH))
                 if words[k].punct or lex.is_complementizer(words[k].text)), None)
    if comp is None or words[comp].punct:
        return False
    if _joins(lex, prev):
        return True
    return comp > j + 1 and not lex.is_function_word(words[j + 1].text)


def trim_span(text: str, start: int, end: int) -> Tuple[int, int]:
    """``(start, end)`` without surrounding spaces, punctuation and quote marks.

    >>> trim_span("« نعم، لا ».", 0, 12)
    (2, 9)
    """
    while start < end and text[start] in _PUNCT_SPACE:
        start += 1
    while end > start and text[end - 1] in _PUNCT_SPACE:
        end -= 1
    return start, end
