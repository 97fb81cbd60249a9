"""Speaker mentions: the noun phrase that names who speaks, parsed at a word.

A mention is a ``doc.ents`` entity, a group or one unnamed source (``الخبراء``, ``بعض المحللين في …``,
``مسؤول تركي``), a title with or without a name (``وزير الخارجية الإيراني عباس عراقجي``, ``المستشار
السابق``, ``كبير المحللين في إحدى الشركات رائد الخضر``), an organisation or statement (``وزارة الدفاع
البريطانية``, ``بيان صادر عن مكتب …``) or a bare name (``صن``, a quoted ``"اليامي"``). Appositions after
it give the role (``، المستشار السابق للكرملين،``) or the name (``المحلل الروسي، سيرجي ميخيف،``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Dict, Optional, Sequence, Tuple

from spacy.tokens import Doc

from ..clitics import analyze
from .lexicon import Lexicon, bare_forms, load_lexicon, noun_gender
from .spans import CLOSERS, OPENERS, Word, Words, is_comma

__all__ = ["Mention", "Context", "parse_mention", "quoted_name", "parse_appositions"]

_QUOTES = OPENERS | CLOSERS | {'"'}
MAX_NAME = 5
MAX_GROUP = 8
MAX_ROLE = 16
MAX_TITLE_GAP = 8   # words between a title and its name (كبير المحللين في إحدى شركات البورصة رائد الخضر)


@dataclass(frozen=True)
class Mention:
    """A speaker mention: raw char span, label (PER ORG GPE GROUP) and how it was parsed."""

    start: int
    end: int
    text: str
    label: str
    kind: str                       # entity | name | title | group | org | np (a bare definite noun phrase)
    first: int                      # first word index
    last: int                       # one past the last word index
    role: Optional[str] = None      # title before the name, or apposition
    gender: Optional[str] = None    # "M" / "F" when known
    subject: bool = True            # not governed by a preposition
    singular: bool = False          # a GROUP mention naming one unnamed source (مسؤول تركي)
    lead: Optional[int] = None      # first word of the title before the name, if any

    @property
    def number(self) -> str:
        return "pl" if self.label == "GROUP" and not self.singular else "sg"




class Context:
    """Everything a parser or step reads: doc, words, lexicon, entities by start word."""

    def __init__(self, doc: Doc, words: Words, lex: Optional[Lexicon] = None):
        self.doc = doc
        self.text = words.text
        self.words = words
        self.lex = lex or load_lexicon()
        self._clitics: Dict[int, object] = {}
        self.ents: Dict[int, Tuple[int, int, str]] = {}
        for ent in doc.ents:
            if ent.label_ in ("PER", "ORG", "GPE"):
                i = words.containing(ent.start_char)
                if 0 <= i < len(words) and words[i].start <= ent.start_char < words[i].end:
                    self.ents.setdefault(i, (words.containing(max(ent.start_char, ent.end_char - 1)) + 1,
                                             ent.start_char, ent.label_))

    # -- word classes ------------------------------------------------------------------------
    def clitics(self, w: Word):
        """Clitic analysis of ``w`` (cached)."""
        if w.i not in self._clitics:
            self._clitics[w.i] = analyze(w.text)
        return self._clitics[w.i]

    def definite(self, w: Word) -> bool:
        """The word carries the article (``الكرملين``, ``للأمم``, ``بالتلفزيون``)."""
        return bool(self.clitics(w).article)

    def proclitic(self, w: Word) -> str:
        """The conjunction/preposition proclitic of ``w`` (``ل`` of ``لوزارة``), else ``""``."""
        return self.clitics(w).proclitic

    def closed(self, w: Word) -> bool:
        """A function word, preposition, complementizer or speech noun: never in a name."""
        lex = self.lex
        return (w.punct or lex.is_function_word(w.text) or lex.word_in(w.text, lex.auxiliaries)
                or lex.is_complementizer(w.text) or lex.is_speech_noun(w.text) or w.text in _QUOTES)

    def delimiter(self, i: int, limit: int) -> bool:
        """Word ``i`` may follow a mention: the limit, punctuation, a closed word, a cue, ل/ب + article."""
        if i >= limit:
            return True
        w = self.words[i]
        return self.closed(w) or self.lex.cue(w.text) is not None or self.proclitic(w)[-1:] in ("ل", "ب")

    def nameish(self, w: Word) -> bool:
        """Could be part of a personal name."""
        lex = self.lex
        return (not self.closed(w) and not self.definite(w) and any(c.isalpha() for c in w.text)
                and "\u064b" not in w.text  # tanween -an: an adverb or object (تزامناً، دورًا)
                and not any(c.isdigit() for c in w.text) and lex.cue(w.text) is None
                and not lex.is_role(w.text) and not lex.is_group(w.text) and not lex.is_org_head(w.text))

    def cut(self, w: Word) -> int:
        """Chars of the proclitic to leave out of a mention starting at ``w`` (``لوزارة`` -> 1); a
        lone ف before a word without the article starts a name (فادي، فيصل), not a conjunction."""
        clitics = self.clitics(w)
        return 0 if clitics.proclitic == "ف" and not clitics.article else len(clitics.proclitic)

    def mention(self, first: int, last: int, label: str, kind: str, start: Optional[int] = None, **kw) -> Mention:
        """The mention of words ``first..last``; it starts after their proclitic, or at ``start``."""
        w0 = self.words[first]
        start = w0.start + self.cut(w0) if start is None else start
        end = self.words[last - 1].end
        prev = self.words[first - 1] if first else None
        subject = not (start > w0.start and self.text[w0.start] in "بلك") and not (
            prev is not None and self.lex.word_in(prev.text, self.lex.prepositions))
        if label == "PER" and kw.get("gender") is None:  # a person's gender from the first name or title
            kw["gender"] = self.lex.name_gender(w0.text) or self.lex.title_gender(w0.text)
        return Mention(start, end, self.text[start:end], label, kind, first, last, subject=subject, **kw)


# -- mention parsers ------------------------------------------------------------------------------

def _name_end(ctx: Context, i: int, limit: int) -> Optional[int]:
    """One past a personal name starting at ``i`` that ends at a delimiter, else None."""
    words, lex = ctx.words, ctx.lex
    j, n = i, 0
    while j < limit and n < MAX_NAME:
        w = words[j]
        if lex.word_in(w.text, lex.name_links) and j + 1 < limit and not words[j + 1].punct:
            j, n = j + 1, n + 1
            while j + 1 < limit and lex.word_in(words[j].text, lex.name_links):  # بن عبد الرحمن
                j, n = j + 1, n + 1
            j, n = j + 1, n + 1
            continue
        if ctx.nameish(w) and not (n and (ctx.proclitic(w) or w.text.endswith("ة"))):
            j, n = j + 1, n + 1
            continue
        if n and j + 2 < limit and not w.punct and not lex.word_in(w.text, lex.prepositions) \
                and ctx.nameish(words[j + 1]) and (is_comma(words[j + 2]) or words[j + 2].text == ":"):
            j, n = j + 2, n + 2  # a particle-like syllable inside a name: تشانغ هو جين،
            continue
        if n and ctx.definite(w) and not ctx.closed(w) and not lex.is_role(w.text) and ctx.delimiter(j + 1, limit) \
                and not ctx.proclitic(w):
            j += 1
        break
    if j == i or not ctx.delimiter(j, limit):
        return None
    return j


def _surname_like(k: str) -> bool:
    """A definite word (key ``k``) shaped like a family name, not an adjective, participle or
    verbal noun: a nisba (``القحطاني``) or a short stem outside the derived patterns (``الطويل``,
    ``الدم``; not ``الموجود``، ``البالغ``، ``التعليق``، ``الموالية``).

    >>> [_surname_like(k) for k in ("القحطاني", "الطويل", "الموجود", "البالغ", "التعليق", "الموالية")]
    [True, True, False, False, False, False]
    """
    if not k.startswith("ال") or k.endswith(("ه", "ات")):
        return False
    if k.endswith("ي"):
        return True
    stem = k[2:]
    return 2 <= len(stem) <= 4 and stem[:1] not in "مت" and not (len(stem) == 4 and stem[1] == "ا") and not stem.startswith("ا")


def _title_end(ctx: Context, i: int, limit: int) -> int:
    """One past a title phrase headed by the role word at ``i`` (``المتحدث باسم الحكومة``):
    article-bearing words, links (باسم، لدى), further role nouns and construct nouns."""
    words, lex = ctx.words, ctx.lex
    j = i + 1
    while j < limit:
        w = words[j]
        nxt = words[j + 1] if j + 1 < limit else None
        if w.punct or lex.name_gender(w.text) or ctx.ents.get(j, (0, 0, ""))[2] == "PER":
            break
        if ctx.proclitic(w) == "ل" and lex.is_audience(w.text):
            break  # قال النائب العام للدولة لوكالة الأنباء …: who he told
        if lex.word_in(w.text, lex.title_links) and nxt is not None and not nxt.punct:
            j += 2
        elif ctx.definite(w) and not ctx.closed(w):
            if ctx.proclitic(w) and ctx.delimiter(j + 1, limit) and (nxt is None or not is_comma(nxt)) and (
                    nxt is None or nxt.punct or nxt.text in _QUOTES or ctx.proclitic(w) != "ل" or j + 1 in ctx.ents):
                break  # an addressee or adjunct: الوزير للصحفيين: (not a genitive: المكتب الإعلامي للمقاومة في …)
            j += 1
        elif lex.is_role(w.text) or (not ctx.closed(w) and nxt is not None and ctx.definite(nxt) and not ctx.closed(nxt)
                                     and (lex.is_org_head(w.text) or not ctx.delimiter(j + 2, limit))):
            j += 1
        else:
            break
    return j


def _group(ctx: Context, i: int, limit: int) -> Optional[Mention]:
    """A plural group (``خبراء``, ``بعض المصادر``) or one unnamed source (``مسؤول تركي``, ``مصدر مقرب
    من السلطات``) with its modifiers; never a title followed by a name (``مسؤول الإعلام X``)."""
    words, lex = ctx.words, ctx.lex
    j = i
    while j < limit and j - i < 2 and lex.word_in(words[j].text, lex.quantifiers):
        j += 1
    if j >= limit:
        return None
    head = words[j]
    single = not lex.is_group(head.text)
    if single and not (j == i and lex.is_source_head(head.text) and not ctx.definite(head) and not ctx.proclitic(head)
                       and not (j + 1 < limit and ctx.definite(words[j + 1]) and not ctx.proclitic(words[j + 1]))):
        return None  # عضو اللجنة: a title (but قائد بالمقاومة: a source and its phrase)
    if single:
        titled = _titled(ctx, i, limit)
        if titled is not None and titled.kind != "title" and (
                ctx.ents.get(titled.first, (0, 0, ""))[2] == "PER" or lex.name_gender(words[titled.first].text)):
            return None
    k, linked, addressee = j + 1, False, None
    while k < limit and k - i < MAX_GROUP:
        w = words[k]
        to = ctx.proclitic(w)[-1:] == "ل"
        if w.punct or w.text in _QUOTES or lex.is_complementizer(w.text) or lex.cue(w.text) \
                or lex.is_speech_noun(w.text) or (to and single and not linked) \
                or (lex.word_in(w.text, lex.prepositions) and not lex.word_in(w.text, lex.source_links)):
            break  # one source's ل before a في/من phrase is an addressee (قائد قوات محلية لرويترز)
        addressee = k if to and addressee is None else addressee
        linked = linked or lex.word_in(w.text, lex.source_links)
        k += 1
    if k - i >= MAX_GROUP:
        k = addressee or j + 1
    gender = noun_gender(head.text) if single else None
    return ctx.mention(i, k, "GROUP", "group", singular=single, gender=gender)


def _entity(ctx: Context, i: int, limit: int) -> Optional[Mention]:
    ent = ctx.ents.get(i)
    if ent is None or ent[0] > limit:
        return None
    end, start, label = ent
    words = ctx.words
    if end - i == 1 and ctx.lex.is_role(words[i].text) or ctx.lex.is_source_head(words[i].text) \
            and not ctx.definite(words[i]):
        return None  # a role word or an unnamed source tagged as a name (دبلوماسي فرنسي): other parsers read it
    w0 = words[i]
    if start == w0.start + 1 and ctx.text[w0.start] == "ف" and not ctx.definite(w0):
        start = w0.start  # NER read the ف of a name as a conjunction (فادي)
    elif start == w0.start + ctx.cut(w0):
        start = None      # where the mention would start anyway
    name_end = _name_end(ctx, i, limit)
    if name_end is not None and name_end > end and label == "PER" and (
            not any(ctx.definite(words[x]) for x in range(end, name_end))
            or name_end == end + 1 and _surname_like(words[end].key)):  # NER tagged هاني of هاني الطويل
        return ctx.mention(i, name_end, "PER", "name", start=start)
    if label == "ORG":
        end = max(end, _title_end(ctx, end - 1, limit))  # trailing modifiers: وزارة الدفاع البريطانية
    return ctx.mention(i, end, label, "entity", start=start)


def _titled(ctx: Context, i: int, limit: int) -> Optional[Mention]:
    lex, words = ctx.lex, ctx.words
    if not lex.is_role(words[i].text):
        return None
    t_end = i + 1 if lex.is_honorific(words[i].text) else _title_end(ctx, i, limit)
    gender = lex.title_gender(words[i].text)
    title = ctx.text[ctx.mention(i, t_end, "PER", "title").start:words[t_end - 1].end]
    ent = ctx.ents.get(t_end)
    name = _entity(ctx, t_end, limit) if ent and ent[2] == "PER" else None
    if name is None and t_end < limit:
        n_end = _name_end(ctx, t_end, limit)
        name = ctx.mention(t_end, n_end, "PER", "name") if n_end else None
    if name is None:
        name = quoted_name(ctx, t_end, limit)
    if name is None and not lex.is_honorific(words[i].text):
        t_end, name = _distant_name(ctx, t_end, limit)
        title = ctx.text[ctx.mention(i, t_end, "PER", "title").start:words[t_end - 1].end]
    if name is not None:
        return replace(name, role=None if lex.is_honorific(words[i].text) else title, gender=lex.name_gender(words[t_end].text) or gender,
                       kind="name", label="PER", subject=ctx.mention(i, t_end, "PER", "title").subject, lead=i)
    return ctx.mention(i, t_end, "PER", "title", gender=gender)


def _quoted_name_end(ctx: Context, j: int, limit: int) -> Optional[int]:
    """One past a short quoted name at word ``j`` (``"دوغان"``), else None."""
    words = ctx.words
    if j >= limit or words[j].text not in _QUOTES:
        return None
    k = next((x for x in range(j + 1, min(limit, j + MAX_NAME + 2)) if words[x].text in _QUOTES), None)
    return k + 1 if k is not None and k > j + 1 else None


def quoted_name(ctx: Context, j: int, limit: int, opener: bool = False) -> Optional[Mention]:
    """A name in quote marks at word ``j`` (``وقال "اليامي" في بيان``), its ``last`` past the
    closing mark; None when the marks hold more than a name or close the clause. ``opener``:
    ``limit`` is the word opening the content, which may follow the name (``وأضاف "اليامي" أن``)."""
    q = _quoted_name_end(ctx, j, limit + 1 if opener else limit)
    if q is None or (q > limit if opener else q >= limit or ctx.words[q].punct) \
            or any(ctx.closed(w) for w in ctx.words.items[j + 1:q - 1]):
        return None
    m = ctx.mention(j + 1, q - 1, "PER", "name", gender=ctx.lex.name_gender(ctx.words[j + 1].text))
    return replace(m, last=q)


def _distant_name(ctx: Context, j: int, limit: int) -> Tuple[int, Optional[Mention]]:
    """A title's name after a place or body phrase: ``كبير المحللين في إحدى شركات البورصة رائد
    الخضر``, ``المتحدث باسم المجلس العسكري في تعز العميد سمير الحاج``. Returns the title's new end
    and the name (a PER entity, or a name of two words or more right before the content, within a few
    words, crossing no punctuation, cue or ``مع`` phrase)."""
    words, lex = ctx.words, ctx.lex
    for k in range(j, min(limit, j + MAX_TITLE_GAP)):
        w = words[k]
        ent = ctx.ents.get(k)
        if ent is not None and ent[2] == "PER" and k > j:
            return k, _entity(ctx, k, limit)
        inside = ctx.nameish(words[k - 1]) or lex.word_in(words[k - 1].text, lex.name_links) \
            or lex.word_in(w.text, lex.name_links)  # not the middle of a long name (تركي بن سعود بن …)
        e = _name_end(ctx, k, limit) if k > j and ctx.nameish(w) and not inside else None
        if e is not None and e - k >= 2 and (e == limit or lex.is_complementizer(words[e].text) or words[e].text == ":"):
            return k, ctx.mention(k, e, "PER", "name", gender=lex.name_gender(w.text))  # … رائد الخضر بأن
        if w.punct or w.text in _QUOTES or lex.cue(w.text) is not None or lex.is_complementizer(w.text) \
                or (lex.word_in(w.text, lex.prepositions) and not lex.word_in(w.text, lex.source_links)):
            break
    return j, None


def _org(ctx: Context, i: int, limit: int) -> Optional[Mention]:
    """An organisation or statement head with its modifiers: ``وزارة الدفاع البريطانية``, ``وكالة
    "دوغان" التركية للأنباء``, ``بيان صدر عن مكتب رئيس الوزراء``."""
    words, lex = ctx.words, ctx.lex
    if not lex.is_org_head(words[i].text):
        return None
    j = _title_end(ctx, i, limit)
    quoted = _quoted_name_end(ctx, j, limit)
    if j + 2 < limit and lex.word_in(words[j].text, lex.issued_by) and "عن" in bare_forms(words[j + 1].key):
        issuer = parse_mention(ctx, j + 2, limit, strong=True)
        j = issuer.last if issuer is not None else j
    elif quoted is not None:
        j = _title_end(ctx, quoted - 1, limit)
    elif j < limit and j - i == 1:
        n_end = _name_end(ctx, j, limit)
        j = n_end if n_end and n_end - j == 1 else j
    return ctx.mention(i, j, "ORG", "org")


def _name(ctx: Context, i: int, limit: int) -> Optional[Mention]:
    end = _name_end(ctx, i, limit)
    if end is None or not ctx.nameish(ctx.words[i]):
        return None
    return ctx.mention(i, end, "PER", "name", gender=ctx.lex.name_gender(ctx.words[i].text))


def _definite_np(ctx: Context, i: int, limit: int) -> Optional[Mention]:
    words = ctx.words
    j = i
    while j < limit and j - i < 3 and ctx.definite(words[j]) and not ctx.closed(words[j]):
        j += 1
    while i < j < limit and (words[j].key == "ال" or words[j].text.isdigit()):
        j += 1  # a number after the noun: التقرير الـ51، القرار 2254
    if j == i or not ctx.delimiter(j, limit) or words[i].key[:1] in "لب" and not words[i].key.startswith("ال"):
        return None
    return ctx.mention(i, j, "ORG", "np")


_PARSERS: Sequence[Callable[[Context, int, int], Optional[Mention]]] = (_entity, _group, _titled, _org, _name)


def parse_mention(ctx: Context, i: int, limit: int, strong: bool = False) -> Optional[Mention]:
    """The speaker mention starting at word ``i`` (not past ``limit``), or None.

    ``strong`` (the subject slot of a reporting verb) also accepts a bare definite noun phrase
    (``الكرملين``) as an organisation.
    """
    if i >= limit or ctx.words[i].punct:
        return None
    for parser in _PARSERS:
        m = parser(ctx, i, limit)
        if m is not None:
            return m
    return _definite_np(ctx, i, limit) if strong else None


def parse_appositions(ctx: Context, m: Mention, limit: int) -> Tuple[Mention, int]:
    """Read ``، role،`` / ``، NAME،`` / ``، في …،`` segments after ``m``; returns the speaker
    mention (the apposed name replaces a bare title) and the index after the last segment."""
    words, lex = ctx.words, ctx.lex
    j = m.last
    while j < limit and is_comma(words[j]):
        k = j + 1
        while k < limit and not is_comma(words[k]) and words[k].text != ":" and k - j <= MAX_ROLE:
            k += 1
        if k - j > MAX_ROLE or k == j + 1:
            break
        first = words[j + 1]
        lead = 1 if any(f in lex.resumptive_pronouns for f in bare_forms(first.key)) else 0
        seg_start = j + 1 + lead
        name_end = _name_end(ctx, seg_start, k) if (m.kind == "title" or m.singular) and not lead else None
        if name_end == k:
            role = m.text
            gender = lex.name_gender(words[seg_start].text) or m.gender
            m = replace(ctx.mention(seg_start, k, "PER", "name"), role=role, gender=gender, kind="apposition",
                        subject=m.subject)
        elif seg_start < k and (lead or lex.is_role(words[seg_start].text)):
            role = ctx.text[words[seg_start].start:words[k - 1].end]
            if m.role is None or m.kind == "apposition":
                m = replace(m, role=role if m.role is None else m.role,
                            gender=m.gender or lex.title_gender(words[seg_start].text))
        elif not lex.word_in(first.text, lex.prepositions):
            break
        j = k
    return m, j
