"""The resolution steps that turn a speaker mention (or its absence) into a speaker.

Mentions are parsed by :mod:`.mentions` (re-exported here). Resolution steps, tried in this
order; the first that answers names the ``attribution``:

1. ``continuation`` — a quotation with no cue right after another continues its speaker;
2. ``group``        — the mention is an unnamed group;
3. ``surname``      — a one-word name or honorific + name (``صن``, ``السيد تشانغ``) that is part of a
   fuller name seen in the document;
4. ``nominal``      — a title without a name (``المستشار السابق``) matching a role seen with a name;
5. ``apposition``   — a title whose name follows in apposition;
6. ``explicit``     — any other mention, as written;
7. ``pronoun``      — no mention (pro-drop ``وأضاف``, ``وتقول``, ``ويقولون``, a participle ``مشيرا``):
   the nearest earlier speaker, subject of a reporting verb or sentence subject that agrees with the
   verb in gender and number (never an object or a place met on the way).

>>> import arabic_geo_nlp as agn
>>> from arabic_geo_nlp.quotes.spans import Words
>>> doc = agn.load()("قال وزير الخارجية الإيراني عباس عراقجي إن الجولة المقبلة في مسقط.")
>>> ctx = Context(doc, Words(doc))
>>> m = parse_mention(ctx, 1, 8, strong=True)
>>> m.text, m.role, m.label
('عباس عراقجي', 'وزير الخارجية الإيراني', 'PER')
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

from ..clitics import analyze
from .lexicon import Cue, key
from .mentions import Context, Mention, parse_appositions, parse_mention, quoted_name
from .spans import is_comma

__all__ = ["Mention", "Speaker", "Context", "parse_mention", "quoted_name", "parse_appositions", "Registry", "resolve", "STEPS"]


@dataclass(frozen=True)
class Speaker:
    """Who said it: the name to report, the mention in the text, and how it was found."""

    name: str
    mention: Mention
    attribution: str
    kb_id: Optional[str] = None

    @property
    def label(self) -> str:
        return self.mention.label

    @property
    def gender(self) -> Optional[str]:
        return self.mention.gender

    @property
    def number(self) -> str:
        return self.mention.number


# -- the registry of speakers and named people --------------------------------------------------

@dataclass
class Registry:
    """Named people (for surnames), roles seen with them (for nominal mentions) and the
    speakers attributed so far (for pronouns and continuations)."""

    people: List[Mention] = field(default_factory=list)
    mentions: List[Mention] = field(default_factory=list)
    speakers: List[Tuple[int, Speaker]] = field(default_factory=list)
    subjects: List[Tuple[int, Mention]] = field(default_factory=list)  # (cue start, subject) of cues without content
    _sentence_subject: Dict[int, bool] = field(default_factory=dict)  # id(mention) -> _sentence_subject

    def is_sentence_subject(self, ctx: "Context", m: Mention) -> bool:
        """:func:`_sentence_subject`, computed once per registered mention."""
        known = self._sentence_subject.get(id(m))
        if known is None:
            known = self._sentence_subject[id(m)] = _sentence_subject(ctx, m)
        return known

    def add_mention(self, m: Mention) -> None:
        self.mentions.append(m)
        if m.kind in ("name", "apposition", "entity") and m.label == "PER" and len(m.text.split()) >= 2:
            self.people.append(m)

    def add_speaker(self, at: int, sp: Speaker) -> None:
        self.speakers.append((at, sp))
        if sp.mention.label == "PER" and sp.name == sp.mention.text and len(sp.name.split()) >= 2 \
                and sp.mention not in self.people:
            self.people.append(sp.mention)

    def ordered(self, items: Sequence[Mention], at: int) -> List[Mention]:
        """``items`` before ``at`` (nearest first), then those after it (nearest first)."""
        return sorted(items, key=lambda m: (m.start >= at, -m.start if m.start < at else m.start))


def _tokens(text: str) -> List[str]:
    """Comparable words of a mention: keys without proclitics and article."""
    return [key(analyze(t).stem) for t in text.split()]


def _person(ctx: Context, reg: Registry, m: Mention, at: int) -> Optional[Mention]:
    """The fuller name a surname mention points to."""
    toks = _tokens(m.text)
    for p in reg.ordered(reg.people, at):
        ptoks = _tokens(p.text)
        if len(ptoks) > len(toks) and all(t in ptoks for t in toks):
            return p
    return None


def _role_holder(ctx: Context, reg: Registry, m: Mention, at: int) -> Optional[Mention]:
    """The named person whose title or apposition role contains the nominal mention's words."""
    toks = _tokens(m.text)
    for p in reg.ordered([p for p in reg.mentions + reg.people if p.role and p.kind != "title"], at):
        rtoks = _tokens(p.role or "")
        if rtoks and toks and toks[0] == rtoks[0] and all(t in rtoks for t in toks):
            return p
    return None


