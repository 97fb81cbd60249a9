"""Turning corpus inputs into :class:`Record` objects, one per document, never dropping one.

spaCy-free. :func:`read_corpus` is a lazy generator: files are listed and opened
one at a time as you iterate; tables are read line by line (JSONL), in chunks
(CSV) or in record batches (Parquet). A document that cannot be read still
yields a ``Record``, with ``text=None`` and an ``error`` naming it.

>>> recs = list(read_corpus(["قال الوزير إن المحادثات مثمرة.", "وأضاف أن ..."]))
>>> [(r.doc_id, r.source, r.error) for r in recs]
[('doc-0000', '<str>', None), ('doc-0001', '<str>', None)]
>>> decode_bytes("سلام".encode("cp1256"))
Decoded(text='سلام', encoding='cp1256', warning=None)

Rules
-----
* **Inputs.** A path (``str`` or ``os.PathLike``) to a file or directory, a glob
  pattern, a JSONL/CSV/Parquet table, a list/tuple (any iterable) mixing paths and
  raw strings, a pandas ``Series`` or ``DataFrame``.
* **Path or raw text?** ``os.PathLike`` objects are always paths. A ``str`` is a
  path when it is a single line of at most 4096 characters and either names an
  existing file/directory, or contains a glob character (``*?[``) and matches
  something, or ends in a corpus suffix (``.txt .jsonl .csv .parquet``) and has no
  whitespace (so a mistyped file name yields a "not found" error record instead of
  being read as text). Every other string is raw text.
* **Files.** Directories are walked in sorted order (name by name, depth first;
  ``recursive=False`` stays at the top level), skipping hidden entries (names
  starting with ``.``) and reading only regular files with a corpus suffix. A
  filesystem root (``/``) or a device, pipe or socket yields an error record
  instead of being read. Glob matches
  are sorted. A file named explicitly with another suffix is read as plain text.
* **doc_id.** ``.txt`` file: its stem. Table row: the ``id_col`` value (default:
  an ``id`` column, else ``doc_id``, if present), else ``<file stem>-<N>`` where N is
  the 1-based data row (CSV/Parquet, header excluded) or line number (JSONL).
  Raw strings: ``doc-0000``, ``doc-0001`` … by position in the input. Series: the
  index. DataFrame: the id column, else the index. A null id falls back to the
  default. **Duplicates** within one run get ``-2``, ``-3`` … (the first keeps its
  id), so no two records share an id.
* **Text.** Exactly the decoded characters: nothing is stripped and newlines are
  not normalized (downstream offsets index this text); only a leading byte order
  mark is removed. Text files are decoded by :func:`arabic_geo_nlp.decoding.decode_bytes`:
  the encoding is decided on evidence, a few invalid bytes in otherwise valid UTF-8
  become U+FFFD (one per byte), stray control characters (a NUL) become spaces (same
  length: offsets hold), and binary data is an error. What was repaired or blanked is
  said in ``Record.warning``, which names the document like ``error``; such a document
  is still read (``documents.status`` "ok"). Strings and table cells are taken as given.
* **Links.** A symbolic link is followed; a broken one found in a directory walk (with a
  corpus suffix) or named explicitly is an error record ("broken link").
"""

from __future__ import annotations

import dataclasses
import datetime
import glob
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Tuple, Union

import pandas as pd

from .decoding import BinaryData, codec_name, decode_bytes, detect, utf8_on_evidence

__all__ = ["Record", "read_corpus", "decode_bytes", "count_documents"]

PathLike = Union[str, "os.PathLike[str]"]
Inputs = Union[PathLike, Iterable[Any], pd.Series, pd.DataFrame]

TABLE_SUFFIXES = (".jsonl", ".csv", ".parquet")
CORPUS_SUFFIXES = (".txt",) + TABLE_SUFFIXES
GLOB_CHARS = "*?["
MAX_PATH_CHARS = 4096
CSV_CHUNK_ROWS = 1000
PARQUET_BATCH_ROWS = 1024
SNIFF_BYTES = 1 << 16


