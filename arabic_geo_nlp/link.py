"""Entity linking: one canonical English name (and Wikidata QID where known) per real-world actor.

The ``agn_linker`` component sets ``span._.entity``, ``span._.kb_id``, ``span._.link_score``
and ``span._.linked_by`` on every ``doc.ents`` span. It never changes spans or tokens.
The steps, tried in this order for each mention (``linked_by`` names the one that linked it):

1. ``kb`` — a KB alias equal to the mention after normalization (score 1.0);
2. ``kb_variant`` — equal :func:`variant_key` (0.9), then :func:`close_variants` under one
   :func:`skeleton_key` (0.8, and only for a KB type that fits the NER label);
   ``kb_context`` — an alias shared by several entries (حزب العمال) picks the entry whose
   description names the most actors already linked in the document, or none;
3. ``coref_surname`` / ``coref_first`` / ``coref_title`` — a person mention that is the last or
   first word(s) of a full name mentioned earlier in the document (later if none is earlier)
   takes that name's link; ``coref_title`` when a title precedes it (السيد تشانغ). When the
   earlier full names that fit are different people (كيم جونغ أون, كيم يو جونغ → كيم), the
   mention stays unlinked unless its title starts one candidate's KB roles only;
4. ``guess`` — a person still unknown gets a romanized English name learnt from ANETAC,
   ``kb_id`` None and a score of 0.3–0.6 (never for a mention holding a function word: على);
5. otherwise the mention stays unlinked (all four attributes None).

``kb_id`` is the entry's Wikidata QID; entries known only by a local ``agn:`` id get None.

Mentions are matched as written, then with the proclitics of their first word removed
(للكرملين → الكرملين), then with a letter the NER cut as a proclitic put back (ب|يونج يانج).
Scores are multiplied by 0.95 / 0.9 for those forms and by 0.7 when the KB type does not fit.

>>> import spacy, arabic_geo_nlp.tokenize
>>> nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
>>> _ = nlp.add_pipe("agn_linker")
>>> text = "التقى بوتن بالزعيم كيم جونج اون في بيونج يانج. وقال كيم إن"
>>> doc = nlp.make_doc(text)
>>> doc.ents = [doc.char_span(text.rindex(s), text.rindex(s) + len(s), label=label) for s, label in
...             [("بوتن", "PER"), ("كيم جونج اون", "PER"), ("بيونج يانج", "GPE"), ("كيم", "PER")]]
>>> doc = nlp(doc)
>>> [(e.text, e._.entity, e._.kb_id, e._.linked_by) for e in doc.ents]   # doctest: +NORMALIZE_WHITESPACE
[('بوتن', 'Vladimir Putin', 'Q7747', 'kb'), ('كيم جونج اون', 'Kim Jong Un', 'Q56226', 'kb_variant'),
 ('بيونج يانج', 'Pyongyang', 'Q18808', 'kb_variant'), ('كيم', 'Kim Jong Un', 'Q56226', 'coref_first')]

The knowledge base is data (``arabic_geo_nlp/data/kb/``): ``curated.tsv`` (hand-made: people,
institutions, organisations, regions, QIDs), ``places.tsv`` (countries and cities compiled by
``scripts/build_kb.py``), ``variant_rules.tsv``, ``titles.tsv`` and the ANETAC-derived
romanization tables ``translit_words.tsv.gz`` / ``translit_chars.tsv`` (with ``arabic_names.tsv``
for Arabic given names, which ANETAC lacks) and ``function_words.txt``. Users add their own
TSV (same columns) with ``nlp.add_pipe("agn_linker", config={"kb": "my_entities.tsv"})``;
its aliases take precedence over the packaged ones.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc, Span

from .clitics import analyze
from .normalize import NormalizeOptions, normalize

__all__ = [
    "Entry", "Link", "VariantRule", "KnowledgeBase", "Linker", "link_mention", "packaged_kb", "data_file",
    "variant_rules", "variant_key", "skeleton_key", "skeleton_of_key", "word_keys", "exact_key", "vowel_edits",
    "close_variants", "has_function_word", "romanize", "KB_FILES", "KB_COLUMNS", "LABELS", "ROMANIZE_OPTIONS",
]

LABELS = ("PER", "ORG", "GPE", "LOC", "MISC")
KB_FILES = ("curated.tsv", "places.tsv")
KB_COLUMNS = ("id", "name", "type", "aliases", "description", "roles")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[A-Za-z]")
_USER_DATA_KEY = ("agn_link", "kb")

# The KB types a NER label may link to without the type-mismatch penalty.
_FITS = {"PER": {"PER"}, "ORG": {"ORG"}, "GPE": {"GPE", "LOC"}, "LOC": {"LOC", "GPE"}, "MISC": {"MISC"}}
_STEP_SCORE = {"kb": 1.0, "kb_variant": 0.9, "kb_skeleton": 0.8, "kb_role": 0.7}
_TYPE_MISMATCH = 0.7
_CONTEXT = 0.9
_COREF_CAP = 0.85
_CATAPHORA = 0.9
_MIN_SKELETON = 3
_MIN_VARIANT_WORD = 4
# Romanization reads ة apart from ه (أسامة → Osama, not Osamh).
ROMANIZE_OPTIONS = NormalizeOptions(teh_marbuta=False)


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Entry:
    """One KB actor. ``id`` is a Wikidata QID or a local ``agn:`` id.

    >>> Entry("Q7747", "Vladimir Putin", "PER", ("بوتين",)).qid
    'Q7747'
    """

    id: str
    name: str
    type: str
    aliases: Tuple[str, ...] = ()
    description: str = ""
    roles: Tuple[str, ...] = ()

    @property
    def qid(self) -> Optional[str]:
        """The Wikidata QID, or None for a local id."""
        return self.id if _QID.match(self.id) else None


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


# ----------------------------------------------------------------------------- variant keys


@dataclass(frozen=True)
class VariantRule:
    """A row of ``variant_rules.tsv``: ``pattern`` → ``replacement`` on each word or on the key."""

    name: str
    tier: str  # "word" or "skeleton"
    pattern: "re.Pattern[str]"
    replacement: str
    example: str
    variant: str


def data_file(name: str) -> Path:
    """Path of a file of the packaged ``data/kb`` folder."""
    return Path(str(resources.files("arabic_geo_nlp.data").joinpath("kb", name)))


def _tsv_rows(lines: Iterable[str]) -> Iterator[List[str]]:
    """Split TSV lines, skipping blank lines and ``#`` comments."""
    for line in lines:
        line = line.rstrip("\r\n")
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@lru_cache(maxsize=1)
def variant_rules() -> Tuple[VariantRule, ...]:
    """The rules of ``data/kb/variant_rules.tsv``, in order.

    >>> [r.name for r in variant_rules()][:3]
    ['article', 'hamza', 'g_sound']
    """
    rows = list(_tsv_rows(data_file("variant_rules.tsv").read_text(encoding="utf-8").splitlines()))
    return tuple(VariantRule(r[0], r[1], re.compile(r[2]), r[3], r[4], r[5]) for r in rows[1:])


