"""Finders whose cue is not a verb before the content (a mixin of :class:`.extract.Extractor`).

* :meth:`SourceFinders.after_candidates`  — the cue after the content: ``“…”، قال X``, ``…، حسبما يقول X``,
  ``…، بحسب X``;
* :meth:`SourceFinders.source_candidates` — a source phrase first: ``وبحسب X، فإن …``;
* :meth:`SourceFinders.nominal_object` / :meth:`SourceFinders.nominal_content` — the verbal-noun content of a
  demand or promise (``طالب X بالخروج``, ``حث X على رفض``), read by the cue finder;
* :meth:`SourceFinders.headline_candidates` — a line, or part of a line between ``..``, reading
  ``NAME: content`` (``غوتيريش: …``, ``الوزير للصحفيين: …``, ``ومسؤول يرد: …``).
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from .lexicon import CONJUNCTIONS, Cue, bare_forms, key
from .records import Candidate
from .spans import TERMINAL, QuoteMark, clause_end, is_comma
from .speakers import Mention, parse_mention

__all__ = ["SourceFinders"]

MAX_HEADLINE = 25     # words in a headline line
MAX_NOMINAL_GAP = 10  # words between a cue and the preposition of its verbal-noun content
MIN_NOMINAL = 2       # words of a verbal-noun content (حث على رفض الاتفاق)

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




class SourceFinders:
    """After-cue, source-phrase and headline finders; they read the :class:`.extract.Extractor` state
    (``words``, ``lex``, ``ctx``, ``top``, ``registry``) and its helpers."""

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
        return (cue_i, cue, m) if end >= stop or words[end].text in TERMINAL else None

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
            cut = len(self.ctx.proclitic(first)) if self.ctx.proclitic(first) in CONJUNCTIONS else 0
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
            if after >= stop or not (is_comma(words[after]) or self.lex.is_complementizer(words[after].text)):
                continue  # وبحسب X، … / وبحسب X فإن …
            c0 = after + 1 if is_comma(words[after]) else after
            if c0 < stop and self.lex.is_complementizer(words[c0].text):
                c0 += 1
            got = self.clause(c0, stop)
            if got is not None:
                start, end, kind, mark = got
                out.append(Candidate(start, end, kind, w.start, (w.start, end), (w.start, words[k - 1].end), None, m, mark))
        return out

    def nominal_object(self, i: int, stop: int, cue: Cue, op: Optional[Tuple[int, str]]) -> Optional[int]:
        """Index of the preposition that opens a verbal-noun content of cue ``i`` (``دعا X إلى بدء
        …``, ``وعدت الحكومة بتعزيز …``: lexicon ``nominal_content``) when no clause opener comes
        first; a quotation may follow inside that content (``طالب بهدم القرية التي وصفوها ب"…"``)."""
        words, lex = self.words, self.lex
        prep = lex.nominal_preps.get(key(cue.lemma))
        if prep is None or op is not None and op[1] != "quote" or cue.participle and cue.gender == "F" \
                or i > 0 and any(c.isdigit() for c in words[i - 1].text):
            return None  # مطالبة is also the noun "demand"; 8000 طالب is "students"
        limit = min(stop, i + 1 + MAX_NOMINAL_GAP, op[0] - 1 if op is not None else stop)
        for k in range(i + 1, limit):
            w = words[k]
            if w.punct and not is_comma(w) or w.text in TERMINAL:
                return None
            if prep == "ب" and (w.key == prep or self.ctx.proclitic(w) == prep and len(self.ctx.clitics(w).stem) >= 3):
                return k
            if prep != "ب" and prep in bare_forms(w.key)[:2]:
                return k
        return None

    def nominal_content(self, k: int, stop: int) -> Optional[Tuple[int, int, str, Optional[QuoteMark]]]:
        """The verbal-noun content after the preposition at word ``k`` (or its proclitic ب), to the clause end."""
        words = self.words
        w = words[k]
        attached = len(w.text) > 2 and self.ctx.proclitic(w) == "ب"
        c0 = k if attached else k + 1
        if c0 >= stop:
            return None
        ce = clause_end(words, c0, stop, self.lex, self.top)
        start, end = self.span(w.start + 1 if attached else words[c0].start, words[ce - 1].end)
        if len(self.text[start:end].split()) < MIN_NOMINAL:
            return None
        frags = [m for m in self.top.values() if start <= m.open and m.end <= end + 1]
        if any(m.close == end for m in frags):
            end += 1
        return start, end, "mixed" if frags else "indirect", frags[0] if frags else None

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
