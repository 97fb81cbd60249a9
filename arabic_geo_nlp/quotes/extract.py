"""The quotation patterns: each finder turns cues and quote marks into :class:`Candidate` s.

Finders, in the order their candidates win an overlap:

* :func:`cue_candidates`   — a reporting verb, its subject and an opener (``:``, a quote mark,
  إن/أن): direct, indirect (content to the clause end) or mixed (quoted fragments of a clause);
* :func:`after_candidates` — the cue after the content: ``“…”، قال X``, ``…، حسبما يقول X``, ``…، بحسب X``;
* :func:`source_candidates` — a source phrase first: ``وبحسب X، فإن …``;
* :func:`headline_candidates` — a line ``NAME: content`` (``غوتيريش: …``, ``الوزير للصحفيين: …``);
* :func:`continuations` — a cue-less quotation right after an attributed one.

Quote marks that no finder claims (scare quotes, terms, names, titles) are not quotations.

>>> import arabic_geo_nlp as agn
>>> doc = agn.load()("ويقول الخبراء إن التحالف “هش” ولا يدوم، حيث لا ثقة. وتعرف الخطة باسم “الجسر”.")
>>> [(c.kind, doc.text[c.start:c.end]) for c in Extractor(doc).candidates()]
[('mixed', 'التحالف “هش” ولا يدوم')]
"""

from __future__ import annotations

import bisect
import re

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from spacy.tokens import Doc

from .lexicon import Cue, Lexicon, bare_forms, load_lexicon
from .spans import QuoteMark, Word, Words, clause_end, is_comma, quote_marks, trim_span
from .speakers import Context, Mention, Registry, parse_appositions, parse_mention, quoted_name

__all__ = ["Candidate", "Extractor"]

MAX_REGION = 40       # words between a cue and its opener
MIN_CONTINUATION = 4  # words in a cue-less quotation that continues the previous speaker
MAX_HEADLINE = 25     # words in a headline line
MAX_ANTECEDENT = 8    # words of the noun phrase before a relative pronoun
MAX_ADJUNCTS = 14     # words of adjuncts between a cue's subject and its quote mark
MIN_ADJUNCT_QUOTE = 2  # words in a quotation that follows adjuncts
MAX_QUOTED_NAME = 3   # words of a quoted name inside a cue's adjuncts (لـ"الوطن")
_TERMINAL = frozenset(".!?؟…")
_PRONOUN_PPS = frozenset({"عنه", "عنها", "عنهم", "له", "لها", "لهم", "منه", "منها"})


_SEGMENT_BREAK = re.compile(r"\n|\.{2,}|…")


def _segments(text: str) -> List[Tuple[int, int]]:
    """``(start, end)`` of each line of ``text``, lines cut at ``..`` and ``…``.

    >>> _segments("أ: ب.. ج: د\\nه")
    [(0, 4), (7, 11), (12, 13)]
    """
    out, pos = [], 0
    for m in _SEGMENT_BREAK.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in out if text[s:e].strip()]


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


