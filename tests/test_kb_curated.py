"""The curated KB files (``data/kb/curated/*.tsv``): one entry per actor, one naming convention."""

from __future__ import annotations

import re
from collections import defaultdict

from arabic_geo_nlp.link.kb import curated_files, read_entries
from arabic_geo_nlp.link.keys import _tsv_rows, data_file, exact_key, variant_key

_LATIN = re.compile(r"[A-Za-z]")


def alias_key(alias: str) -> str:
    """The key two aliases collide on: the variant key of Arabic, the exact key of Latin text."""
    return exact_key(alias) if _LATIN.search(alias) else variant_key(alias)


def homonyms() -> set:
    """(type, alias key) pairs that ``review/homonyms.tsv`` allows to name several entries."""
    lines = data_file("review/homonyms.tsv").read_text(encoding="utf-8").splitlines()
    return {(row[0], alias_key(row[1])) for row in _tsv_rows(lines) if row[0] != "type"}


def curated_entries():
    return [(path.name, e) for path in curated_files() for e in read_entries(path)]


def test_no_two_curated_entries_of_one_type_share_an_alias():
    owners = defaultdict(set)
    for _, e in curated_entries():
        for alias in (e.name, *e.aliases):
            key = alias_key(alias)
            if key:
                owners[(e.type, key)].add(e.name.casefold())
    allowed = homonyms()
    shared = {k: sorted(v) for k, v in owners.items() if len(v) > 1 and k not in allowed}
    assert not shared, f"{len(shared)} aliases name two entries (merge them or list them in review/homonyms.tsv): " \
                       f"{sorted(shared.items())[:10]}"


def test_the_allow_list_names_real_collisions():
    """An entry of homonyms.tsv that no longer collides is stale and should go."""
    owners = defaultdict(set)
    for _, e in curated_entries():
        for alias in (e.name, *e.aliases):
            owners[(e.type, alias_key(alias))].add(e.name)
    stale = [k for k in homonyms() if len(owners.get(k, ())) < 2]
    assert not stale


def test_the_homonym_check_catches_a_spelling_variant(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("id\tname\ttype\taliases\tdescription\troles\tcountry\n"
                    "\tSaud al-Faisal\tPER\tسعود الفيصل\t\t\t\n"
                    "\tSaud bin Faisal\tPER\tسعود الفيصل|الأمير سعود\t\t\t\n", encoding="utf-8")
    keys = [{alias_key(a) for a in e.aliases} for e in read_entries(path)]
    assert keys[0] & keys[1] == {variant_key("سعود الفيصل")}


def test_turkish_people_are_named_as_english_news_writes_them():
    """Recep Tayyip Erdogan, Ahmet Davutoglu: no Turkish letters (the Turkish spelling is an alias)."""
    turkish = set("ğşıİöüçĞŞÖÜÇ")
    bad = [e.name for _, e in curated_entries()
           if e.type == "PER" and (e.country == "TR" or set(e.name) & set("ğşıİĞŞ")) and set(e.name) & turkish]
    assert not bad, bad[:20]
    erdogan = [e for _, e in curated_entries() if e.qid == "Q39259"]
    assert erdogan and all(e.name == "Recep Tayyip Erdogan" and "Recep Tayyip Erdoğan" in e.aliases for e in erdogan)


def test_curated_files_are_sorted_by_name():
    for path in curated_files():
        if path.name == "core.tsv":  # grouped in commented sections
            continue
        names = [e.name.casefold() for e in read_entries(path)]
        assert names == sorted(names), path.name