@dataclass
class Record:
    """One input document.

    >>> Record("a1", "نص", "<str>")
    Record(doc_id='a1', text='نص', source='<str>', encoding=None, error=None, warning=None, published=None)
    """

    doc_id: str
    text: Optional[str]  # decoded raw text, None when it could not be read
    source: str  # file path, "path#line N" / "path#row N", or "<str>", "<series>", "<dataframe>", "<item>"
    encoding: Optional[str] = None  # detected/used encoding for files
    error: Optional[str] = None  # message naming the document when unreadable
    warning: Optional[str] = None  # message naming the document when bytes were repaired or blanked
    published: Optional[str] = None  # ISO date from the ``published_col`` of a table input, if given


# --------------------------------------------------------------------------- decoding


def _sniff_encoding(path: str, encoding: Optional[str]) -> str:
    """Encoding of a table file: ``encoding``, else detected from its first ``SNIFF_BYTES``."""
    if encoding is not None:
        return codec_name(encoding)
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    try:
        return detect(head, final=False).encoding  # a damaged line or row is reported when it is read
    except BinaryData:
        raise
    except ValueError:
        return "utf-8"  # badly damaged UTF-8: the bad lines/rows become error records


# --------------------------------------------------------------------------- entry point


def read_corpus(
    inputs: Inputs,
    *,
    text_col: str = "text",
    id_col: Optional[str] = None,
    encoding: Optional[str] = None,
    recursive: bool = True,
    published_col: Optional[str] = None,
) -> Iterator[Record]:
    """Stream one :class:`Record` per document in ``inputs`` (see the module docstring
    for the accepted inputs and the path / doc_id rules).

    Unreadable documents (missing path, undecodable or binary file, malformed JSONL
    line, null or non-string text) yield a Record with ``text=None`` and ``error``;
    nothing raises except an unsupported ``inputs`` type (``TypeError``) or a
    DataFrame without ``text_col`` / ``id_col`` (``ValueError``), both at call time.
    ``published_col`` names a column of table inputs holding each document's publication date
    (``Record.published``, an ISO date; a value that is no date is left out); a table without it
    raises ``ValueError`` like a missing ``id_col``.

    >>> import pandas as pd
    >>> [(r.doc_id, r.text) for r in read_corpus(pd.Series(["نص", None], index=["a", "a"]))][0]
    ('a', 'نص')
    >>> next(read_corpus("no/such/file.txt")).error
    "document 'file' (no/such/file.txt): file not found"
    """
    opts = _Options(text_col, id_col, encoding, recursive, published_col)
    if isinstance(inputs, pd.DataFrame):
        frame_id_col = _auto_id_col(inputs.columns, opts, "the DataFrame")
        return _unique(_frame_records(inputs, text_col, frame_id_col, published_col))
    if isinstance(inputs, (bytes, bytearray)) or not isinstance(inputs, (os.PathLike, Iterable)):
        raise TypeError(f"read_corpus: unsupported input type {type(inputs).__name__}")
    return _unique(_records(inputs, opts))


@dataclass(frozen=True)
class _Options:
    text_col: str
    id_col: Optional[str]
    encoding: Optional[str]
    recursive: bool
    published_col: Optional[str] = None


def _records(inputs: Inputs, opts: _Options) -> Iterator[Record]:
    if isinstance(inputs, pd.Series):
        yield from _series_records(inputs)
    elif isinstance(inputs, (str, os.PathLike)):
        yield from _item_records(inputs, 0, opts)
    else:
        for position, item in enumerate(inputs):
            yield from _item_records(item, position, opts)


def _unique(records: Iterator[Record]) -> Iterator[Record]:
    """Make doc_ids unique (``x``, ``x-2``, ``x-3`` …) and name the document in errors and warnings."""
    seen: set = set()
    counts: Dict[str, int] = {}
    for rec in records:
        doc_id = rec.doc_id
        while doc_id in seen:
            counts[rec.doc_id] = counts.get(rec.doc_id, 1) + 1
            doc_id = f"{rec.doc_id}-{counts[rec.doc_id]}"
        seen.add(doc_id)
        error, warning = (None if m is None else f"document {doc_id!r} ({rec.source}): {m}"
                          for m in (rec.error, rec.warning))
        yield dataclasses.replace(rec, doc_id=doc_id, error=error, warning=warning)


def _item_records(item: Any, position: int, opts: _Options) -> Iterator[Record]:
    """Records for one top-level input or list item: a path or a raw string."""
    if isinstance(item, os.PathLike):
        yield from _path_records(os.fspath(item), opts)
    elif isinstance(item, str):
        if _is_path(item):
            yield from _path_records(item, opts)
        else:
            yield Record(_position_id(position), item, "<str>")
    else:
        problem = f"{type(item).__name__} is not a path or a str"
        yield Record(_position_id(position), None, "<item>", error=problem)


