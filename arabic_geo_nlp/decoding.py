"""Bytes → text on evidence: which encoding, which bytes had to be repaired, which characters
were blanked, and when the bytes are not text at all. spaCy-free.

>>> decode_bytes("سلام".encode("cp1256"))
Decoded(text='سلام', encoding='cp1256', warning=None)
>>> decode_bytes("قال الوزير".encode("utf-8") + b"\\xff" + "إن المحادثات مثمرة".encode("utf-8"))
Decoded(text='قال الوزير\\ufffdإن المحادثات مثمرة', encoding='utf-8', warning='1 invalid utf-8 byte replaced by U+FFFD (at byte 19)')

Rules
-----
* **Explicit encoding**: strict; an invalid byte raises ``UnicodeDecodeError``. Controls are
  handled as below.
* **Detected**: a byte order mark (UTF-8, UTF-16 LE/BE, UTF-32); UTF-16 without BOM (NULs at
  alternating positions); UTF-8; then Windows-1256 or UTF-16 when the result is plausible text
  (mostly Arabic/ASCII letters).
* **Repairs.** Bytes that are valid UTF-8 except a few are UTF-8: each invalid byte becomes one
  U+FFFD and the warning gives the count and byte offsets. "A few" means at least
  ``UTF8_EVIDENCE`` valid multi-byte characters per invalid byte (real Windows-1256 articles have
  fewer than 0.06). The same holds for a text whose byte order mark names its encoding.
* **Mixed encodings.** Text read as Windows-1256 that holds runs of valid UTF-8 multi-byte
  characters (three in a row never occur in real Windows-1256 Arabic) gets a warning.
  UTF-16/32 text must be in one script (:func:`_one_script`): without a BOM it is not read
  as UTF-16 otherwise; with one it gets a warning (other bytes behind a BOM read as UTF-16
  give characters from many unrelated Unicode blocks).
* **Controls.** C0/C1 control characters other than ``\\t \\n \\v \\f \\r`` are blanked to
  spaces (same length, so offsets hold) with a warning, unless they are more than 1% of the
  characters: then the data is binary (``ValueError("binary data, not text")``).
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

__all__ = ["Decoded", "BinaryData", "decode_bytes", "codec_name", "blank_controls", "utf8_on_evidence"]

# (BOM, codec reported, codec that reads what follows the BOM); UTF-32 before UTF-16 (FF FE 00 00
# starts with FF FE).
_BOMS: Tuple[Tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)
# Decoders that take a buffer and ``final`` and stop at the first bad byte (no copy of the rest).
_DECODERS: Dict[str, Callable] = {
    "utf-8": codecs.utf_8_decode, "utf-16-le": codecs.utf_16_le_decode, "utf-16-be": codecs.utf_16_be_decode,
    "utf-32-le": codecs.utf_32_le_decode, "utf-32-be": codecs.utf_32_be_decode,
}
# Valid UTF-8 multi-byte characters needed per invalid byte to read damaged bytes as UTF-8.
UTF8_EVIDENCE = 2
# How many offsets a warning lists before "…".
LISTED_OFFSETS = 10
# C0/C1 controls except \t \n \v \f \r; Arabic-block characters or ASCII letters; whitespace.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_LETTER_RE = re.compile(r"[A-Za-z\u0600-\u06ff]")
_SPACE_RE = re.compile(r"\s")
_UTF8_CHAR = rb"(?:[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})"
_UTF8_RUN_RE = re.compile(_UTF8_CHAR + b"{3,}")
# Share of a UTF-16/32 text's visible characters that may lie outside its main script's
# 256-code-point block and the blocks any text shares: Latin-1, punctuation and symbols (U+2000-27FF),
# Arabic presentation forms, emoji.
OTHER_SCRIPT_SHARE = 0.01
_SHARED_BLOCKS = frozenset([0x00, *range(0x20, 0x28), *range(0xFB, 0xFF), *range(0x1F0, 0x1FB)])


class BinaryData(ValueError):
    """The bytes are not text (too many control characters)."""

    def __init__(self) -> None:
        super().__init__("binary data, not text")


class Decoded(NamedTuple):
    """Decoded text, the codec used and what was repaired or blanked (None if nothing)."""

    text: str
    encoding: str
    warning: Optional[str] = None


def decode_bytes(data: bytes, encoding: Optional[str] = None) -> Decoded:
    """Decode ``data`` (see the module rules). The text is exactly the decoded characters minus
    a leading BOM, with repaired bytes and blanked controls as the warning says; without a
    warning, ``data.decode(encoding) == text`` (BOM aside). Raises ``ValueError`` (a
    ``UnicodeDecodeError`` for an explicit encoding) with a readable message.

    >>> decode_bytes("نص\\r\\n".encode("utf-16"))
    Decoded(text='نص\\r\\n', encoding='utf-16', warning=None)
    >>> decode_bytes(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    Traceback (most recent call last):
    ...
    arabic_geo_nlp.decoding.BinaryData: binary data, not text
    """
    if encoding is not None:
        return _decode_explicit(data, encoding)
    return detect(data, final=True)


def codec_name(encoding: str) -> str:
    """Python's name for ``encoding`` (``"windows-1256"`` → ``"cp1256"``); ValueError if unknown."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(f"unknown encoding {encoding!r}") from None


def _decode_explicit(data: bytes, encoding: str) -> Decoded:
    name = codec_name(encoding)
    try:
        text = data.decode(name)
    except UnicodeDecodeError as err:
        raise UnicodeDecodeError(
            err.encoding, err.object, err.start, err.end, f"not valid {encoding} ({err.reason})"
        ) from None
    return _checked_controls(Decoded(text.removeprefix("\ufeff"), name), [])


def detect(data: bytes, *, final: bool) -> Decoded:
    """Detect and decode; ``final=False`` tolerates a sample cut mid-character."""
    for bom, codec, raw_codec in _BOMS:
        if data.startswith(bom):
            return _with_bom(data, bom, codec, raw_codec, final)
    if b"\0" in data:
        utf16 = _utf16_by_nuls(data, final)
        if utf16 is not None:
            return _checked_controls(utf16, [])
    utf8 = utf8_on_evidence(data, final=final)
    if utf8 is not None and _few_controls(utf8.text):
        return _checked_controls(utf8, [utf8.warning] if utf8.warning else [])
    for codec in ("cp1256", "utf-16-le", "utf-16-be"):
        text = _try_decode(data, codec, final)
        if text is not None and _plausible(text) and (codec == "cp1256" or _one_script(text)):
            notes = [_mixed_note(data)] if codec == "cp1256" and _UTF8_RUN_RE.search(data) else []
            return _checked_controls(Decoded(text, codec), notes)
    if not _few_controls(data.decode("latin-1")):
        raise BinaryData()
    raise ValueError("undecodable: not UTF-8, nor plausible Windows-1256 or UTF-16 text (pass encoding=)")


def utf8_on_evidence(data: bytes, *, final: bool = True) -> Optional[Decoded]:
    """``data`` as UTF-8 if it is, or if it is except a few bytes (each then one U+FFFD, said in
    the warning); None if the evidence is against UTF-8. Control characters are left as they are.

    >>> utf8_on_evidence("نص".encode("utf-8") + b"\\xff")
    Decoded(text='نص\ufffd', encoding='utf-8', warning='1 invalid utf-8 byte replaced by U+FFFD (at byte 4)')
    >>> utf8_on_evidence("نص".encode("cp1256")) is None
    True
    """
    try:
        return Decoded(codecs.getincrementaldecoder("utf-8")("strict").decode(data, final=final), "utf-8")
    except UnicodeDecodeError:
        pass
    # Cheap rejection first: "replace" gives one U+FFFD per invalid run, so at most as many as bad bytes.
    lenient = data.decode("utf-8", "replace")
    runs = lenient.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if len(lenient) - len(lenient.encode("ascii", "ignore")) - runs < UTF8_EVIDENCE * runs:
        return None
    repaired = _repaired(data, "utf-8", final, max_bad=len(data) // (2 * UTF8_EVIDENCE))
    if repaired is None:
        return None
    text, bad = repaired
    if not bad:
        return Decoded(text, "utf-8")
    valid = len(text) - len(text.encode("ascii", "ignore")) - len(bad)
    return Decoded(text, "utf-8", _repair_note(bad, "utf-8")) if valid >= UTF8_EVIDENCE * len(bad) else None


def _with_bom(data: bytes, bom: bytes, codec: str, raw_codec: str, final: bool) -> Decoded:
    """A text whose byte order mark names ``codec``: repaired if at most a tenth of its bytes are invalid."""
    repaired = _repaired(data[len(bom):], raw_codec, final, max_bad=len(data) // 10)
    if repaired is None:
        raise ValueError(f"not valid {codec} despite its byte order mark")
    text, bad = repaired
    notes = [_repair_note([b + len(bom) for b in bad], codec)] if bad else []
    if codec != "utf-8-sig" and not _one_script(text):
        notes.append(f"read as {codec} by its byte order mark, but its characters are from many "
                     "unrelated Unicode blocks (wrong encoding?)")
    return _checked_controls(Decoded(text, codec), notes)


def _repaired(data: bytes, codec: str, final: bool, max_bad: int) -> Optional[Tuple[str, List[int]]]:
    """``(text, offsets of invalid bytes)``, each invalid byte read as one U+FFFD; None when more
    than ``max_bad`` bytes are invalid (not this encoding)."""
    decode = _DECODERS[codec]
    view = memoryview(data)
    pieces: List[str] = []
    bad: List[int] = []
    pos = 0
    while pos < len(data):
        try:
            pieces.append(decode(view[pos:], "strict", final)[0])
            break
        except UnicodeDecodeError as err:
            pieces.append(decode(view[pos:pos + err.start], "strict", True)[0])
            bad.extend(range(pos + err.start, pos + err.end))
            pieces.append("\ufffd" * (err.end - err.start))
            pos += err.end
            if len(bad) > max_bad:
                return None
    return "".join(pieces), bad


def _try_decode(data: bytes, codec: str, final: bool) -> Optional[str]:
    try:
        return codecs.getincrementaldecoder(codec)("strict").decode(data, final=final)
    except UnicodeDecodeError:
        return None


def _utf16_by_nuls(data: bytes, final: bool) -> Optional[Decoded]:
    """UTF-16 without BOM: NULs (almost) only at odd (LE) or even (BE) offsets, and either
    many of them (>= 10% of code units: ASCII-rich text in any script) or plausible text."""
    even, odd = data[0::2].count(0), data[1::2].count(0)
    codec, nuls = ("utf-16-le", odd) if odd > even else ("utf-16-be", even)
    text = _try_decode(data, codec, final) if min(even, odd) <= nuls // 10 else None
    if text is None or not _few_controls(text) or not _one_script(text) or (
            10 * nuls < len(text) and not _plausible(text)):
        return None
    return Decoded(text, codec)


def _few_controls(text: str) -> bool:
    """At most 1% control characters other than whitespace (none in texts under 100 characters)."""
    return len(_CONTROL_RE.findall(text)) <= len(text) // 100


def _one_script(text: str) -> bool:
    """At most ``OTHER_SCRIPT_SHARE`` of the visible characters outside the most common
    256-code-point block other than :data:`_SHARED_BLOCKS` and outside those (true of text in
    any one alphabet; not of CJK or Hangul, which span many blocks).

    >>> _one_script("قال Reuters: «نعم»"), _one_script("⡁䙐⤊")
    (True, False)
    """
    blocks = Counter(ord(ch) >> 8 for ch in _SPACE_RE.sub("", text))
    shared = sum(blocks.pop(b, 0) for b in _SHARED_BLOCKS)
    outside = sum(blocks.values()) - max(blocks.values(), default=0)
    return outside <= OTHER_SCRIPT_SHARE * (shared + sum(blocks.values()))


def _plausible(text: str) -> bool:
    """Few controls and at least half the non-space characters from the Arabic block or ASCII letters."""
    visible = len(text) - len(_SPACE_RE.findall(text))
    return _few_controls(text) and 2 * len(_LETTER_RE.findall(text)) >= visible > 0


def blank_controls(text: str) -> Tuple[str, Optional[str]]:
    """``text`` with each control character (see the module rules) replaced by a space, and a
    note saying how many and where (None if there were none).

    >>> blank_controls("قال\\x00 الوزير")
    ('قال  الوزير', '1 control character blanked to a space (at character 3)')
    """
    offsets = [m.start() for m in _CONTROL_RE.finditer(text)]
    if not offsets:
        return text, None
    spaces = "a space" if len(offsets) == 1 else "spaces"
    return _CONTROL_RE.sub(" ", text), f"{_count(offsets, 'control character')} blanked to {spaces} (at {_offsets(offsets, 'character')})"


def _checked_controls(decoded: Decoded, notes: List[str]) -> Decoded:
    """Binary if controls are more than 1% of the text, else blank them; join the notes."""
    if not _few_controls(decoded.text):
        raise BinaryData()
    text, blanked = blank_controls(decoded.text)
    return Decoded(text, decoded.encoding, "; ".join(notes + [blanked] if blanked else notes) or None)


def _repair_note(bad: List[int], codec: str) -> str:
    return f"{_count(bad, f'invalid {codec} byte')} replaced by U+FFFD (at {_offsets(bad, 'byte')})"


def _mixed_note(data: bytes) -> str:
    runs = [(m.start(), m.end()) for m in _UTF8_RUN_RE.finditer(data)]
    n = sum(e - s for s, e in runs)
    return (f"read as Windows-1256, but {n} bytes in {len(runs)} runs look like UTF-8 "
            f"(mixed encodings?) (at {_offsets([s for s, _ in runs], 'byte')})")


def _count(items: List[int], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _offsets(offsets: List[int], unit: str) -> str:
    """``byte 19`` / ``bytes 3, 7, …`` (at most ``LISTED_OFFSETS`` listed)."""
    shown = ", ".join(str(o) for o in offsets[:LISTED_OFFSETS])
    more = ", …" if len(offsets) > LISTED_OFFSETS else ""
    return f"{unit}{'' if len(offsets) == 1 else 's'} {shown}{more}"
