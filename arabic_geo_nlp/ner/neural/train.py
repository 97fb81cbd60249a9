"""Training the neural tagger (torch, training time only) and exporting it for numpy tagging.

    arabic-geo-nlp train ner-neural [--data-dir ../shared/data] [--out models/ner_neural] [--model FASTTEXT_PATH]

:func:`train_neural_ner` reads the fixed ANERcorp split over our tokens (as ``train ner``), takes
the fastText vectors of ``--model`` (a gensim model; without it one is trained from the news with
:func:`.vectors.corpus_sentences`, the settings of :data:`FASTTEXT_SETTINGS`), writes the vector
table (:func:`export_vectors`), trains a BiLSTM on the train part with the dev part choosing the
epoch, chooses on dev the weight of its scores added to the CRF's, and scores dev and test (model
alone, CRF alone, combined; each sentence alone) into ``meta.json``. Seeded: one torch thread, fixed
data order per epoch.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..corpora import anercorp_split, read_anercorp, sentence_to_doc
from ..evaluate import evaluate_sentences
from ..gazetteer import load_name_lexicon
from ..model import CRFTagger, bio_to_spans, default_model_dir
from ..vectors import corpus_sentences, dev_articles_dir
from ..clusters import char_ngrams
from .inputs import bag_ids, feature_vocabulary, vector_key_of
from .tagger import META_FILE, TAGGER_FILE, VECTORS_FILE, CRFNeuralTagger, NeuralTagger, pack_strings, unpack_strings

__all__ = ["train_neural_ner", "export_vectors", "DEFAULT_SETTINGS", "FASTTEXT_SETTINGS"]

DEFAULT_SETTINGS: Dict[str, object] = {
    "hidden": 64, "feat_dim": 16, "bag_width": 12, "feature_min_count": 2, "dropout": 0.5,
    "word_dropout": 0.05, "lr": 4e-3, "batch": 32, "epochs": 30, "clip": 5.0, "seed": 0,
    "max_vocab": 200_000, "ngrams": 50_000, "oov": "zero", "weights": [0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0],
}
# The lead's shared vectors (/work/vectors/train.py): gensim FastText skip-gram over vector keys.
FASTTEXT_SETTINGS: Dict[str, object] = {"vector_size": 100, "window": 5, "min_count": 3, "sg": 1, "negative": 5,
                                         "epochs": 5, "sample": 1e-4, "workers": 2, "seed": 0, "min_n": 2,
                                         "max_n": 5, "bucket": 500_000}


def _fasttext(data_dir: Path, path: Optional[Path]):
    """The gensim FastText model at ``path``, else one trained on the news (about 15 min on 2 cores)."""
    from gensim.models import FastText

    if path:
        return FastText.load(str(path))
    sentences = corpus_sentences(data_dir, dev_articles_dir(data_dir))
    return FastText(sentences=sentences, **FASTTEXT_SETTINGS)


def export_vectors(wv, extra_words: Sequence[str], out: Path, max_vocab: int, ngrams: int) -> Dict[str, int]:
    """Write ``vectors.npz``: the ``max_vocab`` most frequent keys of ``wv`` plus the keys of
    ``extra_words`` (their subword vectors), float16; with ``ngrams`` > 0 also the vectors of the
    ``ngrams`` commonest character n-grams of the kept keys (for words outside the table)."""
    keys = list(wv.index_to_key[:max_vocab])
    known = set(keys)
    keys += sorted({k for w in extra_words if (k := vector_key_of(w)) is not None and k not in known})
    vectors = np.stack([wv[k] for k in keys]).astype(np.float16)
    arrays = {"keys": pack_strings(keys), "vectors": vectors}
    if ngrams:
        from gensim.models.fasttext_inner import ft_hash_bytes

        counts = Counter(g for k in keys[:max_vocab] for g in char_ngrams(k, wv.min_n, wv.max_n))
        grams = [g for g, _ in counts.most_common(ngrams)]
        rows = [ft_hash_bytes(g.encode("utf-8")) % wv.bucket for g in grams]
        arrays.update(ngrams=pack_strings(grams), ngram_vectors=wv.vectors_ngrams[rows].astype(np.float16))
    np.savez(out / VECTORS_FILE, **arrays)
    return {"keys": len(keys), "from_news": min(max_vocab, len(wv.index_to_key)), "ngrams": ngrams}


def _span_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> float:
    """Entity F1 over word spans (exact span and label): the quick dev measure for selection."""
    g = {(k, *s) for k, tags in enumerate(gold) for s in bio_to_spans(tags)}
    p = {(k, *s) for k, tags in enumerate(pred) for s in bio_to_spans(tags)}
    hit = len(g & p)
    return 2 * hit / (len(g) + len(p)) if g or p else 0.0


def _build_net(vectors: np.ndarray, n_feats: int, n_labels: int, s: Dict):
    import torch
    from torch import nn

    class Net(nn.Module):
        """Frozen vectors + summed feature embeddings → BiLSTM → label scores."""

        def __init__(self):
            super().__init__()
            self.vectors = nn.Embedding.from_pretrained(torch.tensor(vectors), freeze=True)
            self.feats = nn.Embedding(n_feats + 1, s["feat_dim"], padding_idx=0)
            self.lstm = nn.LSTM(vectors.shape[1] + s["feat_dim"], s["hidden"], batch_first=True, bidirectional=True)
            self.drop = nn.Dropout(s["dropout"])
            self.out = nn.Linear(2 * s["hidden"], n_labels)

        def forward(self, types, bags, lens, keep=None):
            vec = self.vectors(types)
            if keep is not None:
                vec = vec * keep.unsqueeze(-1)
            x = self.drop(torch.cat([vec, self.feats(bags[types]).sum(2)], dim=-1))
            packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=types.shape[1])
            return self.out(self.drop(h))

    return Net()


def _export_tagger(net, labels: List[str], features: List[str], bag_width: int, out: Path) -> None:
    """Write ``tagger.npz`` (torch's LSTM gate order i, f, g, o is what :class:`NeuralTagger` reads)."""
    sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    np.savez(out / TAGGER_FILE, labels=np.array(labels), features=np.array(features),
             bag_width=np.array(bag_width), feat_emb=sd["feats.weight"].astype(np.float32),
             w_ih=np.stack([sd["lstm.weight_ih_l0"], sd["lstm.weight_ih_l0_reverse"]]),
             w_hh=np.stack([sd["lstm.weight_hh_l0"], sd["lstm.weight_hh_l0_reverse"]]),
             b=np.stack([sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"],
                         sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"]]),
             w_out=sd["out.weight"], b_out=sd["out.bias"])


def _fit(train: List[Tuple[List[str], List[str]]], dev: List[Tuple[List[str], List[str]]],
         tagger_vectors, s: Dict, out: Path, log) -> Dict:
    """Train the network; keep the epoch with the best dev F1 (exported to ``out``)."""
    import torch

    torch.manual_seed(s["seed"])
    torch.set_num_threads(1)
    labels = sorted({t for _, tags in train for t in tags}, key=lambda t: (t != "O", t))
    label_id = {t: i for i, t in enumerate(labels)}
    features = feature_vocabulary(w for words, _ in train for w in words)
    feat_index = {f: i + 1 for i, f in enumerate(features)}
    types = sorted({w for words, _ in (*train, *dev) for w in words})
    type_id = {w: i for i, w in enumerate(types)}
    vectors = np.stack([tagger_vectors(w) for w in types]).astype(np.float32)
    bags = torch.tensor(bag_ids(types, feat_index, s["bag_width"]), dtype=torch.long)
    net = _build_net(vectors, len(features), len(labels), s)
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=s["lr"])
    rng = random.Random(s["seed"])
    gen = torch.Generator().manual_seed(s["seed"])

    def batch(sents):
        n = max(len(w) for w, _ in sents)
        ids = torch.zeros((len(sents), n), dtype=torch.long)
        gold = torch.full((len(sents), n), -100, dtype=torch.long)
        for k, (words, tags) in enumerate(sents):
            ids[k, :len(words)] = torch.tensor([type_id[w] for w in words])
            gold[k, :len(words)] = torch.tensor([label_id[t] for t in tags])
        return ids, gold, torch.tensor([len(w) for w, _ in sents])

    def predict(sents):
        net.eval()
        with torch.no_grad():
            ids, _, lens = batch(sents)
            best = net(ids, bags, lens).argmax(-1)
        return [[labels[i] for i in best[k, :n]] for k, n in enumerate(lens.tolist())]

    order = [k for k, (w, _) in enumerate(train) if w]
    best, history = (-1.0, 0), []
    for epoch in range(1, s["epochs"] + 1):
        t0 = time.perf_counter()
        net.train()
        rng.shuffle(order)
        total = 0.0
        for at in range(0, len(order), s["batch"]):
            ids, gold, lens = batch([train[k] for k in order[at:at + s["batch"]]])
            keep = (torch.rand(ids.shape, generator=gen) >= s["word_dropout"]).float()
            loss = torch.nn.functional.cross_entropy(net(ids, bags, lens, keep).transpose(1, 2), gold)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), s["clip"])
            opt.step()
            total += float(loss.detach())
        f1 = _span_f1([t for _, t in dev], predict(dev))
        history.append({"epoch": epoch, "loss": round(total, 2), "dev_f1": round(f1, 4),
                        "seconds": round(time.perf_counter() - t0, 1)})
        log(history[-1])
        if f1 > best[0]:
            best = (f1, epoch)
            _export_tagger(net, labels, features, s["bag_width"], out)
    return {"labels": labels, "features": len(features), "types": len(types), "best_epoch": best[1],
            "best_dev_f1_words": round(best[0], 4), "history": history}


