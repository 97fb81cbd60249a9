import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

import arabic_geo_nlp as agn
from arabic_geo_nlp.frames import TABLES, TableRows
from arabic_geo_nlp.store import TableWriter

from .conftest import SEEDS


def _rows(nlp, doc_id, text):
    rows = TableRows()
    rows.add_doc(nlp(text), doc_id=doc_id, content_hash=f"h-{doc_id}")
    return rows


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_writer_appends_parts_and_resumes(tmp_path, nlp, fmt):
    with TableWriter(tmp_path, fmt, docs_per_part=2) as w:
        for i in range(5):
            w.add(_rows(nlp, f"d{i}", "قال الوزير: نعم."))
    if fmt == "parquet":
        assert len(list((tmp_path / "documents.parquet").glob("part-*.parquet"))) == 3
        docs = pd.read_parquet(tmp_path / "documents.parquet")
    elif fmt == "csv":
        docs = pd.read_csv(tmp_path / "documents.csv")
    else:
        docs = pd.read_json(tmp_path / "documents.jsonl", lines=True)
    assert docs["doc_id"].tolist() == [f"d{i}" for i in range(5)]
    resumed = TableWriter(tmp_path, fmt, resume=True)
    assert resumed.done == {(f"d{i}", f"h-d{i}") for i in range(5)}


def test_writer_without_resume_starts_afresh(tmp_path, nlp):
    with TableWriter(tmp_path) as w:
        w.add(_rows(nlp, "old", "نص."))
    with TableWriter(tmp_path) as w:
        w.add(_rows(nlp, "new", "نص."))
    assert pd.read_parquet(tmp_path / "documents.parquet")["doc_id"].tolist() == ["new"]


def test_resume_drops_parts_whose_documents_never_landed(tmp_path, nlp):
    with TableWriter(tmp_path, docs_per_part=1) as w:
        w.add(_rows(nlp, "a", "نص."))
    orphan = tmp_path / "tokens.parquet" / "part-00001.parquet"
    pd.read_parquet(tmp_path / "tokens.parquet").to_parquet(orphan)  # a part of a killed write
    TableWriter(tmp_path, resume=True)
    assert not orphan.exists()


def test_empty_run_writes_empty_tables(tmp_path):
    with TableWriter(tmp_path):
        pass
    for t in TABLES:
        assert pd.read_parquet(tmp_path / f"{t}.parquet").empty


def _run_cli(corpus, out, *extra):
    return [sys.executable, "-m", "arabic_geo_nlp", "run", str(corpus), "--out", str(out), "--quiet", *extra]


def _read_all(out):
    return {t: pd.read_parquet(out / f"{t}.parquet") for t in TABLES}


def test_kill_and_resume_equals_clean_run(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(120):
        src = seeds[i % len(seeds)]
        (corpus / f"a{i:03d}.txt").write_text(src.read_text(encoding="utf-8") + f"\nنسخة {i}", encoding="utf-8")
    killed = tmp_path / "killed"
    proc = subprocess.Popen(_run_cli(corpus, killed, "--docs-per-part", "5", "--batch-size", "4"))
    parts = killed / "documents.parquet"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(parts.glob("part-*.parquet"))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    n_before = len(pd.read_parquet(parts))
    assert 0 < n_before < 120, "the run should have been interrupted midway"
    subprocess.run(_run_cli(corpus, killed, "--resume", "--docs-per-part", "5"), check=True)
    clean = tmp_path / "clean"
    subprocess.run(_run_cli(corpus, clean), check=True)
    got, want = _read_all(killed), _read_all(clean)
    for t in TABLES:
        keys = [c for c in ("doc_id", "sent_id", "tok_id", "ent_id", "quote_id") if c in want[t]]
        g = got[t].sort_values(keys).reset_index(drop=True)
        w = want[t].sort_values(keys).reset_index(drop=True)
        assert not g.duplicated(keys).any(), t
        pd.testing.assert_frame_equal(g, w, check_categorical=False, check_dtype=False)
