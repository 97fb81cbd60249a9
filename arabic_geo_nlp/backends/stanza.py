"""Stanza backend: ``ner="stanza"`` puts a Stanza NER model in the pipeline's "ner" slot.

>>> import arabic_geo_nlp as agn
>>> nlp = agn.load(ner="stanza")                                  # doctest: +SKIP
>>> [(e.text, e.label_, e._.source) for e in nlp("قال الرئيس الروسي فلاديمير بوتين في موسكو").ents]  # doctest: +SKIP
[('فلاديمير بوتين', 'PER', 'stanza'), ('موسكو', 'GPE', 'stanza')]

The component (factory ``agn_stanza_ner``) runs Stanza's tagger over *our* tokens: each
sentence of ``doc.sents`` goes to Stanza pretokenized, as the tokens' ``norm_`` (the form
the model was trained on, :func:`stanza_words`), one Stanza call per ``nlp.pipe`` batch.
Spans come back over our tokens, so offsets into the raw text are kept, proclitics are
trimmed as for ``agn_ner`` (:func:`arabic_geo_nlp.ner.spans.trim_proclitics`) and
``Span._.source`` is ``"stanza"``; the gazetteer, linker and quotes then run unchanged (the
gazetteer turns a Stanza LOC that spells a country or city into GPE, as for the CRF). Stanza and torch are imported when the factory runs,
never when this module is imported, and Stanza never goes to the network.

``model_dir`` is either a folder with ``ner.pt`` (and ``pretrain.pt``), as written by
``arabic-geo-nlp train stanza-ner`` and shipped in ``models/stanza_ner``, or a folder in
Stanza's own resources layout (``resources.json`` + ``ar/ner/*.pt`` …, Stanza's ``dir=``).

Training (:func:`train_stanza_ner`, ``arabic-geo-nlp train stanza-ner``) uses the fixed
ANERcorp split re-tokenized by our tokenizer. Stanza's word vectors (the "pretrain") are
built offline by :func:`build_pretrain`: no distributional vectors, but one row per name
word of the package gazetteers and name lexicon, and per corpus word that has one, whose
first dimensions say which lists the word (as written, and without its proclitics) is in;
the rest are zero and learnt with the model's own (delta) embeddings.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import minibatch

from ..ner import sentence_words
from ..ner.corpora import LABEL_MAPS
from ..ner.model import bio_to_spans
from ..ner.spans import trim_proclitics
from .extras import require

__all__ = [
    "StanzaNER", "make_stanza_ner", "default_model_dir", "stanza_kwargs", "stanza_words", "LABEL_MAP",
    "MODEL_FILE", "PRETRAIN_FILE", "META_FILE", "build_pretrain", "pretrain_vectors", "train_stanza_ner",
    "DEFAULT_PARAMS",
]

MODEL_FILE = "ner.pt"
PRETRAIN_FILE = "pretrain.pt"
META_FILE = "meta.json"
SOURCE = "stanza"
# Stanza entity type -> ours; a type not listed is dropped.
LABEL_MAP = LABEL_MAPS["stanza"]
EXPECTED = ("a folder with ner.pt (and pretrain.pt), as written by `arabic-geo-nlp train stanza-ner`, "
            "or Stanza's resources layout (resources.json and ar/ner/*.pt, as Stanza's dir=)")
SPACE_WORD = "_"  # Stanza's word for a token whose norm is empty (a lone zero-width mark)


def default_model_dir() -> Path:
    """The packaged model: ``arabic_geo_nlp.models/stanza_ner`` (``models/stanza_ner`` in the repo)."""
    return Path(str(resources.files("arabic_geo_nlp.models") / "stanza_ner"))


def stanza_kwargs(model_dir: Optional[os.PathLike | str] = None) -> Dict[str, str]:
    """The ``stanza.Pipeline`` keyword arguments that locate the model in ``model_dir``
    (default: the packaged one); FileNotFoundError / ValueError when it holds none.

    >>> stanza_kwargs("/no/such/folder")
    Traceback (most recent call last):
    ...
    FileNotFoundError: Stanza NER model folder /no/such/folder does not exist; expected a folder with ner.pt ...
    """
    path = Path(model_dir) if model_dir else default_model_dir()
    if not path.is_dir():
        raise FileNotFoundError(f"Stanza NER model folder {path} does not exist; expected {EXPECTED}")
    if (path / MODEL_FILE).is_file():
        kwargs = {"ner_model_path": str(path / MODEL_FILE)}
        if (path / PRETRAIN_FILE).is_file():
            kwargs["ner_pretrain_path"] = str(path / PRETRAIN_FILE)
        return kwargs
    if (path / "resources.json").is_file() and any((path / "ar" / "ner").glob("*.pt")):
        return {"dir": str(path)}
    raise ValueError(f"{path} holds no Stanza NER model; expected {EXPECTED}")


def stanza_words(tokens: Iterable[Token]) -> List[str]:
    """The words Stanza sees for ``tokens`` (space tokens left out): their ``norm_``, in
    training and at run time alike.

    >>> import spacy, arabic_geo_nlp.tokenize
    >>> nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
    >>> stanza_words(nlp("قال أحمد:  “نعم”"))
    ['قال', 'احمد', ':', '“', 'نعم', '”']
    """
    return [(t.norm_.strip() or SPACE_WORD).lower() for t in tokens if not t.is_space]


def _sentences(doc: Doc) -> List[List[int]]:
    """Token indices of each non-empty sentence, spaces left out."""
    return [idx for idx in sentence_words(doc)[0] if idx]


def _tags_to_spans(tags: Sequence[str]) -> List[Tuple[int, int, str]]:
    """``(start, end, label)`` of a BIOES (or BIO) tag sequence, Stanza types mapped to ours.

    >>> _tags_to_spans(["S-PERS", "O", "B-LOC", "E-LOC", "B-DATE", "E-DATE"])
    [(0, 1, 'PER'), (2, 4, 'LOC')]
    """
    bio = [t.replace("S-", "B-", 1).replace("E-", "I-", 1) if t[:2] in ("S-", "E-") else t for t in tags]
    return [(s, e, LABEL_MAP[lab]) for s, e, lab in bio_to_spans(bio) if lab in LABEL_MAP]


class StanzaNER:
    """Sets ``doc.ents`` from a Stanza NER model (see the module docstring).

    The Stanza pipeline is built on first use and left out when the component is
    pickled (``n_process > 1`` ships the spaCy pipeline to worker processes).
    """

    def __init__(self, model_dir: Optional[os.PathLike | str] = None, batch_size: int = 64):
        self.model_dir = str(model_dir) if model_dir else None
        self.batch_size = batch_size
        self.kwargs = stanza_kwargs(model_dir)
        self._pipeline: Any = None

    def __getstate__(self) -> Dict[str, Any]:
        return {**self.__dict__, "_pipeline": None}

    @property
    def pipeline(self) -> Any:
        """The ``stanza.Pipeline`` (tokenize pretokenized + ner), built offline on first use."""
        if self._pipeline is None:
            self._pipeline = _load_pipeline(self.kwargs)
        return self._pipeline

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: Optional[int] = None) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            self._annotate(batch)
            yield from batch

    def _annotate(self, docs: Sequence[Doc]) -> None:
        sents = [(doc, idx) for doc in docs for idx in _sentences(doc)]
        tagged = self.tag([stanza_words(doc[i] for i in idx) for doc, idx in sents]) if sents else []
        found: Dict[int, List[Span]] = {id(doc): [] for doc in docs}
        for (doc, idx), spans in zip(sents, tagged):
            found[id(doc)].extend(Span(doc, idx[s], idx[e - 1] + 1, label=lab) for s, e, lab in spans)
        for doc in docs:
            doc.ents = found[id(doc)]
            for ent in doc.ents:
                ent._.source = SOURCE
            trim_proclitics(doc)

    def tag(self, sentences: List[List[str]]) -> List[List[Tuple[int, int, str]]]:
        """Entity spans ``(start, end, label)`` of each pretokenized sentence, in one Stanza call."""
        result = self.pipeline(sentences)
        return [_tags_to_spans([t.ner or "O" for t in sent.tokens]) for sent in result.sentences]


def _load_pipeline(kwargs: Dict[str, str]) -> Any:
    """``stanza.Pipeline`` for Arabic pretokenized NER, never downloading anything."""
    stanza = require("stanza", "stanza", "ner='stanza'")
    common = dict(lang="ar", processors="tokenize,ner", tokenize_pretokenized=True, download_method=None,
                  device="cpu", logging_level="ERROR")
    if "dir" in kwargs:  # Stanza's layout: its resources.json says which packages to load
        return stanza.Pipeline(dir=kwargs["dir"], **common)
    with tempfile.TemporaryDirectory() as tmp:  # our layout: explicit paths, no resources.json of our own
        resources_file = Path(tmp) / "resources.json"
        resources_file.write_text("{}", encoding="utf-8")
        return stanza.Pipeline(dir=tmp, resources_filepath=str(resources_file), allow_unknown_language=True,
                               **common, **kwargs)


@Language.factory("agn_stanza_ner", default_config={"model_dir": None})
def make_stanza_ner(nlp: Language, name: str, model_dir: Optional[str]) -> StanzaNER:
    """``nlp.add_pipe("agn_stanza_ner")``: the packaged Stanza model, or the one in ``model_dir``.
    Needs the ``[stanza]`` extra."""
    require("stanza", "stanza", "ner='stanza'")
    return StanzaNER(model_dir)


# ---- training ----------------------------------------------------------------------------

# Stanza NER tagger options (stanza.models.ner_tagger) of the shipped model; the word
# embedding size is the pretrain's (PRETRAIN_DIM).
DEFAULT_PARAMS: Dict[str, Any] = {
    "hidden_dim": 128, "char_hidden_dim": 64, "char_emb_dim": 48, "batch_size": 32,
    "dropout": 0.5, "word_dropout": 0.02, "optim": "sgd", "lr": 0.1, "max_steps": 3000, "eval_interval": 117,
}
PRETRAIN_DIM = 32
# Pretrain feature dimensions, for a word as written and without its proclitics.
LEXICON_LABELS = ("PER", "LOC", "ORG")
GAZETTEER_LABELS = ("PER", "ORG", "GPE", "LOC", "MISC")


def pretrain_vectors(words: Iterable[str]) -> Dict[str, List[float]]:
    """The non-zero feature vectors (first dimensions of the pretrain) of ``words``: name
    lexicon and gazetteer labels of the word as written and without its proclitics, "word of
    a multi-word name", function word. Words with no feature are left out (they read as unknown).

    >>> v = pretrain_vectors(["موسكو", "وموسكو", "على", "سيتوجه"])
    >>> sorted(v), v["موسكو"][:9] == v["وموسكو"][9:18], v["على"][-1]
    (['على', 'موسكو', 'وموسكو'], True, 1.0)
    """
    from ..ner.gazetteer import GAZETTEER_FILES, is_stopword, kb_entries, load_entries, load_name_lexicon, \
        stripped_key, word_key

    lexicon = load_name_lexicon()
    whole: Dict[str, str] = {}
    part: set = set()
    for name, label, _, _ in [e for f in GAZETTEER_FILES for e in load_entries(f)] + list(kb_entries()):
        keys = [word_key(w) for w in name.split()]
        if len(keys) == 1:
            whole.setdefault(keys[0], label)
        else:
            part.update(keys)

    def features(key: str) -> List[float]:
        labels = lexicon.get(key, "").split("|")
        return ([float(lab in labels) for lab in LEXICON_LABELS]
                + [float(whole.get(key) == lab) for lab in GAZETTEER_LABELS] + [float(key in part)])

    out = {}
    for word in dict.fromkeys(words):
        vec = features(word_key(word)) + features(stripped_key(word)) + [float(is_stopword(word))]
        if any(vec):
            out[word] = vec
    return out


def build_pretrain(path: Path, corpus_words: Iterable[str], dim: int = PRETRAIN_DIM) -> int:
    """Write Stanza's pretrain file (vocabulary + frozen vectors, float16) for the name-list
    words and the ``corpus_words`` with a feature (:func:`pretrain_vectors`); returns its size."""
    import torch
    from stanza.models.common.pretrain import Pretrain, PretrainedWordVocab
    from stanza.models.common.vocab import VOCAB_PREFIX
    from ..ner.gazetteer import GAZETTEER_FILES, kb_entries, load_entries, load_name_lexicon, word_key

    names = [word_key(w) for e in [e for f in GAZETTEER_FILES for e in load_entries(f)] + list(kb_entries())
             for w in e[0].split()]
    vectors = pretrain_vectors([*sorted(load_name_lexicon()), *names, *corpus_words])
    words = sorted(vectors)
    emb = torch.zeros(len(words) + len(VOCAB_PREFIX), dim, dtype=torch.float16)
    for i, w in enumerate(words, start=len(VOCAB_PREFIX)):
        emb[i, :len(vectors[w])] = torch.tensor(vectors[w], dtype=torch.float16)
    pretrain = Pretrain(None, None, save_to_file=False)
    pretrain._vocab, pretrain._emb = PretrainedWordVocab(words), emb
    pretrain.save(str(path))
    return len(words)


def _stanza_sentences(docs: Iterable[Doc]) -> List[List[Dict[str, Any]]]:
    """Docs with gold ``doc.ents`` as Stanza's JSON document (one token dict per word)."""
    out = []
    for doc in docs:
        toks = [t for t in doc if not t.is_space]
        tags = ["O" if t.ent_iob_ in ("O", "") else f"{t.ent_iob_}-{t.ent_type_}" for t in toks]
        out.append([{"id": i + 1, "text": w, "ner": tag} for i, (w, tag) in enumerate(zip(stanza_words(toks), tags))])
    return out


