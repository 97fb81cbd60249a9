"""The custom attributes our components put on spaCy objects, registered in one place.

Values are stored as plain data (str, int, lists, dicts) in ``doc.user_data`` so
that Docs survive ``Doc.to_bytes`` — which is how ``nlp.pipe(n_process=2)`` moves
them between processes.

Doc
    ``raw`` — the text as read (the same string as ``doc.text``, without rebuilding it token by token);
    ``doc_id``, ``source``, ``encoding`` — where the text came from, ``warning`` — what reading
    it repaired or blanked (set by ``process``);
    ``language`` — ``"ar"`` or ``"other"`` (:func:`arabic_geo_nlp.language.text_language`, computed
    on first use and kept; the NER, gazetteer and quote components skip ``"other"`` documents);
    ``title`` (Span or None, from ``title_offsets``), ``published`` (ISO date string or None),
    ``boilerplate`` (raw ``[start, end]`` ranges) — set by the ``agn_clean`` component;
    ``quotes`` (list of quote dicts, see :mod:`arabic_geo_nlp.quotes`), ``errors`` (list of str).
Token
    ``prefix``, ``stem``, ``suffix`` — clitic analysis of the raw token text.
Span
    ``is_boilerplate`` — the span lies in a boilerplate line;
    ``source`` (which NER stage found it), ``entity`` (canonical English name), ``kb_id``
    (Wikidata QID), ``link_score`` (0–1) and ``linked_by`` (the linking step) — NER and linking.
"""

from __future__ import annotations

from typing import Optional

from spacy.tokens import Doc, Span, Token

from .clitics import Clitics, analyze
from .language import text_language
from .tokenize import CLITICS_KEY, RAW_TEXT_KEY


def _stored(name: str, default_factory=None):
    key = ("agn", name)

    def get(doc: Doc):
        if default_factory is None:
            return doc.user_data.get(key)
        return doc.user_data.setdefault(key, default_factory())

    def set_(doc: Doc, value) -> None:
        doc.user_data[key] = value

    return get, set_


def _raw(doc: Doc) -> str:
    text = doc.user_data.get(RAW_TEXT_KEY)
    return text if text is not None else doc.text


_LANGUAGE_KEY = ("agn", "language")


def _language(doc: Doc) -> str:
    language = doc.user_data.get(_LANGUAGE_KEY)
    if language is None:
        language = doc.user_data[_LANGUAGE_KEY] = text_language(_raw(doc))
    return language


def _set_language(doc: Doc, value: str) -> None:
    doc.user_data[_LANGUAGE_KEY] = value


def _title(doc: Doc) -> Optional[Span]:
    offsets = doc._.title_offsets
    if not offsets:
        return None
    return doc.char_span(offsets[0], offsets[1], alignment_mode="expand")


def span_in_boilerplate(span: Span) -> bool:
    """True when most of ``span``'s characters fall in the doc's boilerplate ranges."""
    ranges = span.doc._.boilerplate
    if not ranges:
        return False
    start, end = span.start_char, span.end_char
    covered = sum(max(0, min(end, e) - max(start, s)) for s, e in ranges)
    return covered * 2 > max(1, end - start)


def token_clitics(token: Token) -> Clitics:
    """The clitic analysis of ``token``: the one its tokenizer stored by start offset (CAMeL
    backend) while it still spells the token (a later split voids it), else ours."""
    stored = token.doc.user_data.get(CLITICS_KEY)
    parts = stored.get(token.idx) if stored else None
    if parts is not None and "".join(parts) == token.text:
        return Clitics(*parts)
    return analyze(token.text)


def register() -> None:
    """Register every extension (idempotent; done on import of the package)."""
    for name in ("doc_id", "source", "encoding", "warning", "title_offsets", "published"):
        getter, setter = _stored(name)
        Doc.set_extension(name, getter=getter, setter=setter, force=True)
    for name in ("boilerplate", "quotes", "errors"):
        getter, setter = _stored(name, list)
        Doc.set_extension(name, getter=getter, setter=setter, force=True)
    Doc.set_extension("title", getter=_title, force=True)
    Doc.set_extension("raw", getter=_raw, force=True)
    Doc.set_extension("language", getter=_language, setter=_set_language, force=True)
    Token.set_extension("prefix", getter=lambda t: token_clitics(t).prefix, force=True)
    Token.set_extension("stem", getter=lambda t: token_clitics(t).stem, force=True)
    Token.set_extension("suffix", getter=lambda t: token_clitics(t).suffix, force=True)
    Span.set_extension("is_boilerplate", getter=span_in_boilerplate, force=True)
    for name in ("entity", "kb_id", "source", "link_score", "linked_by"):
        Span.set_extension(name, default=None, force=True)