def _rules(tier: str, rules: Optional[Sequence[VariantRule]]) -> List[VariantRule]:
    return [r for r in (variant_rules() if rules is None else rules) if r.tier == tier]


def word_keys(name: str, rules: Optional[Sequence[VariantRule]] = None) -> Tuple[str, ...]:
    """The variant key of each word of ``name`` (normalized, word-tier rules applied).

    >>> word_keys("كيم جونغ أون")
    ('كيم', 'gونg', 'اون')
    """
    word_rules = _rules("word", rules)
    keys = []
    for word in _WORD.findall(normalize(name)):
        for rule in word_rules:
            word = rule.pattern.sub(rule.replacement, word)
        if word:
            keys.append(word)
    return tuple(keys)


def variant_key(name: str, rules: Optional[Sequence[VariantRule]] = None) -> str:
    """A key shared by the transliteration variants of an Arabic name: normalization, then the
    word rules of ``variant_rules.tsv`` (article, hamza, غ/ج/ق, تش/ش, ط/ت, ص/س, final ة/ا/يه,
    doubled letters), words joined without spaces. ``rules`` replaces the packaged rules.

    >>> variant_key("بيونغ يانغ") == variant_key("بيونج يانج") == variant_key("بيونغيانغ")
    True
    >>> variant_key("الكرملين") == variant_key("كرملين"), variant_key("سورية") == variant_key("سوريا")
    (True, True)
    """
    return "".join(word_keys(name, rules))


