"""An article as HTML, right to left, with its entities or its quotes highlighted (displaCy).

``kind="ents"`` marks each entity with its label colour, its label and its canonical
English name (linked to Wikidata when it has a QID); ``kind="quotes"`` underlines each
quote, labelled with its speaker, and the mention of the speaker. Offsets are the raw
character offsets of the tables, kept exact: a highlight covers ``text[start:end]``.

>>> import arabic_geo_nlp as agn
>>> html = render(agn.load()("قالت الوزيرة: “لا تراجع”."), kind="quotes")
>>> 'direction: rtl' in html, 'الوزيرة' in html
(True, True)

The result is a ``str`` that Jupyter displays as HTML. Render a row of the tables
(any table's row, or ``(doc_id, text)``) with ``tables=res``; the article text then
comes from its source file when that is unchanged, else from the sentences table::

    res = agn.process("seeds/")
    agn.render(res.documents.iloc[0], kind="quotes", tables=res)
"""

from __future__ import annotations

import bisect
import html
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

import pandas as pd
from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc

from .clean import blank_html, looks_like_html
from .corpus import read_corpus
from .pipeline import content_hash, load

__all__ = ["render", "to_png", "HTML", "LABEL_COLORS", "SPEAKER_COLORS", "KINDS"]

KINDS = ("ents", "quotes")
# Entity label → highlight colour.
LABEL_COLORS: Dict[str, str] = {"PER": "#aa9cfc", "ORG": "#7aecec", "GPE": "#feca74", "LOC": "#ff9561",
                                "MISC": "#bfeeb7"}
# Quote underlines, one colour per speaker in order of first appearance (cycled).
SPEAKER_COLORS: Tuple[str, ...] = ("#f4a261", "#2a9d8f", "#e9c46a", "#9d8df1", "#f28482", "#90be6d",
                                   "#f9844a", "#4d908e", "#c77dff", "#84a59d")
SPEAKER_MENTION = "SPEAKER"
SPEAKER_MENTION_COLOR = "#5fa8d3"
UNATTRIBUTED = "UNATTRIBUTED"
UNATTRIBUTED_COLOR = "#bdbdbd"
_SETTINGS = {"direction": "rtl", "lang": "ar"}
_FONTS = "'Noto Naskh Arabic', 'Noto Sans Arabic', 'DejaVu Sans', 'Segoe UI', Tahoma, Arial, sans-serif"
_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>{title}</title></head>
<body style="margin: 0; padding: 1.5rem 2rem; background: #ffffff">{content}</body>
</html>
"""
# displaCy templates for right-to-left text: labels never wrap, names keep their own direction (<bdi>).
_TPL_ENT = (
    '<mark class="entity" style="background: {bg}; padding: 0.3em 0.5em; margin: 0 0.2em; line-height: 1;'
    ' border-radius: 0.35em; white-space: nowrap">{text}<span style="font-size: 0.7em; font-weight: bold;'
    ' vertical-align: middle; margin-right: 0.5em"><bdi>{label}{kb_link}</bdi></span></mark>'
)
_TPL_SPANS = {
    "span": '<span style="font-weight: bold; display: inline-block; position: relative; height: {total_height}px;">'
            "{text}{span_slices}{span_starts}</span> ",
    "slice": '<span style="background: {bg}; top: {top_offset}px; height: 4px; right: -1px; width: calc(100% + 2px);'
             ' position: absolute;"></span>',
    "start": '<span style="background: {bg}; top: {top_offset}px; height: 4px; border-top-right-radius: 3px;'
             ' border-bottom-right-radius: 3px; right: -1px; width: calc(100% + 2px); position: absolute;">'
             '<span style="background: {bg}; z-index: 10; color: #000; top: -0.5em; right: 0; padding: 2px 3px;'
             ' position: absolute; font-size: 0.6em; font-weight: bold; line-height: 1; border-radius: 3px;'
             ' white-space: nowrap"><bdi>{label}{kb_link}</bdi></span></span>',
}
_WIKIDATA = "https://www.wikidata.org/wiki/{}"
_QID = re.compile(r"Q\d+")

Tables = Union[Mapping[str, pd.DataFrame], Any]  # a mapping of table name → DataFrame, or a Result


class HTML(str):
    """A string of HTML that Jupyter shows rendered (``_repr_html_``)."""

    def _repr_html_(self) -> str:
        return f'<span class="tex2jax_ignore">{self}</span>'  # keep MathJax off "$" in articles


@dataclass
class _Article:
    """What gets drawn: the raw text and the annotations as plain dicts with raw offsets."""

    text: str
    title: Optional[str] = None
    ents: List[Dict[str, Any]] = field(default_factory=list)
    quotes: List[Dict[str, Any]] = field(default_factory=list)


def render(obj: Union[Doc, str, Tuple[str, str], pd.Series], kind: str = "ents", *,
           tables: Optional[Tables] = None, nlp: Optional[Language] = None, page: bool = False) -> HTML:
    """HTML of one article with its entities (``kind="ents"``) or quotes (``kind="quotes"``).

    ``obj`` is a processed ``Doc``; or, with ``tables`` (a :class:`~arabic_geo_nlp.Result`
    or a mapping with ``entities``/``quotes``/``sentences``/``documents`` DataFrames), a
    table row with a ``doc_id``, a ``(doc_id, text)`` pair, or a text whose annotations are
    all the rows of ``tables``; without ``tables``, a text or ``(doc_id, text)`` is run
    through ``nlp`` (default :func:`arabic_geo_nlp.load`). ``page=True`` returns a whole
    UTF-8 HTML page (for a file or a browser) instead of a fragment for Jupyter.

    >>> import pandas as pd
    >>> ents = pd.DataFrame({"start": [5], "end": [12], "label": ["PER"], "entity": ["Minister"], "kb_id": [None]})
    >>> html = render("قالت الوزيرة: “لا تراجع”.", tables={"entities": ents})
    >>> 'الوزيرة' in html and LABEL_COLORS["PER"] in html and 'Minister' in html
    True
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    article = _article(obj, tables, nlp)
    markup = _ents_html(article) if kind == "ents" else _quotes_html(article)
    if page:
        return HTML(_PAGE.format(title=html.escape(article.title or "arabic_geo_nlp"), content=_wrap(markup)))
    return HTML(_wrap(markup))


