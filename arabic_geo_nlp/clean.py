"""Boilerplate lines, headline and publication date of a raw web article.

Pure functions over the raw text (the spaCy component `Cleaner` at the end only
stores their results on the Doc); every offset they return indexes
the raw string. The site knowledge is data: line patterns in
``data/boilerplate.txt`` and month names in ``data/months.tsv``, both read
once and matched against :func:`~arabic_geo_nlp.normalize.normalize`-d text.

>>> raw = "أخبار\\n\\nبوتين يزور كوريا الشمالية اليوم\\n١٠ سبتمبر ٢٠٢٥\\nزر الذهاب إلى الأعلى"
>>> find_title(raw).text
'بوتين يزور كوريا الشمالية اليوم'
>>> find_published(raw)
datetime.date(2025, 9, 10)
>>> [raw[s:e] for s, e in find_boilerplate(raw)]
['زر الذهاب إلى الأعلى']
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import islice
from typing import Dict, Iterator, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from .normalize import normalize, normalize_with_offsets, raw_span

__all__ = [
    "Line", "iter_lines", "find_boilerplate", "find_title", "find_published", "find_dates",
    "looks_like_html", "blank_html", "Cleaner",
]

HEADER_LINES = 12
"""How many non-blank lines at the top may hold the headline and the header date."""
LEAD_CHARS = 500
"""A first date starting within this many raw characters counts as the publication date."""
TITLE_WORDS = (3, 30)
"""Inclusive word-count range of a headline."""
YEARS = range(1700, 2200)
"""Accepted years; this also keeps Hijri years (14xx) out of the Gregorian dates."""
_MAX_KEY_CHARS = 500
"""Longer lines are article text, never boilerplate."""

_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029]")
_SP = r"[^\S\r\n\u2028\u2029]"
_EDGES = re.compile(r"^[^\w©]+|[^\w©]+$")
_BULLET = re.compile(r"\s*[•·▪◦●○■□►▶➤✓✔*\-–—]")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
_SENTENCE_END = re.compile(r"(?<![.…])[.:]$")
_BYLINE = re.compile(
    r"(?:بقلم|كتب|كتبت|كتبه|اعداد|تحرير|ترجمه|حوار|تصوير|مراسل|written by|by|author)\b", re.I
)
_BYLINE_MAX_WORDS = 6
_META_MAX_WORDS = 7
"""After the headline, shorter lines (source, author, place) still belong to the header."""
# Words that may surround a date on a dateline (matched on normalized text).
_DATE_LABELS = re.compile(
    r"\b(?:الاحد|الاثنين|الاتنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت"
    r"|sunday|monday|tuesday|wednesday|thursday|friday|saturday|sun|mon|tue|wed|thu|fri|sat"
    r"|الموافق|بتاريخ|تاريخ|التاريخ|النشر|نشر|نشرت|منشور|تم|اخر|تحديث|التحديث|محدث|في|يوم|منذ"
    r"|صباحا|مساء|مساءا|ص|م|am|pm|gmt|utc|published|updated|posted|last|on|at"
    r"|بتوقيت(?: \w+){0,2}|[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)\b",
    re.I,
)
_DATE_LINE_EXTRA_WORDS = 1
"""A date line may carry one more word besides dates and labels (a dateline city)."""

_HEADLINE, _SHORT, _SKIP, _BODY = "headline", "short", "skip", "body"


@dataclass(frozen=True)
class Line:
    """One line of the raw text: ``text == raw[start:end]``, without its line break."""

    start: int
    end: int
    text: str


def iter_lines(text: str) -> Iterator[Line]:
    """Split ``text`` on ``\\n``, ``\\r\\n``, ``\\r``, U+2028 and U+2029, keeping raw offsets.

    Like :meth:`str.splitlines`, a final line break does not open an empty line.

    >>> [(l.start, l.end, l.text) for l in iter_lines("أ\\r\\nب\\n")]
    [(0, 1, 'أ'), (3, 4, 'ب')]
    """
    start = 0
    for brk in _LINE_BREAK.finditer(text):
        yield Line(start, brk.start(), text[start : brk.start()])
        start = brk.end()
    if start < len(text):
        yield Line(start, len(text), text[start:])


def find_boilerplate(text: str) -> List[Tuple[int, int]]:
    """Raw ``(start, end)`` spans of boilerplate lines; lines separated only by
    whitespace (blank lines) are merged into one span.

    >>> raw = "نص الخبر هنا.\\nاترك تعليقاً\\n\\nOpen chat"
    >>> [raw[s:e] for s, e in find_boilerplate(raw)]
    ['اترك تعليقاً\\n\\nOpen chat']
    """
    spans: List[Tuple[int, int]] = []
    for line in iter_lines(text):
        if not _is_boilerplate(line.text):
            continue
        if spans and not text[spans[-1][1] : line.start].strip():
            spans[-1] = (spans[-1][0], line.end)
        else:
            spans.append((line.start, line.end))
    return spans


def find_title(text: str) -> Optional[Line]:
    """The headline: the first line of the header that reads like one, or ``None``.

    Boilerplate, datelines, bylines, category labels (under three words) and
    non-Arabic lines are passed over; the first other line among the first
    :data:`HEADER_LINES` non-blank lines is the title if it has at most thirty
    words and does not end like a sentence. Otherwise the body has started and
    the article has no headline. The returned line is stripped of whitespace.

    >>> find_title("تقارير\\n\\nإيران تطلق قمرا صناعيا جديدا\\n\\nأعلنت طهران ...").text
    'إيران تطلق قمرا صناعيا جديدا'
    >>> find_title("10 سبتمبر 2025\\nقال الرئيس إن المحادثات انتهت.") is None
    True
    """
    return _scan_header(text)[0]


def find_published(text: str) -> Optional[datetime.date]:
    """The publication date: the first date of the text if it lies in the header
    (before the body starts) or within the first :data:`LEAD_CHARS` characters.

    >>> find_published("• - الموافق2024/04/28م\\nعنوان الخبر الرئيسي اليوم")
    datetime.date(2024, 4, 28)
    >>> find_published("عنوان الخبر الرئيسي\\n" + "كلمة " * 200 + "في 18 يونيو 2024") is None
    True
    """
    limit = max(_scan_header(text)[1], LEAD_CHARS)
    dates = find_dates(text[: limit + _MAX_DATE_CHARS])  # only a date starting before the limit counts
    if not dates:
        return None
    start, _, first = dates[0]
    return first if start < limit else None


_MAX_DATE_CHARS = 60  # longer than any date find_dates matches


def find_dates(text: str) -> List[Tuple[int, int, datetime.date]]:
    """Every Gregorian date with a day, a month and a four-digit year, as raw
    ``(start, end, date)``; impossible dates are dropped.

    Handles ``10 سبتمبر 2025``, ``2023م``, ``12 سبتمبر/أيلول 2023``, ``28 ديسمبر سنة 1955``,
    ``2024/04/28``, ``28-04-2024``, ``September 10, 2025`` and Arabic-Indic digits.

    >>> raw = "الموافق2024/04/28م و١٠ سبتمبر ٢٠٢٥ لا 31/02/2024"
    >>> [(raw[s:e], d.isoformat()) for s, e, d in find_dates(raw)]
    [('2024/04/28م', '2024-04-28'), ('١٠ سبتمبر ٢٠٢٥', '2025-09-10')]
    """
    norm, offsets = normalize_with_offsets(text)
    return [(*raw_span(offsets, s, e), d) for s, e, d in _date_matches(norm)]


# --- header -------------------------------------------------------------------------


def _scan_header(text: str) -> Tuple[Optional[Line], int]:
    """``(title, body_start)``: the headline, and the raw offset where the body begins.

    The first line that is not skipped is the headline unless it is body text;
    after the headline, short lines are still header. The body begins at the
    next other line, else after the :data:`HEADER_LINES` window.
    """
    title: Optional[Line] = None
    header_end = 0
    for line in islice(_content_lines(text), HEADER_LINES):
        kind = _line_kind(line.text)
        if title is None and kind in (_HEADLINE, _SHORT):
            title = line
        elif kind == _BODY or (title is not None and kind == _HEADLINE):
            return title, line.start
        header_end = line.end
    return title, header_end


def _content_lines(text: str) -> Iterator[Line]:
    """Non-blank lines with surrounding whitespace trimmed (offsets adjusted)."""
    for line in iter_lines(text):
        stripped = line.text.strip()
        if stripped:
            start = line.start + line.text.index(stripped)
            yield Line(start, start + len(stripped), stripped)


def _line_kind(text: str) -> str:
    """Classify a header line: ``_SKIP`` (boilerplate, metadata, labels, non-Arabic),
    ``_SHORT`` or ``_HEADLINE`` (reads like a headline, up to / over
    ``_META_MAX_WORDS`` words) or ``_BODY`` (a paragraph or sentence)."""
    if _is_boilerplate(text):
        return _SKIP
    key = _line_key(text)
    words = len(key.split())
    if (
        words < TITLE_WORDS[0]
        or not _ARABIC_LETTER.search(key)
        or _is_date_line(key)
        or (words <= _BYLINE_MAX_WORDS and _BYLINE.match(key))
    ):
        return _SKIP
    if words > TITLE_WORDS[1] or _SENTENCE_END.search(text):
        return _BODY
    return _SHORT if words <= _META_MAX_WORDS else _HEADLINE


# --- boilerplate ----------------------------------------------------------------------


def _line_key(text: str) -> str:
    """Normalized, whitespace-collapsed line without edge punctuation, bullets and emoji.

    >>> _line_key("  • أهلاً!  كيف يمكننا مساعدتك؟ 👋")
    'اهلا! كيف يمكننا مساعدتك'
    """
    return _EDGES.sub("", " ".join(normalize(text).split()))


@lru_cache(maxsize=65536)
def _is_boilerplate(text: str) -> bool:
    """Whether one raw line is boilerplate (see the header of ``data/boilerplate.txt``)."""
    if not normalize(text).strip():
        return False
    key = _line_key(text)
    if not key:
        return True
    if len(key) > _MAX_KEY_CHARS:
        return False
    if _BULLET.match(text) and _is_date_line(key):
        return True
    return any(p.fullmatch(key) for p in _boilerplate_patterns())


@lru_cache(maxsize=1)
def _boilerplate_patterns() -> Tuple[re.Pattern[str], ...]:
    """The compiled patterns of ``data/boilerplate.txt`` (normalized first)."""
    patterns = []
    for lineno, source in _data_rows("boilerplate.txt"):
        try:
            patterns.append(re.compile(normalize(source), re.IGNORECASE))
        except re.error as err:
            raise ValueError(f"boilerplate.txt line {lineno}: bad pattern {source!r}: {err}") from err
    return tuple(patterns)


def _data_rows(name: str) -> Iterator[Tuple[int, str]]:
    """``(line number, stripped line)`` of a data file, without blanks and ``#`` comments."""
    data = resources.files("arabic_geo_nlp.data").joinpath(name).read_text(encoding="utf-8")
    for lineno, row in enumerate(data.splitlines(), 1):
        row = row.strip()
        if row and not row.startswith("#"):
            yield lineno, row


