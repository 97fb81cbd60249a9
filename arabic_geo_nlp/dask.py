"""Distributed processing on Dask (optional extra ``[dask]``).

Each partition of articles goes through the pipeline once, on a worker that loads
the pipeline once per process; the five tables come back as Dask DataFrames with
the same schemas as :func:`arabic_geo_nlp.process`.

>>> import dask.dataframe as dd, pandas as pd
>>> from arabic_geo_nlp.dask import process_dask
>>> articles = dd.from_pandas(pd.DataFrame({"id": ["a", "b"], "text": ["قال الوزير: نعم.", "نص."]}),
...                           npartitions=2)
>>> tables = process_dask(articles, id_col="id")
>>> tables["documents"].compute(scheduler="sync")["doc_id"].tolist()
['a', 'b']
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional

import pandas as pd

try:
    import dask
    import dask.bag as db
    import dask.dataframe as dd
    from dask.dataframe.utils import UNKNOWN_CATEGORIES
except ImportError as err:  # pragma: no cover - exercised only without the extra
    raise ImportError("arabic_geo_nlp.dask needs Dask: pip install 'arabic-geo-nlp[dask]'") from err

from .frames import TABLES, empty_frame

__all__ = ["process_dask", "process_partition", "to_parquet"]


@lru_cache(maxsize=1)
def _worker_nlp():
    """The pipeline, loaded once per worker process."""
    from .pipeline import load

    return load()


def process_partition(articles: pd.DataFrame, text_col: str = "text", id_col: Optional[str] = None,
                      batch_size: int = 64) -> Dict[str, pd.DataFrame]:
    """The five tables of one partition of articles (a pandas DataFrame)."""
    from .pipeline import process

    if articles.empty:
        return {t: empty_frame(t) for t in TABLES}
    res = process(articles, nlp=_worker_nlp(), batch_size=batch_size, text_col=text_col, id_col=id_col)
    return res.tables()


def _bag_frame(items, partition: int, text_col: str) -> pd.DataFrame:
    """A Bag partition as a DataFrame; items without an ``id`` get ``b<partition>-<position>``."""
    rows = [dict(item) if isinstance(item, dict) else {text_col: item} for item in items]
    for k, row in enumerate(rows):
        row.setdefault("id", f"b{partition:05d}-{k:06d}")
    return pd.DataFrame(rows, columns=sorted({c for r in rows for c in r} | {"id", text_col}))


def _meta(table: str) -> pd.DataFrame:
    meta = empty_frame(table)
    for col in meta.columns:
        if isinstance(meta[col].dtype, pd.CategoricalDtype):
            meta[col] = pd.Categorical([], categories=[UNKNOWN_CATEGORIES])
    return meta


def process_dask(articles, *, text_col: str = "text", id_col: Optional[str] = None,
                 batch_size: int = 64) -> Dict[str, "dd.DataFrame"]:
    """Lazily process a Dask DataFrame (``text_col``, ``id_col`` or the index as doc_id)
    or a Dask Bag of strings / dicts; returns ``{table name: Dask DataFrame}``.

    The tables share their tasks: compute them together (``dask.compute(*tables.values())``
    or :func:`to_parquet`) and every partition is processed once.
    """
    if isinstance(articles, db.Bag):
        frames = [dask.delayed(_bag_frame)(p, i, text_col) for i, p in enumerate(articles.to_delayed())]
        id_col = id_col or "id"
    elif isinstance(articles, dd.DataFrame):
        frames = articles.to_delayed()
    else:
        raise TypeError(f"process_dask takes a Dask DataFrame or Bag, not {type(articles).__name__}")
    parts = [dask.delayed(process_partition)(f, text_col, id_col, batch_size) for f in frames]
    return {
        t: dd.from_delayed([dask.delayed(lambda r, t=t: r[t])(p) for p in parts], meta=_meta(t), verify_meta=False)
        for t in TABLES
    }


def to_parquet(tables: Dict[str, "dd.DataFrame"], out_dir) -> None:
    """Write each table as a Parquet dataset ``<out_dir>/<table>.parquet/``, in one computation."""
    out = Path(out_dir)
    writes = [df.to_parquet(str(out / f"{name}.parquet"), write_index=False, compute=False)
              for name, df in tables.items()]
    dask.compute(*writes)
