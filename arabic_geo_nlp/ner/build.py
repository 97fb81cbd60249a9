"""Compile the NER gazetteers from the third-party data in ``../shared/data``.

Only derived tables go into the package, never the raw files:

``gazetteer_places.tsv``
    Arabic names of countries (mledoze/countries, ODbL 1.0: a derived database,
    shared under the same licence), Unicode CLDR territory names via ``babel``
    (Unicode licence) and cities (world-cities-translations, CC BY 4.0, data from
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

    python -c "from arabic_geo_nlp.ner.build import build_gazetteers; print(build_gazetteers('../shared/data'))"
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

__all__ = ["build_gazetteers", "place_rows", "name_lexicon", "ordinary_words"]

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
#   Unicode CLDR Arabic territory names via babel (Unicode License v3);
#   jamsshhayd/world-cities-translations world-cities.csv (CC BY 4.0; data from Wikidata).
name\tlabel\tkind\tpopulation\tsource
"""
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


def _cldr_rows() -> Iterator[PlaceRow]:
    from babel import Locale  # build-time only

    for code, name in Locale("ar").territories.items():
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
    (out_dir / "gazetteer_places.tsv").write_text(PLACES_HEADER + body, encoding="utf-8")
    names = name_lexicon(data_dir)
    text = NAMES_HEADER + "".join(f"{k}\t{v}\n" for k, v in names.items())
    (out_dir / "gazetteer_names.tsv.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    ordinary = sorted(ordinary_words(data_dir))
    text = ORDINARY_HEADER + "".join(f"{w}\n" for w in ordinary)
    (out_dir / ORDINARY_FILE).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    return {"places": len(places), "names": len(names), "ordinary": len(ordinary)}
