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

import hashlib
from collections import deque
from typing import Callable, Collection, Iterable, Iterator, List, Optional, Tuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import clean, sentences, tokenize  # noqa: F401  (register factories)
from .clean import blank_html, looks_like_html
from .corpus import Record, read_corpus
from .frames import Result, TableRows

__all__ = ["load", "process", "iter_docs", "iter_rows", "content_hash", "PIPELINE", "MAX_CHARS"]

# (pipe name, factory) in pipeline order.
PIPELINE: Tuple[Tuple[str, str], ...] = (
    ("sentences", "agn_sentences"),
    ("clean", "agn_clean"),
)
# Documents longer than this are reported as errors instead of being processed.
MAX_CHARS = 2_000_000


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
    nlp.max_length = MAX_CHARS
    for name, factory in PIPELINE:
        if name not in exclude:
            nlp.add_pipe(factory, name=name)
    for name in disable:
        nlp.disable_pipe(name)
    return nlp


def content_hash(text: str) -> str:
    """A short, stable fingerprint of a document's text (for ``--resume``)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def record_component_error(name: str, component: Callable, docs: List[Doc], error: Exception) -> None:
    """spaCy error handler: note the failure on each Doc instead of crashing the batch."""
    for doc in docs:
        doc._.errors.append(f"component {name!r} failed: {type(error).__name__}: {error}")


def _precheck(rec: Record) -> Optional[str]:
    """Why ``rec`` cannot go through the pipeline, or None."""
    if rec.error is not None or rec.text is None:
        return rec.error or f"document {rec.doc_id!r}: no text"
    if not rec.text.strip():
        return f"document {rec.doc_id!r}: empty document (no text)"
    if len(rec.text) > MAX_CHARS:
        return f"document {rec.doc_id!r}: too large ({len(rec.text):,} characters > {MAX_CHARS:,})"
    return None


def iter_docs(
    records: Iterable[Record],
    nlp: Language,
    *,
    batch_size: int = 64,
    n_process: int = 1,
) -> Iterator[Tuple[Record, Optional[Doc], Optional[str]]]:
    """Stream ``(record, doc, error)`` triples in input order; ``doc`` is None when ``error`` says why.

    HTML input is blanked to whitespace of the same length (offsets stay offsets into
    what was read). A component that fails on a batch does not stop the stream: the
    documents of that batch are re-run one by one and the failing one is reported
    with its ``doc._.errors``.
    """
    nlp.set_error_handler(record_component_error)
    queue: deque = deque()  # records in input order, not yet yielded

    def texts() -> Iterator[Tuple[str, Record]]:
        for rec in records:
            queue.append(rec)
            if _precheck(rec) is None:
                yield _prepare(rec.text), rec

    def drain_until(target: Optional[Record]) -> Iterator[Tuple[Record, Optional[Doc], Optional[str]]]:
        while queue and queue[0] is not target:
            rec = queue.popleft()
            reason = _precheck(rec)
            if reason is not None:
                yield rec, None, reason
            else:  # went into nlp.pipe but was dropped by a failing component: isolate it
                try:
                    yield rec, _finish(nlp(_prepare(rec.text)), rec), None
                except Exception as e:  # the tokenizer itself failed
                    yield rec, None, f"document {rec.doc_id!r}: {type(e).__name__}: {e}"
        if queue:
            queue.popleft()

    pairs = nlp.pipe(texts(), as_tuples=True, batch_size=batch_size, n_process=n_process)
    for doc, rec in pairs:
        if n_process > 1:  # records come back as copies from the worker processes
            rec = next(r for r in queue if r.doc_id == rec.doc_id)
        yield from drain_until(rec)
        yield rec, _finish(doc, rec), None
    yield from drain_until(None)


def _prepare(text: str) -> str:
    return blank_html(text) if looks_like_html(text) else text


def _finish(doc: Doc, rec: Record) -> Doc:
    doc._.doc_id, doc._.source, doc._.encoding = rec.doc_id, rec.source, rec.encoding
    return doc


def iter_rows(
    inputs,
    nlp: Optional[Language] = None,
    *,
    batch_size: int = 64,
    n_process: int = 1,
    text_col: str = "text",
    id_col: Optional[str] = None,
    encoding: Optional[str] = None,
    skip: Collection[Tuple[str, Optional[str]]] = (),
) -> Iterator[TableRows]:
    """Stream the table rows of each input document (one :class:`TableRows` per document).

    ``skip`` holds ``(doc_id, content_hash)`` keys already processed (``--resume``).
    """
    nlp = nlp or load()
    records = read_corpus(inputs, text_col=text_col, id_col=id_col, encoding=encoding)
    if skip:
        records = (r for r in records if (r.doc_id, content_hash(r.text) if r.text is not None else None) not in skip)
    for rec, doc, error in iter_docs(records, nlp, batch_size=batch_size, n_process=n_process):
        rows = TableRows()
        digest = content_hash(rec.text) if rec.text is not None else None
        if doc is None:
            n_chars = len(rec.text) if rec.text is not None else None
            rows.add_error(rec.doc_id, error, source=rec.source, n_chars=n_chars,
                           encoding=rec.encoding, content_hash=digest)
        else:
            rows.add_doc(doc, content_hash=digest)
        yield rows


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
    rows = TableRows()
    for doc_rows in iter_rows(inputs, nlp, batch_size=batch_size, n_process=n_process,
                              text_col=text_col, id_col=id_col, encoding=encoding):
        rows.extend(doc_rows)
    return Result.from_rows(rows)
