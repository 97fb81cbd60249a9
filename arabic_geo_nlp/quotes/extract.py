"""The quotation patterns: each finder turns cues and quote marks into :class:`Candidate` s.

Finders, in the order their candidates win an overlap:

* :func:`cue_candidates`   — a reporting verb, its subject and an opener (``:``, a quote mark,
  إن/أن): direct, indirect (content to the clause end) or mixed (quoted fragments of a clause);
* in :mod:`.sources`: the cue after the content (``“…”، قال X``), a source phrase first
  (``وبحسب X، فإن …``), a headline ``NAME: content``;
* :func:`continuations` — a cue-less quotation right after an attributed one.

Quote marks that no finder claims (scare quotes, terms, names, titles) are not quotations.

>>> import arabic_geo_nlp as agn
>>> doc = agn.load()("ويقول الخبراء إن التحالف “هش” ولا يدوم، حيث لا ثقة. وتعرف الخطة باسم “الجسر”.")
>>> [(c.kind, doc.text[c.start:c.end]) for c in Extractor(doc).candidates()]
[('mixed', 'التحالف “هش” ولا يدوم')]
"""

from __future__ import annotations

import bisect
from typing import List, Optional, Sequence, Tuple

from spacy.tokens import Doc

from .lexicon import CONJUNCTIONS, Cue, Lexicon, bare_forms, load_lexicon
from .records import Candidate
from .sources import SourceFinders
from .spans import TERMINAL, QuoteMark, Word, Words, clause_end, is_comma, quote_marks, trim_span
from .speakers import Context, Mention, Registry, parse_appositions, parse_mention, quoted_name

__all__ = ["Candidate", "Extractor"]

MAX_REGION = 40       # words between a cue and its opener
MIN_CONTINUATION = 4  # words in a cue-less quotation that continues the previous speaker
MAX_ANTECEDENT = 8    # words of the noun phrase before a relative pronoun
MAX_ADJUNCTS = 14     # words of adjuncts between a cue's subject and its quote mark
MIN_ADJUNCT_QUOTE = 2  # words in a quotation that follows adjuncts
MAX_QUOTED_NAME = 3   # words of a quoted name inside a cue's adjuncts (لـ"الوطن")
DASHES = frozenset("-–—")  # a participle after a dash is a byline word (سبق - متابعة:)



