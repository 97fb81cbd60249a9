"""Tests for arabic_geo_nlp.corpus: every input kind and encoding, errors as records, laziness.

Binary fixtures are generated here (see ``encoded``), never committed.
"""

from __future__ import annotations

import builtins
import codecs
import json
from pathlib import Path
from typing import List

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from arabic_geo_nlp import corpus
from arabic_geo_nlp.corpus import Record, read_corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARABIC = "قال الوزير إن المحادثات مثمرة.\r\nوأضاف: «لا تراجع» 12\n"  # cp1256-encodable

# name -> (how to encode, encoding decode_bytes must report)
ENCODINGS = {
    "utf-8": (lambda t: t.encode("utf-8"), "utf-8"),
    "utf-8-bom": (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    "utf-16-le-bom": (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
    "utf-16-be-bom": (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    "utf-16-le": (lambda t: t.encode("utf-16-le"), "utf-16-le"),
    "utf-16-be": (lambda t: t.encode("utf-16-be"), "utf-16-be"),
    "utf-32-le-bom": (lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le"), "utf-32"),
    "utf-32-be-bom": (lambda t: codecs.BOM_UTF32_BE + t.encode("utf-32-be"), "utf-32"),
    "cp1256": (lambda t: t.encode("cp1256"), "cp1256"),
}
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
UNDECODABLE = bytes(range(0xA1, 0xBF))  # not UTF-8; cp1256 symbols, not letters


def encoded(kind: str, text: str = ARABIC) -> bytes:
    """Fixture generator: ``text`` as bytes in one of ``ENCODINGS``."""
    return ENCODINGS[kind][0](text)


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def ids(records) -> List[str]:
    return [r.doc_id for r in records]


# --------------------------------------------------------------------------- text files


def test_seed_directory():
    records = list(read_corpus(SEEDS))
    paths = sorted(SEEDS.glob("*.txt"))
    assert ids(records) == [p.stem for p in paths]
    for rec, path in zip(records, paths):
        assert rec.text == path.read_text(encoding="utf-8")
        assert (rec.source, rec.encoding, rec.error) == (str(path), "utf-8", None)


@pytest.mark.parametrize("kind", ENCODINGS)
def test_txt_file_in_each_encoding(tmp_path, kind):
    path = write(tmp_path / f"{kind}.txt", encoded(kind))
    (rec,) = read_corpus(path)
    assert rec == Record(kind, ARABIC, str(path), ENCODINGS[kind][1])


def test_txt_file_as_str_path(tmp_path):
    path = write(tmp_path / "a.txt", "نص")
    assert list(read_corpus(str(path))) == [Record("a", "نص", str(path), "utf-8")]


def test_explicit_encoding_for_files(tmp_path):
    path = write(tmp_path / "old.txt", ARABIC.encode("cp1256"))
    (rec,) = read_corpus(path, encoding="cp1256")
    assert (rec.text, rec.encoding, rec.error) == (ARABIC, "cp1256", None)
    (bad,) = read_corpus(path, encoding="utf-8")
    assert bad.text is None and bad.doc_id == "old" and bad.encoding == "utf-8"
    assert "document 'old'" in bad.error and "utf-8" in bad.error
    (unknown,) = read_corpus(path, encoding="klingon")
    assert "unknown encoding 'klingon'" in unknown.error


@pytest.mark.parametrize("data, message", [(BINARY, "binary data, not text"), (UNDECODABLE, "undecodable")])
def test_unreadable_file_is_an_error_record(tmp_path, data, message):
    path = write(tmp_path / "bad.txt", data)
    (rec,) = read_corpus(path)
    assert (rec.doc_id, rec.text, rec.source) == ("bad", None, str(path))
    assert rec.error.startswith(f"document 'bad' ({path}): ") and message in rec.error


ARTICLE_LINE = "أعلن الوزير في مؤتمر صحفي أن المحادثات مع الوفد الزائر كانت مثمرة وأن الحوار سيتواصل.\n"


def test_utf8_file_with_one_bad_byte_is_utf8_with_a_warning(tmp_path):
    data = (ARTICLE_LINE * 20).encode("utf-8")
    at = data.index("الوفد".encode("utf-8"), len(data) // 2)
    path = write(tmp_path / "damaged.txt", data[:at] + b"\xff" + data[at:])
    (rec,) = read_corpus(path)
    assert (rec.encoding, rec.error) == ("utf-8", None)
    assert rec.text == data[:at].decode("utf-8") + "\ufffd" + data[at:].decode("utf-8")
    assert rec.warning == f"document 'damaged' ({path}): 1 invalid utf-8 byte replaced by U+FFFD (at byte {at})"


def test_cp1256_article_file_is_still_cp1256(tmp_path):
    path = write(tmp_path / "old.txt", (ARTICLE_LINE * 20).encode("cp1256"))
    (rec,) = read_corpus(path)
    assert (rec.text, rec.encoding, rec.error, rec.warning) == (ARTICLE_LINE * 20, "cp1256", None, None)


def test_stray_nul_in_article_file_is_blanked_with_a_warning(tmp_path):
    text = ARTICLE_LINE * 5
    path = write(tmp_path / "nul.txt", (text[:30] + "\x00" + text[31:]).encode("utf-8"))
    (rec,) = read_corpus(path)
    assert rec.error is None and rec.text == text[:30] + " " + text[31:]
    assert rec.warning == f"document 'nul' ({path}): 1 control character blanked to a space (at character 30)"


def test_broken_links_are_error_records(tmp_path):
    write(tmp_path / "a.txt", "أ")
    (tmp_path / "b.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "c.md").symlink_to(tmp_path / "gone.md")  # not a corpus suffix: not an input
    write(tmp_path / "d.txt", "د")
    records = list(read_corpus(tmp_path))
    assert ids(records) == ["a", "b", "d"]
    assert records[1].text is None and "broken link" in records[1].error and "gone.txt" in records[1].error
    assert corpus.count_documents(tmp_path) == 3
    (named,) = read_corpus(tmp_path / "b.txt")
    assert named.text is None and "broken link" in named.error


@pytest.mark.parametrize("as_type", [str, Path])
def test_missing_path(tmp_path, as_type):
    path = tmp_path / "missing.txt"
    (rec,) = read_corpus(as_type(path))
    assert (rec.doc_id, rec.text, rec.source) == ("missing", None, str(path))
    assert "file not found" in rec.error and "'missing'" in rec.error


def test_directory_is_recursive_and_sorted(tmp_path):
    for rel in ["b.txt", "a/z.txt", "a/b/c.txt", "a0.txt", "C.txt", ".hidden/x.txt", ".h.txt", "notes.md"]:
        write(tmp_path / rel, rel)
    write(tmp_path / "t.jsonl", json.dumps({"text": "row"}) + "\n")
    records = list(read_corpus(tmp_path))
    assert [r.text for r in records] == ["C.txt", "a/b/c.txt", "a/z.txt", "a0.txt", "b.txt", "row"]
    top = list(read_corpus(tmp_path, recursive=False))
    assert [r.text for r in top] == ["C.txt", "a0.txt", "b.txt", "row"]


def test_filesystem_root_is_refused_not_walked():
    (rec,) = read_corpus(["/"])
    assert rec.text is None and "filesystem root" in rec.error
    assert corpus.count_documents("/") == 1


def test_pipes_are_never_read(tmp_path):
    import os

    write(tmp_path / "a.txt", "نص")
    os.mkfifo(tmp_path / "b.txt")  # reading it would block forever
    assert [r.text for r in read_corpus(tmp_path)] == ["نص"]
    (rec,) = read_corpus(tmp_path / "b.txt")
    assert rec.text is None and "not a regular file" in rec.error


def test_unlistable_directory_is_an_error_record(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", "أ")
    write(tmp_path / "locked/b.txt", "ب")
    write(tmp_path / "z.txt", "ي")
    real_scandir = corpus.os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(corpus.os, "scandir", scandir)
    records = list(read_corpus(tmp_path))
    assert ids(records) == ["a", "locked", "z"]
    assert records[1].text is None and "cannot list the directory: Permission denied" in records[1].error


def test_bad_file_in_directory_does_not_stop_the_rest(tmp_path):
    write(tmp_path / "1.txt", "أول")
    write(tmp_path / "2.txt", BINARY)
    write(tmp_path / "3.txt", "ثالث")
    records = list(read_corpus(tmp_path))
    assert ids(records) == ["1", "2", "3"]
    assert [r.error is None for r in records] == [True, False, True]


def test_glob_pattern(tmp_path):
    for name in ["b.txt", "a.txt", "c.csv"]:
        write(tmp_path / name, "x")
    assert ids(read_corpus(str(tmp_path / "*.txt"))) == ["a", "b"]
    (rec,) = read_corpus(str(tmp_path / "*.jsonl"))
    assert "no file matches" in rec.error


# --------------------------------------------------------------------------- raw strings, lists


def test_raw_strings_get_positional_ids():
    records = list(read_corpus(["نص أول", "نص ثان", ""]))
    assert records == [
        Record("doc-0000", "نص أول", "<str>"),
        Record("doc-0001", "نص ثان", "<str>"),
        Record("doc-0002", "", "<str>"),
    ]
    assert list(read_corpus("نص وحيد")) == [Record("doc-0000", "نص وحيد", "<str>")]


def test_string_path_or_text_rule(tmp_path):
    path = write(tmp_path / "a.txt", "من ملف")
    items = [str(path), "قال: انظر *", "no/such/report.txt", "two words.txt", "سطر\nآخر.txt", path]
    records = list(read_corpus(items))
    assert [(r.doc_id, r.text) for r in records] == [
        ("a", "من ملف"),
        ("doc-0001", "قال: انظر *"),  # glob char but no match: text
        ("report", None),  # corpus suffix, no whitespace: a (missing) path
        ("doc-0003", "two words.txt"),
        ("doc-0004", "سطر\nآخر.txt"),
        ("a-2", "من ملف"),
    ]
    assert "file not found" in records[2].error


def test_non_string_list_item_is_an_error_record():
    records = list(read_corpus(["نص", None, 3]))
    assert ids(records) == ["doc-0000", "doc-0001", "doc-0002"]
    assert records[1].text is None and "NoneType is not a path or a str" in records[1].error


@pytest.mark.parametrize("bad", [42, b"bytes"])
def test_unsupported_input_type_raises_at_call(bad):
    with pytest.raises(TypeError, match="unsupported input type"):
        read_corpus(bad)


# --------------------------------------------------------------------------- duplicate ids


def test_duplicate_ids_get_suffixes(tmp_path):
    write(tmp_path / "x/a.txt", "1")
    write(tmp_path / "y/a.txt", "2")
    write(tmp_path / "z/a.txt", "3")
    assert ids(read_corpus(tmp_path)) == ["a", "a-2", "a-3"]


def test_duplicate_suffix_never_collides():
    series = pd.Series(["1", "2", "3", "4"], index=["a", "a-2", "a", "a-2"])
    assert ids(read_corpus(series)) == ["a", "a-2", "a-3", "a-2-2"]


def test_error_message_names_the_deduplicated_id():
    records = list(read_corpus(pd.Series(["ok", None], index=["k", "k"])))
    assert records[1].doc_id == "k-2" and records[1].error == "document 'k-2' (<series>): text is null"


# --------------------------------------------------------------------------- JSONL


def test_jsonl(tmp_path):
    lines = [
        json.dumps({"id": "n1", "text": "خبر"}, ensure_ascii=False),
        json.dumps({"text": "بلا معرف"}, ensure_ascii=False),
        "",
        "{not json",
        json.dumps({"id": "n5", "text": None}),
        json.dumps({"id": 6, "text": 12}),
        json.dumps(["a", "list"]),
        json.dumps({"body": "wrong field"}),
        json.dumps({"doc_id": "d9", "text": "سطر\r\nثان"}, ensure_ascii=False),
    ]
    path = write(tmp_path / "news.jsonl", "\n".join(lines) + "\n")
    records = list(read_corpus(path))
    assert ids(records) == ["n1", "news-2", "news-4", "n5", "6", "news-7", "news-8", "d9"]
    assert [r.source for r in records][:3] == [f"{path}#line 1", f"{path}#line 2", f"{path}#line 4"]
    assert [r.text for r in records] == ["خبر", "بلا معرف", None, None, None, None, None, "سطر\r\nثان"]
    errors = [r.error for r in records]
    assert "malformed JSON" in errors[2] and "'news-4'" in errors[2]
    assert "text is null" in errors[3]
    assert "text is a int, not a string" in errors[4]
    assert "not an object" in errors[5]
    assert "no 'text' field" in errors[6]
    assert {r.encoding for r in records} == {"utf-8"}


def test_jsonl_text_and_id_columns(tmp_path):
    path = write(tmp_path / "c.jsonl", json.dumps({"url": "u1", "id": "x", "body": "نص"}) + "\n")
    (rec,) = read_corpus(path, text_col="body", id_col="url")
    assert (rec.doc_id, rec.text) == ("u1", "نص")


def test_jsonl_bad_bytes_only_spoil_their_line(tmp_path):
    good = json.dumps({"text": "سليم"}, ensure_ascii=False).encode("utf-8")
    path = write(tmp_path / "m.jsonl", good + b"\n" + b'{"text": "\xff\xfe"}\n' + good + b"\n")
    records = list(read_corpus(path))
    assert [r.text for r in records] == ["سليم", None, "سليم"]
    assert "not valid utf-8" in records[1].error


@pytest.mark.parametrize("kind", ["utf-8-bom", "utf-16-le-bom", "cp1256"])
def test_jsonl_encodings(tmp_path, kind):
    body = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in ["أول", "ثان"])
    path = write(tmp_path / "e.jsonl", encoded(kind, body))
    records = list(read_corpus(path))
    assert [(r.doc_id, r.text, r.encoding) for r in records] == [
        ("e-1", "أول", ENCODINGS[kind][1]),
        ("e-2", "ثان", ENCODINGS[kind][1]),
    ]


def test_jsonl_explicit_encoding_drops_bom(tmp_path):
    path = write(tmp_path / "b.jsonl", codecs.BOM_UTF8 + json.dumps({"text": "نص"}).encode("utf-8"))
    assert [(r.text, r.encoding) for r in read_corpus(path, encoding="utf-8")] == [("نص", "utf-8")]


def test_jsonl_utf16_damaged_tail(tmp_path):
    body = encoded("utf-16-le-bom", "".join(json.dumps({"text": t}) + "\n" for t in ["a", "b"]))
    path = write(tmp_path / "u.jsonl", body + b"\x00\xd8")  # a lone surrogate half
    records = list(read_corpus(path))
    assert [(r.doc_id, r.text) for r in records] == [("u-1", "a"), ("u-2", "b"), ("u-3", None)]
    assert "the rest of the file was not read" in records[2].error


# --------------------------------------------------------------------------- CSV


def test_csv(tmp_path):
    frame = pd.DataFrame({"id": ["a", "b", "c", "d"], "text": ["خبر\nمن سطرين", None, "NA", "عادي"], "x": 1})
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    records = list(read_corpus(path))
    assert ids(records) == ["a", "b", "c", "d"]
    assert [r.text for r in records] == ["خبر\nمن سطرين", None, "NA", "عادي"]
    assert records[1].source == f"{path}#row 2" and "text is null" in records[1].error


def test_csv_default_ids_and_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "CSV_CHUNK_ROWS", 2)
    path = tmp_path / "feed.csv"
    frame = pd.DataFrame({"body": [f"نص {i}" for i in range(5)], "url": [f"u{i}" for i in range(5)]})
    frame.to_csv(path, index=False)
    assert ids(read_corpus(path, text_col="body")) == [f"feed-{i}" for i in range(1, 6)]
    assert ids(read_corpus(path, text_col="body", id_col="url")) == [f"u{i}" for i in range(5)]


def test_csv_cp1256(tmp_path):
    path = write(tmp_path / "old.csv", "doc_id,text\n7,مرحبا بكم\n".encode("cp1256"))
    assert [(r.doc_id, r.text, r.encoding) for r in read_corpus(path)] == [("7", "مرحبا بكم", "cp1256")]


@pytest.mark.parametrize(
    "kwargs, message", [({}, "no text column 'text'"), ({"text_col": "a", "id_col": "q"}, "no id column 'q'")]
)
def test_csv_missing_column_is_an_error_record(tmp_path, kwargs, message):
    path = tmp_path / "cols.csv"
    pd.DataFrame({"a": ["x"]}).to_csv(path, index=False)
    (rec,) = read_corpus(path, **kwargs)
    assert rec.doc_id == "cols" and rec.text is None and message in rec.error


def test_csv_parse_error_is_an_error_record(tmp_path):
    path = write(tmp_path / "broken.csv", "text\nok\n\"never closed\n")
    records = list(read_corpus(path))
    assert records[-1].text is None and "cannot parse the CSV" in records[-1].error


# --------------------------------------------------------------------------- Parquet


def test_parquet_row_groups_and_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "PARQUET_BATCH_ROWS", 2)
    table = pa.table({"doc_id": ["p1", "p2", None, "p4", "p5"], "text": ["أ", "ب", "ج", None, "هـ"]})
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=3)
    records = list(read_corpus(path))
    assert ids(records) == ["p1", "p2", "t-3", "p4", "p5"]
    assert [r.text for r in records] == ["أ", "ب", "ج", None, "هـ"]
    assert records[3].source == f"{path}#row 4" and "text is null" in records[3].error


def test_parquet_non_string_text(tmp_path):
    path = tmp_path / "n.parquet"
    pq.write_table(pa.table({"text": [1, 2]}), path)
    records = list(read_corpus(path))
    assert ids(records) == ["n-1", "n-2"] and all("not a string" in r.error for r in records)


def test_parquet_unreadable_or_missing_column(tmp_path):
    fake = write(tmp_path / "fake.parquet", b"not parquet at all")
    nocol = tmp_path / "nocol.parquet"
    pq.write_table(pa.table({"body": ["x"]}), nocol)
    records = list(read_corpus([fake, nocol]))
    assert ids(records) == ["fake", "nocol"] and all(r.text is None for r in records)
    assert "no text column 'text'" in records[1].error


def test_pandas_written_tables_in_a_directory(tmp_path):
    frame = pd.DataFrame({"id": ["r1", "r2"], "text": ["أول", "ثان"]})
    frame.to_parquet(tmp_path / "a.parquet")
    jsonl = frame.assign(id=["r3", "r4"])
    jsonl.to_json(tmp_path / "b.jsonl", orient="records", lines=True, force_ascii=False)
    assert ids(read_corpus(tmp_path)) == ["r1", "r2", "r3", "r4"]


# --------------------------------------------------------------------------- pandas objects


def test_series():
    series = pd.Series(["نص", None, 5], index=[10, 11, 12])
    records = list(read_corpus(series))
    assert ids(records) == ["10", "11", "12"]
    assert records[0] == Record("10", "نص", "<series>")
    assert "text is null" in records[1].error and "not a string" in records[2].error


def test_dataframe_columns_and_index():
    frame = pd.DataFrame({"body": ["أ", "ب"], "url": ["u1", None]}, index=["i1", "i2"])
    assert ids(read_corpus(frame, text_col="body")) == ["i1", "i2"]
    assert ids(read_corpus(frame, text_col="body", id_col="url")) == ["u1", "i2"]  # null id -> index
    auto = pd.DataFrame({"doc_id": ["d1"], "text": ["نص"]})
    assert list(read_corpus(auto)) == [Record("d1", "نص", "<dataframe>")]


def test_dataframe_missing_column_raises_at_call():
    with pytest.raises(ValueError, match="no text column 'text'"):
        read_corpus(pd.DataFrame({"body": ["x"]}))
    with pytest.raises(ValueError, match="no id column 'q'"):
        read_corpus(pd.DataFrame({"text": ["x"]}), id_col="q")


# --------------------------------------------------------------------------- laziness


def test_read_corpus_is_lazy(tmp_path, monkeypatch):
    for i in range(50):
        write(tmp_path / f"{i:03d}.txt", f"نص {i}")
    opened: List[str] = []
    real_open = builtins.open

    def counting_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    records = read_corpus(tmp_path)
    write(tmp_path / "999.txt", "أضيف لاحقا")  # the directory is not even listed yet
    assert opened == []
    first = next(records)
    assert first.doc_id == "000" and opened == [str(tmp_path / "000.txt")]
    rest = list(records)
    assert len(rest) == 50 and rest[-1].doc_id == "999"


def test_jsonl_line_with_a_few_bad_bytes_is_repaired_with_a_warning(tmp_path):
    line = json.dumps({"id": "x", "text": "قال الوزير إن المحادثات مثمرة"}, ensure_ascii=False).encode("utf-8")
    at = line.index("المحادثات".encode("utf-8"))
    path = write(tmp_path / "r.jsonl", line[:at] + b"\x80" + line[at:] + b"\n")
    (rec,) = read_corpus(path)
    assert rec.text == "قال الوزير إن \ufffdالمحادثات مثمرة" and rec.error is None
    assert rec.warning == f"document 'x' ({path}#line 1): 1 invalid utf-8 byte replaced by U+FFFD (at byte {at} of the line)"
    (strict,) = read_corpus(path, encoding="utf-8")  # an explicit encoding stays strict
    assert strict.text is None and "not valid utf-8" in strict.error


def test_published_col_of_each_table_kind(tmp_path):
    """``published_col``: an ISO date per record from JSONL, CSV, Parquet and DataFrame inputs; a cell
    that holds no date gives None; a table without the column is a ValueError like a missing id column."""
    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": ["نص", "نص", "نص"],
                          "date": ["2015-07-24", "2015-08-01T09:30:00", "قريبا"]})
    expected = ["2015-07-24", "2015-08-01", None]
    frame.to_csv(tmp_path / "t.csv", index=False)
    frame.to_parquet(tmp_path / "t.parquet")
    (tmp_path / "t.jsonl").write_text("\n".join(frame.apply(lambda r: json.dumps(r.to_dict(), ensure_ascii=False),
                                                            axis=1)) + "\n", encoding="utf-8")
    for source in (tmp_path / "t.csv", tmp_path / "t.parquet", tmp_path / "t.jsonl", frame):
        assert [r.published for r in read_corpus(source, published_col="date")] == expected, source
    assert [r.published for r in read_corpus(frame)] == [None] * 3
    with pytest.raises(ValueError, match="published"):
        read_corpus(frame, published_col="when")
    assert next(read_corpus(tmp_path / "t.csv", published_col="when")).error