def _position_id(position: int) -> str:
    return f"doc-{position:04d}"


def _is_path(s: str) -> bool:
    """The path-or-raw-text rule of the module docstring."""
    if not s or len(s) > MAX_PATH_CHARS or any(ch in s for ch in "\n\r\0"):
        return False
    if os.path.exists(s) or (_has_glob(s) and next(glob.iglob(s, recursive=True), None) is not None):
        return True
    return Path(s).suffix.lower() in CORPUS_SUFFIXES and not any(ch.isspace() for ch in s)


def _has_glob(s: str) -> bool:
    return any(ch in s for ch in GLOB_CHARS)


# --------------------------------------------------------------------------- files


def _path_records(path: str, opts: _Options) -> Iterator[Record]:
    for file, error in _walk(path, opts):
        if error is not None:
            yield _file_error(file, error)
        else:
            yield from _file_records(file, opts)


def _walk(path: str, opts: _Options) -> Iterator[Tuple[str, Optional[str]]]:
    """``(file, None)`` for each corpus file under ``path``, or ``(path, problem)``."""
    if os.path.isdir(path):
        if os.path.dirname(os.path.abspath(path)) == os.path.abspath(path):
            yield path, "refusing to walk a filesystem root; name the corpus folder"
        else:
            yield from _walk_dir(path, opts)
    elif os.path.isfile(path):
        yield path, None
    elif os.path.exists(path):
        yield path, "not a regular file (device, pipe or socket)"
    elif os.path.islink(path):
        yield path, _broken_link(path)
    elif _has_glob(path):
        matches = sorted(glob.iglob(path, recursive=opts.recursive))
        if not matches:
            yield path, "no file matches this pattern"
        for match in matches:
            yield from _walk(match, opts)
    else:
        yield path, "file not found"


def _walk_dir(directory: str, opts: _Options) -> Iterator[Tuple[str, Optional[str]]]:
    """The corpus files under ``directory``, sorted name by name; each directory is
    listed only when the walk reaches it."""
    try:
        with os.scandir(directory) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as err:
        yield directory, f"cannot list the directory: {err.strerror}"
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if opts.recursive:
                yield from _walk_dir(entry.path, opts)
        elif Path(entry.name).suffix.lower() in CORPUS_SUFFIXES:
            if entry.is_file():
                yield entry.path, None
            elif entry.is_symlink() and not os.path.exists(entry.path):
                yield entry.path, _broken_link(entry.path)


def _broken_link(path: str) -> str:
    try:
        return f"broken link (its target {os.readlink(path)!r} does not exist)"
    except OSError:
        return "broken link"


def count_documents(inputs: Inputs, *, recursive: bool = True) -> Optional[int]:
    """How many records :func:`read_corpus` will yield, when that is cheap to know; else None.

    Counts files, Parquet rows (from metadata) and JSONL lines; CSV files are not
    counted (quoted newlines make that a full parse), so they give None.

    >>> count_documents(["نص أول", "نص ثان"])
    2
    """
    if isinstance(inputs, (pd.Series, pd.DataFrame)):
        return len(inputs)
    items = [inputs] if isinstance(inputs, (str, os.PathLike)) else inputs
    if not isinstance(items, Iterable):
        return None
    opts = _Options("text", None, None, recursive)
    total = 0
    for item in items:
        if isinstance(item, str) and not _is_path(item) or not isinstance(item, (str, os.PathLike)):
            total += 1
            continue
        for file, error in _walk(os.fspath(item), opts):
            n = 1 if error is not None else _count_file(file)
            if n is None:
                return None
            total += n
    return total


def _count_file(path: str) -> Optional[int]:
    suffix = Path(path).suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        if suffix == ".jsonl":
            with open(path, "rb") as fh:
                return sum(1 for line in fh if line.strip())
    except Exception:  # unreadable: read_corpus will report it as one error record
        return 1
    return None if suffix == ".csv" else 1


def _file_error(path: str, message: str, encoding: Optional[str] = None) -> Record:
    return Record(Path(path).stem, None, path, encoding, message)