class Extractor:
    """Runs the finders over one doc."""

    def __init__(self, doc: Doc, lex: Optional[Lexicon] = None):
        self.doc = doc
        self.words = Words(doc)
        self.text = self.words.text
        self.lex = lex or load_lexicon()
        self.ctx = Context(doc, self.words, self.lex)
        self.marks = quote_marks(self.text)
        self.top = {m.open: m for m in self.marks if m.depth == 0}
        self.boilerplate: Sequence[Tuple[int, int]] = [tuple(r) for r in (doc._.boilerplate or [])]
        self.registry = Registry()

    # -- helpers ---------------------------------------------------------------------------------
    def in_boilerplate(self, start: int, end: int) -> bool:
        covered = sum(max(0, min(end, e) - max(start, s)) for s, e in self.boilerplate)
        return covered * 2 > max(1, end - start)

    def inside_quote(self, char: int) -> bool:
        return any(m.open < char < m.end for m in self.top.values())

    def mark_at(self, i: int) -> Optional[QuoteMark]:
        return self.top.get(self.words[i].start) if i < len(self.words) else None

    def named(self, i: int) -> bool:
        """The quote mark at word ``i`` follows a naming word (``بعنوان``, ``المعروفة بـ``)."""
        return i > 0 and self.lex.word_in(self.words[i - 1].text, self.lex.naming_words)

    def closes_clause(self, mark: QuoteMark, stop: int) -> bool:
        j = self.words.at(mark.end)
        return j >= stop or self.words[j].punct and (
            not is_comma(self.words[j]) or j + 1 >= stop or self.lex.word_in(self.words[j + 1].text, self.lex.boundaries)
            or self.words[j + 1].start in self.top)

    def span(self, start: int, end: int) -> Tuple[int, int]:
        return trim_span(self.text, start, end)

    # -- content ---------------------------------------------------------------------------------
    def clause(self, c0: int, stop: int) -> Optional[Tuple[int, int, str, Optional[QuoteMark]]]:
        """Content from word ``c0``: a quotation that fills the clause (direct), else the clause
        (indirect), or its quoted part (mixed). Returns ``(start, end, kind, mark)``."""
        words = self.words
        if c0 < len(words) and words[c0].text == ":":
            c0 += 1
        if c0 >= stop:
            return None
        mark = self.mark_at(c0)
        if mark is not None and not self.named(c0):
            if self.closes_clause(mark, stop):
                return mark.inner_start, mark.inner_end, "direct", mark
            after = self.words.at(mark.end)
            if after < stop and words[after].punct:  # “…”، وأرجعه …: the quoted part is the content
                return mark.inner_start, mark.inner_end, "mixed", mark
        ce = clause_end(words, c0, stop, self.lex, self.marks)
        if ce <= c0:
            return None
        start, end = self.span(words[c0].start, words[ce - 1].end)
        frags = [m for m in self.top.values()
                 if words[c0].start <= m.open and m.end <= words[ce - 1].end and not self.named(words.at(m.open))]
        if not frags:
            return start, end, "indirect", None
        if any(m.close == end for m in frags):
            end += 1  # the closing mark of a fragment that ends the clause: “…”
        return start, end, "mixed", frags[0]

    def fragments(self, mark: QuoteMark, stop: int) -> Tuple[int, int]:
        """A quoted fragment and the fragments after it in the same clause: ``“…” ضد “…”``."""
        words = self.words
        end = mark.inner_end
        ce = clause_end(words, words.at(mark.open), stop, self.lex, self.marks)
        limit = words[ce - 1].end if ce > 0 else mark.end
        for m in self.top.values():
            if mark.open < m.open and m.end <= limit + 1 and not self.named(words.at(m.open)):
                end = max(end, m.inner_end)
        return mark.inner_start, end

    # -- cue verbs -------------------------------------------------------------------------------
    def opener(self, i: int, stop: int) -> Optional[Tuple[int, str]]:
        """``(word index, type)`` of the first ``:``, quote mark or complementizer after cue ``i``."""
        words, lex = self.words, self.lex
        j = i + 1
        while j < min(stop, i + 1 + MAX_REGION):
            w = words[j]
            if w.text == ":":
                return j, "colon"
            mark = self.mark_at(j)
            if mark is not None:
                if self.named(j) or (j == i + 1 or lex.is_role(words[j - 1].text)) and quoted_name(self.ctx, j, stop) \
                        or self.quoted_adjunct(mark, stop):
                    j = words.at(mark.end)
                    continue
                return j, "quote"
            if lex.is_complementizer(w.text) and self.introduces(i, j):
                return j, "comp"
            cue = lex.cue(w.text)
            if cue is not None and not cue.participle and cue.klass != "relay":
                return None
            if w.text in _TERMINAL:
                return None
            j += 1
        return None

    def note_subject(self, i: int, stop: int, cue: Cue) -> None:
        """Remember the subject of a cue with no content (``أكد الوزير أهمية …``): a later pro-drop
        cue (``مشددا على أن``) continues it."""
        if cue.klass in ("relay", "strict") or cue.participle or self.after_relative(i):
            return
        m, _, ok = self.subject(i, stop, cue)
        if m is not None and ok and m.subject and (m.kind not in ("np", "name") or m.first in self.ctx.ents):
            self.registry.subjects.append((self.words[i].start, m))

    def strict_ok(self, i: int, j: int, m: Optional[Mention], after: int) -> bool:
        """A word with other readings (``بين`` "between") is a cue only as a clause's verb
        (``وبين``, or first in its sentence or after a comma) with its content right after it or
        after a named subject (``وبين الوزير أن``)."""
        words = self.words
        verb = self.ctx.proclitic(words[i]) in ("و", "ف") or i == words.sentence_start(i) or is_comma(words[i - 1])
        return verb and (j == i + 1 or m is not None and j == after and m.kind not in ("org", "np"))

    def quoted_adjunct(self, mark: QuoteMark, stop: int) -> bool:
        """A short quoted name right before the real opener (``لـ"الوطن": …``, ``لـ»المدينة» أن …``)."""
        k = self.words.at(mark.end)
        return k < stop and len(self.text[mark.inner_start:mark.inner_end].split()) <= MAX_QUOTED_NAME and (
            self.words[k].text == ":" or self.lex.is_complementizer(self.words[k].text))

    def introduces(self, i: int, j: int) -> bool:
        """The complementizer at word ``j`` opens content of cue ``i``: not a subjunctive أن
        (``بعد أن``), unless the word before it belongs to the cue (``شدد على أن``,
        ``شدد الوزير على أن``)."""
        lex, prev = self.lex, self.words[j - 1].text
        if not lex.word_in(prev, lex.subjunctive_after):
            return True
        if not lex.word_in(prev, lex.after_cue):
            return False
        if j - 1 == i + 1:
            return True
        quoted = quoted_name(self.ctx, i + 1, j - 1)
        found = (quoted, quoted.last) if quoted is not None else self.mention_from(i + 1, j - 1, strong=True)
        after = found[1] if found is not None else i + 1
        return self.adjuncts_only(after, j - 1, MAX_REGION, participles=False) and (
            after == j - 1 or self.adjunct_start(self.words[after]))

    def adjunct_start(self, w: Word) -> bool:
        """``w`` opens an adjunct of a cue (a comma, a preposition or a prefixed ل/ب/ك, an adverb in
        ـًا, a participle or a speech noun), not its object."""
        lex = self.lex
        cue = lex.cue(w.text)
        return is_comma(w) or lex.is_function_word(w.text) or bool(self.ctx.proclitic(w)) \
            or (cue is not None and cue.participle) or lex.is_speech_noun(w.text) or "\u064b" in w.text

    def subject(self, i: int, j: int, cue: Cue) -> Tuple[Optional[Mention], int, bool]:
        """The mention after cue ``i`` (region up to opener ``j``): ``(mention, end, ok)``;
        ``ok`` is False when the region starts with something that is neither a speaker nor an adjunct."""
        words, lex = self.words, self.lex
        k = i + 1
        if cue.klass == "relay":
            k = next((x + 1 for x in range(i + 1, j) if "عن" in bare_forms(words[x].key)), j)
            if k >= j:
                return None, j, False
        if cue.klass == "statement":  # وجاء في بيان للوزارة أن …: the issuer, else the document
            if not (k + 1 < j and "في" in bare_forms(words[k].key)[:2] and lex.is_statement_noun(words[k + 1].text)):
                return None, j, False
            found = None
            if k + 2 < j and lex.word_in(words[k + 2].text, lex.issued_by):
                found = self.mention_from(k + 1, j)  # بيان صادر عن وزارة …
            elif k + 2 < j:  # بيان رئيس الإقليم مسعود برزاني، بيان للتنظيم
                found = self.mention_from(k + 2, j, strong=True)
                if found is None and self.ctx.proclitic(words[k + 2]) == "ل" and self.ctx.definite(words[k + 2]):
                    found = self.ctx.mention(k + 2, k + 3, "ORG", "np"), k + 3
            if found is None:
                return self.ctx.mention(k + 1, k + 2, "ORG", "org"), k + 2, True
            return found[0], found[1], True
        if k < j and words[k].key in _PRONOUN_PPS:
            k += 1
        quoted = quoted_name(self.ctx, k, j) if k < j else None
        if quoted is not None:
            return parse_appositions(self.ctx, quoted, j) + (True,)
        found = self.mention_from(k, j, strong=True) if k < j else None
        if found is not None:
            return found[0], found[1], True
        if k >= j:
            return None, k, True
        return None, k, self.adjunct_start(words[k])

    def after_relative(self, i: int) -> bool:
        """Cue ``i`` follows a relative pronoun (``الذي قال``)."""
        return i > 0 and self.lex.word_in(self.words[i - 1].text, self.lex.relatives)

    def antecedent(self, i: int) -> Optional[Mention]:
        """``X الذي قال``: the longest mention ending right before the relative pronoun at ``i - 1``."""
        s0 = self.words.sentence_start(i)
        for a in range(max(s0, i - 1 - MAX_ANTECEDENT), i - 1):
            found = self.mention_from(a, i - 1)
            if found is not None and found[1] == i - 1 and found[0].label in ("PER", "GROUP", "ORG"):
                return found[0]
        return None

    def preceding_subject(self, i: int) -> Optional[Mention]:
        """SVO: a mention ending right before cue ``i`` that starts its clause (or, after a
        relative pronoun, its antecedent)."""
        words = self.words
        if self.after_relative(i):
            return self.antecedent(i)
        s0 = words.sentence_start(i)
        for a in range(max(s0, i - 8), i):
            prev = words[a - 1] if a > s0 else None
            if prev is not None and not (prev.punct or self.lex.word_in(prev.text, self.lex.function_words)):
                continue
            m = parse_mention(self.ctx, a, i)
            if m is not None and m.last == i and m.subject and m.label in ("PER", "GROUP", "ORG"):
                return m
        return None

    def cue_candidates(self) -> List[Candidate]:
        out: List[Candidate] = []
        covered_until = -1  # covers start at their cue, so they are met in text order
        words, lex = self.words, self.lex
        for i, w in enumerate(words.items):
            cue = lex.cue(w.text)
            if cue is None or w.punct or self.inside_quote(w.start) or self.in_boilerplate(w.start, w.end) \
                    or w.start < covered_until or i > 0 and lex.word_in(words[i - 1].text, lex.not_before_cue):
                continue
            stop = words.sentence_end(i)
            op = self.opener(i, stop)
            if op is None:
                self.note_subject(i, stop, cue)
                continue
            j, kind = op
            m, after, ok = self.subject(i, j, cue)
            if not ok or cue.klass == "strict" and not self.strict_ok(i, j, m, after):
                continue
            if cue.klass not in ("relay", "statement") and not cue.participle:
                pre = self.preceding_subject(i)
                if m is None or pre is not None and pre.kind != "name" and not m.role and m.kind != "group" \
                        and pre.first == words.sentence_start(i):
                    m = pre or m  # SVO: بخاري يحذر واشنطن بأن … — the noun phrase after the verb is its object
            if m is None and lex.word_in(w.text, lex.impersonal) and (j == i + 1 or j == i + 2 and kind == "comp"):
                continue  # ويذكر أن …, يشار إلى أن …: the narrator
            cand = self.content(i, j, kind, after, cue, stop)
            if cand is None:
                continue
            start, end, qkind, mark = cand
            if cue.klass == "opinion" and qkind == "indirect" or self.in_boilerplate(start, end) or end <= start:
                continue
            cover = (w.start, max(end, mark.end if mark else end))
            covered_until = max(covered_until, cover[1])
            out.append(Candidate(start, end, qkind, w.start, cover, (w.start, w.end), cue, m, mark))
        return out

    def content(self, i: int, j: int, kind: str, after: int, cue: Cue, stop: int):
        words = self.words
        if kind == "colon":
            mark = self.mark_at(j + 1)
            if mark is not None:
                return mark.inner_start, mark.inner_end, "direct", mark
            if j + 1 < stop and self.lex.is_complementizer(words[j + 1].text):
                return self.clause(j + 2, stop)
            if cue.klass == "opinion" or j + 1 >= len(words):
                return None
            if cue.participle:  # مضيفا: … ends with its sentence (and متابعة: is a byline)
                return (*self.span(words[j + 1].start, words[stop - 1].end), "direct", None) if j + 1 < stop else None
            return self.paragraph_speech(j)
        if kind == "comp":
            return self.clause(j + 1, max(stop, self.sentence_stop_after_marks(j + 1, stop)))
        mark = self.mark_at(j)
        plain = j == after or words[j - 1].text == ":" or self.lex.is_complementizer(words[j - 1].text)
        after_mark = words.at(mark.end)
        closes = self.closes_clause(mark, stop) or after_mark < len(words) and is_comma(words[after_mark])
        plain = plain or words[j - 1].key in ("ب", "من", "الى")  # حذر من “…”، واعدا بـ“…”
        if closes and (plain or cue.klass != "opinion" and self.adjuncts_only(after, j)
                       and len(self.text[mark.inner_start:mark.inner_end].split()) >= MIN_ADJUNCT_QUOTE):
            return mark.inner_start, mark.inner_end, "direct", mark
        if cue.klass in ("speech", "strict") and not plain:
            return None
        start, end = self.fragments(mark, max(stop, words.at(mark.end)))
        return start, end, "mixed", mark

    def paragraph_speech(self, j: int) -> Optional[Tuple[int, int, str, None]]:
        """Unmarked speech after the colon at word ``j``: the rest of its paragraph, or the next
        paragraph when the colon ends its line (``وأضاف في تصريحات صحفية اليوم:``)."""
        text = self.text
        start = self.words[j].end
        end = text.find("\n", start)
        if not text[start:end if end >= 0 else len(text)].strip():
            start = end
            end = text.find("\n", start + 1) if end >= 0 else -1
            while end >= 0 and not text[start:end].strip():  # blank lines between
                end = text.find("\n", end + 1)
        if start < 0:
            return None
        s, e = self.span(start, end if end >= 0 else len(text))
        if e <= s or self.inside_quote(s):
            return None
        return s, e, "direct", None

    def adjuncts_only(self, a: int, j: int, limit: int = MAX_ADJUNCTS, participles: bool = True) -> bool:
        """Words ``a..j`` between a cue's subject and its quote mark are adjuncts of the cue
        (``في أربيل``, ``لوكالة فرانس برس``, ``عبر الهاتف``): no clause of their own
        (complementizer, another cue) and no sentence end."""
        lex = self.lex
        return j - a <= limit and not any(
            w.text in _TERMINAL or w.text == ":" or lex.is_complementizer(w.text)
            or (lex.cue(w.text) is not None and not (participles and lex.cue(w.text).participle)
                and not lex.word_in(self.words[w.i - 1].text, lex.not_before_cue))
            for w in self.words.items[a:j])

    def sentence_stop_after_marks(self, c0: int, stop: int) -> int:
        mark = self.mark_at(c0)
        return self.words.at(mark.end) if mark is not None else stop

    # -- cue after the content, source phrases, headlines ----------------------------------------
    def source_phrase(self, i: int) -> Optional[int]:
        """Index of the speaker's first word when a source phrase starts at word ``i``."""
        words = self.words
        for phrase, glued in self.lex.source_phrases:
            n = len(phrase) - (1 if glued else 0)
            if i + n > len(words) or any(p not in bare_forms(words[i + x].key)[:2] for x, p in enumerate(phrase[:n])):
                continue
            k = i + n
            if glued and k < len(words):
                if bare_forms(words[k].key)[0] == phrase[-1] or words[k].key.rstrip("ـ") == phrase[-1]:
                    k += 1
                elif not words[k].key.startswith(phrase[-1]):
                    continue
            return k
        return None

    def after_cue(self, p: int, stop: int) -> Optional[Tuple[int, Optional[Cue], Mention]]:
        """At word ``p`` (after a comma or a closing quote): ``قال X``, ``حسبما يقول X``, ``بحسب X``
        ending the sentence. Returns ``(cue word, cue, mention)``."""
        words, lex = self.words, self.lex
        k = self.source_phrase(p)
        cue_i, cue = p, None
        if k is None:
            if any(c[0] in bare_forms(words[p].key)[:2] for c in lex.after_connectors):
                p += 1
            if p >= stop or lex.cue(words[p].text) is None or lex.cue(words[p].text).klass not in ("speech", "manner"):
                return None
            cue_i, cue, k = p, lex.cue(words[p].text), p + 1
        found = self.mention_from(k, stop, strong=cue is not None)
        if found is None:
            return None
        m, end = found
        return (cue_i, cue, m) if end >= stop or words[end].text in _TERMINAL else None

    def after_candidates(self) -> List[Candidate]:
        out: List[Candidate] = []
        words = self.words
        for mark in self.top.values():
            p = words.at(mark.end)
            if p < len(words) and is_comma(words[p]):
                p += 1
            if p >= len(words) or self.in_boilerplate(mark.open, mark.end):
                continue
            hit = self.after_cue(p, words.sentence_end(p))
            if hit is not None and mark.inner_end - mark.inner_start > 0:
                ci, cue, m = hit
                out.append(Candidate(mark.inner_start, mark.inner_end, "direct", words[ci].start,
                                     (mark.open, m.end), (words[ci].start, words[ci].end), cue, m, mark))
        for p, w in enumerate(words.items):
            if not is_comma(w) or p + 1 >= len(words) or self.inside_quote(w.start):
                continue
            stop = words.sentence_end(p)
            hit = self.after_cue(p + 1, stop)
            if hit is None:
                continue
            s0 = words.sentence_start(p)
            for x in range(p - 1, s0, -1):
                if is_comma(words[x]) and self.ctx.proclitic(words[x + 1]) == "و":
                    s0 = x + 1
                    break
            if p - s0 < 3 or self.inside_quote(words[s0].start):
                continue
            first = words[s0]
            cut = len(self.ctx.proclitic(first)) if self.ctx.proclitic(first) in ("و", "ف") else 0
            start, end = self.span(first.start + cut, words[p - 1].end)
            ci, cue, m = hit
            kind = "mixed" if any(start <= mk.open < end for mk in self.top.values()) else "indirect"
            out.append(Candidate(start, end, kind, words[ci].start, (start, m.end), (words[ci].start, words[ci].end),
                                 cue, m))
        return out

    def source_candidates(self) -> List[Candidate]:
        out: List[Candidate] = []
        words = self.words
        for i, w in enumerate(words.items):
            if i != words.sentence_start(i) or self.in_boilerplate(w.start, w.end):
                continue
            k = self.source_phrase(i)
            if k is None:
                continue
            stop = words.sentence_end(i)
            found = self.mention_from(k, stop)
            if found is None:
                continue
            m, after = found
            if after >= stop or not is_comma(words[after]):
                continue
            c0 = after + 1
            if c0 < stop and self.lex.is_complementizer(words[c0].text):
                c0 += 1
            got = self.clause(c0, stop)
            if got is not None:
                start, end, kind, mark = got
                out.append(Candidate(start, end, kind, w.start, (w.start, end), (w.start, words[k - 1].end), None, m, mark))
        return out

    def headline_candidates(self) -> List[Candidate]:
        """A line, or a part of a line between ``..`` (``لبنان: … .. وسلام: …``), that reads
        ``NAME: content``, ``NAME لـ"الوطن": content`` or ``NAME يرد: content``."""
        out: List[Candidate] = []
        words = self.words
        for start, end in _segments(self.text):
            colon = self.text.find(":", start, end)
            if colon <= start or self.in_boilerplate(start, end):
                continue
            a, c, b = words.at(start), words.at(colon), words.at(end)
            limit = c - 1 if c - a > 1 and self.ctx.proclitic(words[c - 1]) == "ل" else c
            cue = self.lex.cue(words[limit - 1].text) if limit - a > 1 else None
            limit -= 1 if cue is not None and not cue.participle else 0
            if not (1 <= c - a <= 5) or b - a > MAX_HEADLINE or b - c < (2 if cue else 3):
                continue
            m = parse_mention(self.ctx, a, limit)
            if m is None or m.last != limit or not (self.known(m) or m.label == "GROUP") \
                    or m.label == "GPE" and cue is None or m.label == "GROUP" and m.singular and cue is None:
                continue  # a country before a colon is the topic (لبنان: …), not a speaker
            got = self.span(words[c + 1].start, words[b - 1].end)
            mark = self.mark_at(c + 1)
            out.append(Candidate(got[0], got[1], "direct", words[a].start, (words[a].start, got[1]), None, None, m, mark))
        return out

    def mention_from(self, i: int, stop: int, strong: bool = False) -> Optional[Tuple[Mention, int]]:
        """The mention starting at word ``i`` (before ``stop``) with its appositions, and the
        index of the word after them; None when no mention starts there (``strong``: as
        :func:`parse_mention`)."""
        m = parse_mention(self.ctx, i, stop, strong=strong)
        return None if m is None else parse_appositions(self.ctx, m, stop)

    def known(self, m: Mention) -> bool:
        """A headline speaker must be a title, an entity, or a name that recurs in the body."""
        if m.kind in ("title", "entity", "org", "np") or m.role:
            return True
        toks = m.text.split()
        if any(p.start != m.start and all(t in p.text.split() for t in toks) for p in self.registry.people):
            return True
        n = m.last - m.first
        keys = [w.key for w in self.words.items[m.first:m.last]]
        return any(self.lex.cue(self.words[x - 1].text) is not None
                   and [w.key for w in self.words.items[x:x + n]] == keys
                   for x in range(m.last + 1, len(self.words) - n + 1))

    # -- registry and continuations --------------------------------------------------------------
    def prepass(self) -> None:
        """Register titled names, named entities and their appositions (for surname, nominal and
        pronoun resolution)."""
        words, lex = self.words, self.lex
        for i, w in enumerate(words.items):
            if w.punct or not (lex.is_role(w.text) or i in self.ctx.ents or lex.is_group(w.text)):
                continue
            if self.inside_quote(w.start):
                continue
            found = self.mention_from(i, words.sentence_end(i))
            if found is not None:
                self.registry.add_mention(found[0])

    def continuations(self, taken: Sequence[Candidate]) -> List[Candidate]:
        out: List[Candidate] = []
        claimed = sorted((c for c in taken if c.mark is not None), key=lambda c: c.mark.open)
        owned = {c.mark.open for c in claimed}
        ends = [c.mark.end for c in claimed]
        for mark in sorted(self.top.values(), key=lambda m: m.open):
            if mark.open in owned or len(self.text[mark.inner_start:mark.inner_end].split()) < MIN_CONTINUATION:
                continue
            if any(not self.text[e:mark.open].strip(" \t\r\n\u00a0.،,") for e in ends if e <= mark.open):
                out.append(Candidate(mark.inner_start, mark.inner_end, "direct", mark.open, (mark.open, mark.end),
                                     mark=mark, continuation=True))
                ends.append(mark.end)
                owned.add(mark.open)
        return out

    def candidates(self) -> List[Candidate]:
        """All candidates in text order, overlaps resolved by finder priority."""
        self.prepass()
        found = self.cue_candidates() + self.after_candidates() + self.source_candidates() + self.headline_candidates()
        kept: List[Candidate] = []
        taken: List[Tuple[int, int]] = []  # kept extents, sorted and disjoint
        for c in found:
            k = bisect.bisect_left(taken, (c.start, c.end))
            if (k > 0 and taken[k - 1][1] > c.start) or (k < len(taken) and taken[k][0] < c.end):
                continue
            taken.insert(k, (c.start, c.end))
            kept.append(c)
        kept += self.continuations(kept)
        return sorted(kept, key=lambda c: c.start)
