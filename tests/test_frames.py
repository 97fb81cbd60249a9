import pandas as pd
import pytest

from arabic_geo_nlp.frames import SCHEMAS, TABLES, Result, TableRows, empty_frame

REQUIRED = {
    "documents": "doc_id source title published n_chars n_sentences n_tokens n_entities n_quotes status error",
    "sentences": "doc_id sent_id start end text is_boilerplate",
    "tokens": "doc_id sent_id tok_id start end text norm prefix stem suffix is_punct",
    "entities": "doc_id ent_id sent_id start end text label entity kb_id source",
    "quotes": ("doc_id quote_id sent_id start end text kind cue speaker speaker_mention speaker_start "
               "speaker_end speaker_label speaker_role attribution"),
}


@pytest.mark.parametrize("table", TABLES)
def test_schema_has_required_columns_in_order(table):
    cols = list(SCHEMAS[table])
    assert cols[: len(REQUIRED[table].split())] == REQUIRED[table].split()


@pytest.mark.parametrize("table", TABLES)
def test_empty_tables_keep_columns_and_dtypes(table):
    df = empty_frame(table)
    assert len(df) == 0 and list(df.columns) == list(SCHEMAS[table])
    if "start" in df:
        assert df["start"].dtype == "Int64"


def test_error_row_and_dtypes():
    rows = TableRows()
    rows.add_error("bad", "document 'bad': binary data, not text", source="bad.txt")
    res = Result.from_rows(rows)
    doc = res.documents.iloc[0]
    assert doc["status"] == "error" and "binary" in doc["error"]
    assert isinstance(res.documents["status"].dtype, pd.CategoricalDtype)
    assert len(res.tokens) == 0 and list(res.quotes.columns) == list(SCHEMAS["quotes"])


def test_rows_of_a_doc(nlp):
    rows = TableRows()
    rows.add_doc(nlp("عنوان الخبر هنا\nقال الوزير: نعم. ثم غادر."), doc_id="d1", source="<str>")
    res = Result.from_rows(rows)
    assert res.documents.loc[0, "n_sentences"] == 3
    assert res.sentences["text"].tolist() == ["عنوان الخبر هنا", "قال الوزير: نعم.", "ثم غادر."]
    assert res.tokens["sent_id"].tolist()[:4] == [0, 0, 0, 1]
    assert res.documents.loc[0, "n_tokens"] == len(res.tokens)


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_writers(tmp_path, nlp, fmt):
    rows = TableRows()
    rows.add_doc(nlp("قال الوزير: نعم."), doc_id="d1")
    paths = Result.from_rows(rows).write(tmp_path, fmt)
    assert sorted(p.name for p in paths.values()) == sorted(f"{t}.{fmt}" for t in TABLES)
    assert all(p.exists() for p in paths.values())
    if fmt == "parquet":
        back = pd.read_parquet(paths["tokens"])
        assert back["start"].dtype == "Int64" and back["text"].tolist()[0] == "قال"


def test_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="Unknown format"):
        Result.from_rows(TableRows()).write(tmp_path, "xlsx")


def test_readme_lists_the_documents_columns():
    import re
    from pathlib import Path

    from arabic_geo_nlp.frames import SCHEMAS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    row = re.search(r"^\| documents \| (.*) \|$", readme, re.M).group(1)
    assert [re.sub(r" \(.*\)", "", c) for c in row.split(", ")] == list(SCHEMAS["documents"])