def _choose_weight(crf: CRFTagger, neural: NeuralTagger, dev, weights: Sequence[float]) -> Dict[str, float]:
    """Dev word-span F1 of the CRF plus the network at each weight."""
    words, gold = [w for w, _ in dev], [t for _, t in dev]
    return {str(w): round(_span_f1(gold, CRFNeuralTagger(crf, neural, w).tag_many(words)), 4) for w in weights}


def train_neural_ner(data_dir: Path, out_dir: Path, fasttext: Optional[Path] = None,
                     settings: Optional[Dict] = None, crf_dir: Optional[Path] = None, log=print) -> Dict:
    """Train, export and score the tagger (see the module docstring); return its ``meta.json``."""
    from ..train import blank_nlp, doc_to_bio

    s = {**DEFAULT_SETTINGS, **(settings or {})}
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    split = anercorp_split(read_anercorp(data_dir))
    nlp = blank_nlp()
    parts = {p: [b for x in getattr(split, p) if (b := doc_to_bio(sentence_to_doc(nlp, x)))[0]]
             for p in ("train", "dev", "test")}
    ft = _fasttext(data_dir, fasttext)
    anercorp_words = [w for sents in parts.values() for words, _ in sents for w in words]
    vec_meta = export_vectors(ft.wv, [*anercorp_words, *load_name_lexicon()], out_dir, s["max_vocab"], s["ngrams"])
    del ft
    meta: Dict = {"model": "BiLSTM over frozen fastText news vectors + feature-bag embeddings (arabic_geo_nlp.ner.neural)",
                  "settings": s, "oov": s["oov"], "fasttext": {"path": str(fasttext) if fasttext else None,
                                                               "settings": FASTTEXT_SETTINGS},
                  "vectors": vec_meta, "crf_weight": 1.0,
                  "data": {p: {"sentences": len(v), "tokens": sum(len(w) for w, _ in v)} for p, v in parts.items()}}
    (out_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lookup = _VectorLookup(out_dir)
    meta["training"] = _fit(parts["train"], parts["dev"], lookup, s, out_dir, log)
    neural = NeuralTagger(out_dir)
    crf = CRFTagger.load(Path(crf_dir) if crf_dir else default_model_dir())
    meta["weights_dev_f1_words"] = _choose_weight(crf, neural, parts["dev"], s["weights"])
    meta["crf_weight"] = float(max(meta["weights_dev_f1_words"].items(), key=lambda kv: kv[1])[0])
    (out_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    meta["train_seconds"] = round(time.perf_counter() - t0, 1)
    meta["scores"] = score_backends(split, out_dir, crf_dir)
    (out_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta


def score_backends(split, neural_dir: Path, crf_dir: Optional[Path] = None) -> Dict:
    """``evaluate ner`` figures (model alone, each sentence alone) of the CRF, the network and both,
    on dev and test."""
    from ..commands import ner_pipeline

    nlps = {name: ner_pipeline(str(d) if d else None, gazetteer=False, backend=name)
            for name, d in (("crf", crf_dir), ("neural", neural_dir), ("crf+neural", neural_dir))}
    return {part: {name: evaluate_sentences(nlp, getattr(split, part)) for name, nlp in nlps.items()}
            for part in ("dev", "test")}


class _VectorLookup:
    """A word's vector from the exported table (what :class:`NeuralTagger` will see), for training."""

    def __init__(self, out_dir: Path):
        v = np.load(out_dir / VECTORS_FILE)
        self._index = {k: i for i, k in enumerate(unpack_strings(v["keys"]))}
        self._vectors = v["vectors"]

    def __call__(self, word: str) -> np.ndarray:
        key = vector_key_of(word)
        row = self._index.get(key) if key is not None else None
        return self._vectors[row].astype(np.float32) if row is not None else np.zeros(self._vectors.shape[1], np.float32)
