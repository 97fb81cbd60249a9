"""Writing the tables incrementally, so a killed run keeps what it finished.

Parquet output is one dataset per table, ``<out>/<table>.parquet/part-00000.parquet``…
(``pandas.read_parquet("<out>/quotes.parquet")`` reads the whole dataset). CSV and
JSONL output append to one file per table. Every part holds the rows of the same
documents in every table; the ``documents`` part is written last, so a document
counts as done only when all its rows are on disk. ``resume=True`` keeps what is
there, drops parts whose ``documents`` part never landed, and reports the
``(doc_id, content_hash)`` keys already done.

>>> import tempfile, arabic_geo_nlp as agn
>>> from arabic_geo_nlp.frames import TableRows
>>> out = tempfile.mkdtemp()
>>> rows = TableRows()
>>> rows.add_error("d1", "empty document")
>>> with TableWriter(out) as w:
...     w.add(rows)
>>> sorted(TableWriter(out, resume=True).done)
[('d1', None)]
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Optional, Set, Tuple

import pandas as pd

from .frames import TABLES, TableRows, empty_frame

__all__ = ["TableWriter"]

FORMATS = ("parquet", "csv", "jsonl")


class TableWriter:
    """Append table rows to ``out_dir`` in parts of ``docs_per_part`` documents."""

    def __init__(self, out_dir, fmt: str = "parquet", *, docs_per_part: int = 500, resume: bool = False):
        if fmt not in FORMATS:
            raise ValueError(f"Unknown format {fmt!r}; choose one of {list(FORMATS)}")
        self.out = Path(out_dir)
        self.fmt = fmt
        self.docs_per_part = docs_per_part
        self.pending = TableRows()
        self.done: Set[Tuple[str, Optional[str]]] = set()
        self.out.mkdir(parents=True, exist_ok=True)
        if resume:
            self._recover()
        else:
            for t in TABLES:
                self._remove(self.out / f"{t}.{fmt}")
        self.next_part = self._count_parts()

    def _path(self, table: str) -> Path:
        return self.out / f"{table}.{self.fmt}"

    @staticmethod
    def _remove(path: Path) -> None:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()

    def _count_parts(self) -> int:
        if self.fmt != "parquet":
            return 0
        docs = self._path("documents")
        return len(list(docs.glob("part-[0-9]*.parquet"))) if docs.is_dir() else 0

    def _recover(self) -> None:
        docs_path = self._path("documents")
        if self.fmt == "parquet":
            landed = {p.name for p in docs_path.glob("part-*.parquet")} if docs_path.is_dir() else set()
            for t in TABLES:
                tdir = self._path(t)
                if tdir.is_file():  # a single-file table from Result.to_parquet: cannot append to it
                    raise ValueError(f"{tdir} is a single file, not a dataset of parts; cannot resume into it")
                for part in tdir.glob("part-*.parquet") if tdir.is_dir() else ():
                    if part.name not in landed:
                        part.unlink()
            if not landed:
                return
        elif not docs_path.exists():
            return
        self.done = set(self._done_keys(docs_path))

    def _done_keys(self, docs_path: Path):
        cols = ["doc_id", "content_hash"]
        if self.fmt == "parquet":
            docs = pd.read_parquet(docs_path, columns=cols)
        elif self.fmt == "csv":
            docs = pd.read_csv(docs_path, usecols=cols, dtype=str)
        else:
            docs = pd.read_json(docs_path, lines=True, dtype=False)[cols]
        for doc_id, h in zip(docs["doc_id"], docs["content_hash"]):
            yield str(doc_id), h if isinstance(h, str) else None

    def add(self, rows: TableRows) -> None:
        """Queue the rows of one or more documents; writes a part when enough have queued."""
        self.pending.extend(rows)
        if len(self.pending.rows["documents"]) >= self.docs_per_part:
            self.flush()

    def flush(self) -> None:
        """Write the queued rows (documents last)."""
        if not self.pending.rows["documents"]:
            return
        frames = self.pending.to_frames()
        for table in (*[t for t in TABLES if t != "documents"], "documents"):
            self._write(table, frames[table])
        self.pending = TableRows()
        self.next_part += 1

    def _write(self, table: str, df: pd.DataFrame, part: Optional[str] = None) -> None:
        path = self._path(table)
        if self.fmt == "parquet":
            path.mkdir(exist_ok=True)
            final = path / f"part-{part or f'{self.next_part:05d}'}.parquet"
            tmp = final.with_suffix(".tmp")
            df.to_parquet(tmp, index=False)
            os.replace(tmp, final)
        elif self.fmt == "csv":
            df.to_csv(path, mode="a", header=not path.exists(), index=False)
        else:
            with path.open("a", encoding="utf-8") as f:
                for line in df.to_json(orient="records", lines=True, force_ascii=False,
                                       date_format="iso").splitlines():
                    f.write(line + "\n")

    def _exists(self, table: str) -> bool:
        path = self._path(table)
        if self.fmt == "parquet":
            return path.is_dir() and any(path.glob("part-*.parquet"))
        return path.exists()

    def close(self) -> None:
        """Flush what is queued; every table exists afterwards, even when empty."""
        self.flush()
        for table in TABLES:
            if not self._exists(table):
                self._write(table, empty_frame(table), part="empty")

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
