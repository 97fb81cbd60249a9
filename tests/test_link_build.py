"""arabic_geo_nlp.link.build: ``arabic-geo-nlp build kb`` from ../shared/data."""

import gzip
import sys

import pytest

from arabic_geo_nlp.link import KnowledgeBase, data_file, read_entries
from arabic_geo_nlp.cli import main
from arabic_geo_nlp.link.build import _usable_alias, english_title

from .conftest import SHARED

DATA = SHARED / "data"
needs_sources = pytest.mark.skipif(not (DATA / "kb_sources").is_dir(), reason="no ../shared/data/kb_sources")


@needs_sources
def test_build_gives_the_packaged_bytes(tmp_path, capsys, monkeypatch):
    """Same inputs, same bytes: a fresh build equals the packaged files (rebuild them with
    ``arabic-geo-nlp build kb`` after changing curated/*.tsv or the build), whatever Babel is
    installed: CLDR names come from the committed snapshot."""
    monkeypatch.setitem(sys.modules, "babel", None)
    assert main(["build", "kb", "--data-dir", str(DATA), "--out", str(tmp_path)]) == 0
    report = capsys.readouterr().out
    assert "places.tsv" in report and "sources.tsv.gz" in report
    for name in ("places.tsv", "sources.tsv.gz"):
        assert (tmp_path / name).read_bytes() == data_file(name).read_bytes(), name
    with gzip.open(tmp_path / "sources.tsv.gz", "rt", encoding="utf-8") as f:
        assert f.read().count("\n") > 10_000


@needs_sources
def test_built_entries_are_clean():
    kb = KnowledgeBase.from_files([data_file("sources.tsv.gz")])
    for entry in kb:
        arabic = [a for a in entry.aliases if any("\u0621" <= c <= "\u064a" for c in a)]
        assert arabic, entry.name
        if entry.type == "PER":
            assert all(len(a.split()) >= 2 for a in arabic), entry.name      # no surname alone
    places = list(read_entries(data_file("places.tsv")))
    assert any(e.name == "Syria" and e.qid == "Q858" and e.country == "SY" for e in places)


def test_aliases_that_are_ordinary_words_are_dropped():
    assert not _usable_alias("الداخلية", False)        # "the interior" (a governorate of Oman)
    assert not _usable_alias("بانه", False)            # reads as بأنه "that it"
    assert not _usable_alias("في", False)
    assert not _usable_alias("كيري", True)              # a person needs two words
    assert not _usable_alias("محمد علي", True)          # given names only: many people
    assert _usable_alias("جون كيري", True) and _usable_alias("عكار", False)


def test_english_title_case():
    assert english_title("ISLAMIC STATE IN IRAQ AND THE LEVANT") == "Islamic State in Iraq and the Levant"
    assert english_title("astara (iran)") == "Astara (Iran)"
    assert english_title("Mosul") == "Mosul"
