"""The ``agn_linker`` component and :func:`link_mention` (quote speakers and other free mentions).

Steps for each mention, in order (``linked_by`` names the one that linked it): ``kb`` (exact
alias, 1.0), ``kb_variant`` (variant key 0.9, close skeleton 0.8), ``kb_type`` (a span tagged PER
that is a place's or organisation's alias, relabelled), ``kb_context`` (an alias of
several entries: the one whose description names the most actors linked in the document),
``kb_generic`` (a generic alias: the entry of the country in context, 0.8; 0.72 by the document's
dominant country), ``kb_head`` and ``template`` (a place after its head noun, a country's team:
:mod:`.phrases`), coreference (:mod:`.coref`), ``guess`` (:mod:`.romanize`); :func:`link_mention`
also tries ``kb_role`` (a role phrase, resolved by the document's publication year).
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..ner.gazetteer import ordinary_words, stripped_key
from .context import adjective_country, dominant_country, text_countries
from .coref import (_Mention, _coref, _is_person, _link_people, _matches, _prepare, _span_mention, _without_proclitics,
                    person_words)
from .kb import LABELS, Entry, STEP_SCORE as _STEP_SCORE, KnowledgeBase, Link, kb_with as _kb_with
from .phrases import document_keys, head_link, template_link
from .romanize import guess_name

__all__ = ["Linker", "link_mention", "make_linker", "document_year"]

# The KB types a NER label may link to without the type-mismatch penalty.
_FITS = {"PER": {"PER"}, "ORG": {"ORG"}, "GPE": {"GPE", "LOC"}, "LOC": {"LOC", "GPE"}, "MISC": {"MISC"}}
_TYPE_MISMATCH = 0.7
_CONTEXT = 0.9
_USER_DATA_KEY = ("agn_link", "kb")
_EVIDENCE_TYPES = ("GPE", "LOC", "PER")  # linked actors whose country is a document's country evidence


def document_year(doc: Doc) -> Optional[int]:
    """The year of ``doc._.published`` (an ISO date set by ``agn_clean``), or None.

    >>> import spacy
    >>> from arabic_geo_nlp.extensions import register
    >>> register()
    >>> doc = spacy.blank("ar")("نص")
    >>> doc._.published = "2015-07-24"
    >>> document_year(doc)
    2015
    """
    published = getattr(doc._, "published", None) if Doc.has_extension("published") else None
    if isinstance(published, (datetime.date, datetime.datetime)):
        return published.year
    if isinstance(published, str) and re.match(r"^\d{4}", published):
        return int(published[:4])
    return None


def _fits(entry: Entry, label: Optional[str]) -> bool:
    return label is None or entry.type in _FITS.get(label, {label})


def _ordinary_word(text: str) -> bool:
    """``text`` is one word that the reference corpora use mostly outside names."""
    return " " not in text.strip() and stripped_key(text.strip()) in ordinary_words()


def _kb_step(kb: KnowledgeBase, m: _Mention) -> None:
    """Steps 1–2: exact alias, variant key, skeleton key (each over every form of ``m``). A
    one-word mention spelled as a mostly ordinary word (جبل, المدينة) links by its exact alias only.
    A mention whose leading words read as a title (سلطان, الفريق أول) first tries its whole text as an
    exact alias of an entry of its type: the "title" may be the first name (سلطان بن سلمان)."""
    if m.forms[0][0] != m.text:
        whole = [e for e in kb.candidates(m.text, "kb") if _fits(e, m.label)]
        if len(whole) == 1:
            m.link = Link.of(whole[0], _STEP_SCORE["kb"], "kb")
            return
    for step in ("kb",) if _ordinary_word(m.text) else ("kb", "kb_variant", "kb_skeleton"):
        for text, factor in m.forms:
            found = kb.candidates(text, step)
            if step == "kb_skeleton":  # the long tail links by exact or variant key only
                found = [e for e in found if not kb.in_tail(e)]
            fitting = [e for e in found if _fits(e, m.label)]
            found = fitting or [e for e in found if kb.is_core(e)]
            if not fitting and (step == "kb_skeleton" or not found):
                continue
            score = _STEP_SCORE[step] * factor * (1.0 if fitting else _TYPE_MISMATCH)
            entries = fitting or found
            if len(entries) == 1:
                m.link = Link.of(entries[0], score, "kb" if step == "kb" else "kb_variant")
            else:
                m.candidates, m.candidate_factor = entries, score
            return


def _type_conflict_step(kb: KnowledgeBase, m: _Mention) -> None:
    """``kb_type``: a mention the tagger read as a person (PER) whose whole span, of two words or
    more, is the alias of one place or organisation (غازي عنتاب, إرنست آند يونغ) links to it and
    takes its type (``m.relabel``), unless something supports the person: a title, or a known first
    name and a known surname (:func:`.coref.person_words`) with only known name words between
    (آند in إرنست آند يونغ is no name word). The exact alias of any entry
    outside the long tail; a variant or close skeleton of a curated organisation's. A mention that
    :func:`_kb_step` linked to a curated entry of another type (with the type-mismatch penalty)
    takes that type too."""
    if m.label != "PER" or m.candidates or len(m.words) < 2 or m.title or m.link is not None and m.link.type == "PER":
        return
    firsts, lasts = person_words(kb)
    if m.keys[0] in firsts and m.keys[-1] in lasts and all(k in firsts or k in lasts for k in m.keys[1:-1]):
        return
    if m.link is not None:  # a curated entry's alias, linked with the type-mismatch penalty
        m.relabel = m.link.type
        return
    for step in ("kb", "kb_variant", "kb_skeleton"):
        found = [e for e in kb.candidates(m.forms[0][0], step) if e.type != "PER" and not kb.in_tail(e)
                 and (step == "kb" or kb.is_core(e) and e.type == "ORG")]
        if found:
            if len(found) == 1:
                m.link = Link.of(found[0], _STEP_SCORE[step] * _TYPE_MISMATCH, "kb_type")
                m.relabel = found[0].type
            return


def _context_step(kb: KnowledgeBase, mentions: Sequence[_Mention]) -> None:
    """``kb_context``: an ambiguous alias takes the entry whose description names the most
    linked mentions of the document (counted by mention), if one does strictly; else the entry
    of the country the document's linked actors belong to most often (وزارة الداخلية in an
    article about Iraq), if one does strictly."""
    counts: Dict[str, int] = {}
    countries: Dict[str, int] = {}
    for m in mentions:
        if m.link is not None:
            counts[m.link.entity.casefold()] = counts.get(m.link.entity.casefold(), 0) + 1
            entry = kb.get(m.link.entity, m.link.type)
            if entry is not None and entry.country:
                countries[entry.country] = countries.get(entry.country, 0) + 1
    for m in mentions:
        if m.link is not None or not m.candidates:
            continue
        for score in (lambda e: _mentions_named(e.description, counts), lambda e: countries.get(e.country, 0)):
            best = _strict_best([score(e) for e in m.candidates])
            if best is not None:
                m.link = Link.of(m.candidates[best], m.candidate_factor * _CONTEXT, "kb_context")
                break


def _strict_best(scores: Sequence[int]) -> Optional[int]:
    """The index of the one highest positive score, if one is strictly highest."""
    top = max(scores, default=0)
    return scores.index(top) if top > 0 and scores.count(top) == 1 else None


def _mentions_named(description: str, counts: Dict[str, int]) -> int:
    """How many mentions ``counts`` (entity name → mentions) has of the names in ``description``."""
    text = description.casefold()
    return sum(n for name, n in counts.items() if re.search(rf"\b{re.escape(name)}\b", text))


def _linked_countries(kb: KnowledgeBase, links: Sequence[Optional[Link]]) -> Counter:
    """How many of ``links`` are places or people of each country (organisations are not: Twitter
    and Fox News say nothing of a story's country)."""
    counts: Counter = Counter()
    for link in links:
        if link is not None and link.type in _EVIDENCE_TYPES:
            entry = kb.get(link.entity, link.type)
            if entry is not None and entry.country:
                counts[entry.country] += 1
    return counts


def _doc_words(doc: Doc) -> List[str]:
    """The document's tokens (the nationality adjectives of its country context)."""
    return [t.text for t in doc if not t.is_space]


def _document_countries(kb: KnowledgeBase, words: Sequence[str], links: Sequence[Optional[Link]]) -> Callable[[], Counter]:
    """A document's country evidence: its nationality adjectives and its linked actors (``links``
    as they are now), counted when first asked for (most documents have no generic alias)."""
    links = list(links)

    @lru_cache(maxsize=1)
    def counts() -> Counter:
        return text_countries(words) + _linked_countries(kb, links)

    return counts


def _context_country(kb: KnowledgeBase, found: Sequence[Entry], counts: Counter) -> Optional[str]:
    """The dominant country (:func:`.context.dominant_country`) of ``counts`` among the countries
    that may have the institution: those of ``found``, and those whose institutions the KB does not
    know (a country known to have no senate is passed over; an unknown country is not)."""
    known = kb.generic_countries()
    have = {e.country for e in found}
    return dominant_country({c: n for c, n in counts.items() if c in have or c not in known})


def _next_country(kb: KnowledgeBase, after: Sequence[str]) -> Optional[str]:
    """The country that the words right after a mention name: a nationality adjective (الداخلية
    العراقية), else a place linked by its exact alias, alone or after في (الداخلية في العراق)."""
    if not after:
        return None
    found = adjective_country(after)
    if found is not None:
        return found[0]
    words = list(after[1:] if after[0] == "في" else after)
    for n in range(len(words), 0, -1):
        places = {e.country for e in kb.candidates(" ".join(words[:n]), "kb") if e.type == "GPE" and e.country}
        if places:
            return places.pop() if len(places) == 1 else None
    return None


def _generic_candidates(kb: KnowledgeBase, text: str) -> Tuple[List[Entry], Optional[str]]:
    """Entries with the generic alias ``text``, or with the generic alias that ``text`` is followed by a
    nationality adjective (وزارة الداخلية الأفغانية), with that adjective's country."""
    found = kb.candidates(text, "kb_generic")
    if found:
        return found, None
    words = text.split()
    for cut in range(len(words) - 1, 0, -1):
        adjective = adjective_country(words[cut:])
        if adjective is not None and adjective[1] == len(words) - cut:
            found = kb.candidates(" ".join(words[:cut]), "kb_generic")
            if found:
                return found, adjective[0]
    return [], None


def _generic_link(kb: KnowledgeBase, m: _Mention, counts: Callable[[], Counter]) -> Optional[Link]:
    """``kb_generic``: a generic alias (وزارة الداخلية) links to the entry of the country named right
    after it (or in it: a nationality adjective), else of the document's dominant country
    (:func:`_context_country` over ``counts()``), if one entry of that country has the alias; else
    nothing."""
    for text, factor in m.forms:
        found, country = _generic_candidates(kb, text)
        if not found:
            continue
        country = country or _next_country(kb, m.after)
        factor *= 1.0 if country else _CONTEXT
        country = country or _context_country(kb, found, counts())
        hits = [e for e in found if e.country == country and _fits(e, m.label)]
        if len(hits) == 1:
            return Link.of(hits[0], _STEP_SCORE["kb_generic"] * factor, "kb_generic")
        return None
    return None


def _generic_step(kb: KnowledgeBase, mentions: Sequence[_Mention], words: Sequence[str]) -> None:
    """``kb_generic`` over the mentions still unlinked and without candidates (in place)."""
    pending = [m for m in mentions if m.link is None and not m.candidates and m.label in (None, "ORG", "GPE", "LOC")]
    if not pending:
        return
    counts = _document_countries(kb, words, [m.link for m in mentions])
    for m in pending:
        m.link = _generic_link(kb, m, counts)


def _phrase_step(kb: KnowledgeBase, mentions: Sequence[_Mention], words: Sequence[str]) -> None:
    """``kb_head`` (a place after its head noun) and ``template`` (a country's team) over the
    mentions still unlinked and without candidates (in place; :mod:`.phrases`); ``words`` are the
    document's tokens, read only when a template needs them."""
    doc_keys = lru_cache(maxsize=1)(lambda: document_keys(words))
    for m in mentions:
        if m.link is None and not m.candidates:
            if m.label in (None, "GPE", "LOC"):
                m.link = head_link(kb, m)
            if m.link is None and m.label in (None, "ORG", "MISC"):
                m.link = template_link(kb, m, doc_keys)


def _link_mentions(kb: KnowledgeBase, mentions: Sequence[_Mention], words: Sequence[str] = ()) -> None:
    """Run every step over the mentions of one document (in place); ``words`` are the document's
    tokens (the nationality adjectives of its country context)."""
    for m in mentions:
        _kb_step(kb, m)
        _type_conflict_step(kb, m)
    _context_step(kb, mentions)
    _generic_step(kb, mentions, words)
    _phrase_step(kb, mentions, words)
    _link_people(kb, mentions)


class Linker:
    """The ``agn_linker`` component: links every ``doc.ents`` span (see the module docstring)."""

    def __init__(self, kb: Optional[str] = None):
        self.kb_file = str(kb) if kb else None
        self.kb = _kb_with(self.kb_file)

    def __reduce__(self):
        """Pickle as the KB file name (worker processes load the KB themselves)."""
        return Linker, (self.kb_file,)

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        mentions = [_span_mention(ent) for ent in ents]
        year = document_year(doc)
        for m in mentions:
            m.year = year
        _link_mentions(self.kb, mentions, _doc_words(doc))
        if any(m.relabel for m in mentions):
            ents = [Span(doc, e.start, e.end, label=m.relabel) if m.relabel else e for e, m in zip(ents, mentions)]
            doc.ents = ents
        for ent, m in zip(ents, mentions):
            link = m.link
            ent._.entity = link.entity if link else None
            ent._.kb_id = link.kb_id if link else None
            ent._.link_score = link.score if link else None
            ent._.linked_by = link.linked_by if link else None
        doc.user_data[_USER_DATA_KEY] = self.kb_file
        _last_linked.clear()
        return doc


@Language.factory("agn_linker", default_config={"kb": None})
def make_linker(nlp: Language, name: str, kb: Optional[str]) -> Linker:
    """``nlp.add_pipe("agn_linker", config={"kb": "my_entities.tsv"})``: the packaged KB plus ``kb``."""
    return Linker(kb)


def _ent_link(kb: KnowledgeBase, ent: Span) -> Optional[Link]:
    """The link the linker gave ``ent`` (its type is the KB entry's, else the NER label's)."""
    if not ent._.entity:
        return None
    entries = [kb.get(ent._.entity, t) for t in (ent.label_, *LABELS)]
    entry_type = next((e.type for e in entries if e), ent.label_ if ent.label_ in LABELS else "MISC")
    return Link(ent._.entity, ent._.kb_id, entry_type, ent._.link_score or 0.0, ent._.linked_by or "")


def link_mention(doc: Doc, mention: Union[str, Span], label: Optional[str] = None,
                 kb: Optional[KnowledgeBase] = None) -> Optional[Link]:
    """Link a mention that need not be one of ``doc.ents`` (a quote's speaker), in the context
    of ``doc``'s linked entities: an entity span returns its link; otherwise the KB steps, then
    a role (``kb_role``: الرئيس الروسي, المتحدث باسم الكرملين), then a surname or first name of
    a full name in ``doc.ents``, then (``label="PER"``) a guess. ``kb`` defaults to the KB of
    the linker that processed ``doc``.

    >>> import arabic_geo_nlp as agn
    >>> doc = agn.load()("قال المتحدث باسم الكرملين")
    >>> link_mention(doc, "الكرملين").entity, link_mention(doc, "للكرملين").linked_by
    ('Kremlin', 'kb')
    """
    kb = kb or _kb_with(doc.user_data.get(_USER_DATA_KEY))
    linked = _linked_entities(doc, kb)
    if isinstance(mention, Span):
        link = linked.by_offsets.get((mention.start_char, mention.end_char))
        if link is not None:
            return link
        m = _span_mention(mention, label)
    else:
        m = _prepare(mention.strip(), label, None, (), None)
    m.year = document_year(doc)
    _kb_step(kb, m)
    if m.link is None and m.candidates:
        best = _strict_best([linked.countries.get(e.country, 0) for e in m.candidates])
        if best is not None:
            m.link = Link.of(m.candidates[best], m.candidate_factor * _CONTEXT, "kb_context")
    if m.link is None and not m.candidates:
        m.link = _role_step(kb, m)
    if m.link is None and not m.candidates and label in (None, "ORG"):
        m.link = _generic_link(kb, m, linked.country_counts)
    if m.link is None and m.keys and m.nameable and label in (None, "PER"):
        m.link = _coref(kb, m, linked.people)
        if m.link is None and label == "PER" and not any(_matches(m, a) for a in linked.people):
            m.link = guess_name(m.words)
    return m.link


@dataclass
class _LinkedEntities:
    """What :func:`link_mention` reads of a document's linked entities, built once per document."""

    by_offsets: Dict[Tuple[int, int], Link]  # (start_char, end_char) → the entity's link
    people: List[_Mention]  # linked-or-not full person names (two words or more), for coreference
    countries: Dict[str, int]  # country code → mentions of linked actors of that country
    country_counts: Callable[[], Counter]  # country evidence (generic aliases), counted when asked for


# The last document's _LinkedEntities, as [doc, kb, table]: a speaker-linking pass asks for the same
# document many times. Kept out of doc.user_data, which must stay serializable.
_last_linked: list = []


def _linked_entities(doc: Doc, kb: KnowledgeBase) -> _LinkedEntities:
    """The document's entity links and person names, built once per document (the linker drops
    the cache when it runs), so that linking every quote speaker costs one pass over the entities."""
    if _last_linked and _last_linked[0] is doc and _last_linked[1] is kb:
        return _last_linked[2]
    by_offsets: Dict[Tuple[int, int], Link] = {}
    people: List[_Mention] = []
    countries: Dict[str, int] = {}
    year = document_year(doc)
    for ent in doc.ents:
        link = _ent_link(kb, ent)
        if link is not None:
            by_offsets[(ent.start_char, ent.end_char)] = link
            entry = kb.get(link.entity, link.type)
            if entry is not None and entry.country:
                countries[entry.country] = countries.get(entry.country, 0) + 1
        a = _span_mention(ent)
        a.link, a.year = link, year
        if _is_person(a) and len(a.keys) >= 2 and a.nameable:
            people.append(a)
    linked = _LinkedEntities(by_offsets, people, countries, _document_countries(kb, _doc_words(doc), by_offsets.values()))
    _last_linked[:] = [doc, kb, linked]
    return linked


def _role_step(kb: KnowledgeBase, m: _Mention) -> Optional[Link]:
    """``kb_role``: the one entry holding this role phrase (as written or without proclitics) in
    the document's year; with no year, only a role that one entry holds in every year it lists."""
    for text in (m.text, *_without_proclitics(m.text)):
        entries = kb.role_holders(text, m.year)
        if len(entries) == 1:
            return Link.of(entries[0], _STEP_SCORE["kb_role"], "kb_role")
    return None
