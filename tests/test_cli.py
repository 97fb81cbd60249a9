import pandas as pd

from arabic_geo_nlp.cli import main

from .conftest import SEEDS


def test_run_writes_five_tables_and_a_summary(tmp_path, capsys):
    assert main(["run", str(SEEDS), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for t in ("documents", "sentences", "tokens", "entities", "quotes"):
        assert (tmp_path / f"{t}.parquet").exists()
    assert "000_ebd9cc9507043d5f" in out and "5 documents (0 errors)" in out
    assert len(pd.read_parquet(tmp_path / "documents.parquet")) == 5


def test_run_reports_bad_documents(tmp_path, capsys):
    bad = tmp_path / "in" / "bad.txt"
    bad.parent.mkdir()
    bad.write_bytes(bytes(range(256)) * 4)
    assert main(["run", str(bad.parent), "--out", str(tmp_path / "out"), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "1 documents (1 errors)" in captured.out
    assert "bad" in captured.err
    assert (tmp_path / "out" / "documents.csv").exists()


def test_run_published_col_dates_documents_and_role_links(tmp_path):
    """``--published-col``: documents.published from the table, and a role speaker is the holder in
    that year (packaged KB: Kerry 2013–2017, Rubio from 2025); with no date there is no role link."""
    text = "قال وزير الخارجية الأمريكي إن المحادثات مع إيران ستستمر الأسبوع المقبل في جنيف."
    table = tmp_path / "news.csv"
    pd.DataFrame({"id": ["y2015", "y2025", "none"], "date": ["2015-07-24", "2025-03-01", None],
                  "text": [text] * 3}).to_csv(table, index=False)
    out = tmp_path / "out"
    assert main(["run", str(table), "--out", str(out), "--published-col", "date", "--quiet"]) == 0
    docs = pd.read_parquet(out / "documents.parquet").set_index("doc_id")
    assert [str(d.date()) if not pd.isna(d) else None for d in docs.loc[["y2015", "y2025", "none"], "published"]] == \
        ["2015-07-24", "2025-03-01", None]
    quotes = pd.read_parquet(out / "quotes.parquet").set_index("doc_id")
    assert quotes.loc["y2015", "speaker"] == "John Kerry"
    assert quotes.loc["y2025", "speaker"] == "Marco Rubio"
    assert quotes.loc["none", "speaker"] == "وزير الخارجية الأمريكي" and pd.isna(quotes.loc["none", "speaker_kb_id"])
