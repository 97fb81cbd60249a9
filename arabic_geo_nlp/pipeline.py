"""Building the spaCy pipeline and streaming a corpus through it.

>>> import arabic_geo_nlp as agn
>>> nlp = agn.load()
>>> nlp.pipe_names
['sentences', 'clean', 'ner', 'gazetteer', 'linker', 'quotes']
>>> res = agn.process(["قال الوزير إن المحادثات مثمرة."])
>>> res.documents[["doc_id", "status", "n_sentences", "n_tokens"]].values.tolist()
[['doc-0000', 'ok', 1, 6]]
"""

from __future__ import annotations

import gc
import hashlib
from collections import deque
from dataclasses import replace
from typing import Callable, Collection, Dict, Iterable, Iterator, List, Optional, Tuple, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import backends, clean, link, ner, quotes, sentences, tokenize  # noqa: F401  (register factories)
from .ner import neural  # noqa: F401  (registers agn_crf_neural_ner)
from .clean import blank_html, looks_like_html
from .corpus import Record, read_corpus
from .frames import Result, TableRows
from .language import text_language

__all__ = [
    "load", "process", "NER_BACKENDS", "TOKENIZERS", "iter_docs", "iter_rows", "content_hash", "section_bounds", "PIPELINE", "MAX_CHARS",
    "SECTION_CHARS",
]

# (pipe name, factory) in pipeline order.
PIPELINE: Tuple[Tuple[str, str], ...] = (
    ("sentences", "agn_sentences"),
    ("clean", "agn_clean"),
    ("ner", "agn_ner"),
    ("gazetteer", "agn_gazetteer"),
    ("linker", "agn_linker"),
    ("quotes", "agn_quotes"),
)
# Documents longer than this are reported as errors instead of being processed.
MAX_CHARS = 5_000_000
# Longer documents go through the pipeline in sections of about this size (cut at paragraph
# breaks), so no component's cost can grow faster than linearly with a document's length.
SECTION_CHARS = 50_000
# With ``n_process > 1``: the most characters of one worker task, and tasks queued per worker.
CHUNK_CHARS = 100_000
TASKS_PER_WORKER = 4


# ``load(ner=...)``: the factory that fills the "ner" slot of the pipeline.
NER_BACKENDS: Dict[str, str] = {"crf": "agn_ner", "crf+neural": "agn_crf_neural_ner", "camel": "agn_camel_ner",
                                "stanza": "agn_stanza_ner"}
TOKENIZERS: Dict[str, str] = {"agn": "arabic_geo_nlp.Tokenizer.v1", "camel": "arabic_geo_nlp.CamelTokenizer.v1"}


