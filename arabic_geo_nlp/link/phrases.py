"""Regular phrases around a known name: a head noun before a place (نهر الفرات, جبل الشيخ, ولاية
كاليفورنيا) and templates over a country (منتخب سويسرا, المنتخب السعودي).

Both are data: ``data/kb/head_nouns.tsv`` gives, for each head noun, the KB types its name may
link to and what the entry's English name or description must (``kind``) or must not (``avoid``)
say; ``data/kb/templates.tsv`` gives, for each head noun, the English name made from the country's
canonical KB name, and the words after the phrase that make it another team (للشباب, لكرة اليد).
They link a mention that no KB alias links as a whole (``kb_head``, ``template``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict, FrozenSet, Iterator, List, Optional, Sequence, Tuple

from .context import adjective_country
from .coref import _Mention, _without_proclitics
from .kb import Entry, KnowledgeBase, Link
from .keys import _tsv_rows, data_file, exact_key

__all__ = ["HeadNoun", "Template", "head_nouns", "templates", "head_link", "template_link", "country_entries", "document_keys"]

HEAD_SCORE = 0.8  # a head noun's name linked by the name's exact alias
TEMPLATE_SCORE = 0.75


@dataclass(frozen=True)
class HeadNoun:
    """A row of ``head_nouns.tsv``: the types the name after ``head`` may link to, the regular
    expressions the entry's ``name | description`` must match (``kind``, empty: any) and must not
    match (``avoid``), and the head nouns of the same kind of place (``synonyms``: ولاية, محافظة)."""

    head: str
    types: Tuple[str, ...]
    kind: Optional["re.Pattern[str]"]
    avoid: Optional["re.Pattern[str]"]
    synonyms: Tuple[str, ...] = ()

    def accepts(self, entry: Entry) -> bool:
        """Whether ``entry`` is of the kind the head noun names.

        >>> head_nouns()[exact_key("نهر")].accepts(Entry("", "Nile", "LOC", (), "river in north-eastern Africa"))
        True
        """
        text = f"{entry.name} | {entry.description}".casefold()
        return (entry.type in self.types and (self.kind is None or bool(self.kind.search(text)))
                and not (self.avoid and self.avoid.search(text)))


@dataclass(frozen=True)
class Template:
    """A row of ``templates.tsv``: ``head`` + a country (its name or nationality adjective) is the
    entity ``name`` (``{country}``: the country's KB name), unless the words after the phrase
    start with one of ``blockers`` and not with one of ``allowed``, or the document has one of the
    ``off_topic`` words or word pairs (another sport, a youth or Olympic team: كرة اليد, الناشئين,
    أولمبياد); the
    countries of ``not_countries`` have no such entity."""

    head: str
    name: str
    type: str
    allowed: Tuple[Tuple[str, ...], ...]
    blockers: Tuple[str, ...]
    off_topic: FrozenSet[str] = frozenset()
    not_countries: FrozenSet[str] = frozenset()

    def blocked(self, after: Sequence[str]) -> bool:
        """Whether the words after the phrase make it another team.

        >>> t = templates()[exact_key("منتخب")]
        >>> t.blocked(["لكرة", "اليد"]), t.blocked(["لكرة", "القدم"]), t.blocked(["في", "المباراة"])
        (True, False, False)
        """
        keys = tuple(exact_key(w) for w in after)
        if any(keys[: len(a)] == a for a in self.allowed):
            return False
        return bool(keys) and keys[0] in self.blockers


def _pattern(cell: str) -> Optional["re.Pattern[str]"]:
    return re.compile(cell.strip()) if cell.strip() else None


def _table_rows(name: str, width: int) -> Iterator[List[str]]:
    """The rows of the data file ``name`` after its header line, padded to ``width`` cells."""
    for row in _tsv_rows(data_file(name).read_text(encoding="utf-8").splitlines()):
        if row[0] != "head":
            yield row + [""] * (width - len(row))


@lru_cache(maxsize=1)
def head_nouns() -> Dict[str, HeadNoun]:
    """``head_nouns.tsv`` by the head noun's exact key."""
    table: Dict[str, HeadNoun] = {}
    for row in _table_rows("head_nouns.tsv", 5):
        synonyms = tuple(w for w in row[4].split("|") if w.strip())
        table[exact_key(row[0])] = HeadNoun(row[0], tuple(row[1].split("|")), _pattern(row[2]), _pattern(row[3]), synonyms)
    return table


@lru_cache(maxsize=1)
def templates() -> Dict[str, Template]:
    """``templates.tsv`` by the head noun's exact key (the article dropped: المنتخب, منتخب)."""
    table: Dict[str, Template] = {}
    for row in _table_rows("templates.tsv", 7):
        allowed = tuple(tuple(exact_key(w) for w in a.split()) for a in row[3].split("|") if a.strip())
        blockers = tuple(exact_key(w) for w in row[4].split("|") if w.strip())
        off_topic = frozenset(exact_key(w) for w in row[5].split("|") if w.strip())
        not_countries = frozenset(c.strip() for c in row[6].split("|") if c.strip())
        table[exact_key(row[0])] = Template(row[0], row[1], row[2], allowed, blockers, off_topic, not_countries)
    return table


@lru_cache(maxsize=8)
def country_entries(kb: KnowledgeBase) -> Dict[str, Entry]:
    """ISO code → the KB's entry of that country (the GPE entry of the code with the country's
    CLDR Arabic name as an alias), built once per KB."""
    from ..ner.build import cldr_territories

    table: Dict[str, Entry] = {}
    for code, (arabic, _) in cldr_territories().items():
        found = [e for e in kb.candidates(arabic, "kb") if e.type == "GPE" and e.country == code]
        if len(found) == 1:
            table[code] = found[0]
    return table


def _split_head(m: _Mention, table: Dict) -> Optional[Tuple[object, str]]:
    """The row of ``table`` whose head noun starts ``m`` (as written or without proclitics), and
    the rest of the mention."""
    for text, _ in m.forms:
        for form in (text, *_without_proclitics(text)):
            head, _, rest = form.partition(" ")
            row = table.get(exact_key(head))
            if row is not None and rest.strip():
                return row, rest.strip()
    return None


def head_link(kb: KnowledgeBase, m: _Mention) -> Optional[Link]:
    """``kb_head``: a head noun and a name (نهر الفرات, جبل الباروك, ولاية نيويورك) link to the one
    entry that the head noun accepts (:meth:`HeadNoun.accepts`) of the name after a synonym of the
    head (محافظة غازي عنتاب for ولاية غازي عنتاب), else of the name alone, by exact alias (a variant
    key reads too many foreign towns as known ones: باغا as Béja)."""
    found = _split_head(m, head_nouns())
    if found is None:
        return None
    head, rest = found
    for name in (*(f"{s} {rest}" for s in head.synonyms), rest):
        entries = [e for e in kb.candidates(name, "kb") if not kb.in_tail(e)]
        fitting = [e for e in entries if head.accepts(e)]
        if len(fitting) == 1:
            return Link.of(fitting[0], HEAD_SCORE, "kb_head")
    return None


def document_keys(words: Sequence[str]) -> FrozenSet[str]:
    """The exact keys of a document's words and word pairs, the first word as written and without
    proclitics (what :attr:`Template.off_topic` is checked against; built once per document, when a
    template needs it).

    >>> sorted(document_keys(["لكرة", "اليد"]))
    ['اليد', 'كره', 'كره اليد', 'لكره', 'لكره اليد']
    """
    keys = set()
    for i, word in enumerate(words):
        following = f" {words[i + 1]}" if i + 1 < len(words) else ""
        for form in (word, *_without_proclitics(word)):
            keys.add(exact_key(form))
            if following:
                keys.add(exact_key(form + following))
    return frozenset(keys)


def template_link(kb: KnowledgeBase, m: _Mention, doc_keys: Callable[[], FrozenSet[str]] = frozenset) -> Optional[Link]:
    """``template``: a template's head noun and a country's name or nationality adjective
    (منتخب سويسرا, المنتخب السعودي) make the template's name of that country, unless the words
    after it make it another team (:meth:`Template.blocked`) or ``doc_keys()`` (the document's
    :func:`document_keys`) has an off-topic word of the template.

    The entity is a name made from the country's KB name: no KB id."""
    found = _split_head(m, templates())
    if found is None:
        return None
    template, rest = found
    if template.blocked(m.after) or template.off_topic & doc_keys():
        return None
    countries = country_entries(kb)
    words = rest.split()
    adjective = adjective_country(words)
    entry = None
    if adjective is not None and adjective[1] == len(words):
        entry = countries.get(adjective[0])
    else:
        hits = [e for e in kb.candidates(rest, "kb") if e.type == "GPE" and countries.get(e.country) is e]
        entry = hits[0] if len(hits) == 1 else None
    if entry is None or entry.country in template.not_countries:
        return None
    return Link(template.name.format(country=entry.name), None, template.type, TEMPLATE_SCORE, "template")
