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
