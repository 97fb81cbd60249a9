import pickle

from arabic_geo_nlp import cache
from arabic_geo_nlp.cache import CACHE_ENV, cached


def test_a_pickle_is_reused_under_the_same_files_and_rebuilt_when_they_change(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "c"))
    source = tmp_path / "table.tsv"
    source.write_text("أ\t1\n", encoding="utf-8")
    builds = []

    def build():
        builds.append(1)
        return {"rows": source.read_text(encoding="utf-8").splitlines()}

    assert cached("table", build, [source]) == {"rows": ["أ\t1"]}
    assert cached("table", build, [source]) == {"rows": ["أ\t1"]} and len(builds) == 1
    source.write_text("أ\t1\nب\t2\n", encoding="utf-8")
    assert cached("table", build, [source]) == {"rows": ["أ\t1", "ب\t2"]} and len(builds) == 2
    assert len(list((tmp_path / "c").glob("table-*.pickle"))) == 1   # the stale copy is gone


def test_a_damaged_pickle_is_rebuilt_and_an_empty_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    cached("t", lambda: [1, 2])
    (copy,) = tmp_path.glob("t-*.pickle")
    copy.write_bytes(b"not a pickle")
    assert cached("t", lambda: [1, 2]) == [1, 2]
    assert pickle.loads(copy.read_bytes()) == [1, 2]
    monkeypatch.setenv(CACHE_ENV, "")
    assert cache.cache_dir() is None
    assert cached("t", lambda: [3]) == [3]


def test_an_unwritable_directory_only_skips_the_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "sub"))
    assert cached("t", lambda: "built") == "built"


def test_packaged_tables_from_the_cache_equal_fresh_builds(tmp_path, monkeypatch):
    from arabic_geo_nlp.link import kb as kb_module
    from arabic_geo_nlp.ner import gazetteer as gaz_module

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    fresh = kb_module.packaged_kb.__wrapped__()                     # built, then pickled
    again = kb_module.packaged_kb.__wrapped__()                     # unpickled
    assert again is not fresh and len(again) == len(fresh)
    for text, step in (("بوتين", "kb"), ("الكرملين", "kb"), ("موسكو", "kb_variant")):
        assert again.candidates(text, step) == fresh.candidates(text, step)
    built = gaz_module.load_gazetteer.__wrapped__()
    loaded = gaz_module.load_gazetteer.__wrapped__()
    words = ["زار", "وزير", "خارجية", "كوريا", "الشمالية", "موسكو", "أمس"]
    assert loaded.match(words) == built.match(words) and loaded.lookup(["موسكو"]) == built.lookup(["موسكو"])