# --- dates ------------------------------------------------------------------------------


def _is_date_line(key: str) -> bool:
    """Whether a normalized line is a dateline: dates plus weekday/time/"published" words.

    >>> _is_date_line("نشر في: الاحد 10 سبتمبر 2025 - 10:30 ص")
    True
    >>> _is_date_line("قمة 10 سبتمبر 2025 بين بوتين وكيم")
    False
    """
    rest, last = [], 0
    for start, end, _ in _date_matches(key):
        rest.append(key[last:start])
        last = end
    if not rest:
        return False
    rest.append(key[last:])
    leftover = _DATE_LABELS.sub(" ", " ".join(rest))
    return len(re.findall(r"\w+", leftover)) <= _DATE_LINE_EXTRA_WORDS


def _date_matches(norm: str) -> Iterator[Tuple[int, int, datetime.date]]:
    """``(start, end, date)`` of the valid dates of an already normalized text."""
    for match in _date_regex().finditer(norm):
        day = _match_date(match)
        if day is not None:
            yield match.start(), match.end(), day


def _match_date(match: re.Match[str]) -> Optional[datetime.date]:
    """The date of one regex match; numeric day/month are also tried swapped (M/D/Y)."""
    kind = next(k for k in ("ymd", "dmy", "tdmy", "tmdy") if match.group(k + "_y"))
    year, day = int(match.group(kind + "_y")), int(match.group(kind + "_d"))
    month_text = match.group(kind + "_m")
    if kind.startswith("t"):
        month = _months().get(_month_key(month_text))
        return _valid_date(year, month, day) if month else None
    month = int(month_text)
    valid = _valid_date(year, month, day)
    if valid is None and kind == "dmy":
        valid = _valid_date(year, day, month)
    return valid


