"""The knowledge base: actors (:class:`Entry`), their dated roles (:class:`Role`), the TSV files
they are read from, and the index the linking steps query (:meth:`KnowledgeBase.candidates`).

A KB file is a UTF-8 TSV with the columns ``id name type aliases description roles country``
(``#`` comments and a header line allowed; ``aliases`` and ``roles`` are ``|``-separated; a role
is ``phrase@START-END``, ``END`` empty while in office). Files of the older six-column format
(no ``country``, roles without years) are read as they are.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Tuple, Union

from ..cache import cached
from .keys import _tsv_rows, close_variants, data_file, exact_key, skeleton_key, skeleton_of_key, variant_key

__all__ = [
    "Entry", "Role", "Link", "KnowledgeBase", "packaged_kb", "gazetteer_kb", "packaged_files", "parse_role",
    "read_entries", "role_key", "KB_FILES", "KB_COLUMNS", "LABELS", "CURATED_DIR",
]

LABELS = ("PER", "ORG", "GPE", "LOC", "MISC")
KB_COLUMNS = ("id", "name", "type", "aliases", "description", "roles", "country")
# Packaged layers, lowest first: an alias of a higher layer hides the lower layers' entries with it.
KB_FILES = ("sources.tsv.gz", "places.tsv")
CURATED_DIR = "curated"
STEP_SCORE = {"kb": 1.0, "kb_variant": 0.9, "kb_skeleton": 0.8, "kb_role": 0.7, "kb_generic": 0.8}
GENERIC_MARK = "~"  # an alias written ~وزارة الداخلية is generic: it needs the document's country (see Entry.generic)
_QID = re.compile(r"^Q[1-9][0-9]*$")
_LATIN = re.compile(r"[A-Za-z]")
_ROLE = re.compile(r"^(?P<phrase>.+?)\s*@\s*(?P<start>\d{4})?\s*-\s*(?P<end>\d{4})?\s*$")
_MIN_SKELETON = 3


@dataclass(frozen=True)
class Role:
    """A role phrase and the years it was held (``None``: open or unknown).

    >>> parse_role("وزير الخارجية الأمريكي@2013-2017").holds(2015), parse_role("الرئيس الروسي").dated
    (True, False)
    """

    phrase: str
    start: Optional[int] = None
    end: Optional[int] = None
    dated: bool = True

    def holds(self, year: int) -> bool:
        """Whether the role was held in ``year`` (an undated role: unknown, so False)."""
        return self.dated and (self.start or 0) <= year <= (self.end or 9999)


def parse_role(text: str) -> Role:
    """``phrase@START-END`` (either year may be empty) or a bare phrase (undated)."""
    m = _ROLE.match(text.strip())
    if not m:
        return Role(text.strip(), dated=False)
    start, end = m.group("start"), m.group("end")
    return Role(m.group("phrase"), int(start) if start else None, int(end) if end else None)


@dataclass(frozen=True)
class Entry:
    """One KB actor. ``id`` is a Wikidata QID or a local ``agn:`` id; ``roles`` are
    ``phrase@START-END`` strings (see :class:`Role`); ``country`` an ISO 3166-1 alpha-2 code.
    ``generic`` holds the aliases that name the entry only in a document about its country
    (``~وزارة الداخلية`` in the aliases cell): they link through :mod:`.context`, never alone, and
    are no NER gazetteer names.

    >>> Entry("Q7747", "Vladimir Putin", "PER", ("بوتين",)).qid
    'Q7747'
    """

    id: str
    name: str
    type: str
    aliases: Tuple[str, ...] = ()
    description: str = ""
    roles: Tuple[str, ...] = ()
    country: str = ""
    generic: Tuple[str, ...] = ()

    @property
    def qid(self) -> Optional[str]:
        """The Wikidata QID, or None for a local id."""
        return self.id if _QID.match(self.id) else None

    @property
    def dated_roles(self) -> Tuple[Role, ...]:
        """The roles parsed; an undated phrase that also has years is left out."""
        roles = [parse_role(r) for r in self.roles]
        dated = {r.phrase for r in roles if r.dated}
        return tuple(dict.fromkeys(r for r in roles if r.dated or r.phrase not in dated))


@dataclass(frozen=True)
class Link:
    """The link of one mention: what ``span._.entity/kb_id/link_score/linked_by`` receive.

    >>> Link("Kremlin", None, "ORG", 1.0, "kb").entity
    'Kremlin'
    """

    entity: str
    kb_id: Optional[str]
    type: str
    score: float
    linked_by: str

    @classmethod
    def of(cls, entry: Entry, score: float, linked_by: str) -> "Link":
        return cls(entry.name, entry.qid, entry.type, round(score, 3), linked_by)


_EntryKey = Tuple[str, str]  # (casefolded name, type)


class KnowledgeBase:
    """Actors with Arabic and English aliases, indexed by exact, variant and skeleton keys, and
    by role phrase.

    Rows of files loaded later (a higher ``layer``) take precedence: an alias found in a
    user file hides the packaged entries with that alias. Rows with the same name and type
    are one entry (their aliases and roles are merged; a QID, description or country given later
    wins, and so does the spelling of the name of the higher layer).

    >>> kb = KnowledgeBase()
    >>> kb.add(Entry("", "Stimson Center", "ORG", ("مركز ستيمسون",)))
    >>> [e.name for e in kb.candidates("مركز ستيمسن", "kb_skeleton")]
    ['Stimson Center']
    """

    def __init__(self) -> None:
        self._entries: Dict[_EntryKey, Entry] = {}
        self._alias_layer: Dict[Tuple[_EntryKey, str], int] = {}
        self._entry_layer: Dict[_EntryKey, int] = {}
        self.tail_layer = -1  # entries of this layer or below are the long tail (see in_tail)
        self.core_layer = 0  # entries of this layer or above are curated (see is_core)
        self._index: Optional[Dict[str, Dict[str, Dict[Tuple[_EntryKey, str], int]]]] = None
        self._generic_countries: Optional[FrozenSet[str]] = None

    @classmethod
    def from_files(cls, paths: Iterable[Union[str, Path]]) -> "KnowledgeBase":
        """A KB of the TSV ``paths``, each a layer above the previous one."""
        kb = cls()
        for layer, path in enumerate(paths):
            kb.add_file(path, layer)
        return kb

    def copy(self) -> "KnowledgeBase":
        """An independent copy (adding to it leaves this KB unchanged)."""
        kb = KnowledgeBase()
        kb._entries = dict(self._entries)
        kb._alias_layer = dict(self._alias_layer)
        kb._entry_layer = dict(self._entry_layer)
        kb.tail_layer, kb.core_layer = self.tail_layer, self.core_layer
        return kb

    @property
    def top_layer(self) -> int:
        """The highest layer used so far (-1 for an empty KB)."""
        return max(self._alias_layer.values(), default=-1)

    def add_file(self, path: Union[str, Path], layer: Optional[int] = None) -> None:
        """Add the rows of a KB file (:func:`read_entries`) in ``layer`` (default: above every
        layer so far)."""
        layer = self.top_layer + 1 if layer is None else layer
        for entry in read_entries(path):
            self.add(entry, layer)

    def add(self, entry: Entry, layer: int = 0) -> None:
        """Add ``entry`` (merged with an entry of the same name and type)."""
        key = (entry.name.casefold(), entry.type)
        old = self._entries.get(key)
        if old is not None:
            old_layer = self._entry_layer.get(key, layer)
            entry = Entry(
                entry.id if entry.qid or not old.qid and entry.id else old.id,
                entry.name if layer >= old_layer else old.name, old.type,
                tuple(dict.fromkeys(old.aliases + entry.aliases)),
                entry.description or old.description,
                tuple(dict.fromkeys(old.roles + entry.roles)),
                entry.country or old.country,
                tuple(dict.fromkeys(old.generic + entry.generic)),
            )
        self._entries[key] = replace(entry, id=entry.id or _local_id(entry))
        self._entry_layer[key] = max(layer, self._entry_layer.get(key, layer))
        for alias in (entry.name, *entry.aliases, *(f"@{r}" for r in entry.roles),
                      *(GENERIC_MARK + g for g in entry.generic)):
            self._alias_layer[(key, alias)] = max(layer, self._alias_layer.get((key, alias), layer))
        self._index = None
        self._generic_countries = None

    def generic_countries(self) -> FrozenSet[str]:
        """The countries whose institutions the KB knows by generic aliases: a country of this set
        whose entries lack a generic alias has no such institution (no مجلس الشيوخ in Iraq)."""
        if self._generic_countries is None:
            self._generic_countries = frozenset(e.country for e in self._entries.values() if e.generic and e.country)
        return self._generic_countries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def is_core(self, entry: Entry) -> bool:
        """Whether ``entry`` comes from a curated or user file (a layer at or above
        ``core_layer``) rather than only from the generated ones: only such an entry links a
        mention whose NER label does not fit its type (قالت موسكو → Moscow)."""
        return self._entry_layer.get((entry.name.casefold(), entry.type), 0) >= self.core_layer

    def in_tail(self, entry: Entry) -> bool:
        """Whether ``entry`` is known only from the long-tail layers (``sources.tsv.gz``): such an
        entry links a mention only when its type fits the mention's label."""
        return self._entry_layer.get((entry.name.casefold(), entry.type), 0) <= self.tail_layer

    def get(self, name: str, type_: str) -> Optional[Entry]:
        """The entry with this canonical name and type."""
        return self._entries.get((name.casefold(), type_))

    def _build_index(self) -> Dict[str, Dict[str, Dict[Tuple[_EntryKey, str], int]]]:
        """step → key → {(entry key, alias variant key): layer}."""
        index: Dict[str, Dict[str, Dict[Tuple[_EntryKey, str], int]]] = {step: {} for step in STEP_SCORE}
        variants: Dict[str, str] = {}
        for (key, alias), layer in self._alias_layer.items():
            if alias.startswith("@"):
                phrase = parse_role(alias[1:]).phrase
                steps, variant = {"kb_role": role_key(phrase)}, phrase
            elif alias.startswith(GENERIC_MARK):  # as written, with its article: رئاسة alone is no generic name
                variant = exact_key(alias[1:])
                steps = {"kb_generic": variant}
            else:
                variant = variants.get(alias)
                if variant is None:
                    variant = variants[alias] = variant_key(alias)
                if _LATIN.search(alias):
                    steps = {"kb": exact_key(alias)}
                else:
                    steps = {"kb": exact_key(alias), "kb_variant": variant, "kb_skeleton": skeleton_of_key(variant)}
            for step, k in steps.items():
                if k and (step != "kb_skeleton" or len(k) >= _MIN_SKELETON):
                    slot = index[step].setdefault(k, {})
                    slot[(key, variant)] = max(layer, slot.get((key, variant), layer))
        return index

    def candidates(self, text: str, step: str) -> List[Entry]:
        """Entries whose alias matches ``text`` in ``step`` (``kb``: :func:`exact_key`;
        ``kb_variant``: :func:`variant_key`; ``kb_skeleton``: :func:`close_variants`;
        ``kb_role``: a role phrase by :func:`role_key`, whatever its years; ``kb_generic``: a
        generic alias by :func:`exact_key`, whatever the country), from the highest layer that has any."""
        if self._index is None:
            self._index = self._build_index()
        if step == "kb_role":
            key = role_key(text)
        elif step == "kb":
            key = exact_key(text)
        elif _LATIN.search(text):
            return []
        elif step == "kb_generic":
            key = exact_key(text)
        else:
            query = variant_key(text)
            key = query if step == "kb_variant" else skeleton_of_key(query)
        hits = self._index[step].get(key, {})
        if step == "kb_skeleton":
            hits = {k: layer for k, layer in hits.items() if close_variants(query, k[1])}
        if not hits:
            return []
        if step == "kb_generic":  # one entry per country: every layer's entries compete by country
            return [self._entries[k] for k in dict.fromkeys(k for k, _ in hits)]
        top = max(hits.values())
        return [self._entries[k] for k in dict.fromkeys(k for (k, _), layer in hits.items() if layer == top)]

    def role_holders(self, text: str, year: Optional[int]) -> List[Entry]:
        """Entries holding the role phrase ``text`` (:func:`role_key` equal): with ``year``, those
        whose years for it include ``year`` (in a year of transition, the one holder who took office
        that year, if only one did: Marco Rubio, not Antony Blinken, in 2025); else the one undated
        holder, if only one entry has the phrase; without ``year``, the one entry that has the phrase
        in any year, if only one does.

        >>> kb = KnowledgeBase()
        >>> kb.add(Entry("", "John Kerry", "PER", (), "", ("وزير الخارجية الأمريكي@2013-2017",)))
        >>> kb.add(Entry("", "Marco Rubio", "PER", (), "", ("وزير الخارجية الأمريكي@2025-",)))
        >>> kb.add(Entry("", "Antony Blinken", "PER", (), "", ("وزير الخارجية الأمريكي@2021-2025",)))
        >>> [e.name for e in kb.role_holders("وزير الخارجية الأمريكي", 2015)], kb.role_holders("وزير الخارجية الأمريكي", None)
        (['John Kerry'], [])
        >>> [e.name for e in kb.role_holders("وزير الخارجية الأمريكي", 2025)]
        ['Marco Rubio']
        """
        key = role_key(text)
        holders = self.candidates(text, "kb_role")
        if year is not None:
            dated = [e for e in holders if any(r.holds(year) for r in e.dated_roles if role_key(r.phrase) == key)]
            successors = [e for e in dated if any(r.dated and r.start == year for r in e.dated_roles
                                                  if role_key(r.phrase) == key)]
            if len(dated) > 1 and len(successors) == 1:
                return successors  # a year of transition: the one who took office that year (years give no month)
            if dated:
                return dated
            undated = [e for e in holders if not any(r.dated for r in e.dated_roles if role_key(r.phrase) == key)]
            return undated if len(holders) == 1 else []
        return holders if len(holders) == 1 else []