def load(
    *,
    exclude: Iterable[str] = (),
    disable: Iterable[str] = (),
    kb: Optional[str] = None,
    tokenizer: str = "agn",
    ner: str = "crf",
    camel_data: Optional[str] = None,
    stanza_dir: Optional[str] = None,
) -> Language:
    """The arabic_geo_nlp pipeline as a spaCy ``Language``, built offline from package data
    and the models shipped in ``arabic_geo_nlp.models``.

    ``exclude`` leaves components out; ``disable`` loads them switched off
    (re-enable with ``nlp.enable_pipe``), as in ``spacy.load``. ``kb``: a TSV of extra
    actors added to the packaged knowledge base (see :mod:`arabic_geo_nlp.link`).

    Optional backends (see :mod:`arabic_geo_nlp.backends`): ``tokenizer="camel"`` takes the
    clitic segmentation from CAMeL Tools' morphological tokenizer, ``ner="camel"`` CAMeL's BERT
    NER, both reading CAMeL data from ``camel_data`` (default: ``$CAMELTOOLS_DATA``);
    ``ner="stanza"`` a Stanza NER model from ``stanza_dir`` (default: the one we ship).
    They need the ``[camel]`` / ``[stanza]`` extras and raise ImportError naming the extra otherwise.
    """
    exclude, disable = set(exclude), set(disable)
    names = {name for name, _ in PIPELINE}
    unknown = (exclude | disable) - names
    if unknown:
        raise ValueError(f"Unknown component(s) {sorted(unknown)}; the pipeline has {[n for n, _ in PIPELINE]}")
    if tokenizer not in TOKENIZERS:
        raise ValueError(f"Unknown tokenizer {tokenizer!r}; choose one of {sorted(TOKENIZERS)}")
    if ner not in NER_BACKENDS:
        raise ValueError(f"Unknown NER backend {ner!r}; choose one of {sorted(NER_BACKENDS)}")
    tokenizer_config: Dict[str, object] = {"@tokenizers": TOKENIZERS[tokenizer]}
    if tokenizer == "camel":
        tokenizer_config["data_dir"] = camel_data
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": tokenizer_config}})
    nlp.max_length = MAX_CHARS
    backend_config: Dict[str, Dict[str, object]] = {
        "agn_linker": {"kb": kb}, "agn_camel_ner": {"data_dir": camel_data}, "agn_stanza_ner": {"model_dir": stanza_dir},
    }
    for name, factory in PIPELINE:
        if name == "ner":
            factory = NER_BACKENDS[ner]
        if name not in exclude:
            nlp.add_pipe(factory, name=name, config=backend_config.get(factory, {}))
    for name in disable:
        nlp.disable_pipe(name)
    # The loaded tables (KB, gazetteer, model weights) are millions of long-lived objects: moved out
    # of the collector's reach, they are no longer rescanned at every full collection (2 % of the CPU
    # of a 2,000-article run in an A/B test; more when collections are frequent).
    gc.freeze()
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
) -> Iterator[Tuple[Record, Optional[Doc], Optional[str]]]:
    """Stream ``(record, doc, error)`` triples in input order; ``doc`` is None when ``error`` says why.

    HTML input is blanked to whitespace of the same length (offsets stay offsets into
    what was read). A component that fails on a batch does not stop the stream: the
    documents of that batch are re-run one by one and the failing one is reported
    with its ``doc._.errors``.
    """
    nlp.set_error_handler(record_component_error)
    queue: deque = deque()  # records in input order, not yet yielded

    def texts() -> Iterator[Tuple[Union[str, Doc], Record]]:
        for rec in records:
            queue.append(rec)
            if _precheck(rec) is None:
                yield _input(nlp, rec), rec

    def drain_until(target: Optional[Record]) -> Iterator[Tuple[Record, Optional[Doc], Optional[str]]]:
        while queue and queue[0] is not target:
            rec = queue.popleft()
            reason = _precheck(rec)
            if reason is not None:
                yield rec, None, reason
            else:  # went into nlp.pipe but was dropped by a failing component: isolate it
                try:
                    yield rec, _finish(nlp(_input(nlp, rec)), rec), None
                except Exception as e:  # the tokenizer itself failed
                    yield rec, None, f"document {rec.doc_id!r}: {type(e).__name__}: {e}"
        if queue:
            queue.popleft()

    for doc, rec in nlp.pipe(texts(), as_tuples=True, batch_size=batch_size):
        yield from drain_until(rec)
        yield rec, _finish(doc, rec), None
    yield from drain_until(None)


def _prepare(text: str) -> str:
    return blank_html(text) if looks_like_html(text) else text


def _input(nlp: Language, rec: Record) -> Union[str, Doc]:
    """What the pipeline gets for ``rec``: its text, or, when the input gave a publication date,
    the tokenized Doc with ``doc._.published`` set (``agn_clean`` keeps it; the linker reads it)."""
    text = _prepare(rec.text)
    if rec.published is None:
        return text
    doc = nlp.make_doc(text)
    doc._.published = rec.published
    return doc


def _finish(doc: Doc, rec: Record) -> Doc:
    doc._.doc_id, doc._.source, doc._.encoding, doc._.warning = rec.doc_id, rec.source, rec.encoding, rec.warning
    return doc


PipelineSource = Union[Language, Callable[[], Language], None]


def _built(nlp: PipelineSource) -> Language:
    """``nlp`` itself, or the pipeline its factory (default :func:`load`) builds."""
    return nlp if isinstance(nlp, Language) else (nlp or load)()


def iter_rows(
    inputs,
    nlp: PipelineSource = None,
    *,
    batch_size: int = 64,
    n_process: int = 1,
    text_col: str = "text",
    id_col: Optional[str] = None,
    encoding: Optional[str] = None,
    skip: Collection[Tuple[str, Optional[str]]] = (),
    published_col: Optional[str] = None,
) -> Iterator[TableRows]:
    """Stream the table rows of each input document (one :class:`TableRows` per document),
    in input order.

    ``nlp``: a pipeline, or a picklable function that builds one (default :func:`load`).
    ``skip`` holds ``(doc_id, content_hash)`` keys already processed (``--resume``).
    ``published_col``: the column of table inputs with each document's publication date
    (``documents.published``, and the year role phrases are resolved by).
    With ``n_process > 1`` whole documents — pipeline and row building — run in
    worker processes (spawned; each unpickles ``nlp`` once, or calls the function: then
    the main process, which only reads input and gathers rows, never loads the models).
    """
    records = read_corpus(inputs, text_col=text_col, id_col=id_col, encoding=encoding, published_col=published_col)
    if skip:
        records = (r for r in records if (r.doc_id, content_hash(r.text) if r.text is not None else None) not in skip)
    if n_process > 1:
        yield from _parallel_rows(records, nlp, n_process=n_process, batch_size=batch_size)
    else:
        yield from _rows(records, _built(nlp), batch_size=batch_size)


