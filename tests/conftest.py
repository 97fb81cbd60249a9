"""Shared fixtures: the pipeline (built once) and the seed corpus."""

from pathlib import Path

import pytest

import arabic_geo_nlp as agn

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    return agn.load()


@pytest.fixture(scope="session")
def seed_texts():
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_result(nlp):
    return agn.process(SEEDS, nlp=nlp)
