"""Compile the NER gazetteers from the third-party data in ``../shared/data``.

Only derived tables go into the package, never the raw files:

``gazetteer_places.tsv``
    Arabic names of countries (mledoze/countries, ODbL 1.0: a derived database,
    shared under the same licence), Unicode CLDR territory names (Unicode licence; from
    ``cldr_territories.tsv``, see below) and cities (world-cities-translations, CC BY 4.0, data from
    Wikidata), one row per name: ``name label kind population source``.
``gazetteer_names.tsv.gz``
    ANETAC (Hadj Ameur et al. 2019, no licence stated, "freely accessible",
    research use): normalized Arabic word -> the classes it is listed under.
``gazetteer_ordinary.txt.gz``
    Words used more often as ordinary words than as one-word names in the reference corpora
    (AQMAR, Wojood sample, UD Arabic-PUD) and the ANERcorp train split (كان, البحر, العربية),
    keyed as the gazetteer matches a word (:func:`.gazetteer.stripped_key`). A one-word
    gazetteer name in it (other than a country) may relabel the model's entities but never
    add one (:func:`.gazetteer.is_addable`). Word types only, no running text.
``cldr_territories.tsv``
    The CLDR territory names both builders read (this one and ``scripts/build_kb.py``): code,
    Arabic and English name, in ``babel``'s order, with the babel/CLDR release they came from.
    A snapshot, so that a rebuild gives the same bytes whichever Babel is installed; refresh it
    on purpose (:func:`write_cldr_territories`, needs the ``[build]`` extra), then rebuild.

    python -c "from arabic_geo_nlp.ner.build import build_gazetteers; print(build_gazetteers('../shared/data'))"
    python -c "from arabic_geo_nlp.ner.build import write_cldr_territories; write_cldr_territories()"  # refresh
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections import Counter, defaultdict
from itertools import chain
from importlib import resources
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

from ..normalize import normalize_word
from .corpora import Sentence, anercorp_split, read_anercorp, read_aqmar, read_ud_words, read_wojood
from .gazetteer import ORDINARY_FILE, stripped_key

__all__ = [
    "build_gazetteers", "place_rows", "name_lexicon", "ordinary_words", "cldr_territories", "cldr_release",
    "write_cldr_territories", "CLDR_FILE",
]

PlaceRow = Tuple[str, str, str, int, str]  # name, label, kind, population, source

ANETAC_LABELS = {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG"}
# Administrative words that open some Arabic city names ("ولاية قندهار").
_ADMIN_PREFIX = re.compile(r"^(?:ولاية|محافظة|مدينة|مقاطعة|بلدية|إقليم|منطقة)\s+")
_ARABIC = re.compile(r"[\u0621-\u064a]")
# CLDR numeric codes are continents and regions: LOC, not GPE.
_CLDR_SKIP = {"001", "ZZ", "XA", "XB", "EU", "EZ", "UN", "QO"}  # world, pseudo-locales, organisations

PLACES_HEADER = """\
# gazetteer_places.tsv — compiled by arabic_geo_nlp.ner.build (do not edit by hand)
# Sources: mledoze/countries countries.json (ODbL 1.0; this derived table is shared under ODbL 1.0);
#   Unicode CLDR Arabic territory names ({cldr}; Unicode License v3);
#   jamsshhayd/world-cities-translations world-cities.csv (CC BY 4.0; data from Wikidata).
name\tlabel\tkind\tpopulation\tsource
"""
CLDR_FILE = "cldr_territories.tsv"
CLDR_HEADER = """\
# cldr_territories.tsv — Unicode CLDR territory names (Unicode License v3), written by
# arabic_geo_nlp.ner.build.write_cldr_territories (do not edit by hand); read by the gazetteer and KB builders.
# release: {release}
code\tar\ten
"""
CldrTable = Dict[str, Tuple[str, str]]  # territory code -> (Arabic name, English name or "")
NAMES_HEADER = """\
# gazetteer_names.tsv.gz — compiled by arabic_geo_nlp.ner.build from ANETAC EN-AR Named-entities.txt
# (Hadj Ameur, Meziane, Guessoum 2019, arXiv:1907.03110; no licence stated, research use).
# key = normalized Arabic word; labels = the classes it is listed under.
key\tlabels
"""
ORDINARY_HEADER = """\
# gazetteer_ordinary.txt.gz — compiled by arabic_geo_nlp.ner.build (do not edit by hand)
# Words used more often as ordinary words than as one-word names in AQMAR (CC BY-SA 3.0), the Wojood
# sample (MIT), UD Arabic-PUD (CC BY-SA 3.0) and the ANERcorp train split (research use); one
# normalized word per line, proclitics cut. Word types only, no running text.
"""


def _country_rows(data_dir: Path) -> Iterator[PlaceRow]:
    countries = json.loads((data_dir / "gazetteers/countries_mledoze/countries.json").read_text(encoding="utf-8"))
    for c in countries:
        ara = c.get("translations", {}).get("ara", {})
        for name in dict.fromkeys((ara.get("common", ""), ara.get("official", ""))):
            if name:
                yield name, "GPE", "country", 0, "mledoze"


def _data_path(name: str) -> Path:
    return Path(str(resources.files("arabic_geo_nlp.data").joinpath(name)))


def babel_territories() -> Tuple[CldrTable, str]:
    """The installed Babel's CLDR territory table and its release (``"babel 2.19.0, CLDR 47"``);
    needs ``babel`` (the ``[build]`` extra)."""
    import babel  # build-time only
    from babel import Locale

    ar, en = Locale("ar").territories, Locale("en").territories
    cldr = getattr(babel.core, "get_cldr_version", lambda: None)()
    release = f"babel {babel.__version__}" + (f", CLDR {cldr}" if cldr else "")
    return {code: (name, en.get(code, "")) for code, name in ar.items()}, release


def write_cldr_territories(path: Optional[Path] = None) -> str:
    """Refresh the CLDR snapshot (default: the package's ``cldr_territories.tsv``) from the
    installed Babel; returns the release recorded. Rebuild the gazetteers and the KB after."""
    table, release = babel_territories()
    body = "".join(f"{code}\t{ar}\t{en}\n" for code, (ar, en) in table.items())
    Path(path or _data_path(CLDR_FILE)).write_text(CLDR_HEADER.format(release=release) + body, encoding="utf-8")
    return release


def cldr_territories(path: Optional[Path] = None) -> CldrTable:
    """The CLDR snapshot: territory code -> (Arabic name, English name), in Babel's order.

    >>> cldr_territories()["EG"]
    ('مصر', 'Egypt')
    """
    lines = Path(path or _data_path(CLDR_FILE)).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")][1:]
    return {code: (ar, en) for code, ar, en in rows}


def cldr_release(path: Optional[Path] = None) -> str:
    """The babel/CLDR release the snapshot was read from (its ``# release:`` line)."""
    for line in Path(path or _data_path(CLDR_FILE)).read_text(encoding="utf-8").splitlines():
        if line.startswith("# release: "):
            return line.removeprefix("# release: ")
    raise ValueError(f"{CLDR_FILE}: no '# release:' line")


def _cldr_rows() -> Iterator[PlaceRow]:
    for code, (name, _) in cldr_territories().items():
        if code in _CLDR_SKIP:
            continue
        label, kind = ("LOC", "region") if code.isdigit() else ("GPE", "country")
        yield name, label, kind, 0, "cldr"


def _city_rows(data_dir: Path) -> Iterator[PlaceRow]:
    with open(data_dir / "gazetteers/world_cities_ar/world-cities.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            name = _ADMIN_PREFIX.sub("", row["CityNameAr"].strip())
            if _ARABIC.search(name):
                yield name, "GPE", "city", int(float(row["Population"] or 0)), "world-cities"


def place_rows(data_dir: Path) -> List[PlaceRow]:
    """Country, CLDR territory and city rows, first spelling of each normalized name kept."""
    seen: Set[str] = set()
    rows: List[PlaceRow] = []
    for row in (*_country_rows(data_dir), *_cldr_rows(), *_city_rows(data_dir)):
        key = " ".join(normalize_word(w) for w in row[0].split())
        if key not in seen:
            seen.add(key)
            rows.append(row)
    return rows


def name_lexicon(data_dir: Path) -> Dict[str, str]:
    """ANETAC words (normalized, tatweel and a doubled space dropped) -> sorted ``|``-joined labels."""
    labels: Dict[str, Set[str]] = defaultdict(set)
    path = data_dir / "gazetteers/anetac_en_ar_names/EN-AR Named-entities.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in ANETAC_LABELS:
            for word in parts[2:]:
                labels[normalize_word(word)].add(ANETAC_LABELS[parts[0]])
    return {k: "|".join(sorted(v)) for k, v in sorted(labels.items()) if _ARABIC.search(k)}


def _standalone_uses(sents: Sequence[Sentence]) -> Iterator[Tuple[str, bool]]:
    """``(word, is a one-word name)`` for the words of tagged sentences; a word inside a longer
    name is left out (البحر of البحر الأحمر says nothing about البحر alone)."""
    for sent in sents:
        spans = sent.spans()
        inside = {i for s, e, _ in spans if e - s > 1 for i in range(s, e)}
        single = {s for s, e, _ in spans if e - s == 1}
        yield from ((w, i in single) for i, w in enumerate(sent.tokens) if i not in inside)


def ordinary_words(data_dir: Path) -> Set[str]:
    """Words used more often as ordinary words than as one-word names in AQMAR, the Wojood sample,
    UD Arabic-PUD (a PROPN counts as a name) and the ANERcorp train split (never its dev or test
    parts), each counted as the gazetteer matches it, without proclitics (وكيل counts for كيل)."""
    sents = [*read_aqmar(data_dir), *read_wojood(data_dir), *anercorp_split(read_anercorp(data_dir)).train]
    usage: Counter = Counter((stripped_key(word), is_name)
                             for word, is_name in chain(_standalone_uses(sents), read_ud_words(data_dir)))
    return {w for (w, is_name), n in usage.items() if w and not is_name and n > usage[(w, True)]}


def build_gazetteers(data_dir: Path, out_dir: Optional[Path] = None) -> Dict[str, int]:
    """Write ``gazetteer_places.tsv`` and ``gazetteer_names.tsv.gz`` (default: the package's
    data folder) and return row counts."""
    data_dir = Path(data_dir)
    out_dir = Path(out_dir) if out_dir else Path(str(resources.files("arabic_geo_nlp.data")))
    places = place_rows(data_dir)
    body = "".join(f"{n}\t{lab}\t{kind}\t{pop}\t{src}\n" for n, lab, kind, pop, src in places)
    header = PLACES_HEADER.format(cldr=f"{CLDR_FILE}: {cldr_release()}")
    (out_dir / "gazetteer_places.tsv").write_text(header + body, encoding="utf-8")
    names = name_lexicon(data_dir)
    text = NAMES_HEADER + "".join(f"{k}\t{v}\n" for k, v in names.items())
    (out_dir / "gazetteer_names.tsv.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    ordinary = sorted(ordinary_words(data_dir))
    text = ORDINARY_HEADER + "".join(f"{w}\n" for w in ordinary)
    (out_dir / ORDINARY_FILE).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    return {"places": len(places), "names": len(names), "ordinary": len(ordinary)}