def section_bounds(text: str, size: int) -> List[Tuple[int, int]]:
    """Cut ``text`` into consecutive sections of about ``size`` characters, at a paragraph
    break, else a line break, else a space after the nominal cut point.

    >>> section_bounds("أ ب\\n\\nج د\\n\\nه و", 4)
    [(0, 5), (5, 10), (10, 13)]
    """
    bounds, start = [], 0
    while len(text) - start > size:
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = text.find(sep, start + size)
            if cut != -1 and cut - start < 2 * size:
                cut += len(sep)
                break
            cut = -1
        if cut == -1:
            cut = start + size
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


def _sectioned(records: Iterable[Record], parts: dict) -> Iterator[Record]:
    """Records longer than :data:`SECTION_CHARS` become one record per section;
    ``parts[id(section)] = (offset, index, count)`` says where each belongs."""
    for rec in records:
        if rec.text is None or len(rec.text) <= SECTION_CHARS or _precheck(rec) is not None:
            yield rec
            continue
        bounds = section_bounds(rec.text, SECTION_CHARS)
        for k, (s, e) in enumerate(bounds):
            section = replace(rec, text=rec.text[s:e])
            parts[id(section)] = (s, k, len(bounds))
            yield section


def _rows(records: Iterable[Record], nlp: Language, *, batch_size: int) -> Iterator[TableRows]:
    parts: dict = {}
    sections: List[Tuple[int, TableRows]] = []
    whole: Dict[str, str] = {}  # doc_id -> full text, for the hash of a sectioned document
    for rec, doc, error in iter_docs(_sectioned(_remember(records, whole), parts), nlp, batch_size=batch_size):
        rows = TableRows()
        if id(rec) in parts:  # one section of a long document: hashed once, when merged
            if doc is None:
                rows.add_error(rec.doc_id, error, source=rec.source)
            else:
                rows.add_doc(doc)
            offset, k, count = parts.pop(id(rec))
            sections.append((offset, rows))
            if k == count - 1:
                text = whole.pop(rec.doc_id)
                merged = TableRows()
                merged.add_sections(sections, n_chars=len(text))
                merged.rows["documents"][0].update(content_hash=content_hash(text), language=text_language(text))
                sections = []
                yield merged
            continue
        text = whole.pop(rec.doc_id, None)
        digest = content_hash(text) if text is not None else None
        if doc is None:
            rows.add_error(rec.doc_id, error, source=rec.source, n_chars=len(text) if text is not None else None,
                           encoding=rec.encoding, content_hash=digest)
        else:
            rows.add_doc(doc, content_hash=digest)
        yield rows


def _remember(records: Iterable[Record], whole: Dict[str, str]) -> Iterator[Record]:
    for rec in records:
        if rec.text is not None:
            whole[rec.doc_id] = rec.text
        yield rec


_WORKER_NLP: List[Language] = []


def _init_worker(nlp_bytes: bytes) -> None:
    import pickle

    _WORKER_NLP.append(_built(pickle.loads(nlp_bytes)))


def _work(chunk: List[Record], batch_size: int) -> List[TableRows]:
    return list(_rows(chunk, _WORKER_NLP[0], batch_size=batch_size))


def _chunks(records: Iterable[Record], batch_size: int, max_chars: int) -> Iterator[List[Record]]:
    """Consecutive records in lists closed as soon as they hold ``batch_size`` records or
    ``max_chars`` characters (so a long record ends its list early)."""
    chunk: List[Record] = []
    size = 0
    for rec in records:
        chunk.append(rec)
        size += len(rec.text) if rec.text is not None else 0
        if len(chunk) >= batch_size or size >= max_chars:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _parallel_rows(records: Iterable[Record], nlp: PipelineSource, *, n_process: int,
                   batch_size: int) -> Iterator[TableRows]:
    """Whole documents (pipeline and rows) in worker processes, input order kept.

    A worker's task is a chunk of at most ``batch_size`` documents and about
    :data:`CHUNK_CHARS` characters, so tasks take similar times whatever the documents'
    lengths; :data:`TASKS_PER_WORKER` tasks per worker are in flight, so a worker that
    finishes early finds the next one queued while a slow task holds the head of the
    line, and memory stays flat."""
    import multiprocessing
    import pickle

    ctx = multiprocessing.get_context("spawn")
    chunks = _chunks(records, batch_size, CHUNK_CHARS)
    with ctx.Pool(n_process, initializer=_init_worker, initargs=(pickle.dumps(nlp or load),)) as pool:
        inflight: deque = deque()
        while True:
            while len(inflight) < TASKS_PER_WORKER * n_process:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                inflight.append(pool.apply_async(_work, (chunk, batch_size)))
            if not inflight:
                return
            yield from inflight.popleft().get()


def process(
    inputs,
    *,
    nlp: PipelineSource = None,
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