def skeleton_key(name: str, rules: Optional[Sequence[VariantRule]] = None) -> str:
    """:func:`variant_key` with the skeleton rules applied (long vowels inside the name dropped).

    >>> skeleton_key("بوتين") == skeleton_key("بوتن"), skeleton_key("أمريكا") == skeleton_key("أميركا")
    (True, True)
    """
    return skeleton_of_key(variant_key(name, rules), rules)


def skeleton_of_key(key: str, rules: Optional[Sequence[VariantRule]] = None) -> str:
    """The skeleton rules applied to a variant key."""
    for rule in _rules("skeleton", rules):
        key = rule.pattern.sub(rule.replacement, key)
    return key


def vowel_edits(a: str, b: str) -> int:
    """Letters to delete from ``a`` and ``b`` to reach their longest common subsequence: for two
    keys with one skeleton, how many long vowels one spelling adds or drops.

    >>> vowel_edits("بوتين", "بوتن"), vowel_edits("امريكا", "اميركا"), vowel_edits("نولان", "نيلون")
    (1, 2, 4)
    """
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return len(a) + len(b) - 2 * prev[-1]


def close_variants(a: str, b: str) -> bool:
    """Two variant keys are close spellings of one name: one skeleton, and at most one long vowel
    added or dropped (two for keys longer than four letters).

    >>> close_variants(variant_key("بوتن"), variant_key("بوتين")), close_variants("نولان", "نيلون")
    (True, False)
    """
    return skeleton_of_key(a) == skeleton_of_key(b) and vowel_edits(a, b) <= (1 if min(len(a), len(b)) <= 4 else 2)


def exact_key(text: str) -> str:
    """Normalized text with single spaces (Latin case-folded): the ``kb`` step's key."""
    return " ".join(_WORD.findall(normalize(text).casefold()))


# ----------------------------------------------------------------------------- titles


@lru_cache(maxsize=1)
def _titles() -> Tuple[Tuple[str, ...], ...]:
    """Title word sequences (article-less keys), longest first."""
    text = data_file("titles.tsv").read_text(encoding="utf-8")
    titles = {word_keys(row[0]) for row in _tsv_rows(text.splitlines())}
    return tuple(sorted(titles, key=len, reverse=True))


def _leading_title(keys: Sequence[str]) -> int:
    """How many of ``keys`` (word keys) are a title at their start."""
    for title in _titles():
        if len(title) < len(keys) and tuple(keys[: len(title)]) == title:
            return len(title)
    return 0


def _trailing_title(keys: Sequence[str]) -> Optional[Tuple[str, ...]]:
    """The title that ``keys`` (the words before a mention) end with, if any."""
    for title in _titles():
        if len(title) <= len(keys) and tuple(keys[len(keys) - len(title):]) == title:
            return title
    return None


_FUNCTION_WORD_OPTIONS = NormalizeOptions(alef=False, alef_maksura=False, teh_marbuta=False, hamza_carriers=False)


@lru_cache(maxsize=1)
def _function_words() -> FrozenSet[str]:
    text = data_file("function_words.txt").read_text(encoding="utf-8")
    return frozenset(normalize(row[0], _FUNCTION_WORD_OPTIONS) for row in _tsv_rows(text.splitlines()))


def has_function_word(name: str) -> bool:
    """True when a word of ``name`` is in ``function_words.txt`` (so it is no person's name).

    >>> has_function_word("كيم على"), has_function_word("كيم علي")
    (True, False)
    """
    return any(w in _function_words() for w in _WORD.findall(normalize(name, _FUNCTION_WORD_OPTIONS)))


# ----------------------------------------------------------------------------- knowledge base