class Extractor(SourceFinders):
    """Runs the finders over one doc."""

    def __init__(self, doc: Doc, lex: Optional[Lexicon] = None):
        self.doc = doc
        self.words = Words(doc)
        self.text = self.words.text
        self.lex = lex or load_lexicon()
        self.ctx = Context(doc, self.words, self.lex)
        self.marks = quote_marks(self.text)
        self.top = {m.open: m for m in self.marks if m.depth == 0}
        self._top_opens = sorted(self.top)  # top-level quotations never overlap
        self.boilerplate: Sequence[Tuple[int, int]] = [tuple(r) for r in (doc._.boilerplate or [])]
        self.registry = Registry()

    # -- helpers ---------------------------------------------------------------------------------
    def in_boilerplate(self, start: int, end: int) -> bool:
        covered = sum(max(0, min(end, e) - max(start, s)) for s, e in self.boilerplate)
        return covered * 2 > max(1, end - start)

    def inside_quote(self, char: int) -> bool:
        k = bisect.bisect_left(self._top_opens, char) - 1
        return k >= 0 and char < self.top[self._top_opens[k]].end

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
        ce = clause_end(words, c0, stop, self.lex, self.top)
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
        ce = clause_end(words, words.at(mark.open), stop, self.lex, self.top)
        limit = words[ce - 1].end if ce > 0 else mark.end
        for m in self.top.values():
            if mark.open < m.open and m.end <= limit + 1 and not self.named(words.at(m.open)):
                end = max(end, m.inner_end)
        return mark.inner_start, end

    # -- cue verbs -------------------------------------------------------------------------------
    def opener(self, i: int, stop: int, cue: Optional[Cue] = None) -> Optional[Tuple[int, str]]:
        """``(word index, type)`` of the first ``:``, quote mark or complementizer after cue ``i``.
        A speech verb's content is never a short quoted name inside its subject or adjuncts
        (``قال التحالف الذي يقود العملية ضد "داعش" في بيان إن …``): those marks are skipped."""
        words, lex = self.words, self.lex
        speech = cue is not None and cue.klass in ("speech", "strict") and not cue.participle
        j = i + 1
        while j < min(stop, i + 1 + MAX_REGION):
            w = words[j]
            if w.text == ":":
                return j, "colon"
            mark = self.mark_at(j)
            if mark is not None:
                if self.named(j) or (j == i + 1 or lex.is_role(words[j - 1].text)) and quoted_name(self.ctx, j, stop) \
                        or self.quoted_adjunct(mark, stop) or speech and self.inner_name(mark, stop):
                    j = words.at(mark.end)
                    continue
                return j, "quote"
            if lex.is_complementizer(w.text) and self.introduces(i, j):
                return j, "comp"
            later = lex.cue(w.text)  # another cue verb first: no content of this one
            if later is not None and not later.participle and later.klass != "relay" \
                    and not lex.word_in(words[j - 1].text, lex.not_before_cue):  # طالبا عدم ذكر اسمه: a noun
                return None
            if w.text in TERMINAL:
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
        verb = self.ctx.proclitic(words[i]) in CONJUNCTIONS or i == words.sentence_start(i) or is_comma(words[i - 1])
        return verb and (j == i + 1 or m is not None and j == after and m.kind not in ("org", "np"))

    def quoted_adjunct(self, mark: QuoteMark, stop: int) -> bool:
        """A short quoted name right before the real opener (``لـ"الوطن": …``, ``لـ»المدينة» أن …``)."""
        k = self.words.at(mark.end)
        return k < stop and len(self.text[mark.inner_start:mark.inner_end].split()) <= MAX_QUOTED_NAME and (
            self.words[k].text == ":" or self.lex.is_complementizer(self.words[k].text))

    def inner_name(self, mark: QuoteMark, stop: int) -> bool:
        """A short quoted name inside a clause: a word other than punctuation follows it."""
        k = self.words.at(mark.end)
        return k < stop and not self.words[k].punct \
            and len(self.text[mark.inner_start:mark.inner_end].split()) <= MAX_QUOTED_NAME

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
        if k < j and words[k].key in lex.addressee_pronouns:
            k += 1
        if k + 1 < j and words[k].key == "ل":  # قال لـ«عكاظ» الأمين العام …: the addressee first
            addressee = quoted_name(self.ctx, k + 1, j, opener=True)
            k = addressee.last if addressee is not None else k
        quoted = quoted_name(self.ctx, k, j, opener=True) if k < j else None
        if quoted is not None:
            return parse_appositions(self.ctx, quoted, j) + (True,)
        found = self.mention_from(k, j, strong=True) if k < j else None
        if found is not None and not found[0].subject and self.ctx.proclitic(words[k]) == "ل":
            return None, found[1], True  # قال لوكالة الصحافة الفرنسية: the addressee, not the speaker
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
            if cue is None and not w.punct and i + 1 < len(words) and lex.is_complementizer(words[i + 1].text):
                cue = lex.cue_with_object(w.text)  # ويصفها بأنها …: the object pronoun, then the content
            if cue is None or w.punct or self.inside_quote(w.start) or self.in_boilerplate(w.start, w.end) \
                    or w.start < covered_until or i > 0 and lex.word_in(words[i - 1].text, lex.not_before_cue):
                continue
            if cue.participle and i > 0 and words[i - 1].text in DASHES:
                continue  # فلاح الجوفان - سبق - متابعة: a byline, not a speaker
            stop = words.sentence_end(i)
            op = self.opener(i, stop, cue)
            nominal = self.nominal_object(i, stop, cue, op)
            op = (nominal, "nominal") if nominal is not None else op
            if op is None:
                self.note_subject(i, stop, cue)
                continue
            j, kind = op
            m, after, ok = self.subject(i, j, cue)
            if not ok or cue.klass == "strict" and not self.strict_ok(i, j, m, after):
                continue
            if kind == "nominal" and cue.participle:
                m = None  # مطالبا إياها بجلب …: a participle's noun phrase is its object
            if cue.klass not in ("relay", "statement") and not cue.participle:
                pre = self.preceding_subject(i)
                if m is None or pre is not None and pre.first == words.sentence_start(i) and (
                        kind == "nominal" or pre.kind != "name" and not m.role and m.kind != "group"):
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
        if kind == "nominal":
            return self.nominal_content(j, stop)
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
        final = after_mark >= stop or words[after_mark].text in TERMINAL  # the quotation ends the sentence
        if closes and (plain or cue.klass != "opinion" and self.adjuncts_only(after, j, MAX_REGION if final else MAX_ADJUNCTS,
                                                                             subjunctive=final)
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
        s, e = self.span(start, self.report_start(start, end if end >= 0 else len(text)))
        if e <= s or self.inside_quote(s):
            return None
        return s, e, "direct", None

    def report_start(self, start: int, end: int) -> int:
        """The start of the first sentence after ``start`` (before ``end``) that opens with a reporting
        verb of the narrator (``وفيما أشار إلى أن …``, ``وأضاف …``), else ``end``."""
        words, lex = self.words, self.lex
        first = words.at(start)
        for k in range(first + 1, len(words)):
            if words[k].start >= end:
                break
            if words.sentence_start(k) != k:
                continue
            v = k + 1 if lex.word_in(words[k].text, lex.boundaries) and k + 1 < len(words) else k
            cue = lex.cue(words[v].text)
            if cue is not None and not cue.participle and cue.klass != "strict":
                return words[k - 1].end
        return end

    def adjuncts_only(self, a: int, j: int, limit: int = MAX_ADJUNCTS, participles: bool = True,
                      subjunctive: bool = False) -> bool:
        """Words ``a..j`` between a cue's subject and its quote mark are adjuncts of the cue
        (``في أربيل``, ``لوكالة فرانس برس``, ``عبر الهاتف``): no clause of their own
        (complementizer, another cue) and no sentence end. ``subjunctive``: an adjunct may hold a
        subjunctive أن (``قبل أن يتوجه إلى …``)."""
        lex = self.lex
        return j - a <= limit and not any(
            w.text in TERMINAL or w.text == ":" or lex.is_complementizer(w.text)
            and not (subjunctive and lex.word_in(self.words[w.i - 1].text, lex.subjunctive_after))
            or (lex.cue(w.text) is not None and not (participles and lex.cue(w.text).participle)
                and not lex.word_in(self.words[w.i - 1].text, lex.not_before_cue))
            for w in self.words.items[a:j])

    def sentence_stop_after_marks(self, c0: int, stop: int) -> int:
        mark = self.mark_at(c0)
        return self.words.at(mark.end) if mark is not None else stop

    def mention_from(self, i: int, stop: int, strong: bool = False) -> Optional[Tuple[Mention, int]]:
        """The mention starting at word ``i`` (before ``stop``) with its appositions, and the
        index of the word after them; None when no mention starts there (``strong``: as
        :func:`parse_mention`)."""
        m = parse_mention(self.ctx, i, stop, strong=strong)
        return None if m is None else parse_appositions(self.ctx, m, stop)

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
        for mark in map(self.top.get, self._top_opens):
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