def _valid_date(year: int, month: int, day: int) -> Optional[datetime.date]:
    """``date(year, month, day)`` when it exists and ``year`` is in :data:`YEARS`."""
    if year not in YEARS:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _month_key(name: str) -> str:
    """Lookup form of a month name: normalized, case-folded, single-spaced."""
    return " ".join(normalize(name).casefold().split())


@lru_cache(maxsize=1)
def _months() -> Dict[str, int]:
    """Month name (lookup form) -> number, from ``data/months.tsv``."""
    months: Dict[str, int] = {}
    for lineno, row in _data_rows("months.tsv"):
        name, sep, number = row.rpartition("\t")
        if not sep or not number.isdigit() or not 1 <= int(number) <= 12:
            raise ValueError(f"months.tsv line {lineno}: expected 'name<TAB>1-12', got {row!r}")
        months[_month_key(name)] = int(number)
    return months


@lru_cache(maxsize=1)
def _date_regex() -> re.Pattern[str]:
    """One regex for the four layouts: Y/M/D, D/M/Y, D Month Y and Month D, Y
    (each optionally followed by the Gregorian marker ``م``)."""
    names = sorted(_months(), key=len, reverse=True)
    month = "(?:%s)(?!\\w)" % "|".join(re.escape(n).replace("\\ ", " ").replace(" ", _SP + "+") for n in names)
    sp, ordinal = _SP, "(?:st|nd|rd|th)?"

    def year(kind: str) -> str:
        return rf"(?P<{kind}_y>[0-9]{{4}})(?![0-9])"

    def number(kind: str, part: str) -> str:
        return rf"(?P<{kind}_{part}>[0-9]{{1,2}})(?![0-9])"

    ymd = rf"(?<![0-9]){year('ymd')}(?P<ymd_s>[/.\-]){number('ymd', 'm')}(?P=ymd_s){number('ymd', 'd')}"
    dmy = rf"(?<![0-9]){number('dmy', 'd')}(?P<dmy_s>[/.\-]){number('dmy', 'm')}(?P=dmy_s){year('dmy')}"
    tdmy = (
        rf"(?<![0-9]){number('tdmy', 'd')}{ordinal}{sp}*(?:من{sp}+)?(?:شهر{sp}+)?(?P<tdmy_m>{month})"
        rf"(?:{sp}*[/\-]{sp}*{month})?{sp}*(?:[,،]{sp}*)?(?:(?:من{sp}+)?(?:سنه|عام|العام){sp}+)?{year('tdmy')}"
    )
    tmdy = rf"(?<!\w)(?P<tmdy_m>{month}){sp}+{number('tmdy', 'd')}{ordinal}{sp}*(?:[,،]{sp}*)?{year('tmdy')}"
    return re.compile(rf"(?:{ymd}|{dmy}|{tdmy}|{tmdy})(?:{sp}?م(?!\w))?", re.IGNORECASE)


