"""``arabic-geo-nlp build kb``: compile the generated KB files of ``arabic_geo_nlp/data/kb/``.

``places.tsv`` (linked, and proposed to the NER gazetteer)
    Countries (mledoze/countries, ODbL 1.0 — this derived table is shared under ODbL 1.0) with
    their Unicode CLDR Arabic names (the package's ``cldr_territories.tsv`` snapshot, Unicode License v3) and Wikidata QIDs from Who's On
    First, CLDR world regions, cities of 100,000 people or more plus capitals
    (world-cities-translations, CC BY 4.0, from Wikidata), and Who's On First's administrative units
    and towns of 50,000 people or more of 24 countries of the region (CC0 / CC BY, attribution).
``sources.tsv.gz`` (linked only: the long tail)
    Who's On First's smaller localities, people and groups of the UN Security Council
    Consolidated Sanctions List that have Arabic-script names, and ArWikiCats' English → Arabic
    Wikipedia titles of people and places (MIT; the titles come from Wikipedia, CC BY-SA).
``translit_*`` (``--translit``)
    The romanization tables (:mod:`.build_translit`).

An alias that a curated file (``curated/*.tsv``) or an earlier place gives to another actor is left
out (الكويت is the country, not the city), and so is an alias of a long-tail entry whose variant
key another actor already has, a one-word alias that is mostly an ordinary word in the reference
corpora or a function word, and a one-word alias of a long-tail person (a surname alone links only
through an explicit curated alias or an earlier full name). Same inputs give the same bytes.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from ..ner.build import CLDR_FILE, cldr_release, cldr_territories
from ..normalize import normalize, normalize_word
from .build_filter import IMPORTANT, common_in_news, news_words
from .kb import CURATED_DIR, Entry, KnowledgeBase
from .keys import data_file, exact_key, has_function_word, variant_key
from .romanize import ROMANIZE_OPTIONS
from .romanize import _arabic_names as _given_names

__all__ = ["build_kb", "place_entries", "source_entries", "write_entries", "english_title"]

MIN_CITY_POPULATION = 100_000
SOURCES = "kb_sources"
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_ADMIN_PREFIX = re.compile(r"^(?:ولاية|محافظة|مدينة|مقاطعة|بلدية|إقليم|منطقة)\s+")
_CLDR_SKIP = {"001", "EU", "EZ", "UN", "QO", "ZZ"}
_PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "da", "di", "du", "van", "von", "der", "den", "of", "the",
              "and", "la", "le", "y", "ul", "ud", "in", "on", "for", "at"}
_PERSIAN_LETTERS = str.maketrans({"ی": "ي", "ک": "ك", "ۀ": "ه", "ە": "ه"})
_TaKey = Tuple[str, str]

HEADER = """\
# {name} — compiled by `arabic-geo-nlp build kb` (arabic_geo_nlp/link/build.py); do not edit by hand:
# curated/*.tsv add QIDs, aliases and roles. Sources and licences: see the README's licence table.
{sources}id\tname\ttype\taliases\tdescription\troles\tcountry
"""
PLACES_SOURCES = """\
#   mledoze/countries countries.json (ODbL 1.0; this derived table is shared under ODbL 1.0);
#   Unicode CLDR territory names ({cldr}; Unicode License v3);
#   jamsshhayd/world-cities-translations world-cities.csv (CC BY 4.0; data from Wikidata);
#   Who's On First admin data (Data from Who's On First, https://whosonfirst.org/docs/licenses/ ; CC0 and
#   CC BY sources incl. GeoNames, CC BY 4.0).
"""
LONG_TAIL_SOURCES = """\
#   Who's On First admin data (Data from Who's On First, https://whosonfirst.org/docs/licenses/ ; CC0 and
#   CC BY sources incl. GeoNames, CC BY 4.0);
#   UN Security Council Consolidated Sanctions List (official UN document, no licence stated);
#   ArWikiCats (MIT; Arabic Wikipedia titles, CC BY-SA 4.0).
"""


def _latin(text: str) -> bool:
    return bool(text) and not _ARABIC_LETTER.search(text) and text.isascii()


def country_entries(data_dir: Path) -> List[Entry]:
    """One GPE entry per mledoze country: Arabic common/official/CLDR names, English spellings."""
    cldr = {code: ar for code, (ar, _) in cldr_territories().items()}
    countries = json.loads((data_dir / "gazetteers/countries_mledoze/countries.json").read_text(encoding="utf-8"))
    entries = []
    for c in countries:
        ara = c["translations"]["ara"]
        arabic = [ara.get("common", ""), ara.get("official", ""), cldr.get(c["cca2"], "")]
        english = [c["name"]["official"], *(a for a in c.get("altSpellings", [])
                                            if _latin(a) and len(a) > 1 and a != c["cca2"])]
        where = c.get("subregion") or c.get("region") or ""
        capital = ", ".join(c.get("capital", []))
        description = f"country in {where}" + (f"; capital {capital}" if capital else "")
        entries.append(Entry("", c["name"]["common"], "GPE", _unique(arabic + english), description, (), c["cca2"]))
    return entries


def region_entries() -> List[Entry]:
    """CLDR world regions (Asia, Western Asia, ...) as LOC entries."""
    cldr = cldr_territories()
    return [Entry("", cldr[code][1], "LOC", (cldr[code][0],), "world region (CLDR)")
            for code in sorted(cldr) if code.isdigit() and code not in _CLDR_SKIP and cldr[code][1]]


@lru_cache(maxsize=2)
def mistranslated_names(data_dir: Path) -> Set[str]:
    """Normalized words of AQMAR, the Wojood sample and UD Arabic-PUD used more often outside names
    than inside them. The world-cities source gives some cities an ordinary word as Arabic name
    (طيور "birds" for Aves, معرفة, يوم), which this catches. It is looser than the NER gazetteer's
    :func:`arabic_geo_nlp.ner.build.ordinary_words`: a word seen inside any name (الخليل of إبراهيم
    الخليل) is kept, so that a real city is not dropped from the KB."""
    from ..ner.corpora import reference_words  # build-time only

    usage = Counter((normalize_word(word), is_name) for word, is_name in reference_words(data_dir))
    return {w for (w, is_name), n in usage.items() if not is_name and n > usage[(w, True)]}


def city_entries(data_dir: Path, capitals: Set[Tuple[str, str]], codes: Optional[Dict[str, str]] = None) -> List[Entry]:
    """Cities of at least ``MIN_CITY_POPULATION`` people, and capitals; one per English name
    (the most populous), most populous first; ``codes`` maps English country names to ISO codes.
    A one-word Arabic name used mostly as an ordinary word in the reference corpora is left out
    (:func:`mistranslated_names`), and so is one mostly used otherwise in the news
    (:func:`.build_filter.common_in_news`) unless the city is a capital or of ``IMPORTANT`` size."""
    mistranslated = mistranslated_names(data_dir)
    news = news_words(data_dir)
    best: Dict[str, Tuple[int, Entry]] = {}
    with open(data_dir / "gazetteers/world_cities_ar/world-cities.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            name, country = row["CityNameEn"].strip(), row["CountryNameEn"].strip()
            arabic = _ADMIN_PREFIX.sub("", row["CityNameAr"].strip())
            population = int(float(row["Population"] or 0))
            capital = (country, name) in capitals
            if not _ARABIC_LETTER.search(arabic) or (population < MIN_CITY_POPULATION and not capital):
                continue
            if " " not in arabic and normalize(arabic) in mistranslated:
                continue
            if not capital and population < IMPORTANT and common_in_news(arabic, news):
                continue
            description = f"capital of {country}" if capital else f"city in {country}"
            if name not in best or population > best[name][0]:
                best[name] = (population, Entry("", name, "GPE", (arabic,), description, (), (codes or {}).get(country, "")))
    return [entry for _, entry in sorted(best.values(), key=lambda pe: -pe[0])]


def _unique(items: Iterable[str]) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(i.strip() for i in items if i and i.strip()))


def _drop_taken_aliases(entries: Sequence[Entry], taken: Dict[str, Tuple[str, str]],
                        names: Dict[Tuple[str, str], str]) -> List[Entry]:
    """Entries without the aliases that ``taken`` (exact key → (name, type)) gives to another actor.
    An entry whose English name is an alias of a curated actor of its type takes that actor's name
    (Türkiye → Turkey, ``names`` maps (name, type) keys to curated names); a city left without an
    Arabic alias is named ``مدينة X``."""
    out = []
    for e in entries:
        owner = taken.get(exact_key(e.name))
        if owner in names and owner[1] == e.type:
            renamed = (e.name,) if names[owner] != e.name else ()
            e = replace(e, name=names[owner], aliases=e.aliases + renamed)
        me = (e.name.casefold(), e.type)
        kept = tuple(a for a in e.aliases if taken.setdefault(exact_key(a), me) == me)
        if e.description.startswith(("city", "capital")) and not any(_ARABIC_LETTER.search(a) for a in kept):
            kept += tuple("مدينة " + a for a in e.aliases if _ARABIC_LETTER.search(a))
        if any(_ARABIC_LETTER.search(a) for a in kept):
            out.append(replace(e, aliases=kept))
    return out


# ----------------------------------------------------------------------------- kb_sources


def _source_rows(path: Path) -> Iterator[Dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


def english_title(name: str) -> str:
    """A source's upper- or lower-case English name in title case, particles lower-case.

    >>> english_title("ABD AL-KHALIQ AL-HOUTHI"), english_title("abu bakr al-baghdadi")
    ('Abd al-Khaliq al-Houthi', 'Abu Bakr al-Baghdadi')
    """
    if not (name.isupper() or name.islower()):
        return name
    words = []
    for i, word in enumerate(name.split()):
        parts = word.lower().split("-")
        parts = [p if p in _PARTICLES and (i or j) else re.sub(r"^\W*\w", lambda m: m.group(0).upper(), p)
                 for j, p in enumerate(parts)]
        words.append("-".join(parts))
    return " ".join(words)


def _arabic_names(cell: str) -> Tuple[str, ...]:
    names = (re.sub(r"\s*\([^)]*\)\s*", " ", a).translate(_PERSIAN_LETTERS).strip() for a in cell.split("|"))
    return _unique(" ".join(a.split()) for a in names if _ARABIC_LETTER.search(a) and not re.search(r"[A-Za-z0-9]", a))


CITY = 100_000  # a Who's On First town this large keeps a one-word name that is also an ordinary word


def wof_entries(data_dir: Path) -> Tuple[List[Entry], List[Entry], List[Entry], Dict[str, str]]:
    """Who's On First rows: (towns of the ``major_locality`` tier, most populous first; admin
    units; the other localities; QIDs of countries by ISO code). Aliases are filtered: a town of
    ``CITY`` people or more as world cities are (:func:`_usable_place_alias`: الرمادي, تعز stay),
    the rest strictly (:func:`_usable_alias`: الجنوبية, الداخلية, القصر go); an alias mostly used
    otherwise in the news (:func:`.build_filter.common_in_news`: كوادر, العزيز) goes unless the
    place is a first-level division or of ``IMPORTANT`` size."""
    mistranslated = mistranslated_names(data_dir)
    news = news_words(data_dir)
    major: List[Tuple[int, Entry]] = []
    admin: List[Entry] = []
    minor: List[Entry] = []
    country_qids: Dict[str, str] = {}
    for row in _source_rows(data_dir / SOURCES / "whosonfirst_mena/wof_places_ar.tsv"):
        if row["placetype"] == "country":
            country_qids[row["country"]] = row["qid"]
            continue
        population = int(float(row["population"] or 0))
        city = row["tier"] == "major_locality" and population >= CITY
        important = row["placetype"] == "region" or population >= IMPORTANT
        aliases = tuple(a for a in _arabic_names(row["names_ar"])
                        if (_usable_place_alias(a, mistranslated) if city else _usable_alias(a, False))
                        and (important or not common_in_news(a, news)))
        entry = Entry(row["qid"], row["name_en"].strip(), "GPE", aliases, row["description"].strip(), (), row["country"])
        if row["tier"] == "major_locality":
            major.append((population, entry))
        else:
            (admin if row["tier"] == "admin" else minor).append(entry)
    major.sort(key=lambda pe: -pe[0])
    return [e for _, e in major], admin, minor, country_qids


def un_entries(data_dir: Path) -> List[Entry]:
    """People and groups of the UN SC sanctions list with Arabic-script names."""
    out = []
    for row in _source_rows(data_dir / SOURCES / "un_sc_sanctions/un_sc_sanctions_ar.tsv"):
        english = [english_title(a) for a in row["en_aliases"].split("|") if a.strip()]
        description = row["description"].strip() + ("" if row["status"].startswith("listed") else f" ({row['status']})")
        out.append(Entry("", english_title(row["name_en"].strip()), row["type"], _arabic_names(row["names_ar"]) +
                         tuple(english), description, (), row["country"].split("|")[0]))
    return out


def arwikicats_entries(data_dir: Path) -> List[Entry]:
    """ArWikiCats people and places; a ``town, state`` row (mostly small US towns) is left out."""
    out = []
    for row in _source_rows(data_dir / SOURCES / "arwikicats/arwikicats_ar.tsv"):
        name = row["name_en"].strip()
        if "," in name or "qualifier" in row["description"] or not name.isascii() and not _latin_letters(name):
            continue
        description = "person (Arabic Wikipedia title)" if row["type"] == "PER" else "place (Arabic Wikipedia title)"
        out.append(Entry("", english_title(name), row["type"], _arabic_names(row["names_ar"]), description))
    return out


def _latin_letters(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin letter (with or without accents)."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())


def _usable_alias(alias: str, person: bool) -> bool:
    """An Arabic alias that names an actor rather than being an ordinary word: not a single
    ordinary word (``gazetteer_ordinary.txt.gz``) nor one behind a proclitic (بانه reads بأنه),
    no function word, no one-word person name of the name lexicon, and for a person two words
    or more, not all of them common given names (``arabic_names.tsv``)."""
    from ..ner.gazetteer import (  # build-time only
        is_addable, is_stopword, load_name_lexicon, ordinary_words, proclitic_length,
    )

    words = alias.split()
    if not _ARABIC_LETTER.search(alias):
        return True
    if has_function_word(alias) or (person and len(words) < 2):
        return False
    if person and all(w in _given_names() for w in normalize(alias, ROMANIZE_OPTIONS).split()):
        return False  # محمد علي, كمال حسن: given names only, many people's
    if len(words) > 1:
        return True
    word = normalize_word(alias)
    cut = proclitic_length(alias)
    clitic_word = bool(cut) and (normalize_word(alias[cut:]) in ordinary_words() or is_stopword(alias[cut:]))
    return is_addable(alias, "kb") and not is_stopword(alias) and len(word) > 2 and not clitic_word and \
        "PER" not in load_name_lexicon().get(word, "")


def _usable_place_alias(alias: str, mistranslated: Set[str]) -> bool:
    """An Arabic alias of a town or admin unit (looser than :func:`_usable_alias`, as for world
    cities: الرمادي and تعز are ordinary words too): no function word, not an admin word alone, and
    a one-word alias not used mostly as an ordinary word (:func:`mistranslated_names`: جماعة,
    الداخلية, بانه read as بأنه)."""
    if not _ARABIC_LETTER.search(alias):
        return True
    if has_function_word(alias) or _ADMIN_PREFIX.match(alias + " ") and " " not in alias:
        return False
    return " " in alias or normalize(alias) not in mistranslated


def _long_tail(entries: Iterable[Entry], taken: Dict[str, _TaKey], taken_variants: Dict[str, _TaKey],
               news: Counter) -> List[Entry]:
    """``entries`` without aliases another actor has (by exact or variant key) or that are no
    usable name (:func:`_usable_alias`), nor a place's alias mostly used otherwise in the ``news``
    (:func:`.build_filter.common_in_news`: دراما); entries left without an Arabic alias are dropped."""
    out = []
    for e in entries:
        me = (e.name.casefold(), e.type)
        kept = []
        for a in e.aliases:
            if not _usable_alias(a, e.type == "PER") or e.type != "PER" and common_in_news(a, news):
                continue
            key = variant_key(a) if _ARABIC_LETTER.search(a) else exact_key(a)
            if taken.setdefault(exact_key(a), me) == me and taken_variants.setdefault(key, me) == me:
                kept.append(a)
        if any(_ARABIC_LETTER.search(a) for a in kept):
            out.append(replace(e, aliases=tuple(kept)))
    return out


# ----------------------------------------------------------------------------- build


def _curated(curated_dir: Path) -> KnowledgeBase:
    kb = KnowledgeBase()
    for path in sorted(curated_dir.glob("*.tsv")):
        kb.add_file(path, 0)
    return kb


def _merged(entries: Iterable[Entry]) -> List[Entry]:
    """Entries with one name and type merged (as :class:`KnowledgeBase` merges them), sorted."""
    kb = KnowledgeBase()
    for e in entries:
        kb.add(e)
    rows = [replace(e, id=e.qid or "") for e in kb]
    return sorted(rows, key=lambda e: (e.name.casefold(), e.type, e.name))


def wikipedia_titles(data_dir: Path) -> Dict[str, str]:
    """Exact key of an ArWikiCats Arabic place title → its English Wikipedia title (title-cased),
    for Arabic titles with one English title only."""
    titles: Dict[str, Set[str]] = {}
    for e in arwikicats_entries(data_dir):
        if e.type == "GPE" and e.aliases:
            titles.setdefault(exact_key(e.aliases[0]), set()).add(e.name)
    return {k: next(iter(v)) for k, v in titles.items() if len(v) == 1}


def _titled(entries: Sequence[Entry], titles: Dict[str, str]) -> List[Entry]:
    """Towns named by the Wikipedia title of their first Arabic alias where ArWikiCats has one
    (WOF's Ta'izz → Taiz; the source's name becomes an alias), unless another entry has that name
    or a town of another country would take it too."""
    def title(e: Entry) -> Optional[str]:
        arabic = [a for a in e.aliases if _ARABIC_LETTER.search(a)]
        town = e.description.startswith(("locality", "city", "capital"))
        return titles.get(exact_key(arabic[0])) if arabic and town else None

    names = Counter(e.name.casefold() for e in entries)
    wanted: Dict[str, Set[str]] = {}
    for e in entries:
        t = title(e)
        if t:
            wanted.setdefault(t.casefold(), set()).add(e.country)
    out = []
    for e in entries:
        t = title(e)
        if t and t != e.name and not names[t.casefold()] and len(wanted[t.casefold()]) == 1:
            e = replace(e, name=t, aliases=e.aliases + (e.name,))
        out.append(e)
    return out


def _told_apart(entries: Sequence[Entry]) -> List[Entry]:
    """Places of one English name in different countries: the first keeps the name, the others
    are named ``name, country`` (Tripoli; Tripoli, Lebanon), so that they are not merged."""
    first: Dict[str, str] = {}
    out = []
    for e in entries:
        country = first.setdefault(e.name.casefold(), e.country)
        if e.country and country and e.country != country:
            where = re.split(r",\s*|\bin\s|\bof\s", e.description)[-1].strip()
            e = replace(e, name=f"{e.name}, {where or e.country}", aliases=e.aliases)
        out.append(e)
    return out


def place_entries(data_dir: Path, curated: KnowledgeBase) -> Tuple[List[Entry], Dict[str, _TaKey]]:
    """Countries (QIDs from Who's On First), towns, admin units, world cities and regions, without
    the aliases of curated actors or of earlier places; and the aliases taken (exact key → actor)."""
    taken = {exact_key(a): (e.name.casefold(), e.type) for e in curated for a in (e.name, *e.aliases)}
    names = {(e.name.casefold(), e.type): e.name for e in curated}
    wof_towns, wof_admin, _, country_qids = wof_entries(data_dir)
    countries = [replace(e, id=country_qids.get(e.country, "")) for e in country_entries(data_dir)]
    capitals = {(e.name, cap.strip()) for e in countries
                for cap in e.description.partition("capital ")[2].split(",") if cap.strip()}
    codes = {e.name: e.country for e in countries}
    # towns before admin units, so that a homonymous county does not take a city's name
    towns = [*wof_towns, *city_entries(data_dir, capitals, codes), *wof_admin]
    towns = _titled(towns, wikipedia_titles(data_dir))
    towns = _told_apart(towns)
    groups = (countries, towns, region_entries())
    entries = [e for group in groups for e in _drop_taken_aliases(group, taken, names)]
    return _merged(entries), taken


def source_entries(data_dir: Path, curated: KnowledgeBase, places: Sequence[Entry],
                   taken: Dict[str, _TaKey]) -> List[Entry]:
    """The long tail: Who's On First's smaller localities, the UN sanctions list, ArWikiCats."""
    taken = dict(taken)
    taken_variants: Dict[str, _TaKey] = {}
    for e in (*curated, *places):
        for a in (e.name, *e.aliases):
            taken_variants.setdefault(variant_key(a) if _ARABIC_LETTER.search(a) else exact_key(a),
                                      (e.name.casefold(), e.type))
    _, _, minor, _ = wof_entries(data_dir)
    groups = (un_entries(data_dir), minor, arwikicats_entries(data_dir))
    news = news_words(data_dir)
    return _merged(e for group in groups for e in _long_tail(group, taken, taken_variants, news))


def _row(e: Entry) -> str:
    cells = (e.qid or "", e.name, e.type, "|".join(e.aliases), e.description, "|".join(e.roles), e.country)
    return "\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells) + "\n"


def write_entries(entries: Sequence[Entry], path: Path, sources: str) -> None:
    """Write a KB TSV (gzip without a timestamp for ``.gz``: same entries, same bytes)."""
    text = HEADER.format(name=path.name, sources=sources) + "".join(_row(e) for e in entries)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    else:
        path.write_text(text, encoding="utf-8")


def counts(entries: Iterable[Entry]) -> Counter:
    """Entries by type."""
    return Counter(e.type for e in entries)


def build_kb(data_dir: Path, out: Optional[Path] = None, translit: bool = False) -> str:
    """Write ``places.tsv`` and ``sources.tsv.gz`` (and with ``translit`` the romanization tables)
    into ``out`` (default: the package's ``data/kb``), reading the curated files there."""
    out = out or data_file("")
    out.mkdir(parents=True, exist_ok=True)
    curated_dir = out / CURATED_DIR if (out / CURATED_DIR).is_dir() else data_file(CURATED_DIR)
    curated = _curated(curated_dir)
    places, taken = place_entries(data_dir, curated)
    sources = source_entries(data_dir, curated, places, taken)
    write_entries(places, out / "places.tsv", PLACES_SOURCES.format(cldr=f"{CLDR_FILE}: {cldr_release()}"))
    write_entries(sources, out / "sources.tsv.gz", LONG_TAIL_SOURCES)
    lines = [f"curated: {len(curated)} {dict(sorted(counts(curated).items()))}",
             f"places.tsv: {len(places)} {dict(sorted(counts(places).items()))}",
             f"sources.tsv.gz: {len(sources)} {dict(sorted(counts(sources).items()))}"]
    if translit:
        from .build_translit import build_translit

        lines.append(build_translit(data_dir, out))
    return "\n".join(lines)
