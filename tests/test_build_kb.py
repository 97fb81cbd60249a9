"""Tests for scripts/build_kb.py: the generated KB places table is reproducible."""

from __future__ import annotations

import importlib.util
import sys
from importlib import resources
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def _build_kb():
    spec = importlib.util.spec_from_file_location("build_kb", REPO / "scripts" / "build_kb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (SHARED_DATA / "gazetteers").is_dir(), reason="needs ../shared/data")
def test_places_are_rebuilt_identically_without_babel(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "babel", None)  # CLDR names come from the committed snapshot
    assert _build_kb().main(["--skip-translit", "--data-dir", str(SHARED_DATA), "--out", str(tmp_path)]) == 0
    committed = resources.files("arabic_geo_nlp.data.kb").joinpath("places.tsv").read_bytes()
    assert (tmp_path / "places.tsv").read_bytes() == committed