@lru_cache(maxsize=50_000)
def role_key(phrase: str) -> str:
    """The key role phrases are matched by: the skeleton key of each word, words kept apart
    (الأمريكي and الأميركي are one).

    >>> role_key("وزير الخارجية الأمريكي") == role_key("وزير الخارجية الأميركي")
    True
    >>> role_key("الرئيس العراقي") == role_key("الرئيس الإيراني")
    False
    """
    return " ".join(skeleton_key(w) for w in phrase.split())


def _local_id(entry: Entry) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", entry.name.casefold()).strip("-")
    return f"agn:{entry.type.lower()}:{slug}"


def _split(cell: str) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(a.strip() for a in cell.split("|") if a.strip()))


def entry_from_row(row: List[str], where: str = "") -> Entry:
    """An :class:`Entry` of one TSV row (six or seven columns; missing cells are empty)."""
    cells = (row + [""] * len(KB_COLUMNS))[: len(KB_COLUMNS)]
    id_, name, type_, aliases, description, roles, country = (c.strip() for c in cells)
    if not name or type_ not in LABELS:
        raise ValueError(f"{where}: a KB row needs a name and a type in {LABELS}, got {row!r}")
    names = _split(aliases)
    generic = tuple(a[1:].strip() for a in names if a.startswith(GENERIC_MARK) and a[1:].strip())
    names = tuple(a for a in names if not a.startswith(GENERIC_MARK))
    return Entry(id_, name, type_, names, description, _split(roles), country, generic)


