"""Docs → the five tables. One schema per table; dtypes live here and nowhere else.

>>> import arabic_geo_nlp as agn
>>> nlp = agn.load()
>>> rows = TableRows()
>>> rows.add_doc(nlp("قال الوزير: نعم."), doc_id="d1")
>>> tables = rows.to_frames()
>>> tables["tokens"][["text", "start", "end"]].head(2).values.tolist()
[['قال', 0, 3], ['الوزير', 4, 10]]
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pandas as pd
from spacy.tokens import Doc

from .clitics import analyze
from .extensions import token_clitics
from .tokenize import CLITICS_KEY

__all__ = ["SCHEMAS", "TABLES", "TableRows", "Result", "empty_frame"]

# Column → dtype. "category" columns hold labels; offsets and counts are nullable Int64.
SCHEMAS: Dict[str, Dict[str, str]] = {
    "documents": {
        "doc_id": "string", "source": "string", "title": "string", "published": "datetime64[s]",
        "n_chars": "Int64", "n_sentences": "Int64", "n_tokens": "Int64", "n_entities": "Int64",
        "n_quotes": "Int64", "status": "category", "error": "string", "warning": "string",
        "language": "category", "encoding": "string", "content_hash": "string",
    },
    "sentences": {
        "doc_id": "string", "sent_id": "Int64", "start": "Int64", "end": "Int64", "text": "string",
        "is_boilerplate": "boolean",
    },
    "tokens": {
        "doc_id": "string", "sent_id": "Int64", "tok_id": "Int64", "start": "Int64", "end": "Int64",
        "text": "string", "norm": "string", "prefix": "string", "stem": "string", "suffix": "string",
        "is_punct": "boolean",
    },
    "entities": {
        "doc_id": "string", "ent_id": "Int64", "sent_id": "Int64", "start": "Int64", "end": "Int64",
        "text": "string", "label": "category", "entity": "string", "kb_id": "string", "source": "category",
        "link_score": "Float64", "linked_by": "category",
    },
    "quotes": {
        "doc_id": "string", "quote_id": "Int64", "sent_id": "Int64", "start": "Int64", "end": "Int64",
        "text": "string", "kind": "category", "cue": "string", "speaker": "string",
        "speaker_mention": "string", "speaker_start": "Int64", "speaker_end": "Int64",
        "speaker_label": "category", "speaker_role": "string", "attribution": "category",
        "speaker_kb_id": "string", "cue_start": "Int64", "cue_end": "Int64",
    },
}
TABLES = tuple(SCHEMAS)
QUOTE_FIELDS = tuple(c for c in SCHEMAS["quotes"] if c not in ("doc_id", "quote_id", "sent_id"))
_OFFSET_COLUMNS = ("start", "end", "speaker_start", "speaker_end", "cue_start", "cue_end")


def empty_frame(table: str) -> pd.DataFrame:
    """An empty table with the right columns and dtypes."""
    return _typed(pd.DataFrame({c: [] for c in SCHEMAS[table]}), table)


def _typed(df: pd.DataFrame, table: str) -> pd.DataFrame:
    # Through "string" first: an all-empty column would otherwise become a float-valued category,
    # which Parquet stores as double and a later part with labels cannot be appended to.
    as_text = {c: "string" for c, d in SCHEMAS[table].items() if d == "category"}
    return df.astype(as_text).astype(SCHEMAS[table])


def _sentences(doc: Doc) -> List[tuple]:
    """``(start_token, end_token)`` of each sentence trimmed of whitespace tokens; empty ones dropped."""
    out = []
    for sent in doc.sents:
        s, e = sent.start, sent.end
        while s < e and doc[s].is_space:
            s += 1
        while e > s and doc[e - 1].is_space:
            e -= 1
        if s < e:
            out.append((s, e))
    return out


@dataclass
class TableRows:
    """Accumulates table rows document by document; holds rows, never Docs."""

    rows: Dict[str, List[dict]] = field(default_factory=lambda: {t: [] for t in TABLES})

    def add_error(self, doc_id: str, error: str, source: Optional[str] = None,
                  n_chars: Optional[int] = None, encoding: Optional[str] = None,
                  content_hash: Optional[str] = None) -> None:
        """A document that could not be processed: one ``documents`` row with status ``error``."""
        self.rows["documents"].append(dict(
            doc_id=doc_id, source=source, title=None, published=None, n_chars=n_chars,
            n_sentences=0, n_tokens=0, n_entities=0, n_quotes=0, status="error", error=error,
            warning=None, language=None, encoding=encoding, content_hash=content_hash))

    def add_doc(self, doc: Doc, doc_id: Optional[str] = None, source: Optional[str] = None,
                content_hash: Optional[str] = None) -> None:
        """Add every row of one processed Doc."""
        doc_id = doc_id if doc_id is not None else doc._.doc_id
        source = source if source is not None else doc._.source
        sents = _sentences(doc)
        sent_starts = [doc[s].idx for s, _ in sents]
        tokens_before = len(self.rows["tokens"])

        def sent_of(char: int) -> Optional[int]:
            i = bisect.bisect_right(sent_starts, char) - 1
            return i if i >= 0 else None

        stored = doc.user_data.get(CLITICS_KEY)  # a backend's own clitic analyses, if any
        token_rows = self.rows["tokens"]
        for sent_id, (s, e) in enumerate(sents):
            span = doc[s:e]
            self.rows["sentences"].append(dict(
                doc_id=doc_id, sent_id=sent_id, start=span.start_char, end=span.end_char,
                text=span.text, is_boilerplate=span._.is_boilerplate))
            for tok in span:
                if tok.is_space:
                    continue
                text, start = tok.text, tok.idx
                # what tok._.prefix/stem/suffix return, in one lookup
                clitics = token_clitics(tok) if stored else analyze(text)
                token_rows.append(dict(
                    doc_id=doc_id, sent_id=sent_id, tok_id=tok.i, start=start, end=start + len(text),
                    text=text, norm=tok.norm_, prefix=clitics.prefix, stem=clitics.stem,
                    suffix=clitics.suffix, is_punct=tok.is_punct))
        n_tokens = len(self.rows["tokens"]) - tokens_before
        for ent_id, ent in enumerate(doc.ents):
            self.rows["entities"].append(dict(
                doc_id=doc_id, ent_id=ent_id, sent_id=sent_of(ent.start_char), start=ent.start_char,
                end=ent.end_char, text=ent.text, label=ent.label_, entity=ent._.entity,
                kb_id=ent._.kb_id, source=ent._.source, link_score=ent._.link_score,
                linked_by=ent._.linked_by))
        quotes = doc._.quotes
        for quote_id, q in enumerate(quotes):
            row: Dict[str, Any] = dict(doc_id=doc_id, quote_id=quote_id, sent_id=sent_of(q["start"]))
            row.update({k: q.get(k) for k in QUOTE_FIELDS})
            self.rows["quotes"].append(row)
        errors = doc._.errors
        published = doc._.published
        title = doc._.title
        self.rows["documents"].append(dict(
            doc_id=doc_id, source=source, title=title.text if title is not None else None,
            published=dt.date.fromisoformat(published) if published else None,
            n_chars=len(doc._.raw), n_sentences=len(sents), n_tokens=n_tokens,
            n_entities=len(doc.ents), n_quotes=len(quotes), status="error" if errors else "ok",
            error="; ".join(errors) if errors else None, warning=doc._.warning,
            language=doc._.language, encoding=doc._.encoding, content_hash=content_hash))

    def add_sections(self, sections: List[Tuple[int, "TableRows"]], n_chars: int) -> None:
        """Add one document processed as consecutive sections ``(raw offset, rows)``:
        offsets are shifted into the whole text, ids renumbered, one ``documents`` row."""
        next_id = {"sent_id": 0, "tok_id": 0, "ent_id": 0, "quote_id": 0}
        for offset, part in sections:
            base = dict(next_id)
            for table in ("sentences", "tokens", "entities", "quotes"):
                for row in part.rows[table]:
                    for col in _OFFSET_COLUMNS:
                        if row.get(col) is not None:
                            row[col] += offset
                    for col in next_id:
                        if row.get(col) is not None:
                            row[col] += base[col]
                            next_id[col] = max(next_id[col], row[col] + 1)
                    self.rows[table].append(row)
        docs = [part.rows["documents"][0] for _, part in sections]
        merged = dict(docs[0], n_chars=n_chars)
        for col in ("n_sentences", "n_tokens", "n_entities", "n_quotes"):
            merged[col] = sum(d[col] for d in docs)
        errors = [d["error"] for d in docs if d["error"]]
        merged["status"] = "error" if errors else "ok"
        merged["error"] = "; ".join(errors) if errors else None
        self.rows["documents"].append(merged)

    def extend(self, other: "TableRows") -> None:
        for t in TABLES:
            self.rows[t].extend(other.rows[t])

    def to_frames(self) -> Dict[str, pd.DataFrame]:
        """The five typed DataFrames (empty ones keep their columns)."""
        out = {}
        for t in TABLES:
            rows = self.rows[t]
            if not rows:
                out[t] = empty_frame(t)
                continue
            df = pd.DataFrame.from_records(rows, columns=list(SCHEMAS[t]))
            if t == "documents":
                df["published"] = pd.to_datetime(df["published"])
            out[t] = _typed(df, t)
        return out


@dataclass
class Result:
    """The five tables of a run, with writers (one file per table)."""

    documents: pd.DataFrame
    sentences: pd.DataFrame
    tokens: pd.DataFrame
    entities: pd.DataFrame
    quotes: pd.DataFrame

    @classmethod
    def from_rows(cls, rows: TableRows) -> "Result":
        return cls(**rows.to_frames())

    def tables(self) -> Dict[str, pd.DataFrame]:
        return {t: getattr(self, t) for t in TABLES}

    def _write(self, out_dir, ext: str, writer) -> Dict[str, Path]:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {}
        for name, df in self.tables().items():
            paths[name] = out / f"{name}.{ext}"
            writer(df, paths[name])
        return paths

    def to_parquet(self, out_dir) -> Dict[str, Path]:
        """Write ``<table>.parquet`` files into ``out_dir``; returns their paths."""
        return self._write(out_dir, "parquet", lambda df, p: df.to_parquet(p, index=False))

    def to_csv(self, out_dir) -> Dict[str, Path]:
        """Write ``<table>.csv`` files (UTF-8) into ``out_dir``."""
        return self._write(out_dir, "csv", lambda df, p: df.to_csv(p, index=False))

    def to_jsonl(self, out_dir) -> Dict[str, Path]:
        """Write ``<table>.jsonl`` files (one JSON object per row, UTF-8) into ``out_dir``."""
        return self._write(out_dir, "jsonl", lambda df, p: df.to_json(
            p, orient="records", lines=True, force_ascii=False, date_format="iso"))

    def write(self, out_dir, fmt: str = "parquet") -> Dict[str, Path]:
        """Write all tables in ``fmt`` (``parquet``, ``csv`` or ``jsonl``)."""
        writers = {"parquet": self.to_parquet, "csv": self.to_csv, "jsonl": self.to_jsonl}
        if fmt not in writers:
            raise ValueError(f"Unknown format {fmt!r}; choose one of {sorted(writers)}")
        return writers[fmt](out_dir)

    def summary(self) -> pd.DataFrame:
        """Per-article counts: the table ``arabic-geo-nlp run`` prints."""
        cols = ["doc_id", "status", "n_sentences", "n_tokens", "n_entities", "n_quotes"]
        return self.documents[cols]

    def __repr__(self) -> str:
        sizes = ", ".join(f"{t}={len(getattr(self, t))}" for t in TABLES)
        return f"Result({sizes})"