def to_png(page: str, path: Union[str, Path], *, width: int = 1200, height: int = 900,
           browser: Optional[str] = None, timeout: float = 120) -> Path:
    """Screenshot an HTML page (``render(..., page=True)``) to the PNG ``path`` with headless
    Chromium (``browser``, default the first of ``chromium``/``chromium-browser``/``google-chrome``
    on PATH), offline and with a throw-away profile; raises ``RuntimeError`` without a browser."""
    browser = browser or next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
    if browser is None:
        raise RuntimeError("to_png needs Chromium (e.g. `apt-get install chromium`)")
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="agn-chromium-") as tmp:
        page_file = Path(tmp) / "page.html"
        page_file.write_text(page, encoding="utf-8")
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={Path(tmp) / 'profile'}", f"--screenshot={path}",
               f"--window-size={width},{height}", page_file.as_uri()]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or not path.is_file():
        raise RuntimeError(f"{browser} failed ({done.returncode}): {done.stderr[-2000:]}")
    return path


def _wrap(markup: str) -> str:
    return f'<div class="agn-render" dir="rtl" lang="ar" style="font-family: {_FONTS}; font-size: 17px">{markup}</div>'


# ------------------------------------------------------------------- inputs → Article


def _article(obj: Any, tables: Optional[Tables], nlp: Optional[Language]) -> _Article:
    if isinstance(obj, Doc):
        return _from_doc(obj)
    doc_id, text = _id_and_text(obj)
    if tables is None:
        if text is None:
            raise ValueError("render: a table row needs tables=... (the Result it comes from)")
        doc = (nlp or load())(text)
        doc._.doc_id = doc_id
        return _from_doc(doc)
    if text is None:
        text = _document_text(doc_id, tables)
    return _from_tables(doc_id, text, tables)


def _id_and_text(obj: Any) -> Tuple[Optional[str], Optional[str]]:
    if isinstance(obj, str):
        return None, obj
    if isinstance(obj, pd.Series):
        return str(obj["doc_id"]), None
    if isinstance(obj, tuple) and len(obj) == 2:
        return str(obj[0]), str(obj[1])
    raise TypeError(f"render: expected a Doc, a text, a (doc_id, text) pair or a table row, not {type(obj).__name__}")


def _from_doc(doc: Doc) -> _Article:
    ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_, "entity": e._.entity, "kb_id": e._.kb_id}
            for e in doc.ents]
    return _Article(doc._.raw, doc._.doc_id, ents, [dict(q) for q in doc._.quotes])


def _table(tables: Tables, name: str) -> Optional[pd.DataFrame]:
    return tables.get(name) if isinstance(tables, Mapping) else getattr(tables, name, None)


def _rows(tables: Tables, name: str, doc_id: Optional[str]) -> List[Dict[str, Any]]:
    """The rows of one table for ``doc_id`` (all rows when ``doc_id`` is None) as dicts, NA → None."""
    df = _table(tables, name)
    if df is None or df.empty:
        return []
    if doc_id is not None:
        df = df[df["doc_id"].astype("string") == doc_id]
    return [{k: (None if _missing(v) else v) for k, v in row.items()} for row in df.to_dict("records")]


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, (list, tuple, dict)) and bool(pd.isna(value)))


def _from_tables(doc_id: Optional[str], text: str, tables: Tables) -> _Article:
    return _Article(text, doc_id, _rows(tables, "entities", doc_id), _rows(tables, "quotes", doc_id))


