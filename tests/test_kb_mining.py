"""scripts/mine_news_actors.py: the samples it draws for curating the KB."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "mine_news_actors.py"


@pytest.fixture(scope="module")
def miner():
    spec = importlib.util.spec_from_file_location("mine_news_actors", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i}", "text": f"نص {i}"}) + "\n" for i in range(40)),
                    encoding="utf-8")
    gold = tmp_path / "gold" / "articles"
    gold.mkdir(parents=True)
    (gold / "a0.txt").write_text("dev", encoding="utf-8")
    return path, gold.parent


def ids(path: Path) -> list:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_sample_is_reproducible_and_leaves_dev_out(miner, corpus, tmp_path):
    path, gold = corpus
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert miner.sample(path, gold, 10, 7, a) == 10
    miner.sample(path, gold, 10, 7, b)
    assert ids(a) == ids(b) and "a0" not in ids(a)
    assert ids(a) == sorted(ids(a), key=lambda x: int(x[1:]))  # corpus order


def test_exclude_leaves_an_earlier_sample_out(miner, corpus, tmp_path):
    path, gold = corpus
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    miner.sample(path, gold, 15, 15, first)
    assert miner.sample(path, gold, 24, 51, second, exclude=[(15, 15)]) == 24
    assert not set(ids(first)) & set(ids(second))
    assert len(set(ids(first)) | set(ids(second))) == 39  # every article but the dev one
