"""Building the spaCy pipeline and streaming a corpus through it.

>>> import arabic_geo_nlp as agn
>>> nlp = agn.load()
>>> nlp.pipe_names
['sentences', 'clean']
>>> res = agn.process(["قال الوزير إن المحادثات مثمرة."])
>>> res.documents[["doc_id", "status", "n_sentences", "n_tokens"]].values.tolist()
[['doc-0000', 'ok', 1, 6]]
"""

from __future__ import annotations

from typing import Iterable, Iterator, Optional, Tuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import clean, sentences, tokenize  # noqa: F401  (register factories)
from .corpus import Record, read_corpus
from .frames import Result, TableRows

__all__ = ["load", "process", "iter_docs", "PIPELINE"]

# (pipe name, factory) in pipeline order.
PIPELINE: Tuple[Tuple[str, str], ...] = (
    ("sentences", "agn_sentences"),
    ("clean", "agn_clean"),
)


def load(*, exclude: Iterable[str] = (), disable: Iterable[str] = ()) -> Language:
    """The arabic_geo_nlp pipeline as a spaCy ``Language``, built offline from package data.

    ``exclude`` leaves components out; ``disable`` loads them switched off
    (re-enable with ``nlp.enable_pipe``), as in ``spacy.load``.
    """
    exclude, disable = set(exclude), set(disable)
    names = {name for name, _ in PIPELINE}
    unknown = (exclude | disable) - names
    if unknown:
        raise ValueError(f"Unknown component(s) {sorted(unknown)}; the pipeline has {[n for n, _ in PIPELINE]}")
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
    for name, factory in PIPELINE:
        if name not in exclude:
            nlp.add_pipe(factory, name=name)
    for name in disable:
        nlp.disable_pipe(name)
    return nlp


def iter_docs(
    records: Iterable[Record],
    nlp: Language,
    *,
    batch_size: int = 64,
    n_process: int = 1,
) -> Iterator[Tuple[Record, Optional[Doc]]]:
    """Stream ``(record, doc)`` pairs; ``doc`` is None for records that could not be read.

    Unreadable records pass straight through (in input order relative to each other);
    readable ones go through ``nlp.pipe``, which keeps at most a few batches in memory.
    """
    failed = []

    def texts() -> Iterator[Tuple[str, Record]]:
        for rec in records:
            if rec.error is not None or rec.text is None:
                failed.append(rec)
                continue
            yield rec.text, rec

    for doc, rec in nlp.pipe(texts(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        while failed:
            yield failed.pop(0), None
        doc._.doc_id, doc._.source, doc._.encoding = rec.doc_id, rec.source, rec.encoding
        yield rec, doc
    while failed:
        yield failed.pop(0), None


def process(
    inputs,
    *,
    nlp: Optional[Language] = None,
    batch_size: int = 64,
    n_process: int = 1,
    text_col: str = "text",
    id_col: Optional[str] = None,
    encoding: Optional[str] = None,
) -> Result:
    """Run the pipeline over ``inputs`` and return the five tables.

    ``inputs``: a path, directory, glob, JSONL/CSV/Parquet file, a list of paths or
    raw strings, or a pandas Series/DataFrame (see :func:`arabic_geo_nlp.corpus.read_corpus`).
    Every input document yields one ``documents`` row, ``status`` "ok" or "error".
    """
    nlp = nlp or load()
    rows = TableRows()
    records = read_corpus(inputs, text_col=text_col, id_col=id_col, encoding=encoding)
    for rec, doc in iter_docs(records, nlp, batch_size=batch_size, n_process=n_process):
        if doc is None:
            rows.add_error(rec.doc_id, rec.error or "no text", source=rec.source, encoding=rec.encoding)
        else:
            rows.add_doc(doc)
    return Result.from_rows(rows)