def step_continuation(ctx, reg, m, cue, at, previous) -> Optional[Speaker]:
    """A cue-less quotation right after another one: same speaker."""
    return replace(previous, attribution="continuation") if previous is not None and m is None and cue is None else None


def step_group(ctx, reg, m, cue, at, previous) -> Optional[Speaker]:
    """An unnamed group (``الخبراء``, ``مسؤولون من …``)."""
    return Speaker(m.text, m, "group") if m is not None and m.label == "GROUP" else None


def step_surname(ctx, reg, m, cue, at, previous) -> Optional[Speaker]:
    """A one-word name (or honorific + name) that is part of a fuller name seen in the document."""
    if m is None or m.kind not in ("name", "entity") or m.label in ("GROUP", "GPE") or len(m.text.split()) > 1:
        return None
    full = _person(ctx, reg, m, at)
    if full is None:
        return None
    return Speaker(full.text, replace(m, label="PER", gender=m.gender or full.gender, role=m.role or full.role),
                   "surname")


def step_nominal(ctx, reg, m, cue, at, previous) -> Optional[Speaker]:
    """A title without a name (``المستشار السابق``, ``الوزير``) matching a role seen with a name."""
    if m is None or m.kind != "title":
        return None
    holder = _role_holder(ctx, reg, m, at)
    if holder is None:
        return None
    return Speaker(holder.text, replace(m, gender=m.gender or holder.gender, role=holder.role), "nominal")


def step_apposition(ctx, reg, m, cue, at, previous) -> Optional[Speaker]:
    """A title followed by the speaker's name in apposition (``المحلل الروسي، سيرجي ميخيف،``)."""
    return Speaker(m.text, m, "apposition") if m is not None and m.kind == "apposition" else None


def _display(ctx: Context, m: Mention) -> str:
    """The mention as a name: its article restored when ل swallowed its alif (``للتنظيم`` -> ``التنظيم``)."""
    w0 = ctx.words[m.first]
    if m.start == w0.start + 1 and ctx.text.startswith("لل", w0.start):
        return "ا" + m.text
    return m.text


def step_explicit(ctx, reg, m, cue, at, previous) -> Optional[Speaker]:
    """Any other mention, as written (a ل-swallowed article restored: ``بيان للتنظيم`` -> ``التنظيم``)."""
    return Speaker(_display(ctx, m), m, "explicit") if m is not None else None


def _agrees(cue: Optional[Cue], sp_gender: Optional[str], sp_number: str, things: bool = False) -> bool:
    """The cue's gender and number fit the speaker's; a feminine singular fits a plural of
    ``things`` (``مصادر …، مشيرة إلى``)."""
    if cue is None:
        return True
    if cue.number != sp_number:
        return things and cue.gender == "F" and cue.number == "sg"
    return cue.gender is None or sp_gender is None or cue.gender == sp_gender or sp_number == "pl"


def _sentence_subject(ctx: Context, m: Mention) -> bool:
    """``m`` is the subject of its sentence: its first words (``كينياتا قال``) or right after the
    sentence's first word, a verb (``ورفض السفير هريدي …``, ``وكان بخاري …``), which may follow a
    short lead (``ومن جانبه رفض …``, ``وفي سياق متصل، رفض …``)."""
    words = ctx.words
    first = m.first if m.lead is None else m.lead
    s0 = words.sentence_start(first)
    if first == s0:
        return True
    verb = words[first - 1]
    if ctx.closed(verb) or ctx.proclitic(verb)[-1:] in ("ل", "ب") or ctx.definite(verb) and first - 1 > s0:
        return False  # (a first word read as ال + stem may still be a verb: والتقى)
    lead = words.items[s0:first - 1]
    return not lead or (len(lead) <= 4 and ctx.lex.word_in(lead[0].text, ctx.lex.prepositions)
                        and (len(lead) <= 2 or is_comma(lead[-1])))


def _things(ctx: Context, x) -> bool:
    """``x`` (a speaker or mention) is a plural group of non-persons (``مصادر محلية``)."""
    m = x.mention if isinstance(x, Speaker) else x
    return m.label == "GROUP" and m.number == "pl" and any(ctx.lex.is_thing_plural(w) for w in m.text.split()[:3])