class KnowledgeBase:
    """Actors with Arabic and English aliases, indexed by exact, variant and skeleton keys.

    Rows of files loaded later (a higher ``layer``) take precedence: an alias found in a
    user file hides the packaged entries with that alias. Rows with the same name and type
    are one entry (their aliases are merged; a QID or description given later wins).

    >>> kb = KnowledgeBase()
    >>> kb.add(Entry("", "Stimson Center", "ORG", ("مركز ستيمسون",)))
    >>> [e.name for e in kb.candidates("مركز ستيمسن", "kb_skeleton")]
    ['Stimson Center']
    """

    def __init__(self) -> None:
        self._entries: Dict[Tuple[str, str], Entry] = {}
        self._alias_layer: Dict[Tuple[Tuple[str, str], str], int] = {}
        self._index: Optional[Dict[str, Dict[str, Dict[Tuple[Tuple[str, str], str], int]]]] = None

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
        return kb

    @property
    def top_layer(self) -> int:
        """The highest layer used so far (-1 for an empty KB)."""
        return max(self._alias_layer.values(), default=-1)

    def add_file(self, path: Union[str, Path], layer: Optional[int] = None) -> None:
        """Add the rows of a KB TSV (columns ``id name type aliases description roles``,
        a header line and ``#`` comments allowed; ``aliases``/``roles`` are ``|``-separated)
        in ``layer`` (default: above every layer so far)."""
        layer = self.top_layer + 1 if layer is None else layer
        text = Path(path).read_text(encoding="utf-8-sig")
        for n, row in enumerate(_tsv_rows(text.splitlines()), 1):
            if row[:2] == ["id", "name"]:
                continue
            self.add(_entry_from_row(row, f"{path}:{n}"), layer)

    def add(self, entry: Entry, layer: int = 0) -> None:
        """Add ``entry`` (merged with an entry of the same name and type)."""
        key = (entry.name.casefold(), entry.type)
        old = self._entries.get(key)
        if old is not None:
            entry = Entry(
                entry.id if entry.qid or not old.qid and entry.id else old.id,
                old.name, old.type,
                tuple(dict.fromkeys(old.aliases + entry.aliases)),
                entry.description or old.description,
                tuple(dict.fromkeys(old.roles + entry.roles)),
            )
        self._entries[key] = replace(entry, id=entry.id or _local_id(entry))
        for alias in (entry.name, *entry.aliases, *entry.roles):
            self._alias_layer[(key, alias)] = max(layer, self._alias_layer.get((key, alias), layer))
        self._index = None

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def get(self, name: str, type_: str) -> Optional[Entry]:
        """The entry with this canonical name and type."""
        return self._entries.get((name.casefold(), type_))

    def _build_index(self) -> Dict[str, Dict[str, Dict[Tuple[Tuple[str, str], str], int]]]:
        """step → key → {(entry key, alias variant key): layer}."""
        index: Dict[str, Dict[str, Dict[Tuple[Tuple[str, str], str], int]]] = {step: {} for step in _STEP_SCORE}
        for (key, alias), layer in self._alias_layer.items():
            entry = self._entries[key]
            variant = variant_key(alias)
            if alias in entry.roles:
                steps = {"kb_role": exact_key(alias)}
            elif _LATIN.search(alias):
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
        ``kb_role``: a role phrase), from the highest layer that has any."""
        if self._index is None:
            self._index = self._build_index()
        if step in ("kb", "kb_role"):
            key = exact_key(text)
        elif _LATIN.search(text):
            return []
        else:
            key = variant_key(text) if step == "kb_variant" else skeleton_key(text)
        hits = self._index[step].get(key, {})
        if step == "kb_skeleton":
            query = variant_key(text)
            hits = {k: layer for k, layer in hits.items() if close_variants(query, k[1])}
        if not hits:
            return []
        top = max(hits.values())
        return [self._entries[k] for k in dict.fromkeys(k for (k, _), layer in hits.items() if layer == top)]


def _local_id(entry: Entry) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", entry.name.casefold()).strip("-")
    return f"agn:{entry.type.lower()}:{slug}"


def _split(cell: str) -> Tuple[str, ...]:
    return tuple(a.strip() for a in cell.split("|") if a.strip())


def _entry_from_row(row: List[str], where: str) -> Entry:
    cells = (row + [""] * len(KB_COLUMNS))[: len(KB_COLUMNS)]
    id_, name, type_, aliases, description, roles = (c.strip() for c in cells)
    if not name or type_ not in LABELS:
        raise ValueError(f"{where}: a KB row needs a name and a type in {LABELS}, got {row!r}")
    return Entry(id_, name, type_, _split(aliases), description, _split(roles))


@lru_cache(maxsize=1)
def packaged_kb() -> KnowledgeBase:
    """The KB shipped with the package (built once; copy it before adding to it)."""
    return KnowledgeBase.from_files([data_file(name) for name in KB_FILES])


@lru_cache(maxsize=8)
def _kb_with(user_file: Optional[str]) -> KnowledgeBase:
    if not user_file:
        return packaged_kb()
    kb = packaged_kb().copy()
    kb.add_file(user_file)
    return kb


# ----------------------------------------------------------------------------- romanization


@lru_cache(maxsize=1)
def _translit_words() -> Tuple[Dict[str, str], Dict[str, str]]:
    """ANETAC ``(word → English, variant key → English)``; the second only for words of
    ``_MIN_VARIANT_WORD`` letters or more without the article (الحسن is Alhassan, حسن is not)."""
    exact: Dict[str, str] = {}
    by_key: Dict[str, str] = {}
    with gzip.open(data_file("translit_words.tsv.gz"), "rt", encoding="utf-8") as f:
        for row in _tsv_rows(f):
            if row[0] == "arabic":
                continue
            exact[row[0]] = row[1]
            if len(row[0]) >= _MIN_VARIANT_WORD and not row[0].startswith("ال"):
                by_key.setdefault(variant_key(row[0]), row[1])
    return exact, by_key


@lru_cache(maxsize=1)
def _translit_chars() -> Dict[str, str]:
    """Char model: ``"left char right"`` context (``_`` = any) → English letters."""
    text = data_file("translit_chars.tsv").read_text(encoding="utf-8")
    return {row[0]: row[1] for row in _tsv_rows(text.splitlines()) if row[0] != "context"}


def _romanize_chars(word: str) -> str:
    model = _translit_chars()
    padded = f"^{word}$"
    out = []
    for i in range(1, len(padded) - 1):
        left, char, right = padded[i - 1], padded[i], padded[i + 1]
        for context in (left + char + right, "_" + char + right, left + char + "_", "_" + char + "_"):
            if context in model:
                out.append(model[context])
                break
    return "".join(out)


@lru_cache(maxsize=1)
def _arabic_names() -> Dict[str, str]:
    """``arabic_names.tsv``: common Arabic given names and particles → English."""
    text = data_file("arabic_names.tsv").read_text(encoding="utf-8")
    return {normalize(r[0], ROMANIZE_OPTIONS): r[1] for r in _tsv_rows(text.splitlines()) if r[0] != "arabic"}


@lru_cache(maxsize=50_000)
def romanize(word: str) -> Tuple[str, bool]:
    """``(English spelling, attested)`` of one Arabic name word (or two-word name such as
    عبد الله): ``arabic_names.tsv``, else ANETAC's spelling of the word (or, for words of four
    letters or more, of a variant of it), else the character model learnt from ANETAC.

    >>> romanize("ماركوف"), romanize("أسامة"), romanize("عبد الله")
    (('Markov', True), ('Osama', True), ('Abdullah', True))
    """
    norm = normalize(word, ROMANIZE_OPTIONS)
    exact, by_key = _translit_words()
    known = _arabic_names().get(norm) or exact.get(norm) or \
        (by_key.get(variant_key(norm)) if len(norm) >= _MIN_VARIANT_WORD else None)
    if known:
        return known, True
    return _romanize_chars(norm).capitalize(), False


def _guess(words: Sequence[str]) -> Optional[Link]:
    """``guess``: the romanized name, two-word names of ``arabic_names.tsv`` taken together."""
    spelled: List[Tuple[str, bool]] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i:i + 2])
        if i + 1 < len(words) and pair in _arabic_names():
            spelled.append(romanize(pair))
            i += 2
        else:
            spelled.append(romanize(words[i]))
            i += 1
    if not spelled or not all(s for s, _ in spelled):
        return None
    attested = sum(known for _, known in spelled) / len(spelled)
    return Link(" ".join(s for s, _ in spelled), None, "PER", round(0.3 + 0.3 * attested, 3), "guess")


# ----------------------------------------------------------------------------- mentions


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
    cut = _leading_title(keys)
    title = tuple(keys[:cut]) if cut else _trailing_title([k for w in before for k in word_keys(w)])
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
    return _prepare(span.text, label or span.label_ or None, span.start_char, before, _restored(span))


# ----------------------------------------------------------------------------- linking steps


def _fits(entry: Entry, label: Optional[str]) -> bool:
    return label is None or entry.type in _FITS.get(label, {label})


def _kb_step(kb: KnowledgeBase, m: _Mention) -> None:
    """Steps 1–2: exact alias, variant key, skeleton key (each over every form of ``m``)."""
    for step in ("kb", "kb_variant", "kb_skeleton"):
        for text, factor in m.forms:
            found = kb.candidates(text, step)
            fitting = [e for e in found if _fits(e, m.label)]
            if not fitting and (step == "kb_skeleton" or not found):
                continue
            score = _STEP_SCORE[step] * factor * (1.0 if fitting else _TYPE_MISMATCH)
            entries = fitting or found
            if len(entries) == 1:
                m.link = Link.of(entries[0], score, "kb" if step == "kb" else "kb_variant")
            else:
                m.candidates, m.candidate_factor = entries, score
            return


def _context_step(mentions: Sequence[_Mention]) -> None:
    """``kb_context``: an ambiguous alias takes the entry whose description names the most
    linked mentions of the document (counted by mention), if one does strictly."""
    counts: Dict[str, int] = {}
    for m in mentions:
        if m.link is not None:
            counts[m.link.entity.casefold()] = counts.get(m.link.entity.casefold(), 0) + 1
    for m in mentions:
        if m.link is not None or not m.candidates:
            continue
        scored = sorted(((_mentions_named(e.description, counts), i) for i, e in enumerate(m.candidates)),
                        reverse=True)
        if scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            m.link = Link.of(m.candidates[scored[0][1]], m.candidate_factor * _CONTEXT, "kb_context")


def _mentions_named(description: str, counts: Dict[str, int]) -> int:
    """How many mentions ``counts`` (entity name → mentions) has of the names in ``description``."""
    text = description.casefold()
    return sum(n for name, n in counts.items() if re.search(rf"\b{re.escape(name)}\b", text))


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


def _title_evidence(kb: KnowledgeBase, title: Optional[Tuple[str, ...]], links: Sequence[Link]) -> Optional[Link]:
    """The one candidate whose KB roles start with ``title``, if exactly one does."""
    if not title:
        return None
    fitting = []
    for link in links:
        entry = kb.get(link.entity, link.type)
        if entry and any(word_keys(role)[: len(title)] == title for role in entry.roles):
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
            picked = _title_evidence(kb, m.title, [link for link, _ in found.values()])
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
                m.link = _guess(m.words)


def _link_mentions(kb: KnowledgeBase, mentions: Sequence[_Mention]) -> None:
    """Run every step over the mentions of one document (in place)."""
    for m in mentions:
        _kb_step(kb, m)
    _context_step(mentions)
    _link_people(kb, mentions)


# ----------------------------------------------------------------------------- component


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
        _link_mentions(self.kb, mentions)
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
    _kb_step(kb, m)
    if m.link is None and not m.candidates:
        m.link = _role_step(kb, m)
    if m.link is None and m.keys and m.nameable and label in (None, "PER"):
        m.link = _coref(kb, m, linked.people)
        if m.link is None and label == "PER" and not any(_matches(m, a) for a in linked.people):
            m.link = _guess(m.words)
    return m.link


@dataclass
class _LinkedEntities:
    """What :func:`link_mention` reads of a document's linked entities, built once per document."""

    by_offsets: Dict[Tuple[int, int], Link]  # (start_char, end_char) → the entity's link
    people: List[_Mention]  # linked-or-not full person names (two words or more), for coreference


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
    for ent in doc.ents:
        link = _ent_link(kb, ent)
        if link is not None:
            by_offsets[(ent.start_char, ent.end_char)] = link
        a = _span_mention(ent)
        a.link = link
        if _is_person(a) and len(a.keys) >= 2 and a.nameable:
            people.append(a)
    linked = _LinkedEntities(by_offsets, people)
    _last_linked[:] = [doc, kb, linked]
    return linked


def _role_step(kb: KnowledgeBase, m: _Mention) -> Optional[Link]:
    """``kb_role``: the one entry with this role phrase (as written or without proclitics)."""
    for text in (m.text, *_without_proclitics(m.text)):
        entries = kb.candidates(text, "kb_role")
        if len(entries) == 1:
            return Link.of(entries[0], _STEP_SCORE["kb_role"], "kb_role")
    return None