def _file_records(path: str, opts: _Options) -> Iterator[Record]:
    suffix = Path(path).suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from _jsonl_records(path, opts)
        elif suffix == ".csv":
            yield from _csv_records(path, opts)
        elif suffix == ".parquet":
            yield from _parquet_records(path, opts)
        else:
            yield _text_file_record(path, opts.encoding)
    except (OSError, ValueError) as err:  # unreadable file, unknown encoding, bad table header
        yield _file_error(path, str(err) or type(err).__name__)


def _text_file_record(path: str, encoding: Optional[str]) -> Record:
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        text, used, warning = decode_bytes(data, encoding)
    except ValueError as err:
        return _file_error(path, str(err), encoding)
    return Record(Path(path).stem, text, path, used, warning=warning)


# --------------------------------------------------------------------------- tables


def _row_record(path: str, kind: str, n: int, id_value: Any, text: Any, encoding: Optional[str],
                published: Any = None) -> Record:
    """A table row as a Record; ``kind`` is "line" (JSONL) or "row" (CSV/Parquet)."""
    doc_id = _id_str(id_value) or f"{Path(path).stem}-{n}"
    return _checked(Record(doc_id, text, f"{path}#{kind} {n}", encoding, published=iso_date(published)))


def iso_date(value: Any) -> Optional[str]:
    """A publication date cell as an ISO date (``YYYY-MM-DD``), or None when it holds no date.

    >>> iso_date("2015-07-24T10:00:00"), iso_date(pd.Timestamp("2025-01-02")), iso_date("July"), iso_date(None)
    ('2015-07-24', '2025-01-02', None, None)
    """
    if _is_null(value):
        return None
    if isinstance(value, (pd.Timestamp, datetime.datetime)):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        return None


def _checked(rec: Record) -> Record:
    """Turn a Record whose text is null or not a string into an error Record."""
    if isinstance(rec.text, str):
        return rec
    problem = "text is null" if _is_null(rec.text) else f"text is a {type(rec.text).__name__}, not a string"
    return dataclasses.replace(rec, text=None, error=problem)


