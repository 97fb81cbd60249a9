"""CAMeL Tools backend: ``tokenizer="camel"`` and ``ner="camel"``.

``arabic_geo_nlp.CamelTokenizer.v1`` cuts tokens exactly as our tokenizer does (same tokens,
offsets and norms) and takes each word's clitic segmentation from CAMeL's MLE disambiguator
(``calima-msa-r13``) in a morphological tokenization scheme: ``d3tok`` (default: proclitics and
the article split off, as our ``prefix``) or ``atbtok`` (Penn Arabic Treebank: the article stays
on the stem). CAMeL's segments are dediacritized and may restore letters (``لل`` -> ``ل+ ال+``,
``حكومته`` -> ``حكومة +ه``); they are aligned back onto the raw characters, so
``prefix + stem + suffix`` is always the raw token. Words CAMeL cannot analyse (or only by its
proper-noun backoff) and segmentations that do not align keep our own analysis
(:func:`arabic_geo_nlp.clitics.analyze`).

``agn_camel_ner`` tags sentences with CAMeL's BERT NER (``ner-arabert``): labels PERS/ORG/LOC/MISC
become PER/ORG/LOC/MISC, spans follow our proclitic convention
(:func:`arabic_geo_nlp.ner.spans.split_proclitics`) and ``Span._.source == "camel"``.

>>> import arabic_geo_nlp as agn
>>> nlp = agn.load(tokenizer="camel", ner="camel", camel_data="~/camel_data")  # doctest: +SKIP
>>> [(t.text, t._.prefix, t._.stem) for t in nlp("وبالسيارة")]               # doctest: +SKIP
[('وبالسيارة', 'وبال', 'سيارة')]

CAMeL data is read from ``camel_data``, else ``$CAMELTOOLS_DATA``, else ``~/.camel_tools`` (CAMeL's
layout: ``catalogue.json`` and ``data/<package path>``). It is checked when the pipeline is built
and never downloaded: a missing package raises :class:`CamelDataError` naming it, its expected path
and the ``camel_data -i`` command to run on a machine with internet. Importing this module imports
neither camel_tools nor transformers or torch itself; the models load on first use and are left
out of pickles.
"""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch
from spacy.vocab import Vocab

from ..clitics import Clitics, analyze
from ..ner import sentence_words
from ..ner.corpora import LABEL_MAPS
from ..normalize import NormalizeOptions, normalize, normalize_with_offsets
from ..tokenize import CLITICS_KEY, ArabicTokenizer, ConfigOnlySerialization
from .extras import require

__all__ = ["CamelTokenizer", "CamelNER", "CamelDataError", "CamelPackage", "align_segments",
           "camel_data_dir", "check_camel_data", "MORPHOLOGY_DB", "DISAMBIG_MLE", "NER_ARABERT",
           "SCHEMES"]

EXTRA = "camel"
SCHEMES = ("d3tok", "atbtok")


@dataclass(frozen=True)
class CamelPackage:
    """A CAMeL data package: catalogue name, directory under ``<data>/data/``, files we need."""

    name: str
    path: str
    files: Tuple[str, ...]
    requires: Tuple[str, ...] = ()  # packages ``camel_data -i`` installs along with it


MORPHOLOGY_DB = CamelPackage("morphology-db-msa-r13", "morphology_db/calima-msa-r13", ("morphology.db",))
DISAMBIG_MLE = CamelPackage("disambig-mle-calima-msa-r13", "disambig_mle/calima-msa-r13", ("model.json",),
                            requires=(MORPHOLOGY_DB.name,))
NER_ARABERT = CamelPackage("ner-arabert", "ner/arabert", ("config.json", "vocab.txt"))


class CamelDataError(FileNotFoundError):
    """CAMeL Tools data needed by a backend is not installed where we look."""