def _document_text(doc_id: Optional[str], tables: Tables) -> str:
    """The text of ``doc_id``: its source file if it still hashes to the processed text,
    else rebuilt from the sentences table (a gap of one character becomes a space, a longer
    one a paragraph break padded with spaces, so offsets stay exact)."""
    docs = _rows(tables, "documents", doc_id)
    if docs:
        text = _source_text(docs[0])
        if text is not None:
            return text
    sents = sorted(_rows(tables, "sentences", doc_id), key=lambda s: s["start"])
    if not sents:
        raise ValueError(f"render: no text for document {doc_id!r}: pass (doc_id, text) or tables with sentences")
    pieces, at = [], 0
    for s in sents:
        gap = s["start"] - at
        pieces.append(" " * gap if gap < 2 else "\n\n" + " " * (gap - 2))
        pieces.append(s["text"])
        at = s["end"]
    n_chars = docs[0].get("n_chars") if docs else None
    return "".join(pieces) + " " * max(0, (n_chars or 0) - at)


def _source_text(doc_row: Dict[str, Any]) -> Optional[str]:
    """The document's text read again from its source file, or None if it is gone or changed."""
    source, digest = doc_row.get("source"), doc_row.get("content_hash")
    if not source or not digest or not Path(source).is_file():
        return None
    record = next(read_corpus(Path(source), encoding=doc_row.get("encoding")), None)
    if record is None or record.text is None or content_hash(record.text) != digest:
        return None
    return blank_html(record.text) if looks_like_html(record.text) else record.text


# ---------------------------------------------------------------------- Article → HTML


def _ents_html(article: _Article) -> str:
    ents = []
    for e in _non_overlapping(article.ents, len(article.text)):
        name, kb_id = e.get("entity"), e.get("kb_id")
        link = {}
        if name or kb_id:
            link = {"kb_id": html.escape(str(name or kb_id)),
                    "kb_url": _WIKIDATA.format(kb_id) if kb_id and _QID.fullmatch(str(kb_id)) else "#"}
        ents.append({"start": int(e["start"]), "end": int(e["end"]), "label": html.escape(str(e["label"])), **link})
    data = {"text": article.text, "ents": ents, "title": _title(article), "settings": _SETTINGS}
    return displacy.render(data, style="ent", manual=True, jupyter=False,
                           options={"colors": LABEL_COLORS, "template": _TPL_ENT})


def _non_overlapping(spans: List[Dict[str, Any]], n_chars: int) -> List[Dict[str, Any]]:
    """Spans inside the text, sorted; of overlapping ones the first (then longest) is kept."""
    kept, end = [], 0
    for s in sorted(spans, key=lambda s: (int(s["start"]), -int(s["end"]))):
        if end <= int(s["start"]) < int(s["end"]) <= n_chars:
            kept.append(s)
            end = int(s["end"])
    return kept


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    label: str


def _quote_marks(article: _Article) -> Tuple[List[_Mark], Dict[str, str]]:
    """Quote spans labelled with their speaker, speaker mentions, and the colour of each label."""
    marks, colors = [], {SPEAKER_MENTION: SPEAKER_MENTION_COLOR, UNATTRIBUTED: UNATTRIBUTED_COLOR}
    for q in article.quotes:
        speaker = q.get("speaker")
        label = html.escape(str(speaker)) if speaker else UNATTRIBUTED
        if label.upper() not in colors:
            colors[label.upper()] = SPEAKER_COLORS[(len(colors) - 2) % len(SPEAKER_COLORS)]
        marks.append(_Mark(int(q["start"]), int(q["end"]), label))
        if q.get("speaker_start") is not None and q.get("speaker_end") is not None:
            marks.append(_Mark(int(q["speaker_start"]), int(q["speaker_end"]), SPEAKER_MENTION))
    return sorted(set(marks), key=lambda m: (m.start, m.end, m.label)), colors


def _quotes_html(article: _Article) -> str:
    marks, colors = _quote_marks(article)
    lines = [m.span() for m in re.finditer(r"[^\n]*\S[^\n]*", article.text)]
    docs = [_span_line(article.text, start, end, marks) for start, end in lines]
    if docs:
        docs[0]["title"] = _title(article)
    return displacy.render(docs, style="span", manual=True, jupyter=False,
                           options={"colors": colors, "template": _TPL_SPANS})


def _span_line(text: str, start: int, end: int, marks: List[_Mark]) -> Dict[str, Any]:
    """displaCy span data for the line ``text[start:end]``: tokens are cut at whitespace and at
    every mark boundary, so each mark covers exactly its characters; marks are clipped to the line."""
    inside = [m for m in marks if m.start < end and m.end > start]
    cuts = sorted({start, end} | {min(max(b, start), end) for m in inside for b in (m.start, m.end)})
    tokens, token_starts = [], []
    for a, b in zip(cuts, cuts[1:]):
        for word in re.finditer(r"\S+", text[a:b]):
            tokens.append(word.group())
            token_starts.append(a + word.start())
    spans = []
    for m in inside:
        first = bisect.bisect_left(token_starts, max(m.start, start))
        last = bisect.bisect_left(token_starts, min(m.end, end))
        if first < last:
            spans.append({"start_token": first, "end_token": last, "label": m.label})
    return {"text": text[start:end], "tokens": tokens, "spans": spans, "settings": _SETTINGS}


def _title(article: _Article) -> Optional[str]:
    return f"<bdi>{html.escape(article.title)}</bdi>" if article.title else None