def _is_null(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT


def _id_str(value: Any) -> Optional[str]:
    """An id value as text; None for a null id (the caller falls back to a default)."""
    if _is_null(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # ints read as floats from columns holding nulls
    return str(value)


def _auto_id_col(columns: Iterable[str], opts: _Options, where: str) -> Optional[str]:
    """``opts.id_col`` if present (ValueError if not), else ``id`` or ``doc_id`` if present."""
    columns = list(columns)
    if opts.text_col not in columns:
        raise ValueError(f"no text column {opts.text_col!r} in {where} (columns: {columns})")
    if opts.published_col is not None and opts.published_col not in columns:
        raise ValueError(f"no published column {opts.published_col!r} in {where} (columns: {columns})")
    if opts.id_col is not None:
        if opts.id_col not in columns:
            raise ValueError(f"no id column {opts.id_col!r} in {where} (columns: {columns})")
        return opts.id_col
    return next((c for c in ("id", "doc_id") if c in columns), None)


def _jsonl_records(path: str, opts: _Options) -> Iterator[Record]:
    encoding = _sniff_encoding(path, opts.encoding)
    for n, line, error, warning in _jsonl_lines(path, encoding, repair=opts.encoding is None):
        if error is not None:
            yield Record(f"{Path(path).stem}-{n}", None, f"{path}#line {n}", encoding, error)
        elif line.strip():  # blank lines are not documents
            yield dataclasses.replace(_jsonl_row(path, n, line, opts, encoding), warning=warning)


_Line = Tuple[int, str, Optional[str], Optional[str]]  # line number, text, error, warning


def _jsonl_lines(path: str, encoding: str, repair: bool) -> Iterator[_Line]:
    """``(line number, text, error, warning)``, a leading BOM removed; decoded line by line (so a
    bad byte spoils only its line) for ASCII-compatible encodings, as a stream for UTF-16/32.
    With ``repair``, a UTF-8 line with a few bad bytes is read as :func:`.decoding.utf8_on_evidence` says."""
    line_codec = "utf-8" if encoding == "utf-8-sig" else encoding
    if "\n".encode(line_codec) != b"\n":
        yield from _stream_lines(path, encoding)
        return
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            try:
                line, warning = raw.decode(line_codec), None
            except UnicodeDecodeError as err:
                fixed = utf8_on_evidence(raw) if repair and line_codec == "utf-8" else None
                if fixed is None:
                    yield n, "", f"not valid {encoding} ({err.reason} at byte {err.start} of the line)", None
                    continue
                line, warning = fixed.text, fixed.warning.removesuffix(")") + " of the line)"
            yield n, line.removeprefix("\ufeff") if n == 1 else line, None, warning


def _stream_lines(path: str, encoding: str) -> Iterator[_Line]:
    n = 0
    with open(path, encoding=encoding, newline="") as fh:
        try:
            for n, line in enumerate(fh, 1):
                yield n, line, None, None
        except UnicodeDecodeError as err:
            yield n + 1, "", f"not valid {encoding} ({err.reason}); the rest of the file was not read", None


def _jsonl_row(path: str, n: int, line: str, opts: _Options, encoding: str) -> Record:
    default_id = f"{Path(path).stem}-{n}"
    source = f"{path}#line {n}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return Record(default_id, None, source, encoding, f"malformed JSON: {err}")
    if not isinstance(obj, dict):
        return Record(default_id, None, source, encoding, f"a JSON {type(obj).__name__}, not an object")
    if opts.text_col not in obj:
        return Record(default_id, None, source, encoding, f"no {opts.text_col!r} field")
    id_key = opts.id_col or next((k for k in ("id", "doc_id") if k in obj), None)
    published = obj.get(opts.published_col) if opts.published_col else None
    return _row_record(path, "line", n, obj.get(id_key), obj[opts.text_col], encoding, published)


def _csv_records(path: str, opts: _Options) -> Iterator[Record]:
    encoding = _sniff_encoding(path, opts.encoding)
    try:
        header = pd.read_csv(path, nrows=0, encoding=encoding).columns
    except pd.errors.EmptyDataError:
        header = pd.Index([])
    id_col = _auto_id_col(header, opts, path)
    columns = _table_columns(opts, id_col)
    n = 0
    # Only empty cells are null: "NA", "null" … stay text.
    chunks = pd.read_csv(path, usecols=columns, dtype=str, keep_default_na=False, na_values=[""],
                         encoding=encoding, chunksize=CSV_CHUNK_ROWS)
    try:
        for chunk in chunks:
            ids = chunk[id_col] if id_col else [None] * len(chunk)
            dates = chunk[opts.published_col] if opts.published_col else [None] * len(chunk)
            for id_value, text, published in zip(ids, chunk[opts.text_col], dates):
                n += 1
                yield _row_record(path, "row", n, id_value, text, encoding, published)
    except ValueError as err:  # pandas ParserError, UnicodeDecodeError
        yield Record(f"{Path(path).stem}-{n + 1}", None, f"{path}#row {n + 1}", encoding,
                     f"cannot parse the CSV from this row on: {err}")


def _parquet_records(path: str, opts: _Options) -> Iterator[Record]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)  # ArrowInvalid (a ValueError) if not Parquet
    id_col = _auto_id_col(parquet.schema_arrow.names, opts, path)
    n = 0
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=_table_columns(opts, id_col)):
        texts = batch.column(opts.text_col).to_pylist()
        ids = batch.column(id_col).to_pylist() if id_col else [None] * len(texts)
        dates = batch.column(opts.published_col).to_pylist() if opts.published_col else [None] * len(texts)
        for id_value, text, published in zip(ids, texts, dates):
            n += 1
            yield _row_record(path, "row", n, id_value, text, None, published)


def _table_columns(opts: _Options, id_col: Optional[str]) -> list:
    """The columns a CSV/Parquet reader loads: text, then id and published date when used."""
    return list(dict.fromkeys([opts.text_col] + [c for c in (id_col, opts.published_col) if c]))


# --------------------------------------------------------------------------- pandas


def _series_records(series: pd.Series) -> Iterator[Record]:
    for index, text in series.items():
        yield _checked(Record(str(index), text, "<series>"))


def _frame_records(frame: pd.DataFrame, text_col: str, id_col: Optional[str],
                   published_col: Optional[str] = None) -> Iterator[Record]:
    ids: Iterable[Any] = frame[id_col] if id_col else frame.index
    dates: Iterable[Any] = frame[published_col] if published_col else [None] * len(frame)
    for index, id_value, text, published in zip(frame.index, ids, frame[text_col], dates):
        yield _checked(Record(_id_str(id_value) or str(index), text, "<dataframe>", published=iso_date(published)))