def camel_data_dir(data_dir: Optional[str] = None) -> Path:
    """Where CAMeL data is read from: ``data_dir``, else ``$CAMELTOOLS_DATA``, else CAMeL's default.

    >>> str(camel_data_dir("/srv/camel"))
    '/srv/camel'
    """
    if data_dir is None:
        data_dir = os.environ.get("CAMELTOOLS_DATA")
    if data_dir is None:  # camel_tools.data.catalogue's default
        sub = "AppData/Roaming/camel_tools" if sys.platform == "win32" else ".camel_tools"
        return Path.home() / sub
    return Path(data_dir).expanduser().absolute()


def check_camel_data(data_dir: Optional[str], packages: Sequence[CamelPackage], purpose: str) -> Path:
    """The CAMeL data directory, after checking ``packages`` are installed in it.

    Raises :class:`CamelDataError` listing each missing package, its expected path and the
    install command. ``catalogue.json`` is required too: without it, importing camel_tools'
    model classes downloads the catalogue (with no timeout).
    """
    root = camel_data_dir(data_dir)
    missing = []
    for pkg in packages:
        paths = [root / "data" / pkg.path / f for f in pkg.files]
        absent = [p for p in paths if not p.is_file()]
        if absent:
            missing.append((pkg, absent[0]))
    catalogue = root / "catalogue.json"
    if not missing and catalogue.is_file():
        return root
    lines = [f"{purpose} needs CAMeL Tools data that is not installed in {root} "
             f"(set by camel_data=..., else $CAMELTOOLS_DATA, else ~/.camel_tools):"]
    lines += [f"  - package {pkg.name!r}: expected {path}" for pkg, path in missing]
    if not catalogue.is_file():
        lines.append(f"  - CAMeL's data catalogue: expected {catalogue}")
    names = [pkg.name for pkg, _ in missing] or [packages[-1].name]
    to_install = [n for n in names if not any(n in pkg.requires for pkg, _ in missing)]
    lines.append("Nothing is downloaded. On a machine with internet run "
                 + "; ".join(f"CAMELTOOLS_DATA={root} camel_data -i {name}" for name in to_install)
                 + f", then copy {root} here (or pass camel_data= / set CAMELTOOLS_DATA to the copy).")
    raise CamelDataError("\n".join(lines))


@contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _import_camel(module: str, root: Path, purpose: str):
    """Import a camel_tools module whose package loads CAMeL's catalogue at import time.

    ``camel_tools.data`` fixes its data directory from ``$CAMELTOOLS_DATA`` when first imported
    and downloads ``catalogue.json`` if it is missing there; we point it at ``root``, which
    :func:`check_camel_data` has checked, so the import never touches the network.
    """
    require("camel_tools", EXTRA, purpose)
    if "camel_tools.data" not in sys.modules:
        with _env("CAMELTOOLS_DATA", str(root)):
            require("camel_tools.data", EXTRA, purpose)
    return require(module, EXTRA, purpose)


# ----------------------------------------------------------------------------- alignment

# What CAMeL is given: our raw word without controls, tatweel or presentation forms (letters and
# diacritics kept: CAMeL dediacritizes and folds letters itself).
_CAMEL_INPUT = NormalizeOptions(diacritics=False, alef=False, alef_maksura=False, teh_marbuta=False,
                                hamza_carriers=False, digits=False, arabic_punct=False)
_ARABIC_LETTERS = re.compile("[\u0621-\u064a]+")
_MAX_EDITS = 2


def _is_arabic_word(word: str) -> bool:
    return bool(_ARABIC_LETTERS.fullmatch(normalize(word)))


def _split_scheme(tok: str) -> Optional[Tuple[str, str, str]]:
    """``"و+_ب+_ال+_سيارة"`` -> ``("وبال", "سيارة", "")``; None unless clitics+ stem +clitics."""
    pieces = [p for p in tok.split("_") if p and p != "+"]
    pre = [p for p in pieces if p.endswith("+") and not p.startswith("+")]
    suf = [p for p in pieces if p.startswith("+") and not p.endswith("+")]
    stems = [p for p in pieces if not p.startswith("+") and not p.endswith("+")]
    if len(stems) != 1 or pieces != pre + stems + suf:
        return None
    return "".join(p[:-1] for p in pre), stems[0], "".join(p[1:] for p in suf)


