"""The Dask backend on a local cluster of two worker processes."""

import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe", reason="extra [dask] not installed")
db = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

import dask  # noqa: E402

import arabic_geo_nlp as agn  # noqa: E402
from arabic_geo_nlp.dask import process_dask, to_parquet  # noqa: E402
from arabic_geo_nlp.frames import SCHEMAS, TABLES  # noqa: E402

from .conftest import SEEDS  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def articles():
    paths = sorted(SEEDS.glob("*.txt"))
    return pd.DataFrame({"id": [p.stem for p in paths], "text": [p.read_text(encoding="utf-8") for p in paths]})


def test_dataframe_on_local_cluster_matches_process(client, articles, tmp_path):
    tables = process_dask(dd.from_pandas(articles, npartitions=3), id_col="id")
    computed = dict(zip(tables, dask.compute(*tables.values())))
    expected = agn.process(articles, id_col="id").tables()
    for t in TABLES:
        assert list(computed[t].columns) == list(SCHEMAS[t])
        got = computed[t].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected[t], check_categorical=False, check_dtype=False)
    to_parquet(tables, tmp_path)
    assert len(pd.read_parquet(tmp_path / "tokens.parquet")) == len(expected["tokens"])


def test_bag_of_strings(client):
    bag = db.from_sequence(["قال الوزير: نعم.", "نص ثان.", "نص ثالث."], npartitions=2)
    docs = process_dask(bag)["documents"].compute()
    assert len(docs) == 3 and docs["doc_id"].is_unique and (docs["status"] == "ok").all()