def _lines(path: Path) -> List[str]:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8-sig") as f:
            return f.read().splitlines()
    return path.read_text(encoding="utf-8-sig").splitlines()


def read_entries(path: Union[str, Path]) -> Iterator[Entry]:
    """The entries of a KB TSV (``.tsv`` or ``.tsv.gz``): the seven columns of :data:`KB_COLUMNS`
    or the older six (without ``country``); a header line starting ``id<TAB>name`` is skipped."""
    path = Path(path)
    for n, row in enumerate(_tsv_rows(_lines(path)), 1):
        if row[:2] == ["id", "name"]:
            continue
        yield entry_from_row(row, f"{path}:{n}")


def curated_files() -> List[Path]:
    """The packaged curated TSVs (``data/kb/curated/*.tsv``), in name order."""
    return sorted(data_file(CURATED_DIR).glob("*.tsv"))


def packaged_files() -> List[Path]:
    """The packaged KB files, lowest layer first (generated sources, places, then curated)."""
    return [data_file(name) for name in KB_FILES if data_file(name).exists()] + curated_files()


def _layered(paths_by_layer: Iterable[Iterable[Path]]) -> KnowledgeBase:
    kb = KnowledgeBase()
    for layer, paths in enumerate(paths_by_layer):
        for path in paths:
            kb.add_file(path, layer)
    return kb


