"""Stanza NER backend: extra-naming ImportError, the shipped model over our tokens (offsets,
proclitics, tables), both model-folder layouts, clear errors, pickling, offline, tiny training."""

from __future__ import annotations

import json
import pickle
import shutil
import socket
import sys
from pathlib import Path

import pytest

import arabic_geo_nlp as agn
from arabic_geo_nlp.cli import main

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TEXTS = [
    "قال الرئيس الروسي فلاديمير بوتين في موسكو إن بلاده لن تتراجع.",
    "وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى القاهرة أمس، ثم توجه إلى وموسكو وبغداد.",
]


def test_missing_stanza_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "stanza", None)
    with pytest.raises(ImportError, match=r"arabic-geo-nlp\[stanza\]"):
        agn.load(ner="stanza")


def test_importing_the_backend_does_not_import_stanza():
    # (torch may be imported anyway: spaCy's thinc imports it whenever it is installed)
    import subprocess

    code = "import arabic_geo_nlp, sys; print('stanza' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() \
        == "False"


@pytest.fixture(scope="module")
def nlp():
    pytest.importorskip("stanza")
    return agn.load(ner="stanza")


def stanza_ents(doc):
    return [(e.text, e.label_) for e in doc.ents if e._.source == "stanza"]


def test_shipped_model_finds_entities_with_raw_offsets(nlp):
    doc = nlp(TEXTS[0])
    assert nlp.pipe_names[2] == "ner" and type(nlp.get_pipe("ner")).__name__ == "StanzaNER"
    assert ("فلاديمير بوتين", "PER") in stanza_ents(doc)
    assert any(e.text == "موسكو" and e.label_ in ("LOC", "GPE") for e in doc.ents)
    for text, doc in zip(TEXTS, nlp.pipe(TEXTS, batch_size=2)):
        assert doc.text == text
        for e in doc.ents:
            assert text[e.start_char:e.end_char] == e.text


def test_proclitic_trimmed(nlp):
    from arabic_geo_nlp.ner.spans import proclitic_cut

    text = "قال المتحدث إن بوتين سيتوجه إلى موسكو وبيروت ودمشق، وأكد أن فرنسا وألمانيا ستدعمان أوكرانيا."
    doc = nlp.get_pipe("ner")(nlp.get_pipe("sentences")(nlp.make_doc(text)))
    assert doc.ents and all(e._.source == "stanza" for e in doc.ents)
    assert all(proclitic_cut(e[0].text) == 0 and text[e.start_char:e.end_char] == e.text for e in doc.ents)
    glued = [e.text for e in doc.ents if text[e.start_char - 1] == "و"]  # وألمانيا -> ألمانيا
    assert glued and set(glued) <= {"بيروت", "دمشق", "ألمانيا"}


def test_process_tables_say_stanza(nlp):
    res = agn.process(TEXTS, nlp=nlp)
    ents = res.entities
    assert "stanza" in set(ents["source"])
    row = ents[ents["text"] == "فلاديمير بوتين"].iloc[0]
    assert (row["label"], row["source"]) == ("PER", "stanza")
    for _, r in ents.iterrows():
        assert TEXTS[int(r["doc_id"][-1])][r["start"]:r["end"]] == r["text"]


def test_pickles_without_the_stanza_pipeline(nlp):
    ner = nlp.get_pipe("ner")
    assert ner.pipeline is not None
    state = ner.__getstate__()
    assert state["_pipeline"] is None
    again = pickle.loads(pickle.dumps(nlp))
    assert [stanza_ents(d) for d in again.pipe(TEXTS)] == [stanza_ents(d) for d in nlp.pipe(TEXTS)]


def test_stanza_resources_layout_and_offline(nlp, tmp_path, monkeypatch):
    from arabic_geo_nlp.backends.stanza import default_model_dir

    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    root = tmp_path / "stanza_resources"
    for kind in ("ner", "pretrain"):
        (root / "ar" / kind).mkdir(parents=True)
        shutil.copyfile(default_model_dir() / f"{kind}.pt", root / "ar" / kind / "anercorp.pt")
    resources = {"ar": {"lang_name": "Arabic", "packages": {"default": {"tokenize": "pretokenized", "ner": "anercorp"}},
                        "tokenize": {"pretokenized": {}}, "pretrain": {"anercorp": {}},
                        "ner": {"anercorp": {"dependencies": [{"model": "pretrain", "package": "anercorp"}]}}}}
    (root / "resources.json").write_text(json.dumps(resources), encoding="utf-8")
    only_ner = ["gazetteer", "linker", "quotes"]
    ours = agn.load(ner="stanza", exclude=only_ner)(TEXTS[0])  # our layout, built with the network off
    theirs = agn.load(ner="stanza", stanza_dir=str(root), exclude=only_ner)(TEXTS[0])
    assert stanza_ents(theirs) == stanza_ents(ours) and ("فلاديمير بوتين", "PER") in stanza_ents(ours)


def test_bad_model_dir_is_a_clear_error(tmp_path):
    pytest.importorskip("stanza")
    with pytest.raises(FileNotFoundError, match="no_such_dir.*ner.pt"):
        agn.load(ner="stanza", stanza_dir=str(tmp_path / "no_such_dir"))
    with pytest.raises(ValueError, match=f"{tmp_path}.*holds no Stanza NER model"):
        agn.load(ner="stanza", stanza_dir=str(tmp_path))


@pytest.mark.skipif(not (SHARED_DATA / "anercorp" / "ANERCorp.txt").is_file(), reason="needs ../shared/data")
def test_tiny_training_end_to_end(tmp_path, capsys):
    pytest.importorskip("stanza")
    out = tmp_path / "model"
    assert main(["train", "stanza-ner", "--data-dir", str(SHARED_DATA), "--out", str(out),
                 "--max-steps", "3", "--limit", "40"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed["scores"]) == {"dev", "test"}
    assert {p.name for p in out.iterdir()} >= {"ner.pt", "pretrain.pt", "meta.json"}
    doc = agn.load(ner="stanza", stanza_dir=str(out))(TEXTS[0])
    assert all(TEXTS[0][e.start_char:e.end_char] == e.text for e in doc.ents)
