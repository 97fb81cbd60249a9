"""The notebooks run top to bottom (nbclient, offline, python3 kernel) and show what they promise."""

import os
import re

import pytest

nbformat = pytest.importorskip("nbformat", reason="notebook extras not installed (nbformat)")
nbclient = pytest.importorskip("nbclient", reason="notebook extras not installed (nbclient)")
pytest.importorskip("ipykernel", reason="notebook extras not installed (ipykernel)")
pytest.importorskip("matplotlib", reason="notebook extras not installed (matplotlib)")

from .conftest import REPO, SEEDS  # noqa: E402

NOTEBOOKS = REPO / "notebooks"
SPEAKERS = ("Sergei Markov", "سيرجي ماركوف", "ماركوف")  # linked, or not yet linked
CELL_TIMEOUT = 120


def execute(name: str, env: dict) -> "nbformat.NotebookNode":
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        mp.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend makes the PNGs
        nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return nb


def tagged(nb, tag):
    cells = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    assert cells, f"no cell tagged {tag!r}"
    return cells


def text_of(cells) -> str:
    parts = []
    for cell in cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(parts)


def assert_every_plot_cell_has_a_figure(nb):
    for cell in tagged(nb, "plot"):
        pngs = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert pngs, f"no figure from:\n{cell.source}"


def assert_no_errors(nb):
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


@pytest.fixture(scope="module")
def quickstart():
    return execute("01_quickstart.ipynb", {"AGN_SEEDS": str(SEEDS)})


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    out = tmp_path_factory.mktemp("batches")
    return out, execute("02_batch_new_articles.ipynb", {"AGN_SEEDS": str(SEEDS), "AGN_OUT": str(out)})


def test_quickstart_processes_the_seeds_into_five_tables(quickstart, nlp):
    assert_no_errors(quickstart)
    sizes = dict((t, int(n)) for t, n in re.findall(r"(\w+)=(\d+)", text_of(tagged(quickstart, "process"))))
    assert sizes["documents"] == len(list(SEEDS.glob("*.txt")))
    assert sizes["sentences"] > 0 and sizes["tokens"] > 0 and sizes["quotes"] > 0
    if any("ner" in name for name in nlp.pipe_names):
        assert sizes["entities"] > 0


def test_quickstart_shows_speakers_a_rendered_article_and_figures(quickstart):
    assert any(s in text_of(tagged(quickstart, "speakers")) for s in SPEAKERS)
    rendered = text_of(tagged(quickstart, "render"))
    assert "direction: rtl" in rendered and any(s in rendered for s in SPEAKERS)
    assert len(tagged(quickstart, "plot")) == 4
    assert_every_plot_cell_has_a_figure(quickstart)


def test_batch_notebook_appends_new_articles_once_and_compares_batches(batches):
    out, nb = batches
    assert_no_errors(nb)
    appended = text_of(tagged(nb, "append"))
    assert "appended: 2" in appended and "appended again (already there): 0" in appended
    n_docs = len(list(SEEDS.glob("*.txt")))
    assert f"dataset: {n_docs} documents in 2 parts" in text_of(tagged(nb, "dataset"))
    assert len(list((out / "dataset" / "quotes.parquet").glob("part-*.parquet"))) == 2
    assert any(s in text_of(tagged(nb, "speakers")) for s in SPEAKERS)
    assert_every_plot_cell_has_a_figure(nb)


def test_notebooks_are_committed_without_outputs():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") and c.get("execution_count") is None
                   for c in nb.cells if c.cell_type == "code"), f"{path.name}: clear its outputs before committing"
        assert nb.metadata.kernelspec.name == "python3"
        assert os.path.getsize(path) < 50_000