@lru_cache(maxsize=1)
def packaged_kb() -> KnowledgeBase:
    """The KB shipped with the package: ``sources.tsv.gz`` below ``places.tsv`` below the
    curated files (one layer). Built once; copy it before adding to it."""
    generated = [[data_file(n)] for n in KB_FILES if data_file(n).exists()]
    layers = generated + [curated_files()]
    return cached("packaged_kb", lambda: _packaged(layers), [p for paths in layers for p in paths])


def _packaged(layers: List[List[Path]]) -> KnowledgeBase:
    """The KB of :func:`packaged_kb` from its layers (generated files, then the curated ones), with
    its alias index built (so that a pickled copy holds it)."""
    kb = _layered(layers)
    kb.tail_layer = 0 if data_file(KB_FILES[0]).exists() else -1
    kb.core_layer = len(layers) - 1
    kb._index = kb._build_index()
    return kb


@lru_cache(maxsize=1)
def gazetteer_kb() -> KnowledgeBase:
    """The packaged KB without ``sources.tsv.gz`` (the long tail that links but does not
    propose NER spans): ``places.tsv`` below the curated files."""
    return _layered([[data_file("places.tsv")], curated_files()])


@lru_cache(maxsize=8)
def kb_with(user_file: Optional[str]) -> KnowledgeBase:
    """The packaged KB, plus ``user_file`` as the top layer."""
    if not user_file:
        return packaged_kb()
    kb = packaged_kb().copy()
    kb.add_file(user_file)
    return kb