def _clause_subject(ctx: Context, m: Mention) -> bool:
    """``m`` follows the verb right after a complementizer: ``بعد أن نشرت بوكو حرام …``."""
    first = m.first if m.lead is None else m.lead
    if first < 2:
        return False
    verb = ctx.words[first - 1]
    return ctx.lex.is_complementizer(ctx.words[first - 2].text) and not ctx.closed(verb) \
        and not ctx.definite(verb) and ctx.proclitic(verb)[-1:] not in ("ل", "ب")


def _as_speaker(ctx, reg, m: Mention) -> Optional[Speaker]:
    for step in (step_group, step_surname, step_nominal, step_apposition, step_explicit):
        sp = step(ctx, reg, m, None, m.start, None)
        if sp is not None:
            return replace(sp, attribution="pronoun")
    return None


def step_pronoun(ctx, reg, m, cue, at, previous) -> Optional[Speaker]:
    """No mention (pro-drop ``وأضاف``, a participle ``مشيرا``): the nearest earlier speaker, subject
    of a reporting verb or sentence subject that agrees with the verb in gender and number — in the
    cue's sentence, else a person named earlier in that sentence, else anywhere before. Objects and
    places met on the way are not speakers."""
    if m is not None or cue is None:
        return None
    words = ctx.words
    sent = words[words.containing(at)].sent
    # (position, speaker or subject, is a mention that must be a sentence subject), nearest first;
    # only the nearest agreeing one is wanted: agreement is checked from the nearest on
    found: List[Tuple[int, object, bool]] = [(pos, sp, False) for pos, sp in reg.speakers if pos < at]
    found += [(pos, s, False) for pos, s in reg.subjects if pos < at]
    found += [(c.start, c, True) for c in reg.mentions if c.start < at and c.subject
              and c.label in ("PER", "GROUP", "ORG", "GPE")]
    found.sort(key=lambda x: -x[0])
    subjects = [(pos, x) for pos, x, check in found if not check or reg.is_sentence_subject(ctx, x)]
    nearest = next(((pos, x) for pos, x in subjects if _agrees(cue, x.gender, x.number, _things(ctx, x))), None)
    if nearest is None and cue.number == "pl":  # a body speaks in the plural: مجلس المطارنة … وأكدوا
        nearest = next(((pos, x) for pos, x in subjects if x.label in ("ORG", "GROUP")), None)
    # the nearest of these if in the cue's sentence (the nearest come first: those of the cue's
    # sentence), else the nearest person named earlier in it, else the nearest
    item = nearest[1] if nearest is not None and words[words.containing(nearest[0])].sent == sent else None
    if item is None:
        item = max((c for c in reg.mentions if c.start < at and words[c.first].sent == sent and c.subject
                    and c.label == "PER" and _agrees(cue, c.gender, c.number)), key=lambda c: c.start, default=None)
    if item is None and nearest is not None:
        item = nearest[1]
    if item is None:  # the first speaker of the text, subject of a subordinate clause: بعد أن نشرت X …
        item = max((c for c in reg.mentions if c.start < at and words[c.first].sent == sent and c.subject
                    and c.label in ("PER", "GROUP", "ORG") and _clause_subject(ctx, c)
                    and _agrees(cue, c.gender, c.number, _things(ctx, c))), key=lambda c: c.start, default=None)
    if item is None:
        return None
    if isinstance(item, Speaker):
        return replace(item, attribution="pronoun")
    return _as_speaker(ctx, reg, item)


STEPS = (step_continuation, step_group, step_surname, step_nominal, step_apposition, step_explicit, step_pronoun)


def resolve(ctx: Context, reg: Registry, m: Optional[Mention], cue: Optional[Cue], at: int,
            previous: Optional[Speaker] = None) -> Optional[Speaker]:
    """Run :data:`STEPS` in order; the first answer wins (None when no step answers).

    ``m`` is the mention found at the cue (None for pro-drop), ``cue`` the verb form (None for
    cue-less quotations), ``at`` the char offset of the cue, ``previous`` the speaker of the
    quotation just before a cue-less one.
    """
    if m is not None and cue is not None and m.gender is None and m.label != "GROUP" and not cue.participle:
        m = replace(m, gender=cue.gender)
    for step in STEPS:
        sp = step(ctx, reg, m, cue, at, previous)
        if sp is not None:
            return sp
    return None
