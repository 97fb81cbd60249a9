"""In-document coreference of person names, and the mentions the linking steps work on.

A person mention that is the last or first word(s) of a full name mentioned earlier in the
document (later if none is earlier) takes that name's link (``coref_surname`` / ``coref_first``;
``coref_title`` when a title precedes it: السيد تشانغ). When the full names that fit are different
people, the mention stays unlinked unless its title starts the roles one candidate held in the
document's year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from spacy.tokens import Span

from ..clitics import analyze
from ..normalize import normalize
from .kb import Entry, KnowledgeBase, Link
from .keys import (_leading_title, _trailing_title, _tsv_rows, close_variants, data_file, has_function_word, title_keys,
                   word_keys)
from .romanize import ROMANIZE_OPTIONS, guess_name

_WORD = re.compile(r"\w+")
_COREF_CAP = 0.85
_CATAPHORA = 0.9
_MIN_SKELETON = 3
_AFTER_WORDS = 3


@dataclass
class _Mention:
    """A mention prepared for linking: its name words (title removed) and match forms."""

    text: str
    label: Optional[str]
    start: Optional[int]  # character offset (earlier/later mentions); None for a free text
    forms: List[Tuple[str, float]]  # (text, factor)
    words: Tuple[str, ...]  # name words (normalized, ة kept), title removed
    keys: Tuple[str, ...]  # their word keys
    title: Optional[Tuple[str, ...]]
    nameable: bool = True  # no function word: may be a person's name (coreference, guess)
    stripped_keys: Tuple[str, ...] = ()  # word keys without the first word's proclitics (وكيم → كيم)
    link: Optional[Link] = None
    candidates: List[Entry] = field(default_factory=list)
    candidate_factor: float = 1.0
    year: Optional[int] = None  # the document's publication year, when known
    after: Tuple[str, ...] = ()  # the words right after the mention, up to punctuation (its country context)
    relabel: Optional[str] = None  # the KB type that replaces the NER label (``kb_type``)


def _without_proclitics(text: str) -> List[str]:
    """``text`` without the proclitics of its first word, outermost first: وبيونج يانج →
    [بيونج يانج, يونج يانج]; لل reads as ال (للكرملين → [الكرملين])."""
    first, _, rest = text.partition(" ")
    clitics = analyze(first)
    cut = len(clitics.proclitic)
    forms = []
    for k in range(1, cut + 1):
        stem = first[k:]
        if k == cut and clitics.article == "ل":
            stem = "ا" + stem
        if len(stem) >= 2:
            forms.append((stem + " " + rest).strip())
    return forms


def _restored(span: Span) -> Optional[str]:
    """The span with the last letter of the proclitics glued before it put back (NER may cut a
    name's first letter as a proclitic: و|ب|يونج يانج → بيونج يانج)."""
    if span.start == 0:
        return None
    before = span.doc[span.start - 1]
    if before.whitespace_ or not before.is_alpha or len(before.text) > 3:
        return None
    return before.text[-1] + span.text


def _word_key(word: str) -> str:
    return "".join(word_keys(word)) or word


def _prepare(text: str, label: Optional[str], start: Optional[int], before: Sequence[str],
             restored: Optional[str]) -> _Mention:
    words = _WORD.findall(normalize(text, ROMANIZE_OPTIONS))
    keys = tuple(_word_key(w) for w in words)
    tkeys = tuple(k for w in words for k in title_keys(w))
    cut = _leading_title(tkeys) if len(tkeys) == len(words) else 0
    title = tuple(tkeys[:cut]) if cut else _trailing_title([k for w in before for k in title_keys(w)])
    words, keys = tuple(words[cut:]), keys[cut:]
    core = " ".join(words) if cut else text
    forms = [(core, 1.0)] + [(form, 0.95) for form in _without_proclitics(core)]
    if restored and not cut:
        forms.append((restored, 0.9))
    stripped = tuple(_word_key(w) for w in _WORD.findall(normalize(forms[1][0]))) if len(forms) > 1 else ()
    return _Mention(text, label, start, forms, words, keys, title, not has_function_word(core), stripped)


def _span_mention(span: Span, label: Optional[str] = None) -> _Mention:
    doc = span.doc
    before = [t.text for t in doc[max(0, span.start - 3): span.start] if not t.is_punct and not t.is_space]
    m = _prepare(span.text, label or span.label_ or None, span.start_char, before, _restored(span))
    m.after = _words_after(span)
    return m


def _words_after(span: Span, n: int = _AFTER_WORDS) -> Tuple[str, ...]:
    """Up to ``n`` words right after ``span``, stopping at punctuation."""
    words = []
    for t in span.doc[span.end: span.end + n]:
        if t.is_punct:
            break
        if not t.is_space:
            words.append(t.text)
    return tuple(words)


@lru_cache(maxsize=8)
def person_words(kb: KnowledgeBase) -> Tuple[FrozenSet[str], FrozenSet[str]]:
    """Word keys of known first names (first words of the KB's person aliases of two words or more,
    and the given names of ``arabic_names.tsv``) and of known surnames (their last words), built
    once per KB: a person's evidence for a span the tagger read as PER."""
    firsts, lasts = set(), set()
    for entry in kb:
        if entry.type == "PER":
            for alias in (entry.name, *entry.aliases):
                keys = [_word_key(w) for w in _WORD.findall(normalize(alias, ROMANIZE_OPTIONS))]
                if len(keys) >= 2:
                    firsts.add(keys[0])
                    lasts.add(keys[-1])
    names = _tsv_rows(data_file("arabic_names.tsv").read_text(encoding="utf-8").splitlines())
    firsts.update(_word_key(row[0]) for row in names if row[0] != "arabic" and " " not in row[0].strip())
    return frozenset(firsts), frozenset(lasts)


def _is_person(m: _Mention) -> bool:
    return m.label == "PER" or (m.link is not None and m.link.type == "PER")


def _matches(short: _Mention, full: _Mention) -> Optional[str]:
    """``"coref_surname"``/``"coref_first"`` when the words of ``short`` (as written, else
    without proclitics) end/start the longer name ``full`` (word keys equal, or
    :func:`close_variants` for words of three letters or more)."""
    for keys in (short.keys, short.stripped_keys):
        n = len(keys)
        if not n or n >= len(full.keys):
            continue
        for part, how in ((full.keys[len(full.keys) - n:], "coref_surname"), (full.keys[:n], "coref_first")):
            if all(a == b or min(len(a), len(b)) >= _MIN_SKELETON and close_variants(a, b)
                   for a, b in zip(part, keys)):
                return how
    return None


def _title_evidence(kb: KnowledgeBase, title: Optional[Tuple[str, ...]], links: Sequence[Link],
                    year: Optional[int] = None) -> Optional[Link]:
    """The one candidate whose KB roles start with ``title``, if exactly one does; with ``year``,
    only roles held that year (or undated) count."""
    if not title:
        return None
    fitting = []
    for link in links:
        entry = kb.get(link.entity, link.type)
        if entry and any(title_keys(r.phrase)[: len(title)] == title and (year is None or not r.dated or r.holds(year))
                         for r in entry.dated_roles):
            fitting.append(link)
    return fitting[0] if len(fitting) == 1 else None


def _antecedent_groups(m: _Mention, antecedents: Sequence[_Mention]) -> List[Tuple[List[_Mention], float]]:
    """Antecedents to try, each group with its score factor: earlier mentions, then later ones
    (all at once for a free-text mention)."""
    if m.start is None:
        return [(list(antecedents), 1.0)]
    earlier: List[_Mention] = []
    later: List[_Mention] = []
    for a in antecedents:
        (earlier if a.start is not None and a.start < m.start else later).append(a)
    return [(earlier, 1.0), (later, _CATAPHORA)]


def _coref(kb: KnowledgeBase, m: _Mention, antecedents: Sequence[_Mention]) -> Optional[Link]:
    """Step 3: link ``m`` to the full name it shortens (earlier mentions first, then later)."""
    for group, factor in _antecedent_groups(m, antecedents):
        found: Dict[str, Tuple[Link, str]] = {}
        for a in group:
            how = _matches(m, a)
            if how and a.link is not None:
                found.setdefault(a.link.entity, (a.link, how))
        if not found:
            continue
        if len(found) == 1:
            link, how = next(iter(found.values()))
        else:
            picked = _title_evidence(kb, m.title, [link for link, _ in found.values()], m.year)
            if picked is None:
                return None
            link, how = picked, found[picked.entity][1]
        score = min(link.score, _COREF_CAP) * factor
        return Link(link.entity, link.kb_id, link.type, round(score, 3), "coref_title" if m.title else how)
    return None


def _link_people(kb: KnowledgeBase, mentions: Sequence[_Mention]) -> None:
    """Steps 3–4 for person mentions: full names first (so that surnames find them), then the rest."""
    people = [m for m in mentions if _is_person(m) and m.keys and m.nameable]
    full = [m for m in people if len(m.keys) >= 2]
    for group in (full, [m for m in people if len(m.keys) < 2]):
        for m in group:
            if m.link is not None or m.candidates:
                continue
            antecedents = [a for a in full if a is not m]
            m.link = _coref(kb, m, antecedents)
            if m.link is None and not any(_matches(m, a) for a in antecedents):
                m.link = guess_name(m.words)