_HTML_HINT = re.compile(r"<(?:!doctype|html|head|body|p|div|br|span|a|article|section|h[1-6]|ul|li|table|script|style)\b",
                        re.IGNORECASE)
_HTML_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<![^<>]*>")
_HTML_BLOCK = re.compile(r"</?(?:p|div|br|li|ul|ol|tr|table|h[1-6]|article|section|header|footer|blockquote|title)\b",
                         re.IGNORECASE)
_HTML_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


def looks_like_html(text: str) -> bool:
    """True when ``text`` has HTML tags (checked in its first 5,000 characters).

    >>> looks_like_html("<p>قال الوزير</p>"), looks_like_html("a < b > c")
    (True, False)
    """
    return bool(_HTML_HINT.search(text[:5000]))


def blank_html(text: str) -> str:
    """``text`` with markup replaced by whitespace of the same length, so offsets stay raw offsets.

    Tags, comments, scripts and styles become spaces; block-level tags start with a
    newline so paragraphs stay lines; a character entity becomes its character
    followed by spaces (``&amp;`` → ``&    ``).

    >>> blank_html("<p>قال</p><p>نعم &amp; لا</p>")
    '\\n  قال\\n   \\n  نعم &     لا\\n   '
    """
    def blank(m: re.Match) -> str:
        gap = " " * len(m.group())
        return "\n" + gap[1:] if _HTML_BLOCK.match(m.group()) else gap

    def entity(m: re.Match) -> str:
        char = html.unescape(m.group())
        return (char if len(char) == 1 else " ") + " " * (len(m.group()) - 1)

    text = _HTML_DROP.sub(lambda m: " " * len(m.group()), text)
    return _HTML_ENTITY.sub(entity, _HTML_TAG.sub(blank, text))


class Cleaner:
    """spaCy component ``agn_clean``: stores boilerplate ranges, title and date on the Doc.

    Sets ``doc._.boilerplate`` (raw ``[start, end]`` lines; their sentences get
    ``span._.is_boilerplate``), ``doc._.title_offsets`` and ``doc._.published``
    (ISO date, found in the text unless the input already set it). The raw text is never changed.
    """

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.raw
        doc._.boilerplate = [[s, e] for s, e in find_boilerplate(text)]
        title = find_title(text)
        doc._.title_offsets = [title.start, title.end] if title else None
        if not doc._.published:  # a date the input gave (a table's published column) wins
            published = find_published(text)
            doc._.published = published.isoformat() if published else None
        return doc


@Language.factory("agn_clean")
def make_cleaner(nlp: Language, name: str) -> Cleaner:
    """Registered factory: ``nlp.add_pipe("agn_clean")``."""
    return Cleaner()