def _alignment(a: str, b: str) -> Tuple[List[Tuple[int, int]], int]:
    """Cells ``(i, j)`` on a minimum edit-distance alignment of ``a`` and ``b``, and its cost.

    >>> _alignment("لال", "لل")
    ([(3, 2), (2, 1), (1, 1), (0, 0)], 1)
    """
    n, m = len(a), len(b)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j - 1] + (a[i - 1] != b[j - 1]), d[i - 1][j] + 1, d[i][j - 1] + 1)
    cells = [(n, m)]
    i, j = n, m
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            i, j = i - 1, j - 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
        cells.append((i, j))
    return cells, d[n][m]


def align_segments(word: str, tok: str) -> Optional[Clitics]:
    """Map CAMeL's tokenization ``tok`` of ``word`` onto ``word``'s raw characters, or None.

    Both sides are compared normalized (diacritics, alef/yeh/teh-marbuta variants folded) by an
    edit-distance alignment, so letters CAMeL restores or rewrites still find their place.

    >>> align_segments("للصحفيين", "ل+_ال+_صحفيين")
    Clitics(prefix='لل', stem='صحفيين', suffix='')
    >>> align_segments("وَبِالسَّيَّارَةِ", "و+_ب+_ال+_سيارة")
    Clitics(prefix='وَبِال', stem='سَّيَّارَةِ', suffix='')
    >>> align_segments("حكومته", "حكومة_+ه")
    Clitics(prefix='', stem='حكومت', suffix='ه')
    >>> align_segments("وزير", "و+_ب+_زيارة") is None
    True
    """
    parts = _split_scheme(tok)
    norm, offsets = normalize_with_offsets(word)
    if parts is None or not norm:
        return None
    pre, stem, suf = (normalize(p) for p in parts)
    camel = pre + stem + suf
    cells, cost = _alignment(camel, norm)
    if cost > min(_MAX_EDITS, len(norm) // 2):
        return None
    cols: Dict[int, List[int]] = {}
    for i, j in cells:
        cols.setdefault(i, []).append(j)
    start = min(cols[len(pre)]) if pre else 0
    end = max(cols[len(pre) + len(stem)]) if suf else len(norm)
    if not start < end or (pre and start == 0) or (suf and end == len(norm)):
        return None
    a = offsets[start] if start else 0
    b = offsets[end] if end < len(norm) else len(word)
    return Clitics(word[:a], word[a:b], word[b:])


class _CamelWrapper:
    """What the CAMeL wrappers share: the extra and the data ``PACKAGES`` checked when one is built,
    and the loaded CAMeL models and caches left out when it is pickled (``_TRANSIENT``: attribute ->
    a factory for its value after unpickling)."""

    PURPOSE = ""
    PACKAGES: Tuple[CamelPackage, ...] = ()
    _TRANSIENT: Dict[str, Callable[[], object]] = {}

    def _check_setup(self, data_dir: Optional[str]) -> None:
        require("camel_tools", EXTRA, self.PURPOSE)
        self.root = check_camel_data(data_dir, self.PACKAGES, self.PURPOSE)
        self.data_dir = data_dir

    def __getstate__(self) -> dict:
        return {**self.__dict__, **{name: make() for name, make in self._TRANSIENT.items()}}


# ----------------------------------------------------------------------------- tokenizer


class CamelTokenizer(_CamelWrapper, ConfigOnlySerialization):
    """Our tokenizer, with each token's clitics from CAMeL's MLE disambiguator (see the module doc).

    >>> tok = CamelTokenizer(Vocab(), data_dir="tests/fixtures/camel_data")  # doctest: +SKIP
    >>> [(t.text, t._.prefix, t._.stem, t._.suffix) for t in tok("للصحفيين نشرتها")]  # doctest: +SKIP
    [('للصحفيين', 'لل', 'صحفيين', ''), ('نشرتها', '', 'نشرت', 'ها')]
    """

    PURPOSE = "tokenizer='camel'"
    PACKAGES = (MORPHOLOGY_DB, DISAMBIG_MLE)
    _TRANSIENT = {"_disambiguator": lambda: None, "_cache": dict}
    CACHE_SIZE = 200_000

    def __init__(self, vocab: Vocab, data_dir: Optional[str] = None, scheme: str = "d3tok"):
        if scheme not in SCHEMES:
            raise ValueError(f"Unknown CAMeL tokenization scheme {scheme!r}; choose one of {list(SCHEMES)}")
        self._check_setup(data_dir)
        self.vocab = vocab
        self.scheme = scheme
        self._base = ArabicTokenizer(vocab)
        self._disambiguator = None
        self._cache: Dict[str, Clitics] = {}

    @property
    def disambiguator(self):
        """CAMeL's ``MLEDisambiguator`` over the ``calima-msa-r13`` analyzer (loaded on first use)."""
        if self._disambiguator is None:
            database = _import_camel("camel_tools.morphology.database", self.root, self.PURPOSE)
            analyzer = _import_camel("camel_tools.morphology.analyzer", self.root, self.PURPOSE)
            mle = _import_camel("camel_tools.disambig.mle", self.root, self.PURPOSE)
            db = database.MorphologyDB(str(self.root / "data" / MORPHOLOGY_DB.path / "morphology.db"), "a")
            # as MLEDisambiguator.pretrained("calima-msa-r13"), from our data directory
            self._disambiguator = mle.MLEDisambiguator(
                analyzer.Analyzer(db, "NOAN_PROP"), str(self.root / "data" / DISAMBIG_MLE.path / "model.json"))
        return self._disambiguator

    def __call__(self, text: str) -> Doc:
        return self._annotate([self._base(text)])[0]

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for batch in minibatch(texts, batch_size):
            yield from self._annotate([self._base(text) for text in batch])

    def _annotate(self, docs: List[Doc]) -> List[Doc]:
        """Segment the batch's new word types with one CAMeL call, then store each doc's clitics."""
        new = sorted({t.text for doc in docs for t in doc if t.text not in self._cache and _is_arabic_word(t.text)})
        if new:
            if len(self._cache) + len(new) > self.CACHE_SIZE:
                self._cache.clear()
            self._cache.update(zip(new, self.segment(new)))
        for doc in docs:
            doc.user_data[CLITICS_KEY] = {
                t.idx: [c.prefix, c.stem, c.suffix] for t in doc if (c := self._cache.get(t.text)) is not None}
        return docs

    def segment(self, words: Sequence[str]) -> List[Clitics]:
        """Clitics of each word from CAMeL (ours where CAMeL has no real analysis or it does not align)."""
        from camel_tools.utils.dediac import dediac_ar

        out = []
        for word, result in zip(words, self.disambiguator.disambiguate([normalize(w, _CAMEL_INPUT) for w in words])):
            clitics = None
            if result.analyses:
                analysis = result.analyses[0].analysis
                tok = analysis.get(self.scheme)
                if tok and "NOAN" not in tok and analysis.get("source") != "backoff":
                    clitics = align_segments(word, dediac_ar(tok))
            out.append(clitics or analyze(word))
        return out


@spacy.registry.tokenizers("arabic_geo_nlp.CamelTokenizer.v1")
def create_camel_tokenizer(data_dir: Optional[str] = None, scheme: str = "d3tok"):
    """Registered factory: ``[nlp.tokenizer] @tokenizers = "arabic_geo_nlp.CamelTokenizer.v1"``."""

    def make(nlp) -> CamelTokenizer:
        return CamelTokenizer(nlp.vocab, data_dir=data_dir, scheme=scheme)

    return make


# ----------------------------------------------------------------------------- NER

LABEL_MAP = LABEL_MAPS["anercorp"]  # CAMeL's NER is trained on ANERcorp's tag set


class CamelNER(_CamelWrapper):
    """spaCy component: CAMeL's BERT NER over our tokens, one pretokenized sentence per input.

    >>> nlp = agn.load(ner="camel", camel_data="~/camel_data")                 # doctest: +SKIP
    >>> [(e.text, e.label_, e._.source) for e in nlp("التقى بوتين في موسكو.").ents]  # doctest: +SKIP
    [('بوتين', 'PER', 'camel'), ('موسكو', 'LOC', 'camel')]
    """

    PURPOSE = "ner='camel'"
    PACKAGES = (NER_ARABERT,)
    _TRANSIENT = {"_recognizer": lambda: None, "_kept": dict}

    def __init__(self, name: str = "ner", data_dir: Optional[str] = None, batch_size: int = 32):
        self._check_setup(data_dir)
        self.name = name
        self.batch_size = batch_size
        self._recognizer = None
        self._kept: Dict[str, bool] = {}

    @property
    def recognizer(self):
        """CAMeL's ``NERecognizer`` (loaded on first use, on the CPU)."""
        if self._recognizer is None:
            ner = _import_camel("camel_tools.ner", self.root, self.PURPOSE)
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            self._recognizer = ner.NERecognizer(str(self.root / "data" / NER_ARABERT.path), use_gpu=False)
        return self._recognizer

    def __call__(self, doc: Doc) -> Doc:
        return self._tag([doc])[0]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            yield from self._tag(list(batch))

    def _words(self, doc: Doc) -> List[List[int]]:
        """Token indices of each sentence that BERT's tokenizer keeps (it drops some, e.g. controls)."""
        kept = ([i for i in idx if self._keeps(doc[i].text)] for idx in sentence_words(doc)[0])
        return [idx for idx in kept if idx]

    def _keeps(self, word: str) -> bool:
        kept = self._kept.get(word)
        if kept is None:
            if len(self._kept) > CamelTokenizer.CACHE_SIZE:
                self._kept.clear()
            kept = self._kept[word] = bool(self.recognizer.tokenizer.tokenize(word))
        return kept

    def _tag(self, docs: List[Doc]) -> List[Doc]:
        """One CAMeL ``predict`` call for every sentence of the batch."""
        from ..ner.model import bio_to_spans

        sentences = [(doc, idx) for doc in docs for idx in self._words(doc)]
        tags = self.recognizer.predict([[doc[i].text for i in idx] for doc, idx in sentences],
                                       batch_size=self.batch_size) if sentences else []
        found: Dict[int, List[Tuple[int, int, str]]] = {id(doc): [] for doc in docs}
        for (doc, idx), sent_tags in zip(sentences, tags):
            mapped = [_map_tag(t) for t in sent_tags]
            found[id(doc)] += [(idx[s], idx[e - 1] + 1, label) for s, e, label in bio_to_spans(mapped)]
        for doc in docs:
            _set_camel_ents(doc, found[id(doc)])
        return docs


def _map_tag(tag: str) -> str:
    """``"B-PERS"`` -> ``"B-PER"``; unknown labels become ``"O"``."""
    bio, _, label = tag.partition("-")
    return f"{bio}-{LABEL_MAP[label]}" if label in LABEL_MAP else "O"


def _set_camel_ents(doc: Doc, spans: List[Tuple[int, int, str]]) -> None:
    """Set ``doc.ents`` (source "camel") without proclitics, as ``agn_ner`` does."""
    from ..ner.spans import split_proclitics

    doc.ents = [Span(doc, s, e, label=label) for s, e, label in split_proclitics(doc, spans)]
    for ent in doc.ents:
        ent._.source = "camel"


@Language.factory("agn_camel_ner", default_config={"data_dir": None, "batch_size": 32})
def make_camel_ner(nlp: Language, name: str, data_dir: Optional[str], batch_size: int) -> CamelNER:
    """Registered factory ``agn_camel_ner`` (``agn.load(ner="camel")``)."""
    return CamelNER(name, data_dir=data_dir, batch_size=batch_size)