def train_stanza_ner(
    data_dir: os.PathLike | str,
    out_dir: os.PathLike | str,
    *,
    seed: int = 0,
    max_steps: Optional[int] = None,
    limit: Optional[int] = None,
    params: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """Train a Stanza NER model on the ANERcorp train split (dev picks the checkpoint; test is
    only scored at the end), CPU only, offline; write ``ner.pt``, ``pretrain.pt`` and
    ``meta.json`` to ``out_dir`` and return the meta. ``limit``: use only the first ``limit``
    sentences of each part (a smoke test).

    >>> meta = train_stanza_ner("../shared/data", "/tmp/stanza-ner")   # doctest: +SKIP
    >>> meta["scores"]["test"]["overall"]["f1"]                         # doctest: +SKIP
    """
    require("stanza", "stanza", "train stanza-ner")
    import torch
    from stanza.models import ner_tagger
    from ..ner.corpora import anercorp_split, read_anercorp, read_aqmar, read_wojood, sentence_to_doc
    from ..ner.evaluate import evaluate_sentences
    from ..ner.train import blank_nlp

    data_dir, out_dir = Path(data_dir), Path(out_dir)
    params = {**DEFAULT_PARAMS, **(params or {})}
    if max_steps is not None:
        params["max_steps"] = max_steps
    params["eval_interval"] = min(params["eval_interval"], params["max_steps"])
    torch.set_num_threads(1)
    t0 = time.perf_counter()
    split = anercorp_split(read_anercorp(data_dir))
    parts = {name: getattr(split, name)[:limit] if limit else getattr(split, name) for name in ("train", "dev", "test")}
    nlp = blank_nlp()
    docs = {name: [sentence_to_doc(nlp, s) for s in sents] for name, sents in parts.items()}
    out_dir.mkdir(parents=True, exist_ok=True)
    # corpus words that may get a pretrain row: never ANERcorp's test part
    unlabeled = [*read_aqmar(data_dir), *read_wojood(data_dir)] if not limit else []
    corpus_words = [w for name in ("train", "dev") for d in docs[name] for w in stanza_words(d)]
    corpus_words += [w for s in unlabeled for w in stanza_words(nlp.make_doc(" ".join(s.tokens)))]
    n_vocab = build_pretrain(out_dir / PRETRAIN_FILE, corpus_words)
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("train", "dev"):
            (Path(tmp) / f"{name}.json").write_text(json.dumps(_stanza_sentences(docs[name]), ensure_ascii=False),
                                                    encoding="utf-8")
        argv = ["--train_file", f"{tmp}/train.json", "--eval_file", f"{tmp}/dev.json", "--shorthand", "ar_anercorp",
                "--wordvec_pretrain_file", str(out_dir / PRETRAIN_FILE), "--save_dir", tmp, "--save_name", MODEL_FILE,
                "--cpu", "--seed", str(seed)]
        for key, value in params.items():
            argv += [f"--{key}", str(value)]
        t1 = time.perf_counter()
        ner_tagger.main(argv)
        train_seconds = time.perf_counter() - t1
        shutil.copyfile(Path(tmp) / MODEL_FILE, out_dir / MODEL_FILE)
    scorer = blank_nlp()
    scorer.add_pipe("agn_stanza_ner", config={"model_dir": str(out_dir)})
    scores = {name: evaluate_sentences(scorer, parts[name], doc_size=1) for name in ("dev", "test")}
    meta = {
        "model": "Stanza NER tagger (char BiLSTM + word BiLSTM-CRF), stanza "
                 + __import__("stanza").__version__,
        "labels": ["PER", "ORG", "LOC", "MISC"],
        "train": {"anercorp_sentences": len(parts["train"]), "dev_sentences": len(parts["dev"]),
                  "test_sentences": len(parts["test"]), "seed": seed, "limit": limit},
        "params": params,
        "pretrain": {"words": n_vocab, "dim": PRETRAIN_DIM, "dtype": "float16"},
        "scores": scores,
        "train_seconds": round(train_seconds, 1),
        "total_seconds": round(time.perf_counter() - t0, 1),
        "files": {f: (out_dir / f).stat().st_size for f in (MODEL_FILE, PRETRAIN_FILE)},
    }
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta
